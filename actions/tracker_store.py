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

import json
import os
from typing import Any, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
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

    async def save(self, tracker: DialogueStateTracker, **kwargs: Any) -> None:
        """Count the stored rows, publish the new events and write them, in one session. Rasa's own
        save first calls `stream_events`, which rebuilds the whole stored tracker (reading and
        replaying every event) only to find the new events, and then counts the rows once more."""
        if asked_to_forget(tracker):
            # the event broker still learns of this last turn (the analysis keeps codes only)
            await self.stream_events(tracker)
            verwijder_gesprek(self.engine, tracker.sender_id)
            return
        with self.session_scope() as session:
            nieuw = list(self._additional_events(session, tracker))
            if self.event_broker is not None:
                await self._stream_new_events(self.event_broker, nieuw, tracker.sender_id)
            for event in nieuw:
                session.add(self._rij(tracker.sender_id, event))
            session.commit()

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """The events not yet stored, to the event broker (counting the stored rows, as above)."""
        if self.event_broker is None:
            return
        with self.session_scope() as session:
            nieuw = list(self._additional_events(session, tracker))
        await self._stream_new_events(self.event_broker, nieuw, tracker.sender_id)

    def _rij(self, sender_id: str, event: Event) -> Any:
        """One row of Rasa's `events` table, filled as Rasa's SQL store fills it."""
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
