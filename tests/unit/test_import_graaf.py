"""No import cycles in actions/: the import graph, read with `ast`, has no cycle, and no function
inside actions/intake imports from `actions` (an import moved into a function to dodge a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, List, Optional, Set

ROOT = Path(__file__).resolve().parents[2]
PAKKET = ROOT / "actions"


def module_naam(pad: Path) -> str:
    delen = list(pad.relative_to(ROOT).with_suffix("").parts)
    if delen[-1] == "__init__":
        delen = delen[:-1]
    return ".".join(delen)


MODULES: Dict[str, Path] = {module_naam(p): p for p in sorted(PAKKET.rglob("*.py"))}


def is_pakket(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def absoluut(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an `import from` names, relative ones resolved against `module`."""
    if not node.level:
        return node.module or ""
    basis = module.split(".")
    if not is_pakket(module):
        basis = basis[:-1]
    basis = basis[: len(basis) - (node.level - 1)]
    return ".".join(basis + ([node.module] if node.module else []))


def binnen(naam: str) -> Optional[str]:
    """The module of `actions` that `naam` is (or is in), or None for an outside import."""
    while naam:
        if naam in MODULES:
            return naam
        naam = naam.rpartition(".")[0]
    return None


def module_imports(module: str) -> Set[str]:
    """The modules of `actions` imported at module level (also under `if`/`try`, not in functions)."""
    boom = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    gevonden: Set[str] = set()

    def bezoek(nodes: List[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    doel = binnen(alias.name)
                    if doel:
                        gevonden.add(doel)
            elif isinstance(node, ast.ImportFrom):
                basis = absoluut(module, node)
                for alias in node.names:
                    # `from . import onderbreking` imports the submodule, `from .x import f` the module x
                    doel = binnen(f"{basis}.{alias.name}") if f"{basis}.{alias.name}" in MODULES else binnen(basis)
                    if doel:
                        gevonden.add(doel)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            elif isinstance(node, ast.ClassDef):
                bezoek([n for n in node.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))])
            elif isinstance(node, (ast.If, ast.Try, ast.With)):
                for veld in ("body", "orelse", "finalbody"):
                    bezoek(getattr(node, veld, []) or [])
                for handler in getattr(node, "handlers", []) or []:
                    bezoek(handler.body)

    bezoek(boom.body)
    # a package's __init__ importing its own submodules (and they it) is the normal package pattern,
    # not a cycle: edges to the module itself are dropped
    gevonden.discard(module)
    return gevonden


def graaf() -> Dict[str, Set[str]]:
    return {m: module_imports(m) for m in MODULES}


def cyclus(g: Dict[str, Set[str]]) -> Optional[List[str]]:
    """One cycle of the graph as a path (first node repeated at the end), or None."""
    kleur: Dict[str, int] = {m: 0 for m in g}  # 0 new, 1 on the stack, 2 done
    stapel: List[str] = []

    def dfs(m: str) -> Optional[List[str]]:
        kleur[m] = 1
        stapel.append(m)
        for n in sorted(g[m]):
            if kleur[n] == 1:
                return stapel[stapel.index(n) :] + [n]
            if kleur[n] == 0:
                gevonden = dfs(n)
                if gevonden:
                    return gevonden
        stapel.pop()
        kleur[m] = 2
        return None

    for m in sorted(g):
        if kleur[m] == 0:
            gevonden = dfs(m)
            if gevonden:
                return gevonden
    return None


def test_graaf_ziet_de_intake_imports():
    g = graaf()
    assert "actions.intake.lezers" in g["actions.intake.formulier"]
    assert "actions.intake.onderbreking" in g["actions.intake.formulier"]
    assert "actions.nlp.tekstmodellen" in g["actions.intake.lezers"]
    assert "actions.intake.vraagtabel" in g["actions.intake.lezers"]


def test_cyclus_wordt_gevonden():
    assert cyclus({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cyclus({"a": {"b"}, "b": set()}) is None


def test_geen_import_cycli():
    gevonden = cyclus(graaf())
    assert gevonden is None, "import cycle in actions/: " + " -> ".join(gevonden or [])


def imports_in_functies(pad: Path, module: str) -> List[str]:
    """Imports from `actions` inside a function body of one file, as 'path:line: statement'."""
    boom = ast.parse(pad.read_text(encoding="utf-8"))
    treffers: List[str] = []
    for functie in ast.walk(boom):
        if not isinstance(functie, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        for node in ast.walk(functie):
            if isinstance(node, ast.Import):
                namen = [a.name for a in node.names if a.name == "actions" or a.name.startswith("actions.")]
            elif isinstance(node, ast.ImportFrom):
                basis = absoluut(module, node)
                namen = [basis] if basis == "actions" or basis.startswith("actions.") else []
            else:
                continue
            if namen:
                treffers.append(f"{pad.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return sorted(set(treffers))


def test_geen_imports_in_functies_in_intake():
    treffers = [t for m, pad in MODULES.items() if m.startswith("actions.intake") for t in imports_in_functies(pad, m)]
    assert not treffers, "imports from actions inside functions (to dodge a cycle?):\n" + "\n".join(treffers)
