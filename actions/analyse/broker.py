"""The event brokers Rasa calls (configured under `event_broker` in bot/endpoints.yml).

- `AnalyseBroker` (embedded default): each published event is turned into codes (`codes.py`) at
  once, in Rasa's own call, and put on a queue; one writer thread writes them, once a second, in one
  transaction into the project's database (`LEKSTROOM_DATABASE_URL`, SQLite by default). Rasa's
  reply never waits for the database, and the inwoner's words never leave this call.
- `AnalysePikaBroker` (server path): Rasa's RabbitMQ broker, publishing the codes instead of the
  events; `lekstroom analyse consument` reads them from the queue into the same tables, so several
  Rasa servers feed one view.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
import time
from asyncio import AbstractEventLoop
from typing import Any, Dict, List, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.utils.endpoints import EndpointConfig

from ..classificatie.inzet import STANDAARD, cached_inzet
from ..store import DEFAULT_URL, make_engine
from ..store.migrate import upgrade
from .codes import Verkleiner
from .verwerker import Item, Verwerker

log = logging.getLogger(__name__)
BATCH = 20_000
# The writer collects for this long before it writes: one transaction for every turn of that second
# instead of one per turn keeps the cost per message within a few percent (README, Benchmarks).
VERZAMELEN_S = 1.0


def maak_verkleiner() -> Verkleiner:
    p = cached_inzet(os.environ.get("LEKSTROOM_POLICY", STANDAARD)).overzicht
    return Verkleiner(p.gemeenten, p.resultaatgebieden, p.leeftijd.minimum)


def database_url() -> str:
    return os.environ.get("LEKSTROOM_DATABASE_URL", DEFAULT_URL)


def migreer(url: str, pogingen: int = 20) -> None:
    """The tables exist: the action server may be migrating at the same moment, so try again."""
    for poging in range(pogingen):
        try:
            upgrade(url)
            return
        except Exception:
            if poging == pogingen - 1:
                raise
            time.sleep(0.5)


class AnalyseBroker(EventBroker):
    def __init__(self, url: Optional[str] = None):
        self.url = url or database_url()
        self.verkleiner = maak_verkleiner()
        self._rij: queue.SimpleQueue[Optional[Item]] = queue.SimpleQueue()
        self._bezig = 0  # items put but not yet written
        self._lock = threading.Lock()
        self._klaar = threading.Event()
        # what recording costs this process: time in Rasa's publish calls, CPU time of the writer
        self.kosten = {"events": 0, "publish_s": 0.0, "schrijver_cpu_s": 0.0, "transacties": 0}
        self._thread = threading.Thread(target=self._schrijver, name="analyse-schrijver", daemon=True)
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

    def _schrijver(self) -> None:
        engine = None
        verwerker: Optional[Verwerker] = None
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
                if verwerker is None:
                    migreer(self.url)
                    engine = make_engine(self.url)
                    verwerker = Verwerker(engine)
                cpu = time.thread_time()
                verwerker.verwerk(batch)
                self.kosten["schrijver_cpu_s"] += time.thread_time() - cpu
                self.kosten["transacties"] += 1
            except Exception:
                log.exception("analyse.schrijven_mislukt", extra={"aantal": len(batch)})
            finally:
                with self._lock:
                    self._bezig -= len(batch)
            if item is None:
                if engine is not None:
                    engine.dispose()
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
