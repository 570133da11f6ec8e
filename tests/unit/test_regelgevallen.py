"""The rules of every policy file as cases a policy officer can read (tests/data/regels/*.yml):
inputs and the expected outcome, including the words of the explanation and whether a decision
rests on an assumption. Every policy file in actions/policies/ must have such a case file, and for
the arrangements and criteria files every leefgebied, segment, module, step up, criterion and
product must come out of at least one case."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from actions.classificatie import Draft, Intake, classify, load_policy
from actions.classificatie.model import Arrangement, CriteriaProduct
from actions.classificatie.policy import POLICY_DIR, Criteria, Treden

ROOT = Path(__file__).resolve().parents[2]
GEVALLEN_DIR = ROOT / "tests" / "data" / "regels"
BESTANDEN = sorted(GEVALLEN_DIR.glob("*.yml"))


def _gevallen() -> List[Any]:
    result = []
    for bestand in BESTANDEN:
        data = yaml.safe_load(bestand.read_text(encoding="utf-8"))
        for geval in data["gevallen"]:
            result.append(pytest.param(data["beleid"], geval, id=f"{bestand.stem}: {geval['naam']}"))
    return result


def test_every_policy_file_has_its_cases():
    beleid = {yaml.safe_load(b.read_text(encoding="utf-8"))["beleid"] for b in BESTANDEN}
    for bestand in POLICY_DIR.glob("*.yml"):
        assert str(bestand.relative_to(ROOT)) in beleid, f"geen regelgevallen voor {bestand.name}"


def _besluiten(draft: Draft, besluit: str) -> List[Any]:
    gevonden = [o for o in draft.onderbouwing if o.besluit == besluit]
    assert gevonden, f"geen onderbouwing voor '{besluit}' in {[o.besluit for o in draft.onderbouwing]}"
    return gevonden


def _draft(beleid: str, geval: Dict[str, Any]) -> Draft:
    intake = Intake.parse_obj({"conversation_id": "geval", "toestemming": True, "afgerond": True, **geval["intake"]})
    return classify(intake, load_policy(ROOT / beleid))


def _check_afweging(draft: Draft, verwacht: Dict[str, Any]) -> None:
    """The region's own result: treden, segments and modules, or criteria and the orientation."""
    if "afweging" in verwacht:
        assert (draft.afweging.soort if draft.afweging else None) == verwacht["afweging"]
    if any(k in verwacht for k in ("treden", "segmenten", "modules")):
        assert isinstance(draft.afweging, Arrangement), draft.afweging
        if "treden" in verwacht:
            assert {t.code: t.trede for t in draft.afweging.leefgebieden} == verwacht["treden"]
        if "segmenten" in verwacht:
            assert {t.code: t.segment for t in draft.afweging.leefgebieden} == verwacht["segmenten"]
        if "modules" in verwacht:
            assert [m.code for m in draft.afweging.modules] == verwacht["modules"]
    if "criteria" in verwacht or "orientatie_maanden" in verwacht:
        assert isinstance(draft.afweging, CriteriaProduct), draft.afweging
        if "criteria" in verwacht:
            assert {c.code: c.voldaan for c in draft.afweging.criteria} == verwacht["criteria"]
        if "orientatie_maanden" in verwacht:
            assert draft.afweging.orientatie_maanden == verwacht["orientatie_maanden"]


