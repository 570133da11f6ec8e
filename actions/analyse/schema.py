"""Tables of the analysis (SQLAlchemy Core; migration 0004_analyse creates them). Codes and counts only.

- `analyse_gesprek`: one row per intake of a conversation (a conversation that starts again after
  an end gets a second row, `nr` 2): gemeente, start, last activity, outcome, and the state the
  processor needs (the question open now and since when);
- `analyse_vraag`: per intake and step: asked, answered, by button, not understood (count),
  asked again, interruptions per reason, seconds spent;
- `analyse_teller`: anonymous counts per day, gemeente and step that stay when a conversation is
  deleted (its rows above are removed and folded in here);
- `analyse_feiten_assistent`: the facts of a draft as the assistant recorded them, kept from the
  consultant's first change until the decision;
- `analyse_besluit_feit`: per decision and fact, whether the consultant kept what the assistant recorded.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

REDENEN = ("waarom", "stoppen", "opnieuw", "mens", "wissen", "corrigeren", "gevaar")
UITKOMSTEN = ("concept", "geen_toestemming", "buiten_regio", "minderjarig", "gestopt", "verwijderd", "afgebroken")

metadata = MetaData()

gesprek = Table(
    "analyse_gesprek",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(128), nullable=False),
    Column("nr", Integer, nullable=False),
    Column("gemeente", String(64)),
    Column("gestart", DateTime(timezone=True), nullable=False),
    Column("laatste", DateTime(timezone=True), nullable=False),
    Column("uitkomst", String(32)),
    Column("duur_s", Float),
    Column("wacht", String(32)),
    Column("open_stap", String(64)),
    Column("open_gebied", String(64)),
    Column("open_sinds", DateTime(timezone=True)),
    Column("laatste_knop", Boolean, nullable=False, default=False),
    Column("twijfel_open", Boolean, nullable=False, default=False),
    Column("berichten", Integer, nullable=False, default=0),
    UniqueConstraint("conversation_id", "nr", name="uq_analyse_gesprek_nr"),
    Index("ix_analyse_gesprek_gestart", "gestart", "gemeente"),
)

ONDERBREKING_KOLOMMEN = tuple(f"ob_{r}" for r in REDENEN)

vraag = Table(
    "analyse_vraag",
    metadata,
    Column("gesprek_id", Integer, ForeignKey("analyse_gesprek.id", ondelete="CASCADE"), primary_key=True),
    Column("stap", String(64), primary_key=True),
    Column("bereikt", Boolean, nullable=False, default=False),
    Column("gevraagd", Integer, nullable=False, default=0),
    Column("beantwoord", Boolean, nullable=False, default=False),
    Column("knop", Boolean, nullable=False, default=False),
    Column("niet_begrepen", Integer, nullable=False, default=0),
    Column("pogingen_stand", Integer, nullable=False, default=0),
    Column("opnieuw", Integer, nullable=False, default=0),
    Column("seconden", Float, nullable=False, default=0.0),
    *(Column(k, Integer, nullable=False, default=0) for k in ONDERBREKING_KOLOMMEN),
)

teller = Table(
    "analyse_teller",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dag", Date, nullable=False),
    Column("gemeente", String(64)),
    Column("stap", String(64)),
    Column("maat", String(40), nullable=False),
    Column("aantal", Integer, nullable=False),
    Index("ix_analyse_teller_dag", "dag", "gemeente"),
)

feiten_assistent = Table(
    "analyse_feiten_assistent",
    metadata,
    Column("draft_id", String(36), primary_key=True),
    Column("feiten", JSON, nullable=False),
)

besluit_feit = Table(
    "analyse_besluit_feit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("draft_id", String(36), nullable=False, index=True),
    Column("besloten", DateTime(timezone=True), nullable=False),
    Column("gemeente", String(64)),
    Column("besluit", String(16), nullable=False),
    Column("feit", String(32), nullable=False),
    Column("gelijk", Boolean, nullable=False),
    Index("ix_analyse_besluit_feit_besloten", "besloten", "gemeente"),
)
