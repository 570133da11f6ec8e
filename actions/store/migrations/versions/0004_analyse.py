"""Analysis: conversation events as codes and counts, and the consultants' agreement per fact.

Revision ID: 0004_analyse
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_analyse"
down_revision = "0003"
branch_labels = None
depends_on = None

REDENEN = ("waarom", "stoppen", "opnieuw", "mens", "wissen", "corrigeren", "gevaar")


def upgrade() -> None:
    op.create_table(
        "analyse_gesprek",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("nr", sa.Integer, nullable=False),
        sa.Column("gemeente", sa.String(64)),
        sa.Column("gestart", sa.DateTime(timezone=True), nullable=False),
        sa.Column("laatste", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uitkomst", sa.String(32)),
        sa.Column("duur_s", sa.Float),
        sa.Column("wacht", sa.String(32)),
        sa.Column("open_stap", sa.String(64)),
        sa.Column("open_gebied", sa.String(64)),
        sa.Column("open_sinds", sa.DateTime(timezone=True)),
        sa.Column("laatste_knop", sa.Boolean, nullable=False),
        sa.Column("twijfel_open", sa.Boolean, nullable=False),
        sa.Column("berichten", sa.Integer, nullable=False),
        sa.UniqueConstraint("conversation_id", "nr", name="uq_analyse_gesprek_nr"),
    )
    op.create_index("ix_analyse_gesprek_gestart", "analyse_gesprek", ["gestart", "gemeente"])
    op.create_table(
        "analyse_vraag",
        sa.Column("gesprek_id", sa.Integer, sa.ForeignKey("analyse_gesprek.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("stap", sa.String(64), primary_key=True),
        sa.Column("bereikt", sa.Boolean, nullable=False),
        sa.Column("gevraagd", sa.Integer, nullable=False),
        sa.Column("beantwoord", sa.Boolean, nullable=False),
        sa.Column("knop", sa.Boolean, nullable=False),
        sa.Column("niet_begrepen", sa.Integer, nullable=False),
        sa.Column("pogingen_stand", sa.Integer, nullable=False),
        sa.Column("opnieuw", sa.Integer, nullable=False),
        sa.Column("seconden", sa.Float, nullable=False),
        *(sa.Column(f"ob_{r}", sa.Integer, nullable=False) for r in REDENEN),
    )
    op.create_table(
        "analyse_teller",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dag", sa.Date, nullable=False),
        sa.Column("gemeente", sa.String(64)),
        sa.Column("stap", sa.String(64)),
        sa.Column("maat", sa.String(40), nullable=False),
        sa.Column("aantal", sa.Integer, nullable=False),
    )
    op.create_index("ix_analyse_teller_dag", "analyse_teller", ["dag", "gemeente"])
    op.create_table(
        "analyse_feiten_assistent",
        sa.Column("draft_id", sa.String(36), primary_key=True),
        sa.Column("feiten", sa.JSON, nullable=False),
    )
    op.create_table(
        "analyse_besluit_feit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("draft_id", sa.String(36), nullable=False),
        sa.Column("besloten", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gemeente", sa.String(64)),
        sa.Column("besluit", sa.String(16), nullable=False),
        sa.Column("feit", sa.String(32), nullable=False),
        sa.Column("gelijk", sa.Boolean, nullable=False),
    )
    op.create_index("ix_analyse_besluit_feit_draft_id", "analyse_besluit_feit", ["draft_id"])
    op.create_index("ix_analyse_besluit_feit_besloten", "analyse_besluit_feit", ["besloten", "gemeente"])


def downgrade() -> None:
    op.drop_table("analyse_besluit_feit")
    op.drop_table("analyse_feiten_assistent")
    op.drop_table("analyse_teller")
    op.drop_table("analyse_vraag")
    op.drop_table("analyse_gesprek")
