"""Process-wide resources of the action server: the policy, the store and the texts.

Configuration comes from the environment with safe local defaults:
LEKSTROOM_POLICY (the policy files this deployment serves, separated by commas: names in
actions/policies/ or paths; default lekstroom) and LEKSTROOM_DATABASE_URL (SQLite file under var/
by default).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml

from ..classificatie.inzet import STANDAARD, Inzet, cached_inzet
from ..classificatie.policy import Policy
from ..store import DEFAULT_URL, DraftStore
from ..store.uitgaand import DEFAULT_MAP, Uitgaand

TEKSTEN_PATH = Path(__file__).resolve().parent / "teksten.yml"


def inzet() -> Inzet:
    return cached_inzet(os.environ.get("LEKSTROOM_POLICY", STANDAARD))


def policy() -> Policy:
    """What is common to the regions of this deployment: every served gemeente and place."""
    return inzet().overzicht


def policy_voor(gemeente: str | None) -> Policy:
    """The policy file of the inwoner's gemeente (the first one while it is not known)."""
    return inzet().policy_voor(gemeente)


@lru_cache(maxsize=2)
def _store(url: str) -> DraftStore:
    return DraftStore.from_url(url)


def store() -> DraftStore:
    return _store(os.environ.get("LEKSTROOM_DATABASE_URL", DEFAULT_URL))


def uitgaand() -> Uitgaand:
    """Drafts waiting for the database (LEKSTROOM_UITGAAND, default var/uitgaand)."""
    return Uitgaand(Path(os.environ.get("LEKSTROOM_UITGAAND", str(DEFAULT_MAP))))


@lru_cache(maxsize=1)
def teksten() -> Dict[str, Any]:
    return yaml.safe_load(TEKSTEN_PATH.read_text(encoding="utf-8"))


class _Open(dict):  # type: ignore[type-arg]
    """Placeholders nobody filled stay as they are ("{plaats}"), as before."""

    def __missing__(self, sleutel: str) -> str:
        return "{" + sleutel + "}"


def regio_waarden() -> Dict[str, Any]:
    """What a text may say about the region, always from the policy file, never written in the text:
    {gemeenten}, {minimum_leeftijd}, {jongvolwassene_van}, {jongvolwassene_tot}."""
    p = policy()
    namen = list(p.gemeenten)
    return {
        "gemeenten": namen[0] if len(namen) <= 1 else ", ".join(namen[:-1]) + " en " + namen[-1],
        "minimum_leeftijd": p.leeftijd.minimum,
        "jongvolwassene_van": p.leeftijd.jongvolwassene.van,
        "jongvolwassene_tot": p.leeftijd.jongvolwassene.tot,
    }


def tekst(pad: str, **waarden: Any) -> str:
    """A text from teksten.yml by dotted path, with its {placeholders} filled in (the region's
    values from the policy file unless the caller gives them)."""
    node: Any = teksten()
    for part in pad.split("."):
        node = node[part]
    text = str(node).strip()
    return text.format_map(_Open({**regio_waarden(), **waarden}))


def gebied_naam(code: str) -> str:
    return teksten()["gebieden"].get(code, code)


def gebieden_zin(codes: list) -> str:
    namen = [gebied_naam(c) for c in codes]
    if len(namen) <= 1:
        return "".join(namen)
    return ", ".join(namen[:-1]) + " en " + namen[-1]


def contact_zin(gemeente: str | None) -> str:
    """How to reach the sociaal team of the inwoner's gemeente (or of any gemeente)."""
    p = policy()
    team = p.gemeenten[gemeente].sociaal_team if gemeente in p.gemeenten else None
    if team is None:
        return tekst("contact.onbekend")
    if team.telefoon:
        return tekst("contact.met_telefoon", naam=team.naam, telefoon=team.telefoon, website=team.website or "")
    return tekst("contact.zonder_telefoon", website=team.website or "de website van uw gemeente")
