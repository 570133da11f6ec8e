"""The trained models behind the question readers: one small text classifier per kind of answer.

Each model reads the normalised answer (`spelling.normaliseer`) with three kinds of features: the
words and letter groups of the text; the lexicon's matches (`lexicon.yml`) as extra tokens,
marked when negated ("geld is geen probleem", "geen verslaving"); and the dictionary form of every
word (simplemma's Dutch lemmas: "papieren" counts as "papier", "dagen" as "dag"), so an answer
with a word form no training answer used still meets the words it shares with them. The model
learns how far to trust a lexicon word in context, and the lexicon's matches still give the
inwoner's own words that the onderbouwing quotes. Models are scikit-learn logistic regressions (one per label where an
answer can have several), trained on the corpus in `data/corpus/` in a few seconds.

`MODELLEN` says which corpus questions feed which model. `train()` fits all of them and saves them
to `models/lezers.joblib`; `geladen()` gives the saved set (training first when it is missing or
the corpus or lexicon changed). Used by `actions/intake/lezers.py` in the action server, by
`lekstroom model train|evaluate|cross-validate` and by the tests.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from .corpus import ROOT, TRAINING, Antwoord, laad
from .lexicon import LEXICON_PATH, Match, PatternSet, fold, load_lexicon
from .spelling import normaliseer

MODEL_FILE = ROOT / "models" / "lezers.joblib"
RASA_NLU = ROOT / "data" / "nlu"
GEEN = "geen"  # the class of a single-label model for "none of these"
LEXICON_LABELS = ("resultaatgebied", "omstandigheid", "kenmerk", "voorziening", "rol")
NEGATIES = {"geen", "niet", "nooit", "niks", "niets", "zonder", "nee", "nergens", "nie"}
CLAUSE_BREAKS = {"maar", "en", "want", "dus", "of", "alleen"}
# after the words: "geld is geen probleem", "koken doe ik zelf prima", "de post lukt wel"
_NA_WERKWOORD = {"is", "zijn", "was", "gaat", "gaan", "lukt", "lukken", "doe", "doet", "doen", "regel", "regelt", "kan"}
_NA_GOED = re.compile(r"^(geen (probleem|punt)|niet (het )?(probleem|nodig)|prima|goed|wel|zelf)\b")
_NA_SLECHT = {"niet", "nie", "geen", "slecht", "moeilijk", "moeizaam", "nooit", "steeds", "minder"}
# before the words of an area: "geen problemen met de post", "geen hulp nodig bij het eten"
_VOOR_GEBIED = re.compile(
    r"\b(geen|niet|nooit)\s+(hulp|probleem|problemen|moeite|zorgen)\s+(nodig\s+)?(met|bij|over|voor)(\s+(de|het|mijn|me|m'n))?\s*$"
)
_WOORD = re.compile(r"[a-z0-9]+")
_LETTERWOORD = re.compile(r"[a-z]+")
_ZIN = re.compile(r"[.;:!?,]")  # negation does not cross a comma or the end of a sentence
# someone else does it: "de papieren doet mijn zwager", "het geld regelt de bewindvoerder"
_DOOR_ANDER = re.compile(r"^\W*(doet|doen|regelt|regelen|verzorgt|beheert)\s+(mijn|me|m'n|onze|ons|de|het|een)\s+[a-z]")


@dataclass(frozen=True)
class ModelSpec:
    """One model: which corpus questions train it, its labels, and how its answer is decided."""

    naam: str
    vragen: Tuple[str, ...]
    labels: Tuple[str, ...]
    meervoudig: bool  # several labels per answer (areas), or exactly one class (type)
    drempel: float = 0.5
    # a label the lexicon finds (not negated) in the answer needs only this much from the model
    drempel_met_lexicon: Optional[float] = None
    lexicon_label: Optional[str] = None
    extra_negatief: Tuple[str, ...] = ()  # questions whose answers are all "none of these" here
    rasa_intents: Dict[str, str] = field(default_factory=dict)  # Rasa intent -> label, as extra examples
    c: float = 8.0  # the regression's inverse regularisation: higher trusts rare words and letter groups more


GEBIEDEN = (
    "zelfzorg_gezondheid",
    "regelvermogen_structuur",
    "administratie_financien",
    "sociaal_functioneren",
    "daginvulling_zingeving",
)
OMSTANDIGHEDEN = (
    "verminderd_regelvermogen",
    "gezinslid_met_hulpvraag",
    "beperkend_netwerk",
    "verslaving",
    "psychische_kwetsbaarheid",
    "tijdelijke_gebeurtenis",
    "overig",
)
SOORTEN = ("zelf", "slachtoffer", "anderen", "kind")  # the kinds of danger
ORDINAIR = ("resultaatgebieden", "type_ondersteuning", "duur", "contact", "voorliggend_veld")
# Rasa's intents for the interruptions, and the interruption each one is
ONDERBREKING_INTENTS = {
    "ask_why": "waarom",
    "stop": "stoppen",
    "start_over": "opnieuw",
    "ask_human": "mens",
    "delete_data": "wissen",
    "correct": "corrigeren",
}
ANTWOORDEN = ORDINAIR + ("hulpvraag", "verzwarende_omstandigheden", "netwerk", "onderbreking")

MODELLEN: Dict[str, ModelSpec] = {
    s.naam: s
    for s in (
        ModelSpec(
            "gebieden",
            ("resultaatgebieden", "hulpvraag"),
            GEBIEDEN,
            meervoudig=True,
            drempel=0.6,  # thresholds chosen by cross-validation (one author left out)
            drempel_met_lexicon=0.3,
            lexicon_label="resultaatgebied",
        ),
        ModelSpec("type", ("type_ondersteuning",), ("ontwikkelen", "behouden", GEEN), meervoudig=False),
        ModelSpec(
            "omstandigheden",
            ("verzwarende_omstandigheden",),
            OMSTANDIGHEDEN,
            meervoudig=True,
            # C and thresholds chosen by cross-validation over 16 authors: exact sets 0.885 at C=8
            # with 0.5/0.2, 0.890 at C=32 with 0.5/0.3
            drempel_met_lexicon=0.3,
            lexicon_label="omstandigheid",
            c=32.0,
        ),
        ModelSpec("netwerk", ("netwerk",), ("overbelast", "geen_netwerk"), meervoudig=True),
        ModelSpec(
            "voorzieningen",
            ("voorliggend_veld",),
            ("welzijn", "buurthuis", "maatje", "formulierenhulp", "schuldhulp", "mantelzorgondersteuning", "anders"),
            meervoudig=True,
        ),
        ModelSpec("contact", ("contact",), ("bellen", "mailen", "brief", "langskomen", "app"), meervoudig=True),
        # danger: any of the four kinds against ordinary sentences; every other answer of the
        # corpus adds ordinary examples (their authors wrote danger only in gevaar/)
        # C=32 chosen by cross-validation (one author left out): at the same share of false
        # alarms it finds 1 to 3 crisis sentences in a hundred more than C=8
        ModelSpec("gevaar", ("gevaar",), ("gevaar", GEEN), meervoudig=False, extra_negatief=ANTWOORDEN, c=32.0),
        # each kind of danger against every ordinary sentence: words for a threatening partner and
        # for not wanting to live have little in common, and one model per kind finds more of both;
        # a check question comes at the highest of these and the danger model above
        # (veiligheid.kansen_op_gevaar)
        ModelSpec(
            "gevaar_per_soort",
            ("gevaar",),
            SOORTEN,
            meervoudig=True,
            extra_negatief=ANTWOORDEN,
            c=32.0,
        ),
        # which kind, among crisis sentences only
        ModelSpec("gevaar_soort", ("gevaar",), SOORTEN, meervoudig=True),
        ModelSpec(
            "onderbreking",
            ("onderbreking",),
            ("waarom", "stoppen", "opnieuw", "mens", "wissen", "corrigeren", GEEN),
            meervoudig=False,
            extra_negatief=ORDINAIR + ("hulpvraag", "verzwarende_omstandigheden", "netwerk"),
            # ordinary answers of every kind are the "none" class: yes, no, a fact, don't know
            rasa_intents={
                **{i: GEEN for i in ("affirm", "deny", "inform", "dont_know", "greet")},
                **ONDERBREKING_INTENTS,
            },
        ),
    )
}


# -- features ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _patronen() -> PatternSet:
    data = load_lexicon()
    return PatternSet({k: v for k, v in data.items() if k in LEXICON_LABELS})


def is_ontkend(tekst: str, match: Match) -> bool:
    """A negation shortly before the words in the same clause ("geen schulden"), or a denial just
    after them ("geld is geen probleem", "de post lukt wel"). For an area of life a negation before
    it names the problem ("geen vrienden", "geen structuur"); only "geen problemen met …" denies it."""
    voor = _ZIN.split(tekst[max(0, match.start - 80) : match.start])[-1]
    na = _ZIN.split(tekst[match.end : match.end + 80])[0]
    if match.label == "resultaatgebied":
        if _VOOR_GEBIED.search(voor):
            return True
    else:
        for woord in reversed(_WOORD.findall(voor)[-2:]):
            if woord in CLAUSE_BREAKS:
                break
            if woord in NEGATIES:
                return True
    return _ontkend_erna(na)


def _ontkend_erna(na: str) -> bool:
    if _DOOR_ANDER.match(na):
        return True
    woorden = _WOORD.findall(na)[:8]
    for i, woord in enumerate(woorden[:5]):
        if woord in CLAUSE_BREAKS - {"en", "of"}:  # "koken en wassen doe ik zelf prima": both
            return False
        if woord in _NA_WERKWOORD:
            for j in range(i + 1, min(i + 4, len(woorden))):
                if _NA_GOED.match(" ".join(woorden[j:])):
                    return True
                if woorden[j] in _NA_SLECHT:
                    return False
            return False
    return False


@lru_cache(maxsize=2048)  # the same (part of a) message is looked up by several readers
def lexicon_treffers(tekst: str) -> Tuple[Tuple[Match, bool], ...]:
    """The lexicon's matches in normalised text, each with whether it is negated."""
    return tuple((m, is_ontkend(tekst, m)) for m in _patronen().find(tekst))


