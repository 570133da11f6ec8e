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
    text,
)

metadata = MetaData()

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("conversation_id", String(128), nullable=False),
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
    Column("intake", JSON),  # the Intake the draft was classified from, for re-classification
    Column("vorige_id", String(36)),  # the earlier, already handled draft of the same conversation
    Index("ix_drafts_wachtrij", "urgent", "created_at"),
    Index("ix_drafts_conversation", "conversation_id"),
    # At most one draft per conversation that the assistant may still update: the one nobody has
    # taken up yet. Once a consultant handles it, a new intake becomes a new draft.
    Index(
        "uq_drafts_open_per_conversation",
        "conversation_id",
        unique=True,
        sqlite_where=text("status = 'nieuw'"),
        postgresql_where=text("status = 'nieuw'"),
    ),
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

gebruikers = Table(
    "gebruikers",
    metadata,
    Column("naam", String(64), primary_key=True),
    Column("rol", String(16), nullable=False),
    Column("gemeenten", JSON, nullable=False),
    Column("wachtwoord_hash", String(255), nullable=False),
    Column("mislukte_pogingen", Integer, nullable=False, default=0),
    Column("geblokkeerd_tot", DateTime(timezone=True)),
    Column("aangemaakt", DateTime(timezone=True), nullable=False),
)

sessies = Table(
    "sessies",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("gebruiker", String(64), ForeignKey("gebruikers.naam", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("verloopt", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("gebruiker", String(64), ForeignKey("gebruikers.naam", ondelete="CASCADE"), nullable=False),
    Column("omschrijving", String(128), nullable=False),
    Column("aangemaakt", DateTime(timezone=True), nullable=False),
)
