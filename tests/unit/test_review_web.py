"""Review pages and JSON API: sign-in, lockout, authorisation per role and gemeente, CSRF, editing
with audit and re-classification, the concurrent-edit conflict, every action, inert inwoner text."""

from __future__ import annotations

import asyncio
import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import Bericht, GebiedAntwoord
from actions.store.accounts import AccountStore
from actions.web.app import create_app
from actions.web.config import ACCOUNTS, STORE, Config

POLICY = load_policy()
PW = "een-lang-wachtwoord"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def seed(store):
    def intake(cid, gemeente, areas):
        return Intake(
            conversation_id=cid,
            toestemming=True,
            gemeente=gemeente,
            leeftijd=50,
            hulpvraag=XSS,
            resultaatgebieden=[GebiedAntwoord(code=a, type="ontwikkelen") for a in areas],
            afgerond=True,
            transcript=[Bericht(van="inwoner", tekst=XSS, stap="hulpvraag")],
        )

    ids = {}
    for cid, gemeente, areas in (("h1", "Houten", ["sociaal_functioneren"]), ("l1", "Lopik", ["zelfzorg_gezondheid"])):
        i = intake(cid, gemeente, areas)
        ids[cid] = store.submit(classify(i, POLICY), intake=i).id
    return ids


@pytest.fixture
def web(sqlite_url):
    """(run, client, ids, accounts): run(coro) executes against a live test server."""
    app = create_app(Config(database_url=sqlite_url, secure_cookies=False))
    accounts: AccountStore = app[ACCOUNTS]
    accounts.maak_gebruiker("anna", "consultant", ["Houten"], PW)
    accounts.maak_gebruiker("bert", "consultant", ["Houten"], PW)
    accounts.maak_gebruiker("lisa", "consultant", ["Lopik"], PW)
    accounts.maak_gebruiker("beheer", "admin", [], PW)
    ids = seed(app[STORE])
    loop = asyncio.new_event_loop()
    client = TestClient(TestServer(app), loop=loop)
    loop.run_until_complete(client.start_server())
    yield loop.run_until_complete, client, ids, accounts
    loop.run_until_complete(client.close())
    loop.close()


def new_client(client):
    return TestClient(TestServer(client.server.app), loop=client._loop)


async def login(client, naam, wachtwoord=PW):
    """Sign in like a browser: fetch the form (its token and cookie), then post it."""
    form = await client.get("/review/inloggen")
    token = re.search(r'name="inlog_csrf" value="([^"]+)"', await form.text()).group(1)
    cookie = form.cookies["lekstroom_inlog"].value
    return await client.post(
        "/review/inloggen",
        data={"naam": naam, "wachtwoord": wachtwoord, "inlog_csrf": token},
        cookies={"lekstroom_inlog": cookie},
        allow_redirects=False,
    )


async def csrf_of(client, path):
    html = await (await client.get(path)).text()
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1), html


def test_nothing_but_the_sign_in_page_without_signing_in(web):
    run, client, ids, _ = web
    for path in ("/review", f"/review/concepten/{ids['h1']}", "/review/overzicht"):
        r = run(client.get(path, allow_redirects=False))
        assert r.status == 303 and r.headers["Location"] == "/review/inloggen"
    assert run(client.get("/review/inloggen")).status == 200


def test_sign_in_sets_a_safe_session_cookie_and_sign_out_ends_it(sqlite_url):
    app = create_app(Config(database_url=sqlite_url, secure_cookies=True))
    app[ACCOUNTS].maak_gebruiker("anna", "consultant", ["Houten"], PW)

    async def scenario():
        async with TestClient(TestServer(app)) as client:
            r = await login(client, "anna")
            cookie = r.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie
            assert r.status == 303

    asyncio.run(scenario())


def test_wrong_password(web):
    # lockout and rate limits: tests/unit/test_web_veiligheid.py
    run, client, _, accounts = web
    r = run(login(client, "anna", "fout-wachtwoord"))
    assert r.status == 401 and "klopt niet" in run(r.text())
    assert run(login(client, "anna")).status == 303


def test_consultant_sees_only_own_gemeente(web):
    run, client, ids, _ = web
    run(login(client, "anna"))
    html = run((run(client.get("/review"))).text())
    assert ids["h1"] in html and ids["l1"] not in html
    assert run(client.get(f"/review/concepten/{ids['l1']}")).status == 403
    assert run(client.get(f"/review/concepten/{ids['h1']}")).status == 200


