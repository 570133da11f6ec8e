"""The project's web app (port 8000): the web chat at /, consultant review pages under /review,
the JSON API under /api, and /health. An aiohttp application factory with the route table in one place; handlers
(views.py, api.py) are thin and call `ReviewService`.

Run: `python -m actions.web` (scripts/run.sh does). Configuration from the environment:
LEKSTROOM_DATABASE_URL, LEKSTROOM_POLICY, LEKSTROOM_SECURE_COOKIES (default 1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..classificatie.policy import DEFAULT_POLICY, Policy, load_policy
from ..review import ReviewService
from ..store import DEFAULT_URL, DraftStore
from ..store.accounts import AccountStore

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "bot" / "web"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@dataclass
class Config:
    database_url: str = DEFAULT_URL
    policy_path: str = str(DEFAULT_POLICY)
    secure_cookies: bool = True
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            database_url=os.environ.get("LEKSTROOM_DATABASE_URL", DEFAULT_URL),
            policy_path=os.environ.get("LEKSTROOM_POLICY", str(DEFAULT_POLICY)),
            secure_cookies=os.environ.get("LEKSTROOM_SECURE_COOKIES", "1") != "0",
        )


# Typed application keys: what the handlers find on `request.app`.
CONFIG = web.AppKey("config", Config)
STORE = web.AppKey("store", DraftStore)
ACCOUNTS = web.AppKey("accounts", AccountStore)
POLICY = web.AppKey("policy", Policy)
REVIEW = web.AppKey("review", ReviewService)
JINJA = web.AppKey("jinja", Environment)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path != "/":  # the chat page may be embedded; chat.py sets its own frame-ancestors
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


async def health(request: web.Request) -> web.Response:
    from ..nlp.modelbeheer import read_meta

    meta = read_meta()
    return web.json_response(
        {
            "status": "ok",
            "policy": {"naam": request.app[POLICY].naam, "versie": request.app[POLICY].versie},
            "model": {k: meta.get(k) for k in ("model", "data_hash", "getraind_op", "evaluatie")} if meta else None,
        }
    )


def create_app(config: Config | None = None) -> web.Application:
    from . import api, chat, views

    config = config or Config.from_env()
    store = DraftStore.from_url(config.database_url)
    policy = load_policy(config.policy_path)
    app = web.Application(middlewares=[security_headers, views.auth_middleware], client_max_size=256 * 1024)
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
    app.router.add_get("/health", health)
    views.add_routes(app)
    api.add_routes(app)
    chat.add_routes(app)
    vendor = WEB / "node_modules" / "@utrecht"
    if vendor.exists():  # before /static/, which would otherwise answer these paths with 404
        app.router.add_static("/static/vendor/utrecht/", vendor)
    app.router.add_static("/static/", WEB / "static")
    return app


def main() -> None:
    web.run_app(
        create_app(),
        host=os.environ.get("LEKSTROOM_WEB_HOST", "127.0.0.1"),
        port=int(os.environ.get("LEKSTROOM_WEB_PORT", "8000")),
    )