@lru_cache(maxsize=20000)
def lemma(woord: str) -> str:
    """The dictionary form of a Dutch word (simplemma's Dutch data, shipped inside the package)."""
    import simplemma

    return str(simplemma.lemmatize(woord, lang="nl")).lower()


def verrijk(tekst: str) -> str:
    """Normalised text followed by one token per lexicon match and one per word's lemma (the
    features of every model; the letter groups read only the text before the ¶)."""
    norm = normaliseer(tekst)
    tokens = [
        f"§{'neg' if ontkend else 'lex'}_{m.label}_{m.code}".replace("-", "_") for m, ontkend in lexicon_treffers(norm)
    ]
    tokens += ["ℓ" + lemma(woord) for woord in _LETTERWOORD.findall(norm)]
    return norm + " ¶ " + " ".join(tokens)


def alleen_tekst(verrijkt: str) -> str:
    return verrijkt.split(" ¶ ", 1)[0]


# -- training and prediction -----------------------------------------------------------------------


def _pijplijn(meervoudig: bool, c: float) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    kenmerken = FeatureUnion(
        [
            (
                "letters",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), preprocessor=alleen_tekst, min_df=2, sublinear_tf=True
                ),
            ),
            (
                "woorden",
                TfidfVectorizer(token_pattern=r"[^\s¶]+", ngram_range=(1, 2), lowercase=False, sublinear_tf=True),
            ),
        ]
    )
    regressie = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model = OneVsRestClassifier(regressie) if meervoudig else regressie
    return Pipeline([("kenmerken", kenmerken), ("model", model)])


