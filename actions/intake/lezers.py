"""One reader per question: what an answer means, read as an answer to the question that was asked.

`LEZERS[name](bericht, zeg)` returns the slot values the answer gives, or None when it was not
understood (the form then asks again, and after the question's `pogingen` takes `STANDAARD`).
`zeg` is the dispatcher, for the few readers that say something back. The readers combine the
trained models of `actions/nlp/tekstmodellen.py` (areas, type, circumstances, network, provisions,
contact) with the lexicon and the rules in `interpretatie.py` (ages, durations, places).
The question table (`vraagtabel.py`) names each question's reader.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Optional

from ..nlp import tekstmodellen
from ..nlp.lexicon import fold
from ..nlp.plaatsen import lees_plaats
from . import interpretatie as lees
from .bericht import Bericht
from .context import gebied_naam, policy, policy_voor, tekst, teksten
from .vraagtabel import ONBEKEND, Slots, reset_slots, volgende_gebied

Uitkomst = Optional[Dict[str, Any]]
Lezer = Callable[[Bericht, Any], Uitkomst]
HULPVRAAG_ZEKER = 0.7  # areas taken from the story only when the model is this sure
DEEL_ZEKER = 0.6  # the areas model on one part of an answer, to see which areas that part denies
# at the areas question, when no area reaches its threshold, the likeliest one is taken if the model
# gives it this much: the areas are said back with a button each, so a guess costs the inwoner less
# than the question again
TERUGVAL = 0.3


def _vrij(bericht: Bericht) -> str:
    return ONBEKEND if bericht.weet_niet else bericht.tekst


def _model(naam: str) -> tekstmodellen.Getraind:
    return tekstmodellen.geladen()[naam]


def _ja_nee(slot: str) -> Lezer:
    def lezer(bericht: Bericht, zeg: Any) -> Uitkomst:
        if bericht.is_nee:
            return {slot: False}
        if bericht.is_ja:
            return {slot: True}
        return None

    return lezer


# -- gemeente and age ---------------------------------------------------------------------------------


def lees_gemeente(bericht: Bericht, zeg: Any) -> Uitkomst:
    p = policy()
    plaats = lees_plaats(bericht.tekst, p)
    if plaats is not None and plaats.buiten:
        return {"gemeente": None, "woonplaats_buiten": plaats.plaats or plaats.buiten}
    if plaats is not None and plaats.gemeente:
        if plaats.dubbel:
            return {"gemeente": None, "plaats_dubbel": {"plaats": plaats.plaats, "gemeente": plaats.gemeente}}
        return {"gemeente": plaats.gemeente, "woonplaats": plaats.plaats or plaats.gemeente, "woonplaats_buiten": None}
    if re.search(r"\bergens anders\b|\bandere gemeente\b|\bniet in (de|deze) (regio|gemeenten?)\b", bericht.gevouwen):
        return {"gemeente": None, "woonplaats_buiten": "een andere gemeente"}
    elders = None if bericht.weet_niet else lees.plaats_buiten_regio(bericht.tekst)
    if elders:
        return {"gemeente": None, "woonplaats_buiten": elders}
    return None


def lees_plaats_bevestigd(bericht: Bericht, zeg: Any) -> Uitkomst:
    dubbel = bericht.slots.get("plaats_dubbel") or {}
    if bericht.is_ja:
        return {
            "plaats_bevestigd": None,
            "plaats_dubbel": None,
            "gemeente": dubbel.get("gemeente"),
            "woonplaats": dubbel.get("plaats"),
        }
    if bericht.is_nee:
        plaats = dubbel.get("plaats") or "uw woonplaats"
        return {"plaats_bevestigd": None, "plaats_dubbel": None, "gemeente": None, "woonplaats_buiten": plaats}
    return None


def lees_buiten_regio_bevestigd(bericht: Bericht, zeg: Any) -> Uitkomst:
    plaats = lees_plaats(bericht.tekst, policy())
    if plaats is not None and plaats.gemeente and not plaats.buiten:
        return {
            "gemeente": plaats.gemeente,
            "woonplaats": plaats.plaats,
            "woonplaats_buiten": None,
            "buiten_regio_bevestigd": None,
        }
    if bericht.is_nee:
        pogingen = dict(bericht.slots.get("pogingen") or {})
        pogingen["gemeente"] = max(1, pogingen.get("gemeente", 0))
        return {"woonplaats_buiten": None, "buiten_regio_bevestigd": None, "pogingen": pogingen}
    return {"buiten_regio_bevestigd": True, "buiten_regio": True}


def lees_leeftijd(bericht: Bericht, zeg: Any) -> Uitkomst:
    leeftijd = lees.parse_leeftijd(bericht.tekst)
    if leeftijd is not None:
        return {"leeftijd": leeftijd}
    if bericht.weet_niet:
        zeg.utter_message(text=tekst("antwoorden.leeftijd_overgeslagen"))
        return {"leeftijd": ONBEKEND}
    return None


# -- the question and the areas -----------------------------------------------------------------------


def gebieden_in(text: str, drempel: Optional[float] = None) -> List[str]:
    """The areas an answer names, by the areas model (which knows the lexicon and negation);
    with `drempel`, only those the model alone is that sure of."""
    gekozen, kansen = _model("gebieden").lees(text)
    return gekozen if drempel is None else [c for c in tekstmodellen.GEBIEDEN if kansen.get(c, 0.0) >= drempel]


def lees_hulpvraag(bericht: Bericht, zeg: Any) -> Uitkomst:
    text = _vrij(bericht)
    if bericht.te_lang:
        zeg.utter_message(text=tekst("antwoorden.te_lang"))
    voorstel = gebieden_in(text, HULPVRAAG_ZEKER) if text != ONBEKEND else []
    ontkend = set(_ontkende_gebieden(text)) | set(_ontkende_zinsdelen(text))
    voorstel = [c for c in voorstel if c not in ontkend]
    return {"hulpvraag": text, "gebieden_voorstel": voorstel}


def _gebieden_met(codes: List[str], slots: Slots) -> List[Dict[str, Any]]:
    """The chosen areas, keeping goals and types already given for an area that stays."""
    bestaand = {g["code"]: g for g in slots.get("gebieden") or []}
    return [dict(bestaand.get(c, {"code": c})) for c in codes]


def _ontkende_gebieden(text: str) -> List[str]:
    """Areas the answer only mentions to deny them ("geld is geen probleem")."""
    norm = tekstmodellen.normaliseer(text)
    treffers = [
        (m.code, ontkend) for m, ontkend in tekstmodellen.lexicon_treffers(norm) if m.label == "resultaatgebied"
    ]
    genoemd = {code for code, ontkend in treffers if not ontkend}
    return [code for code, ontkend in treffers if ontkend and code not in genoemd]


_ALLES = re.compile(r"\b(alles|alle (vijf|5|onderdelen)|overal|met alles)\b")
_ONTKENNENDE_ZIN = re.compile(
    r"^\W*(nee,? )?(niet|nie|niks|nee)( \w+)? (met|bij|de|het|mijn|me|m'n|voor|zo)\b"
    r"|\bgeen (hulp|behoefte|last|moeite|probleem|problemen)\b|\bheb ik genoeg\b|\bgenoeg (vrienden|mensen|contact)\b"
    # "geld is het probleem niet", "de post is niet het punt"
    r"|\b(is|zijn) (het|mijn|m'n|ons) (probleem|punt) niet\b|\b(is|zijn) niet (het|mijn|m'n|ons) (probleem|punt)\b"
    r"|\b(gaat|lukt|lukken|doe|doet|regel|regelt) (?!(\w+ ){0,2}(niet|nie|slecht|moeilijk))(\w+ ){0,2}(wel|prima|goed|zelf)\b"
    # someone else does it: "de papieren doet mijn zwager", "het geld beheert onze dochter"
    r"|\b(doet|doen|regelt|regelen|verzorgt|beheert) (mijn|me|m'n|onze|ons) \w+( \w+)?\W*$"
)
_ZINSDELEN = re.compile(r"[.;!?]|,\s*(?=wel\b|maar\b)|\b(?:maar|wel)\b")
# the question names the areas in this order: "de eerste en de laatste", "1 en 2", "de middelste"
_RANGTELWOORDEN = {
    "eerste": 0,
    "1": 0,
    "tweede": 1,
    "2": 1,
    "derde": 2,
    "3": 2,
    "middelste": 2,
    "vierde": 3,
    "4": 3,
    "vijfde": 4,
    "5": 4,
    "laatste": 4,
}


def _ontkende_zinsdelen(text: str) -> List[str]:
    """Areas named only in a part of the answer that denies them: "niet met geld, dat zit goed",
    "contact met anderen gaat wel", "alles behalve de post"."""
    norm = tekstmodellen.normaliseer(text)
    ontkend, bevestigd = set(), set()
    for deel in _ZINSDELEN.split(norm):
        if not deel or not deel.strip():
            continue
        treffers = [m for m, _ in tekstmodellen.lexicon_treffers(deel) if m.label == "resultaatgebied"]
        # "alles behalve het geld": only what follows "behalve" is left out
        uitgezonderd = {
            m.code for m in treffers if re.search(r"\b(behalve|uitgezonderd)(\s+\w+){0,3}\s*$", deel[: m.start])
        }
        ontkend.update(uitgezonderd)
        # the areas of this part: the lexicon's words, and what the model alone is sure the part
        # is about ("de papieren doet mijn zwager" names no lexicon word, yet is about the post)
        codes = ({m.code for m in treffers} | set(gebieden_in(deel, DEEL_ZEKER))) - uitgezonderd
        if uitgezonderd:  # "alles behalve geld, dat doet mijn zoon": the rest is asked for
            bevestigd.update(codes)
            continue
        (ontkend if _ONTKENNENDE_ZIN.search(deel) else bevestigd).update(codes)
    return sorted(ontkend - bevestigd)


def gebieden_van_antwoord(text: str) -> List[str]:
    """The areas an answer to "bij welke onderdelen wilt u hulp?" asks for: the areas model, then
    the answer's own words: denied parts left out, "alles (behalve …)", and the order the question
    named them in ("de eerste en de laatste")."""
    folded = fold(text)
    volgorde = list(tekstmodellen.GEBIEDEN)
    rang = [volgorde[i] for w, i in _RANGTELWOORDEN.items() if re.search(rf"(^|\s)(de )?{w}(\s|$|,|\.)", folded)]
    reeks = re.search(r"\b(eerste|laatste) (twee|drie|vier)\b", folded)
    if reeks:
        aantal = {"twee": 2, "drie": 3, "vier": 4}[reeks.group(2)]
        rang = volgorde[:aantal] if reeks.group(1) == "eerste" else volgorde[-aantal:]
    if rang and len(folded.split()) <= 8 and not re.search(r"\balle\b", folded):
        return [c for c in volgorde if c in rang]
    ontkend = set(_ontkende_gebieden(text)) | set(_ontkende_zinsdelen(text))
    codes, kansen = _model("gebieden").lees(text)
    # the likeliest area the answer does not deny: "geld is geen probleem, maar mijn dag indelen"
    # must not fall back to the money it mentions only to deny
    over = [c for c in tekstmodellen.GEBIEDEN if c not in ontkend]
    beste = max(over, key=lambda c: kansen.get(c, 0.0)) if over else None
    if not codes and beste is not None and kansen.get(beste, 0.0) >= TERUGVAL:
        codes = [beste]
    # "alles", "alle vijf", "alles behalve de post" as an answer; in a longer story "alles" is
    # rarely about the areas ("alles loopt door elkaar")
    kort = len(folded.split()) <= 6 or re.search(r"\b(behalve|uitgezonderd)\b", folded)
    if kort and _ALLES.search(folded) and not re.search(r"\b(niet|nie) alles\b|\?", folded):
        codes = volgorde
    genoemd = list(tekstmodellen.citaten(text, "resultaatgebied"))
    if genoemd and re.match(r"\W*(alleen|enkel|uitsluitend|slechts)\b", tekstmodellen.normaliseer(text)):
        codes = genoemd  # "alleen mijn administratie": only what is named
    return [c for c in codes if c not in ontkend]


def lees_resultaatgebieden(bericht: Bericht, zeg: Any) -> Uitkomst:
    ontkend = set(_ontkende_gebieden(bericht.tekst)) | set(_ontkende_zinsdelen(bericht.tekst))
    voorstel = [c for c in bericht.slots.get("gebieden_voorstel") or [] if c not in ontkend]
    # a bare yes confirms what the story made clear; it names no area of its own
    codes = [] if bericht.weet_niet or bericht.alleen_ja else gebieden_van_antwoord(bericht.tekst)
    if re.match(r"\W*(alleen|enkel|uitsluitend|slechts|alleen maar)\b", tekstmodellen.normaliseer(bericht.tekst)):
        voorstel = []  # "only …": what the story made clear does not stay
    if not codes and not (voorstel and (bericht.is_ja or bericht.weet_niet)):
        return None
    # what the story already made clear stays, unless the answer says it is no problem
    gekozen = list(dict.fromkeys(voorstel + codes))
    return {"resultaatgebieden": gekozen, "gebieden": _gebieden_met(gekozen, bericht.slots), "gebieden_bevestigd": None}


def _wijzigingen(text: str, gekozen: List[str]) -> Optional[List[str]]:
    """Area buttons and their typed equivalents: "niet: post en geld", "ook: structuur"."""
    folded = fold(text)
    m = re.match(r"^\s*(niet|zonder|geen|ook|en ook|plus)\b:?\s*(.+)$", folded)
    if not m:
        return None
    namen = {fold(naam): code for code, naam in teksten()["gebieden"].items()}
    codes = [namen[m.group(2).strip(" .")]] if m.group(2).strip(" .") in namen else gebieden_in(m.group(2))
    if not codes:
        return None
    if m.group(1) in ("niet", "zonder", "geen"):
        return [c for c in gekozen if c not in codes]
    return list(dict.fromkeys(gekozen + codes))


def lees_gebieden_bevestigd(bericht: Bericht, zeg: Any) -> Uitkomst:
    gekozen = [g["code"] for g in bericht.slots.get("gebieden") or []]
    gewijzigd = _wijzigingen(bericht.tekst, gekozen)
    if gewijzigd is not None:
        if not gewijzigd:
            return {"resultaatgebieden": None, "gebieden_bevestigd": None, "gebieden_voorstel": []}
        return {
            "resultaatgebieden": gewijzigd,
            "gebieden": _gebieden_met(gewijzigd, bericht.slots),
            "gebieden_bevestigd": None,
        }
    codes = [] if bericht.is_ja and len(bericht.tekst.split()) <= 3 else gebieden_in(bericht.tekst)
    if bericht.is_ja and not codes:
        return {"gebieden_bevestigd": True}
    if codes:  # the inwoner restated the areas: take the new list and confirm that
        return {"resultaatgebieden": codes, "gebieden": _gebieden_met(codes, bericht.slots), "gebieden_bevestigd": None}
    if bericht.is_nee:
        return {"resultaatgebieden": None, "gebieden_bevestigd": None, "gebieden_voorstel": []}
    return None


def _per_gebied(bericht: Bericht, veld: str, waarden: Dict[str, Any]) -> List[Dict[str, Any]]:
    code = volgende_gebied(bericht.slots, veld)
    gebieden = [dict(g) for g in bericht.slots.get("gebieden") or []]
    for g in gebieden:
        if g["code"] == code:
            g.update(waarden)
    return gebieden


def lees_doel(bericht: Bericht, zeg: Any) -> Uitkomst:
    return {"gebieden": _per_gebied(bericht, "doel", {"doel": _vrij(bericht)}), "doel": None}


def type_van(text: str) -> Optional[str]:
    gekozen, _ = _model("type").lees(text)
    return gekozen[0] if gekozen else None


def lees_type(bericht: Bericht, zeg: Any) -> Uitkomst:
    type_ = None if bericht.weet_niet else type_van(bericht.tekst)
    if type_ is None and not bericht.weet_niet:
        if bericht.intent == "affirm":
            type_ = "ontwikkelen"  # "can it be learned or improve?" "ja"
        elif bericht.intent == "deny":
            type_ = "behouden"
        else:
            return None
    waarden = {"type": type_, "type_toelichting": _vrij(bericht)}
    return {"gebieden": _per_gebied(bericht, "type_toelichting", waarden), "type_ondersteuning": None}


def lees_prioriteit(bericht: Bericht, zeg: Any) -> Uitkomst:
    gekozen = [g["code"] for g in bericht.slots.get("gebieden") or []]
    code = lees.parse_prioriteit(bericht.tekst, gekozen, gebieden_in(bericht.tekst, 0.3))
    if code:
        return {"prioriteit": code}
    if bericht.weet_niet:
        zeg.utter_message(text=tekst("antwoorden.prioriteit_onbekend"))
        return {"prioriteit": gekozen[0] if gekozen else ONBEKEND}
    return None


# -- eigen kracht, netwerk, voorliggend veld, circumstances, duration, contact -------------------------


def lees_eigen_kracht(bericht: Bericht, zeg: Any) -> Uitkomst:
    return {"eigen_kracht": _vrij(bericht)}


def lees_netwerk(bericht: Bericht, zeg: Any) -> Uitkomst:
    text = _vrij(bericht)
    signalen = [] if text == ONBEKEND else _model("netwerk").lees(text)[0]
    result: Dict[str, Any] = {"netwerk": text, "netwerk_signalen": signalen}
    if "overbelast" in signalen:
        kenmerken = list(bericht.slots.get("kenmerken") or [])
        if not any(k["code"] == "mantelzorger_overbelast" for k in kenmerken):
            kenmerken.append({"code": "mantelzorger_overbelast", "tekst": text[:300]})
        result["kenmerken"] = kenmerken
    return result


def lees_voorliggend_veld(bericht: Bericht, zeg: Any) -> Uitkomst:
    suggestie = voorliggend_veld_suggestie(bericht.slots)
    if suggestie:
        zeg.utter_message(text=suggestie)
    text = _vrij(bericht)
    genoemd = [] if text == ONBEKEND else _model("voorzieningen").lees(text)[0]
    return {"voorliggend_veld": text, "voorzieningen": genoemd}


def voorliggend_veld_suggestie(slots: Slots) -> Optional[str]:
    """Name one or two general provisions of the inwoner's gemeente that fit the chosen areas."""
    p = policy_voor(slots.get("gemeente"))
    gemeente = p.gemeenten.get(slots.get("gemeente") or "")
    if gemeente is None:
        return None
    codes = {g["code"] for g in slots.get("gebieden") or []}
    passend = [p.voorzieningen[v] for v in gemeente.voorliggend_veld if codes & set(p.voorzieningen[v].past_bij)]
    if not passend:
        return None
    delen = [f"{v.naam} ({v.biedt})" for v in passend[:2]]
    return tekst("antwoorden.voorliggend_veld_suggestie", voorzieningen=" of ".join(delen))


