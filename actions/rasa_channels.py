"""The assistant's own input channels (run inside the Rasa server; configured in bot/credentials.yml).

Both keep Rasa's URLs and events, and add what every way in needs:
- **size**: a message over `max_bericht` characters (default 1000, like the web chat) is refused with
  a friendly Dutch reply and never reaches Rasa, so nothing of it is stored; so is a REST body over
  16 KB or with more than 4 KB of metadata (socket.io: such metadata is dropped);
- **shape**: a body that is not a JSON object, or a sender or message of the wrong type, gets HTTP 400
  with a Dutch message (Rasa's own REST channel answered HTTP 500);
- **rate limits** per conversation and per address (`limieten` in credentials.yml, AANTAL/SECONDEN),
  counted in Redis when LEKSTROOM_REDIS_URL is set (shared by every Rasa server), else in memory; a
  refused REST request gets HTTP 429 with Retry-After. The address is the peer, or the inwoner's address
  in X-Forwarded-For when the peer is a trusted proxy (`vertrouwde_proxies`, default the loopback
  addresses: the web chat's relay, the load balancer). A local caller without such a header (the test
  suite, the benchmark, an administrator's curl) is not limited;
- **no inwoner text in the logs**: failures are logged with the exception's type only.

socket.io: **the server issues the session id** (random, signed with the key of actions/web/geheim.py)
and binds it to the socket. A `session_request` with an id the server did not sign, or with an id that
another connected socket holds, gets a new id; a message is always handled under the id bound to its
socket, never under the `session_id` the client puts in it. Also fixes Rasa 3.6's socket.io custom
payloads (sent like the REST channel does: `{"custom": {...}}`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import uuid
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, FrozenSet, Optional, Tuple

from rasa.core.channels import socketio as rasa_socketio
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from . import rasa_patches  # noqa: F401  (faster action-result validation)
from .web.geheim import geheim_uit_bestand
from .web.limieten import Limieten, Regel, adres_van, teller_uit, wacht_tekst

logger = logging.getLogger(__name__)

MAX_BERICHT = 1000
MAX_SENDER = 128  # the drafts table's conversation_id
MAX_METADATA = 4096  # characters of metadata JSON (kept in the tracker): more is refused (REST) or dropped (socket.io)
MAX_BODY = 16 * 1024  # bytes of a REST body: a message of 1000 characters with metadata fits easily
LOKAAL = frozenset({"127.0.0.1", "::1"})
STANDAARD_LIMIETEN = {"per_gesprek": "30/60", "per_adres": "300/60"}

TE_LANG = "Uw bericht is te lang. Gebruik maximaal {max} tekens. Wilt u het korter opschrijven?"
TE_VAAK = "U stuurt veel berichten snel achter elkaar. Wacht even: u kunt {wanneer} verder."
TE_GROOT = "Uw bericht is te lang of te groot. Gebruik maximaal 1000 tekens. Wilt u het korter opschrijven?"
STORING = (
    "Er ging iets mis aan onze kant. Uw bericht is niet kwijt: stuur het over een minuut nog eens. "
    "Lukt het dan nog niet? Bel het sociaal team van uw gemeente."
)
ONLEESBAAR = "Het bericht kon niet gelezen worden. Stuur een JSON-object met 'sender' en 'message'."


class Poort:
    """What both channels check before a message reaches Rasa: size and rate."""

    def __init__(self, credentials: Optional[Dict[str, Any]], kanaal: str) -> None:
        c = credentials or {}
        self.max_bericht = int(c.get("max_bericht", MAX_BERICHT))
        regels = {**STANDAARD_LIMIETEN, **(c.get("limieten") or {})}
        self.limieten = Limieten(
            {naam: Regel.uit_tekst(tekst) for naam, tekst in regels.items()},
            teller_uit(os.environ.get("LEKSTROOM_REDIS_URL") or None),
            f"lekstroom:limiet:{kanaal}",
        )
        self.vertrouwd: FrozenSet[str] = frozenset(c.get("vertrouwde_proxies", sorted(LOKAAL)))

    def adres(self, peer: Optional[str], doorgestuurd: Optional[str]) -> Optional[str]:
        """The address to limit, or None for a local caller: no proxy speaks for someone else (also when
        every hop, e.g. the benchmark through the load balancer, is this machine)."""
        if peer in LOKAAL and not doorgestuurd:
            return None
        adres = adres_van(peer, doorgestuurd, self.vertrouwd)
        return None if adres in LOKAAL else adres

    async def wacht(self, adres: Optional[str], gesprek: str) -> Optional[int]:
        """Seconds to wait when a limit is used up, else None (and the message is counted). A local
        caller that no proxy speaks for (adres None) is not limited."""
        if adres is None:
            return None
        wacht = await self.limieten.raak("per_adres", adres)
        if wacht is not None:
            return wacht
        return await self.limieten.raak("per_gesprek", gesprek)

    def te_lang(self, tekst: str) -> bool:
        return len(tekst) > self.max_bericht


def _log_fout(waar: str, exc: BaseException) -> None:
    """An error without the inwoner's words: only the exception's type and where it was raised."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    plek = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else "?"
    logger.error("%s soort=%s plek=%s", waar, type(exc).__name__, plek)


