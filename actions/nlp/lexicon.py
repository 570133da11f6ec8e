"""The lexicon of `lexicon.yml`: compiling its small pattern syntax to regular expressions.

Used by the spaCy component in `components.py` (at pipeline build and load time) and by tests.
Matching happens on lower-case text with accents removed, one character for one character, so
match offsets are offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import yaml

LEXICON_PATH = Path(__file__).resolve().parent / "lexicon.yml"
GAZETTEER_LABELS = ("rol", "voorziening")
PATTERN_LABELS = ("resultaatgebied", "omstandigheid", "kenmerk", "onderwerp")
WORD_TABLES = ("chattaal", "uitdrukkingen")  # word -> word tables, not patterns
_GAP = r"(?:\s+[\w'’-]+){0,3}"


@dataclass(frozen=True)
class Match:
    label: str
    code: str
    start: int
    end: int


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping the length (so offsets stay valid)."""
    out = []
    for ch in text.lower():
        base = unicodedata.normalize("NFKD", ch)[0] if ch.isalpha() else ch
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def compile_pattern(pattern: str) -> str:
    """Turn one lexicon pattern into a regular expression (see the syntax in lexicon.yml)."""
    pattern = fold(pattern.strip())
    out: List[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append(r"[\w-]*")
        elif ch == "~":
            # swallow the spaces around the gap marker: the gap brings its own
            while out and out[-1] == r"\s+":
                out.pop()
            out.append(_GAP + r"\s+")
            i += 1
            while i < len(pattern) and pattern[i] == " ":
                i += 1
            continue
        elif ch == " ":
            out.append(r"\s+")
            while i + 1 < len(pattern) and pattern[i + 1] == " ":
                i += 1
        elif ch in "()|?":
            out.append("(?:" if ch == "(" else ch)
        elif ch == "-":
            out.append(r"-")
        else:
            out.append(re.escape(ch))
        i += 1
    body = "".join(out)
    # an optional group that ends with a space, e.g. "(de )?post": let the space be optional too
    body = body.replace(r"\s+)?", r"\s+)?")
    return rf"(?<![\w]){body}(?![\w])"


def load_lexicon(path: Path = LEXICON_PATH) -> Dict[str, Dict[str, List[str]]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for label, codes in data.items():
        if label in WORD_TABLES:
            continue
        for code, patterns in codes.items():
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                raise ValueError(f"{path}: {label}.{code}: verwacht een lijst met patronen")
    return data


class PatternSet:
    """All pattern labels of the lexicon, compiled; `find(text)` yields overlapping matches."""

    def __init__(self, patterns: Dict[str, Dict[str, List[str]]]):
        self.source = patterns
        self._compiled: List[Tuple[str, str, re.Pattern]] = []
        for label, codes in patterns.items():
            for code, items in codes.items():
                for p in items:
                    try:
                        self._compiled.append((label, code, re.compile(compile_pattern(p))))
                    except re.error as exc:
                        raise ValueError(f"lexicon {label}.{code}: patroon '{p}' is ongeldig: {exc}") from None

    def find(self, text: str) -> Iterator[Match]:
        folded = fold(text)
        seen = set()
        for label, code, regex in self._compiled:
            for m in regex.finditer(folded):
                key = (label, code, m.start(), m.end())
                if key not in seen:
                    seen.add(key)
                    yield Match(label, code, m.start(), m.end())
