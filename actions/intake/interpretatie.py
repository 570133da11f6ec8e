"""Reading the answers that rules read best: ages, durations, how often, plannable, the priority, places.

Pure functions of the text; the question readers (`lezers.py`) call them, tests call them
directly. The answers that need a trained model (areas, type, circumstances) are read in
`lezers.py` with `actions/nlp/tekstmodellen.py`.
"""

from __future__ import annotations

import re
from typing import List, Optional

from ..nlp.lexicon import fold

_UNITS = {
    "een": 1,
    "eén": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
_TEENS = {
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}


def dutch_number(word: str) -> Optional[int]:
    """'vierenvijftig' -> 54, 'achttien' -> 18, 'honderd' -> 100."""
    word = fold(word)
    if word.isdigit():
        return int(word)
    if word in _UNITS:
        return _UNITS[word]
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    if word == "honderd":
        return 100
    for tens_word, tens in _TENS.items():
        if word.endswith(tens_word):
            head = word[: -len(tens_word)]
            for sep in ("en", "ën"):
                if head.endswith(sep) and head[: -len(sep)] in _UNITS:
                    return tens + _UNITS[head[: -len(sep)]]
    return None


# -- age -------------------------------------------------------------------------------------------


def parse_leeftijd(text: str) -> Optional[int]:
    """The age in an answer like '54', 'ik ben 54', '81 jaar', 'vierenvijftig'."""
    folded = fold(text)
    numbers = [int(n) for n in re.findall(r"\b\d{1,3}\b", folded)]
    if not numbers:
        numbers = [n for n in (dutch_number(w) for w in re.findall(r"[a-z]+", folded)) if n is not None]
    plausible = [n for n in numbers if 0 < n <= 120]
    if not plausible:
        return None
    near_jaar = re.search(r"\b(\d{1,3})\s*(jaar|jr)\b", folded)
    if near_jaar and 0 < int(near_jaar.group(1)) <= 120:
        return int(near_jaar.group(1))
    return plausible[0]


# -- duration --------------------------------------------------------------------------------------

_DUUR_VAST = [
    (r"\banderhalf\s+jaar\b", 18),
    (r"\b(een\s+)?half\s*jaar\b", 6),
    (r"\b(een\s+)?paar\s+weken\b", 1),
    (r"\b(een\s+)?paar\s+maanden\b", 3),
    (r"\b(een\s+)?paar\s+jaar\b", 24),
    (r"\b(een\s+)?aantal\s+maanden\b", 4),
    (r"\b(een\s+)?kwartaal\b", 3),
    (r"\bjaartje\b", 12),
]


def _maanden(n: int, unit: str) -> int:
    if unit.startswith("jaar") or unit == "jaren":
        return n * 12
    if unit.startswith("maand"):
        return n
    return max(1, round(n / 4.3))


def parse_duur(text: str) -> Optional[int]:
    """Expected duration in months, or None when not given ('weet ik niet', 'altijd')."""
    folded = fold(text)
    for pattern, months in _DUUR_VAST:
        if re.search(pattern, folded):
            return months
    # "een jaar of twee", "een maand of drie": about that many
    m = re.search(r"\b(jaar|jaartje|maand|maandje|week|weekje)\s+of\s+(\d+|[a-z]+)\b", folded)
    if m and (m.group(2).isdigit() or dutch_number(m.group(2))):
        n = int(m.group(2)) if m.group(2).isdigit() else dutch_number(m.group(2)) or 1
        return _maanden(n, m.group(1))
    m = re.search(r"\b(\d+|[a-z]+)\s*(jaar|jaren|maand|maanden|week|weken)\b", folded)
    if m:
        aantal = dutch_number(m.group(1)) if not m.group(1).isdigit() else int(m.group(1))
        if aantal is None and m.group(1) in ("een", "n", "'n"):
            aantal = 1
        if aantal is not None:
            return _maanden(aantal, m.group(2))
    if re.search(r"\b(jaar)\b", folded):
        return 12
    return None


# -- priority --------------------------------------------------------------------------------------


# How often help is needed: a small lexicon, the most specific phrase first ("een paar keer per
# week" before "keer per week"). The codes are the intake's own, the same for every region.
_FREQUENTIE = (
    (
        "paar_keer_per_week",
        r"(paar|meerdere|aantal|[2-6]|twee|drie|vier|vijf|zes) ?(keer|keren|x|maal) (per|in de|a) week|om de dag|bijna elke dag",
    ),
    (
        "minder_vaak",
        r"(per|in de|a) maand|maandelijks|om de (twee|2) weken|om de week|af en toe|soms|niet (zo )?vaak|minder|zelden|eens in de",
    ),
    (
        "dagelijks",
        r"elke dag|iedere dag|dagelijks|de hele dag|dag en nacht|elke (ochtend|middag|avond|nacht)|(keer|keren|x|maal) per dag|altijd|steeds|continu|24 uur",
    ),
    (
        "wekelijks",
        r"(een|1|één|eén) ?(keer|x|maal) (per|in de|a) week|eens per week|wekelijks|elke week|iedere week|keer per week",
    ),
)


def parse_frequentie(text: str) -> Optional[str]:
    """'elke dag' -> dagelijks, 'twee keer per week' -> paar_keer_per_week, 'één keer per week' ->
    wekelijks, 'af en toe' -> minder_vaak; None when the answer names no frequency."""
    t = fold(text)
    for code, patroon in _FREQUENTIE:
        if re.search(rf"\b({patroon})", t):
            return code
    return None


_NIET_PLANBAAR = (
    r"niet (te |van tevoren |vooraf )?(plannen|planbaar|voorspellen)|onverwacht|onvoorspelbaar|ineens|opeens|"
    r"plotseling|zomaar|crisis|wisselt|weet ik (nooit|niet) van tevoren|nooit vaste|geen vaste|kan (ik )?niet plannen"
)
_PLANBAAR = r"vaste (momenten|tijden|dagen|dag|tijd)|vast moment|afspraak|afspraken|te plannen|planbaar|plannen kan|kan (je |ik |het )?plannen"


def parse_planbaar(text: str) -> Optional[bool]:
    """Can the help come at set times? 'nee, het komt onverwacht' -> False, 'op vaste momenten' ->
    True; None when the answer says neither."""
    t = fold(text)
    if re.search(rf"\b({_NIET_PLANBAAR})", t):
        return False
    if re.search(rf"\b({_PLANBAAR})", t):
        return True
    return None


def parse_prioriteit(text: str, gekozen: List[str], genoemd: List[str]) -> Optional[str]:
    """The chosen area put first: one the answer names (`genoemd`, read by the areas model) or by
    ordinal in the order the areas were chosen ("de tweede")."""
    for code in genoemd:
        if code in gekozen:
            return code
    folded = fold(text)
    ordinals = {"eerste": 0, "1": 0, "tweede": 1, "2": 1, "derde": 2, "3": 2, "vierde": 3, "4": 3, "vijfde": 4, "5": 4}
    for word, index in ordinals.items():
        if re.search(rf"\b{word}\b", folded) and index < len(gekozen):
            return gekozen[index]
    return None


# -- places ----------------------------------------------------------------------------------------

_PLACE_AFTER = re.compile(r"\b(?:in|te|uit|bij)\s+([A-Za-zÀ-ÿ'’-]+(?:[ -][A-Z][A-Za-zÀ-ÿ'’-]+)*)")
_NOT_PLACES = {"de", "het", "een", "mijn", "ons", "onze", "huis", "buurt", "wijk", "stad", "dorp", "centrum", "regio"}


def plaats_buiten_regio(text: str) -> Optional[str]:
    """The place an inwoner names when it is not one we know ('Ik woon in Utrecht' -> 'Utrecht')."""
    m = _PLACE_AFTER.search(text)
    if m and fold(m.group(1)) not in _NOT_PLACES:
        return _title(m.group(1))
    words = re.findall(r"[A-Za-zÀ-ÿ'’-]+", text.strip())
    if 1 <= len(words) <= 2 and all(fold(w) not in _NOT_PLACES for w in words) and words[0][0].isupper():
        return _title(" ".join(words))
    return None


def _title(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())
