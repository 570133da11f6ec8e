"""Settings of the web app and the typed keys under which `create_app` puts shared objects on the app.

Handlers read settings from `request.app[CONFIG]`, never from the environment; only `Config.from_env`
reads the environment. Environment variables (all optional):

LEKSTROOM_DATABASE_URL, LEKSTROOM_POLICY, LEKSTROOM_SECURE_COOKIES (default 1), LEKSTROOM_RASA_URL
(default http://127.0.0.1:5005), LEKSTROOM_CHAT_FRAME_ANCESTORS (sites that may embed the chat, default
'self'), LEKSTROOM_WEB_HOST (default 127.0.0.1), LEKSTROOM_WEB_PORT (default 8000), LEKSTROOM_REDIS_URL
(rate-limit counts shared in Redis; default: in memory), LEKSTROOM_WEB_GEHEIM (key that signs the chat's
conversation ids; default: a random key kept in var/web-geheim), LEKSTROOM_VERTROUWDE_PROXIES (comma-separated
peer addresses whose X-Forwarded-For is believed, e.g. a reverse proxy; default none), LEKSTROOM_TOKEN_DAGEN
(days an API token stays valid, default 90).
"""

from __future__ import annotations

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Mapping, Optional

import aiohttp
from aiohttp import web
from jinja2 import Environment

from ..classificatie.inzet import Inzet
from ..classificatie.policy import DEFAULT_POLICY, Policy
from ..review import ReviewService
from ..store import DEFAULT_URL, DraftStore
from ..store.accounts import TOKENDUUR_DAGEN, AccountStore
from .geheim import geheim_uit_bestand
from .limieten import Limieten, Regel

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "bot" / "web"

# Rate limits of the web app: name -> AANTAL per SECONDEN (see limieten.py and the README's Security section).
WEB_LIMIETEN: Dict[str, Regel] = {
    "inloggen_adres": Regel(20, 300),  # sign-in attempts from one address, any name
    "inloggen_account_adres": Regel(5, 900),  # failed sign-ins for one name from one address: then 429 there only
    "inloggen_account": Regel(20, 3600),  # failed sign-ins for one name from anywhere: then slowed down, never locked
    "chat_gesprek": Regel(30, 60),  # chat messages per conversation
    "chat_adres": Regel(120, 60),  # chat messages per address (all its conversations)
    "api_adres": Regel(300, 60),  # API requests per address
    "api_gebruiker": Regel(300, 60),  # API requests per account
}


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
    redis_url: Optional[str] = None
    geheim: str = ""  # empty: a random key for this process only (tests); from_env keeps one in var/
    vertrouwde_proxies: FrozenSet[str] = frozenset()
    limieten: Dict[str, Regel] = field(default_factory=lambda: dict(WEB_LIMIETEN))
    limiet_voorvoegsel: str = "lekstroom:limiet:web"
    token_dagen: int = TOKENDUUR_DAGEN
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rasa_url = self.rasa_url.rstrip("/")
        self.geheim = self.geheim or secrets.token_urlsafe(32)

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> Config:
        env = os.environ if env is None else env
        d = cls()
        port = env.get("LEKSTROOM_WEB_PORT", "")
        dagen = env.get("LEKSTROOM_TOKEN_DAGEN", "")
        proxies = env.get("LEKSTROOM_VERTROUWDE_PROXIES", "")
        return cls(
            database_url=env.get("LEKSTROOM_DATABASE_URL") or d.database_url,
            policy_path=env.get("LEKSTROOM_POLICY") or d.policy_path,
            secure_cookies=env.get("LEKSTROOM_SECURE_COOKIES", "1") != "0",
            rasa_url=env.get("LEKSTROOM_RASA_URL") or d.rasa_url,
            chat_frame_ancestors=env.get("LEKSTROOM_CHAT_FRAME_ANCESTORS") or d.chat_frame_ancestors,
            host=env.get("LEKSTROOM_WEB_HOST") or d.host,
            port=int(port) if port.isdigit() else d.port,
            redis_url=env.get("LEKSTROOM_REDIS_URL") or None,
            geheim=env.get("LEKSTROOM_WEB_GEHEIM") or geheim_uit_bestand(),
            vertrouwde_proxies=frozenset(p.strip() for p in proxies.split(",") if p.strip()),
            token_dagen=int(dagen) if dagen.isdigit() and int(dagen) > 0 else TOKENDUUR_DAGEN,
        )


# Typed application keys: what the handlers find on `request.app`.
CONFIG = web.AppKey("config", Config)
STORE = web.AppKey("store", DraftStore)
ACCOUNTS = web.AppKey("accounts", AccountStore)
POLICY = web.AppKey("policy", Policy)  # what the served regions share: all their gemeenten
INZET = web.AppKey("inzet", Inzet)  # the served policy files, one per region
REVIEW = web.AppKey("review", ReviewService)
JINJA = web.AppKey("jinja", Environment)
LIMIETEN = web.AppKey("limieten", Limieten)
INLOG_POOL = web.AppKey("inlog_pool", ThreadPoolExecutor)  # threads that run scrypt for sign-in
RASA_CLIENT = web.AppKey("rasa_client", aiohttp.ClientSession)  # one session for the chat relay, app-long
