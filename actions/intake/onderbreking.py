"""Interruptions of the intake, in one place: why, a person, stop, delete, start over, correct.

During the intake every message goes to the form, which reads it as the answer to the question
asked unless `herken()` finds it unmistakably an interruption: a button, or the interruption model
(trained on answers that only look like requests, such as "ik wil stoppen met drinken") sure
enough, alone or together with Rasa's intent. `behandel()` then answers it and says which slots
change. Stop and delete are confirmed first (`bevestig_onderbreking`); the same text sent again to
the same question after an interruption is the answer (`is_herhaling`), so nothing loops.
Imported by the form (`formulier.py`) and the actions outside the form (`acties.py`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..nlp import tekstmodellen
from ..nlp.plaatsen import lees_plaats
from . import interpretatie as lees
from .bericht import Bericht
from .context import contact_zin, policy, tekst
from .lezers import onderwerp_van
from .verzamelen import verwijderen
from .vraagtabel import FORM_SLOTS, HULPSLOTS, reset_slots

INTENT_LABEL = tekstmodellen.ONDERBREKING_INTENTS
ZEKER = 0.85  # the model alone
SAMEN = 0.5  # the model together with Rasa's intent


def herken(bericht: Bericht) -> Optional[str]:
    """The interruption a message unmistakably is, or None when it is an answer."""
    rasa = INTENT_LABEL.get(bericht.intent or "")
    if bericht.knop:
        return rasa
    if (bericht.is_ja or bericht.is_nee) and len(bericht.tekst.split()) <= 4:
        return None  # "ja dat klopt", "nee hoor": an answer
    gekozen, kansen = tekstmodellen.geladen()["onderbreking"].lees(bericht.tekst)
    if not gekozen:
        return None
    label = gekozen[0]
    kans = kansen.get(label, 0.0)
    if kans >= ZEKER or (label == rasa and kans >= SAMEN):
        return label
    return None


def marker(slot: Optional[str], bericht: Bericht, soort: Optional[str] = None) -> Dict[str, Any]:
    """What `is_herhaling` compares; `soort` names the interruption for the analysis (actions/analyse)."""
    gezien = {"slot": slot, "tekst": bericht.sleutel()}
    return {**gezien, "soort": soort} if soort else gezien


def is_herhaling(slot: str, bericht: Bericht) -> bool:
    """The same text again to the same question after an interruption: then it is the answer."""
    laatste = bericht.slots.get("laatste_onderbreking")
    if not bericht.sleutel() or not isinstance(laatste, dict):
        return False
    return {"slot": laatste.get("slot"), "tekst": laatste.get("tekst")} == marker(slot, bericht)


def alles_leeg() -> Dict[str, Any]:
    return {slot: None for slot in [*FORM_SLOTS, *HULPSLOTS]}


def behandel(soort: str, slot: str, bericht: Bericht, zeg: Any) -> Dict[str, Any]:
    """Answer an interruption at question `slot`; the slot values that change."""
    blijf = {slot: None, "laatste_onderbreking": marker(slot, bericht, soort)}
    if soort == "waarom":
        zeg.utter_message(text=waarom_tekst(slot))
        return blijf
    if soort == "mens":
        zeg.utter_message(text=tekst("antwoorden.mens", contact=contact_zin(bericht.slots.get("gemeente"))))
        return blijf
    if soort in ("stoppen", "wissen"):
        actie = "wissen" if soort == "wissen" else "stoppen"
        return {
            slot: None,
            "te_bevestigen": {"actie": actie, "slot": slot, "tekst": bericht.tekst},
            "bevestig_onderbreking": None,
        }
    if soort == "opnieuw":
        zeg.utter_message(text=tekst("antwoorden.opnieuw"))
        return {**alles_leeg(), "laatste_onderbreking": {"slot": None, "tekst": None, "soort": soort}}
    return {**blijf, **corrigeer(bericht, zeg)}


def waarom_tekst(slot: Optional[str]) -> str:
    try:
        return tekst(f"waarom.{slot}")
    except KeyError:
        return tekst("waarom.algemeen")


def corrigeer(bericht: Bericht, zeg: Any) -> Dict[str, Any]:
    """A correction: clear the topic named (and apply a new place or age given with it), or ask
    which answer the inwoner wants to change."""
    onderwerp = onderwerp_van(bericht)
    if onderwerp is None:
        return {"correctie_gevraagd": True, "correctie_onderwerp": None}
    wijziging: Dict[str, Any] = {s: None for s in reset_slots(onderwerp)}
    if onderwerp == "gemeente":
        plaats = lees_plaats(bericht.tekst, policy())
        if plaats is not None and plaats.gemeente and not plaats.buiten and not plaats.dubbel:
            wijziging.update(gemeente=plaats.gemeente, woonplaats=plaats.plaats)
    if onderwerp == "leeftijd":
        wijziging["leeftijd"] = lees.parse_leeftijd(bericht.tekst)
    zeg.utter_message(text=tekst("antwoorden.correctie_ok"))
    return wijziging


def zeg_gestopt(zeg: Any, slots: Dict[str, Any]) -> None:
    if slots.get("urgent_ingediend"):
        zeg.utter_message(text=tekst("antwoorden.gestopt_urgent"))
    else:
        zeg.utter_message(text=tekst("antwoorden.gestopt", contact=contact_zin(slots.get("gemeente"))))


async def wis_gesprek(zeg: Any, conversation_id: str) -> None:
    await verwijderen(conversation_id)
    zeg.utter_message(text=tekst("antwoorden.verwijderd"))
    zeg.utter_message(json_message={"gewist": True})  # the web chat clears its copy too


async def uitvoeren(actie: str, conversation_id: str, slots: Dict[str, Any], zeg: Any) -> Dict[str, Any]:
    """Carry out a confirmed stop or delete inside the form; the form then ends (gestopt)."""
    if actie == "wissen":
        await wis_gesprek(zeg, conversation_id)
        return {"te_bevestigen": None, "gestopt": True, "gegevens_verwijderd": True}
    zeg_gestopt(zeg, slots)
    return {"te_bevestigen": None, "gestopt": True}


async def bevestig(bericht: Bericht, conversation_id: str, zeg: Any) -> Dict[str, Any]:
    """The answer to "do you want to stop / delete?": yes (or the same request again) carries it
    out; anything else goes on with the same question, whose answer the repeated text becomes."""
    vraag = bericht.slots.get("te_bevestigen") or {}
    again = herken(bericht) in ("stoppen", "wissen")
    if bericht.is_ja or again:
        actie = "wissen" if herken(bericht) == "wissen" else vraag.get("actie", "stoppen")
        return {"bevestig_onderbreking": "ja", **await uitvoeren(actie, conversation_id, bericht.slots, zeg)}
    zeg.utter_message(text=tekst("antwoorden.we_gaan_verder"))
    result: Dict[str, Any] = {"bevestig_onderbreking": None, "te_bevestigen": None}
    if vraag.get("slot") and vraag.get("tekst"):
        result["laatste_onderbreking"] = marker(vraag["slot"], Bericht(vraag["tekst"]))
    return result


__all__: List[str] = ["herken", "behandel", "bevestig", "is_herhaling", "uitvoeren", "wis_gesprek", "zeg_gestopt"]
