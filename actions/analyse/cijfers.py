"""The figures of the analysis page and the API, from the tables of `schema.py`.

`funnel()`: per question (in the order of the question table) how many intakes reached it,
answered it (by button), had it not understood (how often, in how many intakes), had it asked
again, and were interrupted there (per reason); the outcomes (an intake without an outcome that has
been silent for `stilte_minuten` counts as abandoned, `afgebroken`; a more recent one is `bezig`);
median and p90 intake time of intakes that ended with a draft. Deleted conversations count through
their anonymous counts. `overeenstemming()`: per fact and per ISO week, how often a consultant kept
what the assistant recorded. Both are filtered by period, gemeente and the gemeenten the user may
see (`gemeenten=None`: all, for admins; an intake whose gemeente is not known yet only for admins).
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from statistics import median
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import and_, select
from sqlalchemy.engine import Engine

from ..intake.vraagtabel import STAPPEN
from .overeenstemming import FEITEN, IN_CORRECTIES_EXPORT
from .schema import ONDERBREKING_KOLOMMEN, REDENEN, UITKOMSTEN, besluit_feit, gesprek, teller, vraag
from .verwerker import BUITEN

STILTE_MINUTEN = 30.0  # LEKSTROOM_ANALYSE_STILTE_MINUTEN


def stilte_minuten() -> float:
    try:
        return float(os.environ.get("LEKSTROOM_ANALYSE_STILTE_MINUTEN", STILTE_MINUTEN))
    except ValueError:
        return STILTE_MINUTEN


@dataclass
class Bereik:
    """Which intakes and decisions count: a period (days, both included), a gemeente, and the scope."""

    van: Optional[date] = None
    tot: Optional[date] = None
    gemeente: Optional[str] = None
    gemeenten: Optional[Sequence[str]] = None  # None: all (admin)

    def tijdvak(self, kolom: Any) -> List[Any]:
        voorwaarden = []
        if self.van is not None:
            voorwaarden.append(kolom >= datetime.combine(self.van, time.min, tzinfo=timezone.utc))
        if self.tot is not None:
            voorwaarden.append(kolom < datetime.combine(self.tot + timedelta(days=1), time.min, tzinfo=timezone.utc))
        return voorwaarden

    def plaats(self, kolom: Any) -> List[Any]:
        voorwaarden = []
        if self.gemeenten is not None:
            voorwaarden.append(kolom.in_(list(self.gemeenten)))
        if self.gemeente is not None:
            voorwaarden.append(kolom == self.gemeente)
        return voorwaarden

    def als_dict(self) -> Dict[str, Any]:
        return {
            "van": self.van.isoformat() if self.van else None,
            "tot": self.tot.isoformat() if self.tot else None,
            "gemeente": self.gemeente,
        }


def percentiel(waarden: Sequence[float], p: float) -> Optional[float]:
    """Nearest-rank percentile (p90: the value 90% of intakes stay at or below)."""
    if not waarden:
        return None
    rij = sorted(waarden)
    return rij[max(0, math.ceil(p / 100 * len(rij)) - 1)]


def _pct(deel: int, geheel: int) -> Optional[float]:
    return round(100 * deel / geheel, 1) if geheel else None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def funnel(
    engine: Engine, bereik: Bereik, nu: Optional[datetime] = None, stilte: Optional[float] = None
) -> Dict[str, Any]:
    nu = nu or datetime.now(timezone.utc)
    stilte = stilte_minuten() if stilte is None else stilte
    grens = nu - timedelta(minutes=stilte)
    per_stap: Dict[str, Dict[str, Any]] = defaultdict(
        lambda: {
            "bereikt": 0,
            "beantwoord": 0,
            "knop": 0,
            "niet_begrepen": 0,
            "niet_begrepen_gesprek": 0,
            "opnieuw": 0,
            **{k: 0 for k in ONDERBREKING_KOLOMMEN},
            "seconden": [],
        }
    )
    uitkomsten: Dict[str, int] = {u: 0 for u in (*UITKOMSTEN, "bezig")}
    duren: List[float] = []
    gesprekken = 0
    with engine.connect() as conn:
        rows = conn.execute(
            select(gesprek.c.id, gesprek.c.uitkomst, gesprek.c.laatste, gesprek.c.duur_s).where(
                and_(True, *bereik.tijdvak(gesprek.c.gestart), *bereik.plaats(gesprek.c.gemeente))
            )
        ).all()
        ids = [r.id for r in rows]
        for r in rows:
            gesprekken += 1
            if r.uitkomst is not None:
                uitkomsten[r.uitkomst] = uitkomsten.get(r.uitkomst, 0) + 1
                if r.uitkomst == "concept" and r.duur_s is not None:
                    duren.append(float(r.duur_s))
            elif _aware(r.laatste) < grens:
                uitkomsten["afgebroken"] += 1
            else:
                uitkomsten["bezig"] += 1
        for i in range(0, len(ids), 500):
            for v in conn.execute(select(vraag).where(vraag.c.gesprek_id.in_(ids[i : i + 500]))).mappings():
                s = per_stap[v["stap"]]
                s["bereikt"] += int(bool(v["bereikt"]))
                s["beantwoord"] += int(bool(v["beantwoord"]))
                s["knop"] += int(bool(v["knop"]))
                s["niet_begrepen"] += v["niet_begrepen"]
                s["niet_begrepen_gesprek"] += int(v["niet_begrepen"] > 0)
                s["opnieuw"] += v["opnieuw"]
                for k in ONDERBREKING_KOLOMMEN:
                    s[k] += v[k]
                if v["beantwoord"]:
                    s["seconden"].append(float(v["seconden"]))
        dagen = []
        if bereik.van is not None:
            dagen.append(teller.c.dag >= bereik.van)
        if bereik.tot is not None:
            dagen.append(teller.c.dag <= bereik.tot)
        for t in conn.execute(select(teller).where(and_(True, *dagen, *bereik.plaats(teller.c.gemeente)))).mappings():
            if t["stap"] is None:
                if t["maat"] == "gesprek":
                    gesprekken += t["aantal"]
                elif t["maat"].startswith("uitkomst:"):
                    code = t["maat"].split(":", 1)[1]
                    uitkomsten[code] = uitkomsten.get(code, 0) + t["aantal"]
            elif t["maat"] in per_stap[t["stap"]]:
                per_stap[t["stap"]][t["maat"]] += t["aantal"]
    vragen = []
    for stap in [*STAPPEN, BUITEN]:
        s = per_stap.get(stap)
        if stap == BUITEN and s is None:
            continue
        s = s or per_stap[stap]
        vragen.append(
            {
                "stap": stap,
                "bereikt": s["bereikt"],
                "beantwoord": s["beantwoord"],
                "beantwoord_met_knop": s["knop"],
                "niet_begrepen": s["niet_begrepen"],
                "niet_begrepen_gesprekken": s["niet_begrepen_gesprek"],
                "niet_begrepen_percentage": _pct(s["niet_begrepen_gesprek"], s["bereikt"]),
                "opnieuw_gevraagd": s["opnieuw"],
                "onderbrekingen": {r: s[f"ob_{r}"] for r in REDENEN},
                "mediaan_seconden": round(median(s["seconden"]), 1) if s["seconden"] else None,
            }
        )
    return {
        "bereik": bereik.als_dict(),
        "stilte_minuten": stilte,
        "gesprekken": gesprekken,
        "vragen": vragen,
        "uitkomsten": uitkomsten,
        "intaketijd": {
            "aantal": len(duren),
            "mediaan_minuten": round(median(duren) / 60, 1) if duren else None,
            "p90_minuten": round(percentiel(duren, 90) / 60, 1) if duren else None,  # type: ignore[operator]
        },
    }


def iso_week(moment: datetime) -> str:
    jaar, week, _ = moment.isocalendar()
    return f"{jaar}-W{week:02d}"


def overeenstemming(engine: Engine, bereik: Bereik) -> Dict[str, Any]:
    totaal: Dict[str, List[int]] = {f: [0, 0] for f in FEITEN}
    weken: Dict[str, Dict[str, List[int]]] = defaultdict(lambda: {f: [0, 0] for f in FEITEN})
    besluiten = set()
    with engine.connect() as conn:
        rows = conn.execute(
            select(besluit_feit.c.draft_id, besluit_feit.c.besloten, besluit_feit.c.feit, besluit_feit.c.gelijk).where(
                and_(True, *bereik.tijdvak(besluit_feit.c.besloten), *bereik.plaats(besluit_feit.c.gemeente))
            )
        ).all()
    for r in rows:
        if r.feit not in totaal:
            continue
        besluiten.add((r.draft_id, r.besloten))
        for teller_ in (totaal[r.feit], weken[iso_week(_aware(r.besloten))][r.feit]):
            teller_[0] += 1
            teller_[1] += int(bool(r.gelijk))

    def regel(feit: str, t: List[int]) -> Dict[str, Any]:
        return {
            "feit": feit,
            "besluiten": t[0],
            "gelijk": t[1],
            "percentage": _pct(t[1], t[0]),
            "in_correcties_export": feit in IN_CORRECTIES_EXPORT,
        }

    return {
        "bereik": bereik.als_dict(),
        "besluiten": len(besluiten),
        "feiten": [regel(f, totaal[f]) for f in FEITEN],
        "per_week": [{"week": week, "feiten": [regel(f, weken[week][f]) for f in FEITEN]} for week in sorted(weken)],
        "correcties_export": {
            "feiten": list(IN_CORRECTIES_EXPORT),
            "opdracht": "lekstroom model correcties",
            "uitleg": "Wijzigingen van deze feiten worden voorbeeldzinnen voor training; bekijk ze met deze opdracht.",
        },
    }
