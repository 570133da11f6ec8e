"""How well the question readers understand answers they never saw: per-question scores.

`evalueer(modellen, corpus)` scores the readers on a labelled corpus: exact-set accuracy for the
areas, circumstances, network, provisions and contact; accuracy for the type and the duration;
recall and false alarms for danger (a signal counts when the assistant shows the help lines, sure
or with its check question); and for interruptions, how many are recognised and how many answers
are wrongly taken for one. `heldout()` scores the models trained on `data/corpus/` on the
held-out set (`tests/nlu/heldout/`, written by authors who never saw the training answers);
`kruisvalidatie()` trains on all authors but one and scores on the one left out, for each author.
`rapport()` writes the scores, a confusion picture per question and every miss to a folder.
Called by `lekstroom model evaluate|cross-validate` and by the NLU gate test.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import tekstmodellen
from .corpus import HELDOUT, Antwoord, laad
from .tekstmodellen import GEEN, Getraind

# questions scored by their model alone (the areas and circumstances by their whole reader)
SET_VRAGEN = {
    "hulpvraag": "gebieden",
    "netwerk": "netwerk",
    "voorliggend_veld": "voorzieningen",
    "contact": "contact",
}
Mis = Tuple[str, str, str]  # text, expected, got


def _set_score(model: Getraind, antwoorden: List[Antwoord]) -> Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]:
    goed, missers, paren = 0, [], []
    for a in antwoorden:
        verwacht = {label for label in a.labels if label in model.spec.labels}
        kregen = set(model.lees(a.tekst)[0])
        goed += verwacht == kregen
        if verwacht != kregen:
            missers.append((a.tekst, ",".join(sorted(verwacht)) or "-", ",".join(sorted(kregen)) or "-"))
        for label in model.spec.labels:
            paren.append((f"{label}:{'ja' if label in verwacht else 'nee'}", f"{'ja' if label in kregen else 'nee'}"))
    return {"exact": round(goed / max(1, len(antwoorden)), 4), "n": len(antwoorden)}, missers, paren


def _lezer_score(
    antwoorden: List[Antwoord], lees: Callable[[str], List[str]], labels: Sequence[str]
) -> Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]:
    goed, missers, paren = 0, [], []
    for a in antwoorden:
        verwacht, kregen = {label for label in a.labels if label in labels}, set(lees(a.tekst))
        goed += verwacht == kregen
        if verwacht != kregen:
            missers.append((a.tekst, ",".join(sorted(verwacht)) or "-", ",".join(sorted(kregen)) or "-"))
        for label in labels:
            paren.append((f"{label}:{'ja' if label in verwacht else 'nee'}", f"{'ja' if label in kregen else 'nee'}"))
    return {"exact": round(goed / max(1, len(antwoorden)), 4), "n": len(antwoorden)}, missers, paren


def _type_score(model: Getraind, antwoorden: List[Antwoord]) -> Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]:
    goed, missers, paren = 0, [], []
    for a in antwoorden:
        verwacht = a.labels[0] if a.labels else GEEN
        kregen = (model.lees(a.tekst)[0] or [GEEN])[0]
        goed += verwacht == kregen
        paren.append((verwacht, kregen))
        if verwacht != kregen:
            missers.append((a.tekst, verwacht, kregen))
    return {"accuracy": round(goed / max(1, len(antwoorden)), 4), "n": len(antwoorden)}, missers, paren


def _duur_score(antwoorden: List[Antwoord]) -> Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]:
    from ..intake.interpretatie import parse_duur

    goed, missers = 0, []
    for a in antwoorden:
        kregen = parse_duur(a.tekst)
        # right when both say "not given", or within a quarter of what the inwoner meant
        juist = kregen == a.maanden or (
            kregen is not None and a.maanden is not None and abs(kregen - a.maanden) <= max(1, a.maanden / 4)
        )
        goed += juist
        if not juist:
            missers.append((a.tekst, str(a.maanden), str(kregen)))
    return {"accuracy": round(goed / max(1, len(antwoorden)), 4), "n": len(antwoorden)}, missers, []


def _gevaar_score(antwoorden: List[Antwoord]) -> Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]:
    from ..intake import veiligheid

    crisis = [a for a in antwoorden if a.labels]
    gewoon = [a for a in antwoorden if not a.labels]
    missers: List[Mis] = []
    paren: List[Tuple[str, str]] = []
    gevonden = zeker = vals = 0
    for a in crisis:
        s = veiligheid.signaal(a.tekst)
        gevonden += s is not None
        zeker += bool(s and s.zeker)
        paren.append(("gevaar", "zeker" if s and s.zeker else "check" if s else "geen"))
        if s is None:
            missers.append((a.tekst, ",".join(a.labels), "geen signaal"))
    for a in gewoon:
        s = veiligheid.signaal(a.tekst)
        vals += s is not None
        paren.append(("gewoon", "zeker" if s and s.zeker else "check" if s else "geen"))
        if s is not None:
            missers.append((a.tekst, "gewoon", "zeker" if s.zeker else "check"))
    return (
        {
            "recall": round(gevonden / max(1, len(crisis)), 4),
            "recall_zeker": round(zeker / max(1, len(crisis)), 4),
            "vals_alarm": round(vals / max(1, len(gewoon)), 4),
            "n_crisis": len(crisis),
            "n_gewoon": len(gewoon),
        },
        missers,
        paren,
    )


def _onderbreking_score(antwoorden: List[Antwoord]) -> Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]:
    from ..intake.bericht import Bericht
    from ..intake.onderbreking import herken

    goed, missers, paren = 0, [], []
    for a in antwoorden:
        verwacht = a.labels[0] if a.labels else GEEN
        kregen = herken(Bericht(a.tekst)) or GEEN  # the model alone, without Rasa's intent
        goed += verwacht == kregen
        paren.append((verwacht, kregen))
        if verwacht != kregen:
            missers.append((a.tekst, verwacht, kregen))
    antwoord = [p for p in paren if p[0] == GEEN]
    return (
        {
            "accuracy": round(goed / max(1, len(antwoorden)), 4),
            "antwoord_als_onderbreking": round(sum(p[1] != GEEN for p in antwoord) / max(1, len(antwoord)), 4),
            "n": len(antwoorden),
        },
        missers,
        paren,
    )


def evalueer(
    modellen: Dict[str, Getraind], corpus: Dict[str, List[Antwoord]]
) -> Dict[str, Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]]:
    """Scores, misses and (expected, got) pairs per question of `corpus`, read with `modellen`."""
    from ..intake.lezers import gebieden_van_antwoord, omstandigheden_in

    tekstmodellen.geladen.cache_clear()
    vorige = tekstmodellen.geladen
    tekstmodellen.geladen = lambda: modellen  # type: ignore[assignment]  # the readers use these models
    try:
        result = {}
        for vraag, antwoorden in sorted(corpus.items()):
            # the whole reader: the model and the answer's own words
            if vraag == "resultaatgebieden":
                result[vraag] = _lezer_score(antwoorden, gebieden_van_antwoord, tekstmodellen.GEBIEDEN)
            elif vraag == "verzwarende_omstandigheden":
                result[vraag] = _lezer_score(antwoorden, omstandigheden_in, tekstmodellen.OMSTANDIGHEDEN)
            elif vraag in SET_VRAGEN:
                result[vraag] = _set_score(modellen[SET_VRAGEN[vraag]], antwoorden)
            elif vraag == "type_ondersteuning":
                result[vraag] = _type_score(modellen["type"], antwoorden)
            elif vraag == "duur":
                result[vraag] = _duur_score(antwoorden)
            elif vraag == "gevaar":
                result[vraag] = _gevaar_score(antwoorden)
            elif vraag == "onderbreking":
                result[vraag] = _onderbreking_score(antwoorden)
        return result
    finally:
        tekstmodellen.geladen = vorige  # type: ignore[assignment]


def heldout(modellen: Optional[Dict[str, Getraind]] = None) -> Dict[str, Any]:
    return evalueer(modellen or tekstmodellen.train(opslaan=None), laad(HELDOUT))


def kruisvalidatie() -> Dict[str, Any]:
    """Leave one author out: train on the others, score on that author's answers; pooled."""
    corpus = laad()
    auteurs = sorted({a.auteur for antwoorden in corpus.values() for a in antwoorden})
    samen: Dict[str, List[Any]] = {}
    for auteur in auteurs:
        train = {v: [a for a in lijst if a.auteur != auteur] for v, lijst in corpus.items()}
        test = {v: [a for a in lijst if a.auteur == auteur] for v, lijst in corpus.items()}
        print(f"kruisvalidatie: auteur {auteur} weggelaten…", flush=True)
        uitkomst = evalueer(tekstmodellen.train(train, opslaan=None), {v: t for v, t in test.items() if t})
        for vraag, (scores, missers, paren) in uitkomst.items():
            samen.setdefault(vraag, []).append((scores, missers, paren))
    return {vraag: _samengevoegd(delen) for vraag, delen in samen.items()}


