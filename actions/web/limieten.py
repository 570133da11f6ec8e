"""Rate limits for every way in: the web app (sign-in, chat relay, API) and Rasa's channels.

A rule (`Regel`) allows `aantal` hits per window of `seconden`, counted per key (an address, a
conversation, an account+address). Windows are fixed: the first hit opens one, and it closes
`seconden` later; a refused request is told how long is left (HTTP 429 with Retry-After).

The counts live in Redis when `LEKSTROOM_REDIS_URL` is set, so several web apps and Rasa servers
share them, and in memory otherwise (one process). Keys are SHA-256 hashes, so Redis never holds an
address or an account name. When Redis cannot be reached the request is let through and a warning is
logged: a limit must never take the product down.

Why not the `limits` package: its current releases need `packaging>=21`, which Rasa 3.6 forbids
(it pins `packaging<21`), and its async Redis storage needs `coredis`. This module uses the Redis
client Rasa already brings (`redis.asyncio`, pinned in requirements.lock).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Protocol, Tuple

import redis.asyncio as aioredis  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Regel:
    aantal: int
    seconden: int

    @classmethod
    def uit_tekst(cls, tekst: str) -> Regel:
        """'30/60' is 30 per 60 seconds."""
        try:
            aantal, seconden = (int(deel) for deel in str(tekst).split("/"))
        except ValueError:
            raise ValueError(f"Limiet '{tekst}' is ongeldig: schrijf AANTAL/SECONDEN, bijvoorbeeld 30/60.") from None
        if aantal < 1 or seconden < 1:
            raise ValueError(f"Limiet '{tekst}' is ongeldig: aantal en seconden moeten minstens 1 zijn.")
        return cls(aantal, seconden)

    def __str__(self) -> str:
        return f"{self.aantal} per {self.seconden} s"


class Teller(Protocol):
    async def tel(self, sleutel: str, seconden: int, erbij: int) -> Tuple[int, int]:
        """Add `erbij` to the count of the window of `sleutel`; (count now, seconds left in the window)."""

    async def wis(self, sleutel: str) -> None:
        """Forget the count of `sleutel`."""


class GeheugenTeller:
    """Counts in this process only (the default without Redis)."""

    MAX_SLEUTELS = 100_000

    def __init__(self) -> None:
        self._vakken: Dict[str, Tuple[int, float]] = {}

    async def tel(self, sleutel: str, seconden: int, erbij: int) -> Tuple[int, int]:
        nu = time.monotonic()
        aantal, eind = self._vakken.get(sleutel, (0, 0.0))
        if eind <= nu:
            aantal, eind = 0, nu + seconden
        aantal += erbij
        self._vakken[sleutel] = (aantal, eind)
        if len(self._vakken) > self.MAX_SLEUTELS:
            self._vakken = {k: v for k, v in self._vakken.items() if v[1] > nu}
        return aantal, max(1, math.ceil(eind - nu))

    async def wis(self, sleutel: str) -> None:
        self._vakken.pop(sleutel, None)


class RedisTeller:
    """Counts in Redis, shared by every process that uses the same Redis (LEKSTROOM_REDIS_URL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._clients: Dict[int, object] = {}  # one client per event loop: its connections belong to that loop

    def _client(self) -> object:
        loop = id(asyncio.get_running_loop())
        if loop not in self._clients:
            self._clients[loop] = aioredis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
        return self._clients[loop]

    async def sluit(self) -> None:
        """Close this event loop's client (the web app does when it stops)."""
        client = self._clients.pop(id(asyncio.get_running_loop()), None)
        if client is not None:
            await client.close()  # type: ignore[attr-defined]

    async def tel(self, sleutel: str, seconden: int, erbij: int) -> Tuple[int, int]:
        client = self._client()
        async with client.pipeline(transaction=True) as pipe:  # type: ignore[attr-defined]
            pipe.set(sleutel, 0, ex=seconden, nx=True)
            pipe.incrby(sleutel, erbij)
            pipe.ttl(sleutel)
            _, aantal, over = await pipe.execute()
        return int(aantal), max(1, int(over))

    async def wis(self, sleutel: str) -> None:
        await self._client().delete(sleutel)  # type: ignore[attr-defined]


def teller_uit(redis_url: Optional[str]) -> Teller:
    return RedisTeller(redis_url) if redis_url else GeheugenTeller()


class Limieten:
    """Named rules and one counter. `raak` counts a hit; `stand` only looks."""

    def __init__(self, regels: Mapping[str, Regel], teller: Teller, voorvoegsel: str = "lekstroom:limiet") -> None:
        self.regels = dict(regels)
        self.teller = teller
        self.voorvoegsel = voorvoegsel

    def _sleutel(self, regel: str, sleutel: str) -> str:
        return f"{self.voorvoegsel}:{regel}:{hashlib.sha256(sleutel.encode()).hexdigest()[:32]}"

    async def _tel(self, regel: str, sleutel: str, erbij: int) -> Optional[int]:
        r = self.regels[regel]
        try:
            aantal, over = await self.teller.tel(self._sleutel(regel, sleutel), r.seconden, erbij)
        except Exception as exc:  # noqa: BLE001 - Redis away: let the request through, say so in the log
            logger.warning("limiet.teller.onbereikbaar regel=%s fout=%s", regel, type(exc).__name__)
            return None
        return over if aantal > r.aantal else None

    async def raak(self, regel: str, sleutel: str) -> Optional[int]:
        """Count one hit. None: allowed; otherwise the seconds to wait (for Retry-After)."""
        return await self._tel(regel, sleutel, 1)

    async def wis(self, regel: str, sleutel: str) -> None:
        """Forget the count (a consultant who signed in after a typo starts again at zero)."""
        try:
            await self.teller.wis(self._sleutel(regel, sleutel))
        except Exception as exc:  # noqa: BLE001
            logger.warning("limiet.teller.onbereikbaar regel=%s fout=%s", regel, type(exc).__name__)

    async def stand(self, regel: str, sleutel: str) -> Optional[int]:
        """Like `raak` without counting: is the limit already used up? (failed sign-ins)."""
        r = self.regels[regel]
        try:
            aantal, over = await self.teller.tel(self._sleutel(regel, sleutel), r.seconden, 0)
        except Exception as exc:  # noqa: BLE001
            logger.warning("limiet.teller.onbereikbaar regel=%s fout=%s", regel, type(exc).__name__)
            return None
        return over if aantal >= r.aantal else None


def wacht_tekst(seconden: int) -> str:
    """'over 2 minuten' / 'over 40 seconden' in plain Dutch."""
    if seconden >= 90:
        return f"over {math.ceil(seconden / 60)} minuten"
    if seconden > 1:
        return f"over {seconden} seconden"
    return "over een paar seconden"


def adres_van(peer: Optional[str], doorgestuurd: Optional[str], vertrouwd: frozenset[str]) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy (the relay, the load
    balancer), the rightmost address in X-Forwarded-For that is not itself a trusted proxy. The header
    of anyone else is never believed."""
    adres = peer or "onbekend"
    if adres not in vertrouwd or not doorgestuurd:
        return adres
    for stap in reversed([d.strip() for d in doorgestuurd.split(",") if d.strip()]):
        adres = stap[:64]
        if adres not in vertrouwd:
            break
    return adres
