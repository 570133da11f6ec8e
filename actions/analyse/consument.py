"""The consumer of the server path: reads the codes that `AnalysePikaBroker` publishes on RabbitMQ
(from any number of Rasa servers) and writes them with `Verwerker` into one database.

Run: `lekstroom analyse consument [--amqp-url URL] [--wachtrij NAAM]` (defaults from
LEKSTROOM_RABBITMQ_URL, amqp://guest:guest@127.0.0.1:5672/, and LEKSTROOM_ANALYSE_WACHTRIJ,
`lekstroom_analyse`); the database is LEKSTROOM_DATABASE_URL. A message is acknowledged only after
its codes are written, so a crash loses nothing; a message that is not a list of codes is dropped
with a log line (never its content).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
from typing import List, Optional

import aio_pika

from ..store import make_engine
from .schrijver import database_url, migreer
from .verwerker import Item, Verwerker

log = logging.getLogger(__name__)
AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
WACHTRIJ = "lekstroom_analyse"
SOORTEN = {
    "bericht",
    "vraag",
    "pogingen",
    "onderbreking",
    "gevaar",
    "gevaar_klaar",
    "gemeente",
    "wacht",
    "einde",
    "verwijderd",
    "sessie",
}


def items_uit(body: bytes) -> List[Item]:
    data = json.loads(body)
    codes = data.get("codes")
    if not isinstance(codes, list) or not isinstance(data.get("sender_id"), str):
        raise ValueError("geen codes")
    ts = float(data.get("timestamp") or 0.0)
    return [(data["sender_id"], ts, c) for c in codes if isinstance(c, dict) and c.get("soort") in SOORTEN]


async def consumeer(amqp_url: str, wachtrij: str, db_url: str, stop: Optional[asyncio.Event] = None) -> None:
    migreer(db_url)
    verwerker = Verwerker(make_engine(db_url))
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    verbinding = await aio_pika.connect_robust(amqp_url)
    async with verbinding:
        kanaal = await verbinding.channel()
        await kanaal.set_qos(prefetch_count=200)
        rij = await kanaal.declare_queue(wachtrij, durable=True)

        async def lees() -> None:
            # one message after the other: the codes of a conversation must be applied in order
            async with rij.iterator() as berichten:
                async for bericht in berichten:
                    try:
                        items = items_uit(bericht.body)
                    except (ValueError, TypeError, AttributeError):
                        log.warning("analyse.bericht_overgeslagen")
                        await bericht.reject(requeue=False)
                        continue
                    await loop.run_in_executor(None, verwerker.verwerk, items)
                    await bericht.ack()

        lezer = asyncio.create_task(lees())
        log.info("analyse.consument_gestart", extra={"wachtrij": wachtrij})
        await stop.wait()
        lezer.cancel()
        try:
            await lezer
        except asyncio.CancelledError:
            pass


def main(amqp_url: Optional[str] = None, wachtrij: Optional[str] = None) -> None:
    logging.basicConfig(level=logging.INFO)
    stop = asyncio.Event()

    async def run() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await consumeer(
            amqp_url or os.environ.get("LEKSTROOM_RABBITMQ_URL", AMQP_URL),
            wachtrij or os.environ.get("LEKSTROOM_ANALYSE_WACHTRIJ", WACHTRIJ),
            database_url(),
            stop,
        )

    asyncio.run(run())
