"""Table-driven tests of the afwegingskader: all 18 product cells and every edge of the rules."""

from __future__ import annotations

import pytest

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import GebiedAntwoord, Kenmerk, Omstandigheid

POLICY = load_policy()
AREAS = [
    "zelfzorg_gezondheid",
    "regelvermogen_structuur",
    "sociaal_functioneren",
    "daginvulling_zingeving",
    "administratie_financien",
]
OMSTANDIGHEDEN = ["verminderd_regelvermogen", "psychische_kwetsbaarheid", "verslaving"]


def intake(areas=("zelfzorg_gezondheid",), type_="ontwikkelen", omst=(), **extra) -> Intake:
    return Intake(
        conversation_id="t",
        toestemming=True,
        gemeente=extra.pop("gemeente", "Houten"),
        leeftijd=extra.pop("leeftijd", 40),
        resultaatgebieden=[GebiedAntwoord(code=a, type=type_) for a in areas],
        verzwarende_omstandigheden=[Omstandigheid(code=c, toelichting="woorden") for c in omst],
        **extra,
    )


# zwaarte: number of areas, intensiteit: number of circumstances -> product code
CELLS = [
    (n_areas, type_, n_omst, f"TIO-{band}-{t}-{i}")
    for n_areas, band in ((2, "12"), (3, "34"), (5, "5"))
    for type_, t in (("ontwikkelen", "ONT"), ("behouden", "BEH"))
    for n_omst, i in ((0, "GEM"), (1, "PLUS"), (2, "PP"))
]


@pytest.mark.parametrize("n_areas,type_,n_omst,code", CELLS, ids=[c[3] for c in CELLS])
def test_every_product_cell(n_areas, type_, n_omst, code):
    draft = classify(intake(AREAS[:n_areas], type_, OMSTANDIGHEDEN[:n_omst]), POLICY)
    assert draft.advies == "maatwerk"
    assert draft.product is not None and draft.product.code == code
    assert draft.product.tarief is None  # not configured: never invented


def test_all_18_cells_are_distinct_products():
    codes = {
        classify(intake(AREAS[:n], t, OMSTANDIGHEDEN[:o]), POLICY).product.code  # type: ignore[union-attr]
        for n, t, o, _ in CELLS
    }
    assert len(codes) == 18


@pytest.mark.parametrize("n,band", [(1, "1-2"), (2, "1-2"), (3, "3-4"), (4, "3-4"), (5, "5")])
def test_zwaarte_counts_areas(n, band):
    assert classify(intake(AREAS[:n]), POLICY).zwaarte == band


def test_only_administratie_goes_to_voorliggend_veld():
    draft = classify(intake(["administratie_financien"]), POLICY)
    assert draft.advies == "voorliggend_veld"
    assert draft.product is None
    assert "alleen_administratie" in draft.signaal_codes()
    assert any(o.besluit == "advies" and "Administratie" in o.regel for o in draft.onderbouwing)


def test_administratie_with_one_other_area_is_maatwerk_and_counts():
    draft = classify(intake(["administratie_financien", "sociaal_functioneren"]), POLICY)
    assert draft.advies == "maatwerk"
    assert draft.zwaarte == "1-2"
    assert "alleen_administratie" not in draft.signaal_codes()


def test_no_areas_gives_no_product():
    draft = classify(intake([]), POLICY)
    assert draft.advies == "voorliggend_veld"
    assert draft.product is None
    assert "resultaatgebieden" in draft.ontbrekend


def test_mixed_types_follow_stated_priority():
    i = Intake(
        conversation_id="t",
        gemeente="Lopik",
        leeftijd=70,
        resultaatgebieden=[
            GebiedAntwoord(code="zelfzorg_gezondheid", type="ontwikkelen"),
            GebiedAntwoord(code="regelvermogen_structuur", type="behouden"),
        ],
        prioriteit="regelvermogen_structuur",
    )
    draft = classify(i, POLICY)
    assert draft.type == "behouden"
    assert draft.resultaatgebieden[0].code == "regelvermogen_structuur"
    assert [g.type for g in draft.resultaatgebieden] == ["behouden", "ontwikkelen"]  # per-area types kept


def test_mixed_types_without_priority_follow_first_named():
    i = intake(["zelfzorg_gezondheid"], "behouden")
    i.resultaatgebieden.append(GebiedAntwoord(code="sociaal_functioneren", type="ontwikkelen"))
    assert classify(i, POLICY).type == "behouden"
    i.resultaatgebieden.reverse()
    assert classify(i, POLICY).type == "ontwikkelen"


