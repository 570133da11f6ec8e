"""Build the project's Dutch spaCy pipeline into `models/nl_lekstroom`.

The standard Dutch pipeline `nl_core_news_sm` cannot be downloaded on our machines. So:
- when `nl_core_news_sm` is installed, its components are the base (tagger, lemmatizer, ...);
- otherwise the base is spaCy's `nl` language with the lookup lemmatizer of `spacy-lookups-data`.
On top of either come an entity ruler with the domain's gazetteers (places from the policy file,
network roles, provisions), the lexicon matcher and the negation marker. Place names that are also
ordinary words ("Houten", "Uitweg") are only matched capitalised, and a region name written with a
place elsewhere ("Vianen in Noord-Brabant") becomes one `plaats_buiten` span, so that it never
yields a region gemeente; `actions.nlp.plaatsen` reads the rest (typos, lowercase after "in"). Rasa's config points at
the result, so both paths are served the same way. Called by `lekstroom nlp build` and the set-up.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Set

import spacy
from spacy.language import Language

from ..classificatie.policy import DEFAULT_POLICY, load_policy
from . import components  # noqa: F401  (registers the factories)
from .lexicon import GAZETTEER_LABELS, LEXICON_PATH, fold, load_lexicon
from .plaatsen import VERBINDERS, gazetteer, kwalificaties

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = ROOT / "models" / "nl_lekstroom"
BASE_MODEL = "nl_core_news_sm"
POSSESSIVES = ["mijn", "m'n", "mn", "onze", "ons", "haar", "zijn", "z'n", "je", "jouw", "uw", "de"]
PLAATS_BUITEN = "plaats_buiten"  # a span that is no region place (not a Rasa entity)


def expand(pattern: str) -> List[str]:
    """All phrases a simple lexicon pattern stands for: '(a|b) c' -> ['a c', 'b c']."""
    parts = re.split(r"(\([^()]*\))", pattern)
    choices = [p[1:-1].split("|") if p.startswith("(") else [p] for p in parts if p]
    return [" ".join("".join(c).split()) for c in itertools.product(*choices)]


def token_pattern(phrase: str) -> List[Dict]:
    tokens = []
    for word in fold(phrase).split():
        if word.endswith("*"):
            tokens.append({"LOWER": {"REGEX": "^" + re.escape(word[:-1])}})
        else:
            tokens.append({"LOWER": word})
    return tokens


@lru_cache(maxsize=1)
def _tokenizer():  # noqa: ANN202 - spaCy's Dutch tokenizer, as the pipeline splits words
    return spacy.blank("nl").tokenizer


def _schrijfwijzen(naam: str) -> Set[str]:
    """ "Groot-Ammers", "Groot Ammers"; "Tull en 't Waal", "Tull en ’t Waal", "Tull en t Waal"."""
    vormen = {naam, " ".join(naam.replace("-", " ").split())}
    for vorm in list(vormen):
        vormen |= {vorm.replace("'", "’"), vorm.replace("'", "")}
    return vormen


def _woorden(naam: str) -> List[str]:
    return [t.text for t in _tokenizer()(naam)]


def place_patterns(policy_path: Path = DEFAULT_POLICY) -> List[Dict]:
    """Entity-ruler patterns for the gazetteer of the policy (see actions/nlp/plaatsen.py)."""

    policy = load_policy(policy_path)
    patterns: List[Dict] = []
    for naam in gazetteer(policy):
        if naam.gemeente is None:
            continue  # places elsewhere are no entity: no pattern can mistake "buren" for Buren
        for vorm in sorted(_schrijfwijzen(naam.naam)):
            woorden = _woorden(vorm)
            tokens: List[Dict] = [{"LOWER": fold(w)} for w in woorden]
            if naam.gewoon:  # "Houten", "Uitweg": only capitalised ("een houten kast", "geen uitweg")
                tokens[0] = {"TEXT": {"IN": [woorden[0][:1].upper() + woorden[0][1:], woorden[0].upper()]}}
            patterns.append({"label": "plaats", "pattern": tokens, "id": naam.gemeente})
    tussen: List[Dict] = [
        {"IS_PUNCT": True, "OP": "?"},
        {"LOWER": {"IN": sorted(VERBINDERS)}, "OP": "*"},
        {"IS_PUNCT": True, "OP": "?"},
    ]
    for dubbel, elders, gemeente in kwalificaties(policy):
        for vorm in sorted(_schrijfwijzen(dubbel)):
            for ander in sorted(_schrijfwijzen(elders)):
                reeks: List[Dict] = [{"LOWER": fold(w)} for w in _woorden(vorm)] + tussen
                reeks += [{"LOWER": fold(w)} for w in _woorden(ander)]
                patterns.append({"label": PLAATS_BUITEN, "pattern": reeks, "id": gemeente})
    return patterns


def gazetteer_patterns(policy_path: Path = DEFAULT_POLICY, lexicon_path: Path = LEXICON_PATH) -> List[Dict]:
    patterns = place_patterns(policy_path)
    lexicon = load_lexicon(lexicon_path)
    for label in GAZETTEER_LABELS:
        for code, items in lexicon.get(label, {}).items():
            for item in items:
                for phrase in expand(item):
                    tokens = token_pattern(phrase)
                    if label == "rol":  # "mijn vrouw" is one mention of a person
                        tokens = [{"LOWER": {"IN": POSSESSIVES}, "OP": "?"}] + tokens
                    patterns.append({"label": label, "pattern": tokens, "id": code})
    return patterns


def base_pipeline(use_base_model: Optional[bool] = None) -> Language:
    if use_base_model is None:
        use_base_model = importlib.util.find_spec(BASE_MODEL) is not None
    if use_base_model:
        nlp = spacy.load(BASE_MODEL, exclude=["ner"])  # its own NER is replaced by our gazetteers
        nlp.meta["lekstroom_base"] = BASE_MODEL
        return nlp
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.meta["lekstroom_base"] = "nl (blank) + lookup lemmatizer"
    return nlp


def build(
    output: Path = DEFAULT_OUTPUT,
    policy_path: Path = DEFAULT_POLICY,
    lexicon_path: Path = LEXICON_PATH,
    use_base_model: Optional[bool] = None,
) -> Path:
    nlp = base_pipeline(use_base_model)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "LOWER"})
    nlp.add_pipe("lekstroom_lexicon")
    nlp.add_pipe("lekstroom_ontkenning")
    nlp.initialize()
    # after initialize(), which starts the ruler empty
    ruler.add_patterns(gazetteer_patterns(policy_path, lexicon_path))  # type: ignore[attr-defined]
    nlp.get_pipe("lekstroom_lexicon").initialize(lexicon_path=str(lexicon_path))  # type: ignore[attr-defined]
    nlp.meta["name"] = "lekstroom"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Dutch pipeline of the Lekstroom Wmo intake assistant"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


def main() -> None:
    out = build()
    print(f"spaCy-pijplijn gebouwd in {out}")


if __name__ == "__main__":
    main()
