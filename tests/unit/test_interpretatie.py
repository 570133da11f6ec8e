"""Reading free answers: ages, durations, type of support, places, areas, priority."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.classificatie import load_policy
from actions.intake import interpretatie as lees
from actions.intake import lezers
from actions.intake.bericht import Bericht
from actions.intake.lezers import gebieden_van_antwoord, lees_type
from actions.intake.veiligheid import expliciet
from actions.nlp.plaatsen import lees_plaats
from actions.nlp.tekstmodellen import GEBIEDEN

POLICY = load_policy()


@pytest.mark.parametrize(
    "text,age",
    [
        ("54", 54),
        ("Ik ben 54.", 54),
        ("81 jaar", 81),
        ("vierenvijftig", 54),
        ("ik ben negentien", 19),
        ("mijn moeder is 83 en ik ben 55", 83),
        ("geen idee", None),
        ("ik ben 300", None),
        ("Ik word volgende week 40 jaar", 40),
    ],
)
def test_leeftijd(text, age):
    assert lees.parse_leeftijd(text) == age


@pytest.mark.parametrize(
    "text,months",
    [
        ("Een jaar ongeveer?", 12),
        ("Anderhalf jaar denk ik.", 18),
        ("Paar maanden.", 3),
        ("Een jaar.", 12),
        ("twee jaar", 24),
        ("6 maanden", 6),
        ("een half jaar", 6),
        ("Weet ik niet.", None),
        ("Zo lang als ze thuis kan blijven wonen.", None),
        ("drie weken", 1),
    ],
)
def test_duur(text, months):
    assert lees.parse_duur(text) == months


@pytest.mark.parametrize(
    "text,intent,type_",
    [
        ("De revalidatiearts zegt dat ik het met oefenen weer deels kan leren.", "inform", "ontwikkelen"),
        ("Het wordt helaas niet meer beter.", "inform", "behouden"),
        ("Dat gaat eerder achteruit dan vooruit.", "inform", "behouden"),
        ("Ik denk dat ik het kan leren als iemand het een paar keer voordoet.", "inform", "ontwikkelen"),
        ("Eerst moet het stabiel worden, daarna kan ik verder.", "inform", "ontwikkelen"),
        ("Ja, dat kan beter worden.", "affirm", "ontwikkelen"),
        ("Dat kan ik opbouwen.", "inform", "ontwikkelen"),
        ("Ik denk het wel.", "affirm", "ontwikkelen"),
        ("nee", "deny", "behouden"),
        ("Dit blijft zo", "inform", "behouden"),
        ("weet ik niet", "dont_know", None),
    ],
)
def test_type(text, intent, type_):
    """The type question's reader: the type model, a plain yes or no, or don't know."""
    slots = {"gebieden": [{"code": "sociaal_functioneren"}]}
    uitkomst = lees_type(Bericht(text, intent=intent, slots=slots), CollectingDispatcher())
    assert uitkomst is not None and uitkomst["gebieden"][0]["type"] == type_


def test_everything_means_all_five_areas():
    assert gebieden_van_antwoord("Eigenlijk alles") == list(GEBIEDEN)
    assert gebieden_van_antwoord("alles behalve de post") == [c for c in GEBIEDEN if c != "administratie_financien"]
    # who does the excepted area does not deny the rest
    zonder_contact = [c for c in GEBIEDEN if c != "sociaal_functioneren"]
    assert gebieden_van_antwoord("alles behalve contact, dat lukt me prima") == zonder_contact
    zonder_geld = [c for c in GEBIEDEN if c != "administratie_financien"]
    assert gebieden_van_antwoord("Alles behalve de administratie, die regelt mijn broer.") == zonder_geld


@pytest.mark.parametrize(
    "text", ["Geld is het probleem niet. Wel mijn dagen.", "De post is niet het punt, maar ik zie bijna nooit iemand."]
)
def test_not_the_problem_denies_that_part(text):
    assert lezers._ontkende_zinsdelen(text) == ["administratie_financien"]


def test_the_fallback_never_proposes_an_area_the_answer_denies(monkeypatch):
    """When no area reaches its threshold the likeliest one is proposed, but never one the answer
    names only to deny it (the model weighs the money words of "geld is geen probleem" high)."""
    kansen = {c: 0.05 for c in GEBIEDEN} | {"administratie_financien": 0.55, "regelvermogen_structuur": 0.35}

    class Onzeker:
        def lees(self, text):
            return [], kansen

    monkeypatch.setattr(lezers, "_model", lambda naam: Onzeker())
    assert gebieden_van_antwoord("Geld is geen probleem, maar verder loopt het niet") == ["regelvermogen_structuur"]
    assert gebieden_van_antwoord("Ik weet het niet precies") == ["administratie_financien"]


def test_prioriteit_by_name_or_ordinal():
    gekozen = ["administratie_financien", "sociaal_functioneren"]
    assert lees.parse_prioriteit("Eerst het geld.", gekozen, ["administratie_financien"]) == gekozen[0]
    assert lees.parse_prioriteit("de tweede", gekozen, []) == gekozen[1]
    assert lees.parse_prioriteit("maakt niet uit", gekozen, []) is None


@pytest.mark.parametrize(
    "text,gemeente",
    [
        ("Vianen", "Vijfheerenlanden"),
        ("in Tull en 't Waal", "Houten"),
        ("nieuwegijn", "Nieuwegein"),
        ("ik woon in ijselstein", "IJsselstein"),
        ("Utrecht", None),
    ],
)
def test_gemeente_without_entities(text, gemeente):
    plaats = lees_plaats(text, POLICY)
    assert (plaats.gemeente if plaats and not plaats.buiten else None) == gemeente


@pytest.mark.parametrize(
    "text,place",
    [
        ("Ik woon in Utrecht, Overvecht.", "Utrecht"),
        ("ik woon in gouda", "Gouda"),
        ("Amersfoort", "Amersfoort"),
        ("weet ik niet", None),
        ("in de buurt", None),
    ],
)
def test_place_outside_region(text, place):
    assert lees.plaats_buiten_regio(text) == place


@pytest.mark.parametrize(
    "tekst,code",
    [
        ("Elke dag", "dagelijks"),
        ("eigenlijk de hele dag door", "dagelijks"),
        ("meerdere keren per dag", "dagelijks"),
        ("Een paar keer per week", "paar_keer_per_week"),
        ("twee keer per week", "paar_keer_per_week"),
        ("3x per week", "paar_keer_per_week"),
        ("Eén keer per week", "wekelijks"),
        ("1x per week is genoeg", "wekelijks"),
        ("elke week even", "wekelijks"),
        ("Minder vaak", "minder_vaak"),
        ("een keer per maand", "minder_vaak"),
        ("af en toe", "minder_vaak"),
        ("weet ik niet", None),
        ("mijn buurvrouw", None),
    ],
)
def test_how_often_help_is_needed(tekst, code):
    assert lees.parse_frequentie(tekst) == code


@pytest.mark.parametrize(
    "tekst,te_plannen",
    [
        ("Ja, op vaste momenten", True),
        ("we kunnen gewoon een afspraak maken", True),
        ("Nee, vaak onverwacht", False),
        ("het komt ineens, dat kan ik niet plannen", False),
        ("geen vaste tijden, het wisselt", False),
        ("weet ik niet", None),
    ],
)
def test_whether_help_can_be_planned(tekst, te_plannen):
    assert lees.parse_planbaar(tekst) is te_plannen


def test_frequency_and_planning_reach_the_intake():
    from actions.intake.lezers import LEZERS
    from actions.intake.verzamelen import intake_uit

    assert LEZERS["planbaar"](Bericht("nee", intent="deny"), None) == {"planbaar": "nee", "te_plannen": False}
    assert LEZERS["planbaar"](Bericht("qwerty"), None) is None
    assert LEZERS["frequentie"](Bericht("Elke dag"), None) == {"frequentie": "Elke dag", "frequentie_code": "dagelijks"}
    intake = intake_uit({"frequentie_code": "dagelijks", "te_plannen": False}, "x", [], afgerond=False)
    assert intake.frequentie == "dagelijks" and intake.planbaar is False


@pytest.mark.parametrize(
    "tekst, alleen",
    [("ja", True), ("Ja hoor, dat klopt!", True), ("oké, doe maar", True), ("ja klopt, en ik zit veel alleen", False)],
)
def test_a_bare_yes_names_nothing_else(tekst, alleen):
    """A bare yes at the areas question confirms the story's areas; the areas model never reads it."""
    assert Bericht(tekst).alleen_ja is alleen


