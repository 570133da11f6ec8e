"""Learning from review: consultants' corrections become candidate NLU training examples.

When a consultant changes the resultaatgebieden, verzwarende omstandigheden or gemeente of a draft,
the audit log holds `{"<veld>": {"oud": ..., "nieuw": ...}}` (actie "gewijzigd"). The inwoner's
sentences behind that fact (the answers to the matching intake questions, found through each
transcript message's `stap`) become candidate examples, labelled with the consultant's correction
and with personal data masked. `export_candidates()` writes them as Rasa NLU YAML for a developer
to review and merge by hand; it never writes into data/. Called by `lekstroom model correcties`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml

from ..classificatie.model import Draft
from ..classificatie.policy import Policy
from ..privacy import mask_persoonsgegevens
from ..store import DraftStore
from .plaatsen import lees_plaats

# which intake questions the sentences behind a corrected fact answered
BRON_STAPPEN = {
    "resultaatgebieden": ("hulpvraag", "resultaatgebieden"),
    "verzwarende_omstandigheden": ("verzwarende_omstandigheden",),
    "gemeente": ("gemeente",),
}


# deduce's processors we leave out: places (a corrected gemeente needs them), institutions, dates, ages
DEDUCE_UIT = ("locations", "institutions", "dates", "ages")


def _codes(value: Any) -> List[str]:
    """Codes from a corrected value: a list of codes, of {code: ...} dicts, or one string."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v["code"] if isinstance(v, dict) else str(v) for v in value]


def _annotate_place(text: str, gemeente: str, policy: Policy) -> str:
    """Mark the place name of the corrected gemeente in the sentence, as the training data does."""
    data = policy.gemeenten.get(gemeente)
    if data is None:
        return text
    for place in sorted({gemeente, *data.plaatsen}, key=len, reverse=True):
        m = re.search(rf"(?<!\w){re.escape(place)}(?!\w)", text, flags=re.IGNORECASE)
        if m:
            entity = json.dumps({"entity": "plaats", "value": gemeente}, ensure_ascii=False)
            return f"{text[: m.start()]}[{m.group(0)}]{entity}{text[m.end() :]}"
    return text


@lru_cache(maxsize=1)
def _deduce() -> Any:
    """The Dutch de-identifier `deduce` (built for Dutch medical text); loading its name lists
    takes about a minute, once per export."""
    import deduce

    print("Namen herkennen: de lijsten van deduce laden (ongeveer een minuut)…", flush=True)
    return deduce.Deduce()


def maskeer(zin: str, policy: Policy) -> str:
    """BSN, e-mail, phone, postcode and street by our own patterns, then what deduce finds (names
    above all) as [NAAM]. Places of the gazetteer stay: a corrected gemeente needs them, and deduce
    takes some ("Vianen") for a surname."""
    tekst = " ".join(mask_persoonsgegevens(zin).split())
    document = _deduce().deidentify(tekst, disabled=set(DEDUCE_UIT))
    delen: List[str] = []
    positie = 0
    for a in sorted(document.annotations, key=lambda a: a.start_char):
        if a.start_char < positie or lees_plaats(a.text, policy) is not None:
            continue
        delen += [tekst[positie : a.start_char], "[NAAM]" if "persoon" in a.tag or "patient" in a.tag else "[GEGEVEN]"]
        positie = a.end_char
    return "".join(delen) + tekst[positie:]


def candidates_for(draft: Draft, veld: str, oud: Any, nieuw: Any, policy: Policy) -> List[Dict[str, Any]]:
    stappen = BRON_STAPPEN[veld]
    zinnen = [b.tekst for b in draft.transcript if b.van == "inwoner" and b.stap in stappen]
    result = []
    for zin in zinnen:
        text = maskeer(zin, policy)
        if veld == "gemeente" and isinstance(nieuw, str):
            text = _annotate_place(text, nieuw, policy)
        result.append(
            {
                "text": text,
                "metadata": {
                    "correctie": {"veld": veld, "was": _codes(oud), "wordt": _codes(nieuw), "concept": draft.id}
                },
            }
        )
    return result


def collect(store: DraftStore, policy: Policy, drafts: Optional[Iterable[Draft]] = None) -> List[Dict[str, Any]]:
    examples: List[Dict[str, Any]] = []
    seen = set()
    for draft in drafts if drafts is not None else store.iter_all():
        for entry in store.audit(draft.id):
            if entry.actie != "gewijzigd":
                continue
            for veld, change in entry.wijzigingen.items():
                if veld not in BRON_STAPPEN or not isinstance(change, dict):
                    continue
                for example in candidates_for(draft, veld, change.get("oud"), change.get("nieuw"), policy):
                    key = (example["text"], veld)
                    if key not in seen:
                        seen.add(key)
                        examples.append(example)
    return examples


def to_nlu_yaml(examples: List[Dict[str, Any]]) -> str:
    header = (
        "# Candidate training examples from consultants' corrections (lekstroom model correcties).\n"
        "# Review each one: add it to data/nlu/inform.yml with the right annotations, or extend\n"
        "# actions/nlp/lexicon.yml with the words that were missed. Personal data is masked.\n"
    )
    body = (
        {"version": "3.1", "nlu": [{"intent": "inform", "examples": examples}]}
        if examples
        else {"version": "3.1", "nlu": []}
    )
    return header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=120)


def export_candidates(store: DraftStore, policy: Policy, out: Path) -> int:
    examples = collect(store, policy)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_nlu_yaml(examples), encoding="utf-8")
    return len(examples)
