"""NLU quality on the held-out set, the regression gate, and the reports developers read."""

import random

import pytest
import yaml

from actions.nlp import evaluatie
from actions.nlp.modelbeheer import MODEL_FILE, ensure_model, read_meta


@pytest.fixture(scope="module")
def heldout_report(tmp_path_factory, request):
    ensure_model()
    out = tmp_path_factory.mktemp("nlu-report")
    evaluatie.evaluate_heldout(report_dir=str(out), record=True)
    scores = evaluatie.scores_from(out)
    request.config._lekstroom_nlu_scores = scores  # printed at the end of the run (tests/conftest.py)
    return out, scores


def test_heldout_scores_pass_the_gate(heldout_report):
    _, scores = heldout_report
    assert evaluatie.gate(scores) == []


def test_reports_are_written(heldout_report):
    out, scores = heldout_report
    assert (out / "intent_report.json").exists()
    assert (out / "intent_confusion_matrix.png").stat().st_size > 1000
    assert (out / "LekstroomEntityExtractor_report.json").exists()
    summary = (out / "samenvatting.md").read_text(encoding="utf-8")
    assert "| intent macro-F1 |" in summary and "| entity F1 (gewogen) |" in summary
    assert "## Verkeerd herkend" in summary
    assert read_meta()["evaluatie"]["intent_macro_f1"] == scores["intent_macro_f1"]


def test_a_damaged_dataset_fails_the_gate(tmp_path):
    """Scramble the held-out labels: the same model must now fall below the thresholds."""
    data = yaml.safe_load(evaluatie.HELDOUT.read_text(encoding="utf-8"))
    intents = [block["intent"] for block in data["nlu"]]
    rng = random.Random(7)
    for block in data["nlu"]:
        block["intent"] = rng.choice([i for i in intents if i != block["intent"]])
    damaged = tmp_path / "damaged.yml"
    damaged.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "report"
    status = evaluatie.evaluate_heldout(report_dir=str(out), heldout=damaged, record=False)
    assert status == 1
    assert any("intent_macro_f1" in f for f in evaluatie.gate(evaluatie.scores_from(out)))


def test_model_records_what_it_was_trained_from():
    meta = read_meta()
    assert MODEL_FILE.exists()
    assert len(meta["data_hash"]) == 16 and "DIETClassifier" in meta["config"]
