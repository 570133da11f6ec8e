"""The conversation's actions outside the form questions.

Each is short and calls the texts (teksten.yml), the form logic or `verzamelen` (classify + store).
The rules in data/rules/ say when each runs.
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import interpretatie as lees
from .context import contact_zin, policy, tekst
from .formulier import VRIJE_TEKST, onderwerp_uit
from .stappen import ONBEKEND
from .verzamelen import indienen, verwijderen
from .vragen import knop, onderwerp_knoppen

# what to clear when the inwoner wants to change the answer on a topic
RESET: Dict[str, List[str]] = {
    "gemeente": ["gemeente", "woonplaats", "woonplaats_buiten", "buiten_regio", "buiten_regio_bevestigd"],
    "leeftijd": ["leeftijd"],
    "hulpvraag": ["hulpvraag"],
    "resultaatgebieden": ["resultaatgebieden", "gebieden_bevestigd", "prioriteit"],
    "eigen_kracht": ["eigen_kracht"],
    "netwerk": ["netwerk"],
    "voorliggend_veld": ["voorliggend_veld"],
    "verzwarende_omstandigheden": ["verzwarende_omstandigheden", "omstandigheden"],
    "duur": ["duur", "duur_maanden"],
    "contact": ["contact"],
}


def reset_voor_onderwerp(onderwerp: str) -> List[SlotSet]:
    slots = RESET.get(onderwerp, [])
    return [SlotSet(s, None) for s in slots] + [SlotSet("bevestiging", None), SlotSet("correctie_onderwerp", None)]


async def herhaald_antwoord(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
) -> Optional[List[EventType]]:
    """Never a loop: the inwoner sends the same text again to the same question after an
    interruption (why, person, correction, not understood, stop) was predicted. Then it is their
    answer: it goes through that question's validation like any answer. Never used for safety."""
    requested = tracker.get_slot("requested_slot")
    if tracker.active_loop_name != "intake_form" or not requested:
        return None
    text = " ".join(str(tracker.latest_message.get("text") or "").split())
    marker = {"slot": requested, "tekst": text.lower()}
    if not text or tracker.get_slot("laatste_onderbreking") != marker:
        return None
    from .formulier import ValidateIntakeForm

    result: Dict[str, Any] = {requested: text}
    validate = getattr(ValidateIntakeForm(), f"validate_{requested}", None)
    if validate is not None:
        output = validate(text, dispatcher, tracker, domain)
        result = await output if inspect.isawaitable(output) else output
    return [SlotSet(k, v) for k, v in result.items()] + [SlotSet("laatste_onderbreking", None)]


def onthoud_onderbreking(tracker: Tracker) -> List[EventType]:
    requested = tracker.get_slot("requested_slot")
    if tracker.active_loop_name != "intake_form" or not requested:
        return []
    text = " ".join(str(tracker.latest_message.get("text") or "").split())
    return [SlotSet("laatste_onderbreking", {"slot": requested, "tekst": text.lower()})]


def hulplijnen() -> str:
    regels = []
    for h in policy().hulplijnen:
        nummer = f": {h.nummer}" if h.nummer else ""
        regels.append(f"- {h.naam}{nummer} ({h.wanneer})")
    return "\n".join(regels)


class ActionWelkom(Action):
    def name(self) -> str:
        return "action_welkom"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=tekst("welkom"))
        # a finished or stopped intake is not continued: a greeting starts a new one
        if tracker.get_slot("afgerond") or tracker.get_slot("gestopt"):
            return [AllSlotsReset()]
        return []


class ActionWaarom(Action):
    def name(self) -> str:
        return "action_waarom"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        herhaald = await herhaald_antwoord(dispatcher, tracker, domain)
        if herhaald is not None:
            return herhaald
        slot = tracker.get_slot("requested_slot")
        try:
            dispatcher.utter_message(text=tekst(f"waarom.{slot}"))
        except KeyError:
            dispatcher.utter_message(text=tekst("waarom.algemeen"))
        return onthoud_onderbreking(tracker)


