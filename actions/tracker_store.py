"""A tracker store that forgets a conversation when the inwoner asks to delete it.

Rasa keeps every event of a conversation in its tracker store. When `action_verwijderen` sets the
slot `gegevens_verwijderd`, this store saves an empty tracker instead, so nothing of the
conversation is kept in the Rasa server either. Configured in bot/endpoints.yml; runs inside Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from . import rasa_patches  # noqa: F401  (faster action-result validation)

MARKER = "gegevens_verwijderd"


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(e, SlotSet) and e.key == MARKER and e.value for e in tracker.events)


class PrivacyTrackerStore(InMemoryTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # per conversation: how many events were saved, and the time stamp of the last one
        self._opgeslagen: Dict[str, Tuple[int, float]] = {}

    async def save(self, tracker: DialogueStateTracker, **kwargs: Any) -> None:
        if asked_to_forget(tracker):
            # the event broker still learns of this last turn (the analysis keeps codes only)
            await self.stream_events(tracker)
            tracker = DialogueStateTracker(tracker.sender_id, self.domain.slots if self.domain else [])
        await super().save(tracker)
        laatste = tracker.events[-1].timestamp if tracker.events else 0.0
        self._opgeslagen[tracker.sender_id] = (len(tracker.events), laatste)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """The events that are new since the last save, to the event broker. Rasa's own version
        rebuilds the stored tracker (replaying every event) on every save only to count them; this
        store remembers where the last save ended, and falls back to Rasa's way when unsure."""
        if self.event_broker is None:
            return
        events = list(tracker.events)
        begin = self._nieuw_vanaf(tracker.sender_id, events)
        if begin is None:
            await super().stream_events(tracker)
            return
        await self._stream_new_events(self.event_broker, events[begin:], tracker.sender_id)

    def _nieuw_vanaf(self, sender_id: str, events: List[Event]) -> Optional[int]:
        if sender_id not in self._opgeslagen:
            return None if sender_id in self.store else 0
        aantal, laatste = self._opgeslagen[sender_id]
        if aantal == 0:
            return 0
        if aantal <= len(events) and events[aantal - 1].timestamp == laatste:
            return aantal
        # a new session: Rasa hands over only the last session's events
        for i in range(len(events) - 1, -1, -1):
            if events[i].timestamp == laatste:
                return i + 1
        return None
