"""Compare a draft with a vignette's `expect` block, exactly as the vignette file's header defines."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions.classificatie.model import Arrangement, CriteriaProduct, Draft

# The region's own result (tests/data/regio_vignettes.yml).
REGIO_SLEUTELS = ("afweging", "product", "treden", "segmenten", "modules", "criteria", "orientatie_maanden")


def _regio(draft: Draft, key: str, want: Any) -> List[str]:
    a = draft.afweging
    if key == "afweging":
        got: Any = a.soort if a is not None else None
    elif key == "product":
        got = draft.product.code if draft.product is not None else None
    elif key in ("treden", "segmenten", "modules"):
        if not isinstance(a, Arrangement):
            return [f"{key}: geen arrangement maar {a!r}"]
        if key == "modules":
            got = [m.code for m in a.modules]
        else:
            got = {t.code: (t.trede if key == "treden" else t.segment) for t in a.leefgebieden}
    else:
        if not isinstance(a, CriteriaProduct):
            return [f"{key}: geen besluit op criteria maar {a!r}"]
        got = {c.code: c.voldaan for c in a.criteria} if key == "criteria" else a.orientatie_maanden
    return [] if got == want else [f"{key}: {got!r} != {want!r}"]


def mismatches(draft: Draft, expect: Dict[str, Any]) -> List[str]:
    """Every way the draft differs from `expect`; empty when it matches."""
    problems: List[str] = []
    for key, want in expect.items():
        if key in ("no_draft", "reply_mentions"):
            continue
        if key == "resultaatgebieden":
            got = {g.code for g in draft.resultaatgebieden}
            if got != set(want):
                problems.append(f"resultaatgebieden: {sorted(got)} != {sorted(want)}")
        elif key == "duur_maanden":
            lo, hi = want
            if draft.duur_maanden is None or not lo <= draft.duur_maanden <= hi:
                problems.append(f"duur_maanden: {draft.duur_maanden} not in [{lo}, {hi}]")
        elif key == "signalen":
            got_signals = set(draft.signaal_codes())
            missing = [s for s in want if s not in got_signals]
            if missing:
                problems.append(f"signalen: missing {missing} in {sorted(got_signals)}")
        elif key == "verzwarende_omstandigheden":
            got_codes = {o.code for o in draft.verzwarende_omstandigheden}
            missing = [c for c in want if c not in got_codes]
            if missing:
                problems.append(f"verzwarende_omstandigheden: missing {missing} in {sorted(got_codes)}")
        elif key in REGIO_SLEUTELS:
            problems += _regio(draft, key, want)
        else:
            got_value = getattr(draft, key)
            if got_value != want:
                problems.append(f"{key}: {got_value!r} != {want!r}")
    return problems


def als_parameters(cases: List[Dict[str, Any]], bekend: Dict[str, str]) -> List[Any]:
    """The cases as test parameters; one the assistant does not yet pass (its id in `bekend`, with
    what it misreads) is a strict expected failure, so the suite notices when it passes."""
    return [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=bekend[c["id"]])) if c["id"] in bekend else c
        for c in cases
    ]
