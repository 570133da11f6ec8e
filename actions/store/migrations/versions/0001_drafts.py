"""Drafts, signals, transcripts and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("conversation_id", sa.String(128), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("gemeente", sa.String(64)),
        sa.Column("advies", sa.String(32), nullable=False),
        sa.Column("product_code", sa.String(32)),
        sa.Column("toegewezen_aan", sa.String(64)),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_drafts_wachtrij", "drafts", ["urgent", "created_at"])
    op.create_index("ix_drafts_gemeente_status", "drafts", ["gemeente", "status"])
    op.create_index("ix_drafts_advies", "drafts", ["advies"])
    op.create_table(
        "draft_signalen",
        sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("waarde", sa.String(64), primary_key=True),
    )
    op.create_index("ix_draft_signalen_code", "draft_signalen", ["code", "waarde"])
    op.create_table(
        "transcripts",
        sa.Column("draft_id", sa.String(36), sa.ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("berichten", sa.JSON, nullable=False),
    )
    op.create_index("ix_transcripts_created_at", "transcripts", ["created_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(36)),
        sa.Column("tijd", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wie", sa.String(64), nullable=False),
        sa.Column("actie", sa.String(32), nullable=False),
        sa.Column("wijzigingen", sa.JSON, nullable=False),
        sa.Column("waarom", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_draft_id", "audit_log", ["draft_id"])


def downgrade() -> None:
    op.drop_table("audit_log")
    op.drop_table("transcripts")
    op.drop_table("draft_signalen")
    op.drop_table("drafts")