def test_admin_sees_all(web):
    run, client, ids, _ = web
    run(login(client, "beheer"))
    html = run((run(client.get("/review"))).text())
    assert ids["h1"] in html and ids["l1"] in html


def test_inwoner_text_renders_inert(web):
    run, client, ids, _ = web
    run(login(client, "anna"))
    html = run((run(client.get(f"/review/concepten/{ids['h1']}?transcript=1"))).text())
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    r = run(client.get("/review"))
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_post_without_csrf_is_refused(web):
    run, client, ids, _ = web
    run(login(client, "anna"))
    r = run(client.post(f"/review/concepten/{ids['h1']}/goedkeuren", data={"versie": "1"}))
    assert r.status == 403 and "verlopen" in run(r.text())
    assert "nieuw" in run((run(client.get(f"/review/concepten/{ids['h1']}"))).text())


def test_edit_reclassifies_and_is_audited(web):
    run, client, ids, _ = web
    run(login(client, "anna"))
    csrf, _ = run(csrf_of(client, f"/review/concepten/{ids['h1']}"))
    form = {
        "csrf": csrf,
        "versie": "1",
        "gemeente": "Houten",
        "leeftijd": "50",
        "prioriteit": "sociaal_functioneren",
        "gebied_sociaal_functioneren": "1",
        "type_sociaal_functioneren": "ontwikkelen",
        "gebied_daginvulling_zingeving": "1",
        "type_daginvulling_zingeving": "behouden",
        "gebied_zelfzorg_gezondheid": "1",
        "type_zelfzorg_gezondheid": "ontwikkelen",
        "omst_verslaving": "1",
        "duur": "10",
        "waarom": "Uit telefonisch gesprek",
    }
    r = run(client.post(f"/review/concepten/{ids['h1']}/wijzigen", data=form))
    html = run(r.text())
    assert r.status == 200 and "opnieuw ingedeeld" in html
    assert "TIO-34-ONT-PLUS" in html
    store = client.server.app[STORE]
    entry = store.audit(ids["h1"])[-1]
    assert (entry.wie, entry.actie, entry.waarom) == ("anna", "gewijzigd", "Uit telefonisch gesprek")
    assert entry.wijzigingen["verzwarende_omstandigheden"] == {"oud": [], "nieuw": ["verslaving"]}


def test_two_consultants_editing_at_once_get_a_clear_conflict(web):
    run, client, ids, _ = web
    other = new_client(client)
    run(other.start_server())
    run(login(client, "anna"))
    run(login(other, "bert"))
    csrf_a, _ = run(csrf_of(client, f"/review/concepten/{ids['h1']}"))
    csrf_b, _ = run(csrf_of(other, f"/review/concepten/{ids['h1']}"))
    r = run(client.post(f"/review/concepten/{ids['h1']}/nemen", data={"csrf": csrf_a, "versie": "1"}))
    assert r.status == 200
    r = run(other.post(f"/review/concepten/{ids['h1']}/goedkeuren", data={"csrf": csrf_b, "versie": "1"}))
    assert r.status == 409 and "collega heeft dit concept net veranderd" in run(r.text())
    assert client.server.app[STORE].get(ids["h1"]).status == "in_behandeling"
    run(other.close())


def test_take_approve_and_export(web):
    run, client, ids, _ = web
    run(login(client, "anna"))
    csrf, _ = run(csrf_of(client, f"/review/concepten/{ids['h1']}"))
    run(client.post(f"/review/concepten/{ids['h1']}/nemen", data={"csrf": csrf, "versie": "1"}))
    draft = client.server.app[STORE].get(ids["h1"])
    assert (draft.status, draft.toegewezen_aan) == ("in_behandeling", "anna")
    run(client.post(f"/review/concepten/{ids['h1']}/goedkeuren", data={"csrf": csrf, "versie": "2", "reden": "ok"}))
    assert client.server.app[STORE].get(ids["h1"]).status == "goedgekeurd"
    r = run(client.get(f"/review/concepten/{ids['h1']}/export.json"))
    data = run(r.json())
    assert data["indicatie"]["status"] == "goedgekeurd" and data["indicatie"]["product"]["code"]
    assert [e["actie"] for e in data["logboek"]] == ["ingediend", "in_behandeling_genomen", "goedgekeurd"]


