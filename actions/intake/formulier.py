"""The intake form: which question comes next and what each answer means.

`ValidateIntakeForm` (Rasa calls it as `validate_intake_form`) has one `validate_<slot>` method per
question. The NLU fills the requested slot with the inwoner's text (from_text, restricted to the
requested slot of this form); each method reads that text with its intent and entities and stores
structured facts. A shared `_opnieuw` handles answers it cannot use: one clarifying retry, then an
offer to reach a person and a way forward, never a loop.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from ..nlp.lexicon import fold
from . import interpretatie as lees
from .context import contact_zin, policy, tekst
from .stappen import ONBEKEND, volgende_gebied, volgende_vragen
from .vragen import knop

MAX_LENGTE = 1500
_JA = r"^\s*(ja+|jawel|ok(e|é|ay)?|oké|prima|goed|is goed|dat is goed|akkoord|zeker|klopt|prima hoor|ja hoor|yes|jazeker)\b"
_NEE = r"^\s*(nee+|neen|nope|liever niet|niet|klopt niet|dat klopt niet)\b"
VRIJE_TEKST = ("hulpvraag", "eigen_kracht", "netwerk", "voorliggend_veld", "contact")
Result = Dict[str, Any]


def is_ja(tracker: Tracker) -> bool:
    return _intent(tracker) == "affirm" or bool(re.search(_JA, fold(tracker.latest_message.get("text") or "")))


def is_nee(tracker: Tracker) -> bool:
    return _intent(tracker) == "deny" or bool(re.search(_NEE, fold(tracker.latest_message.get("text") or "")))


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _entities(tracker: Tracker) -> List[Dict[str, Any]]:
    return tracker.latest_message.get("entities") or []


def _weet_niet(tracker: Tracker) -> bool:
    return _intent(tracker) == "dont_know"


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_intake_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        return volgende_vragen(tracker.current_slot_values(), policy().leeftijd.minimum)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # Only alongside an answer that was taken: an extra SlotSet would stop Rasa from handing an
        # interruption (why, stop, danger) to the rules.
        answered = any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)
        kenmerken = nieuwe_kenmerken(tracker) if answered else None
        if kenmerken is not None:
            events.append(SlotSet("kenmerken", kenmerken))
        return events

    # -- shared ------------------------------------------------------------------------------------

    def _opnieuw(self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> Result:
        """Count a failed answer; the first time ask again, after that offer a person."""
        pogingen = dict(tracker.get_slot("pogingen") or {})
        pogingen[slot] = pogingen.get(slot, 0) + 1
        if pogingen[slot] == 1:
            dispatcher.utter_message(text=tekst("antwoorden.niet_begrepen"))
        else:
            dispatcher.utter_message(
                text=tekst("antwoorden.niet_begrepen_mens", contact=contact_zin(tracker.get_slot("gemeente"))),
                buttons=[knop("iemand_spreken", "/ask_human")],
            )
        return {"pogingen": pogingen, slot: None}

    @staticmethod
    def _pogingen(tracker: Tracker, slot: str) -> int:
        return (tracker.get_slot("pogingen") or {}).get(slot, 0)

    @staticmethod
    def _tekst(value: Any, tracker: Tracker) -> str:
        if _weet_niet(tracker):
            return ONBEKEND
        return " ".join(str(value or "").split())[:MAX_LENGTE]

    # -- toestemming, gemeente, leeftijd ---------------------------------------------------------

    def validate_toestemming(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        if is_nee(tracker):
            return {"toestemming": False}
        if is_ja(tracker):
            return {"toestemming": True}
        if self._pogingen(tracker, "toestemming") >= 1:
            return {"toestemming": False}  # no clear yes: nothing is stored
        return self._opnieuw(dispatcher, tracker, "toestemming")

    def validate_gemeente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        text = str(value or "")
        gemeente = lees.parse_gemeente(text, _entities(tracker), policy())
        if gemeente:
            # the place as the inwoner wrote it ("Vianen"), or the gemeente when none was recognised
            span = next(((e["start"], e["end"]) for e in _entities(tracker) if e.get("entity") == "plaats"), None)
            woonplaats = text[span[0] : span[1]] if span else gemeente
            return {"gemeente": gemeente, "woonplaats": woonplaats, "woonplaats_buiten": None}
        if re.search(r"\bergens anders\b|\bandere gemeente\b", fold(text)):
            return {"gemeente": None, "woonplaats_buiten": "een andere gemeente"}
        elders = None if _weet_niet(tracker) else lees.plaats_buiten_regio(text)
        if elders:
            return {"gemeente": None, "woonplaats_buiten": elders}
        if self._pogingen(tracker, "gemeente") >= 2:
            return {"gemeente": ONBEKEND}
        dispatcher.utter_message(text=tekst("antwoorden.gemeente_onbekend"))
        return self._opnieuw(dispatcher, tracker, "gemeente")

    def validate_buiten_regio_bevestigd(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        gemeente = lees.parse_gemeente(str(value or ""), _entities(tracker), policy())
        if gemeente:
            return {"gemeente": gemeente, "woonplaats_buiten": None, "buiten_regio_bevestigd": None}
        if is_nee(tracker):
            pogingen = dict(tracker.get_slot("pogingen") or {})
            pogingen["gemeente"] = max(1, pogingen.get("gemeente", 0))
            return {"woonplaats_buiten": None, "buiten_regio_bevestigd": None, "pogingen": pogingen}
        return {"buiten_regio_bevestigd": True, "buiten_regio": True}

    def validate_leeftijd(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        leeftijd = lees.parse_leeftijd(str(value or ""))
        if leeftijd is not None:
            return {"leeftijd": leeftijd}
        if _weet_niet(tracker) or self._pogingen(tracker, "leeftijd") >= 1:
            dispatcher.utter_message(text=tekst("antwoorden.leeftijd_overgeslagen"))
            return {"leeftijd": ONBEKEND}
        dispatcher.utter_message(text=tekst("antwoorden.leeftijd_onbekend"))
        pogingen = dict(tracker.get_slot("pogingen") or {})
        pogingen["leeftijd"] = 1
        return {"leeftijd": None, "pogingen": pogingen}

    # -- the question and the areas ----------------------------------------------------------------

    def validate_hulpvraag(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        text = self._tekst(value, tracker)
        if len(str(value or "")) > MAX_LENGTE:
            dispatcher.utter_message(text=tekst("antwoorden.te_lang"))
        voorstel = lees.parse_gebieden(text, _entities(tracker)) if text != ONBEKEND else []
        return {"hulpvraag": text, "gebieden_voorstel": voorstel}

    def validate_resultaatgebieden(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        text = str(value or "")
        codes = lees.parse_gebieden(text, _entities(tracker))
        voorstel = tracker.get_slot("gebieden_voorstel") or []
        if not codes and voorstel and (is_ja(tracker) or _weet_niet(tracker)):
            codes = list(voorstel)
        if not codes:
            if self._pogingen(tracker, "resultaatgebieden") >= 2:
                # No area after two tries: the consultant picks it up with the inwoner.
                return {"resultaatgebieden": ONBEKEND, "gebieden": [], "gebieden_bevestigd": True}
            dispatcher.utter_message(text=tekst("antwoorden.gebieden_onbekend"))
            return self._opnieuw(dispatcher, tracker, "resultaatgebieden")
        return {"resultaatgebieden": codes, "gebieden": _gebieden_met(codes, tracker), "gebieden_bevestigd": None}

    def validate_gebieden_bevestigd(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        codes = lees.parse_gebieden(str(value or ""), _entities(tracker))
        if is_ja(tracker) and not codes:
            return {"gebieden_bevestigd": True}
        if codes:
            # the inwoner restated the areas: take the new list and confirm that
            return {"resultaatgebieden": codes, "gebieden": _gebieden_met(codes, tracker), "gebieden_bevestigd": None}
        if is_nee(tracker):
            return {"resultaatgebieden": None, "gebieden_bevestigd": None, "gebieden_voorstel": []}
        if self._pogingen(tracker, "gebieden_bevestigd") >= 1:
            return {"gebieden_bevestigd": True}
        return self._opnieuw(dispatcher, tracker, "gebieden_bevestigd")

    def validate_doel(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        slots = tracker.current_slot_values()
        code = volgende_gebied(slots, "doel")
        gebieden = [dict(g) for g in slots.get("gebieden") or []]
        for g in gebieden:
            if g["code"] == code:
                g["doel"] = self._tekst(value, tracker)
        return {"gebieden": gebieden, "doel": None}

    def validate_type_ondersteuning(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        slots = tracker.current_slot_values()
        code = volgende_gebied(slots, "type_toelichting")
        type_ = lees.parse_type(str(value or ""), _intent(tracker))
        if type_ is None and not _weet_niet(tracker) and self._pogingen(tracker, f"type_{code}") < 1:
            pogingen = dict(slots.get("pogingen") or {})
            pogingen[f"type_{code}"] = 1
            dispatcher.utter_message(text=tekst("antwoorden.niet_begrepen"))
            return {"type_ondersteuning": None, "pogingen": pogingen}
        if type_ is None:
            dispatcher.utter_message(text=tekst("antwoorden.type_onbekend"))
        gebieden = [dict(g) for g in slots.get("gebieden") or []]
        for g in gebieden:
            if g["code"] == code:
                g["type"] = type_
                g["type_toelichting"] = self._tekst(value, tracker)
        return {"gebieden": gebieden, "type_ondersteuning": None}

    def validate_prioriteit(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        gekozen = [g["code"] for g in tracker.get_slot("gebieden") or []]
        code = lees.parse_prioriteit(str(value or ""), _entities(tracker), gekozen)
        if code:
            return {"prioriteit": code}
        if _weet_niet(tracker) or self._pogingen(tracker, "prioriteit") >= 1:
            dispatcher.utter_message(text=tekst("antwoorden.prioriteit_onbekend"))
            return {"prioriteit": gekozen[0] if gekozen else ONBEKEND}
        return self._opnieuw(dispatcher, tracker, "prioriteit")

    # -- eigen kracht, netwerk, voorliggend veld ------------------------------------------------------

    def validate_eigen_kracht(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        return {"eigen_kracht": self._tekst(value, tracker)}

    def validate_netwerk(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        return {"netwerk": self._tekst(value, tracker)}

    def validate_voorliggend_veld(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        suggestie = voorliggend_veld_suggestie(tracker)
        if suggestie:
            dispatcher.utter_message(text=suggestie)
        return {"voorliggend_veld": self._tekst(value, tracker)}

    def validate_verzwarende_omstandigheden(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        text = self._tekst(value, tracker)
        return {"verzwarende_omstandigheden": text, "omstandigheden": omstandigheden_uit(text, tracker)}

    def validate_duur(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        text = self._tekst(value, tracker)
        return {"duur": text, "duur_maanden": None if text == ONBEKEND else lees.parse_duur(text)}

    def validate_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        return {"contact": self._tekst(value, tracker)}

    # -- confirmation, correction, safety -----------------------------------------------------------

    def validate_bevestiging(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        if is_nee(tracker):
            return {"bevestiging": False}
        if is_ja(tracker) or self._pogingen(tracker, "bevestiging") >= 1:
            return {"bevestiging": True}
        return self._opnieuw(dispatcher, tracker, "bevestiging")

    def validate_correctie_onderwerp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        from .acties import reset_voor_onderwerp

        onderwerp = onderwerp_uit(tracker)
        if onderwerp is None:
            if is_nee(tracker) or self._pogingen(tracker, "correctie_onderwerp") >= 1:
                return {"bevestiging": None, "correctie_onderwerp": None}
            return self._opnieuw(dispatcher, tracker, "correctie_onderwerp")
        dispatcher.utter_message(text=tekst("antwoorden.correctie_ok"))
        return {slot.key: slot.value for slot in reset_voor_onderwerp(onderwerp)}

    async def validate_bevestig_onderbreking(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        from .acties import uitvoeren_onderbreking

        vraag = tracker.get_slot("te_bevestigen") or {}
        if is_ja(tracker):
            events = await uitvoeren_onderbreking(dispatcher, tracker, vraag.get("actie", "stoppen"))
            return {"bevestig_onderbreking": "ja", **{e["name"]: e["value"] for e in events}}
        # Not confirmed: go on with the same question. Sending the same text again makes it the answer.
        dispatcher.utter_message(text=tekst("antwoorden.we_gaan_verder"))
        result: Result = {"bevestig_onderbreking": None, "te_bevestigen": None}
        if vraag.get("slot") and vraag.get("tekst"):
            result["laatste_onderbreking"] = {"slot": vraag["slot"], "tekst": vraag["tekst"].lower()}
        return result

    def validate_veiligheid_keuze(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Result:
        if is_nee(tracker):
            dispatcher.utter_message(text=tekst("antwoorden.gestopt_urgent"))
            return {"veiligheid_keuze": "stoppen", "gestopt": True, "requested_slot": None}
        return {"veiligheid_keuze": "verder"}


# -- helpers used by the form and by other actions -----------------------------------------------------


def _gebieden_met(codes: List[str], tracker: Tracker) -> List[Dict[str, Any]]:
    """The chosen areas, keeping goals and types already given for an area that stays."""
    bestaand = {g["code"]: g for g in tracker.get_slot("gebieden") or []}
    return [dict(bestaand.get(c, {"code": c})) for c in codes]


def omstandigheden_uit(text: str, tracker: Tracker) -> List[Dict[str, str]]:
    """Named circumstances with the inwoner's words; a denial gives none, an unknown one 'overig'."""
    if text == ONBEKEND:
        return []
    entities = _entities(tracker)
    codes = lees.entities_of(entities, "omstandigheid")
    # a diagnosis on its own is recorded, so the draft can explain why it does not count
    codes += [c for c in lees.entities_of(entities, "kenmerk") if c in policy().niet_verzwarend]
    result: List[Dict[str, str]] = []
    for code in codes:
        if code not in [r["code"] for r in result]:
            result.append({"code": code, "toelichting": text})
    if result or is_nee(tracker) or len(text.split()) < 4:
        return result
    return [{"code": "overig", "toelichting": text}]


