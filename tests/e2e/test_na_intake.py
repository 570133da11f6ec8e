"""After the intake: the conversation always answers, and a decided draft is never overwritten.

Regression tests for two findings of the probe in issue 11: after the confirmation, "bedankt!" made
Rasa predict the fallback action ten times in a row until its circuit breaker tripped, after which
every message (delete included) got an empty answer; and a new intake after a consultant's decision
rewrote the decided draft.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from tests.helpers.inwoner import play

pytestmark = pytest.mark.e2e

CASE = next(
    c
    for c in yaml.safe_load((Path(__file__).parents[1] / "data" / "vignettes.yml").read_text(encoding="utf-8"))
    if not c.get("expect", {}).get("no_draft") and not c.get("expect", {}).get("urgent")
)

NA_AFLOOP = [
    "bedankt!",
    "hoelang duurt het voordat ik wat hoor",
    "ja",
    "ja",
    "ok",
    "Ik heb nog een vraag over mijn rolstoel",
    "nee",
    "bedankt!",
]


def _texts(replies):
    return [m.get("text", "") for m in replies if m.get("text")]


def test_every_message_after_the_intake_gets_one_answer_and_delete_still_works(assistant, store):
    sender = f"na-{uuid.uuid4().hex[:8]}"
    play(assistant, CASE, sender)
    draft = store.get_by_conversation(sender)
    assert draft is not None
    for message in NA_AFLOOP:
        replies = assistant.send(sender, message)
        texts = _texts(replies)
        assert 1 <= len(texts) <= 2, (message, texts)
        assert not any("begreep ik niet" in t for t in texts), (message, texts)
    assert "werkdagen" in _texts(assistant.send(sender, "wanneer hoor ik iets?"))[0]
    # Nothing of that changed the queued draft.
    assert store.get_by_conversation(sender).versie == draft.versie
    # The inwoner can still have everything deleted.
    texts = _texts(assistant.send(sender, "verwijder alles wat ik gezegd heb"))
    assert any("gewist" in t for t in texts), texts
    assert store.get_by_conversation(sender) is None


def test_a_new_intake_after_a_decision_becomes_a_new_draft(assistant, store):
    sender = f"besluit-{uuid.uuid4().hex[:8]}"
    play(assistant, CASE, sender)
    first = store.get_by_conversation(sender)
    goedgekeurd = first.copy(update={"status": "goedgekeurd"})
    store.save_review(goedgekeurd, "consulent", "goedgekeurd", {"status": "goedgekeurd"}, "", first.versie)

    assistant.send(sender, "opnieuw beginnen")
    play(assistant, CASE, sender)  # the harness starts with "Hallo" and confirms at the end

    decided = store.get(first.id)
    assert decided.status == "goedgekeurd" and decided.versie == first.versie + 1
    latest = store.get_by_conversation(sender)
    assert latest.id != first.id and latest.vorige_id == first.id and latest.status == "nieuw"


def test_after_a_stop_every_message_gets_an_answer_that_offers_to_start_again(assistant):
    sender = f"gestopt-{uuid.uuid4().hex[:8]}"
    for text in ("Hallo", "ja", "Houten", "40", "ik wil stoppen met dit gesprek", "ja"):
        assistant.send(sender, text)
    for message in ("ja", "nee", "bedankt", "weet ik niet", "ok", "ok"):
        texts = _texts(assistant.send(sender, message))
        assert 1 <= len(texts) <= 2, (message, texts)
        assert not any("begreep ik niet" in t for t in texts), (message, texts)
    replies = assistant.send(sender, "ok")
    assert any(b.get("payload") == "/start_over" for m in replies for b in m.get("buttons", []))
    assistant.send(sender, "Hallo")
    assert assistant.tracker(sender)["active_loop"].get("name") == "intake_form"