@pytest.mark.parametrize("beleid,geval", _gevallen())
def test_regelgeval(beleid: str, geval: Dict[str, Any]) -> None:
    draft = _draft(beleid, geval)
    verwacht = geval["verwacht"]
    _check_afweging(draft, verwacht)
    for veld in ("advies", "zwaarte", "type", "intensiteit", "duur_maanden"):
        if veld in verwacht:
            assert getattr(draft, veld) == verwacht[veld], veld
    if "product" in verwacht:
        assert (draft.product.code if draft.product else None) == verwacht["product"]
    if "evaluaties" in verwacht:
        assert [m.na_maanden for m in draft.evaluatiemomenten] == verwacht["evaluaties"]
    if "signalen" in verwacht:
        assert sorted(draft.signaal_codes()) == sorted(verwacht["signalen"])
    if "voorliggend_veld" in verwacht:
        assert draft.bewegingen is not None
        assert set(verwacht["voorliggend_veld"]) <= set(draft.bewegingen.voorliggend_veld)
    for besluit, woorden in verwacht.get("uitleg", {}).items():
        tekst = " ".join(f"{o.regel} {o.grond}" for o in _besluiten(draft, besluit))
        for woord in woorden:
            assert woord in tekst, (besluit, woord, tekst)
    for besluit, aanname in verwacht.get("aanname", {}).items():
        assert any(o.aanname() for o in _besluiten(draft, besluit)) == aanname, besluit
    for besluit, woord in verwacht.get("bron", {}).items():
        bronnen = " ".join(b.tekst() for o in _besluiten(draft, besluit) for b in o.bronnen)
        assert woord in bronnen, (besluit, woord, bronnen)
    for code, woorden in verwacht.get("signaal_uitleg", {}).items():
        reden = " ".join(s.reden for s in draft.signalen if s.code == code)
        for woord in woorden:
            assert woord in reden, (code, woord, reden)
    for code, woord in verwacht.get("signaal_bron", {}).items():
        bronnen = " ".join(b.tekst() for s in draft.signalen if s.code == code for b in s.bronnen)
        assert woord in bronnen, (code, woord, bronnen)


def _uitkomsten(bestand: Path) -> List[Draft]:
    data = yaml.safe_load(bestand.read_text(encoding="utf-8"))
    return [_draft(data["beleid"], geval) for geval in data["gevallen"]]


GEVALLEN_PER_BELEID = {yaml.safe_load(b.read_text(encoding="utf-8"))["beleid"]: b for b in BESTANDEN}
NIET_TELLEND = [b for b in sorted(POLICY_DIR.glob("*.yml")) if load_policy(b).afweging.soort != "telling"]


@pytest.mark.parametrize("pad", NIET_TELLEND, ids=[b.stem for b in NIET_TELLEND])
def test_every_rule_of_the_region_comes_out_of_a_case(pad: Path) -> None:
    """Each leefgebied, segment, module with conditions, step up and the highest-trede rule (treden),
    or each criterion both met and not met, each product and the orientation (criteria), is the
    outcome of at least one case in the region's case file; so are refusal by age, the young adult
    signal and the advice without an area."""
    policy = load_policy(pad)
    drafts = _uitkomsten(GEVALLEN_PER_BELEID[str(pad.relative_to(ROOT))])
    afweging = policy.afweging
    uitleg = " ".join(f"{o.regel} {o.grond}" for d in drafts for o in d.onderbouwing)
    if isinstance(afweging, Treden):
        arrangementen = [d.afweging for d in drafts if isinstance(d.afweging, Arrangement)]
        treden = [t for a in arrangementen for t in a.leefgebieden]
        assert {t.code for t in treden} == set(afweging.leefgebieden)
        assert {t.segment for t in treden} == set(afweging.segmenten)
        assert {m.code for a in arrangementen for m in a.modules} == {k for k, m in afweging.modules.items() if m.als}
        for code, lg in afweging.leefgebieden.items():
            gezien = {t.trede for t in treden if t.code == code}
            assert {lg.laagste, lg.hoogste} <= gezien, (code, gezien)
        for ophoging in afweging.trede.ophogen.values():
            assert f"{ophoging.naam} (" in uitleg, ophoging.naam
        assert "geeft op zichzelf al de hoogste trede" in uitleg
    if isinstance(afweging, Criteria):
        uitkomsten = [d.afweging for d in drafts if isinstance(d.afweging, CriteriaProduct)]
        assert {u.uitkomst for u in uitkomsten} == set(afweging.producten)
        for code in afweging.criteria:
            assert {c.voldaan for u in uitkomsten for c in u.criteria if c.code == code} == {True, False}, code
        assert any(u.orientatie_maanden for u in uitkomsten)
    assert f"Onder de {policy.leeftijd.minimum} jaar" in uitleg
    assert any("jongvolwassene" in d.signaal_codes() for d in drafts)
    assert policy.advies.zonder_gebied in uitleg
    assert any("buiten_regio" == o.uitkomst or "Alleen inwoners van" in o.regel for d in drafts for o in d.onderbouwing)


