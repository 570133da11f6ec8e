"""Rasa's SQL tracker store on the project's database, forgetting a conversation when asked.

Conversations survive a restart of Rasa and can be served by several Rasa servers, because every
event is kept in the table `events` of the project's database (`LEKSTROOM_DATABASE_URL`: SQLite as
the embedded default, PostgreSQL on the server path). Privacy stays as it was with trackers in memory:
when `action_verwijderen` sets the slot `gegevens_verwijderd`, every stored event of the conversation
is deleted (its last turn still reaches the event broker, which keeps codes only); the retention command (`lekstroom bewaartermijn`) removes conversations that have been
silent longer than the policy's retention period (`actions/store/trackers.py`).
Configured in bot/endpoints.yml; runs inside Rasa.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Tuple

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from . import rasa_patches  # noqa: F401  (faster action-result validation, BSN masking)
from .store.trackers import DEFAULT_URL, verwijder_gesprek

MARKER = "gegevens_verwijderd"


def asked_to_forget(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(e, SlotSet) and e.key == MARKER and e.value for e in tracker.events)


class PrivacyTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[str] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = make_url(os.environ.get("LEKSTROOM_DATABASE_URL", DEFAULT_URL))
        if url.drivername.startswith("sqlite") and url.database:
            os.makedirs(os.path.dirname(os.path.abspath(url.database)), exist_ok=True)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
        )
        # per conversation: the events stream_events found new, so that the write right after it
        # reuses them instead of counting the stored rows a second time
        self._nieuw: Dict[str, Tuple[int, List[Event]]] = {}

    async def save(self, tracker: DialogueStateTracker, **kwargs: Any) -> None:
        if asked_to_forget(tracker):
            # the event broker still learns of this last turn (the analysis keeps codes only)
            await self.stream_events(tracker)
            self._nieuw.pop(tracker.sender_id, None)  # nothing is written, so nothing reuses it
            verwijder_gesprek(self.engine, tracker.sender_id)
            return
        await super().save(tracker)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """The events not yet stored, to the event broker. Rasa's own version rebuilds the stored
        tracker (reading and replaying every event) on every save only to find them; counting the
        stored rows, as Rasa's SQL store does before it writes, gives the same events, also when
        another Rasa server handled the previous message."""
        if self.event_broker is None:
            return
        with self.session_scope() as session:
            nieuw = list(super()._additional_events(session, tracker))
        self._nieuw[tracker.sender_id] = (len(tracker.events), nieuw)
        await self._stream_new_events(self.event_broker, nieuw, tracker.sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """Rasa's save asks which events are not stored yet; stream_events has just counted that
        (the conversation's lock keeps anyone else from writing in between)."""
        gevonden = self._nieuw.pop(tracker.sender_id, None)
        if gevonden is not None and gevonden[0] == len(tracker.events):
            return iter(gevonden[1])
        return super()._additional_events(session, tracker)
