"""From conversation to draft: slots -> `Intake` -> `classify()` -> the store.

The only place where the action server touches the classification core and the queue.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from ..classificatie import Draft, Intake, classify
from ..classificatie.model import Bericht, GebiedAntwoord, Kenmerk, Omstandigheid
from .context import policy_voor, store, uitgaand
from .vraagtabel import ONBEKEND, als_tekst, intake_velden

log = logging.getLogger(__name__)


def transcript(tracker: Tracker) -> List[Bericht]:
    """The conversation as the inwoner saw it; each answer knows which question it answered."""
    berichten: List[Bericht] = []
    stap: Optional[str] = None
    for event in tracker.events:
        kind = event.get("event")
        if kind == "bot":
            custom = (event.get("data") or {}).get("custom")
            if isinstance(custom, dict) and "progress" in custom:
                stap = custom.get("intake_step")
        text = event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        tijd = datetime.fromtimestamp(event["timestamp"], tz=timezone.utc) if event.get("timestamp") else None
        if kind == "user":
            berichten.append(Bericht(van="inwoner", tekst=text, tijd=tijd, stap=stap))
        else:
            berichten.append(Bericht(van="assistent", tekst=text, tijd=tijd))
    return berichten


def intake_uit(slots: Dict[str, Any], conversation_id: str, berichten: List[Bericht], afgerond: bool) -> Intake:
    """The conversation's facts as an `Intake`: the free-text answers by the question table, the
    structured ones (areas, circumstances, signals) from the slots the readers filled."""
    leeftijd = slots.get("leeftijd")
    gemeente = slots.get("gemeente")
    prioriteit = slots.get("prioriteit")
    return Intake(
        conversation_id=conversation_id,
        toestemming=slots.get("toestemming") is True,
        gemeente=gemeente if gemeente not in (None, ONBEKEND) else None,
        woonplaats=slots.get("woonplaats") or slots.get("woonplaats_buiten"),
        buiten_regio=bool(slots.get("buiten_regio")),
        leeftijd=leeftijd if isinstance(leeftijd, int) else None,
        resultaatgebieden=[
            GebiedAntwoord(
                code=g["code"],
                doel=als_tekst(g.get("doel")),
                type=g.get("type"),
                type_toelichting=als_tekst(g.get("type_toelichting")),
            )
            for g in slots.get("gebieden") or []
        ],
        prioriteit=prioriteit if prioriteit not in (None, ONBEKEND) else None,
        verzwarende_omstandigheden=[Omstandigheid(**o) for o in slots.get("omstandigheden") or []],
        duur_verwachting_maanden=slots.get("duur_maanden"),
        frequentie=slots.get("frequentie_code"),
        planbaar=slots.get("te_plannen"),
        kenmerken=[Kenmerk(**k) for k in slots.get("kenmerken") or []],
        veiligheid=slots.get("veiligheid"),
        veiligheid_soort=list(slots.get("veiligheid_soort") or []),
        afgerond=afgerond,
        transcript=berichten,
        **intake_velden(slots),
    )


@dataclass
class Indiening:
    draft: Draft
    later: bool  # the database was down: it waits in the outbox and is sent on by itself


async def indienen(tracker: Tracker, afgerond: bool) -> Optional[Indiening]:
    """Classify and queue the draft of this conversation.

    When the database cannot take it, the draft waits in the outbox (`store/uitgaand.py`) and is
    stored as soon as the database is back; None only when even that failed.
    """
    intake = intake_uit(tracker.current_slot_values(), tracker.sender_id, transcript(tracker), afgerond)
    draft = classify(intake, policy_voor(intake.gemeente))
    loop = asyncio.get_running_loop()
    try:
        opgeslagen = await loop.run_in_executor(None, lambda: store().submit(draft, intake=intake))
        return Indiening(opgeslagen, later=False)
    except Exception as exc:  # the log gets the kind of error only: SQL errors carry the values
        log.error("draft.submit_failed: %s (urgent=%s)", type(exc).__name__, draft.urgent)
    try:
        await loop.run_in_executor(None, lambda: uitgaand().bewaar(draft, intake))
        return Indiening(draft, later=True)
    except OSError as exc:
        log.error("draft.outbox_failed: %s", type(exc).__name__)
        return None


async def verwijderen(conversation_id: str) -> bool:
    uitgaand().vergeet(conversation_id)
    return await asyncio.get_running_loop().run_in_executor(None, store().delete_conversation, conversation_id)
