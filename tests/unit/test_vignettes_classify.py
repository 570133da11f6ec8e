"""The acceptance cases' intakes, fed straight to classify(), give exactly their `expect`."""

from pathlib import Path

import pytest
import yaml

from actions.classificatie import Intake, classify, load_policy
from tests.helpers.expect import mismatches

DATA = Path(__file__).resolve().parent.parent / "data"
CASES = {c["id"]: c for c in yaml.safe_load((DATA / "vignettes.yml").read_text(encoding="utf-8"))}
INTAKES = yaml.safe_load((DATA / "vignette_intakes.yml").read_text(encoding="utf-8"))
POLICY = load_policy()


def test_every_case_has_a_structured_intake():
    assert set(CASES) == set(INTAKES)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_vignette_classifies_as_expected(case_id):
    intake = Intake(conversation_id=case_id, **INTAKES[case_id])
    draft = classify(intake, POLICY)
    assert mismatches(draft, CASES[case_id]["expect"]) == []
