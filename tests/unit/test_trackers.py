"""Rasa's conversations in the project database: deleted on request and after the retention period."""

from __future__ import annotations

import asyncio
import time

from rasa.core.brokers.broker import EventBroker
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.store.trackers import verwijder_gesprek, verwijder_stille_gesprekken
from actions.tracker_store import PrivacyTrackerStore


def _store(url, monkeypatch):
    monkeypatch.setenv("LEKSTROOM_DATABASE_URL", url)
    return PrivacyTrackerStore()


def _gesprek(store, sender, tijd):
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered("Hallo", timestamp=tijd))
    asyncio.run(store.save(tracker))


def test_trackers_live_in_the_project_database_and_survive_a_new_store(store_url, monkeypatch):
    store = _store(store_url, monkeypatch)
    _gesprek(store, "a", time.time())
    again = _store(store_url, monkeypatch)  # as after a restart of Rasa
    tracker = asyncio.run(again.retrieve("a"))
    assert tracker is not None and tracker.latest_message.text == "Hallo"


def test_delete_on_request_and_retention(store_url, monkeypatch):
    store = _store(store_url, monkeypatch)
    nu = time.time()
    _gesprek(store, "oud", nu - 40 * 86400)
    _gesprek(store, "recent", nu - 2 * 86400)
    _gesprek(store, "wissen", nu)
    assert verwijder_stille_gesprekken(store.engine, 30, now=nu) == 1
    assert asyncio.run(store.retrieve("oud")) is None
    assert asyncio.run(store.retrieve("recent")) is not None
    # The inwoner asks to delete: the slot set by action_verwijderen makes the store forget.
    tracker = asyncio.run(store.retrieve("wissen"))
    tracker.update(SlotSet("gegevens_verwijderd", True))
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("wissen")) is None
    assert verwijder_gesprek(store.engine, "recent") == 1


def test_messages_reach_rasa_with_the_bsn_masked_and_rasa_commands_read_as_words():
    from rasa.core.channels.channel import UserMessage

    from actions import rasa_patches  # noqa: F401  (installs the patch)
    from actions.privacy import BSN_MASK

    assert UserMessage("Mijn BSN is 111222333").text == f"Mijn BSN is {BSN_MASK}"
    assert UserMessage("/restart").text == "restart"
    assert UserMessage(" /session_start").text == "session_start"
    assert UserMessage("/affirm").text == "/affirm"  # our own buttons still work
    assert UserMessage("/restarten is lastig").text == "/restarten is lastig"


class _Verzamelaar(EventBroker):
    """An event broker that keeps what it is sent (Rasa's interface, in memory)."""

    def __init__(self) -> None:
        self.events: list = []

    def publish(self, event, headers=None) -> None:
        self.events.append(event)


def test_forgetting_streams_the_last_turn_and_keeps_nothing_in_memory(store_url, monkeypatch):
    store = _store(store_url, monkeypatch)
    store.event_broker = _Verzamelaar()
    _gesprek(store, "wissen", time.time())
    tracker = asyncio.run(store.retrieve("wissen"))
    tracker.update(SlotSet("gegevens_verwijderd", True))
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve("wissen")) is None
    assert [e["event"] for e in store.event_broker.events][-1] == "slot"  # the broker learnt of the last turn
