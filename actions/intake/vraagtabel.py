"""The table of intake questions: the one place that says what the intake asks, and in which order.

Each `Vraag` is one question: the form slot it fills, its `intake_step` (the payload's topic), the
reader that understands its answer (`lezers.py`), how often an answer may be not understood before
the form moves on, when it is asked, what a correction of its topic clears, its line in the
summary and its share of the `Intake`. Everything else is derived from this table: the form's order
(`volgende_vragen`), `STAP_VAN_SLOT`, the progress indicator, the reset rules, the summary
(`samenvatting.py`), `intake_uit` (`verzamelen.py`), and the Rasa domain's form and slots
(`lekstroom domein` writes `bot/domain/intake.yml`; a test checks it is up to date).

Adding a question: one entry here, a reader in `lezers.py` when it is not free text, and its texts
in `teksten.yml` (`vragen.<slot>`, `waarom.<slot>`, `samenvatting.<slot>`).
Pure: no Rasa, no network; `Slots` is the dict of the conversation's slot values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

Slots = Dict[str, Any]
ONBEKEND = "(weet ik niet)"


def _altijd(slots: Slots, minimum_leeftijd: int) -> bool:
    return True


def _nooit(slots: Slots, minimum_leeftijd: int) -> bool:
    return False


def als_tekst(value: Any) -> str:
    """A slot value as the Intake's text: empty when unknown."""
    return "" if value in (None, ONBEKEND) else str(value)


@dataclass(frozen=True)
class Vraag:
    """One question of the intake."""

    slot: str
    stap: Optional[str]  # intake_step of its payload; None: a confirmation that belongs to no topic
    lezer: str  # name of its reader in lezers.LEZERS
    onderwerp: Optional[str] = None  # the topic an inwoner can correct it under (teksten.onderwerpen)
    reset: Tuple[str, ...] = ()  # slots cleared, besides its own, when that topic is corrected
    pogingen: int = 1  # not-understood answers asked again before the reader's default is taken
    gevraagd: Callable[[Slots, int], bool] = _altijd  # asked at all, given the slots and minimum age
    einde: Callable[[Slots, int], bool] = _nooit  # after it, the intake ends (no consent, outside, too young)
    per_gebied: Optional[str] = None  # asked per area: the key in each area dict it fills
    vrije_tekst: bool = False  # any text is an answer (a danger message is kept as the answer too)
    samenvatting: bool = False  # a line "samenvatting.<slot>" with its value in the summary
    intake_veld: Optional[str] = None  # the Intake field its free text goes to (when it is that simple)


def _trigger(slot: str) -> Callable[[Slots, int], bool]:
    return lambda slots, _: bool(slots.get(slot))


def _minderjarig(slots: Slots, minimum: int) -> bool:
    leeftijd = slots.get("leeftijd")
    return isinstance(leeftijd, int) and leeftijd < minimum


