"""The web chat inwoners use (page at /, embed snippet at /insluiten), and its same-origin relay
to Rasa's REST channel, so the page needs no third-party or cross-origin requests.

The relay checks size and shape, forwards to LEKSTROOM_RASA_URL and answers in Dutch when Rasa is
unreachable; the page then keeps the message and retries.
"""

from __future__ import annotations

import os
import re

import aiohttp
from aiohttp import web

from .app import POLICY
from .views import render

MAX_BERICHT = 1000
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def rasa_url() -> str:
    return os.environ.get("LEKSTROOM_RASA_URL", "http://127.0.0.1:5005").rstrip("/")


async def chat_pagina(request: web.Request) -> web.Response:
    response = render(
        request, "chat.html", max_bericht=MAX_BERICHT, bewaartermijn=request.app[POLICY].privacy.bewaartermijn_dagen
    )
    # The chat may be embedded by the gemeente's own site (configured origins only).
    ancestors = os.environ.get("LEKSTROOM_CHAT_FRAME_ANCESTORS", "'self'")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        f"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )
    return response


async def insluiten(request: web.Request) -> web.Response:
    base = f"{request.scheme}://{request.host}"
    return render(request, "insluiten.html", base=base)


async def bericht(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except Exception:  # noqa: BLE001 - any malformed body gets the same friendly answer
        return web.json_response({"fout": "Het bericht kon niet gelezen worden."}, status=400)
    sender = str(body.get("sender", "")) if isinstance(body, dict) else ""
    message = body.get("message") if isinstance(body, dict) else None
    if not _SENDER.match(sender) or not isinstance(message, str) or not message.strip():
        return web.json_response({"fout": "Het bericht kon niet gelezen worden."}, status=400)
    if len(message) > MAX_BERICHT:
        return web.json_response({"fout": f"Uw bericht is te lang. Gebruik maximaal {MAX_BERICHT} tekens."}, status=413)
    try:
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.post(
                f"{rasa_url()}/webhooks/rest/webhook", json={"sender": sender, "message": message}
            ) as resp:
                if resp.status != 200:
                    raise aiohttp.ClientError(resp.status)
                return web.json_response(await resp.json())
    except (aiohttp.ClientError, TimeoutError, OSError):
        return web.json_response(
            {"fout": "De assistent is even niet bereikbaar. Uw bericht is niet verloren; we proberen het opnieuw."},
            status=503,
        )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", chat_pagina)
    app.router.add_get("/insluiten", insluiten)
    app.router.add_post("/chat/bericht", bericht)
