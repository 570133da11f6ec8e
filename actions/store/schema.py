"""Database tables of the draft queue (SQLAlchemy Core). Alembic migrations create them.

One row per conversation in `drafts` (the filterable columns plus the whole draft as JSON),
its transcript in `transcripts` (so retention can remove transcripts alone), one row per signal in
`draft_signalen` (for fast filtering), and the append-only `audit_log`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("conversation_id", String(128), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("status", String(20), nullable=False),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("gemeente", String(64)),
    Column("advies", String(32), nullable=False),
    Column("product_code", String(32)),
    Column("toegewezen_aan", String(64)),
    Column("versie", Integer, nullable=False, default=1),
    Column("data", JSON, nullable=False),
    Index("ix_drafts_wachtrij", "urgent", "created_at"),
    Index("ix_drafts_gemeente_status", "gemeente", "status"),
    Index("ix_drafts_advies", "advies"),
)

draft_signalen = Table(
    "draft_signalen",
    metadata,
    Column("draft_id", String(36), ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("waarde", String(64), primary_key=True, default=""),
    Index("ix_draft_signalen_code", "code", "waarde"),
)

transcripts = Table(
    "transcripts",
    metadata,
    Column("draft_id", String(36), ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("berichten", JSON, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", String(36), index=True),
    Column("tijd", DateTime(timezone=True), nullable=False),
    Column("wie", String(64), nullable=False),
    Column("actie", String(32), nullable=False),
    Column("wijzigingen", JSON, nullable=False),
    Column("waarom", Text, nullable=False, default=""),
)
