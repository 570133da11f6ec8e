"""Invariants of classify() for any intake (hypothesis), under both policies."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import GebiedAntwoord, Kenmerk, Omstandigheid

POLICIES = [load_policy(), load_policy(Path(__file__).resolve().parent.parent / "data" / "proefland.yml")]
AREAS = list(POLICIES[0].resultaatgebieden)
OMST = list(POLICIES[0].verzwarende_omstandigheden) + ["lvb", "nah", "onbekend"]
KENMERKEN = list(POLICIES[0].kenmerken)


@st.composite
def intakes(draw):
    policy = draw(st.sampled_from(POLICIES))
    areas = draw(st.lists(st.sampled_from(AREAS), max_size=7))
    return policy, Intake(
        conversation_id="p",
        toestemming=True,
        gemeente=draw(st.sampled_from(list(policy.gemeenten) + [None])),
        leeftijd=draw(st.none() | st.integers(0, 110)),
        resultaatgebieden=[
            GebiedAntwoord(code=a, type=draw(st.sampled_from(["ontwikkelen", "behouden", None]))) for a in areas
        ],
        prioriteit=draw(st.none() | st.sampled_from(AREAS)),
        verzwarende_omstandigheden=[
            Omstandigheid(code=c, toelichting="x") for c in draw(st.lists(st.sampled_from(OMST), max_size=5))
        ],
        duur_verwachting_maanden=draw(st.none() | st.integers(0, 200)),
        kenmerken=[Kenmerk(code=k, tekst="x") for k in draw(st.lists(st.sampled_from(KENMERKEN), max_size=3))],
        veiligheid=draw(st.none() | st.just("gevaar")),
        buiten_regio=draw(st.booleans()),
    )


@settings(max_examples=400, deadline=None)
@given(intakes())
def test_invariants(case):
    policy, intake = case
    draft = classify(intake, policy)
    besluiten = {o.besluit for o in draft.onderbouwing}
    assert "advies" in besluiten or draft.advies == "maatwerk"
    # a product only with advies maatwerk, and then every decision is explained
    assert (draft.product is not None) == (draft.advies == "maatwerk")
    if draft.advies == "maatwerk":
        assert {"zwaarte", "type", "intensiteit", "duur", "product", "advies"} <= besluiten
        n = len(draft.resultaatgebieden)
        band = next(b for b in policy.zwaarte if b.band == draft.zwaarte)
        assert band.min <= n <= band.max or (n > band.max and band is policy.zwaarte[-1])
        bounds = policy.duur[draft.type]
        assert bounds.min <= draft.duur_maanden <= bounds.max
        cel = policy.product_voor(draft.zwaarte, draft.type, draft.intensiteit)
        assert draft.product.code == cel.code
        assert draft.bewegingen is not None
        assert draft.evaluatiemomenten[-1].soort == "eind"
        assert all(e.na_maanden < draft.duur_maanden for e in draft.evaluatiemomenten)
    if intake.veiligheid:
        assert draft.urgent and "veiligheid" in draft.signaal_codes()
        if draft.advies == "maatwerk":
            assert draft.intensiteit == "plusplus"
    for s in draft.signalen:
        assert s.reden
