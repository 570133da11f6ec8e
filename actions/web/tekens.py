"""Invisible characters made visible wherever the web app shows text (review pages, API, export).

What the inwoner typed is kept in the database exactly as typed (it is the record of the
conversation). When it is shown, control characters (Unicode category Cc, except tab and newline)
and format characters (Cf: the bidirectional overrides and isolates such as U+202E, zero-width
spaces, the byte-order mark) and line/paragraph separators become a visible mark like `[U+202E]`,
so a transcript cannot reorder or hide what is on the screen. The zero-width joiner stays (emoji).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from markupsafe import Markup

_BLIJFT = frozenset("\t\n\r\u200d")
_ONZICHTBAAR = frozenset(("Cc", "Cf", "Zl", "Zp"))


def _markeer(teken: str) -> str:
    if teken in _BLIJFT or unicodedata.category(teken) not in _ONZICHTBAAR:
        return teken
    return f"[U+{ord(teken):04X}]"


def neutraliseer(tekst: str) -> str:
    """The text with every control or format character replaced by a visible mark."""
    if tekst.isprintable() and "\u200d" not in tekst:
        return tekst
    return "".join(_markeer(t) for t in tekst)


def zichtbaar(waarde: Any) -> Any:
    """Jinja's `finalize`: every `{{ … }}` on every page goes through here before escaping."""
    if isinstance(waarde, Markup):
        return Markup(neutraliseer(str(waarde)))
    if isinstance(waarde, str):
        return neutraliseer(waarde)
    return waarde


def zichtbaar_json(waarde: Any) -> Any:
    """The same for a JSON value (API answers and the export): every string in it, keys included."""
    if isinstance(waarde, str):
        return neutraliseer(waarde)
    if isinstance(waarde, dict):
        return {zichtbaar_json(k): zichtbaar_json(v) for k, v in waarde.items()}
    if isinstance(waarde, list):
        return [zichtbaar_json(v) for v in waarde]
    return waarde
