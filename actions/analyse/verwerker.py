"""Write the codes of `codes.py` into the analysis tables, per conversation and per question.

`Verwerker.verwerk(items)` takes `(conversation_id, timestamp, code)` tuples (in the order Rasa
published them) and applies them in one transaction: the embedded broker calls it from its writer
thread, the RabbitMQ consumer for each batch it reads. The state it needs between events (the
question open now, since when, whether the last message was a button) is kept in the
conversation's row, so a restart or a second process continues where the first stopped.

A question is answered when the next question of another step is asked (or the intake ends with
a draft); asked again when the same step (and area) is asked once more; its time runs from the
first time it was asked to the answer. A deleted conversation's rows are folded into anonymous
counts per day, gemeente and step (`analyse_teller`) and removed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from .schema import ONDERBREKING_KOLOMMEN, REDENEN, gesprek, teller, vraag

Code = Dict[str, Any]  # one code of `codes.py`
Item = Tuple[str, float, Code]
BUITEN = "buiten_intake"  # interruptions while no question of the intake is open
VRAAG_NUL: Dict[str, Any] = {
    "bereikt": False,
    "gevraagd": 0,
    "beantwoord": False,
    "knop": False,
    "niet_begrepen": 0,
    "pogingen_stand": 0,
    "opnieuw": 0,
    "seconden": 0.0,
    **{k: 0 for k in ONDERBREKING_KOLOMMEN},
}
MAX_VERWIJDERD = 10_000
BEANTWOORD_BIJ_EINDE = ("concept", "geen_toestemming", "buiten_regio", "minderjarig")


def tijd(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc)


def _aware(value: Optional[datetime]) -> Optional[datetime]:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass
class Gesprek:
    """One intake's row and its question rows, loaded to apply codes and written back."""

    rij: Dict[str, Any]
    vragen: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    nieuw_vragen: set = field(default_factory=set)
    nieuw: bool = False
    geladen: Dict[str, Any] = field(default_factory=dict)  # what the database holds: only changes are written

    def vraag(self, stap: str) -> Dict[str, Any]:
        if stap not in self.vragen:
            self.vragen[stap] = dict(VRAAG_NUL)
            self.nieuw_vragen.add(stap)
        return self.vragen[stap]


