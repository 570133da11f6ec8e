"""The rules of every policy file as cases a policy officer can read (tests/data/regels/*.yml):
inputs and the expected outcome, including the words of the explanation and whether a decision
rests on an assumption. Every policy file in actions/policies/ must have such a case file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from actions.classificatie import Draft, Intake, classify, load_policy
from actions.classificatie.policy import POLICY_DIR

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


@pytest.mark.parametrize("beleid,geval", _gevallen())
def test_regelgeval(beleid: str, geval: Dict[str, Any]) -> None:
    policy = load_policy(ROOT / beleid)
    intake = Intake.parse_obj({"conversation_id": "geval", "toestemming": True, "afgerond": True, **geval["intake"]})
    draft = classify(intake, policy)
    verwacht = geval["verwacht"]
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


BELEID = sorted(POLICY_DIR.glob("*.yml")) + [ROOT / "tests" / "data" / "proefland.yml"]


@pytest.mark.parametrize("pad", BELEID, ids=[b.stem for b in BELEID])
def test_every_decision_under_every_policy_file_names_its_source_and_that_files_values(pad: Path) -> None:
    """Over all area counts, circumstance counts and types: each decision cites the file's rule,
    and the counting rules in the explanation are that file's, not another region's."""
    policy = load_policy(pad)
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