def _rasa_voorbeelden(intents: Dict[str, str]) -> List[Tuple[str, str]]:
    voorbeelden: List[Tuple[str, str]] = []
    for path in sorted(RASA_NLU.glob("*.yml")):
        for blok in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            label = intents.get(str(blok.get("intent")))
            if label:
                for regel in str(blok.get("examples") or "").splitlines():
                    tekst = re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", r"\1\2", regel.strip()[2:])
                    if regel.strip().startswith("- ") and tekst:
                        voorbeelden.append((tekst, label))
    return voorbeelden


def voorbeelden(spec: ModelSpec, corpus: Dict[str, List[Antwoord]]) -> List[Tuple[str, Tuple[str, ...], str]]:
    """(text, labels, author) pairs a model trains on; single-label models get GEEN for none."""
    rijen: List[Tuple[str, Tuple[str, ...], str]] = []
    for vraag in spec.vragen:
        for a in corpus.get(vraag, []):
            labels = tuple(label for label in a.labels if label in spec.labels)
            if spec.naam == "gevaar":
                labels = ("gevaar",) if a.labels else ()
            if spec.naam == "gevaar_soort" and not a.labels:
                continue
            if not spec.meervoudig:
                labels = labels[:1] or (GEEN,)
            rijen.append((a.tekst, labels, a.auteur))
    for vraag in spec.extra_negatief:
        for a in corpus.get(vraag, []):
            rijen.append((a.tekst, () if spec.meervoudig else (GEEN,), a.auteur))
    for tekst, label in _rasa_voorbeelden(spec.rasa_intents):
        rijen.append((tekst, (label,), "rasa-nlu"))
    return rijen


