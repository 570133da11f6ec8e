"""Figures for the team overview as the page shows them: bars per week (last 12), gemeente, product
cell and advies, and the time from submission to decision. The counting is `ReviewService.cijfers`
(only drafts the user may see); this module only shapes it for the template."""

from __future__ import annotations

from statistics import median
from typing import Any, Dict, List, Sequence, Tuple

from ..store import Cijfers


def _balken(rows: Sequence[Tuple[str, int]]) -> List[Dict[str, Any]]:
    top = max((n for _, n in rows), default=0) or 1
    return [{"label": label, "aantal": n, "procent": round(100 * n / top)} for label, n in rows]


def overzicht_data(cijfers: Cijfers) -> Dict[str, Any]:
    uren = cijfers.beslisuren
    return {
        "per_week": _balken(cijfers.per_week[-12:]),
        "per_gemeente": _balken(cijfers.per_gemeente),
        "per_product": _balken(cijfers.per_product),
        "per_advies": _balken(cijfers.per_advies),
        "beslistijd": {
            "aantal": len(uren),
            "mediaan_uur": round(median(uren), 1) if uren else None,
            "max_uur": round(max(uren), 1) if uren else None,
        },
    }
