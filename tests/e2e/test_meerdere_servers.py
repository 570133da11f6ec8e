"""Two Rasa servers and two action servers behind nginx, on PostgreSQL with the lock store in Redis.

An intake whose messages alternate between the servers ends in exactly the same draft as on one
server; the same confirmation sent to both servers at once gives one draft; a server restarted in the
middle of an intake loses nothing (the other one takes over through the load balancer).
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
import yaml

from actions.store import DraftStore
from tests.helpers.inwoner import play
from tests.helpers.servers import running_cluster

pytestmark = pytest.mark.e2e

REDIS_URL = "redis://127.0.0.1:6379/3"
CASES = [
    c
    for c in yaml.safe_load((Path(__file__).parents[1] / "data" / "vignettes.yml").read_text(encoding="utf-8"))
    if not c.get("expect", {}).get("no_draft") and not c.get("expect", {}).get("urgent")
][:1]
VELDEN = ("gemeente", "leeftijd", "resultaatgebieden", "zwaarte", "intensiteit", "duur_maanden", "advies", "product")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, pg_server_url):
    with running_cluster(tmp_path_factory.mktemp("cluster"), pg_server_url, REDIS_URL) as c:
        yield c


class Wisselend:
    """Sends each message to the next Rasa server in turn, as a load balancer may."""

    def __init__(self, rasas):
        self.rasas, self.i = rasas, 0
        self.database_url = rasas[0].database_url

    def send(self, sender, text):
        self.i += 1
        return self.rasas[self.i % len(self.rasas)].send(sender, text)


def _inhoud(draft):
    return {k: getattr(draft, k) for k in VELDEN} | {"signalen": sorted(draft.signaal_codes())}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_alternating_servers_give_the_same_draft_as_one(cluster, case):
    store = DraftStore.from_url(cluster.voorkant.database_url)
    een, wissel, lb = (f"{k}-{uuid.uuid4().hex[:8]}" for k in ("een", "wissel", "lb"))
    play(cluster.rasas[0], case, een)
    play(Wisselend(cluster.rasas), case, wissel)
    voor = len(cluster.upstreams())
    play(cluster.voorkant, case, lb)
    gebruikt = set(cluster.upstreams()[voor:])
    assert len(gebruikt) == 2, gebruikt  # the load balancer really used both servers
    drafts = [store.get_by_conversation(s) for s in (een, wissel, lb)]
    assert all(d is not None for d in drafts)
    assert _inhoud(drafts[1]) == _inhoud(drafts[0]) == _inhoud(drafts[2])


def test_the_same_confirmation_on_two_servers_at_once_gives_one_draft(cluster):
    store = DraftStore.from_url(cluster.voorkant.database_url)
    sender = f"tweemaal-{uuid.uuid4().hex[:8]}"
    play(cluster.rasas[0], CASES[0], sender, tot_stap="bevestiging")
    replies = {}

    def bevestig(i):
        replies[i] = cluster.rasas[i].send(sender, "ja")

    threads = [threading.Thread(target=bevestig, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    drafts = store.list(per_page=200).items
    assert [d.conversation_id for d in drafts].count(sender) == 1
    assert all(1 <= len(r) <= 3 for r in replies.values()), replies


def test_a_rasa_server_restarted_mid_intake_loses_nothing(cluster):
    store = DraftStore.from_url(cluster.voorkant.database_url)
    case = CASES[0]
    ref = f"ref-{uuid.uuid4().hex[:8]}"
    play(cluster.voorkant, case, ref)
    sender = f"weg-{uuid.uuid4().hex[:8]}"
    play(cluster.voorkant, case, sender, tot_stap="hulpvraag")
    cluster.processen["rasa1"].stop(kill=True)
    try:
        gesprek = play(cluster.voorkant, case, sender, eerste=" ".join(case["answers"]["hulpvraag"].split()))
    finally:
        cluster.processen["rasa1"].start().wait_up()
    assert gesprek.replies
    assert _inhoud(store.get_by_conversation(sender)) == _inhoud(store.get_by_conversation(ref))
