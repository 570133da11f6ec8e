"""The server path: two Rasa servers (each with its action server) publish the analysis codes to
the real RabbitMQ on 127.0.0.1:5672 (guest/guest) through `AnalysePikaBroker`; one consumer process
(`lekstroom analyse consument`) writes them into one PostgreSQL database, where the figures of both
servers come together and no text of the inwoner is stored."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import aio_pika
import pytest
import yaml
from sqlalchemy import text

from actions.analyse.cijfers import Bereik, funnel
from actions.nlp.modelbeheer import ROOT
from actions.store import make_engine
from tests.helpers.servers import running_assistant

pytestmark = pytest.mark.e2e
AMQP = "amqp://guest:guest@127.0.0.1:5672/"


def endpoints_met_pika(pad: Path, wachtrij: str, exchange: str) -> Path:
    """bot/endpoints.yml (action server secret, tracker and lock store) with the Pika event broker."""
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["event_broker"] = {
        "type": "actions.analyse.broker.AnalysePikaBroker",
        "url": "127.0.0.1",
        "port": 5672,
        "username": "guest",
        "password": "guest",
        "queues": [wachtrij],
        "exchange_name": exchange,
    }
    pad.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return pad


def wacht_op(engine, klaar, timeout=60):
    einde = time.monotonic() + timeout
    while True:
        data = funnel(engine, Bereik())
        if klaar(data) or time.monotonic() > einde:
            return data
        time.sleep(0.5)


def test_two_rasa_servers_feed_one_consumer(tmp_path, pg_url):
    naam = uuid.uuid4().hex[:8]
    wachtrij, exchange = f"lekstroom_analyse_test_{naam}", f"lekstroom_test_{naam}"
    endpoints = endpoints_met_pika(tmp_path / "endpoints.yml", wachtrij, exchange)
    env = dict(os.environ, LEKSTROOM_DATABASE_URL=pg_url)
    log = (tmp_path / "consument.log").open("w")
    consument = subprocess.Popen(
        [sys.executable, "-m", "actions.cli", "analyse", "consument", "--amqp-url", AMQP, "--wachtrij", wachtrij],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        (tmp_path / "een").mkdir()
        (tmp_path / "twee").mkdir()
        with (
            running_assistant(tmp_path / "een", database_url=pg_url, endpoints=endpoints) as een,
            running_assistant(tmp_path / "twee", database_url=pg_url, endpoints=endpoints) as twee,
        ):
            een.send("rmq-nee", "Hallo")
            een.send("rmq-nee", "nee, liever niet")
            for bericht in ("Hallo", "ja", "blablabla qwertyuiop", "Houten", "ik ben 16"):
                twee.send("rmq-jong", bericht)
            engine = make_engine(pg_url)
            data = wacht_op(engine, lambda d: d["uitkomsten"]["geen_toestemming"] + d["uitkomsten"]["minderjarig"] == 2)
        assert consument.poll() is None, (tmp_path / "consument.log").read_text()[-2000:]
        assert data["gesprekken"] == 2
        assert data["uitkomsten"]["geen_toestemming"] == 1 and data["uitkomsten"]["minderjarig"] == 1
        vragen = {v["stap"]: v for v in data["vragen"]}
        assert (vragen["toestemming"]["bereikt"], vragen["toestemming"]["beantwoord"]) == (2, 2)
        assert vragen["gemeente"]["niet_begrepen"] == 1 and vragen["leeftijd"]["beantwoord"] == 1
        with engine.connect() as conn:
            ids = set(conn.execute(text("SELECT conversation_id FROM analyse_gesprek")).scalars())
            inhoud = " ".join(
                str(r) for t in ("analyse_gesprek", "analyse_vraag") for r in conn.execute(text(f"SELECT * FROM {t}"))
            )
        assert ids == {"rmq-nee", "rmq-jong"}
        for zin in ("qwertyuiop", "liever niet", "ik ben 16"):
            assert zin not in inhoud
    finally:
        consument.terminate()
        consument.wait(timeout=20)
        log.close()
        asyncio.run(opruimen(wachtrij, exchange))


async def opruimen(wachtrij, exchange):
    """The test's own queue and exchange go away again (RabbitMQ is shared on this machine)."""
    verbinding = await aio_pika.connect(AMQP)
    async with verbinding:
        kanaal = await verbinding.channel()
        await kanaal.queue_delete(wachtrij)
        await kanaal.exchange_delete(exchange)
