"""Tolerating the Dutch that people type: typos and chat spelling, normalised before reading.

`normaliseer(text)` folds the text (lower case, no accents) and rewrites each word that is not a
Dutch word into the nearest Dutch word, using the Dutch word-frequency list that ships with
`pyspellchecker` (a maintained package; no hand-made word list). Chat forms that are real
abbreviations rather than typos ("ff", "egt", "nie") come from the small `chattaal` table in
`lexicon.yml`, next to the other words the assistant recognises.

Only words of five letters or more are corrected, one edit away, and only into a word that is at
least as common as the threshold below: short words and names stay as typed. Called by the
question readers (`actions/intake/lezers.py`) for both training and reading, so the models see
the same normalised text in both.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Mapping, Set, Tuple

from .lexicon import WORD_TABLES, fold, load_lexicon

MIN_LENGTE = 5  # shorter words are too often names, abbreviations or real words
# Longer "words" are not corrected: building every one-edit variant costs length x 54 strings of that
# length, so one 100,000-letter word once stalled the server; real Dutch words this long are rare.
MAX_LENGTE = 30
MIN_FREQUENTIE = 200  # corrections go to common words only; the list's rare tail is noise
_WOORD = re.compile(r"[a-z]+(?:['’-][a-z]+)*")


@lru_cache(maxsize=1)
def _woordenlijst() -> Dict[str, int]:
    """The Dutch frequency list of pyspellchecker, folded the way the readers fold text."""
    from spellchecker import SpellChecker

    folded: Dict[str, int] = {}
    for woord, freq in SpellChecker(language="nl").word_frequency.dictionary.items():
        key = fold(woord)
        folded[key] = max(freq, folded.get(key, 0))
    return folded


def _woordtabel(naam: str) -> List[Tuple[str, str]]:
    """The (folded) word pairs of one of the lexicon's WORD_TABLES, in file order. `load_lexicon`
    checks only the pattern tables (and types every table as patterns), so each word is checked here."""
    tabel: Mapping[str, object] = load_lexicon().get(naam) or {}
    paren: List[Tuple[str, str]] = []
    for k, v in tabel.items():
        if not isinstance(v, str):
            raise ValueError(f"lexicon {naam}.{k}: verwacht een woord, geen {type(v).__name__}")
        paren.append((fold(k), fold(v)))
    return paren


@lru_cache(maxsize=1)
def _chattaal() -> Dict[str, str]:
    return dict(_woordtabel("chattaal"))


@lru_cache(maxsize=1)
def _lexicon_stammen() -> Tuple[FrozenSet[str], Tuple[str, ...]]:
    """Words and word starts ("blow*") of the lexicon's patterns: the assistant's own vocabulary,
    which is never "corrected" into another word ("blowt" is not "bloot")."""
    woorden: Set[str] = set()
    stammen: Set[str] = set()
    for label, codes in load_lexicon().items():
        if label in WORD_TABLES:
            continue
        for patronen in codes.values():
            for patroon in patronen:
                for deel in re.findall(r"[a-z*'-]+", fold(patroon)):
                    (stammen.add(deel[:-1]) if deel.endswith("*") else woorden.add(deel))
    return frozenset(woorden), tuple(sorted(s for s in stammen if len(s) >= 3))


def _lexicon_kent(woord: str) -> bool:
    woorden, stammen = _lexicon_stammen()
    return woord in woorden or woord.startswith(stammen)


def woordfrequentie(woord: str) -> int:
    """How common a (folded) word is in the Dutch list; 0 when it is not in it."""
    return _woordenlijst().get(fold(woord), 0)


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def een_stap(woord: str) -> Iterator[str]:
    """Every string one edit (a letter too many, missing, wrong, or two swapped) from `woord`."""
    for i in range(len(woord) + 1):
        links, rechts = woord[:i], woord[i:]
        if rechts:
            yield links + rechts[1:]  # a letter too many
        if len(rechts) > 1:
            yield links + rechts[1] + rechts[0] + rechts[2:]  # two letters swapped
        for c in _LETTERS:
            if rechts:
                yield links + c + rechts[1:]  # a wrong letter
            yield links + c + rechts  # a letter missing


@lru_cache(maxsize=20000)
def verbeter_woord(woord: str) -> str:
    """The word itself when it is Dutch or too short; otherwise the most common Dutch word one
    edit away, or the word unchanged when there is none."""
    chat = _chattaal().get(woord)
    if chat:
        return chat
    lijst = _woordenlijst()
    if not MIN_LENGTE <= len(woord) <= MAX_LENGTE or lijst.get(woord, 0) >= MIN_FREQUENTIE or _lexicon_kent(woord):
        return woord
    beste, beste_freq = woord, MIN_FREQUENTIE - 1
    for kandidaat in set(een_stap(woord)):
        freq = lijst.get(kandidaat, 0)
        if freq > beste_freq:
            beste, beste_freq = kandidaat, freq
    return beste


@lru_cache(maxsize=1)
def _uitdrukkingen() -> List[Tuple[re.Pattern[str], str]]:
    return [(re.compile(rf"\b{re.escape(k)}\b"), v) for k, v in _woordtabel("uitdrukkingen")]


@lru_cache(maxsize=1024)  # one message is read by several readers and the safety check
def normaliseer(text: str) -> str:
    """Folded text with every word spelled as a Dutch word where that is clear, and fixed
    expressions that mislead a reader written plainly ("alleen maar" is "only", not "alone")."""
    tekst = _WOORD.sub(lambda m: verbeter_woord(m.group(0)), fold(text))
    for patroon, vervanging in _uitdrukkingen():
        tekst = patroon.sub(vervanging, tekst)
    return tekst
