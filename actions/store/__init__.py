"""The draft queue store (SQLAlchemy 2.0 style on 1.4, Alembic migrations). See `drafts.py`."""

from .drafts import DEFAULT_URL, Cijfers, DraftNotFound, DraftStore, Filters, Page, VersionConflict, make_engine

__all__ = ["Cijfers", "DraftStore", "DraftNotFound", "Filters", "Page", "VersionConflict", "DEFAULT_URL", "make_engine"]
