"""spaCy components of the project's Dutch pipeline (registered as spaCy factories).

- `lekstroom_lexicon`: finds resultaatgebieden, verzwarende omstandigheden, kenmerken and topics
  with the patterns of `lexicon.yml`; results go to `doc.spans["lekstroom"]` (they may overlap).
- `lekstroom_ontkenning`: marks a found span as negated ("geen schulden", "niet verslaafd").

spaCy finds these factories through the `spacy_factories` entry point in pyproject.toml, so any
process that loads `models/nl_lekstroom` (Rasa, the action server, tests) gets them.
"""

from pathlib import Path
from typing import Dict, List, Optional

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from .lexicon import PATTERN_LABELS, PatternSet, load_lexicon

SPAN_KEY = "lekstroom"
NEGATIONS = {"geen", "niet", "nooit", "niks", "niets", "zonder", "nee", "nergens"}
# "geen werk", "geen overzicht", "geen vrienden" name the problem: areas and roles are never negated.
NEGATABLE = {"omstandigheid", "kenmerk", "plaats", "voorziening"}
CLAUSE_BREAKS = {",", ".", ";", ":", "!", "?", "maar", "en", "want", "dus", "of"}

if not Span.has_extension("ontkend"):
    Span.set_extension("ontkend", default=False)


class LexiconMatcher:
    def __init__(self, nlp: Language, name: str, patterns: Optional[Dict[str, Dict[str, List[str]]]] = None):
        self.name = name
        self.patterns = PatternSet(patterns or {})

    def initialize(self, get_examples=None, nlp=None, lexicon_path: Optional[str] = None) -> None:  # noqa: ANN001
        data = load_lexicon(Path(lexicon_path)) if lexicon_path else load_lexicon()
        self.patterns = PatternSet({k: v for k, v in data.items() if k in PATTERN_LABELS})

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for m in self.patterns.find(doc.text):
            span = doc.char_span(m.start, m.end, label=m.label, kb_id=m.code, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc

    def to_disk(self, path: Path, exclude=()) -> None:  # noqa: ANN001
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "patterns.json", self.patterns.source)

    def from_disk(self, path: Path, exclude=()) -> "LexiconMatcher":  # noqa: ANN001
        self.patterns = PatternSet(srsly.read_json(Path(path) / "patterns.json"))
        return self


@Language.factory("lekstroom_lexicon")
def make_lexicon_matcher(nlp: Language, name: str) -> LexiconMatcher:
    return LexiconMatcher(nlp, name)


def is_negated(span: Span, window: int = 2) -> bool:
    """A negation word shortly before the span, in the same clause."""
    doc = span.doc
    i = span.start - 1
    seen = 0
    while i >= 0 and seen < window:
        word = doc[i].lower_
        if word in CLAUSE_BREAKS:
            return False
        if word in NEGATIONS:
            return True
        seen += 1
        i -= 1
    return False


@Language.component("lekstroom_ontkenning")
def mark_negations(doc: Doc) -> Doc:
    for span in list(doc.ents) + list(doc.spans.get(SPAN_KEY, [])):
        if span.label_ in NEGATABLE and is_negated(span):
            span._.ontkend = True
    return doc
