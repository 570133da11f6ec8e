"""A simulated inwoner that plays an acceptance case exactly as tests/data/vignettes.yml says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .servers import Assistant

STOP = "Ik wil stoppen."
MAX_TURNS = 60
# Questions added after most cases were written: a case without its own answer gives this one.
STANDAARD_ANTWOORDEN = {"frequentie": "een paar keer per week", "planbaar": "ja, op vaste momenten"}


@dataclass
class Gesprek:
    sender: str
    replies: List[Dict[str, Any]] = field(default_factory=list)
    said: List[str] = field(default_factory=list)

    @property
    def bot_texts(self) -> str:
        return "\n".join(m.get("text", "") for m in self.replies if m.get("text"))


def last_payload(messages: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    customs = [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and "progress" in m["custom"]]
    return customs[-1] if customs else None


def answer_for(case: Dict[str, Any], payload: Dict[str, Any]) -> Optional[str]:
    answers = case.get("answers", {})
    step, gebied = payload.get("intake_step"), payload.get("resultaatgebied")
    value = answers.get(step) if step else None
    if isinstance(value, dict):
        value = value.get(gebied)
    return value


def scripted(case: Dict[str, Any]) -> set:
    """Every (step, area) the case has an answer for."""
    keys = set()
    for step, value in case.get("answers", {}).items():
        keys |= {(step, g) for g in value} if isinstance(value, dict) else {(step, None)}
    return keys


def play(
    assistant: Assistant, case: Dict[str, Any], sender: str, tot_stap: Optional[str] = None, eerste: str = "Hallo"
) -> Gesprek:
    """Play the case; with `tot_stap`, stop when the bot asks that question (without answering it);
    `eerste` is the first message (another than "Hallo" to continue a conversation already going)."""
    gesprek = Gesprek(sender)
    urgent = bool(case.get("expect", {}).get("urgent"))
    unused = scripted(case)  # an urgent case stops once these have all been said
    message = eerste
    for _ in range(MAX_TURNS):
        gesprek.said.append(message)
        reply = assistant.send(sender, message)
        gesprek.replies.extend(reply)
        if message == STOP or (gesprek.said[-2:-1] and _was_confirmation(gesprek, message)):
            break
        payload = last_payload(reply)
        if payload is None:
            break  # the bot stopped asking
        step = payload.get("intake_step")
        if tot_stap is not None and step == tot_stap:
            break
        text = answer_for(case, payload)
        if text is not None:
            message = " ".join(str(text).split())
            unused.discard(
                (step, payload.get("resultaatgebied") if isinstance(case["answers"].get(step), dict) else None)
            )
        elif urgent and not unused:
            message = STOP
        elif step in STANDAARD_ANTWOORDEN:
            message = STANDAARD_ANTWOORDEN[step]
        elif step in (None, "bevestiging"):
            message = "ja"
        else:
            message = "weet ik niet"
        gesprek._last_step = step  # type: ignore[attr-defined]
    return gesprek


def _was_confirmation(gesprek: Gesprek, message: str) -> bool:
    return getattr(gesprek, "_last_step", None) == "bevestiging"
