"""Personal-data rules that apply before anything is written: BSN masking.

A BSN is nine digits that pass the elfproef (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11).
Inwoners are never asked for one, but some type it anyway; every text the project stores goes
through `mask_bsn` first (the store calls `mask_tree` on a whole draft).
"""

from __future__ import annotations

import re
from typing import Any

BSN_MASK = "[BSN verwijderd]"

# Nine digits, optionally grouped with spaces, dots or dashes (123 456 782, 1234.56.782).
_CANDIDATE = re.compile(r"(?<![\d])(\d[ .\-]?){8}\d(?![\d])")


def is_bsn(digits: str) -> bool:
    """True when `digits` (nine digits, nothing else) passes the elfproef."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def mask_bsn(text: str) -> str:
    def repl(match: re.Match) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return BSN_MASK if is_bsn(digits) else match.group(0)

    return _CANDIDATE.sub(repl, text)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_TELEFOON = re.compile(r"(?<!\d)(\+31[\s-]?|0031[\s-]?|0)([1-9][\s-]?)(\d[\s-]?){7}\d(?!\d)")
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b")
_HUISNUMMER = re.compile(r"\b([A-Z][a-z]+(straat|laan|weg|plein|gracht|dijk|kade|singel|hof|pad))\s+\d+[a-zA-Z]?\b")


def mask_persoonsgegevens(text: str) -> str:
    """For texts that leave the system (training candidates): BSN, e-mail, phone, postcode, address."""
    text = mask_bsn(text)
    text = _EMAIL.sub("[E-MAIL]", text)
    text = _TELEFOON.sub("[TELEFOON]", text)
    text = _POSTCODE.sub("[POSTCODE]", text)
    return _HUISNUMMER.sub("[ADRES]", text)


def mask_tree(value: Any) -> Any:
    """Mask every string inside nested dicts and lists (a draft as JSON)."""
    if isinstance(value, str):
        return mask_bsn(value)
    if isinstance(value, list):
        return [mask_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_tree(v) for k, v in value.items()}
    return value
