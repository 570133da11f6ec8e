"""Rasa's lock store: Redis when `LEKSTROOM_REDIS_URL` is set, in memory otherwise.

Rasa handles the messages of one conversation one at a time by taking a lock per conversation. With
one Rasa server the lock can live in memory; with several behind a load balancer it must be shared,
and Rasa's own Redis lock store does that. Configured in bot/endpoints.yml as a factory, so one file
serves both set-ups (Rasa wants a class there; creating one gives the store that fits).
"""

from __future__ import annotations

import os
from typing import Any

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from sqlalchemy.engine import make_url

REDIS_ENV = "LEKSTROOM_REDIS_URL"


def kies_lock_store() -> LockStore:
    url = os.environ.get(REDIS_ENV, "").strip()
    if not url:
        return InMemoryLockStore()
    parsed = make_url(url)
    return RedisLockStore(
        host=parsed.host or "localhost",
        port=parsed.port or 6379,
        db=int(parsed.database or 0),
        password=parsed.password,
        key_prefix="lekstroom",
    )


class LekstroomLockStore(LockStore):
    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        return kies_lock_store()
