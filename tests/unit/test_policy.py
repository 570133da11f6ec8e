"""Policy files: a second region is data, and a broken file says where and what is wrong."""

from pathlib import Path

import pytest

from actions.classificatie import Intake, PolicyError, classify, load_policy
from actions.classificatie.model import GebiedAntwoord, Omstandigheid
from actions.nlp.plaatsen import lees_plaats as _lees_plaats
from tests.helpers.policybestand import kapot_bestand

PROEFLAND = Path(__file__).resolve().parent.parent / "data" / "proefland.yml"


def gemeente_van(tekst, policy):
    """The region gemeente a text names, by the gazetteer reader (None outside or unclear)."""
    plaats = _lees_plaats(tekst, policy)
    return plaats.gemeente if plaats is not None and not plaats.buiten else None


def test_second_region_is_only_a_new_policy_file():
    policy = load_policy(PROEFLAND)
    intake = Intake(
        conversation_id="p",
        gemeente="Proefstad",
        leeftijd=30,
        resultaatgebieden=[GebiedAntwoord(code="sociaal_functioneren", type="ontwikkelen")],
        verzwarende_omstandigheden=[Omstandigheid(code="verslaving")],
        duur_verwachting_maanden=20,
    )
    draft = classify(intake, policy)
    assert draft.policy.naam == "Regio Proefland"
    assert draft.intensiteit == "gemiddeld"  # one circumstance is still average there
    assert draft.duur_maanden == 12  # that region's maximum
    assert draft.product.code == "PRF-12-ONT-GEM"
    assert draft.product.tarief == 1000.0
    assert gemeente_van("testdorp", policy) == "Proefstad"
    # the same intake under Lekstroom's rules
    lekstroom = classify(intake, load_policy())
    assert (lekstroom.intensiteit, lekstroom.duur_maanden) == ("plus", 20)


def test_second_region_minimum_age():
    draft = classify(Intake(conversation_id="p", gemeente="Proefstad", leeftijd=19), load_policy(PROEFLAND))
    assert draft.advies == "doorverwijzen"


@pytest.mark.parametrize(
    "place,gemeente",
    [
        ("Vianen", "Vijfheerenlanden"),
        ("vianen", "Vijfheerenlanden"),
        ("Leerdam", "Vijfheerenlanden"),
        ("Vreeswijk", "Nieuwegein"),
        ("Schalkwijk", "Houten"),
        ("Benschop", "Lopik"),
        ("Polsbroek", "Lopik"),
        ("Jaarsveld", "Lopik"),
        ("nieuwegijn", "Nieuwegein"),
        ("Ijsselstein", "IJsselstein"),
        ("Utrecht", None),
        ("Noordeloos", None),  # Molenlanden, not Vijfheerenlanden
        ("Achterveld", None),  # Leusden, not IJsselstein
        ("Achtersloot", "IJsselstein"),
        ("houden", None),  # a verb, not Houten
    ],
)
def test_places_map_to_their_gemeente(place, gemeente):
    assert gemeente_van(place, load_policy()) == gemeente


@pytest.mark.parametrize(
    "mutate,fragment",
    [
        (lambda d: d["producten"]["waarde"].pop(4), "geen product voor cel(len) 1-2/behouden/plus"),
        (lambda d: d["producten"]["waarde"][0].update(zwaarte="6"), "producten[0].zwaarte"),
        (lambda d: d["duur"]["ontwikkelen"].update(standaard=30), "duur.ontwikkelen"),
        (lambda d: d.pop("hulplijnen"), "hulplijnen: ontbreekt, maar is verplicht"),
        (
            lambda d: d["gemeenten"]["Lopik"]["voorliggend_veld"]["waarde"].append("zwembad"),
            "gemeenten.Lopik.voorliggend_veld",
        ),
        (lambda d: d["producten"]["waarde"][2].update(tarief=-5), "producten[2].tarief"),
    ],
)
def test_broken_policy_names_file_key_and_problem(tmp_path, mutate, fragment):
    path = kapot_bestand(tmp_path, mutate)
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(path) in str(err.value)
    assert fragment in str(err.value)


def test_missing_and_invalid_yaml(tmp_path):
    with pytest.raises(PolicyError, match="niet gevonden"):
        load_policy(tmp_path / "bestaat-niet.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("naam: [unclosed", encoding="utf-8")
    with pytest.raises(PolicyError, match="geen geldige YAML"):
        load_policy(bad)
