"""Where each rule of a policy file comes from (rechtszekerheid).

Every block and every number of a policy file carries its origin: `bron` (document and section or
passage) or, where the sources are silent, `aanname: true` with `vast_te_stellen_door` (who must
confirm it). A number or list with its own origin is written as a mapping with `waarde`:

    duur:
      ontwikkelen:
        bron: "Inkoopstrategie 2022, §4d stap 4: '1 jaar gemiddelde duur ...'"
        standaard: 12
        min: {waarde: 6, aanname: true, vast_te_stellen_door: werkgroep Wmo Lekstroom}

A value without its own origin takes the origin of the nearest block above it (never of the file as
a whole). `lees_herkomst` takes these keys out of the raw YAML before the rules are validated and
returns them as a table by key path ("duur.ontwikkelen.min"); a value that has no origin at all is
an error that names the key.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from pydantic import BaseModel

HERKOMST_SLEUTELS = ("bron", "aanname", "vast_te_stellen_door")
WAARDE = "waarde"
# Top-level keys that are not rules: the file's own name, version and date.
GEEN_REGEL = ("naam", "versie", "geldig_vanaf")


class Herkomst(BaseModel):
    """The origin of one rule: a passage of a source document, or an assumption and who decides."""

    bron: str | None = None
    aanname: bool = False
    vast_te_stellen_door: str | None = None


class HerkomstFout(ValueError):
    """A rule without origin, or an origin written wrongly; the message names the key."""


def _pad(ouder: str, sleutel: str | int) -> str:
    if isinstance(sleutel, int):
        return f"{ouder}[{sleutel}]"
    return f"{ouder}.{sleutel}" if ouder else str(sleutel)


def _maak_herkomst(pad: str, velden: Dict[str, Any]) -> Herkomst:
    bron = velden.get("bron")
    aanname = velden.get("aanname", False)
    door = velden.get("vast_te_stellen_door")
    if bron is not None and (not isinstance(bron, str) or not bron.strip()):
        raise HerkomstFout(f"{pad}.bron: schrijf het document en de paragraaf of passage als tekst")
    if not isinstance(aanname, bool):
        raise HerkomstFout(f"{pad}.aanname: schrijf true of false")
    if door is not None and (not isinstance(door, str) or not door.strip()):
        raise HerkomstFout(f"{pad}.vast_te_stellen_door: schrijf wie de aanname moet vaststellen")
    if aanname and door is None:
        raise HerkomstFout(f"{pad}: een aanname heeft 'vast_te_stellen_door' nodig (wie moet deze regel vaststellen?)")
    if not aanname and bron is None:
        raise HerkomstFout(
            f"{pad}: geen bron en geen aanname; zet 'bron' (document en paragraaf of passage) "
            "of 'aanname: true' met 'vast_te_stellen_door'"
        )
    return Herkomst(bron=bron, aanname=aanname, vast_te_stellen_door=door)


def _is_omhulsel(node: Dict[str, Any]) -> bool:
    """`{waarde: ..., bron: ...}`: a value with its own origin (and nothing else)."""
    return WAARDE in node and set(node) <= {WAARDE, *HERKOMST_SLEUTELS} and len(node) > 1


def lees_herkomst(raw: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Herkomst]]:
    """Split a raw policy mapping into (rules without origin keys, origin per key path).

    Raises HerkomstFout naming the first key whose value has no origin (own or of a block above).
    """
    tabel: Dict[str, Herkomst] = {}
    ontbreekt: List[str] = []

    def loop(node: Any, pad: str, gedekt: bool) -> Any:
        if isinstance(node, dict):
            if _is_omhulsel(node):
                tabel[pad] = _maak_herkomst(pad, node)
                return loop(node[WAARDE], pad, True)
            eigen = {k: node[k] for k in HERKOMST_SLEUTELS if k in node}
            if eigen:
                tabel[pad] = _maak_herkomst(pad, eigen)
                gedekt = True
            return {k: loop(v, _pad(pad, k), gedekt) for k, v in node.items() if k not in HERKOMST_SLEUTELS}
        if isinstance(node, list):
            return [loop(v, _pad(pad, i), gedekt) for i, v in enumerate(node)]
        if not gedekt:
            ontbreekt.append(pad)
        return node

    schoon: Dict[str, Any] = {}
    for sleutel, waarde in raw.items():
        if sleutel in GEEN_REGEL:
            schoon[sleutel] = waarde
            continue
        schoon[sleutel] = loop(waarde, str(sleutel), False)
        if isinstance(waarde, (dict, list)) and not waarde and str(sleutel) not in tabel:
            ontbreekt.append(str(sleutel))
    if ontbreekt:
        getoond = ", ".join(ontbreekt[:5])
        meer = f" (en nog {len(ontbreekt) - 5} andere)" if len(ontbreekt) > 5 else ""
        raise HerkomstFout(
            f"{getoond}: regel zonder bron en zonder aanname{meer}; zet bij deze regel of bij het blok "
            "erboven 'bron' (document en paragraaf of passage) of 'aanname: true' met 'vast_te_stellen_door'"
        )
    return schoon, tabel


def herkomst_van(tabel: Dict[str, Herkomst], pad: str) -> Herkomst | None:
    """The origin that covers a key path: its own, else that of the nearest block above it."""
    while pad:
        if pad in tabel:
            return tabel[pad]
        if pad.endswith("]"):
            pad = pad[: pad.rindex("[")]
        elif "." in pad:
            pad = pad[: pad.rindex(".")]
        else:
            return None
    return None