VRAGEN: Tuple[Vraag, ...] = (
    # Questions that interrupt the intake while their trigger is set; they stay required until
    # validated, because rasa_sdk only validates slots that are still required.
    Vraag("bevestig_onderbreking", None, "onderbreking_bevestigen", gevraagd=_trigger("te_bevestigen")),
    Vraag("veiligheid_check", None, "veiligheid_check", gevraagd=_trigger("veiligheid_twijfel")),
    Vraag(
        "veiligheid_keuze",
        None,
        "veiligheid_keuze",
        gevraagd=lambda s, _: bool(s.get("veiligheid")) and s.get("veiligheid_keuze") not in ("verder", "stoppen"),
    ),
    Vraag("toestemming", "toestemming", "toestemming", einde=lambda s, _: s.get("toestemming") is False),
    Vraag(
        "buiten_regio_bevestigd",
        None,
        "buiten_regio_bevestigd",
        gevraagd=lambda s, _: s.get("gemeente") is None and bool(s.get("woonplaats_buiten")),
        einde=lambda s, _: bool(s.get("buiten_regio")),
    ),
    Vraag("plaats_bevestigd", None, "plaats_bevestigd", gevraagd=_trigger("plaats_dubbel")),
    Vraag(
        "gemeente",
        "gemeente",
        "gemeente",
        onderwerp="gemeente",
        reset=("woonplaats", "woonplaats_buiten", "buiten_regio", "buiten_regio_bevestigd", "plaats_dubbel"),
        pogingen=2,
        samenvatting=True,
    ),
    Vraag("leeftijd", "leeftijd", "leeftijd", onderwerp="leeftijd", einde=_minderjarig, samenvatting=True),
    Vraag(
        "hulpvraag",
        "hulpvraag",
        "hulpvraag",
        onderwerp="hulpvraag",
        vrije_tekst=True,
        samenvatting=True,
        intake_veld="hulpvraag",
    ),
    Vraag(
        "resultaatgebieden",
        "resultaatgebieden",
        "resultaatgebieden",
        onderwerp="resultaatgebieden",
        reset=("gebieden_bevestigd", "prioriteit"),
        pogingen=2,
    ),
    Vraag(
        "gebieden_bevestigd", None, "gebieden_bevestigd", gevraagd=lambda s, _: s.get("resultaatgebieden") is not None
    ),
    Vraag(
        "doel",
        "doelen",
        "doel",
        per_gebied="doel",
        vrije_tekst=True,
        gevraagd=lambda s, _: s.get("gebieden_bevestigd") is True,
    ),
    Vraag(
        "type_ondersteuning",
        "type_ondersteuning",
        "type_ondersteuning",
        per_gebied="type_toelichting",
        gevraagd=lambda s, _: s.get("gebieden_bevestigd") is True,
    ),
    Vraag(
        "prioriteit",
        "prioriteit",
        "prioriteit",
        gevraagd=lambda s, _: s.get("gebieden_bevestigd") is True and len(s.get("gebieden") or []) > 1,
    ),
    Vraag(
        "eigen_kracht",
        "eigen_kracht",
        "eigen_kracht",
        onderwerp="eigen_kracht",
        vrije_tekst=True,
        samenvatting=True,
        intake_veld="eigen_kracht",
    ),
    Vraag(
        "netwerk",
        "netwerk",
        "netwerk",
        onderwerp="netwerk",
        vrije_tekst=True,
        samenvatting=True,
        intake_veld="netwerk",
    ),
    Vraag(
        "voorliggend_veld",
        "voorliggend_veld",
        "voorliggend_veld",
        onderwerp="voorliggend_veld",
        vrije_tekst=True,
        samenvatting=True,
        intake_veld="voorliggend_veld",
    ),
    Vraag(
        "verzwarende_omstandigheden",
        "verzwarende_omstandigheden",
        "verzwarende_omstandigheden",
        onderwerp="verzwarende_omstandigheden",
        reset=("omstandigheden",),
        vrije_tekst=True,
        samenvatting=True,
    ),
    Vraag(
        "duur",
        "duur",
        "duur",
        onderwerp="duur",
        reset=("duur_maanden",),
        vrije_tekst=True,
        samenvatting=True,
        intake_veld="duur_toelichting",
    ),
    # How often help is needed and whether it can be planned: asked in every region; a region's
    # policy file may use them (Centraal Gelderland: unplannable care; Leidse regio: modules, treden).
    Vraag(
        "frequentie",
        "frequentie",
        "frequentie",
        onderwerp="frequentie",
        reset=("frequentie_code",),
        samenvatting=True,
    ),
    Vraag(
        "planbaar",
        "planbaar",
        "planbaar",
        onderwerp="planbaar",
        reset=("te_plannen",),
        samenvatting=True,
    ),
    Vraag(
        "contact",
        "contact",
        "contact",
        onderwerp="contact",
        vrije_tekst=True,
        samenvatting=True,
        intake_veld="contact",
    ),
    Vraag(
        "correctie_onderwerp",
        None,
        "correctie_onderwerp",
        gevraagd=lambda s, _: s.get("bevestiging") is False or bool(s.get("correctie_gevraagd")),
    ),
    Vraag("bevestiging", "bevestiging", "bevestiging"),
)

