"""The conversation's actions around the form: welcome, and what happens when no intake is running.

During the intake the form handles every message itself (interruptions included, see
`onderbreking.py`); these actions run before the intake starts, after it ended, and to finish it.
The rules in data/rules/ say when each runs. Short: they call the texts (teksten.yml), the
interruptions module, the safety check and `verzamelen` (classify + store).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from . import onderbreking, veiligheid
from .bericht import Bericht
from .context import contact_zin, policy, policy_voor, tekst
from .verzamelen import indienen
from .vraagtabel import ONBEKEND
from .vragen import knop, onderwerp_knoppen


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
        dispatcher.utter_message(text=onderbreking.waarom_tekst(tracker.get_slot("requested_slot")))
        return []


class ActionVeiligheid(Action):
    """Danger outside the form (before the intake started or after it ended): help lines at once,
    an urgent draft if consent was given, then the form asks whether to go on."""

    def name(self) -> str:
        return "action_veiligheid"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        bericht = Bericht.uit(tracker)
        soorten = veiligheid.soorten(bericht.tekst) if bericht.tekst else []
        veiligheid.zeg_hulp(dispatcher, soorten)
        wijzigingen = veiligheid.markeer(bericht.slots, bericht.tekst, soorten)
        events: List[EventType] = [SlotSet(k, v) for k, v in wijzigingen.items()]
        if tracker.get_slot("toestemming") is True and not tracker.get_slot("urgent_ingediend"):
            tracker.add_slots(events)
            if await indienen(tracker, afgerond=False) is not None:
                dispatcher.utter_message(text=tekst("antwoorden.veiligheid_urgent"))
                events.append(SlotSet("urgent_ingediend", True))
        return events


class ActionStoppen(Action):
    """Stop outside the intake form (inside it, the form asks first)."""

    def name(self) -> str:
        return "action_stoppen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        onderbreking.zeg_gestopt(dispatcher, tracker.current_slot_values())
        if tracker.get_slot("urgent_ingediend"):
            return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("gestopt", True)]
        return [AllSlotsReset(), ActiveLoop(None), SlotSet("gestopt", True)]


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
        dispatcher.utter_message(text=tekst("antwoorden.mens", contact=contact_zin(tracker.get_slot("gemeente"))))
        return []


class ActionVerwijderen(Action):
    """Delete everything of this conversation; the tracker store drops the events too."""

    def name(self) -> str:
        return "action_verwijderen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        await onderbreking.wis_gesprek(dispatcher, tracker.sender_id)
        return [AllSlotsReset(), ActiveLoop(None), SlotSet("gegevens_verwijderd", True)]


class ActionCorrigeer(Action):
    """A correction outside the form: after the intake was sent, a new intake is the way."""

    def name(self) -> str:
        return "action_corrigeer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        if tracker.get_slot("afgerond"):
            dispatcher.utter_message(text=tekst("antwoorden.na_afronding"))
        else:
            dispatcher.utter_message(text=tekst("antwoorden.correctie_vraag"), buttons=onderwerp_knoppen())
        return []


class ActionNietBegrepen(Action):
    """Every message no rule answers while no intake runs; Rasa's fallback action too.

    After the intake (draft sent) or after a stop, whatever the inwoner writes ("bedankt!", "wanneer
    hoor ik iets?", "ja") gets an answer that says where things stand and what they can still do:
    start over, have everything deleted, or reach a person. Before the intake: one clarifying retry,
    then an offer to reach a person. A rule makes the assistant listen after this action, so it can
    never be predicted twice in a row (which would trip Rasa's circuit breaker).
    """

    def name(self) -> str:
        return "action_niet_begrepen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        gemeente = tracker.get_slot("gemeente")
        verder = [knop("opnieuw_beginnen", "/start_over"), knop("alles_wissen", "/delete_data")]
        if tracker.get_slot("afgerond"):
            naam = gemeente if gemeente not in (None, ONBEKEND) else "uw gemeente"
            dispatcher.utter_message(
                text=tekst(
                    "antwoorden.na_afronden",
                    gemeente=naam,
                    termijn=policy_voor(gemeente).afhandeling.reactietermijn_werkdagen,
                    contact=contact_zin(gemeente),
                ),
                buttons=[*verder, knop("iemand_spreken", "/ask_human")],
            )
            return []
        if tracker.get_slot("gestopt"):
            dispatcher.utter_message(text=tekst("antwoorden.na_stoppen", contact=contact_zin(gemeente)), buttons=verder)
            return []
        keer = int(tracker.get_slot("niet_begrepen") or 0) + 1
        if keer == 1:
            dispatcher.utter_message(text=tekst("antwoorden.niet_begrepen"))
        else:
            dispatcher.utter_message(
                text=tekst("antwoorden.niet_begrepen_mens", contact=contact_zin(gemeente)),
                buttons=[knop("iemand_spreken", "/ask_human"), knop("verder", "/affirm")],
            )
            keer = 0
        return [SlotSet("niet_begrepen", keer)]


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
            dispatcher.utter_message(text=tekst("antwoorden.buiten_regio", plaats=plaats, gemeenten=_gemeenten()))
            return [AllSlotsReset(), SlotSet("gestopt", True)]
        leeftijd = tracker.get_slot("leeftijd")
        if isinstance(leeftijd, int) and leeftijd < policy_voor(gemeente).leeftijd.minimum:
            dispatcher.utter_message(text=tekst("antwoorden.minderjarig", contact=contact_zin(gemeente)))
            return [AllSlotsReset(), SlotSet("gestopt", True)]
        indiening = await indienen(tracker, afgerond=True)
        if indiening is None:
            # nothing is lost: the form asks the confirmation again, and "ja" retries the submit
            dispatcher.utter_message(text=tekst("antwoorden.niet_opgeslagen", contact=contact_zin(gemeente)))
            return [SlotSet("bevestiging", None), ActiveLoop("intake_form"), SlotSet("requested_slot", "bevestiging")]
        naam = gemeente if gemeente not in (None, ONBEKEND) else "uw gemeente"
        dispatcher.utter_message(
            text=tekst(
                "antwoorden.later_ingediend" if indiening.later else "antwoorden.ingediend",
                gemeente=naam,
                termijn=policy_voor(gemeente).afhandeling.reactietermijn_werkdagen,
                contact=contact_zin(gemeente),
            )
        )
        return [SlotSet("afgerond", True)]


def _gemeenten() -> str:
    namen = list(policy().gemeenten)
    return namen[0] if len(namen) <= 1 else ", ".join(namen[:-1]) + " en " + namen[-1]