# -- explicit danger words (the lexicon's `kenmerk.gevaar`, read by veiligheid.expliciet) -------------


@pytest.mark.parametrize(
    "text",
    [
        # the negation belongs to the danger words themselves
        "Ik durf niet naar huis, mijn man wordt dan weer agressief.",
        "thuis ben ik niet veilig",
        "ik ben niet veilig in mijn eigen huis",
        # word order and a word in between
        "ik wil eigenlijk niet meer leven, dus wat maakt het uit",
        "sinds de scheiding wil ik gewoon niet meer bestaan",
        "ze zegt dat ze er niet meer wil zijn",
        "heb ik al gezegd dat ik niet meer wil leven?",
        "ik hoop elke avond dat ik niet meer wakker word",
        "soms denk ik dat iedereen beter af is zonder mij",
        "tot ik het opgeef en mezelf van kant maak",
        "Cliënt uit een actieve doodswens.",
    ],
)
def test_explicit_danger_words_in_the_forms_people_use(text):
    assert expliciet(text)


@pytest.mark.parametrize(
    "text",
    [
        "ik wil echt niet dood hoor",  # a negation the words do not need denies them
        "ik denk niet aan zelfmoord",
        "Zo wil ik niet meer leven, in zo'n rommel.",  # not like this: left to the model
        "ik wil niet meer leven zoals nu, met al die schulden",
        "vroeger was ik thuis niet veilig, nu wel",  # a past that is over: left to the model
    ],
)
def test_denied_past_or_not_like_this_is_not_explicit(text):
    assert not expliciet(text)


