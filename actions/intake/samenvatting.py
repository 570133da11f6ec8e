"""The plain-Dutch summary the inwoner confirms before the intake is sent."""

from __future__ import annotations

from typing import Any, Dict, List

from .context import gebied_naam, gebieden_zin, tekst
from .stappen import ONBEKEND


def _waarde(value: Any) -> str:
    if value in (None, "", ONBEKEND, "onbekend"):
        return tekst("samenvatting.onbekend")
    return " ".join(str(value).split())


def samenvatting(slots: Dict[str, Any]) -> str:
    gebieden = slots.get("gebieden") or []
    lines: List[str] = [
        tekst("samenvatting.gemeente", waarde=_waarde(slots.get("gemeente"))),
        tekst("samenvatting.leeftijd", waarde=_waarde(slots.get("leeftijd"))),
        tekst("samenvatting.hulpvraag", waarde=_waarde(slots.get("hulpvraag"))),
        tekst("samenvatting.gebieden", waarde=_waarde(gebieden_zin([g["code"] for g in gebieden]))),
    ]
    for g in gebieden:
        lines.append(tekst("samenvatting.doel", gebied=gebied_naam(g["code"]), waarde=_waarde(g.get("doel"))))
    for key in ("eigen_kracht", "netwerk", "voorliggend_veld"):
        lines.append(tekst(f"samenvatting.{key}", waarde=_waarde(slots.get(key))))
    lines.append(tekst("samenvatting.omstandigheden", waarde=_waarde(slots.get("verzwarende_omstandigheden"))))
    lines.append(tekst("samenvatting.duur", waarde=_waarde(slots.get("duur"))))
    lines.append(tekst("samenvatting.contact", waarde=_waarde(slots.get("contact"))))
    return "\n".join(f"- {line}" for line in lines)
