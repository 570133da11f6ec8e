"""Review: the intake behind each draft, consultant accounts, sessions and API tokens.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("intake", sa.JSON))
    op.create_table(
        "gebruikers",
        sa.Column("naam", sa.String(64), primary_key=True),
        sa.Column("rol", sa.String(16), nullable=False),
        sa.Column("gemeenten", sa.JSON, nullable=False),
        sa.Column("wachtwoord_hash", sa.String(255), nullable=False),
        sa.Column("mislukte_pogingen", sa.Integer, nullable=False),
        sa.Column("geblokkeerd_tot", sa.DateTime(timezone=True)),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sessies",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("gebruiker", sa.String(64), sa.ForeignKey("gebruikers.naam", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("verloopt", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("gebruiker", sa.String(64), sa.ForeignKey("gebruikers.naam", ondelete="CASCADE"), nullable=False),
        sa.Column("omschrijving", sa.String(128), nullable=False),
        sa.Column("aangemaakt", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("api_tokens")
    op.drop_table("sessies")
    op.drop_table("gebruikers")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("intake")
