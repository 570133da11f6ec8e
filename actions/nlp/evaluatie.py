"""NLU evaluation reports and the regression gate.

`evaluate_heldout()` runs `rasa test nlu` on the held-out set (tests/nlu/heldout.yml, never used
in training) and writes to one folder: Rasa's per-intent and per-entity reports, the confusion
matrix as PNG, the misclassified examples, and `samenvatting.md` with the headline scores.
`gate()` compares those scores with tests/nlu/drempels.yml. `cross_validate()` runs k-fold
cross-validation on the training data. Called by `lekstroom model evaluate|cross-validate` and
by the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import yaml

from .modelbeheer import CONFIG, DATA, MODEL_FILE, ROOT, rasa_env, record_evaluation

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
THRESHOLDS = ROOT / "tests" / "nlu" / "drempels.yml"
EXTRACTOR = "LekstroomEntityExtractor"


def _run(args: List[str]) -> None:
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=rasa_env(), check=True)


def scores_from(report_dir: Path) -> Dict[str, Any]:
    """Headline scores from Rasa's reports: intent macro-F1 and entity F1 (weighted by support)."""
    intents = json.loads((report_dir / "intent_report.json").read_text(encoding="utf-8"))
    scores: Dict[str, Any] = {
        "intent_macro_f1": round(intents["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(intents.get("accuracy", 0.0), 4),
        "intents": {
            k: round(v["f1-score"], 4)
            for k, v in intents.items()
            if isinstance(v, dict) and k not in ("macro avg", "weighted avg", "micro avg")
        },
    }
    entity_file = report_dir / f"{EXTRACTOR}_report.json"
    if entity_file.exists():
        entities = json.loads(entity_file.read_text(encoding="utf-8"))
        # Weighted by support: labels the held-out set does not annotate weigh nothing.
        scores["entity_f1"] = round(entities["weighted avg"]["f1-score"], 4)
        scores["entities"] = {
            k: round(v["f1-score"], 4)
            for k, v in entities.items()
            if isinstance(v, dict) and v.get("support", 0) > 0 and not k.endswith("avg")
        }
    return scores


def write_summary(report_dir: Path, scores: Dict[str, Any], title: str) -> Path:
    lines = [f"# {title}", "", "| maat | waarde |", "|---|---|"]
    lines.append(f"| intent macro-F1 | {scores['intent_macro_f1']:.3f} |")
    lines.append(f"| intent accuracy | {scores['intent_accuracy']:.3f} |")
    if "entity_f1" in scores:
        lines.append(f"| entity F1 (gewogen) | {scores['entity_f1']:.3f} |")
    lines += ["", "| intent | F1 |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in sorted(scores["intents"].items())]
    if scores.get("entities"):
        lines += ["", "| entity | F1 |", "|---|---|"]
        lines += [f"| {k} | {v:.3f} |" for k, v in sorted(scores["entities"].items())]
    errors_file = report_dir / "intent_errors.json"
    errors = json.loads(errors_file.read_text(encoding="utf-8")) if errors_file.exists() else []
    lines += ["", f"## Verkeerd herkend ({len(errors)})", "", "| tekst | verwacht | voorspeld |", "|---|---|---|"]
    for e in errors:
        text = str(e.get("text", "")).replace("|", "/")
        lines.append(f"| {text} | {e['intent']} | {e['intent_prediction']['name']} |")
    path = report_dir / "samenvatting.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def gate(scores: Dict[str, Any], thresholds_path: Path = THRESHOLDS) -> List[str]:
    """Every threshold the scores fall below; empty when the model passes."""
    thresholds = yaml.safe_load(thresholds_path.read_text(encoding="utf-8"))
    failures = []
    for key, minimum in thresholds.items():
        value = scores.get(key)
        if value is None or value < minimum:
            failures.append(f"{key} = {value} < {minimum}")
    return failures


def evaluate_heldout(
    model: Optional[str] = None, report_dir: str = "reports/nlu", heldout: Path = HELDOUT, record: bool = True
) -> int:
    out = (ROOT / report_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"Evalueren op {heldout}…", flush=True)
    _run(["test", "nlu", "--nlu", str(heldout), "--model", str(model or MODEL_FILE), "--out", str(out)])
    scores = scores_from(out)
    summary = write_summary(out, scores, "NLU op de held-out set")
    if record and model is None:
        record_evaluation({k: scores[k] for k in ("intent_macro_f1", "entity_f1") if k in scores})
    print(f"intent macro-F1: {scores['intent_macro_f1']:.3f}   entity F1: {scores.get('entity_f1', float('nan')):.3f}")
    print(f"Rapporten: {out}  (samenvatting: {summary.name})")
    failures = gate(scores)
    for f in failures:
        print(f"ONDER DE DREMPEL: {f}")
    return 1 if failures else 0


def cross_validate(folds: int = 5, report_dir: str = "reports/nlu-cv") -> int:
    out = (ROOT / report_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(f"{folds}-voudige kruisvalidatie op {DATA / 'nlu'} (traint {folds} keer)…", flush=True)
    _run(
        [
            "test",
            "nlu",
            "--nlu",
            str(DATA / "nlu"),
            "--config",
            str(CONFIG),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
        ]
    )
    scores = scores_from(out)
    write_summary(out, scores, f"NLU, {folds}-voudige kruisvalidatie")
    print(f"intent macro-F1: {scores['intent_macro_f1']:.3f}   rapporten: {out}")
    return 0
