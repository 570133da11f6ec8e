"""Drafts waiting to be stored while the database cannot be reached: nothing the inwoner confirmed is lost.

When `DraftStore.submit` fails at the moment the inwoner confirms, the action server writes the draft
and its intake to a file in this folder (one per conversation, readable by the server's user alone,
BSN already masked) and tells the inwoner it will be sent on by itself. A background task of the
action server (`actions/actieserver.py`) tries every few seconds to store what waits, and removes
each file once its draft is stored; storing is an upsert on the conversation's open draft, so a
retry never makes a second draft. A request to delete the conversation removes its file too.
With several action servers, each one sends on its own folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Optional, Tuple

from ..classificatie import Draft, Intake
from ..privacy import mask_tree
from .drafts import DraftStore

log = logging.getLogger(__name__)

DEFAULT_MAP = Path("var/uitgaand")


def _bestand(map_: Path, conversation_id: str) -> Path:
    # the file name does not show the conversation id
    return map_ / (hashlib.sha256(conversation_id.encode()).hexdigest()[:32] + ".json")


class Uitgaand:
    def __init__(self, map_: Path = DEFAULT_MAP):
        self.map = map_

    def bewaar(self, draft: Draft, intake: Optional[Intake]) -> None:
        self.map.mkdir(parents=True, exist_ok=True, mode=0o700)
        inhoud = {
            "draft": mask_tree(json.loads(draft.json())),
            "intake": None if intake is None else mask_tree(json.loads(intake.json())),
        }
        doel = _bestand(self.map, draft.conversation_id)
        tijdelijk = doel.with_suffix(".tmp")
        fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(inhoud, f)
        os.replace(tijdelijk, doel)

    def wachtend(self) -> int:
        return len(list(self.map.glob("*.json"))) if self.map.exists() else 0

    def _lees(self, pad: Path) -> Tuple[Draft, Optional[Intake]]:
        inhoud = json.loads(pad.read_text(encoding="utf-8"))
        intake = None if inhoud.get("intake") is None else Intake.parse_obj(inhoud["intake"])
        return Draft.parse_obj(inhoud["draft"]), intake

    def verstuur(self, store: DraftStore) -> int:
        """Store every waiting draft the database takes now; return how many were stored."""
        if not self.map.exists():
            return 0
        verstuurd = 0
        for pad in sorted(self.map.glob("*.json")):
            try:
                draft, intake = self._lees(pad)
            except (OSError, ValueError) as exc:
                log.error("uitgaand: onleesbaar bestand %s (%s)", pad.name, type(exc).__name__)
                continue
            try:
                store.submit(draft, intake=intake)
            except Exception as exc:  # still down: try again later; no personal data in the log
                log.warning("uitgaand: database nog niet bereikbaar (%s)", type(exc).__name__)
                return verstuurd
            pad.unlink(missing_ok=True)
            verstuurd += 1
        return verstuurd

    def vergeet(self, conversation_id: str) -> bool:
        pad = _bestand(self.map, conversation_id)
        if pad.exists():
            pad.unlink()
            return True
        return False
