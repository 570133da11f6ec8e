"""Nothing region-specific is written in code or in the texts the inwoner reads: gemeente names,
the region's name, sociaal teams, product codes, age bounds, durations and other numbers of a
policy file live only in that file. Each policy file's values are searched for in every string
literal of actions/ (docstrings aside) and in every text of teksten.yml."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import yaml

from actions.classificatie import load_policy
from actions.classificatie.policy import POLICY_DIR, Criteria, Policy, Treden

ROOT = Path(__file__).resolve().parents[2]
BELEID = sorted(POLICY_DIR.glob("*.yml")) + [ROOT / "tests" / "data" / "proefland.yml"]
TEKSTEN = ROOT / "actions" / "intake" / "teksten.yml"


def _namen(p: Policy) -> Set[str]:
    namen = {p.naam, *p.gemeenten, *(c.code for c in p.producten)}
    namen |= {g.sociaal_team.naam for g in p.gemeenten.values()}
    if p.leeftijd.jongvolwassene.aandacht:
        namen.add(p.leeftijd.jongvolwassene.aandacht)
    return namen | _afweging_namen(p)


def _afweging_namen(p: Policy) -> Set[str]:
    """The codes and names of a region's own dimensions: leefgebieden, segments, modules, products
    and criteria (a criterion's code may be a common word; its name is the region's)."""
    a = p.afweging
    if isinstance(a, Treden):
        namen = {a.label, *a.leefgebieden, *a.segmenten, *a.modules, *a.trede.ophogen}
        namen |= {lg.naam for lg in a.leefgebieden.values()} | {s.naam for s in a.segmenten.values()}
        namen |= {m.naam for m in a.modules.values()} | {o.naam for o in a.trede.ophogen.values()}
        return namen
    if isinstance(a, Criteria):
        namen = {c.naam for c in a.criteria.values()}
        return namen | {x.code for x in a.producten.values()} | {x.label for x in a.producten.values()}
    return set()


def _getallen(p: Policy) -> Set[int]:
    """The numbers a text might repeat: age bounds, durations, evaluation rhythm, terms."""
    jv = p.leeftijd.jongvolwassene
    getallen = {p.leeftijd.minimum, jv.van, jv.tot, p.evaluatie.eerste_na_maanden, p.evaluatie.voor_einde_weken}
    getallen |= set(p.evaluatie.daarna_elke_maanden.values())
    for d in p.duur.values():
        getallen |= {d.standaard, d.snel, d.min, d.max}
    getallen |= {p.privacy.bewaartermijn_dagen, p.afhandeling.reactietermijn_werkdagen}
    return getallen | _afweging_getallen(p)


def _afweging_getallen(p: Policy) -> Set[int]:
    """Thresholds of a region's own rules: the highest treden, the steps, the orientation months and
    the counts a criterion needs (the lowest trede, 1, is any list's first and not a threshold)."""
    a = p.afweging
    getallen: Set[int] = set()
    voorwaarden = []
    if isinstance(a, Treden):
        getallen |= {lg.hoogste for lg in a.leefgebieden.values()} | {lg.laagste for lg in a.leefgebieden.values()}
        voorwaarden = [o.als for o in a.trede.ophogen.values()] + [s.als for s in a.segmenten.values()]
        voorwaarden += [m.als for m in a.modules.values() if m.als]
    if isinstance(a, Criteria):
        voorwaarden = [c.als for c in a.criteria.values()]
        if a.orientatie is not None:
            getallen.add(a.orientatie.maanden)
    for v in voorwaarden:
        getallen |= {x for x in (v.omstandigheden_min, v.gebieden_min, v.leeftijd_vanaf) if x is not None}
    return getallen - {1}


def _letterlijke_teksten() -> Iterator[Tuple[str, str]]:
    """(where, text) for every string literal in actions/ that is not a docstring."""
    for bestand in sorted((ROOT / "actions").rglob("*.py")):
        boom = ast.parse(bestand.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(boom):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
                eerste = node.body[0]
                if isinstance(eerste, ast.Expr) and isinstance(eerste.value, ast.Constant):
                    docstrings.add(id(eerste.value))
        for node in ast.walk(boom):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield f"{bestand.relative_to(ROOT)}:{node.lineno}", node.value


def _teksten(node: object, pad: str = "") -> Iterator[Tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _teksten(v, f"{pad}.{k}" if pad else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _teksten(v, f"{pad}[{i}]")
    elif isinstance(node, str):
        yield f"teksten.yml {pad}", node


def _woord(naam: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(naam) + r"(?!\w)")


@pytest.mark.parametrize("beleid", BELEID, ids=[b.stem for b in BELEID])
def test_no_name_of_a_policy_file_in_code_or_texts(beleid: Path) -> None:
    patronen = [(n, _woord(n)) for n in _namen(load_policy(beleid))]
    teksten = list(_letterlijke_teksten()) + list(_teksten(yaml.safe_load(TEKSTEN.read_text(encoding="utf-8"))))
    gevonden: List[str] = [f"{waar}: '{n}'" for waar, t in teksten for n, p in patronen if p.search(t)]
    assert not gevonden, "Regio-gegevens buiten het beleidsbestand:\n" + "\n".join(gevonden)


@pytest.mark.parametrize("beleid", BELEID, ids=[b.stem for b in BELEID])
def test_no_number_of_a_policy_file_in_the_texts(beleid: Path) -> None:
    getallen = _getallen(load_policy(beleid))
    gevonden = [
        f"{waar}: {g}"
        for waar, t in _teksten(yaml.safe_load(TEKSTEN.read_text(encoding="utf-8")))
        for g in getallen
        # "ongeveer 10 minuten" is how long the intake takes, not a rule
        if re.search(rf"(?<![\w-]){g}(?![\w-])(?!\s*minuten)", t)
    ]
    assert not gevonden, "Getallen uit het beleidsbestand in teksten.yml:\n" + "\n".join(gevonden)


def test_the_search_finds_what_it_looks_for(tmp_path: Path) -> None:
    """The checks above would fail on a gemeente name or an age bound written into a text."""
    policy = load_policy(BELEID[0])
    gemeente = next(iter(policy.gemeenten))
    tekst = f"Ik werk voor {gemeente}. Onder de {policy.leeftijd.minimum} jaar is er jeugdhulp."
    assert _woord(gemeente).search(tekst)
    assert any(re.search(rf"(?<![\w-]){g}(?![\w-])", tekst) for g in _getallen(policy))


def test_the_new_regions_names_and_thresholds_are_searched_for() -> None:
    """The arrangements and criteria files add their own gemeenten, leefgebieden and thresholds."""
    leiden = load_policy(POLICY_DIR / "leidse-regio.yml")
    assert {"Leiden", "Zoeterwoude", "Sociaal Persoonlijk Functioneren", "geldzaken", "herstelgericht"} <= _namen(
        leiden
    )
    assert 5 in _getallen(leiden) and 27 in _getallen(leiden)
    gelderland = load_policy(POLICY_DIR / "centraal-gelderland.yml")
    assert {"Arnhem", "Wageningen", "Begeleiding specialistisch", "BEG-SPEC", "Zorg is niet te plannen"} <= _namen(
        gelderland
    )
    assert {2, 3} <= _getallen(gelderland)
