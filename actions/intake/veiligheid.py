"""Danger to self or others, safe both ways: never missed, never raised on an ordinary sentence.

`beoordeel(bericht)` reads every message of the intake before it is read as an answer:
- explicit danger (the lexicon's danger words, or the danger model at least `ZEKER` sure) gives
  the help lines in the same reply, marks the conversation and, with consent, queues an urgent draft;
- an uncertain signal (the danger model, or a model of one kind of danger, at least `TWIJFEL`
  sure) gives the help lines and one kind check question; only a "ja" marks the draft;
- a text that already raised an alarm, after which the inwoner chose to go on, never raises it
  again: then it is simply the answer (never a loop).
The kind of danger (`zelf`, `slachtoffer`, `anderen`, `kind`) decides which help lines come first
and keeps a victim apart from a danger to others in the draft. Called by the form and by
`action_veiligheid` (outside the form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from ..nlp import tekstmodellen
from ..nlp.spelling import normaliseer
from .bericht import Bericht
from .context import policy, tekst

# Chosen by cross-validation (one author left out). An urgent draft needs the danger model itself
# this sure: the models per kind are eager on short sentences with a word of a means ("een mes in
# de keuken"), which may get a check question but never an urgent draft on their word alone.
ZEKER = 0.85  # the danger model this sure: help lines and an urgent draft at once
# this sure (the danger model or one of the models per kind): help lines and a check question. In
# cross-validation (authors a to p, author s in training) the danger model alone found 90.1% of
# the crisis sentences at 3.4% false alarms (at 0.6); with the models per kind at 0.7, 92.1% at
# the same 3.4%: the most crisis sentences found at no more false alarms than before
TWIJFEL = 0.7
SOORT_DREMPEL = 0.3


@dataclass(frozen=True)
class Signaal:
    zeker: bool
    soorten: List[str]
    kans: float


_ONTKENNING = re.compile(r"\b(niet|nie|nooit|geen|nee)\b")
# the same sentence tells of a past that is over, or of someone else: the model weighs it
_VOORBIJ = re.compile(
    r"\b(vroeger|geleden|ooit|als (tiener|kind)|per ongeluk|voorbij|in (19|20)\d\d|overleden|van mijn (broer|zus|vader|moeder|vriend))\b"
)

# "zo wil ik niet meer leven", "niet meer leven zoals nu": not like this, which the model weighs
_ZO_ERVOOR = re.compile(r"\bzo$")
_ZO_ERNA = re.compile(r"^\s*,?\s*(zoals|op deze manier|in (deze|zo'n|zo een))\b")


def _ontkenning_hoort_erbij(woorden: str) -> bool:
    """Whether the danger words need their negation ("durf niet naar huis", "niet veilig thuis"):
    then it is part of them. Without it they would still be danger words when a gap in the pattern
    only let it in ("wil niet dood"): then it denies them."""
    zonder = " ".join(_ONTKENNING.sub(" ", woorden).split())
    return not any(
        m.label == "kenmerk" and m.code == "gevaar" and m.start == 0 and m.end == len(zonder)
        for m, _ in tekstmodellen.lexicon_treffers(zonder)
    )


def expliciet(text: str) -> bool:
    """The lexicon's danger words, said now and not denied. "Ik wil niet dood hoor", "zelfmoord?
    nee joh" or "vroeger kreeg ik klappen" are left to the model, which knows such sentences and
    may still lead to the check question."""
    norm = normaliseer(text)
    for m, ontkend in tekstmodellen.lexicon_treffers(norm):
        if m.label != "kenmerk" or m.code != "gevaar" or ontkend:
            continue
        zin = re.split(r"[.!?]", norm[: m.start])[-1] + norm[m.start : m.end] + re.split(r"[.!?]", norm[m.end :])[0]
        voor = " ".join(re.findall(r"\w+", re.split(r"[,.;!?]", norm[: m.start])[-1])[-4:])
        # "niet meer leven", "geen zin meer" belong to the danger words themselves
        binnen = re.sub(r"\b(niet|nie|nooit|niks|niets) meer\b|\bgeen (zin|reden)\b", " ", norm[m.start : m.end])
        if _ONTKENNING.search(binnen) and not _ontkenning_hoort_erbij(binnen):
            continue
        if _ONTKENNING.search(voor) or _VOORBIJ.search(zin):
            continue
        if _ZO_ERVOOR.search(voor) or _ZO_ERNA.match(norm[m.end : m.end + 20]):
            continue
        if re.search(r"\?\s*(nee|nope)\b", norm[m.end : m.end + 12]):
            continue
        return True
    return False


def kansen_op_gevaar(text: str) -> Tuple[float, float]:
    """How sure the danger model is, and how sure the surest of it and the models per kind of
    danger (each against ordinary sentences) are."""
    modellen = tekstmodellen.geladen()
    kans = modellen["gevaar"].lees(text)[1].get("gevaar", 0.0)
    per_soort = modellen["gevaar_per_soort"].lees(text)[1]
    return kans, max([kans, *per_soort.values()])


def soorten(text: str) -> List[str]:
    _, kansen = tekstmodellen.geladen()["gevaar_soort"].lees(text)
    gekozen = [s for s in tekstmodellen.SOORTEN if kansen.get(s, 0.0) >= SOORT_DREMPEL]
    return gekozen or [max(kansen, key=lambda k: kansen[k])]


def signaal(text: str, gezien: Optional[List[str]] = None) -> Optional[Signaal]:
    """The danger in one message, or None; a text in `gezien` (already alarmed) gives None."""
    sleutel = Bericht(text).sleutel()
    if not sleutel or sleutel.startswith("/") or sleutel in (gezien or []):
        return None
    kans, hoogste = kansen_op_gevaar(text)
    if expliciet(text) or kans >= ZEKER:
        return Signaal(True, soorten(text), kans)
    if hoogste >= TWIJFEL:
        return Signaal(False, soorten(text), hoogste)
    return None


def hulplijnen(soorten_: List[str]) -> str:
    """The policy's help lines; Veilig Thuis first when someone is hurt or threatened by another."""
    lijnen = list(policy().hulplijnen)
    if set(soorten_) & {"slachtoffer", "kind", "anderen"}:
        lijnen.sort(key=lambda h: 0 if "veilig thuis" in h.naam.lower() or h.nummer == "112" else 1)
    regels = []
    for h in lijnen:
        nummer = f": {h.nummer}" if h.nummer else ""
        regels.append(f"- {h.naam}{nummer} ({h.wanneer})")
    return "\n".join(regels)


def onthouden(slots: Dict[str, Any], text: str) -> List[str]:
    """The texts that already raised an alarm, with this one."""
    return list(dict.fromkeys([*(slots.get("alarm_gezien") or []), Bericht(text).sleutel()]))


def markeer(slots: Dict[str, Any], text: str, soorten_: List[str]) -> Dict[str, Any]:
    """The slots of a confirmed danger: the words, their kind, and go-on-or-stop to be asked."""
    bekend = list(slots.get("veiligheid_soort") or [])
    return {
        "veiligheid": text or "gevaar genoemd",
        "veiligheid_soort": list(dict.fromkeys(bekend + soorten_)),
        "veiligheid_keuze": None,
        "veiligheid_twijfel": None,
        "alarm_gezien": onthouden(slots, text),
    }


def zeg_hulp(zeg: Any, soorten_: List[str], twijfel: bool = False) -> None:
    sleutel = "antwoorden.veiligheid_twijfel" if twijfel else "antwoorden.veiligheid"
    zeg.utter_message(text=tekst(sleutel) + "\n" + hulplijnen(soorten_))
