"""The plain-Dutch summary the inwoner confirms before the intake is sent.

Its lines follow the question table: every question marked `samenvatting` gives one line
(`teksten.yml: samenvatting.<slot>`), plus the areas and a goal per area.
"""

from __future__ import annotations

from typing import Any, Dict, List

from .context import gebied_naam, gebieden_zin, tekst
from .vraagtabel import ONBEKEND, VRAGEN


def _waarde(value: Any) -> str:
    if value in (None, "", ONBEKEND, "onbekend"):
        return tekst("samenvatting.onbekend")
    return " ".join(str(value).split())


def samenvatting(slots: Dict[str, Any]) -> str:
    gebieden = slots.get("gebieden") or []
    lines: List[str] = []
    for v in VRAGEN:
        if v.slot == "resultaatgebieden":
            lines.append(tekst("samenvatting.gebieden", waarde=_waarde(gebieden_zin([g["code"] for g in gebieden]))))
            for g in gebieden:
                lines.append(tekst("samenvatting.doel", gebied=gebied_naam(g["code"]), waarde=_waarde(g.get("doel"))))
        elif v.samenvatting:
            lines.append(tekst(f"samenvatting.{v.slot}", waarde=_waarde(slots.get(v.slot))))
    return "\n".join(f"- {line}" for line in lines)