_ZINSEINDE = re.compile(r"(?<=[.!?;])\s+")


def omstandigheden_in(text: str) -> List[str]:
    """The circumstances an answer names: the model on the whole answer, and a circumstance named
    in a sentence of its own ("… Toen ben ik opgenomen. En mijn partner werkt eerder tegen dan
    mee."), when the lexicon finds its words there and the model on that sentence agrees. Read
    whole, one strong circumstance pushes the model's chance of a second one down."""
    model = _model("omstandigheden")
    gevonden = set(model.lees(text)[0])
    zinnen = [z for z in _ZINSEINDE.split(text) if len(z.split()) >= 3]
    if len(zinnen) > 1:
        for zin in zinnen:
            gevonden |= set(model.lees(zin)[0]) & set(tekstmodellen.citaten(zin, "omstandigheid"))
    return [c for c in tekstmodellen.OMSTANDIGHEDEN if c in gevonden]


def omstandigheden_uit(text: str) -> List[Dict[str, str]]:
    """Named circumstances with the inwoner's words. A "no" or a diagnosis on its own gives none;
    a diagnosis is recorded under its own code so the draft can say why it does not count."""
    if text == ONBEKEND:
        return []
    codes = omstandigheden_in(text)
    result = [{"code": c, "toelichting": text} for c in codes]
    if not result:
        diagnoses = tekstmodellen.citaten(text, "kenmerk")
        result = [{"code": c, "toelichting": text} for c in diagnoses if c in policy().niet_verzwarend]
    return result


