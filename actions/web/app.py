"""The project's web app (port 8000): the web chat at /, consultant review pages under /review,
the JSON API under /api, and /health. An aiohttp application factory: settings in `config.py`, every
route in `routes.py`; handlers (chat.py, views.py, api.py) are thin and call `ReviewService`.

Run: `python -m actions.web` (scripts/run.sh does); settings come from the environment via `Config.from_env`.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import AsyncIterator, Awaitable, Callable, Optional

import aiohttp
from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..classificatie.inzet import load_inzet
from ..review import ReviewService
from ..store import DraftStore
from ..store.accounts import AccountStore
from .config import (
    ACCOUNTS,
    CONFIG,
    INLOG_POOL,
    INZET,
    JINJA,
    LIMIETEN,
    POLICY,
    RASA_CLIENT,
    REVIEW,
    STORE,
    WEB,
    Config,
)
from .limieten import Limieten, RedisTeller, teller_uit
from .routes import setup_routes
from .tekens import zichtbaar
from .views import auth_middleware, render

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Paths another site may embed in an iframe (the sites in Config.chat_frame_ancestors); all others: none.
INSLUITBAAR = frozenset({"/"})


def csp(frame_ancestors: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        f"font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )


# Friendly Dutch text for error responses that would otherwise carry aiohttp's English default body.
FOUTTEKSTEN = {
    400: "Dit verzoek kon niet gelezen worden.",
    403: "U mag deze pagina niet bekijken.",
    404: "Deze pagina bestaat niet (meer).",
    405: "Dit kan op deze pagina niet.",
    413: "Wat u stuurde is te groot.",
    500: "Er ging bij ons iets mis. Probeer het later opnieuw.",
}


def zet_beveiligingskoppen(request: web.Request, response: web.StreamResponse) -> None:
    """The security headers, on every response: pages, JSON, redirects, errors and static files."""
    if request.path in INSLUITBAAR:
        response.headers.setdefault("Content-Security-Policy", csp(request.app[CONFIG].chat_frame_ancestors))
    else:
        response.headers.setdefault("Content-Security-Policy", csp("'none'"))
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if not request.path.startswith("/static/"):
        # everything but the static files may carry personal data (pages, API, export, the chat relay)
        response.headers.setdefault("Cache-Control", "no-store")


async def zonder_serverkop(request: web.Request, response: web.StreamResponse) -> None:
    """No software name and version in the `Server` header (aiohttp sets it just before this hook)."""
    response.headers.popall("Server", None)


def _json_pad(request: web.Request) -> bool:
    return request.path.startswith(("/api/", "/chat/")) or request.path == "/health"


def foutantwoord(request: web.Request, status: int, tekst: str) -> web.Response:
    if _json_pad(request):
        return web.json_response({"fout": tekst}, status=status)
    return render(request, "fout.html", status=status, fout=tekst)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        standaard = (exc.text or "").startswith(f"{exc.status}: ") or exc.status == 413  # aiohttp's English body
        if exc.status in FOUTTEKSTEN and standaard:
            response = foutantwoord(request, exc.status, FOUTTEKSTEN[exc.status])
            for naam in ("Allow", "Retry-After"):
                if naam in exc.headers:
                    response.headers[naam] = exc.headers[naam]
        else:
            zet_beveiligingskoppen(request, exc)
            raise
    except Exception:  # noqa: BLE001 - a bug must not show a stack trace; the log has it, without request data
        logger.exception("web.fout pad=%s", request.path)
        response = foutantwoord(request, 500, FOUTTEKSTEN[500])
    zet_beveiligingskoppen(request, response)
    return response


async def rasa_client(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client session for the chat relay, opened with the app and closed with it."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=app[CONFIG].rasa_timeout_s))
    app[RASA_CLIENT] = session
    try:
        yield
    finally:
        await session.close()


async def limiet_teller(app: web.Application) -> AsyncIterator[None]:
    """The rate limits' Redis client (when there is one) is closed with the app."""
    yield
    teller = app[LIMIETEN].teller
    if isinstance(teller, RedisTeller):
        await teller.sluit()


async def inlog_pool(app: web.Application) -> AsyncIterator[None]:
    """Two threads for scrypt: sign-ins never run the hash on the event loop, and a flood of them
    queues here instead of taking every core."""
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lekstroom-scrypt")
    app[INLOG_POOL] = pool
    try:
        yield
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def create_app(config: Optional[Config] = None) -> web.Application:
    config = config or Config.from_env()
    store = DraftStore.from_url(config.database_url)
    inzet = load_inzet(config.policy_path)  # one or more regions, see actions/classificatie/inzet.py
    app = web.Application(middlewares=[security_headers, auth_middleware], client_max_size=256 * 1024)
    app.on_response_prepare.append(zonder_serverkop)
    app[CONFIG] = config
    app[STORE] = store
    app[ACCOUNTS] = AccountStore(store.engine, token_dagen=config.token_dagen)
    app[LIMIETEN] = Limieten(config.limieten, teller_uit(config.redis_url), config.limiet_voorvoegsel)
    app[POLICY] = inzet.overzicht
    app[INZET] = inzet
    app[REVIEW] = ReviewService(store, inzet.overzicht, inzet)
    app[JINJA] = Environment(
        loader=FileSystemLoader(str(WEB / "templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=zichtbaar,  # control and bidi-override characters shown as visible marks, see tekens.py
    )
    app.cleanup_ctx.append(rasa_client)
    app.cleanup_ctx.append(inlog_pool)
    app.cleanup_ctx.append(limiet_teller)
    setup_routes(app)
    return app


def main() -> None:
    config = Config.from_env()
    web.run_app(create_app(config), host=config.host, port=config.port)