def test_reject_and_return_need_a_reason(web):
    run, client, ids, _ = web
    run(login(client, "anna"))
    csrf, _ = run(csrf_of(client, f"/review/concepten/{ids['h1']}"))
    r = run(client.post(f"/review/concepten/{ids['h1']}/afwijzen", data={"csrf": csrf, "versie": "1", "reden": " "}))
    assert r.status == 400 and "reden" in run(r.text())
    run(
        client.post(
            f"/review/concepten/{ids['h1']}/terugsturen", data={"csrf": csrf, "versie": "1", "vraag": "Welke dag?"}
        )
    )
    assert client.server.app[STORE].get(ids["h1"]).status == "teruggestuurd"
    run(client.post(f"/review/concepten/{ids['h1']}/afwijzen", data={"csrf": csrf, "versie": "2", "reden": "Geen Wmo"}))
    assert client.server.app[STORE].get(ids["h1"]).status == "afgewezen"


def test_overview_has_charts_with_tables(web):
    run, client, _, _ = web
    run(login(client, "beheer"))
    html = run((run(client.get("/review/overzicht"))).text())
    assert html.count("<svg") >= 2 and "de cijfers bij de grafiek" in html and "Houten" in html


def test_api_needs_a_token_and_applies_the_same_authorisation(web):
    run, client, ids, accounts = web
    assert run(client.get("/api/drafts")).status == 401
    assert run(client.get("/api/drafts", headers={"Authorization": "Bearer onzin"})).status == 401
    token = accounts.maak_token("anna")
    auth = {"Authorization": f"Bearer {token}"}
    body = run(run(client.get("/api/drafts", headers=auth)).json())
    assert [d["id"] for d in body["items"]] == [ids["h1"]] and body["total"] == 1
    assert set(body["items"][0]) >= {"conversation_id", "resultaatgebieden", "onderbouwing", "policy", "status"}
    assert run(client.get(f"/api/drafts/{ids['l1']}", headers=auth)).status == 403
    one = run(run(client.get("/api/drafts?conversation_id=h1", headers=auth)).json())
    assert one["items"][0]["conversation_id"] == "h1"


def test_api_patch_and_actions(web):
    run, client, ids, accounts = web
    auth = {"Authorization": f"Bearer {accounts.maak_token('anna')}"}
    r = run(
        client.patch(
            f"/api/drafts/{ids['h1']}",
            headers=auth,
            json={
                "versie": 1,
                "waarom": "correctie",
                "verzwarende_omstandigheden": ["verslaving", "psychische_kwetsbaarheid"],
            },
        )
    )
    draft = run(r.json())
    assert r.status == 200 and draft["intensiteit"] == "plusplus" and draft["versie"] == 2
    r = run(client.post(f"/api/drafts/{ids['h1']}/approve", headers=auth, json={"versie": 1}))
    assert r.status == 409
    r = run(client.post(f"/api/drafts/{ids['h1']}/reject", headers=auth, json={"versie": 2}))
    assert r.status == 400
    r = run(client.post(f"/api/drafts/{ids['h1']}/return", headers=auth, json={"versie": 2, "reden": "vraag"}))
    assert run(r.json())["status"] == "teruggestuurd"
    r = run(client.post(f"/api/drafts/{ids['h1']}/approve", headers=auth, json={"versie": 3}))
    assert run(r.json())["status"] == "goedgekeurd"
    r = run(client.patch(f"/api/drafts/{ids['h1']}", headers=auth, data="geen json"))
    assert r.status == 400


def test_openapi_and_health(web):
    run, client, _, _ = web
    spec = run(run(client.get("/api/openapi.json")).json())
    assert "/api/drafts/{id}/approve" in spec["paths"]
    health = run(run(client.get("/health")).json())
    assert health["status"] == "ok" and health["policy"]["naam"] == "Regio Lekstroom"


def test_embed_snippet_page_and_health_reports_the_model(web):
    run, client, _, _ = web
    html = run(run(client.get("/insluiten")).text())
    assert "&lt;iframe src=" in html and 'title="Chat: hulp vragen bij uw gemeente"' in html.replace("&#34;", '"')
    health = run(run(client.get("/health")).json())
    assert health["model"] is None or len(health["model"]["data_hash"]) == 16
