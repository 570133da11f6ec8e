"""The analysis without servers: the codes read from Rasa events, the processor on SQLite and
PostgreSQL (deletion folds into anonymous counts), the consultants' agreement per fact when
drafts are decided with and without changes (through the API), the page, its CSV and its filters."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from datetime import datetime, timezone

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from actions.analyse.cijfers import Bereik, funnel, iso_week, percentiel
from actions.analyse.codes import Verkleiner
from actions.analyse.schema import besluit_feit, feiten_assistent, gesprek, teller, vraag
from actions.analyse.verwerker import Verwerker
from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import GebiedAntwoord
from actions.store import DraftStore
from actions.web.app import create_app
from actions.web.config import ACCOUNTS, STORE, Config
from tests.unit.test_review_web import login

POLICY = load_policy()
PW = "een-lang-wachtwoord"


def verkleiner():
    return Verkleiner(POLICY.gemeenten, POLICY.resultaatgebieden, POLICY.leeftijd.minimum)


def vraag_event(stap, gebied=None, knoppen=()):
    custom = {"intake_step": stap, "resultaatgebied": gebied, "progress": {"step": 1, "of": 14}}
    return {
        "event": "bot",
        "sender_id": "c1",
        "text": "Een vraag",
        "data": {"buttons": [{"title": k, "payload": k} for k in knoppen], "custom": None},
    }, {"event": "bot", "sender_id": "c1", "data": {"custom": custom}}


def test_codes_keep_no_text_and_check_every_value():
    v = verkleiner()
    tekst, payload = vraag_event("gemeente", knoppen=["Ik woon in Houten", "/affirm"])
    assert v.codes(tekst) == []
    assert v.codes(payload) == [{"soort": "vraag", "stap": "gemeente", "gebied": None}]
    assert v.codes({"event": "user", "sender_id": "c1", "text": "Ik woon in Houten"}) == [
        {"soort": "bericht", "knop": True}
    ]
    assert v.codes({"event": "user", "sender_id": "c1", "text": "Mijn adres is Dorpsstraat 1"}) == [
        {"soort": "bericht", "knop": False}
    ]
    assert v.codes({"event": "slot", "name": "gemeente", "value": "Houten"}) == [
        {"soort": "gemeente", "code": "Houten"}
    ]
    assert v.codes({"event": "slot", "name": "gemeente", "value": "mijn eigen tekst"}) == []
    assert v.codes({"event": "slot", "name": "hulpvraag", "value": "ik heb schulden"}) == []
    assert v.codes({"event": "slot", "name": "pogingen", "value": {"gemeente": 2, "doel:zelfzorg_gezondheid": 1}}) == [
        {"soort": "pogingen", "per_stap": {"gemeente": 2, "doelen": 1}}
    ]
    marker = {"slot": "leeftijd", "tekst": "waarom wil je dat", "soort": "waarom"}
    assert v.codes({"event": "slot", "name": "laatste_onderbreking", "value": marker}) == [
        {"soort": "onderbreking", "reden": "waarom"}
    ]
    onbekend = {"event": "bot", "data": {"custom": {"intake_step": "<script>", "resultaatgebied": "x", "progress": {}}}}
    assert v.codes(onbekend) == [{"soort": "vraag", "stap": None, "gebied": None}]


def speel(verwerker, events, cid="c1", start=1_000_000.0):
    v = verkleiner()
    items = []
    for i, e in enumerate(events):
        for code in v.codes({**e, "sender_id": cid}):
            items.append((cid, start + 10 * i, code))
    verwerker.verwerk(items)


def intake_events(eind):
    return [
        {"event": "user", "text": "Hallo"},
        vraag_event("toestemming")[1],
        {"event": "user", "text": "/affirm"},
        {"event": "slot", "name": "toestemming", "value": True},
        vraag_event("gemeente")[1],
        {"event": "user", "text": "bla"},
        {"event": "slot", "name": "pogingen", "value": {"gemeente": 1}},
        vraag_event("gemeente")[1],
        {"event": "user", "text": "Houten"},
        {"event": "slot", "name": "gemeente", "value": "Houten"},
        vraag_event("leeftijd")[1],
        *eind,
    ]


def test_processor_on_both_databases(store_url):
    store = DraftStore.from_url(store_url)
    verwerker = Verwerker(store.engine)
    speel(
        verwerker,
        intake_events(
            [
                {"event": "user", "text": "16"},
                {"event": "slot", "name": "leeftijd", "value": 16},
                {"event": "reset_slots"},
                {"event": "slot", "name": "gestopt", "value": True},
            ]
        ),
    )
    with store.engine.connect() as conn:
        rij = conn.execute(select(gesprek)).mappings().one()
        vragen = {r["stap"]: r for r in conn.execute(select(vraag)).mappings()}
    assert rij["uitkomst"] == "minderjarig" and rij["gemeente"] == "Houten" and rij["duur_s"] == 140
    assert vragen["toestemming"]["knop"] and vragen["toestemming"]["beantwoord"]
    assert vragen["gemeente"]["niet_begrepen"] == 1 and vragen["gemeente"]["opnieuw"] == 1
    assert vragen["gemeente"]["seconden"] == 60  # from the first time it was asked to the next question
    assert vragen["leeftijd"]["beantwoord"]
    # a second intake in the same conversation, then everything deleted
    speel(
        verwerker,
        intake_events(
            [
                {"event": "action", "name": "action_verwijderen"},
                {"event": "slot", "name": "gegevens_verwijderd", "value": True},
                {"event": "slot", "name": "gestopt", "value": True},
            ]
        ),
        start=2_000_000.0,
    )
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(gesprek)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(vraag)).scalar() == 0
        tellers = conn.execute(select(teller.c.maat, func.sum(teller.c.aantal)).group_by(teller.c.maat)).all()
    assert dict(tellers)["uitkomst:minderjarig"] == 1 and dict(tellers)["uitkomst:verwijderd"] == 1
    data = funnel(store.engine, Bereik())
    assert data["gesprekken"] == 2
    assert data["uitkomsten"]["minderjarig"] == 1 and data["uitkomsten"]["verwijderd"] == 1
    gemeente = next(v for v in data["vragen"] if v["stap"] == "gemeente")
    assert gemeente["niet_begrepen"] == 2 and gemeente["niet_begrepen_gesprekken"] == 2
    leeftijd = next(v for v in data["vragen"] if v["stap"] == "leeftijd")
    assert leeftijd["onderbrekingen"]["wissen"] == 1


def test_percentile_and_week():
    assert percentiel([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert percentiel([5.0], 90) == 5.0 and percentiel([], 90) is None
    assert iso_week(datetime(2026, 11, 24, tzinfo=timezone.utc)) == "2026-W48"


# -- agreement, page and CSV through the web app ------------------------------------------------


def seed(store):
    ids = {}
    for cid, gemeente, gebieden in (
        ("h1", "Houten", ["sociaal_functioneren"]),
        ("h2", "Houten", ["zelfzorg_gezondheid"]),
        ("l1", "Lopik", ["administratie_financien"]),
    ):
        intake = Intake(
            conversation_id=cid,
            toestemming=True,
            gemeente=gemeente,
            leeftijd=50,
            resultaatgebieden=[GebiedAntwoord(code=g, type="ontwikkelen") for g in gebieden],
            afgerond=True,
        )
        ids[cid] = store.submit(classify(intake, POLICY), intake=intake).id
    return ids


@pytest.fixture
def web(sqlite_url):
    app = create_app(Config(database_url=sqlite_url, secure_cookies=False))
    accounts = app[ACCOUNTS]
    accounts.maak_gebruiker("anna", "consultant", ["Houten"], PW)
    accounts.maak_gebruiker("lisa", "consultant", ["Lopik"], PW)
    accounts.maak_gebruiker("beheer", "admin", [], PW)
    tokens = {n: accounts.maak_token(n) for n in ("anna", "lisa", "beheer")}
    ids = seed(app[STORE])
    loop = asyncio.new_event_loop()
    client = TestClient(TestServer(app), loop=loop)
    loop.run_until_complete(client.start_server())

    def call(methode, pad, wie="beheer", **kwargs):
        async def _call():
            r = await client.request(methode, pad, headers={"Authorization": f"Bearer {tokens[wie]}"}, **kwargs)
            body = await r.text()
            return r.status, (await r.json()) if r.content_type == "application/json" else body

        return loop.run_until_complete(_call())

    yield call, ids, app, loop, client
    loop.run_until_complete(client.close())
    loop.close()


def per_feit(data):
    return {r["feit"]: (r["besluiten"], r["gelijk"]) for r in data["feiten"]}


def test_agreement_when_drafts_are_decided_with_and_without_changes(web):
    call, ids, app, _, _ = web
    # h1: the consultant adds an area, then approves
    status, d = call("GET", f"/api/drafts/{ids['h1']}", "anna")
    nieuw = [
        {"code": "sociaal_functioneren", "type": "ontwikkelen"},
        {"code": "zelfzorg_gezondheid", "type": "ontwikkelen"},
    ]
    status, d = call(
        "PATCH",
        f"/api/drafts/{ids['h1']}",
        "anna",
        json={"versie": d["versie"], "waarom": "ook zelfzorg", "resultaatgebieden": nieuw},
    )
    assert status == 200
    status, d = call("POST", f"/api/drafts/{ids['h1']}/approve", "anna", json={"versie": d["versie"]})
    assert status == 200
    # h2: changed and changed back: the assistant's facts are those of before the first change
    status, d = call("GET", f"/api/drafts/{ids['h2']}", "anna")
    status, d = call(
        "PATCH", f"/api/drafts/{ids['h2']}", "anna", json={"versie": d["versie"], "waarom": "x", "gemeente": "Lopik"}
    )
    status, d = call(
        "PATCH",
        f"/api/drafts/{ids['h2']}",
        "beheer",
        json={"versie": d["versie"], "waarom": "toch", "gemeente": "Houten"},
    )
    status, d = call("POST", f"/api/drafts/{ids['h2']}/approve", "anna", json={"versie": d["versie"]})
    assert status == 200
    # l1: rejected without any change
    status, d = call("GET", f"/api/drafts/{ids['l1']}", "lisa")
    status, d = call(
        "POST", f"/api/drafts/{ids['l1']}/reject", "lisa", json={"versie": d["versie"], "reden": "geen Wmo"}
    )
    assert status == 200

    status, data = call("GET", "/api/stats/agreement")
    assert status == 200 and data["besluiten"] == 3
    feiten = per_feit(data)
    assert feiten["resultaatgebieden"] == (3, 2)
    assert feiten["gemeente"] == (3, 3)
    assert feiten["urgent"] == (3, 3) and feiten["verzwarende_omstandigheden"] == (3, 3)
    assert feiten["type"] == (3, 3)  # the area kept has the same type
    assert next(r for r in data["feiten"] if r["feit"] == "resultaatgebieden")["percentage"] == 66.7
    assert next(r for r in data["feiten"] if r["feit"] == "resultaatgebieden")["in_correcties_export"] is True
    assert [w["week"] for w in data["per_week"]] == [iso_week(datetime.now(timezone.utc))]
    # scoped: Lisa sees her rejection only, Anna her two approvals
    assert per_feit(call("GET", "/api/stats/agreement", "lisa")[1])["resultaatgebieden"] == (1, 1)
    assert per_feit(call("GET", "/api/stats/agreement", "anna")[1])["resultaatgebieden"] == (2, 1)
    assert call("GET", "/api/stats/agreement?gemeente=Lopik", "anna")[0] == 403
    with app[STORE].engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(feiten_assistent)).scalar() == 0  # kept until the decision
        assert conn.execute(select(func.count()).select_from(besluit_feit)).scalar() == 30


def test_openapi_describes_the_stats(web):
    call, *_ = web
    status, doc = call("GET", "/api/openapi.json")
    assert {"/api/stats/funnel", "/api/stats/agreement"} <= set(doc["paths"])


def test_page_and_csv_for_signed_in_users(web):
    call, ids, app, loop, client = web

    async def als(naam, pad):
        c = TestClient(TestServer(app), loop=loop)
        await c.start_server()
        try:
            await login(c, naam, PW)
            r = await c.get(pad, allow_redirects=False)
            return r.status, r.headers.get("Content-Type", ""), await r.text()
        finally:
            await c.close()

    status, _, html = loop.run_until_complete(als("beheer", "/review/analyse"))
    assert status == 200 and "Trechter per vraag" in html and "<svg" in html and "Toestemming" in html
    status, _, html = loop.run_until_complete(als("lisa", "/review/analyse?gemeente=Houten"))
    assert status == 400 and "U werkt niet voor deze gemeente." in html
    status, _, html = loop.run_until_complete(als("anna", "/review/analyse?van=morgen"))
    assert status == 400 and "jaar-maand-dag" in html and "Traceback" not in html
    status, soort, tekst = loop.run_until_complete(als("anna", "/review/analyse.csv"))
    assert status == 200 and soort.startswith("text/csv")
    rijen = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert rijen[0] == ["onderdeel", "sleutel", "maat", "waarde"]
    assert ["uitkomst", "concept", "aantal", "0"] in rijen
    assert any(r[:3] == ["overeenstemming", "gemeente", "besluiten"] for r in rijen)
    assert loop.run_until_complete(client.get("/review/analyse", allow_redirects=False)).status == 303


def test_interruptions_danger_once_start_over_and_abandoned(sqlite_url):
    store = DraftStore.from_url(sqlite_url)
    marker = {"slot": "gemeente", "tekst": "iets", "soort": "mens"}
    twijfel = {"tekst": "iets", "slot": "gemeente", "soorten": ["zelf"]}
    speel(
        Verwerker(store.engine),
        [
            vraag_event("toestemming")[1],
            {"event": "user", "text": "ja"},
            vraag_event("gemeente")[1],
            {"event": "slot", "name": "laatste_onderbreking", "value": marker},
            vraag_event("gemeente")[1],
            {"event": "slot", "name": "veiligheid_twijfel", "value": twijfel},  # a check question...
            {"event": "slot", "name": "veiligheid", "value": True},  # ...answered yes: one alarm
            {"event": "slot", "name": "veiligheid_twijfel", "value": None},
            {"event": "action", "name": "action_veiligheid"},  # a second, sure alarm
            {"event": "slot", "name": "laatste_onderbreking", "value": {**marker, "soort": "opnieuw"}},
            vraag_event("toestemming")[1],
        ],
    )
    begin = datetime.fromtimestamp(1_000_000.0, tz=timezone.utc)
    nu = begin.replace(hour=begin.hour + 1)
    data = funnel(store.engine, Bereik(), nu=nu, stilte=30)
    vragen = {v["stap"]: v for v in data["vragen"]}
    assert vragen["gemeente"]["onderbrekingen"] == {
        "waarom": 0,
        "stoppen": 0,
        "opnieuw": 1,
        "mens": 1,
        "wissen": 0,
        "corrigeren": 0,
        "gevaar": 2,
    }
    assert vragen["gemeente"]["opnieuw_gevraagd"] == 1 and vragen["gemeente"]["beantwoord"] == 0
    assert data["uitkomsten"]["afgebroken"] == 1
    assert funnel(store.engine, Bereik(), nu=begin, stilte=30)["uitkomsten"]["bezig"] == 1


def test_the_delete_command_folds_the_analysis_rows(sqlite_url, capsys):
    from actions.cli import main

    store = DraftStore.from_url(sqlite_url)
    speel(Verwerker(store.engine), intake_events([]), cid="weg")
    assert main(["--database", sqlite_url, "verwijder-gesprek", "weg"]) == 0
    assert "Gesprek verwijderd." in capsys.readouterr().out
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(gesprek)).scalar() == 0
    data = funnel(store.engine, Bereik())
    assert data["gesprekken"] == 1 and data["uitkomsten"]["verwijderd"] == 1
    assert next(v for v in data["vragen"] if v["stap"] == "gemeente")["niet_begrepen"] == 1


def test_the_tracker_store_streams_each_event_once_across_sessions_and_a_deletion(sqlite_url, monkeypatch):
    from rasa.core.brokers.broker import EventBroker
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from actions.tracker_store import PrivacyTrackerStore

    class Lijst(EventBroker):
        def __init__(self):
            self.events = []

        def publish(self, event):
            self.events.append((event["event"], event.get("text") or event.get("name")))

    broker = Lijst()
    monkeypatch.setenv("LEKSTROOM_DATABASE_URL", sqlite_url)
    store = PrivacyTrackerStore(Domain.empty(), event_broker=broker)
    run = asyncio.new_event_loop().run_until_complete
    tracker = DialogueStateTracker("a", [])
    for i, e in enumerate([ActionExecuted("action_session_start"), SessionStarted(), UserUttered("een")]):
        e.timestamp = 100.0 + i
        tracker.update(e)
    run(store.save(tracker))
    tracker = run(store.retrieve("a"))
    tracker.update(UserUttered("twee", timestamp=110.0))
    run(store.save(tracker))
    # a new session: Rasa hands the store only the last session's events
    tracker = run(store.retrieve("a"))
    for i, e in enumerate([ActionExecuted("action_session_start"), SessionStarted()]):
        e.timestamp = 200.0 + i
        tracker.update(e)
    run(store.save(tracker))
    tracker = run(store.retrieve("a"))
    assert not [e for e in tracker.events if isinstance(e, UserUttered)]  # the last session only
    tracker.update(UserUttered("drie", timestamp=210.0))
    tracker.update(SlotSet("gegevens_verwijderd", True, timestamp=211.0))
    run(store.save(tracker))
    assert broker.events == [
        ("action", "action_session_start"),
        ("session_started", None),
        ("user", "een"),
        ("user", "twee"),
        ("action", "action_session_start"),
        ("session_started", None),
        ("user", "drie"),
        ("slot", "gegevens_verwijderd"),
    ]
    assert run(store.retrieve("a")) is None  # forgotten


def test_a_new_rasa_session_ends_an_unfinished_intake_as_abandoned(sqlite_url):
    store = DraftStore.from_url(sqlite_url)
    speel(
        Verwerker(store.engine),
        [
            {"event": "session_started"},
            vraag_event("toestemming")[1],
            {"event": "user", "text": "ja"},
            vraag_event("gemeente")[1],
            {"event": "session_started"},  # two hours later, in Rasa's terms
            vraag_event("toestemming")[1],
        ],
    )
    with store.engine.connect() as conn:
        rijen = conn.execute(select(gesprek).order_by(gesprek.c.nr)).mappings().all()
    assert [(r["nr"], r["uitkomst"]) for r in rijen] == [(1, "afgebroken"), (2, None)]
    assert rijen[0]["duur_s"] == 30  # until its last activity, not until the new session
    data = funnel(store.engine, Bereik(), nu=datetime.fromtimestamp(1_000_060.0, tz=timezone.utc), stilte=30)
    gemeente = next(v for v in data["vragen"] if v["stap"] == "gemeente")
    assert (gemeente["bereikt"], gemeente["beantwoord"]) == (1, 0)
    assert data["uitkomsten"]["afgebroken"] == 1 and data["uitkomsten"]["bezig"] == 1


def test_the_embedded_broker_writes_through_its_own_process_and_survives_its_death(sqlite_url, monkeypatch):
    """Rasa's process only turns events into codes; a writer process writes them. When that process
    dies, the next batch starts a new one and nothing is lost."""
    from actions.analyse import broker as broker_module

    monkeypatch.setattr(broker_module, "VERZAMELEN_S", 0.05)
    broker = broker_module.AnalyseBroker(sqlite_url)
    run = asyncio.new_event_loop().run_until_complete
    try:
        for i, e in enumerate(intake_events([])):
            broker.publish({**e, "sender_id": "proces", "timestamp": 1_000_000.0 + 10 * i})
        assert broker.wacht(30)
        eerste = broker._proces._proces
        assert eerste is not None and eerste.pid != os.getpid() and eerste.poll() is None
        eerste.kill()
        eerste.wait()
        for i, e in enumerate([{"event": "user", "text": "16"}, {"event": "slot", "name": "gestopt", "value": True}]):
            broker.publish({**e, "sender_id": "proces", "timestamp": 1_000_200.0 + 10 * i})
        assert broker.wacht(30)
        assert broker._proces._proces is not eerste
    finally:
        run(broker.close())
    assert broker._proces._proces is None  # closing stops the writer
    with DraftStore.from_url(sqlite_url).engine.connect() as conn:
        rij = conn.execute(select(gesprek).where(gesprek.c.conversation_id == "proces")).mappings().one()
        vragen = {r["stap"]: r for r in conn.execute(select(vraag).where(vraag.c.gesprek_id == rij["id"])).mappings()}
    assert rij["berichten"] == 5 and rij["uitkomst"] == "gestopt"
    assert vragen["gemeente"]["niet_begrepen"] == 1 and vragen["leeftijd"]["beantwoord"] is False
    assert broker.kosten["transacties"] >= 2 and broker.kosten["schrijver_cpu_s"] > 0