def lees_omstandigheden(bericht: Bericht, zeg: Any) -> Uitkomst:
    text = _vrij(bericht)
    return {"verzwarende_omstandigheden": text, "omstandigheden": omstandigheden_uit(text)}


def lees_duur(bericht: Bericht, zeg: Any) -> Uitkomst:
    text = _vrij(bericht)
    return {"duur": text, "duur_maanden": None if text == ONBEKEND else lees.parse_duur(text)}


def lees_frequentie(bericht: Bericht, zeg: Any) -> Uitkomst:
    if bericht.weet_niet:
        return {"frequentie": ONBEKEND, "frequentie_code": None}
    code = lees.parse_frequentie(bericht.tekst)
    return None if code is None else {"frequentie": bericht.tekst, "frequentie_code": code}


def lees_planbaar(bericht: Bericht, zeg: Any) -> Uitkomst:
    if bericht.weet_niet:
        return {"planbaar": ONBEKEND, "te_plannen": None}
    te_plannen = lees.parse_planbaar(bericht.tekst)
    if te_plannen is None and (bericht.is_ja or bericht.is_nee):
        te_plannen = bericht.is_ja  # "Kan de hulp op vaste momenten?" "ja" / "nee"
    return None if te_plannen is None else {"planbaar": bericht.tekst, "te_plannen": te_plannen}