class ActionVeiligheid(Action):
    """Danger to self or others: help lines at once, an urgent draft if consent was given."""

    def name(self) -> str:
        return "action_veiligheid"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=tekst("antwoorden.veiligheid") + "\n" + hulplijnen())
        text = " ".join(str(tracker.latest_message.get("text") or "").split())
        events: List[EventType] = [SlotSet("veiligheid", text or "gevaar genoemd"), SlotSet("veiligheid_keuze", None)]
        requested = tracker.get_slot("requested_slot")
        if requested in VRIJE_TEKST and tracker.get_slot(requested) is None and text:
            events.append(SlotSet(requested, text))
        if tracker.get_slot("toestemming") is True:
            tracker.add_slots(events)
            if await indienen(tracker, afgerond=False) is not None:
                dispatcher.utter_message(text=tekst("antwoorden.veiligheid_urgent"))
                events.append(SlotSet("urgent_ingediend", True))
        return events


def zeg_gestopt(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    if tracker.get_slot("urgent_ingediend"):
        dispatcher.utter_message(text=tekst("antwoorden.gestopt_urgent"))
    else:
        dispatcher.utter_message(text=tekst("antwoorden.gestopt", contact=contact_zin(tracker.get_slot("gemeente"))))


async def wis_gesprek(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    await verwijderen(tracker.sender_id)
    dispatcher.utter_message(text=tekst("antwoorden.verwijderd"))
    dispatcher.utter_message(json_message={"gewist": True})  # the web chat clears its copy too


class ActionStoppen(Action):
    """Stop outside the intake form (inside it, action_vraag_bevestiging asks first)."""

    def name(self) -> str:
        return "action_stoppen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        zeg_gestopt(dispatcher, tracker)
        if tracker.get_slot("urgent_ingediend"):
            return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("gestopt", True)]
        return [AllSlotsReset(), ActiveLoop(None), SlotSet("gestopt", True)]


class ActionVraagBevestiging(Action):
    """Stop or delete during the intake: ask first, because an answer like "ik wil stoppen met
    drinken" or "ik wil alles vergeten" can look like one. The form asks the question
    (bevestig_onderbreking) and carries out the choice. A second stop or delete confirms."""

    def name(self) -> str:
        return "action_vraag_bevestiging"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        herhaald = await herhaald_antwoord(dispatcher, tracker, domain)
        if herhaald is not None:
            return herhaald
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        actie = "wissen" if intent == "delete_data" else "stoppen"
        if tracker.get_slot("te_bevestigen"):  # asked already, and the answer is stop or delete again
            return [SlotSet("bevestig_onderbreking", "ja"), *await uitvoeren_onderbreking(dispatcher, tracker, actie)]
        requested = tracker.get_slot("requested_slot")
        text = " ".join(str(tracker.latest_message.get("text") or "").split())
        return [
            SlotSet("te_bevestigen", {"actie": actie, "slot": requested, "tekst": text}),
            SlotSet("bevestig_onderbreking", None),
        ]


async def uitvoeren_onderbreking(dispatcher: CollectingDispatcher, tracker: Tracker, actie: str) -> List[EventType]:
    """Carry out a confirmed stop or delete inside the form; the form then ends (gestopt)."""
    if actie == "wissen":
        await wis_gesprek(dispatcher, tracker)
        return [SlotSet("te_bevestigen", None), SlotSet("gestopt", True), SlotSet("gegevens_verwijderd", True)]
    zeg_gestopt(dispatcher, tracker)
    return [SlotSet("te_bevestigen", None), SlotSet("gestopt", True)]


class ActionOpnieuw(Action):
    def name(self) -> str:
        return "action_opnieuw"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        dispatcher.utter_message(text=tekst("antwoorden.opnieuw"))
        return [AllSlotsReset(), ActiveLoop(None)]


class ActionMens(Action):
    def name(self) -> str:
        return "action_mens"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        herhaald = await herhaald_antwoord(dispatcher, tracker, domain)
        if herhaald is not None:
            return herhaald
        dispatcher.utter_message(text=tekst("antwoorden.mens", contact=contact_zin(tracker.get_slot("gemeente"))))
        return onthoud_onderbreking(tracker)


class ActionVerwijderen(Action):
    """Delete everything of this conversation; the tracker store drops the events too."""

    def name(self) -> str:
        return "action_verwijderen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        await wis_gesprek(dispatcher, tracker)
        return [AllSlotsReset(), ActiveLoop(None), SlotSet("gegevens_verwijderd", True)]


class ActionCorrigeer(Action):
    def name(self) -> str:
        return "action_corrigeer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        herhaald = await herhaald_antwoord(dispatcher, tracker, domain)
        if herhaald is not None:
            return herhaald
        onderwerp = onderwerp_uit(tracker)
        text = str(tracker.latest_message.get("text") or "")
        if onderwerp is None and lees.parse_leeftijd(text) is not None and tracker.get_slot("leeftijd") is not None:
            onderwerp = "leeftijd"
        if onderwerp is None:
            dispatcher.utter_message(text=tekst("antwoorden.correctie_vraag"), buttons=onderwerp_knoppen())
            return onthoud_onderbreking(tracker)
        events: List[EventType] = list(reset_voor_onderwerp(onderwerp))
        # a correction that already holds the new answer is applied at once
        if onderwerp == "gemeente":
            gemeente = lees.parse_gemeente(text, tracker.latest_message.get("entities") or [], policy())
            if gemeente:
                events.append(SlotSet("gemeente", gemeente))
        if onderwerp == "leeftijd":
            leeftijd = lees.parse_leeftijd(text)
            if leeftijd is not None:
                events.append(SlotSet("leeftijd", leeftijd))
        dispatcher.utter_message(text=tekst("antwoorden.correctie_ok"))
        return events


class ActionNietBegrepen(Action):
    """Not understood: one clarifying retry, then an offer to reach a person."""

    def name(self) -> str:
        return "action_niet_begrepen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        herhaald = await herhaald_antwoord(dispatcher, tracker, domain)
        if herhaald is not None:
            return herhaald
        keer = int(tracker.get_slot("niet_begrepen") or 0) + 1
        if keer == 1:
            dispatcher.utter_message(text=tekst("antwoorden.niet_begrepen"))
        else:
            dispatcher.utter_message(
                text=tekst("antwoorden.niet_begrepen_mens", contact=contact_zin(tracker.get_slot("gemeente"))),
                buttons=[knop("iemand_spreken", "/ask_human"), knop("verder", "/affirm")],
            )
            keer = 0
        return [SlotSet("niet_begrepen", keer), *onthoud_onderbreking(tracker)]


class ActionAfronden(Action):
    """The form is done: refer, stop quietly, or classify and queue the draft."""

    def name(self) -> str:
        return "action_afronden"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        if tracker.get_slot("gestopt"):
            # stopped or deleted inside the form: forget the answers in the conversation too
            return [AllSlotsReset(), SlotSet("gestopt", True)]
        gemeente = tracker.get_slot("gemeente")
        if tracker.get_slot("toestemming") is False:
            dispatcher.utter_message(text=tekst("antwoorden.geen_toestemming", contact=contact_zin(gemeente)))
            return [AllSlotsReset(), SlotSet("gestopt", True)]
        if tracker.get_slot("buiten_regio"):
            plaats = tracker.get_slot("woonplaats_buiten") or "uw woonplaats"
            dispatcher.utter_message(text=tekst("antwoorden.buiten_regio", plaats=plaats))
            return [AllSlotsReset(), SlotSet("gestopt", True)]
        leeftijd = tracker.get_slot("leeftijd")
        if isinstance(leeftijd, int) and leeftijd < policy().leeftijd.minimum:
            dispatcher.utter_message(text=tekst("antwoorden.minderjarig", contact=contact_zin(gemeente)))
            return [AllSlotsReset(), SlotSet("gestopt", True)]
        draft = await indienen(tracker, afgerond=True)
        if draft is None:
            # nothing is lost: the form asks the confirmation again, and "ja" retries the submit
            dispatcher.utter_message(text=tekst("antwoorden.niet_opgeslagen", contact=contact_zin(gemeente)))
            return [SlotSet("bevestiging", None), ActiveLoop("intake_form"), SlotSet("requested_slot", "bevestiging")]
        naam = gemeente if gemeente not in (None, ONBEKEND) else "uw gemeente"
        dispatcher.utter_message(
            text=tekst(
                "antwoorden.ingediend",
                gemeente=naam,
                termijn=policy().afhandeling.reactietermijn_werkdagen,
                contact=contact_zin(gemeente),
            )
        )
        return [SlotSet("afgerond", True)]