PER_SLOT: Dict[str, Vraag] = {v.slot: v for v in VRAGEN}
FORM_SLOTS: List[str] = [v.slot for v in VRAGEN]
STAP_VAN_SLOT: Dict[str, Optional[str]] = {v.slot: v.stap for v in VRAGEN}
STAPPEN: List[str] = list(dict.fromkeys(v.stap for v in VRAGEN if v.stap))
PER_GEBIED: List[Vraag] = [v for v in VRAGEN if v.per_gebied]
# the step a confirmation question belongs to, for the progress indicator
BEVESTIGT = {
    "buiten_regio_bevestigd": "gemeente",
    "plaats_bevestigd": "gemeente",
    "gebieden_bevestigd": "resultaatgebieden",
}


def vraag(slot: str) -> Vraag:
    return PER_SLOT[slot]


def volgende_gebied(slots: Slots, veld: str) -> Optional[str]:
    """The first chosen area that has no `veld` yet ('doel', or 'type_toelichting' for the type)."""
    for g in slots.get("gebieden") or []:
        if not g.get(veld):
            return str(g["code"])
    return None


def gebied_vraag(slots: Slots) -> Optional[str]:
    """The per-area question to ask now: per area in order, its questions in table order."""
    for g in slots.get("gebieden") or []:
        for v in PER_GEBIED:
            if v.per_gebied and not g.get(v.per_gebied):
                return v.slot
    return None


def volgende_vragen(slots: Slots, minimum_leeftijd: int = 18) -> List[str]:
    """The required slots in order, derived from the table; the form asks the first empty one.
    An early stop (no consent, outside the region, too young) ends the list."""
    if slots.get("gestopt"):
        return []
    required: List[str] = []
    for v in VRAGEN:
        if not v.gevraagd(slots, minimum_leeftijd):
            continue
        if v.per_gebied:
            slot = gebied_vraag(slots)
            if slot == v.slot:
                required.append(slot)
            continue
        required.append(v.slot)
        if v.einde(slots, minimum_leeftijd):
            break
    return required


def voortgang(slots: Slots, slot: str) -> Dict[str, int]:
    """Step n of m for the progress indicator; m shrinks when there is no priority question."""
    stappen = [s for s in STAPPEN if not (s == "prioriteit" and len(slots.get("gebieden") or []) <= 1)]
    stap = STAP_VAN_SLOT.get(slot) or BEVESTIGT.get(slot)
    if stap is None:  # an interruption: show the step reached so far
        gedaan = [s for s in stappen if slots.get(s) not in (None, [])]
        stap = gedaan[-1] if gedaan else stappen[0]
    n = stappen.index(stap) + 1 if stap in stappen else 1
    return {"step": n, "of": len(stappen)}


def reset_slots(onderwerp: str) -> List[str]:
    """The slots a correction of `onderwerp` clears, and the confirmation, so it is asked again."""
    slots: List[str] = []
    for v in VRAGEN:
        if v.onderwerp == onderwerp:
            slots += [v.slot, *v.reset]
    return slots + ["bevestiging", "correctie_onderwerp", "correctie_gevraagd"]


def onderwerpen() -> List[str]:
    return list(dict.fromkeys(v.onderwerp for v in VRAGEN if v.onderwerp))


def intake_velden(slots: Slots) -> Dict[str, str]:
    """The free-text fields of the Intake that come straight from one question each."""
    return {v.intake_veld: als_tekst(slots.get(v.slot)) for v in VRAGEN if v.intake_veld}


# Slots that are not questions but carry what the form learned (rasa domain: type any, not
# influencing the conversation). `lekstroom domein` declares them with the question slots.
HULPSLOTS: Tuple[str, ...] = (
    "woonplaats",
    "woonplaats_buiten",
    "buiten_regio",
    "plaats_dubbel",
    "gebieden_voorstel",
    "gebieden",
    "omstandigheden",
    "duur_maanden",
    "frequentie_code",
    "te_plannen",
    "kenmerken",
    "contact_voorkeur",
    "voorzieningen",
    "netwerk_signalen",
    "pogingen",
    "te_bevestigen",
    "laatste_onderbreking",
    "veiligheid",
    "veiligheid_soort",
    "veiligheid_twijfel",
    "alarm_gezien",
    "urgent_ingediend",
    "correctie_gevraagd",
    "niet_begrepen",
    "gestopt",
    "afgerond",
    "gegevens_verwijderd",
)