BELEID = sorted(POLICY_DIR.glob("*.yml")) + [ROOT / "tests" / "data" / "proefland.yml"]
TELLEND = [b for b in BELEID if load_policy(b).afweging.soort == "telling"]


@pytest.mark.parametrize("pad", BELEID, ids=[b.stem for b in BELEID])
def test_every_decision_of_every_kind_of_policy_file_names_its_source(pad: Path) -> None:
    """Over area counts, circumstance counts, types, planning and frequency: every decision of a
    maatwerk draft cites a rule of the file, and the draft holds the file's kind of result."""
    policy = load_policy(pad)
    gemeente = next(iter(policy.gemeenten))
    gebieden = [c for c, g in policy.resultaatgebieden.items() if not g.alleen_met_ander_gebied]
    omstandigheden = list(policy.verzwarende_omstandigheden)
    for n in range(1, len(gebieden) + 1):
        for k in (0, 1, 2, len(omstandigheden)):
            for planbaar, frequentie in ((None, None), (False, "dagelijks"), (True, "wekelijks")):
                intake = Intake(
                    conversation_id="x",
                    gemeente=gemeente,
                    leeftijd=policy.leeftijd.minimum + 30,
                    resultaatgebieden=[{"code": c, "type": "behouden"} for c in gebieden[:n]],
                    verzwarende_omstandigheden=[{"code": c, "toelichting": "x"} for c in omstandigheden[:k]],
                    planbaar=planbaar,
                    frequentie=frequentie,
                )
                draft = classify(intake, policy)
                assert draft.advies == "maatwerk"
                assert draft.afweging is not None and draft.afweging.soort == policy.afweging.soort
                assert draft.afweging.onderbouwing and draft.afweging.bronnen
                for o in draft.onderbouwing:
                    assert o.bronnen, (pad.name, o.besluit)


@pytest.mark.parametrize("pad", TELLEND, ids=[b.stem for b in TELLEND])
def test_every_decision_under_every_policy_file_names_its_source_and_that_files_values(pad: Path) -> None:
    """Over all area counts, circumstance counts and types: each decision cites the file's rule,
    and the counting rules in the explanation are that file's, not another region's."""
    policy = load_policy(pad)
    assert policy.intensiteit is not None
    gemeente = next(iter(policy.gemeenten))
    gebieden = [c for c, g in policy.resultaatgebieden.items() if not g.alleen_met_ander_gebied]
    gebieden += [c for c in policy.resultaatgebieden if c not in gebieden]
    omstandigheden = [c for c in policy.verzwarende_omstandigheden if c not in policy.intensiteit.altijd_hoogste]
    telregel = ", ".join(
        f"{x.min} of meer: {x.niveau}"
        if x.max is None
        else f"{x.min}: {x.niveau}"
        if x.min == x.max
        else f"{x.min} tot en met {x.max}: {x.niveau}"
        for x in policy.intensiteit.niveaus
    )
    for n in range(1, len(gebieden) + 1):
        for k in range(len(omstandigheden) + 1):
            for type_ in policy.duur:
                intake = Intake(
                    conversation_id="x",
                    toestemming=True,
                    afgerond=True,
                    gemeente=gemeente,
                    leeftijd=policy.leeftijd.minimum + 30,
                    resultaatgebieden=[{"code": c, "type": type_} for c in gebieden[:n]],
                    verzwarende_omstandigheden=[{"code": c, "toelichting": "x"} for c in omstandigheden[:k]],
                )
                draft = classify(intake, policy)
                assert draft.advies == "maatwerk"
                for o in draft.onderbouwing:
                    assert o.bronnen, (pad.name, o.besluit)
                intensiteit = _besluiten(draft, "intensiteit")[0]
                assert f"({telregel})" in intensiteit.regel
                duur = policy.duur[draft.type]  # type: ignore[index]
                assert f"standaard {duur.standaard}, minimaal {duur.min}, maximaal {duur.max}" in (
                    _besluiten(draft, "duur")[0].regel
                )