def lees_contact(bericht: Bericht, zeg: Any) -> Uitkomst:
    text = _vrij(bericht)
    voorkeur = [] if text == ONBEKEND else _model("contact").lees(text)[0]
    return {"contact": text, "contact_voorkeur": voorkeur}


# -- confirmation and correction --------------------------------------------------------------------


def lees_bevestiging(bericht: Bericht, zeg: Any) -> Uitkomst:
    if bericht.is_nee:
        return {"bevestiging": False}
    if bericht.is_ja:
        return {"bevestiging": True}
    return None


def onderwerp_van(bericht: Bericht) -> Optional[str]:
    """The topic an inwoner wants to change: a button, a named topic, or a place or age given."""
    onderwerpen = bericht.entiteiten("onderwerp")
    if onderwerpen:
        return onderwerpen[0]
    if bericht.entiteiten("plaats"):
        return "gemeente"
    if lees.parse_leeftijd(bericht.tekst) is not None and re.search(r"\b(jaar|oud|leeftijd)\b", bericht.gevouwen):
        return "leeftijd"
    return None


def lees_correctie_onderwerp(bericht: Bericht, zeg: Any) -> Uitkomst:
    onderwerp = onderwerp_van(bericht)
    if onderwerp is None:
        if bericht.is_nee:
            return {"bevestiging": None, "correctie_onderwerp": None, "correctie_gevraagd": None}
        return None
    zeg.utter_message(text=tekst("antwoorden.correctie_ok"))
    return {slot: None for slot in reset_slots(onderwerp)}


