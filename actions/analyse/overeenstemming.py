"""Consultant agreement: per fact, did the consultant keep what the assistant recorded?

The facts (`FEITEN`) are codes, numbers and names from closed lists, never the inwoner's words.
`onthoud` keeps the assistant's facts of a draft at the consultant's first change (the draft as the
assistant made it); `besluit` compares them, when the consultant approves or rejects, with the
facts decided on, and writes one row per fact (`gelijk`: kept). Called by `ReviewService`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, Optional

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from ..classificatie.model import Draft
from .schema import besluit_feit, feiten_assistent

FEITEN = (
    "gemeente",
    "resultaatgebieden",
    "type",
    "prioriteit",
    "verzwarende_omstandigheden",
    "intensiteit",
    "duur",
    "product",
    "advies",
    "urgent",
)
# facts whose changes `lekstroom model correcties` turns into candidate training sentences
IN_CORRECTIES_EXPORT = ("gemeente", "resultaatgebieden", "verzwarende_omstandigheden")


def feiten_van(draft: Draft) -> Dict[str, Any]:
    gebieden = sorted(draft.resultaatgebieden, key=lambda g: g.prioriteit)
    return {
        "gemeente": draft.gemeente,
        "resultaatgebieden": sorted(g.code for g in draft.resultaatgebieden),
        "type": {g.code: g.type for g in draft.resultaatgebieden},
        "prioriteit": gebieden[0].code if gebieden else None,
        "verzwarende_omstandigheden": sorted(o.code for o in draft.verzwarende_omstandigheden),
        "intensiteit": draft.intensiteit,
        "duur": draft.duur_maanden,
        "product": draft.product.code if draft.product else None,
        "advies": draft.advies,
        "urgent": draft.urgent,
    }


def gelijk(feit: str, assistent: Dict[str, Any], besloten: Dict[str, Any]) -> bool:
    a, b = assistent.get(feit), besloten.get(feit)
    if feit == "type":
        # the type of each area both kept; when no area stayed, the types as a whole
        a, b = a or {}, b or {}
        samen = set(a) & set(b)
        return all(a[c] == b[c] for c in samen) if samen else a == b
    return bool(a == b)


class Overeenstemming:
    def __init__(self, engine: Engine):
        self.engine = engine

    def onthoud(self, draft: Draft) -> None:
        """The assistant's facts, before the consultant's first change (later changes keep them)."""
        if draft.id is None:
            return
        with self.engine.begin() as conn:
            bestaat = conn.execute(
                select(feiten_assistent.c.draft_id).where(feiten_assistent.c.draft_id == draft.id)
            ).first()
            if bestaat is None:
                conn.execute(insert(feiten_assistent).values(draft_id=draft.id, feiten=feiten_van(draft)))

    def besluit(self, draft: Draft, besluit: str, nu: Optional[datetime] = None) -> None:
        """Record, per fact, whether the decided draft kept the assistant's fact."""
        if draft.id is None:
            return
        nu = nu or datetime.now(timezone.utc)
        besloten = feiten_van(draft)
        with self.engine.begin() as conn:
            eerder = conn.execute(
                select(feiten_assistent.c.feiten).where(feiten_assistent.c.draft_id == draft.id)
            ).scalar()
            assistent = eerder if isinstance(eerder, dict) else besloten
            conn.execute(
                insert(besluit_feit),
                [
                    {
                        "draft_id": draft.id,
                        "besloten": nu,
                        "gemeente": draft.gemeente,
                        "besluit": besluit,
                        "feit": feit,
                        "gelijk": gelijk(feit, assistent, besloten),
                    }
                    for feit in FEITEN
                ],
            )
            conn.execute(delete(feiten_assistent).where(feiten_assistent.c.draft_id == draft.id))
