"""A tracker store that forgets a conversation when the inwoner asks to delete it.

Rasa keeps every event of a conversation in its tracker store. When `action_verwijderen` sets the
slot `gegevens_verwijderd`, this store saves an empty tracker instead, so nothing of the
conversation is kept in the Rasa server either. Configured in bot/endpoints.yml; runs inside Rasa.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from . import rasa_patches  # noqa: F401  (faster action-result validation)

MARKER = "gegevens_verwijderd"


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(e, SlotSet) and e.key == MARKER and e.value for e in tracker.events)


class PrivacyTrackerStore(InMemoryTrackerStore):
    async def save(self, tracker: DialogueStateTracker, **kwargs: Any) -> None:
        if asked_to_forget(tracker):
            # the event broker still learns of this last turn (the analysis keeps codes only)
            await self.stream_events(tracker)
            tracker = DialogueStateTracker(tracker.sender_id, self.domain.slots if self.domain else [])
        await super().save(tracker)
