"""Figures for the team overview: drafts per week, gemeente, product cell and advies, and the time
from submission to decision. Computed in the database; only drafts the user may see count."""

from __future__ import annotations

from collections import Counter
from datetime import timezone
from statistics import median
from typing import Any, Dict, List, Tuple

from sqlalchemy import and_, func, select

from ..store import DraftStore
from ..store.accounts import Gebruiker
from ..store.schema import audit_log, drafts


def _balken(rows: List[Tuple[str, int]]) -> List[Dict[str, Any]]:
    top = max((n for _, n in rows), default=0) or 1
    return [{"label": label, "aantal": n, "procent": round(100 * n / top)} for label, n in rows]


def overzicht_data(store: DraftStore, gebruiker: Gebruiker) -> Dict[str, Any]:
    zicht = gebruiker.zichtbare_gemeenten()
    where = drafts.c.gemeente.in_(zicht) if zicht is not None else None

    def grouped(column: Any) -> List[Tuple[str, int]]:
        q = select(column, func.count()).group_by(column).order_by(func.count().desc())
        if where is not None:
            q = q.where(where)
        with store.engine.connect() as conn:
            return [(str(k) if k is not None else "onbekend", n) for k, n in conn.execute(q)]

    q = select(drafts.c.created_at)
    if where is not None:
        q = q.where(where)
    with store.engine.connect() as conn:
        weeks = Counter()
        for (created,) in conn.execute(q):
            year, week, _ = created.isocalendar()
            weeks[f"{year}-W{week:02d}"] += 1
        decided = (
            select(drafts.c.created_at, func.min(audit_log.c.tijd))
            .join(
                audit_log,
                and_(audit_log.c.draft_id == drafts.c.id, audit_log.c.actie.in_(("goedgekeurd", "afgewezen"))),
            )
            .group_by(drafts.c.id, drafts.c.created_at)
        )
        if where is not None:
            decided = decided.where(where)
        hours = []
        for created, tijd in conn.execute(decided):
            c = created if created.tzinfo else created.replace(tzinfo=timezone.utc)
            t = tijd if tijd.tzinfo else tijd.replace(tzinfo=timezone.utc)
            hours.append((t - c).total_seconds() / 3600)
    return {
        "per_week": _balken(sorted(weeks.items())[-12:]),
        "per_gemeente": _balken(grouped(drafts.c.gemeente)),
        "per_product": _balken(grouped(drafts.c.product_code)),
        "per_advies": _balken(grouped(drafts.c.advies)),
        "beslistijd": {
            "aantal": len(hours),
            "mediaan_uur": round(median(hours), 1) if hours else None,
            "max_uur": round(max(hours), 1) if hours else None,
        },
    }
