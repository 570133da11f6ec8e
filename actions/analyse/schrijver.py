"""The analysis writer: a small process of its own that writes the codes of one Rasa server.

The embedded event broker (`broker.AnalyseBroker`) starts it with `python -m
actions.analyse.schrijver DATABASE_URL` and sends it, about once a second, one line of JSON on its
standard input: a list of `[conversation_id, timestamp, code]`. The writer applies the batch with
`Verwerker` in one transaction and answers with one line on its standard output,
`{"aantal": n, "cpu_s": s}` (or `"fout": true` when the batch could not be written; the error is
logged, never the codes). It stops at the end of its input, or when the Rasa server that started
it is gone.

Why a process: the database work of the analysis (loading and writing the rows of each
conversation) takes CPU. In a thread of Rasa it shared Rasa's interpreter lock, so an inwoner's
message could wait for it; in its own process it runs beside Rasa, and Rasa only turns events into
codes and hands them over (README, Benchmarks). Imports nothing of Rasa.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import List, Optional, TextIO

from ..store import DEFAULT_URL, make_engine
from ..store.migrate import upgrade
from .verwerker import Item, Verwerker

log = logging.getLogger(__name__)


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


def items_van(regel: str) -> List[Item]:
    return [(str(cid), float(ts), code) for cid, ts, code in json.loads(regel)]


def schrijf(url: str, invoer: TextIO, uitvoer: TextIO) -> None:
    """Batches in, one answer per batch out, until the input ends."""
    migreer(url)
    engine = make_engine(url)
    verwerker = Verwerker(engine)
    try:
        for regel in invoer:
            if not regel.strip():
                continue
            begin = time.process_time()
            antwoord = {"aantal": 0, "cpu_s": 0.0}
            try:
                items = items_van(regel)
                antwoord["aantal"] = len(items)
                verwerker.verwerk(items)
            except Exception:  # one bad batch must not stop the recording
                log.exception("analyse.schrijven_mislukt")
                antwoord["fout"] = True
            antwoord["cpu_s"] = time.process_time() - begin
            uitvoer.write(json.dumps(antwoord) + "\n")
            uitvoer.flush()
    finally:
        engine.dispose()


def main(argv: Optional[List[str]] = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    schrijf(args[0] if args else database_url(), sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
