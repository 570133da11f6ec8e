"""The web chat inwoners use (page at /, embed snippet at /insluiten), and its same-origin relay
to Rasa's REST channel, so the page needs no third-party or cross-origin requests.

The relay checks size and shape, forwards to `Config.rasa_url` over the app's one HTTP client session
(opened and closed with the app, see app.py) and answers in Dutch when Rasa is unreachable; the page
then keeps the message and retries. Which sites may embed the chat is `Config.chat_frame_ancestors`;
the security headers themselves are set in one place, app.py's middleware.
"""

from __future__ import annotations

import asyncio
import re

import aiohttp
from aiohttp import web

from .config import CONFIG, POLICY, RASA_CLIENT
from .views import render

MAX_BERICHT = 1000
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


async def chat_pagina(request: web.Request) -> web.Response:
    return render(
        request, "chat.html", max_bericht=MAX_BERICHT, bewaartermijn=request.app[POLICY].privacy.bewaartermijn_dagen
    )


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
    url = f"{request.app[CONFIG].rasa_url}/webhooks/rest/webhook"
    try:
        async with request.app[RASA_CLIENT].post(url, json={"sender": sender, "message": message}) as resp:
            if resp.status != 200:
                raise aiohttp.ClientError(resp.status)
            return web.json_response(await resp.json())
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
        return web.json_response(
            {"fout": "De assistent is even niet bereikbaar. Uw bericht is niet verloren; we proberen het opnieuw."},
            status=503,
        )
