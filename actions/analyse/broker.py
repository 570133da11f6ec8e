"""The event brokers Rasa calls (configured under `event_broker` in bot/endpoints.yml).

- `AnalyseBroker` (embedded default): each published event is turned into codes (`codes.py`) at
  once, in Rasa's own call, and put on a queue; once a second a thread hands what was collected
  to the writer process (`schrijver.py`), which writes it in one transaction into the project's
  database (`LEKSTROOM_DATABASE_URL`, SQLite by default). Rasa's reply never waits for the
  database, the database work never runs in Rasa's process, and the inwoner's words never leave
  this call.
- `AnalysePikaBroker` (server path): Rasa's RabbitMQ broker, publishing the codes instead of the
  events; `lekstroom analyse consument` reads them from the queue into the same tables, so several
  Rasa servers feed one view.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from asyncio import AbstractEventLoop
from typing import Any, Dict, List, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.utils.endpoints import EndpointConfig

from ..classificatie.inzet import STANDAARD, cached_inzet
from .codes import Verkleiner
from .schrijver import database_url
from .verwerker import Item

log = logging.getLogger(__name__)
BATCH = 20_000
# The writer collects for this long before it writes: one transaction for every turn of that second
# instead of one per turn keeps the cost per message within a few percent (README, Benchmarks).
VERZAMELEN_S = 1.0


def maak_verkleiner() -> Verkleiner:
    p = cached_inzet(os.environ.get("LEKSTROOM_POLICY", STANDAARD)).overzicht
    return Verkleiner(p.gemeenten, p.resultaatgebieden, p.leeftijd.minimum)


class Schrijfproces:
    """The writer process (`schrijver.py`): one batch out, one answer back. Started again when it
    has stopped; a batch it could not take is offered to the new process once."""

    def __init__(self, url: str):
        self.url = url
        self._proces: Optional[subprocess.Popen] = None

    def _start(self) -> subprocess.Popen:
        self._proces = subprocess.Popen(
            [sys.executable, "-m", "actions.analyse.schrijver", self.url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        return self._proces

    def schrijf(self, batch: List[Item]) -> Dict[str, Any]:
        regel = json.dumps(batch, separators=(",", ":")) + "\n"
        for poging in range(2):
            proces = self._proces if self._proces is not None and self._proces.poll() is None else self._start()
            try:
                assert proces.stdin is not None and proces.stdout is not None
                proces.stdin.write(regel)
                proces.stdin.flush()
                antwoord = proces.stdout.readline()
                if antwoord:
                    return dict(json.loads(antwoord))
            except (OSError, ValueError):
                pass
            log.warning("analyse.schrijver_gestopt", extra={"poging": poging + 1})
            self.stop()
        return {"aantal": len(batch), "fout": True, "cpu_s": 0.0}

    def stop(self) -> None:
        proces, self._proces = self._proces, None
        if proces is None:
            return
        try:
            if proces.stdin is not None:
                proces.stdin.close()  # the end of its input: it finishes and stops
            proces.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            proces.kill()
            proces.wait()


class AnalyseBroker(EventBroker):
    def __init__(self, url: Optional[str] = None):
        self.url = url or database_url()
        self.verkleiner = maak_verkleiner()
        self._rij: queue.SimpleQueue[Optional[Item]] = queue.SimpleQueue()
        self._bezig = 0  # items put but not yet written
        self._lock = threading.Lock()
        self._klaar = threading.Event()
        self._proces = Schrijfproces(self.url)
        # what recording costs: time in Rasa's publish calls, CPU time of the writer process
        self.kosten = {"events": 0, "publish_s": 0.0, "schrijver_cpu_s": 0.0, "transacties": 0}
        self._thread = threading.Thread(target=self._doorgeven, name="analyse-doorgeven", daemon=True)
        self._thread.start()

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[AbstractEventLoop] = None
    ) -> AnalyseBroker:
        return cls(broker_config.kwargs.get("database_url") or None)

    def publish(self, event: Dict[str, Any]) -> None:
        begin = time.perf_counter()
        try:
            codes = self.verkleiner.codes(event)
        except Exception:  # analysis must never break the conversation
            log.exception("analyse.codes_mislukt")
            return
        if codes:
            sender, ts = str(event.get("sender_id") or ""), float(event.get("timestamp") or time.time())
            with self._lock:
                self._bezig += len(codes)
            for code in codes:
                self._rij.put((sender, ts, code))
        self.kosten["events"] += 1
        self.kosten["publish_s"] += time.perf_counter() - begin

    def wacht(self, timeout: float = 10.0) -> bool:
        """Block until every published code is written (tests, shutdown)."""
        einde = time.monotonic() + timeout
        while time.monotonic() < einde:
            with self._lock:
                if self._bezig == 0:
                    return True
            time.sleep(0.01)
        return False

    def _doorgeven(self) -> None:
        while True:
            item = self._rij.get()
            if item is not None:
                time.sleep(VERZAMELEN_S)
            batch: List[Item] = [] if item is None else [item]
            while len(batch) < BATCH:
                try:
                    volgende = self._rij.get_nowait()
                except queue.Empty:
                    break
                if volgende is None:
                    item = None
                    break
                batch.append(volgende)
            try:
                if batch:
                    antwoord = self._proces.schrijf(batch)
                    self.kosten["schrijver_cpu_s"] += float(antwoord.get("cpu_s") or 0.0)
                    self.kosten["transacties"] += 1
                    if antwoord.get("fout"):
                        log.error("analyse.schrijven_mislukt", extra={"aantal": len(batch)})
            except Exception:
                log.exception("analyse.schrijven_mislukt", extra={"aantal": len(batch)})
            finally:
                with self._lock:
                    self._bezig -= len(batch)
            if item is None:
                self._proces.stop()
                self._klaar.set()
                return

    async def close(self) -> None:
        self.wacht(10.0)
        self._rij.put(None)
        self._klaar.wait(10.0)
        k = self.kosten
        log.info(
            "analyse.kosten events=%d publish_ms=%.1f schrijver_cpu_ms=%.1f transacties=%d",
            k["events"],
            1000 * k["publish_s"],
            1000 * k["schrijver_cpu_s"],
            k["transacties"],
        )


class AnalysePikaBroker(PikaEventBroker):
    """Rasa's RabbitMQ broker, publishing `{"sender_id", "timestamp", "codes"}` instead of the event,
    one message after the other (Rasa's own broker starts a task per event, which may overtake)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.verkleiner = maak_verkleiner()
        self._vorige: Optional[asyncio.Task] = None

    def publish(self, event: Dict[str, Any], headers: Optional[Dict[str, str]] = None) -> None:
        try:
            codes = self.verkleiner.codes(event)
        except Exception:
            log.exception("analyse.codes_mislukt")
            return
        if not codes:
            return
        body = {"sender_id": event.get("sender_id"), "timestamp": event.get("timestamp"), "codes": codes}
        vorige = self._vorige

        async def na_vorige() -> None:
            if vorige is not None:
                await asyncio.wait([vorige])
            await self._publish(body, headers)

        taak = self._loop.create_task(na_vorige())
        self._background_tasks.add(taak)
        taak.add_done_callback(self._background_tasks.discard)
        self._vorige = taak
