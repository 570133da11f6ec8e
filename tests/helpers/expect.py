"""Compare a draft with a vignette's `expect` block, exactly as the vignette file's header defines."""

from __future__ import annotations

from typing import Any, Dict, List

from actions.classificatie.model import Draft


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
        else:
            got_value = getattr(draft, key)
            if got_value != want:
                problems.append(f"{key}: {got_value!r} != {want!r}")
    return problems