def lees_rest(ruw: bytes) -> Tuple[Optional[str], Optional[str], Optional[Dict[str, Any]], Optional[str]]:
    """(sender, message, metadata, None) or (None, None, None, reason)."""
    if len(ruw or b"") > MAX_BODY:
        return None, None, None, "te groot"
    try:
        body = json.loads(ruw or b"")
    except (ValueError, UnicodeDecodeError):
        return None, None, None, "geen JSON"
    if not isinstance(body, dict):
        return None, None, None, "geen JSON-object"
    sender, message, metadata = body.get("sender"), body.get("message"), body.get("metadata")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER:
        return None, None, None, "sender"
    if not isinstance(message, str):
        return None, None, None, "message"
    if metadata is not None and (not isinstance(metadata, dict) or len(json.dumps(metadata)) > MAX_METADATA):
        return None, None, None, "metadata"
    return sender, message, metadata, None


class LekstroomRestInput(RestInput):
    """Rasa's REST channel (same URL: /webhooks/rest/webhook) with size, shape and rate checks."""

    def __init__(self, poort: Optional[Poort] = None) -> None:
        self.poort = poort or Poort(None, "rest")

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        return cls(Poort(credentials, "rest"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender, text, metadata, fout = lees_rest(request.body)
            if fout == "te groot":
                return response.json([{"text": TE_GROOT}], status=413)  # the shape of a reply: a list of messages
            if fout is not None or sender is None or text is None:
                return response.json({"fout": ONLEESBAAR}, status=400)
            if self.poort.te_lang(text):
                tekst = TE_LANG.format(max=self.poort.max_bericht)
                return response.json([{"recipient_id": sender, "text": tekst}], status=413)
            adres = self.poort.adres(request.ip, request.headers.get("x-forwarded-for"))
            wacht = await self.poort.wacht(adres, sender)
            if wacht is not None:
                tekst = TE_VAAK.format(wanneer=wacht_tekst(wacht))
                return response.json(
                    [{"recipient_id": sender, "text": tekst}], status=429, headers={"Retry-After": str(wacht)}
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except CancelledError:
                logger.error("rest.bericht.timeout")
            except Exception as exc:  # noqa: BLE001 - logged without the text; the client gets what was said
                _log_fout("rest.bericht.fout", exc)
            if not collector.messages:
                # Every message gets an answer; none means a part is down (the action server, the
                # database). 503 tells the web chat to keep the message and send it again.
                return response.json(
                    [{"recipient_id": sender, "text": STORING}], status=503, headers={"Retry-After": "5"}
                )
            return response.json(collector.messages)

        return webhook


class LekstroomSocketIOOutput(rasa_socketio.SocketIOOutput):
    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


def _teken(geheim: str, sessie: str) -> str:
    return hmac.new(geheim.encode(), sessie.encode(), hashlib.sha256).hexdigest()[:32]


class Sessies:
    """The socket.io session ids this server issued, and which socket holds each."""

    def __init__(self, geheim: str) -> None:
        self.geheim = geheim
        self.van_socket: Dict[str, str] = {}  # sid -> session id
        self.houder: Dict[str, str] = {}  # session id -> sid

    def nieuw(self) -> str:
        sessie = uuid.uuid4().hex + secrets.token_hex(8)
        return f"{sessie}{_teken(self.geheim, sessie)}"

    def echt(self, sessie: Any) -> bool:
        if not isinstance(sessie, str) or len(sessie) != 80 or not sessie.isascii():
            return False
        return hmac.compare_digest(sessie[48:], _teken(self.geheim, sessie[:48]))

    def koppel(self, sid: str, gevraagd: Any) -> str:
        """The id this socket gets: the one asked for when the server issued it and no other socket
        holds it (a reconnect), else a new one."""
        vorige = self.van_socket.get(sid)
        if vorige is not None and gevraagd == vorige:
            return vorige
        vrij = self.echt(gevraagd) and self.houder.get(gevraagd) in (None, sid)
        sessie = str(gevraagd) if vrij else self.nieuw()
        self.los(sid)
        self.van_socket[sid] = sessie
        self.houder[sessie] = sid
        return sessie

    def los(self, sid: str) -> None:
        sessie = self.van_socket.pop(sid, None)
        if sessie is not None and self.houder.get(sessie) == sid:
            del self.houder[sessie]


class LekstroomSocketIOInput(rasa_socketio.SocketIOInput):
    """Rasa's socket.io channel (same events and path) with server-issued session ids bound to the
    socket, size and rate checks, and the fixed output for custom payloads."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        kanaal = cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
        )
        kanaal.poort = Poort(credentials, "socketio")
        return kanaal

    poort: Poort = Poort(None, "socketio")

    def get_output_channel(self) -> LekstroomSocketIOOutput | None:  # type: ignore[override]
        if self.sio is None:
            return None
        return LekstroomSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = rasa_socketio.SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        sessies = Sessies(os.environ.get("LEKSTROOM_WEB_GEHEIM") or geheim_uit_bestand())
        adressen: Dict[str, Optional[str]] = {}
        ns = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=ns)
        async def connect(sid: str, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if self.jwt_key:
                token = auth.get("token") if isinstance(auth, dict) else None
                if not token or not decode_bearer_token(token, self.jwt_key, self.jwt_algorithm):
                    return False
            request = environ.get("sanic.request")
            peer = getattr(request, "ip", None)
            doorgestuurd = request.headers.get("x-forwarded-for") if request is not None else None
            adressen[sid] = self.poort.adres(peer, doorgestuurd)
            return True

        @sio.on("disconnect", namespace=ns)
        async def disconnect(sid: str) -> None:
            adressen.pop(sid, None)
            sessies.los(sid)  # socket.io itself takes the socket out of its rooms

        @sio.on("session_request", namespace=ns)
        async def session_request(sid: str, data: Any) -> None:
            gevraagd = data.get("session_id") if isinstance(data, dict) else None
            vorige = sessies.van_socket.get(sid)
            sessie = sessies.koppel(sid, gevraagd)
            if self.session_persistence:
                if vorige is not None and vorige != sessie:
                    sio.leave_room(sid, vorige, namespace=ns)
                sio.enter_room(sid, sessie, namespace=ns)
            await sio.emit("session_confirm", sessie, room=sid, namespace=ns)

        async def zeg(sid: str, tekst: str) -> None:
            await sio.emit(self.bot_message_evt, {"text": tekst}, room=sid, namespace=ns)

        @sio.on(self.user_message_evt, namespace=ns)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                await zeg(sid, "Het bericht kon niet gelezen worden.")
                return
            if self.session_persistence:
                sessie = sessies.van_socket.get(sid)
                if sessie is None:  # no session_request first: nothing to bind the message to
                    await zeg(sid, "Er is nog geen gesprek. Laad de pagina opnieuw.")
                    return
            else:
                sessie = sid
            text: str = data.get("message", "")
            if self.poort.te_lang(text):
                await zeg(sid, TE_LANG.format(max=self.poort.max_bericht))
                return
            wacht = await self.poort.wacht(adressen.get(sid), sessie)
            if wacht is not None:
                await zeg(sid, TE_VAAK.format(wanneer=wacht_tekst(wacht)))
                return
            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict) or len(json.dumps(metadata)) > MAX_METADATA:
                metadata = {}
            output = LekstroomSocketIOOutput(sio, self.bot_message_evt)
            try:
                await on_new_message(UserMessage(text, output, sessie, input_channel=self.name(), metadata=metadata))
            except Exception as exc:  # noqa: BLE001 - logged without the text
                _log_fout("socketio.bericht.fout", exc)

        return webhook


# SocketIOInput.blueprint of other code builds its output channel from this module global; point it at ours.
rasa_socketio.SocketIOOutput = LekstroomSocketIOOutput  # type: ignore[misc]
