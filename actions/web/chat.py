"""The web chat inwoners use (page at /, embed snippet at /insluiten), and its same-origin relay
to Rasa's REST channel, so the page needs no third-party or cross-origin requests.

The relay checks size and shape, forwards to `Config.rasa_url` over the app's one HTTP client session
(opened and closed with the app, see app.py) and answers in Dutch when Rasa is unreachable; the page
then keeps the message and retries. Which sites may embed the chat is `Config.chat_frame_ancestors`;
the security headers themselves are set in one place, app.py's middleware.

**The relay issues the conversation id.** A message without a valid id gets a new, random one (24
random bytes); it goes back in the `X-Lekstroom-Gesprek` header as `id.signature` (HMAC-SHA256 with
`Config.geheim`), and the page sends it back as `gesprek`. An id the server did not sign, such as a
`sender` of `12345678`, is never forwarded: that message starts a conversation of its own. After
"delete everything" the relay issues a fresh id. Rate limits: per conversation and per address; the
inwoner's address goes to Rasa in X-Forwarded-For so Rasa's own limits count the inwoner, not the relay.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from typing import Any, Optional, Tuple

import aiohttp
from aiohttp import web

from .config import CONFIG, LIMIETEN, POLICY, RASA_CLIENT
from .views import client_adres, render, te_vaak

MAX_BERICHT = 1000
GESPREK_KOP = "X-Lekstroom-Gesprek"
ONLEESBAAR = "Het bericht kon niet gelezen worden."
TE_VAAK = "U stuurt veel berichten snel achter elkaar. Wacht even, dan kunt u verder."


async def chat_pagina(request: web.Request) -> web.Response:
    return render(
        request, "chat.html", max_bericht=MAX_BERICHT, bewaartermijn=request.app[POLICY].privacy.bewaartermijn_dagen
    )


async def insluiten(request: web.Request) -> web.Response:
    base = f"{request.scheme}://{request.host}"
    return render(request, "insluiten.html", base=base)


def _handtekening(geheim: str, gesprek_id: str) -> str:
    return hmac.new(geheim.encode(), gesprek_id.encode(), hashlib.sha256).hexdigest()[:32]


def teken_gesprek(geheim: str, gesprek_id: str) -> str:
    return f"{gesprek_id}.{_handtekening(geheim, gesprek_id)}"


def gesprek_van(geheim: str, token: Any) -> Optional[str]:
    """The conversation id inside a token this server issued, or None for anything else."""
    if not isinstance(token, str) or not token.isascii() or token.count(".") != 1 or len(token) > 100:
        return None
    gesprek_id, handtekening = token.split(".")
    if not gesprek_id or not hmac.compare_digest(handtekening, _handtekening(geheim, gesprek_id)):
        return None
    return gesprek_id


def nieuw_gesprek() -> str:
    return secrets.token_urlsafe(24)


def _gelezen(body: Any) -> Optional[Tuple[Any, str]]:
    if not isinstance(body, dict):
        return None
    message = body.get("message")
    if not isinstance(message, str) or not message.strip():
        return None
    return body.get("gesprek"), message


async def bericht(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    try:
        body = await request.json()
    except Exception:  # noqa: BLE001 - any malformed body gets the same friendly answer
        body = None
    gelezen = _gelezen(body)
    if gelezen is None:
        return web.json_response({"fout": ONLEESBAAR}, status=400)
    token, message = gelezen
    if len(message) > MAX_BERICHT:
        return web.json_response({"fout": f"Uw bericht is te lang. Gebruik maximaal {MAX_BERICHT} tekens."}, status=413)
    adres = client_adres(request)
    wacht = await request.app[LIMIETEN].raak("chat_adres", adres)
    gesprek_id = gesprek_van(config.geheim, token) or nieuw_gesprek()
    if wacht is None:
        wacht = await request.app[LIMIETEN].raak("chat_gesprek", gesprek_id)
    if wacht is not None:
        return te_vaak(request, wacht, TE_VAAK, json=True)
    url = f"{config.rasa_url}/webhooks/rest/webhook"
    try:
        async with request.app[RASA_CLIENT].post(
            url, json={"sender": gesprek_id, "message": message}, headers={"X-Forwarded-For": adres}
        ) as resp:
            if resp.status == 429:  # Rasa's own limit (per address or conversation): pass it on
                wacht = resp.headers.get("Retry-After", "")
                return te_vaak(request, int(wacht) if wacht.isdigit() else 60, TE_VAAK, json=True)
            if resp.status != 200:
                raise aiohttp.ClientError(resp.status)
            antwoorden = await resp.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError):
        return web.json_response(
            {"fout": "De assistent is even niet bereikbaar. Uw bericht is niet verloren; we proberen het opnieuw."},
            status=503,
            headers={GESPREK_KOP: teken_gesprek(config.geheim, gesprek_id)},
        )
    if isinstance(antwoorden, list) and any(
        isinstance(m, dict) and isinstance(m.get("custom"), dict) and m["custom"].get("gewist") for m in antwoorden
    ):
        gesprek_id = nieuw_gesprek()  # everything was deleted: the next message starts a new conversation
    return web.json_response(antwoorden, headers={GESPREK_KOP: teken_gesprek(config.geheim, gesprek_id)})
