"""Rasa's events as codes and counts: what the analysis keeps of a conversation, never its words.

`Verkleiner.codes(event)` reads one event as Rasa's event broker publishes it (`sender_id` plus
`Event.as_dict()`) and returns the codes it means, as small dicts with only names, numbers and
timestamps. Everything the inwoner typed (user text, entities, slot values holding answers) stays
here; only values from closed lists (question steps, area codes, gemeente names, interruption
labels) pass, and each is checked against its list. Pure: no Rasa, no database.

Codes (`soort`):
- `bericht` {knop}: the inwoner sent a message; `knop` when it was a button of the last question;
- `vraag` {stap, gebied}: a question was asked (its `intake_step`; None for a confirmation);
- `pogingen` {per_stap}: the form's not-understood counters, summed per step (cumulative);
- `onderbreking` {reden}: why, stop, start over, person, delete, correct, danger;
- `gevaar` {zeker}: a danger signal (sure, or a check question), `gevaar_klaar`: the check is over;
- `gemeente` {code}; `wacht` {uitkomst}: an early end is coming (no consent, outside, under 18);
- `einde` {uitkomst}: the intake ended (`concept`, or None: stopped, or the early end waiting);
- `verwijderd`: the inwoner had everything deleted;
- `sessie`: Rasa started a new session (after its session expiry): an unfinished intake was abandoned.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Set

from ..intake.vraagtabel import PER_SLOT
from .schema import REDENEN

Code = Dict[str, Any]
# Rasa actions outside the form that are an interruption themselves
ACTIE_REDEN = {
    "action_waarom": "waarom",
    "action_mens": "mens",
    "action_opnieuw": "opnieuw",
    "action_stoppen": "stoppen",
    "action_verwijderen": "wissen",
}
MAX_GESPREKKEN = 10_000  # senders whose last buttons are remembered (oldest forgotten first)


def stap_van(slot: str) -> Optional[str]:
    vraag = PER_SLOT.get(slot)
    return vraag.stap if vraag is not None else None


class Verkleiner:
    """Rasa events in, codes out. Remembers per conversation only the last question's button payloads."""

    def __init__(self, gemeenten: Iterable[str], gebieden: Iterable[str], minimum_leeftijd: int = 18):
        self.gemeenten: FrozenSet[str] = frozenset(gemeenten)
        self.gebieden: FrozenSet[str] = frozenset(gebieden)
        self.minimum_leeftijd = minimum_leeftijd
        self.stappen: FrozenSet[str] = frozenset(v.stap for v in PER_SLOT.values() if v.stap)
        self._knoppen: OrderedDict[str, Set[str]] = OrderedDict()

    def codes(self, event: Mapping[str, Any]) -> List[Code]:
        soort = event.get("event")
        if soort == "user":
            return [self._bericht(event)]
        if soort == "bot":
            return self._bot(event)
        if soort == "slot":
            return self._slot(str(event.get("name") or ""), event.get("value"))
        if soort == "action":
            reden = ACTIE_REDEN.get(str(event.get("name") or ""))
            if reden == "wissen":
                return [{"soort": "onderbreking", "reden": reden}, {"soort": "verwijderd"}]
            if event.get("name") == "action_veiligheid":
                return [{"soort": "gevaar", "zeker": True}]
            return [{"soort": "onderbreking", "reden": reden}] if reden else []
        if soort == "reset_slots":
            return [{"soort": "pogingen", "per_stap": {}}]
        if soort == "session_started":
            return [{"soort": "sessie"}]
        return []

    def _bericht(self, event: Mapping[str, Any]) -> Code:
        tekst = str(event.get("text") or "").strip()
        knoppen = self._knoppen.get(str(event.get("sender_id") or ""), set())
        return {"soort": "bericht", "knop": bool(tekst) and (tekst.startswith("/") or tekst in knoppen)}

    def _bot(self, event: Mapping[str, Any]) -> List[Code]:
        data = event.get("data") or {}
        sender = str(event.get("sender_id") or "")
        buttons = data.get("buttons") or []
        if event.get("text") or buttons:
            # each message the inwoner reads replaces the buttons they can press
            self._onthoud(sender, {str(b.get("payload") or "") for b in buttons if isinstance(b, dict)})
        custom = data.get("custom")
        if not (isinstance(custom, dict) and "progress" in custom and "intake_step" in custom):
            return []
        stap = custom.get("intake_step")
        gebied = custom.get("resultaatgebied")
        return [
            {
                "soort": "vraag",
                "stap": stap if stap in self.stappen else None,
                "gebied": gebied if gebied in self.gebieden else None,
            }
        ]

    def _onthoud(self, sender: str, payloads: Set[str]) -> None:
        self._knoppen[sender] = payloads
        self._knoppen.move_to_end(sender)
        while len(self._knoppen) > MAX_GESPREKKEN:
            self._knoppen.popitem(last=False)

    def _slot(self, naam: str, waarde: Any) -> List[Code]:
        if naam == "pogingen":
            per_stap: Dict[str, int] = {}
            for teller, keer in (waarde or {}).items():
                stap = stap_van(str(teller).split(":", 1)[0])
                if stap is not None and isinstance(keer, int):
                    per_stap[stap] = per_stap.get(stap, 0) + keer
            return [{"soort": "pogingen", "per_stap": per_stap}]
        if naam == "laatste_onderbreking" and isinstance(waarde, dict) and waarde.get("soort") in REDENEN:
            return [{"soort": "onderbreking", "reden": waarde["soort"]}]
        if naam == "te_bevestigen" and isinstance(waarde, dict) and waarde.get("actie") in ("stoppen", "wissen"):
            return [{"soort": "onderbreking", "reden": waarde["actie"]}]
        if naam == "veiligheid" and waarde:
            return [{"soort": "gevaar", "zeker": True}]
        if naam == "veiligheid_twijfel":
            return [{"soort": "gevaar", "zeker": False}] if waarde else [{"soort": "gevaar_klaar"}]
        if naam == "gemeente" and waarde in self.gemeenten:
            return [{"soort": "gemeente", "code": waarde}]
        if naam == "toestemming" and isinstance(waarde, bool):
            return [{"soort": "wacht", "uitkomst": None if waarde else "geen_toestemming"}]
        if naam == "buiten_regio" and isinstance(waarde, bool):
            return [{"soort": "wacht", "uitkomst": "buiten_regio" if waarde else None}]
        if naam == "leeftijd" and isinstance(waarde, int) and not isinstance(waarde, bool):
            return [{"soort": "wacht", "uitkomst": "minderjarig" if waarde < self.minimum_leeftijd else None}]
        if naam == "afgerond" and waarde is True:
            return [{"soort": "einde", "uitkomst": "concept"}]
        if naam == "gestopt" and waarde is True:
            return [{"soort": "einde", "uitkomst": None}]
        if naam == "gegevens_verwijderd" and waarde:
            return [{"soort": "verwijderd"}]
        return []