LEZERS: Dict[str, Lezer] = {
    "toestemming": _ja_nee("toestemming"),
    "gemeente": lees_gemeente,
    "buiten_regio_bevestigd": lees_buiten_regio_bevestigd,
    "plaats_bevestigd": lees_plaats_bevestigd,
    "leeftijd": lees_leeftijd,
    "hulpvraag": lees_hulpvraag,
    "resultaatgebieden": lees_resultaatgebieden,
    "gebieden_bevestigd": lees_gebieden_bevestigd,
    "doel": lees_doel,
    "type_ondersteuning": lees_type,
    "prioriteit": lees_prioriteit,
    "eigen_kracht": lees_eigen_kracht,
    "netwerk": lees_netwerk,
    "voorliggend_veld": lees_voorliggend_veld,
    "verzwarende_omstandigheden": lees_omstandigheden,
    "duur": lees_duur,
    "frequentie": lees_frequentie,
    "planbaar": lees_planbaar,
    "contact": lees_contact,
    "correctie_onderwerp": lees_correctie_onderwerp,
    "bevestiging": lees_bevestiging,
}


def standaard(slot: str, bericht: Bericht, zeg: Any) -> Dict[str, Any]:
    """After the question's tries: what the form records so the conversation moves on."""
    gekozen = [g["code"] for g in bericht.slots.get("gebieden") or []]
    if slot == "toestemming":
        return {"toestemming": False}  # no clear yes: nothing is stored
    if slot == "gemeente":
        return {"gemeente": ONBEKEND}
    if slot == "leeftijd":
        zeg.utter_message(text=tekst("antwoorden.leeftijd_overgeslagen"))
        return {"leeftijd": ONBEKEND}
    if slot == "resultaatgebieden":  # the consultant picks the areas up with the inwoner
        return {"resultaatgebieden": ONBEKEND, "gebieden": [], "gebieden_bevestigd": True}
    if slot == "type_ondersteuning":
        zeg.utter_message(text=tekst("antwoorden.type_onbekend"))
        waarden = {"type": None, "type_toelichting": bericht.tekst or ONBEKEND}
        return {"gebieden": _per_gebied(bericht, "type_toelichting", waarden), "type_ondersteuning": None}
    if slot == "prioriteit":
        zeg.utter_message(text=tekst("antwoorden.prioriteit_onbekend"))
        return {"prioriteit": gekozen[0] if gekozen else ONBEKEND}
    if slot == "correctie_onderwerp":
        return {"bevestiging": None, "correctie_onderwerp": None, "correctie_gevraagd": None}
    if slot in ("gebieden_bevestigd", "bevestiging", "buiten_regio_bevestigd"):
        return {slot: True} if slot != "buiten_regio_bevestigd" else {slot: True, "buiten_regio": True}
    if slot == "plaats_bevestigd":
        return lees_plaats_bevestigd(Bericht("ja", slots=bericht.slots), zeg) or {}
    return {slot: bericht.tekst or ONBEKEND}


__all__ = [
    "LEZERS",
    "standaard",
    "gebied_naam",
    "gebieden_in",
    "omstandigheden_in",
    "omstandigheden_uit",
    "onderwerp_van",
]