def onderwerp_uit(tracker: Tracker) -> Optional[str]:
    onderwerpen = lees.entities_of(_entities(tracker), "onderwerp")
    if onderwerpen:
        return onderwerpen[0]
    if lees.entities_of(_entities(tracker), "plaats"):
        return "gemeente"
    return None


def nieuwe_kenmerken(tracker: Tracker) -> Optional[List[Dict[str, str]]]:
    """Kenmerken in the latest message added to those already known; None when nothing is new."""
    bekend = list(tracker.get_slot("kenmerken") or [])
    codes = {k["code"] for k in bekend}
    text = " ".join(str(tracker.latest_message.get("text") or "").split())
    added = False
    for code in lees.entities_of(_entities(tracker), "kenmerk"):
        if code != "gevaar" and code not in codes:
            bekend.append({"code": code, "tekst": text[:300]})
            codes.add(code)
            added = True
    return bekend if added else None


def voorliggend_veld_suggestie(tracker: Tracker) -> Optional[str]:
    """Name one or two general provisions of the inwoner's gemeente that fit the chosen areas."""
    p = policy()
    gemeente = p.gemeenten.get(tracker.get_slot("gemeente") or "")
    if gemeente is None:
        return None
    codes = {g["code"] for g in tracker.get_slot("gebieden") or []}
    passend = [p.voorzieningen[v] for v in gemeente.voorliggend_veld if codes & set(p.voorzieningen[v].past_bij)]
    if not passend:
        return None
    delen = [f"{v.naam} ({v.biedt})" for v in passend[:2]]
    return "Misschien is dit ook iets voor u: " + " of ".join(delen) + ". De medewerker kan u daarover meer vertellen."
