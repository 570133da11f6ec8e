"""The draft store against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import Bericht, GebiedAntwoord
from actions.privacy import BSN_MASK, is_bsn, mask_bsn
from actions.store import DraftStore, Filters, VersionConflict
from actions.store.drafts import make_engine
from actions.store.schema import audit_log, drafts, transcripts

POLICY = load_policy()
BSN = "111222333"  # passes the elfproef
assert is_bsn(BSN)


def make_draft(cid="gesprek-1", gemeente="Houten", areas=("sociaal_functioneren",), **extra):
    intake = Intake(
        conversation_id=cid,
        toestemming=True,
        gemeente=gemeente,
        leeftijd=40,
        resultaatgebieden=[GebiedAntwoord(code=a, type="ontwikkelen") for a in areas],
        transcript=[Bericht(van="inwoner", tekst="Hallo"), Bericht(van="assistent", tekst="Welkom")],
        **extra,
    )
    return classify(intake, POLICY)


def test_submit_and_read_back(store_url):
    store = DraftStore.from_url(store_url)
    saved = store.submit(make_draft())
    assert saved.id and saved.versie == 1 and saved.status == "nieuw"
    again = store.get(saved.id)
    assert again.product == saved.product
    assert [b.tekst for b in again.transcript] == ["Hallo", "Welkom"]
    assert store.get_by_conversation("gesprek-1").id == saved.id
    assert [e.actie for e in store.audit(saved.id)] == ["ingediend"]


def test_second_submit_updates_the_same_draft(store_url):
    store = DraftStore.from_url(store_url)
    first = store.submit(make_draft())
    second = store.submit(make_draft(areas=("sociaal_functioneren", "zelfzorg_gezondheid")))
    assert second.id == first.id and second.versie == 2
    assert store.list().total == 1
    assert len(store.get(first.id).resultaatgebieden) == 2
    assert [e.actie for e in store.audit(first.id)] == ["ingediend", "opnieuw_ingediend"]


def test_concurrent_double_submit_yields_one_draft(store_url):
    store = DraftStore.from_url(store_url)
    barrier = threading.Barrier(8)
    errors = []

    def submit():
        try:
            barrier.wait()
            store.submit(make_draft(cid="tegelijk"))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM drafts WHERE conversation_id='tegelijk'")).scalar() == 1
    assert store.get_by_conversation("tegelijk").versie == 8


def test_failed_write_leaves_nothing_half_written(store_url, monkeypatch):
    store = DraftStore.from_url(store_url)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DraftStore, "_write_transcript", staticmethod(boom))
    with pytest.raises(RuntimeError):
        store.submit(make_draft(cid="half"))
    with store.engine.connect() as conn:
        assert conn.execute(select(drafts).where(drafts.c.conversation_id == "half")).first() is None
        assert conn.execute(select(audit_log)).first() is None


def test_bsn_is_masked_in_every_field_and_the_transcript_at_database_level(store_url):
    store = DraftStore.from_url(store_url)
    draft = make_draft(cid="bsn", hulpvraag=f"Mijn bsn is {BSN}.", netwerk="buurman 111 222 333 helpt")
    draft.transcript.append(Bericht(van="inwoner", tekst=f"nummer {BSN}"))
    saved = store.submit(draft)
    with store.engine.connect() as conn:
        raw = " ".join(
            str(v)
            for v in (
                conn.execute(select(drafts.c.data)).scalar(),
                conn.execute(select(transcripts.c.berichten)).scalar(),
                conn.execute(select(audit_log.c.wijzigingen)).all(),
            )
        )
    assert BSN not in raw and "111 222 333" not in raw
    assert BSN_MASK in store.get(saved.id).hulpvraag
    assert store.get(saved.id).transcript[-1].tekst == f"nummer {BSN_MASK}"


def test_masking_keeps_numbers_that_are_not_a_bsn():
    assert mask_bsn("bel 0612345678 of 123456789") == "bel 0612345678 of 123456789"
    assert mask_bsn(f"bsn:{BSN}!") == f"bsn:{BSN_MASK}!"


def test_delete_conversation_removes_all_its_data(store_url):
    store = DraftStore.from_url(store_url)
    keep = store.submit(make_draft(cid="blijft"))
    gone = store.submit(make_draft(cid="weg"))
    assert store.delete_conversation("weg") is True
    assert store.get_by_conversation("weg") is None
    with store.engine.connect() as conn:
        for table in ("drafts", "transcripts", "draft_signalen", "audit_log"):
            assert (
                conn.execute(
                    text(
                        f"SELECT count(*) FROM {table} WHERE " + ("id" if table == "drafts" else "draft_id") + " = :i"
                    ),
                    {"i": gone.id},
                ).scalar()
                == 0
            )
        dump = str(conn.execute(select(audit_log)).all())
    assert "weg" not in dump.replace("verwijderd", "")
    assert store.get(keep.id).transcript
    assert store.delete_conversation("weg") is False


def test_retention_deletes_only_old_transcripts(store_url):
    store = DraftStore.from_url(store_url)
    old = store.submit(make_draft(cid="oud"))
    new = store.submit(make_draft(cid="nieuw"))
    with store.engine.begin() as conn:
        conn.execute(
            transcripts.update()
            .where(transcripts.c.draft_id == old.id)
            .values(created_at=datetime.now(timezone.utc) - timedelta(days=100))
        )
    assert store.purge_transcripts(90) == 1
    assert store.get(old.id).transcript == [] and store.get(old.id).product is not None
    assert store.get(new.id).transcript


def test_queue_order_filters_and_paging(store_url):
    store = DraftStore.from_url(store_url)
    for i in range(5):
        store.submit(make_draft(cid=f"c{i}", gemeente="Houten" if i % 2 else "Lopik"))
    store.submit(make_draft(cid="dringend", veiligheid="gevaar"))
    store.submit(make_draft(cid="admin", areas=("administratie_financien",)))
    page = store.list(per_page=3)
    assert page.total == 7 and page.pages == 3
    assert page.items[0].conversation_id == "dringend"
    assert [d.conversation_id for d in page.items[1:]] == ["c0", "c1"]
    assert {d.gemeente for d in store.list(Filters(gemeente="Lopik")).items} == {"Lopik"}
    assert store.list(Filters(gemeenten=["Lopik"])).total == 3
    assert store.list(Filters(gemeenten=[])).total == 0
    assert [d.conversation_id for d in store.list(Filters(signaal="veiligheid")).items] == ["dringend"]
    assert store.list(Filters(advies="voorliggend_veld")).items[0].conversation_id == "admin"
    assert store.list(Filters(signaal="alleen_administratie")).total == 1
    assert store.list(Filters(conversation_id="c3")).items[0].gemeente == "Houten"


def test_review_change_with_version_check(store_url):
    store = DraftStore.from_url(store_url)
    draft = store.submit(make_draft())
    draft.status = "in_behandeling"
    draft.toegewezen_aan = "anna"
    changed = store.save_review(draft, "anna", "toegewezen", {"status": "in_behandeling"}, "", expected_version=1)
    assert changed.versie == 2 and changed.toegewezen_aan == "anna"
    with pytest.raises(VersionConflict):
        store.save_review(draft, "bert", "goedgekeurd", {"status": "goedgekeurd"}, "", expected_version=1)
    assert store.get(draft.id).status == "in_behandeling"
    assert [e.wie for e in store.audit(draft.id)] == ["assistent", "anna"]


@pytest.mark.parametrize("besluit", ["goedgekeurd", "afgewezen", "in_behandeling"])
def test_a_draft_that_left_nieuw_is_never_overwritten_by_a_new_intake(store_url, besluit):
    store = DraftStore.from_url(store_url)
    first = store.submit(make_draft(gemeente="Houten"))
    taken = first.copy(update={"status": besluit})
    store.save_review(taken, "consulent", besluit, {"status": besluit}, "", expected_version=first.versie)

    # The inwoner starts over in the same conversation and confirms another intake.
    second = store.submit(make_draft(gemeente="Lopik", areas=("zelfzorg_gezondheid",)))

    assert second.id != first.id
    assert second.status == "nieuw" and second.vorige_id == first.id and second.gemeente == "Lopik"
    decided = store.get(first.id)
    assert decided.status == besluit and decided.gemeente == "Houten"
    assert [g.code for g in decided.resultaatgebieden] == ["sociaal_functioneren"]
    assert [e.actie for e in store.audit(second.id)] == ["nieuw_na_besluit"]
    assert store.get_by_conversation("gesprek-1").id == second.id
    # A third confirmation updates the new open draft; the decided one still stays as it was.
    third = store.submit(make_draft(gemeente="Lopik", areas=("zelfzorg_gezondheid", "participatie")))
    assert third.id == second.id and third.versie == 2
    assert store.get(first.id).gemeente == "Houten"
    assert store.list().total == 2
    # Deleting the conversation removes both drafts.
    assert store.delete_conversation("gesprek-1")
    assert store.list().total == 0


def test_migration_from_0002_keeps_drafts_and_applies_the_open_draft_rule(store_url):
    """A database made by 0002 (unique conversation_id) upgrades without losing drafts."""
    from actions.store.migrate import upgrade

    upgrade(store_url, "0002")
    store = DraftStore(make_engine(store_url))
    with store.engine.begin() as conn:
        conn.execute(
            drafts.insert().values(
                id="oud",
                conversation_id="gesprek-oud",
                created_at=datetime.now(timezone.utc),
                updated_at=datetime.now(timezone.utc),
                status="goedgekeurd",
                urgent=False,
                advies="maatwerk",
                versie=1,
                data={},
            )
        )
    upgrade(store_url)
    with store.engine.connect() as conn:
        assert conn.execute(select(drafts.c.status).where(drafts.c.id == "oud")).scalar() == "goedgekeurd"
    nieuw = store.submit(make_draft(cid="gesprek-oud"))
    assert nieuw.id != "oud" and nieuw.vorige_id == "oud"