class Verwerker:
    def __init__(self, engine: Engine):
        self.engine = engine
        # conversations deleted just now: the rest of that turn's events must not make a new row
        self._verwijderd: OrderedDict[str, bool] = OrderedDict()

    def verwerk(self, items: Sequence[Item]) -> None:
        if not items:
            return
        with self.engine.begin() as conn:
            geladen: Dict[str, Optional[Gesprek]] = {}
            for conversation_id, ts, code in items:
                self._een(conn, geladen, conversation_id, ts, code)
            for g in geladen.values():
                if g is not None:
                    self._schrijf(conn, g)

    # -- one code ----------------------------------------------------------------------------------

    def _een(self, conn: Connection, geladen: Dict[str, Optional[Gesprek]], cid: str, ts: float, code: Code) -> None:
        soort = code["soort"]
        if cid in self._verwijderd:
            if soort == "bericht" or (soort == "vraag" and code.get("stap") == "toestemming"):
                del self._verwijderd[cid]
            else:
                return
        if soort == "verwijderd":
            g = geladen.get(cid)
            if g is not None:
                self._schrijf(conn, g)
            geladen[cid] = None
            verwijder_gesprek(conn, cid)
            self._verwijderd[cid] = True
            while len(self._verwijderd) > MAX_VERWIJDERD:
                self._verwijderd.popitem(last=False)
            return
        if cid not in geladen or geladen[cid] is None:
            geladen[cid] = self._laad(conn, cid)
        g = geladen[cid]
        nu = tijd(ts)
        if g is None or (g.rij["uitkomst"] is not None and soort == "vraag" and code.get("stap") == "toestemming"):
            if g is not None:
                self._schrijf(conn, g)
            g = self._begin(conn, cid, nu, (g.rij["nr"] + 1) if g is not None else self._volgend_nr(conn, cid))
            geladen[cid] = g
        rij = g.rij
        if rij["uitkomst"] is not None:
            return  # after the end, until a new intake starts
        if soort == "sessie":
            if g.vragen:  # Rasa's session expired: the intake was abandoned at its last activity
                self._einde(g, "afgebroken", _aware(rij["laatste"]) or nu)
            return
        rij["laatste"] = max(_aware(rij["laatste"]) or nu, nu)
        if soort == "bericht":
            rij["berichten"] += 1
            rij["laatste_knop"] = bool(code.get("knop"))
        elif soort == "vraag":
            self._vraag(g, code.get("stap"), code.get("gebied"), nu)
        elif soort == "pogingen":
            self._pogingen(g, code.get("per_stap") or {})
        elif soort == "onderbreking":
            self._onderbreking(g, str(code.get("reden")), nu)
        elif soort == "gevaar":
            if code.get("zeker") and rij["twijfel_open"]:
                rij["twijfel_open"] = False  # the check was answered "yes": the same alarm
            else:
                rij["twijfel_open"] = not code.get("zeker")
                self._onderbreking(g, "gevaar", nu)
        elif soort == "gevaar_klaar":
            rij["twijfel_open"] = False
        elif soort == "gemeente":
            rij["gemeente"] = code.get("code")
        elif soort == "wacht":
            rij["wacht"] = code.get("uitkomst")
        elif soort == "einde":
            self._einde(g, code.get("uitkomst"), nu)

    def _vraag(self, g: Gesprek, stap: Optional[str], gebied: Optional[str], nu: datetime) -> None:
        if stap is None:
            return  # a confirmation: part of the step that is open
        rij = g.rij
        v = g.vraag(stap)
        if rij["open_stap"] == stap and rij["open_gebied"] == gebied:
            v["opnieuw"] += 1
        else:
            self._sluit(g, nu, beantwoord=True)
            rij["open_stap"], rij["open_gebied"], rij["open_sinds"] = stap, gebied, nu
        v["bereikt"] = True
        v["gevraagd"] += 1

    def _sluit(self, g: Gesprek, nu: datetime, beantwoord: bool) -> None:
        rij = g.rij
        stap = rij["open_stap"]
        if stap is not None:
            v = g.vraag(stap)
            if beantwoord:
                v["beantwoord"] = True
                v["knop"] = v["knop"] or bool(rij["laatste_knop"])
            sinds = _aware(rij["open_sinds"])
            if sinds is not None:
                v["seconden"] += max(0.0, (nu - sinds).total_seconds())
        rij["open_stap"] = rij["open_gebied"] = rij["open_sinds"] = None

    def _pogingen(self, g: Gesprek, per_stap: Dict[str, int]) -> None:
        for stap in set(per_stap) | {s for s, v in g.vragen.items() if v["pogingen_stand"]}:
            v = g.vraag(stap)
            stand = int(per_stap.get(stap, 0))
            if stand > v["pogingen_stand"]:
                v["niet_begrepen"] += stand - v["pogingen_stand"]
            v["pogingen_stand"] = stand

    def _onderbreking(self, g: Gesprek, reden: str, nu: datetime) -> None:
        if reden not in REDENEN:
            return
        v = g.vraag(g.rij["open_stap"] or BUITEN)
        v[f"ob_{reden}"] += 1
        if reden == "opnieuw":
            self._sluit(g, nu, beantwoord=False)

    def _einde(self, g: Gesprek, uitkomst: Optional[str], nu: datetime) -> None:
        rij = g.rij
        uitkomst = uitkomst or rij["wacht"] or "gestopt"
        # a draft, or an answer that ended the intake (no consent, outside, under 18): answered
        self._sluit(g, nu, beantwoord=uitkomst in BEANTWOORD_BIJ_EINDE)
        rij["uitkomst"] = uitkomst
        rij["duur_s"] = max(0.0, (nu - _aware(rij["gestart"])).total_seconds())  # type: ignore[operator]

    # -- rows -----------------------------------------------------------------------------------

    def _laad(self, conn: Connection, cid: str) -> Optional[Gesprek]:
        row = (
            conn.execute(select(gesprek).where(gesprek.c.conversation_id == cid).order_by(gesprek.c.nr.desc()).limit(1))
            .mappings()
            .first()
        )
        if row is None:
            return None
        g = Gesprek(rij=dict(row))
        for v in conn.execute(select(vraag).where(vraag.c.gesprek_id == row["id"])).mappings():
            d = dict(v)
            g.vragen[d.pop("stap")] = {k: d[k] for k in VRAAG_NUL}
        g.geladen = {"rij": dict(g.rij), **{s: dict(v) for s, v in g.vragen.items()}}
        return g

    @staticmethod
    def _volgend_nr(conn: Connection, cid: str) -> int:
        nrs = conn.execute(select(gesprek.c.nr).where(gesprek.c.conversation_id == cid)).scalars().all()
        return max(nrs, default=0) + 1

    @staticmethod
    def _begin(conn: Connection, cid: str, nu: datetime, nr: int) -> Gesprek:
        rij: Dict[str, Any] = {
            "conversation_id": cid,
            "nr": nr,
            "gemeente": None,
            "gestart": nu,
            "laatste": nu,
            "uitkomst": None,
            "duur_s": None,
            "wacht": None,
            "open_stap": None,
            "open_gebied": None,
            "open_sinds": None,
            "laatste_knop": False,
            "twijfel_open": False,
            "berichten": 0,
        }
        rij["id"] = conn.execute(insert(gesprek).values(**rij)).inserted_primary_key[0]
        return Gesprek(rij=rij, nieuw=True)

    @staticmethod
    def _schrijf(conn: Connection, g: Gesprek) -> None:
        """Write what changed since it was loaded (or last written)."""
        oud = g.geladen.get("rij") or {}
        rij = {k: v for k, v in g.rij.items() if k != "id" and (k not in oud or oud[k] != v)}
        if rij:
            conn.execute(update(gesprek).where(gesprek.c.id == g.rij["id"]).values(**rij))
        for stap, v in g.vragen.items():
            if stap in g.nieuw_vragen:
                conn.execute(insert(vraag).values(gesprek_id=g.rij["id"], stap=stap, **v))
            elif g.geladen.get(stap) != v:
                conn.execute(update(vraag).where(vraag.c.gesprek_id == g.rij["id"], vraag.c.stap == stap).values(**v))
        g.nieuw_vragen = set()
        g.geladen = {"rij": dict(g.rij), **{s: dict(v) for s, v in g.vragen.items()}}


