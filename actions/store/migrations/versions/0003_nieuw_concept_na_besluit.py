"""A decided draft is never overwritten: a new intake after a decision becomes a new, linked draft.

Replaces the unique conversation_id with a partial unique index over the drafts still `nieuw`, and
adds `vorige_id`, the earlier draft of the same conversation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'nieuw'")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_constraint("drafts_conversation_id_key", "drafts", type_="unique")
        op.add_column("drafts", sa.Column("vorige_id", sa.String(36)))
    else:
        # SQLite: the unique column constraint has no name; batch mode recreates the table without it.
        naming = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
        with op.batch_alter_table("drafts", naming_convention=naming, recreate="always") as batch:
            batch.drop_constraint("uq_drafts_conversation_id", type_="unique")
            batch.add_column(sa.Column("vorige_id", sa.String(36)))
    op.create_index("ix_drafts_conversation", "drafts", ["conversation_id"])
    op.create_index(
        "uq_drafts_open_per_conversation",
        "drafts",
        ["conversation_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_drafts_open_per_conversation", "drafts")
    op.drop_index("ix_drafts_conversation", "drafts")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("vorige_id")
        batch.create_unique_constraint("uq_drafts_conversation_id", ["conversation_id"])