@pytest.mark.parametrize(
    "type_,expected_months,duur",
    [
        ("ontwikkelen", None, 12),
        ("ontwikkelen", 3, 6),
        ("ontwikkelen", 6, 6),
        ("ontwikkelen", 18, 18),
        ("ontwikkelen", 36, 24),
        ("behouden", None, 24),
        ("behouden", 6, 12),
        ("behouden", 40, 40),
        ("behouden", 120, 60),
    ],
)
def test_duration_is_clamped_to_the_type_bounds(type_, expected_months, duur):
    draft = classify(intake(type_=type_, duur_verwachting_maanden=expected_months), POLICY)
    assert draft.duur_maanden == duur
    why = next(o for o in draft.onderbouwing if o.besluit == "duur")
    assert str(duur) in why.uitkomst


def test_evaluation_schedule():
    draft = classify(intake(type_="ontwikkelen", duur_verwachting_maanden=12), POLICY)
    assert [(e.soort, e.na_maanden) for e in draft.evaluatiemomenten] == [
        ("eerste", 3),
        ("tussentijds", 9),
        ("eind", 10.6),
    ]
    draft = classify(intake(type_="behouden", duur_verwachting_maanden=36), POLICY)
    assert [e.na_maanden for e in draft.evaluatiemomenten] == [3, 15, 27, 34.6]


def test_danger_alone_gives_plusplus_and_urgent():
    draft = classify(intake(veiligheid="ik wil er niet meer zijn"), POLICY)
    assert draft.intensiteit == "plusplus"
    assert draft.urgent
    assert "veiligheid" in draft.signaal_codes()
    assert [o.code for o in draft.verzwarende_omstandigheden] == ["gevaar_zelf_of_anderen"]


def test_lvb_alone_is_not_verzwarend():
    draft = classify(intake(omst=["lvb"], kenmerken=[Kenmerk(code="lvb", tekst="LVB")]), POLICY)
    assert draft.intensiteit == "gemiddeld"
    assert draft.verzwarende_omstandigheden == []
    assert "doelgroep:lvb" in draft.signaal_codes()
    assert any(o.uitkomst == "telt niet" for o in draft.onderbouwing)


def test_same_circumstance_twice_counts_once():
    draft = classify(intake(omst=["verslaving", "verslaving"]), POLICY)
    assert draft.intensiteit == "plus"


def test_unknown_circumstance_counts_as_overig():
    draft = classify(intake(omst=["iets_anders"]), POLICY)
    assert [o.code for o in draft.verzwarende_omstandigheden] == ["overig"]


def test_under_18_is_referred():
    draft = classify(intake(leeftijd=16), POLICY)
    assert draft.advies == "doorverwijzen"
    assert draft.product is None
    assert any("Jeugdwet" in o.regel for o in draft.onderbouwing)


def test_outside_region_is_referred():
    draft = classify(intake(gemeente=None, buiten_regio=True, woonplaats="Utrecht"), POLICY)
    assert draft.advies == "doorverwijzen"
    assert any("Utrecht" in o.grond for o in draft.onderbouwing)


@pytest.mark.parametrize("age,flag", [(15, False), (16, True), (23, True), (24, False)])
def test_jongvolwassene_signal(age, flag):
    assert ("jongvolwassene" in classify(intake(leeftijd=age), POLICY).signaal_codes()) is flag


def test_wlz_signal_needs_decline_and_permanent_supervision():
    dementie = Kenmerk(code="dementie", tekst="dementie")
    toezicht = Kenmerk(code="permanent_toezicht", tekst="kan geen moment alleen zijn")
    assert "wlz_grens" not in classify(intake(kenmerken=[dementie]), POLICY).signaal_codes()
    assert "wlz_grens" in classify(intake(kenmerken=[dementie, toezicht]), POLICY).signaal_codes()


def test_overloaded_carer_signal_and_suggestion():
    draft = classify(intake(kenmerken=[Kenmerk(code="mantelzorger_overbelast", tekst="zij is op")]), POLICY)
    assert "mantelzorger_overbelast" in draft.signaal_codes()
    assert "Mantelzorgondersteuning" in draft.bewegingen.voorliggend_veld  # type: ignore[union-attr]


def test_incomplete_intake_still_makes_a_valid_draft_and_says_what_is_missing():
    draft = classify(Intake(conversation_id="t", toestemming=True, gemeente="Houten", veiligheid="gevaar"), POLICY)
    assert draft.urgent
    assert {"leeftijd", "hulpvraag", "resultaatgebieden", "bevestiging"} <= set(draft.ontbrekend)


def test_maatwerk_states_the_three_bewegingen():
    draft = classify(intake(["sociaal_functioneren"], netwerk="mijn buurvrouw"), POLICY)
    assert draft.bewegingen is not None
    assert draft.bewegingen.afschalen
    assert "Het buurthuis" in draft.bewegingen.voorliggend_veld
    assert "mijn buurvrouw" in draft.bewegingen.informele_ondersteuning
