"""The database goes down when the inwoner confirms: a clear Dutch message, nothing lost, and the draft
lands once the database is back, exactly once. PostgreSQL is reached through a proxy the test cuts."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from actions.store import DraftStore
from tests.helpers.inwoner import play
from tests.helpers.servers import running_assistant
from tests.helpers.tcpproxy import TcpProxy

pytestmark = pytest.mark.e2e

CASE = next(
    c
    for c in yaml.safe_load((Path(__file__).parents[1] / "data" / "vignettes.yml").read_text(encoding="utf-8"))
    if not c.get("expect", {}).get("no_draft") and not c.get("expect", {}).get("urgent")
)


def _via(proxy: TcpProxy, url: str) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


def _wacht_op(voorwaarde, seconden=30):
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if voorwaarde():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture(scope="module")
def opstelling(tmp_path_factory, pg_server_url):
    target = make_url(pg_server_url)
    proxy = TcpProxy((target.host, target.port))
    workdir = tmp_path_factory.mktemp("dbweg")
    try:
        # Rasa keeps its conversations directly; the action server reaches the database through the proxy.
        with running_assistant(
            workdir, database_url=pg_server_url, actions_env={"LEKSTROOM_DATABASE_URL": _via(proxy, pg_server_url)}
        ) as a:
            yield a, proxy, workdir
    finally:
        proxy.close()


def test_database_down_at_confirmation_keeps_the_draft_and_stores_it_once_back(opstelling):
    a, proxy, workdir = opstelling
    store = DraftStore.from_url(a.database_url)
    sender = f"dbweg-{uuid.uuid4().hex[:8]}"
    play(a, CASE, sender, tot_stap="bevestiging")
    proxy.cut()
    try:
        replies = a.send(sender, "ja")
        text = " ".join(m.get("text", "") for m in replies)
        assert "bewaard" in text and "vanzelf" in text, text
        assert store.get_by_conversation(sender) is None
        assert len(list((workdir / "uitgaand").glob("*.json"))) == 1
        # Whatever the inwoner says next gets an answer while the database is still down.
        assert a.send(sender, "bedankt!")
    finally:
        proxy.restore()
    assert _wacht_op(lambda: store.get_by_conversation(sender) is not None), "draft never stored"
    assert _wacht_op(lambda: not list((workdir / "uitgaand").glob("*.json")))
    time.sleep(2)  # a few more rounds of the background task: still exactly one draft
    drafts = [d for d in store.list(per_page=200).items if d.conversation_id == sender]
    assert len(drafts) == 1 and drafts[0].versie == 1
    stored = drafts[0]
    assert stored.gemeente and stored.resultaatgebieden
