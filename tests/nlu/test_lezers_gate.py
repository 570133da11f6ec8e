"""The question readers on the held-out corpus: per-question scores, reports, and the gate.

The held-out answers (tests/nlu/heldout/) were written by authors who never saw the training
corpus (data/corpus/). The scores are printed at the end of the test run and written, with a
confusion picture per question, to reports/nlu/.
"""

from pathlib import Path

import pytest
import yaml

from actions.nlp import lezerevaluatie, tekstmodellen
from actions.nlp.corpus import HELDOUT, TRAINING, laad

ROOT = Path(__file__).resolve().parents[2]
DREMPELS = yaml.safe_load((Path(__file__).with_name("drempels_lezers.yml")).read_text(encoding="utf-8"))


def onder_de_drempel(scores):
    fouten = []
    for vraag, maten in DREMPELS.items():
        for maat, grens in maten.items():
            waarde = scores[vraag][maat]
            if isinstance(grens, dict) and waarde > grens["max"]:
                fouten.append(f"{vraag}.{maat} = {waarde} > {grens['max']}")
            elif not isinstance(grens, dict) and waarde < grens:
                fouten.append(f"{vraag}.{maat} = {waarde} < {grens}")
    return fouten


@pytest.fixture(scope="module")
def uitkomst(request):
    uitkomst = lezerevaluatie.heldout(tekstmodellen.geladen())
    lezerevaluatie.rapport(uitkomst, ROOT / "reports" / "nlu", "Vraaglezers: held-out")
    request.config._lekstroom_lezer_scores = lezerevaluatie.scores_van(uitkomst)
    return uitkomst


def test_the_corpus_is_large_and_varied():
    corpus = laad(TRAINING)
    for vraag in (
        "resultaatgebieden",
        "type_ondersteuning",
        "verzwarende_omstandigheden",
        "netwerk",
        "voorliggend_veld",
        "duur",
        "contact",
    ):
        assert len(corpus[vraag]) >= 200, vraag
        assert len({a.auteur for a in corpus[vraag]}) >= 4, vraag
    gevaar = corpus["gevaar"]
    assert sum(bool(a.labels) for a in gevaar) >= 300 and sum(not a.labels for a in gevaar) >= 600


def test_heldout_and_training_share_no_answer():
    """Every held-out answer is unseen: the few that coincided with a training answer ("geen idee",
    "bellen graag") were removed from the held-out set."""
    gezien = {a.tekst.lower().strip(" .!?") for lijst in laad(TRAINING).values() for a in lijst}
    dubbel = [a.tekst for lijst in laad(HELDOUT).values() for a in lijst if a.tekst.lower().strip(" .!?") in gezien]
    assert dubbel == []


def test_heldout_scores_pass_the_gate(uitkomst):
    assert onder_de_drempel(lezerevaluatie.scores_van(uitkomst)) == []


def test_reports_with_confusion_pictures(uitkomst):
    out = ROOT / "reports" / "nlu"
    assert (out / "verwarring_resultaatgebieden.png").stat().st_size > 1000
    assert (out / "verwarring_gevaar.png").stat().st_size > 1000
    assert "| gevaar | recall |" in (out / "lezers.md").read_text(encoding="utf-8")


def test_a_damaged_corpus_fails_the_gate():
    """Training on shuffled area labels must fall below the gate: the gate can fail."""
    import random

    corpus = laad(TRAINING)
    rng = random.Random(3)
    labels = [a.labels for a in corpus["resultaatgebieden"]]
    rng.shuffle(labels)
    corpus["resultaatgebieden"] = [
        a.__class__(**{**a.__dict__, "labels": lab}) for a, lab in zip(corpus["resultaatgebieden"], labels, strict=True)
    ]
    corpus["hulpvraag"] = []
    spec = tekstmodellen.MODELLEN["gebieden"]  # the only model the areas reader uses
    modellen = {"gebieden": tekstmodellen.fit(spec, tekstmodellen.voorbeelden(spec, corpus))}
    scores = lezerevaluatie.scores_van(
        lezerevaluatie.evalueer(modellen, {"resultaatgebieden": laad(HELDOUT)["resultaatgebieden"]})
    )
    assert scores["resultaatgebieden"]["exact"] < DREMPELS["resultaatgebieden"]["exact"]
