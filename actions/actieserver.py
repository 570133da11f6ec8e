"""The action server, closed to everyone but Rasa: `python -m actions.actieserver`.

rasa_sdk's server listens on every interface and runs any action for anyone who posts to `/webhook`;
a hand-made call could queue a forged draft or delete another inwoner's draft. This wraps rasa_sdk's
own Sanic app and adds three things:

- it listens on 127.0.0.1 unless `LEKSTROOM_ACTIONS_HOST` says otherwise (a second machine behind a
  load balancer);
- every call except `/health` must carry the shared secret `LEKSTROOM_ACTIONS_TOKEN` as a bearer
  token, which Rasa sends from `bot/endpoints.yml`; without the secret set, the server refuses to start;
- an error answers with a short message, not rasa_sdk's echo of the whole request (the tracker, with
  the inwoner's words);
- a background task stores the drafts that wait in the outbox because the database was down when the
  inwoner confirmed (`actions/store/uitgaand.py`).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import os
import sys
import zlib
from typing import Any, Optional

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_ENV = "LEKSTROOM_ACTIONS_TOKEN"
HOST_ENV = "LEKSTROOM_ACTIONS_HOST"
OPEN_PATHS = frozenset({"/health"})
INTERVAL_ENV = "LEKSTROOM_UITGAAND_INTERVAL"

logger = logging.getLogger(__name__)


def _is_str_dict(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def rasa_vormig(call: Any) -> bool:
    """True when `call` has the shape Rasa 3.6 sends to `/webhook` (RemoteAction: the next action,
    the whole tracker state, the domain). Checked by hand at the top levels, not with a pydantic
    model: validating every event of a long conversation that way cost a third of the server's time."""
    if not _is_str_dict(call) or not isinstance(call.get("next_action"), str):
        return False
    tracker, domain = call.get("tracker"), call.get("domain")
    if not _is_str_dict(tracker) or not _is_str_dict(domain):
        return False
    events = tracker.get("events")
    return (
        isinstance(tracker.get("sender_id"), str)
        and _is_str_dict(tracker.get("slots"))
        and isinstance(events, list)
        and all(isinstance(e, dict) for e in events)
        and (tracker.get("latest_message") is None or _is_str_dict(tracker.get("latest_message")))
        and (tracker.get("active_loop") is None or _is_str_dict(tracker.get("active_loop")))
        and _is_str_dict(domain.get("slots"))
        and _is_str_dict(domain.get("forms"))
        and isinstance(call.get("sender_id", ""), (str, type(None)))
    )


def geldige_aanroep(request: Request) -> bool:
    try:
        if request.headers.get("Content-Encoding") == "deflate":
            call = json.loads(_inhoud(request) or b"null")
        else:
            call = request.json  # parsed once: rasa_sdk's handler reads the same parsed body
    except (ValueError, UnicodeDecodeError, SanicException):
        return False
    return rasa_vormig(call)


MAX_INHOUD = 20 * 1024 * 1024


def _inhoud(request: Request) -> bytes:
    """The request body, inflated when Rasa compressed it (COMPRESS_ACTION_SERVER_REQUEST)."""
    body = request.body or b""
    if request.headers.get("Content-Encoding") != "deflate":
        return body
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(body, MAX_INHOUD)
        return b"" if inflater.unconsumed_tail else data
    except zlib.error:
        return b""


def authorised(header: Optional[str], secret: str) -> bool:
    """True when the Authorization header carries exactly the shared secret."""
    if not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(header[len("Bearer ") :].encode(), secret.encode())


def maak_app(secret: str, actions_module: str = "actions.intake") -> Sanic:
    if not secret:
        raise ValueError(f"{TOKEN_ENV} is leeg: zonder gedeeld geheim start de actieserver niet")
    app = create_app(actions_module, cors_origins=None)

    @app.on_request
    async def alleen_rasa(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        if not authorised(request.headers.get("Authorization"), secret):
            logger.warning("actieserver: aanroep zonder geldig geheim geweigerd (%s %s)", request.method, request.path)
            return response.json({"error": "niet toegestaan"}, status=401)
        if request.path == "/webhook" and not geldige_aanroep(request):
            return response.json({"error": "ongeldige aanroep"}, status=400)
        return None

    async def fout(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("actieserver: fout bij %s: %s", request.path, type(exception).__name__)
        return response.json({"error": "interne fout"}, status=500)

    app.error_handler.add(Exception, fout)

    @app.after_server_start
    async def start_verzenden(app: Sanic, _loop: object) -> None:
        app.add_task(verstuur_uitgaand(float(os.environ.get(INTERVAL_ENV, "5"))))

    return app


def _verstuur_een_keer() -> int:
    from .intake.context import store, uitgaand

    wachtrij = uitgaand()
    if not wachtrij.wachtend():
        return 0
    return wachtrij.verstuur(store())


async def verstuur_uitgaand(interval: float) -> None:
    """Every `interval` seconds, store the drafts that wait for the database."""
    loop = asyncio.get_running_loop()
    while True:
        try:
            n = await loop.run_in_executor(None, _verstuur_een_keer)
            if n:
                logger.info("actieserver: %d wachtend(e) concept(en) alsnog opgeslagen", n)
        except Exception as exc:  # the database is still down; try again later
            logger.warning("actieserver: wachtende concepten nog niet opgeslagen (%s)", type(exc).__name__)
        await asyncio.sleep(interval)


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description="De actieserver van de intake-assistent")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions.intake")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    secret = os.environ.get(TOKEN_ENV, "")
    if not secret:
        sys.exit(f"{TOKEN_ENV} ontbreekt: zet het gedeelde geheim dat Rasa ook gebruikt (bot/endpoints.yml).")
    host = os.environ.get(HOST_ENV, "127.0.0.1")
    app = maak_app(secret, args.actions)
    logger.info("actieserver luistert op http://%s:%s", host, args.port)
    app.run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
