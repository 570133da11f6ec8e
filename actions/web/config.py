"""Settings of the web app and the typed keys under which `create_app` puts shared objects on the app.

Handlers read settings from `request.app[CONFIG]`, never from the environment; only `Config.from_env`
reads the environment. Environment variables (all optional):

LEKSTROOM_DATABASE_URL, LEKSTROOM_POLICY, LEKSTROOM_SECURE_COOKIES (default 1), LEKSTROOM_RASA_URL
(default http://127.0.0.1:5005), LEKSTROOM_CHAT_FRAME_ANCESTORS (sites that may embed the chat, default
'self'), LEKSTROOM_WEB_HOST (default 127.0.0.1), LEKSTROOM_WEB_PORT (default 8000).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

import aiohttp
from aiohttp import web
from jinja2 import Environment

from ..classificatie.policy import DEFAULT_POLICY, Policy
from ..review import ReviewService
from ..store import DEFAULT_URL, DraftStore
from ..store.accounts import AccountStore

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "bot" / "web"


@dataclass
class Config:
    database_url: str = DEFAULT_URL
    policy_path: str = str(DEFAULT_POLICY)
    secure_cookies: bool = True
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_s: float = 30.0
    chat_frame_ancestors: str = "'self'"
    host: str = "127.0.0.1"
    port: int = 8000
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rasa_url = self.rasa_url.rstrip("/")

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Config:
        env = os.environ if env is None else env
        d = cls()
        port = env.get("LEKSTROOM_WEB_PORT", "")
        return cls(
            database_url=env.get("LEKSTROOM_DATABASE_URL") or d.database_url,
            policy_path=env.get("LEKSTROOM_POLICY") or d.policy_path,
            secure_cookies=env.get("LEKSTROOM_SECURE_COOKIES", "1") != "0",
            rasa_url=env.get("LEKSTROOM_RASA_URL") or d.rasa_url,
            chat_frame_ancestors=env.get("LEKSTROOM_CHAT_FRAME_ANCESTORS") or d.chat_frame_ancestors,
            host=env.get("LEKSTROOM_WEB_HOST") or d.host,
            port=int(port) if port.isdigit() else d.port,
        )


# Typed application keys: what the handlers find on `request.app`.
CONFIG = web.AppKey("config", Config)
STORE = web.AppKey("store", DraftStore)
ACCOUNTS = web.AppKey("accounts", AccountStore)
POLICY = web.AppKey("policy", Policy)
REVIEW = web.AppKey("review", ReviewService)
JINJA = web.AppKey("jinja", Environment)
RASA_CLIENT = web.AppKey("rasa_client", aiohttp.ClientSession)  # one session for the chat relay, app-long
