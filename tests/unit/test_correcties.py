"""Consultants' corrections become masked candidate NLU examples, never training data directly."""

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import Bericht, GebiedAntwoord
from actions.cli import main
from actions.nlp.correcties import collect, export_candidates
from actions.store import DraftStore

POLICY = load_policy()


def corrected_draft(store):
    intake = Intake(
        conversation_id="c1",
        toestemming=True,
        gemeente="Nieuwegein",
        leeftijd=40,
        resultaatgebieden=[GebiedAntwoord(code="sociaal_functioneren", type="ontwikkelen")],
        transcript=[
            Bericht(van="assistent", tekst="In welke plaats woont u?"),
            Bericht(van="inwoner", tekst="ik woon in vianen, bel 0612345678", stap="gemeente"),
            Bericht(van="inwoner", tekst="De enveloppen stapelen zich op, mail jan@voorbeeld.nl", stap="hulpvraag"),
            Bericht(
                van="inwoner",
                tekst="alleen mijn contacten, mijn buurvrouw Anneke de Jong komt nooit meer",
                stap="resultaatgebieden",
            ),
            Bericht(van="inwoner", tekst="nee", stap="verzwarende_omstandigheden"),
        ],
    )
    draft = store.submit(classify(intake, POLICY))
    draft.gemeente = "Vijfheerenlanden"
    store.save_review(
        draft,
        "anna",
        "gewijzigd",
        {
            "resultaatgebieden": {
                "oud": ["sociaal_functioneren"],
                "nieuw": ["sociaal_functioneren", "administratie_financien"],
            },
            "gemeente": {"oud": "Nieuwegein", "nieuw": "Vijfheerenlanden"},
        },
        "inwoner woont in Vianen",
        expected_version=1,
    )
    return draft


def test_corrected_draft_yields_the_expected_masked_candidates(sqlite_url):
    store = DraftStore.from_url(sqlite_url)
    corrected_draft(store)
    examples = collect(store, POLICY)
    texts = sorted(e["text"] for e in examples)
    assert texts == [
        "De enveloppen stapelen zich op, mail [E-MAIL]",
        "alleen mijn contacten, mijn buurvrouw [NAAM] komt nooit meer",
        'ik woon in [vianen]{"entity": "plaats", "value": "Vijfheerenlanden"}, bel [TELEFOON]',
    ]
    areas = next(e for e in examples if e["text"].startswith("De enveloppen"))["metadata"]["correctie"]
    assert areas["veld"] == "resultaatgebieden"
    assert areas["wordt"] == ["sociaal_functioneren", "administratie_financien"]
    assert areas["was"] == ["sociaal_functioneren"]


def test_export_is_valid_rasa_nlu_yaml_outside_the_training_data(sqlite_url, tmp_path):
    store = DraftStore.from_url(sqlite_url)
    corrected_draft(store)
    out = tmp_path / "kandidaten.yml"
    assert export_candidates(store, POLICY, out) == 3
    data = RasaYAMLReader().reads(out.read_text(encoding="utf-8"))
    assert {m.get("intent") for m in data.intent_examples} == {"inform"}
    assert any(e["entity"] == "plaats" for m in data.intent_examples for e in m.get("entities", []))


def test_uncorrected_drafts_give_nothing(sqlite_url, tmp_path):
    store = DraftStore.from_url(sqlite_url)
    store.submit(classify(Intake(conversation_id="x", gemeente="Houten", leeftijd=30), POLICY))
    assert collect(store, POLICY) == []


def test_cli_command(sqlite_url, tmp_path, capsys):
    store = DraftStore.from_url(sqlite_url)
    corrected_draft(store)
    out = tmp_path / "k.yml"
    assert main(["--database", sqlite_url, "model", "correcties", "--out", str(out)]) == 0
    assert "3 kandidaatvoorbeeld" in capsys.readouterr().out
    assert out.exists()


def test_personal_names_are_masked_by_deduce_and_places_kept():
    from actions.nlp.correcties import maskeer

    zin = maskeer("Mijn dochter Fatima Yilmaz woont ook in Vianen, bel 0612345678", POLICY)
    assert "Fatima" not in zin and "Yilmaz" not in zin and "0612345678" not in zin
    assert "Vianen" in zin
