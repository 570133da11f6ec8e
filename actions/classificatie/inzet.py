"""One deployment, several regions: which policy files it serves, and which one applies to an inwoner.

The deployment names its policy files in LEKSTROOM_POLICY, separated by commas: a name of a file
in actions/policies/ ("lekstroom", "leidse-regio", "centraal-gelderland") or a path. Default: only
"lekstroom". The inwoner's place gives a gemeente, and that gemeente's file decides the draft;
a place in none of the served gemeenten stays "outside the region".

`Inzet.overzicht` is one Policy for what the conversation does before the gemeente is known (the
place gazetteer of all served regions, the list of gemeenten); `Inzet.policy_voor(gemeente)` is the
file of that gemeente. Called by the action server (actions/intake/context.py) and the web app.
Pure apart from reading the files once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

from .policy import DEFAULT_POLICY, POLICY_DIR, Gemeente, Policy, PolicyError, Voorziening, load_policy, plaats_tokens

STANDAARD = str(DEFAULT_POLICY)


def beleid_paden(spec: str) -> List[Path]:
    """'lekstroom, leidse-regio' or a path (or several) → the files, in the order given."""
    paden: List[Path] = []
    for deel in (d.strip() for d in spec.split(",")):
        if not deel:
            continue
        pad = Path(deel)
        if pad.suffix != ".yml" and not pad.exists():
            pad = POLICY_DIR / f"{deel}.yml"
        paden.append(pad)
    if not paden:
        raise PolicyError(f"LEKSTROOM_POLICY '{spec}': noem minstens één beleidsbestand")
    return paden


@dataclass(frozen=True)
class Inzet:
    """The policy files one deployment serves, the first one leading for what is common."""

    beleid: Tuple[Policy, ...]
    overzicht: Policy
    # gemeente → index in beleid
    per_gemeente: Dict[str, int]

    def policy_voor(self, gemeente: str | None) -> Policy:
        """The policy of the inwoner's gemeente; the first file while the gemeente is unknown."""
        return self.beleid[self.per_gemeente.get(gemeente or "", 0)]

    def gemeenten(self) -> List[str]:
        return list(self.overzicht.gemeenten)


def maak_inzet(beleid: List[Policy]) -> Inzet:
    """Combine policy files; a gemeente or place in two of them is an error naming both files."""
    if len(beleid) == 1:
        return Inzet(tuple(beleid), beleid[0], {g: 0 for g in beleid[0].gemeenten})
    per_gemeente: Dict[str, int] = {}
    gemeenten: Dict[str, Gemeente] = {}
    plaatsen: Dict[Tuple[str, ...], str] = {}
    for i, p in enumerate(beleid):
        for naam in p.gemeenten:
            if naam in per_gemeente:
                raise PolicyError(
                    f"{p.bestand}.yml: gemeenten.{naam}: staat ook in {beleid[per_gemeente[naam]].bestand}.yml; "
                    "een gemeente hoort bij één regio"
                )
        for sleutel, gemeente in p.plaatsen().items():
            andere = plaatsen.setdefault(sleutel, gemeente)
            if andere != gemeente:
                raise PolicyError(
                    f"{p.bestand}.yml: gemeenten.{gemeente}: '{' '.join(sleutel)}' is ook een plaats van "
                    f"{andere} in {beleid[per_gemeente[andere]].bestand}.yml"
                )
        for naam, data in p.gemeenten.items():
            per_gemeente[naam] = i
            gemeenten[naam] = data
    bediend = {plaats_tokens(g) for g in gemeenten}
    buiten: Dict[str, List[str]] = {}
    for p in beleid:
        for gemeente, namen in p.plaatsen_buiten_regio.items():
            if plaats_tokens(gemeente) in bediend or plaats_tokens(gemeente) in plaatsen:
                continue  # served by another file of this deployment
            lijst = buiten.setdefault(gemeente, [])
            lijst += [n for n in namen if plaats_tokens(n) not in plaatsen and n not in lijst]
    dubbel: Dict[str, Dict[str, List[str]]] = {}
    for p in beleid:
        for naam, anderen in p.dubbele_namen.items():
            rest = {g: w for g, w in anderen.items() if plaats_tokens(g) not in bediend}
            if rest:
                dubbel.setdefault(naam, {}).update(rest)
    voorzieningen: Dict[str, Voorziening] = {}
    for p in reversed(beleid):
        voorzieningen.update(p.voorzieningen)
    overzicht = beleid[0].copy(
        update={
            "naam": ", ".join(p.naam for p in beleid),
            "gemeenten": gemeenten,
            "plaatsen_buiten_regio": buiten,
            "dubbele_namen": dubbel,
            "voorzieningen": voorzieningen,
        }
    )
    return Inzet(tuple(beleid), overzicht, per_gemeente)


def load_inzet(spec: str = STANDAARD) -> Inzet:
    return maak_inzet([load_policy(p) for p in beleid_paden(spec)])


@lru_cache(maxsize=4)
def cached_inzet(spec: str = STANDAARD) -> Inzet:
    """The deployment for long-running processes (action server, web app): read once."""
    return load_inzet(spec)