@dataclass
class Getraind:
    """A fitted model and how to read its output."""

    spec: ModelSpec
    pijplijn: Any
    binarizer: Any = None

    def kansen(self, teksten: Sequence[str]) -> List[Dict[str, float]]:
        verrijkt = [verrijk(t) for t in teksten]
        matrix = self.pijplijn.predict_proba(verrijkt)
        klassen = list(self.binarizer.classes_) if self.binarizer is not None else list(self.pijplijn.classes_)
        return [{k: float(p) for k, p in zip(klassen, rij, strict=True)} for rij in matrix]

    def lees(self, tekst: str) -> Tuple[List[str], Dict[str, float]]:
        """The labels decided for one answer (in the spec's order) and every label's probability.
        A single-label model decides nothing when no class reaches its threshold."""
        kansen = self.kansen([tekst])[0]
        if self.spec.meervoudig:
            gevonden = set(citaten(tekst, self.spec.lexicon_label)) if self.spec.lexicon_label else set()
            laag = self.spec.drempel_met_lexicon if self.spec.drempel_met_lexicon is not None else self.spec.drempel
            gekozen = [
                label
                for label in self.spec.labels
                if kansen.get(label, 0.0) >= (laag if label in gevonden else self.spec.drempel)
            ]
        else:
            beste = max(kansen, key=lambda k: kansen[k])
            gekozen = [] if beste == GEEN or kansen[beste] < self.spec.drempel else [beste]
        return gekozen, kansen


def fit(spec: ModelSpec, rijen: Sequence[Tuple[str, Tuple[str, ...], str]]) -> Getraind:
    from sklearn.preprocessing import MultiLabelBinarizer

    teksten = [verrijk(t) for t, _, _ in rijen]
    pijplijn = _pijplijn(spec.meervoudig, spec.c)
    if spec.meervoudig:
        binarizer = MultiLabelBinarizer(classes=list(spec.labels))
        y = binarizer.fit_transform([labels for _, labels, _ in rijen])
        pijplijn.fit(teksten, y)
        return Getraind(spec, pijplijn, binarizer)
    pijplijn.fit(teksten, [labels[0] for _, labels, _ in rijen])
    return Getraind(spec, pijplijn)


def vingerafdruk(map_: Path = TRAINING) -> str:
    digest = hashlib.sha256()
    bestanden = sorted(map_.rglob("*.yml")) + sorted(RASA_NLU.glob("*.yml")) + [LEXICON_PATH]
    for path in bestanden + [Path(__file__), Path(__file__).with_name("spelling.py")]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def train(
    corpus: Optional[Dict[str, List[Antwoord]]] = None, opslaan: Optional[Path] = MODEL_FILE
) -> Dict[str, Getraind]:
    """Fit every model on the corpus (the training folder by default) and save them."""
    import joblib

    corpus = corpus if corpus is not None else laad()
    modellen = {naam: fit(spec, voorbeelden(spec, corpus)) for naam, spec in MODELLEN.items()}
    if opslaan is not None:
        opslaan.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"vingerafdruk": vingerafdruk(), "modellen": modellen}, opslaan)
    return modellen


@lru_cache(maxsize=1)
def geladen() -> Dict[str, Getraind]:
    """The saved models, or freshly trained ones when there are none or they are out of date."""
    import joblib

    if MODEL_FILE.exists():
        try:
            opgeslagen = joblib.load(MODEL_FILE)
        except Exception:  # saved by other code (a renamed function): train anew
            opgeslagen = {}
        if opgeslagen.get("vingerafdruk") == vingerafdruk():
            return dict(opgeslagen["modellen"])
    return train()


def citaten(tekst: str, label: str) -> Dict[str, List[str]]:
    """The inwoner's words per code for a lexicon label, taken from the normalised answer."""
    norm = normaliseer(tekst)
    result: Dict[str, List[str]] = {}
    for m, ontkend in lexicon_treffers(norm):
        if m.label == label and not ontkend:
            result.setdefault(m.code, []).append(norm[m.start : m.end])
    return result


__all__ = ["MODELLEN", "GEEN", "Getraind", "fit", "geladen", "train", "verrijk", "citaten", "fold"]
