"""The intake questions: one `action_ask_<slot>` per question of the table, each with its payload.

Every question carries `{"intake_step", "resultaatgebied", "progress": {"step", "of"}}`; the web
chat shows progress from it and the tests know what is being asked. Closed questions offer
buttons as well as free text (yes/no, the two types, the areas said back, the priority).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from .context import gebied_naam, gebieden_zin, policy, tekst, teksten
from .samenvatting import samenvatting
from .vraagtabel import FORM_SLOTS, PER_SLOT, STAP_VAN_SLOT, gebied_vraag, volgende_gebied, voortgang


def knop(titel_sleutel: str, payload: str) -> Dict[str, str]:
    return {"title": tekst(f"knoppen.{titel_sleutel}"), "payload": payload}


def ja_nee() -> List[Dict[str, str]]:
    return [knop("ja", "/affirm"), knop("nee", "/deny")]


def onderwerp_knoppen() -> List[Dict[str, str]]:
    """One button per topic the inwoner can change; the payload names the topic."""
    return [
        {"title": titel, "payload": f'/correct{{"onderwerp": "{onderwerp}"}}'}
        for onderwerp, titel in teksten()["onderwerpen"].items()
    ]


def gebied_knoppen(gekozen: List[str]) -> List[Dict[str, str]]:
    """Confirm the areas said back, or change them with one button per area."""
    knoppen = [knop("klopt", "/affirm")]
    for code, naam in teksten()["gebieden"].items():
        if code in gekozen:
            knoppen.append({"title": tekst("knoppen.gebied_weg", gebied=naam), "payload": f"niet: {naam}"})
        else:
            knoppen.append({"title": tekst("knoppen.gebied_erbij", gebied=naam), "payload": f"ook: {naam}"})
    return knoppen


def payload(slots: Dict[str, Any], slot: str, gebied: Optional[str] = None) -> Dict[str, Any]:
    return {"intake_step": STAP_VAN_SLOT.get(slot), "resultaatgebied": gebied, "progress": voortgang(slots, slot)}


def _met_gebied(slot: str, slots: Dict[str, Any]) -> Optional[str]:
    veld = PER_SLOT[slot].per_gebied
    return volgende_gebied(slots, veld) if veld and gebied_vraag(slots) == slot else None


def vraag(slot: str, slots: Dict[str, Any]) -> Dict[str, Any]:
    """The message that asks for `slot`, given what is known: text, buttons, payload."""
    gebied = _met_gebied(slot, slots)
    buttons: List[Dict[str, str]] = []
    gekozen = [g["code"] for g in slots.get("gebieden") or []]
    pogingen = slots.get("pogingen") or {}
    if slot == "toestemming":
        text = tekst("vragen.toestemming", bewaartermijn=policy().privacy.bewaartermijn_dagen)
        buttons = ja_nee()
    elif slot == "gemeente":
        opnieuw = pogingen.get("gemeente", 0) > 0
        text = tekst("vragen.gemeente_opnieuw" if opnieuw else "vragen.gemeente")
        if opnieuw:
            buttons = [{"title": g, "payload": f"Ik woon in {g}"} for g in policy().gemeenten]
            buttons.append({"title": tekst("knoppen.ergens_anders"), "payload": "Ik woon ergens anders"})
    elif slot == "buiten_regio_bevestigd":
        gemeenten = gebieden_zin_van(list(policy().gemeenten))
        text = tekst("vragen.buiten_regio_bevestigd", plaats=slots.get("woonplaats_buiten") or "", gemeenten=gemeenten)
        buttons = ja_nee()
    elif slot == "plaats_bevestigd":
        dubbel = slots.get("plaats_dubbel") or {}
        text = tekst("vragen.plaats_bevestigd", plaats=dubbel.get("plaats", ""), gemeente=dubbel.get("gemeente", ""))
        buttons = ja_nee()
    elif slot == "resultaatgebieden":
        voorstel = slots.get("gebieden_voorstel") or []
        if voorstel:
            text = tekst("vragen.resultaatgebieden_met_voorstel", gebieden=gebieden_zin(voorstel))
        else:
            text = tekst("vragen.resultaatgebieden")
        if pogingen.get("resultaatgebieden", 0) > 0:
            buttons = [{"title": naam, "payload": f"Ik wil hulp bij {naam}"} for naam in teksten()["gebieden"].values()]
    elif slot == "gebieden_bevestigd":
        text = tekst("vragen.gebieden_bevestigd", gebieden=gebieden_zin(gekozen))
        buttons = gebied_knoppen(gekozen)
    elif slot in ("doel", "type_ondersteuning"):
        text = tekst(f"vragen.{slot}", gebied=gebied_naam(gebied or ""))
        if slot == "type_ondersteuning":
            buttons = [
                knop("leren", "Dit kan ik (weer) leren"),
                knop("blijft", "Dit blijft zo"),
                knop("weet_niet", "/dont_know"),
            ]
    elif slot == "frequentie":
        text = tekst("vragen.frequentie")
        buttons = [
            knop("elke_dag", "Elke dag"),
            knop("paar_keer_per_week", "Een paar keer per week"),
            knop("keer_per_week", "Eén keer per week"),
            knop("minder_vaak", "Minder vaak"),
            knop("weet_niet", "/dont_know"),
        ]
    elif slot == "planbaar":
        text = tekst("vragen.planbaar")
        buttons = [
            knop("vaste_momenten", "Ja, de hulp kan op vaste momenten"),
            knop("onverwacht", "Nee, ik heb vaak onverwacht hulp nodig"),
            knop("weet_niet", "/dont_know"),
        ]
    elif slot == "prioriteit":
        text = tekst("vragen.prioriteit", gebieden=gebieden_zin(gekozen))
        buttons = [{"title": gebied_naam(c), "payload": f"Eerst {gebied_naam(c)}"} for c in gekozen]
    elif slot == "bevestiging":
        text = tekst("vragen.bevestiging", samenvatting=samenvatting(slots))
        buttons = [knop("klopt", "/affirm"), knop("aanpassen", "/deny")]
    elif slot == "correctie_onderwerp":
        text = tekst("antwoorden.correctie_vraag")
        buttons = onderwerp_knoppen()
    elif slot == "bevestig_onderbreking":
        actie = (slots.get("te_bevestigen") or {}).get("actie")
        if actie == "wissen":
            text, ja = tekst("vragen.bevestig_wissen"), knop("ja_wissen", "/affirm")
        else:
            urgent = slots.get("urgent_ingediend")
            text = tekst("vragen.bevestig_stoppen_urgent" if urgent else "vragen.bevestig_stoppen")
            ja = knop("ja_stoppen", "/affirm")
        buttons = [ja, knop("nee_verder", "/deny")]
    elif slot == "veiligheid_check":
        text = tekst("vragen.veiligheid_check")
        buttons = ja_nee()
    elif slot == "veiligheid_keuze":
        text = tekst("vragen.veiligheid_keuze")
        buttons = [knop("verder", "/affirm"), knop("stoppen", "/stop")]
    else:
        text = tekst(f"vragen.{slot}")
    return {"text": text, "buttons": buttons, "json_message": payload(slots, slot, gebied)}


def gebieden_zin_van(namen: List[str]) -> str:
    return namen[0] if len(namen) <= 1 else ", ".join(namen[:-1]) + " en " + namen[-1]


def stel_vraag(dispatcher: CollectingDispatcher, slot: str, slots: Dict[str, Any]) -> None:
    message = vraag(slot, slots)
    dispatcher.utter_message(text=message["text"], buttons=message["buttons"] or None)
    dispatcher.utter_message(json_message=message["json_message"])


class AskAction(Action):
    """Base of the generated `action_ask_<slot>` actions."""

    slot: str = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List:
        stel_vraag(dispatcher, self.slot, tracker.current_slot_values())
        return []


for _slot in FORM_SLOTS:
    globals()[f"Ask_{_slot}"] = type(f"Ask_{_slot}", (AskAction,), {"slot": _slot})
