"""The project's web app (port 8000): the web chat at /, consultant review pages under /review,
the JSON API under /api, and /health. An aiohttp application factory: settings in `config.py`, every
route in `routes.py`; handlers (chat.py, views.py, api.py) are thin and call `ReviewService`.

Run: `python -m actions.web` (scripts/run.sh does); settings come from the environment via `Config.from_env`.
"""

from __future__ import annotations

from typing import AsyncIterator, Awaitable, Callable, Optional

import aiohttp
from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..classificatie.policy import load_policy
from ..review import ReviewService
from ..store import DraftStore
from ..store.accounts import AccountStore
from .config import ACCOUNTS, CONFIG, JINJA, POLICY, RASA_CLIENT, REVIEW, STORE, WEB, Config
from .routes import setup_routes
from .views import auth_middleware

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Paths another site may embed in an iframe (the sites in Config.chat_frame_ancestors); all others: none.
INSLUITBAAR = frozenset({"/"})


def csp(frame_ancestors: str) -> str:
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        f"font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if request.path in INSLUITBAAR:
        response.headers.setdefault("Content-Security-Policy", csp(request.app[CONFIG].chat_frame_ancestors))
    else:
        response.headers.setdefault("Content-Security-Policy", csp("'none'"))
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


async def rasa_client(app: web.Application) -> AsyncIterator[None]:
    """One HTTP client session for the chat relay, opened with the app and closed with it."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=app[CONFIG].rasa_timeout_s))
    app[RASA_CLIENT] = session
    try:
        yield
    finally:
        await session.close()


def create_app(config: Optional[Config] = None) -> web.Application:
    config = config or Config.from_env()
    store = DraftStore.from_url(config.database_url)
    policy = load_policy(config.policy_path)
    app = web.Application(middlewares=[security_headers, auth_middleware], client_max_size=256 * 1024)
    app[CONFIG] = config
    app[STORE] = store
    app[ACCOUNTS] = AccountStore(store.engine)
    app[POLICY] = policy
    app[REVIEW] = ReviewService(store, policy)
    app[JINJA] = Environment(
        loader=FileSystemLoader(str(WEB / "templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.cleanup_ctx.append(rasa_client)
    setup_routes(app)
    return app


def main() -> None:
    config = Config.from_env()
    web.run_app(create_app(config), host=config.host, port=config.port)
