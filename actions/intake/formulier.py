"""The intake form: which question comes next, and what each answer means.

`ValidateIntakeForm` (Rasa calls it as `validate_intake_form`) validates every question of the
question table (`vraagtabel.py`) the same way, in `FormulierMetPogingen.valideer`:
1. the same text again after an interruption or an alarm is the answer (never a loop);
2. danger comes first (`veiligheid.py`): help lines at once, or a kind check question;
3. an unmistakable interruption (why, person, stop, delete, start over, correct) is answered
   (`onderbreking.py`) and the question is asked again;
4. otherwise the question's reader (`lezers.py`) reads the answer. Not understood: asked again,
   up to the question's `pogingen`, then its default is taken and the form moves on.
The NLU fills the requested slot with the inwoner's text whatever the intent, so the step being
asked decides how a message is read.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from . import onderbreking, veiligheid
from .bericht import Bericht
from .context import contact_zin, policy_voor, tekst
from .lezers import LEZERS, standaard
from .verzamelen import indienen
from .vraagtabel import PER_SLOT, VRAGEN, Vraag, gebied_vraag, volgende_gebied, volgende_vragen
from .vragen import knop

Result = Dict[str, Any]
# questions that are themselves about an interruption or an alarm: read as they are
EIGEN_AFHANDELING = ("bevestig_onderbreking", "veiligheid_check", "veiligheid_keuze")


class FormulierMetPogingen(FormValidationAction):
    """A form whose questions are validated by one method with one retry rule (after the
    custom form base class of Rasa's reference assistants)."""

    def name(self) -> str:
        return "validate_intake_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        slots = tracker.current_slot_values()
        return volgende_vragen(slots, policy_voor(slots.get("gemeente")).leeftijd.minimum)

    def niet_begrepen(self, vraag: Vraag, bericht: Bericht, zeg: CollectingDispatcher) -> Result:
        """Ask again, up to the question's tries; then take its default and move on."""
        pogingen = dict(bericht.slots.get("pogingen") or {})
        teller = f"{vraag.slot}:{_gebied(bericht)}" if vraag.per_gebied else vraag.slot
        pogingen[teller] = pogingen.get(teller, 0) + 1
        if pogingen[teller] > vraag.pogingen:
            return {**standaard(vraag.slot, bericht, zeg), "pogingen": pogingen}
        try:
            zeg.utter_message(text=tekst(f"opnieuw.{vraag.slot}"))
        except KeyError:
            pass
        if pogingen[teller] == 1:
            zeg.utter_message(text=tekst("antwoorden.niet_begrepen"))
        else:
            zeg.utter_message(
                text=tekst("antwoorden.niet_begrepen_mens", contact=contact_zin(bericht.slots.get("gemeente"))),
                buttons=[knop("iemand_spreken", "/ask_human")],
            )
        return {
            vraag.slot: None,
            "pogingen": pogingen,
            "laatste_onderbreking": onderbreking.marker(vraag.slot, bericht),
        }

    async def valideer(self, vraag: Vraag, value: Any, zeg: CollectingDispatcher, tracker: Tracker) -> Result:
        bericht = Bericht.uit(tracker, value)
        herhaald = onderbreking.is_herhaling(vraag.slot, bericht)
        if vraag.slot in EIGEN_AFHANDELING:
            return await self.eigen(vraag.slot, bericht, zeg, tracker)
        signaal = veiligheid.signaal(bericht.tekst, bericht.slots.get("alarm_gezien"))
        if signaal is not None:
            return await self.alarm(vraag, bericht, signaal, zeg, tracker)
        soort = None if herhaald else onderbreking.herken(bericht)
        if soort is not None:
            return onderbreking.behandel(soort, vraag.slot, bericht, zeg)
        uitkomst = LEZERS[vraag.lezer](bericht, zeg)
        if uitkomst is None:
            if herhaald:  # asked twice with the same words: move on rather than loop
                return {**standaard(vraag.slot, bericht, zeg), "laatste_onderbreking": None}
            return self.niet_begrepen(vraag, bericht, zeg)
        return {**uitkomst, "laatste_onderbreking": None}

    async def alarm(
        self, vraag: Vraag, bericht: Bericht, signaal: veiligheid.Signaal, zeg: CollectingDispatcher, tracker: Tracker
    ) -> Result:
        """Danger: help lines now. Sure: mark it (and queue an urgent draft); unsure: ask first.
        A free-text answer that raised it is kept as the answer, so nothing the inwoner said is lost."""
        result: Result = {vraag.slot: None}
        if vraag.vrije_tekst:
            result.update(LEZERS[vraag.lezer](bericht, CollectingDispatcher()) or {})
        if not signaal.zeker:
            veiligheid.zeg_hulp(zeg, signaal.soorten, twijfel=True)
            twijfel = {"tekst": bericht.tekst, "slot": vraag.slot, "soorten": signaal.soorten}
            return {**result, "veiligheid_twijfel": twijfel, "veiligheid_check": None}
        veiligheid.zeg_hulp(zeg, signaal.soorten)
        result.update(veiligheid.markeer(bericht.slots, bericht.tekst, signaal.soorten))
        return {**result, **await self.urgent(tracker, result, zeg)}

    async def urgent(self, tracker: Tracker, wijzigingen: Result, zeg: CollectingDispatcher) -> Result:
        """With consent, the draft goes to the sociaal team at once, marked urgent."""
        if tracker.get_slot("toestemming") is not True or tracker.get_slot("urgent_ingediend"):
            return {}
        tracker.add_slots([SlotSet(k, v) for k, v in wijzigingen.items()])
        if await indienen(tracker, afgerond=False) is None:
            return {}
        zeg.utter_message(text=tekst("antwoorden.veiligheid_urgent"))
        return {"urgent_ingediend": True}

    async def eigen(self, slot: str, bericht: Bericht, zeg: CollectingDispatcher, tracker: Tracker) -> Result:
        if slot == "bevestig_onderbreking":
            return await onderbreking.bevestig(bericht, tracker.sender_id, zeg)
        if slot == "veiligheid_check":
            return await self.check_beantwoord(bericht, zeg, tracker)
        soort = onderbreking.herken(bericht)  # veiligheid_keuze: go on or stop
        if soort == "wissen":
            return onderbreking.behandel(soort, slot, bericht, zeg)
        if bericht.is_nee or soort == "stoppen":
            onderbreking.zeg_gestopt(zeg, bericht.slots)
            return {"veiligheid_keuze": "stoppen", "gestopt": True}
        return {"veiligheid_keuze": "verder"}

    async def check_beantwoord(self, bericht: Bericht, zeg: CollectingDispatcher, tracker: Tracker) -> Result:
        """The answer to the check question after an uncertain signal."""
        twijfel = bericht.slots.get("veiligheid_twijfel") or {}
        if bericht.is_ja:
            result: Result = {"veiligheid_check": "ja"}
            result.update(veiligheid.markeer(bericht.slots, twijfel.get("tekst", ""), twijfel.get("soorten") or []))
            return {**result, **await self.urgent(tracker, result, zeg)}
        # no (or unclear): go on; the words that raised the check are read as the answer
        zeg.utter_message(text=tekst("antwoorden.veiligheid_geen_gevaar"))
        result = {
            "veiligheid_check": None,
            "veiligheid_twijfel": None,
            "alarm_gezien": veiligheid.onthouden(bericht.slots, twijfel.get("tekst", "")),
        }
        vraag = PER_SLOT.get(twijfel.get("slot") or "")
        if vraag is not None and not vraag.vrije_tekst:  # a free-text answer was kept already
            eerder = Bericht(twijfel.get("tekst", ""), slots={**bericht.slots, **result})
            result.update(LEZERS[vraag.lezer](eerder, zeg) or {})
        return result

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # Only alongside an answer that was taken: diagnoses and signals named anywhere count.
        answered = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        kenmerken = nieuwe_kenmerken(tracker) if answered else None
        if kenmerken is not None:
            events.append(SlotSet("kenmerken", kenmerken))
        return events


def _gebied(bericht: Bericht) -> str:
    slot = gebied_vraag(bericht.slots)
    veld = next((v.per_gebied for v in VRAGEN if v.slot == slot and v.per_gebied), "doel")
    return volgende_gebied(bericht.slots, veld) or ""


def nieuwe_kenmerken(tracker: Tracker) -> List[Dict[str, str]] | None:
    """Kenmerken in the latest message added to those already known; None when nothing is new."""
    bekend = list(tracker.get_slot("kenmerken") or [])
    codes = {k["code"] for k in bekend}
    text = " ".join(str(tracker.latest_message.get("text") or "").split())
    added = False
    for e in tracker.latest_message.get("entities") or []:
        code = e.get("value")
        if e.get("entity") == "kenmerk" and code != "gevaar" and code not in codes:
            bekend.append({"code": str(code), "tekst": text[:300]})
            codes.add(code)
            added = True
    return bekend if added else None


class ValidateIntakeForm(FormulierMetPogingen):
    """One `validate_<slot>` per question of the table, all through `valideer`."""


def _validator(vraag: Vraag):  # noqa: ANN202 - a method built per question
    async def validate(
        self: ValidateIntakeForm, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        return await self.valideer(vraag, value, dispatcher, tracker)

    validate.__name__ = f"validate_{vraag.slot}"
    return validate


for _vraag in VRAGEN:
    setattr(ValidateIntakeForm, f"validate_{_vraag.slot}", _validator(_vraag))