def _samengevoegd(delen: List[Tuple[Dict[str, Any], List[Mis], List[Tuple[str, str]]]]) -> Any:
    """Scores of the folds weighted by their size."""
    scores: Dict[str, Any] = {}
    gewicht = [d[0].get("n", d[0].get("n_crisis", 0) + d[0].get("n_gewoon", 0)) for d in delen]
    for key in delen[0][0]:
        if key.startswith("n"):
            scores[key] = sum(d[0][key] for d in delen)
        else:
            scores[key] = round(
                sum(d[0][key] * w for d, w in zip(delen, gewicht, strict=True)) / max(1, sum(gewicht)), 4
            )
    return scores, [m for d in delen for m in d[1]], [p for d in delen for p in d[2]]


HOOFDMAAT = {
    "resultaatgebieden": "exact",
    "hulpvraag": "exact",
    "type_ondersteuning": "accuracy",
    "verzwarende_omstandigheden": "exact",
    "netwerk": "exact",
    "voorliggend_veld": "exact",
    "contact": "exact",
    "duur": "accuracy",
    "onderbreking": "accuracy",
}


def scores_van(uitkomst: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {vraag: scores for vraag, (scores, _, _) in uitkomst.items()}


def _plaatje(vraag: str, paren: List[Tuple[str, str]], map_: Path) -> Optional[Path]:
    if not paren:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rijen = sorted({p[0] for p in paren})
    kolommen = sorted({p[1] for p in paren} | ({p[0] for p in paren} if ":" not in paren[0][0] else set()))
    telling = Counter(paren)
    matrix = [[telling[(r, k)] for k in kolommen] for r in rijen]
    fig, ax = plt.subplots(figsize=(1.2 + 0.9 * len(kolommen), 1.0 + 0.45 * len(rijen)))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(kolommen)), kolommen, rotation=45, ha="right")
    ax.set_yticks(range(len(rijen)), rijen)
    for i, rij in enumerate(matrix):
        for j, waarde in enumerate(rij):
            ax.text(j, i, str(waarde), ha="center", va="center", fontsize=8)
    ax.set_xlabel("gelezen")
    ax.set_ylabel("verwacht")
    ax.set_title(vraag)
    fig.tight_layout()
    path = map_ / f"verwarring_{vraag}.png"
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def rapport(uitkomst: Dict[str, Any], map_: Path, titel: str, cv: Optional[Dict[str, Any]] = None) -> Path:
    """Scores as a table (with cross-validation beside them when given), a confusion picture per
    question and every miss, in `map_`."""
    map_.mkdir(parents=True, exist_ok=True)
    regels = [f"# {titel}", "", "| vraag | maat | held-out | kruisvalidatie | n |", "|---|---|---|---|---|"]
    for vraag, (scores, _, paren) in uitkomst.items():
        _plaatje(vraag, paren, map_)
        maten = ["recall", "vals_alarm"] if vraag == "gevaar" else [HOOFDMAAT.get(vraag, "accuracy")]
        if vraag == "onderbreking":
            maten.append("antwoord_als_onderbreking")
        for maat in maten:
            cv_waarde = cv[vraag][0].get(maat) if cv and vraag in cv else None
            n = scores.get("n", f"{scores.get('n_crisis')}+{scores.get('n_gewoon')}")
            cv_tekst = f"{cv_waarde:.3f}" if cv_waarde is not None else "-"
            regels.append(f"| {vraag} | {maat} | {scores[maat]:.3f} | {cv_tekst} | {n} |")
    regels += ["", "## Gemist", ""]
    for vraag, (_, missers, _) in uitkomst.items():
        regels.append(f"### {vraag} ({len(missers)})")
        regels += [f"- `{t}`: verwacht {v}, gelezen {k}" for t, v, k in missers]
        regels.append("")
    path = map_ / "lezers.md"
    path.write_text("\n".join(regels), encoding="utf-8")
    data = {"heldout": scores_van(uitkomst), "kruisvalidatie": scores_van(cv) if cv else None}
    (map_ / "lezers.json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
