"""The analysis end to end: real Rasa and action servers with the embedded event broker, intakes
that end in every outcome (a draft with a not-understood answer, a button and a why-question; no
consent; outside the region; under 18; stopped; deleted; abandoned), the figures read through the
API, and at database level: no text of the inwoner in the analysis tables, the deleted
conversation's rows gone."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import inspect, select, text

from actions.analyse.schema import REDENEN, UITKOMSTEN, gesprek
from actions.classificatie import load_policy
from actions.intake.vraagtabel import STAPPEN
from actions.store import make_engine
from actions.web.app import create_app
from actions.web.config import ACCOUNTS, Config
from tests.helpers.inwoner import last_payload
from tests.helpers.servers import running_assistant

pytestmark = pytest.mark.e2e
POLICY = load_policy()

HULPVRAAG = "Sinds mijn herseninfarct raak ik het overzicht kwijt en vergeet ik afspraken, mijn vrouw doet alles."
ANTWOORDEN = {
    "leeftijd": "Ik ben 54.",
    "hulpvraag": HULPVRAAG,
    "resultaatgebieden": "Vooral het plannen van mijn dag en het onthouden van afspraken.",
    "doelen": "Dat ik zelf met een agenda kan werken.",
    "type_ondersteuning": "Met oefenen kan ik het weer deels leren.",
    "prioriteit": "Eerst plannen",
    "eigen_kracht": "Ik schrijf dingen op briefjes.",
    "netwerk": "Mijn vrouw helpt veel, maar zij is op.",
    "voorliggend_veld": "Nee, ik weet niet wat er is.",
    "verzwarende_omstandigheden": "Soms ben ik ineens de draad kwijt.",
    "duur": "Een jaar ongeveer.",
    "contact": "Bel me maar.",
}
ONZIN = "blablabla qwertyuiop"
GEZEGD = [HULPVRAAG, ONZIN, "qwertyuiop", "herseninfarct", "briefjes", "Gouda", "verwijder alles", "ik ben 16"]


class Chat:
    def __init__(self, assistant, naam):
        self.assistant = assistant
        self.sender = f"{naam}-{uuid.uuid4().hex[:6]}"
        self.last = []

    def say(self, tekst):
        self.last = self.assistant.send(self.sender, tekst)
        return self

    @property
    def step(self):
        payload = last_payload(self.last)
        return payload and payload["intake_step"]


def intake_met_concept(chat):
    """Toestemming by button, the gemeente not understood once, why at the age, then a whole intake."""
    chat.say("Hallo").say("/affirm")
    assert chat.step == "gemeente"
    chat.say(ONZIN)
    assert chat.step == "gemeente"
    chat.say("Houten")
    assert chat.step == "leeftijd"
    chat.say("waarom wil je dat weten?")
    assert chat.step == "leeftijd"
    for _ in range(40):
        payload = last_payload(chat.last)
        if payload is None:
            break
        stap = payload["intake_step"]
        chat.say(ANTWOORDEN.get(stap, "ja") if stap not in (None, "bevestiging") else "ja")
    assert "sociaal team" in " ".join(m.get("text", "") for m in chat.last)


@pytest.fixture(scope="module")
def gespeeld(tmp_path_factory):
    werk = tmp_path_factory.mktemp("analyse")
    with running_assistant(werk) as assistant:
        g = {}
        g["afgebroken"] = Chat(assistant, "stil").say("Hallo").say("ja")  # then nothing: abandoned
        stil_sinds = time.monotonic()
        g["concept"] = Chat(assistant, "concept")
        intake_met_concept(g["concept"])
        g["geen_toestemming"] = Chat(assistant, "nee").say("Hallo").say("nee, liever niet")
        g["buiten_regio"] = Chat(assistant, "buiten").say("Hallo").say("ja").say("Ik woon in Gouda").say("ja")
        g["minderjarig"] = Chat(assistant, "jong").say("Hallo").say("ja").say("Houten").say("ik ben 16")
        g["gestopt"] = Chat(assistant, "stop").say("Hallo").say("ja").say("Houten").say("40")
        g["gestopt"].say("Ik wil stoppen.").say("ja")
        g["verwijderd"] = Chat(assistant, "wis").say("Hallo").say("ja").say("Lopik").say("40")
        g["verwijderd"].say("verwijder alles wat ik gezegd heb").say("ja")
        assert "gewist" in " ".join(m.get("text", "") for m in g["verwijderd"].last)
        time.sleep(max(0.0, 7 - (time.monotonic() - stil_sinds)))  # the silent one passes 0.1 minute
        yield assistant, g


@pytest.fixture
def api(gespeeld, monkeypatch):
    assistant, _ = gespeeld
    monkeypatch.setenv("LEKSTROOM_ANALYSE_STILTE_MINUTEN", "0.1")
    app = create_app(Config(database_url=assistant.database_url, secure_cookies=False))
    for naam, rol, gemeenten in (("beheer", "admin", []), ("lisa", "consultant", ["Lopik"])):
        if app[ACCOUNTS].gebruiker(naam) is None:
            app[ACCOUNTS].maak_gebruiker(naam, rol, gemeenten, "een-lang-wachtwoord")
    tokens = {n: app[ACCOUNTS].maak_token(n) for n in ("beheer", "lisa")}
    loop = asyncio.new_event_loop()
    client = TestClient(TestServer(app), loop=loop)
    loop.run_until_complete(client.start_server())

    def get(pad, wie="beheer"):
        async def _get():
            r = await client.get(pad, headers={"Authorization": f"Bearer {tokens[wie]}"})
            return r.status, await r.json()

        return loop.run_until_complete(_get())

    yield get
    loop.run_until_complete(client.close())
    loop.close()


def wacht_op(get, pad, klaar, timeout=30):
    einde = time.monotonic() + timeout
    while True:
        status, data = get(pad)
        if status == 200 and klaar(data) or time.monotonic() > einde:
            return data
        time.sleep(0.5)


def test_outcomes_and_funnel_through_the_api(api):
    data = wacht_op(api, "/api/stats/funnel", lambda d: d["gesprekken"] == 7 and d["uitkomsten"]["verwijderd"] == 1)
    assert data["gesprekken"] == 7
    assert data["uitkomsten"] == {u: 1 for u in UITKOMSTEN} | {"bezig": 0}
    vragen = {v["stap"]: v for v in data["vragen"]}
    assert [v["stap"] for v in data["vragen"] if v["stap"] in STAPPEN] == STAPPEN
    # everyone got the consent question and answered it; the silent one never answered the gemeente
    assert (vragen["toestemming"]["bereikt"], vragen["toestemming"]["beantwoord"]) == (7, 7)
    assert vragen["toestemming"]["beantwoord_met_knop"] == 1
    assert (vragen["gemeente"]["bereikt"], vragen["gemeente"]["beantwoord"]) == (6, 5)
    assert (vragen["leeftijd"]["bereikt"], vragen["leeftijd"]["beantwoord"]) == (4, 4)
    assert (vragen["hulpvraag"]["bereikt"], vragen["hulpvraag"]["beantwoord"]) == (3, 1)
    assert vragen["bevestiging"]["beantwoord"] == 1
    # the not-understood answer and the why-question, each at its own question
    assert vragen["gemeente"]["niet_begrepen"] == 1 and vragen["gemeente"]["niet_begrepen_gesprekken"] == 1
    assert vragen["gemeente"]["opnieuw_gevraagd"] == 1
    assert vragen["gemeente"]["niet_begrepen_percentage"] == round(100 / 6, 1)
    assert vragen["leeftijd"]["onderbrekingen"]["waarom"] == 1 and vragen["leeftijd"]["opnieuw_gevraagd"] == 1
    # stop and delete at the story, the delete kept in the anonymous counts
    assert vragen["hulpvraag"]["onderbrekingen"]["stoppen"] == 1
    assert vragen["hulpvraag"]["onderbrekingen"]["wissen"] == 1
    assert all(
        n == 0
        for s, v in vragen.items()
        if s != "hulpvraag"
        for r, n in v["onderbrekingen"].items()
        if r in ("stoppen", "wissen")
    )
    assert data["intaketijd"]["aantal"] == 1 and data["intaketijd"]["mediaan_minuten"] is not None
    assert vragen["hulpvraag"]["mediaan_seconden"] is not None


def test_scoped_to_the_consultants_gemeenten(api):
    wacht_op(api, "/api/stats/funnel", lambda d: d["uitkomsten"]["verwijderd"] == 1)
    status, lisa = api("/api/stats/funnel", "lisa")
    assert status == 200
    # Lopik: only the deleted conversation, through its anonymous counts
    assert lisa["gesprekken"] == 1 and lisa["uitkomsten"]["verwijderd"] == 1 and lisa["uitkomsten"]["concept"] == 0
    status, fout = api("/api/stats/funnel?gemeente=Houten", "lisa")
    assert status == 403 and "gemeente" in fout["fout"]
    status, fout = api("/api/stats/funnel?van=gisteren")
    assert status == 400 and "jaar-maand-dag" in fout["fout"]
    status, houten = api("/api/stats/funnel?gemeente=Houten")
    assert houten["uitkomsten"]["concept"] == 1 and houten["uitkomsten"]["verwijderd"] == 0
    status, leeg = api("/api/stats/funnel?van=2000-01-01&tot=2000-12-31")
    assert status == 200 and leeg["gesprekken"] == 0


def test_no_text_of_the_inwoner_in_the_analysis_tables(gespeeld, api):
    assistant, g = gespeeld
    wacht_op(api, "/api/stats/funnel", lambda d: d["uitkomsten"]["verwijderd"] == 1)
    engine = make_engine(assistant.database_url)
    toegestaan = (
        set(STAPPEN)
        | {"buiten_intake", "gesprek"}
        | set(POLICY.gemeenten)
        | set(POLICY.resultaatgebieden)
        | set(UITKOMSTEN)
        | {f"uitkomst:{u}" for u in UITKOMSTEN}
        | {"bereikt", "beantwoord", "knop", "niet_begrepen", "niet_begrepen_gesprek", "opnieuw"}
        | {f"ob_{r}" for r in REDENEN}
        | {c.sender for c in g.values()}
    )
    tabellen = [t for t in inspect(engine).get_table_names() if t.startswith("analyse_")]
    assert {"analyse_gesprek", "analyse_vraag", "analyse_teller"} <= set(tabellen)
    with engine.connect() as conn:
        for tabel in tabellen:
            for rij in conn.execute(text(f"SELECT * FROM {tabel}")).mappings():
                for kolom, waarde in rij.items():
                    if isinstance(waarde, str) and kolom not in ("gestart", "laatste", "open_sinds", "dag", "besloten"):
                        assert waarde in toegestaan, (tabel, kolom, waarde)
                    for zin in GEZEGD:
                        assert zin.lower() not in str(waarde).lower(), (tabel, kolom)
        # the deleted conversation has no per-conversation rows left; the others have theirs
        ids = set(conn.execute(select(gesprek.c.conversation_id)).scalars())
    assert g["verwijderd"].sender not in ids
    assert {c.sender for k, c in g.items() if k != "verwijderd"} <= ids
