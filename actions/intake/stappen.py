"""The order of the intake and what the form asks next, as a pure function of the slots.

`volgende_vragen(slots)` is the heart of the form: it returns the required slots in order, so the
form asks the first one that is still empty. Topics are the `intake_step` values of domain.md.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

ONBEKEND = "(weet ik niet)"

# intake_step topics in their natural order (domain.md); per-area questions are doelen/type.
TOPICS = [
    "toestemming",
    "gemeente",
    "leeftijd",
    "hulpvraag",
    "resultaatgebieden",
    "doelen",
    "type_ondersteuning",
    "prioriteit",
    "eigen_kracht",
    "netwerk",
    "voorliggend_veld",
    "verzwarende_omstandigheden",
    "duur",
    "contact",
    "bevestiging",
]
# form slot -> intake_step (None: a confirmation question that belongs to no topic)
STEP_OF_SLOT: Dict[str, Optional[str]] = {
    **{t: t for t in TOPICS},
    "doel": "doelen",
    "buiten_regio_bevestigd": None,
    "gebieden_bevestigd": None,
    "veiligheid_keuze": None,
    "correctie_onderwerp": None,
    "bevestig_onderbreking": None,
}
ALL_FORM_SLOTS = [
    "bevestig_onderbreking",
    "veiligheid_keuze",
    "toestemming",
    "gemeente",
    "buiten_regio_bevestigd",
    "leeftijd",
    "hulpvraag",
    "resultaatgebieden",
    "gebieden_bevestigd",
    "doel",
    "type_ondersteuning",
    "prioriteit",
    "eigen_kracht",
    "netwerk",
    "voorliggend_veld",
    "verzwarende_omstandigheden",
    "duur",
    "contact",
    "correctie_onderwerp",
    "bevestiging",
]


def volgende_gebied(slots: Dict[str, Any], veld: str) -> Optional[str]:
    """The first chosen area that has no `veld` yet ('doel', or 'type_toelichting' for the type answer)."""
    for g in slots.get("gebieden") or []:
        if not g.get(veld):
            return g["code"]
    return None


def volgende_vragen(slots: Dict[str, Any], minimum_leeftijd: int = 18) -> List[str]:
    """Required slots in order; an early stop (no consent, outside the region, too young for the
    Wmo: the policy's minimum age) ends the list."""
    required: List[str] = []
    if slots.get("gestopt"):
        return required
    # A question stays required while its trigger is there, whatever was typed: rasa_sdk only
    # validates slots that are still required, and the validation clears the trigger.
    if slots.get("te_bevestigen"):
        required.append("bevestig_onderbreking")
    if slots.get("veiligheid") and slots.get("veiligheid_keuze") not in ("verder", "stoppen"):
        required.append("veiligheid_keuze")
    required.append("toestemming")
    if slots.get("toestemming") is False:
        return required
    if slots.get("gemeente") is None and slots.get("woonplaats_buiten"):
        required.append("buiten_regio_bevestigd")
    if slots.get("buiten_regio"):
        return required
    required.append("gemeente")
    required.append("leeftijd")
    leeftijd = slots.get("leeftijd")
    if isinstance(leeftijd, int) and leeftijd < minimum_leeftijd:
        return required
    required += ["hulpvraag", "resultaatgebieden", "gebieden_bevestigd"]
    if slots.get("gebieden_bevestigd") is True:
        next_doel = volgende_gebied(slots, "doel")
        next_type = volgende_gebied(slots, "type_toelichting")
        gebieden = [g["code"] for g in slots.get("gebieden") or []]
        for g in gebieden:
            if g == next_doel:
                required.append("doel")
                break
            if g == next_type:
                required.append("type_ondersteuning")
                break
        if len(gebieden) > 1:
            required.append("prioriteit")
    required += ["eigen_kracht", "netwerk", "voorliggend_veld", "verzwarende_omstandigheden", "duur", "contact"]
    if slots.get("bevestiging") is False:
        required.append("correctie_onderwerp")
    required.append("bevestiging")
    return required


def voortgang(slots: Dict[str, Any], slot: str) -> Dict[str, int]:
    """Step n of m for the progress indicator; m shrinks when there is no priority question."""
    gebieden = slots.get("gebieden") or []
    topics = [t for t in TOPICS if not (t == "prioriteit" and len(gebieden) <= 1)]
    step = STEP_OF_SLOT.get(slot)
    if step is None:
        # a confirmation: show the topic it confirms
        step = {"buiten_regio_bevestigd": "gemeente", "gebieden_bevestigd": "resultaatgebieden"}.get(
            slot, "toestemming"
        )
        if slot == "veiligheid_keuze":
            filled = [t for t in topics if slots.get(t) not in (None, [])]
            step = filled[-1] if filled else "toestemming"
    n = topics.index(step) + 1 if step in topics else 1
    return {"step": n, "of": len(topics)}
