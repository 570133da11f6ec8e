"""The project's Dutch spaCy pipeline: lexicon patterns, gazetteers, negation and Rasa entities."""

import pytest

from actions.nlp.build import build, expand
from actions.nlp.lexicon import compile_pattern, fold


@pytest.fixture(scope="module")
def nlp(tmp_path_factory):
    import spacy

    path = build(tmp_path_factory.mktemp("nlp") / "nl_lekstroom", use_base_model=False)
    return spacy.load(path)


def codes(nlp, text, label):
    from actions.nlp.rasa_components import extract

    return [e["value"] for e in extract(nlp(text)) if e["entity"] == label]


def test_pattern_syntax():
    import re

    assert re.search(compile_pattern("schuld*"), fold("Ik heb schulden"))
    assert re.search(compile_pattern("draad ~ kwijt"), "ik ben de draad helemaal kwijt")
    assert not re.search(compile_pattern("draad ~ kwijt"), "draad is een lang ding en ik ben mijn sleutels kwijt")
    assert re.search(compile_pattern("(de )?post"), "de post") and re.search(compile_pattern("(de )?post"), "post")
    assert expand("(a|b) c") == ["a c", "b c"]
    assert fold("Financiën") == "financien"


def test_pipeline_uses_lemmas(nlp):
    assert [t.lemma_ for t in nlp("ik heb schulden")][-1] == "schuld"


def test_places_roles_and_provisions(nlp):
    assert codes(nlp, "Ik woon in Tull en 't Waal", "plaats") == ["Houten"]
    assert codes(nlp, "mijn vrouw en de buurman helpen", "rol") == ["partner", "buren"]
    assert codes(nlp, "ze gaat naar de soos", "voorziening") == ["buurthuis"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Vooral het plannen van mijn dag en het onthouden van afspraken.", ["regelvermogen_structuur"]),
        (
            "Eten en medicijnen, en ze heeft geen idee meer welke dag het is.",
            ["zelfzorg_gezondheid", "regelvermogen_structuur"],
        ),
        (
            "Geld, wat ik overdag moet doen en vrienden maken.",
            ["administratie_financien", "daginvulling_zingeving", "sociaal_functioneren"],
        ),
    ],
)
def test_areas_in_own_words(nlp, text, expected):
    assert set(codes(nlp, text, "resultaatgebied")) == set(expected)


def test_negation_drops_a_circumstance_but_not_a_problem_area(nlp):
    assert codes(nlp, "ik ben niet verslaafd", "omstandigheid") == []
    assert codes(nlp, "ik heb geen depressie", "omstandigheid") == []
    assert codes(nlp, "ik heb geen werk en geen vrienden", "resultaatgebied") == [
        "daginvulling_zingeving",
        "sociaal_functioneren",
    ]


def test_danger_is_never_negated(nlp):
    assert "gevaar" in codes(nlp, "ik denk niet aan zelfmoord hoor", "kenmerk")


@pytest.mark.parametrize(
    "text,code",
    [
        ("Soms ben ik ineens helemaal de draad kwijt.", "verminderd_regelvermogen"),
        ("mijn partner maakt het thuis eerder moeilijker dan makkelijker", "beperkend_netwerk"),
        ("Ik heb vaker depressies gehad die terugkomen", "psychische_kwetsbaarheid"),
    ],
)
def test_circumstances(nlp, text, code):
    assert code in codes(nlp, text, "omstandigheid")


@pytest.mark.parametrize(
    "text,code",
    [
        ("Vorig jaar heb ik een herseninfarct gehad", "nah"),
        ("ze heeft beginnende dementie", "dementie"),
        ("Mijn vrouw doet bijna alles en dat houdt ze niet lang meer vol", "mantelzorger_overbelast"),
        ("eerlijk gezegd denk ik er soms aan om er een eind aan te maken", "gevaar"),
        ("Ik heb een licht verstandelijke beperking", "lvb"),
    ],
)
def test_kenmerken(nlp, text, code):
    assert code in codes(nlp, text, "kenmerk")


def test_common_words_raise_no_signal(nlp):
    assert codes(nlp, "Mijn man helpt als hij tijd heeft", "kenmerk") == []


def test_build_on_an_installed_base_pipeline(tmp_path, monkeypatch):
    """The nl_core_news_sm path: its components come first, ours on top (a stand-in base here)."""
    import spacy

    import actions.nlp.build as build_module

    base = spacy.blank("nl")
    base.add_pipe("sentencizer")
    base.to_disk(tmp_path / "base")
    monkeypatch.setattr(build_module, "BASE_MODEL", str(tmp_path / "base"))
    out = build_module.build(tmp_path / "out", use_base_model=True)
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["sentencizer", "entity_ruler", "lekstroom_lexicon", "lekstroom_ontkenning"]
    assert nlp.meta["lekstroom_base"].endswith("base")
    assert codes(nlp, "Ik woon in Benschop", "plaats") == ["Lopik"]


def test_spelling_correction_stays_fast_on_very_long_words():
    """A 100,000-letter word once stalled the server (every one-edit variant was built)."""
    import time

    from actions.nlp.spelling import normaliseer, verbeter_woord

    started = time.perf_counter()
    assert normaliseer("x" * 100_000 + " hulp").endswith("hulp")
    assert verbeter_woord("a" * 31) == "a" * 31
    assert time.perf_counter() - started < 5
    assert verbeter_woord("adminstratie") == "administratie"  # ordinary typos are still corrected
