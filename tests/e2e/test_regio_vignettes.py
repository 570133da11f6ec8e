"""The acceptance cases of the Leidse regio and Centraal Gelderland, played end to end over the REST
channel through the same conversation, by one deployment that serves all three regions: the place
the inwoner names decides which policy file makes the draft."""

import uuid
from pathlib import Path

import pytest
import yaml

from actions.classificatie.policy import POLICY_DIR
from actions.store import DraftStore
from tests.helpers.expect import als_parameters, mismatches
from tests.helpers.inwoner import play

DATA = Path(__file__).resolve().parents[1] / "data"
CASES = yaml.safe_load((DATA / "regio_vignettes.yml").read_text(encoding="utf-8"))
DRIE_REGIOS = "lekstroom,leidse-regio,centraal-gelderland"


@pytest.fixture(scope="module")
def regio_assistant(tmp_path_factory):
    from tests.helpers.servers import running_assistant

    with running_assistant(
        tmp_path_factory.mktemp("regio-assistant"), extra_env={"LEKSTROOM_POLICY": DRIE_REGIOS}
    ) as a:
        yield a


def test_at_least_four_cases_per_new_region():
    bestanden = {"Leiden", "Leiderdorp", "Oegstgeest", "Voorschoten", "Zoeterwoude"}
    leiden = [c for c in CASES if c["expect"]["gemeente"] in bestanden]
    gelderland = [c for c in CASES if c["expect"].get("afweging") == "criteria"]
    assert len(leiden) >= 4 and len(gelderland) >= 4
    assert all(c["expect"]["afweging"] == "treden" for c in leiden)
    assert (POLICY_DIR / "leidse-regio.yml").exists() and (POLICY_DIR / "centraal-gelderland.yml").exists()


# Acceptance cases the assistant does not yet pass, each with what it misreads. Strict: the suite
# fails as soon as one passes, so it is taken off this list. Reported in the README.
BEKEND = {
    "leiderdorp-oudere-geheugen": "'Ik heb een pillendoos.' gets the danger check question (the model for danger to "
    "self 0.72, check at 0.7); the simulated inwoner answers 'ja' to every question it has no answer for, so the "
    "draft counts a danger that a real inwoner would have denied",
}
PARAMS = als_parameters(CASES, BEKEND)


@pytest.mark.e2e
@pytest.mark.parametrize("case", PARAMS, ids=[c["id"] for c in CASES])
def test_regio_vignette_end_to_end(regio_assistant, case):
    sender = f"{case['id']}-{uuid.uuid4().hex[:6]}"
    gesprek = play(regio_assistant, case, sender)
    draft = DraftStore.from_url(regio_assistant.database_url).get_by_conversation(sender)
    assert draft is not None, f"geen concept in de wachtrij; gesprek: {gesprek.said}"
    assert draft.policy.bestand in ("leidse-regio", "centraal-gelderland")
    assert mismatches(draft, case["expect"]) == [], gesprek.said