# -- danger models: which signal (veiligheid.signaal) ------------------------------------------------


class _VasteKansen:
    """A model that reads every text with the same probabilities."""

    def __init__(self, kansen):
        self.kansen = kansen

    def lees(self, text):
        return [], dict(self.kansen)


@pytest.mark.parametrize(
    ("gevaar", "per_soort", "verwacht"),
    [
        (0.9, 0.0, "zeker"),  # the danger model sure: urgent at once
        (0.2, 0.99, "check"),  # one kind's model sure, the danger model not: a check question only
        (0.75, 0.1, "check"),
        (0.65, 0.65, None),  # neither reaches the check threshold
    ],
)
def test_only_the_danger_model_makes_a_signal_sure(monkeypatch, gevaar, per_soort, verwacht):
    from actions.intake import veiligheid
    from actions.nlp import tekstmodellen

    modellen = {
        "gevaar": _VasteKansen({"gevaar": gevaar, "geen": 1 - gevaar}),
        "gevaar_per_soort": _VasteKansen({"zelf": per_soort, "slachtoffer": 0.0, "anderen": 0.0, "kind": 0.0}),
        "gevaar_soort": _VasteKansen({"zelf": 0.9, "slachtoffer": 0.0, "anderen": 0.0, "kind": 0.0}),
    }
    monkeypatch.setattr(tekstmodellen, "geladen", lambda: modellen)
    s = veiligheid.signaal("Ik heb een mes in de keuken.")  # no danger words: the models decide
    assert (None if s is None else "zeker" if s.zeker else "check") == verwacht


# -- circumstances: the whole answer and each sentence (lezers.omstandigheden_in) --------------------


class _ZinModel:
    """Reads the whole answer as one circumstance and a sentence about the partner as two."""

    def lees(self, text):
        if text.count(".") > 1:
            return ["psychische_kwetsbaarheid"], {}
        return (["beperkend_netwerk", "overig"], {}) if "partner" in text else ([], {})


def test_a_circumstance_in_a_sentence_of_its_own_counts_when_the_lexicon_names_it(monkeypatch):
    from actions.intake import lezers

    monkeypatch.setattr(lezers, "_model", lambda naam: _ZinModel())
    codes = lezers.omstandigheden_in(
        "Ik ben vaak somber geweest, al jaren. En mijn partner werkt eerder tegen dan mee."
    )
    # the partner's sentence adds what the lexicon finds there ("werkt eerder tegen"), not "overig"
    assert codes == ["beperkend_netwerk", "psychische_kwetsbaarheid"]