# what a question row adds to the anonymous counts when its conversation is deleted
def _vraag_maten(v: Dict[str, Any]) -> Iterable[Tuple[str, int]]:
    yield "bereikt", int(bool(v["bereikt"]))
    yield "beantwoord", int(bool(v["beantwoord"]))
    yield "knop", int(bool(v["knop"]))
    yield "niet_begrepen", int(v["niet_begrepen"])
    yield "niet_begrepen_gesprek", int(v["niet_begrepen"] > 0)
    yield "opnieuw", int(v["opnieuw"])
    for k in ONDERBREKING_KOLOMMEN:
        yield k, int(v[k])


def verwijder_gesprek(conn: Connection, cid: str) -> int:
    """Fold a conversation's rows into the anonymous counts and remove them; the number of intakes."""
    rows = conn.execute(select(gesprek).where(gesprek.c.conversation_id == cid).order_by(gesprek.c.nr)).mappings().all()
    tellers: List[Dict[str, Any]] = []
    for i, row in enumerate(rows):
        dag = (_aware(row["gestart"]) or datetime.now(timezone.utc)).date()
        laatste = i == len(rows) - 1
        uitkomst = "verwijderd" if laatste else (row["uitkomst"] or "verwijderd")
        basis = {"dag": dag, "gemeente": row["gemeente"]}
        tellers.append({**basis, "stap": None, "maat": "gesprek", "aantal": 1})
        tellers.append({**basis, "stap": None, "maat": f"uitkomst:{uitkomst}", "aantal": 1})
        for v in conn.execute(select(vraag).where(vraag.c.gesprek_id == row["id"])).mappings():
            for maat, aantal in _vraag_maten(dict(v)):
                if aantal:
                    tellers.append({**basis, "stap": v["stap"], "maat": maat, "aantal": aantal})
    if tellers:
        conn.execute(insert(teller), tellers)
    ids = [r["id"] for r in rows]
    if ids:
        conn.execute(delete(vraag).where(vraag.c.gesprek_id.in_(ids)))
        conn.execute(delete(gesprek).where(gesprek.c.id.in_(ids)))
    return len(rows)
