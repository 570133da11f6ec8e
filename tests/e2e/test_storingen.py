"""Faults, against real processes: Rasa restarted and the action server killed in the middle of an
intake, the same confirmation delivered twice at once. Nothing may be lost or duplicated."""

from __future__ import annotations

import json
import threading
import urllib.error
import uuid
from pathlib import Path

import pytest
import yaml

from actions.store import DraftStore
from tests.helpers.inwoner import last_payload, play
from tests.helpers.servers import running_assistant

pytestmark = pytest.mark.e2e

CASE = next(
    c
    for c in yaml.safe_load((Path(__file__).parents[1] / "data" / "vignettes.yml").read_text(encoding="utf-8"))
    if not c.get("expect", {}).get("no_draft") and not c.get("expect", {}).get("urgent")
)


@pytest.fixture(scope="module")
def eigen_assistent(tmp_path_factory):
    """An assistant of this module's own: these tests stop and start its processes."""
    with running_assistant(tmp_path_factory.mktemp("storingen")) as a:
        yield a


def _tot_hulpvraag(assistant, sender):
    for text in ("Hallo", "ja", "Houten", "40"):
        reply = assistant.send(sender, text)
    assert last_payload(reply)["intake_step"] == "hulpvraag"


def _referentie(assistant):
    sender = f"ref-{uuid.uuid4().hex[:8]}"
    play(assistant, CASE, sender)
    return DraftStore.from_url(assistant.database_url).get_by_conversation(sender)


def _zelfde_inhoud(a, b):
    velden = (
        "gemeente",
        "leeftijd",
        "resultaatgebieden",
        "intensiteit",
        "duur_maanden",
        "advies",
        "product",
        "signalen",
    )
    return {k: getattr(a, k) for k in velden} == {k: getattr(b, k) for k in velden}


def test_rasa_restarted_mid_intake_continues_where_it_was(eigen_assistent):
    a = eigen_assistent
    sender = f"herstart-{uuid.uuid4().hex[:8]}"
    _tot_hulpvraag(a, sender)
    a.processen["rasa"].restart()
    hulpvraag = CASE["answers"]["hulpvraag"]
    reply = a.send(sender, " ".join(hulpvraag.split()))
    assert last_payload(reply)["intake_step"] != "toestemming"  # not started anew
    assert a.tracker(sender)["slots"]["gemeente"] == "Houten"


def test_action_server_killed_mid_intake_loses_nothing(eigen_assistent):
    a = eigen_assistent
    store = DraftStore.from_url(a.database_url)
    referentie = _referentie(a)
    sender = f"acties-{uuid.uuid4().hex[:8]}"
    for text in ("Hallo", "ja"):
        a.send(sender, text)
    a.processen["actions"].stop(kill=True)
    gemeente = CASE["answers"]["gemeente"]
    with pytest.raises(urllib.error.HTTPError) as storing:  # no action server: Rasa cannot run the form
        a.send(sender, gemeente)
    assert storing.value.code == 503 and "niet kwijt" in json.loads(storing.value.read())[0]["text"]
    a.processen["actions"].start().wait_up()
    play(a, CASE, sender, eerste=gemeente)  # the inwoner says it again and goes on
    draft = store.get_by_conversation(sender)
    assert draft is not None and _zelfde_inhoud(draft, referentie)
    assert store.list().total == len({d.conversation_id for d in store.list(per_page=200).items})


def test_the_same_confirmation_twice_at_once_gives_one_draft(eigen_assistent):
    a = eigen_assistent
    store = DraftStore.from_url(a.database_url)
    sender = f"dubbel-{uuid.uuid4().hex[:8]}"
    play(a, CASE, sender, tot_stap="bevestiging")
    before = store.list(per_page=200).total
    replies = []

    def bevestig():
        replies.append(a.send(sender, "ja"))

    threads = [threading.Thread(target=bevestig) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.list(per_page=200).total == before + 1
    draft = store.get_by_conversation(sender)
    assert draft is not None and draft.versie <= 2
    assert all(1 <= len(r) <= 3 for r in replies), replies  # both got an answer, no fallback storm
