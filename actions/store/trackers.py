"""Rasa's conversation table (`events`, written by Rasa's SQL tracker store) seen from the project.

Rasa owns the table and creates it; the project only deletes from it: one conversation on request,
and conversations silent for longer than the retention period.
"""

from __future__ import annotations

import time
from typing import Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, func, inspect, select
from sqlalchemy.engine import Engine

DEFAULT_URL = "sqlite:///var/lekstroom.db"

_metadata = MetaData()
events = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("timestamp", Float),
)


def _has_events(engine: Engine) -> bool:
    return inspect(engine).has_table("events")


def verwijder_gesprek(engine: Engine, conversation_id: str) -> int:
    """Delete every stored event of one conversation; return how many were deleted."""
    if not _has_events(engine):
        return 0
    with engine.begin() as conn:
        return conn.execute(delete(events).where(events.c.sender_id == conversation_id)).rowcount or 0


def verwijder_stille_gesprekken(engine: Engine, older_than_days: int, now: Optional[float] = None) -> int:
    """Delete conversations whose last event is older than the retention period; return how many."""
    if not _has_events(engine):
        return 0
    cutoff = (now or time.time()) - older_than_days * 86400
    with engine.begin() as conn:
        stil = (
            select(events.c.sender_id).group_by(events.c.sender_id).having(func.max(events.c.timestamp) < cutoff)
        ).subquery()
        senders = conn.execute(select(stil.c.sender_id)).scalars().all()
        if senders:
            conn.execute(delete(events).where(events.c.sender_id.in_(senders)))
        return len(senders)
