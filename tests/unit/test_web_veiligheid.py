"""Issue 11, the web app: rate limits (memory and the real Redis), sign-in (same answer, a lockout
nobody can use against someone else, scrypt off the event loop, no cross-site sign-in), sender ids the
relay issues, bodies that are not JSON objects, security headers and no-store on every response,
API tokens that expire and can be revoked, control characters made visible."""

from __future__ import annotations

import asyncio
import hashlib
import re
import statistics
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from actions import cli
from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import Bericht
from actions.store.schema import api_tokens
from actions.web.app import create_app
from actions.web.chat import gesprek_van, teken_gesprek
from actions.web.config import ACCOUNTS, CONFIG, STORE, WEB_LIMIETEN, Config
from actions.web.limieten import GeheugenTeller, Limieten, RedisTeller, Regel, adres_van
from actions.web.tekens import neutraliseer

POLICY = load_policy()
PW = "een-lang-wachtwoord"
REDIS = "redis://127.0.0.1:6379/0"
PROXY = frozenset({"127.0.0.1"})


def limieten(**wijzig: Regel) -> dict:
    return {**WEB_LIMIETEN, **wijzig}


def maak_app(sqlite_url, **config):
    config.setdefault("secure_cookies", False)
    app = create_app(Config(database_url=sqlite_url, **config))
    app[ACCOUNTS].maak_gebruiker("anna", "consultant", ["Houten"], PW)
    return app


def draai(app, scenario):
    async def main():
        async with TestClient(TestServer(app)) as client:
            await scenario(client)

    asyncio.run(main())


async def inloggen(client, naam, wachtwoord=PW, adres=None, **extra):
    form = await client.get("/review/inloggen")
    token = re.search(r'name="inlog_csrf" value="([^"]+)"', await form.text()).group(1)
    headers = {"X-Forwarded-For": adres} if adres else {}
    return await client.post(
        "/review/inloggen",
        data={"naam": naam, "wachtwoord": wachtwoord, "inlog_csrf": extra.pop("token", token)},
        cookies={"lekstroom_inlog": form.cookies["lekstroom_inlog"].value},
        headers={**headers, **extra.pop("headers", {})},
        allow_redirects=False,
    )


def zonder_naam(html: str, naam: str) -> str:
    html = re.sub(r'name="inlog_csrf" value="[^"]+"', "", html)
    return html.replace(f'value="{naam}"', 'value=""')


# -- rate limits themselves ----------------------------------------------------------------------------


@pytest.mark.parametrize("soort", ["geheugen", "redis"])
def test_a_rule_refuses_the_hit_after_its_number_and_says_how_long_to_wait(soort):
    prefix = f"test:{uuid.uuid4().hex}"

    async def main():
        # two Limieten on one Redis are two processes (two web apps, two Rasa servers): they share counts
        teller_a = RedisTeller(REDIS) if soort == "redis" else GeheugenTeller()
        teller_b = RedisTeller(REDIS) if soort == "redis" else teller_a
        a = Limieten({"r": Regel(3, 60)}, teller_a, prefix)
        b = Limieten({"r": Regel(3, 60)}, teller_b, prefix)
        assert [await a.raak("r", "x"), await b.raak("r", "x"), await a.raak("r", "x")] == [None, None, None]
        wacht = await b.raak("r", "x")
        assert wacht is not None and 1 <= wacht <= 60
        assert await a.raak("r", "y") is None, "another key has its own count"
        assert await a.stand("r", "x") is not None
        await b.wis("r", "x")
        assert await a.raak("r", "x") is None, "forgotten in every process"

    asyncio.run(main())


def test_redis_keys_hold_no_address_and_the_window_expires():
    import redis

    prefix = f"test:{uuid.uuid4().hex}"

    async def main():
        lim = Limieten({"r": Regel(1, 1)}, RedisTeller(REDIS), prefix)
        assert await lim.raak("r", "203.0.113.9") is None
        assert await lim.raak("r", "203.0.113.9") is not None
        keys = redis.Redis.from_url(REDIS).keys(f"{prefix}:*")
        assert keys and not any(b"203.0.113.9" in k for k in keys)
        await asyncio.sleep(2.1)
        assert await lim.raak("r", "203.0.113.9") is None

    asyncio.run(main())


def test_unreachable_redis_lets_requests_through():
    async def main():
        lim = Limieten({"r": Regel(1, 60)}, RedisTeller("redis://127.0.0.1:9/0"), "test")
        assert await lim.raak("r", "x") is None and await lim.raak("r", "x") is None

    asyncio.run(main())


def test_forwarded_address_is_believed_only_from_a_trusted_proxy():
    assert adres_van("203.0.113.1", "198.51.100.7", PROXY) == "203.0.113.1"
    assert adres_van("127.0.0.1", "198.51.100.7", PROXY) == "198.51.100.7"
    assert adres_van("127.0.0.1", "1.2.3.4, 198.51.100.7, 127.0.0.1", PROXY) == "198.51.100.7"
    assert adres_van("127.0.0.1", None, PROXY) == "127.0.0.1"


# -- sign-in -------------------------------------------------------------------------------------------


def test_real_and_unknown_names_get_the_same_answer_in_similar_time(sqlite_url):
    app = maak_app(sqlite_url)

    async def scenario(client):
        antwoorden, tijden = {}, {"anna": [], "niemand": []}
        for _ in range(4):
            for naam in ("anna", "niemand"):
                t = time.perf_counter()
                r = await inloggen(client, naam, "fout-wachtwoord")
                tijden[naam].append(time.perf_counter() - t)
                antwoorden[naam] = (r.status, zonder_naam(await r.text(), naam))
        assert antwoorden["anna"] == antwoorden["niemand"]
        assert antwoorden["anna"][0] == 401 and "Naam of wachtwoord klopt niet." in antwoorden["anna"][1]
        echt, onbekend = statistics.median(tijden["anna"]), statistics.median(tijden["niemand"])
        assert 0.5 < echt / onbekend < 2, (echt, onbekend)

    draai(app, scenario)


def test_failures_stop_only_that_name_from_that_address_and_nobody_can_lock_anna_out(sqlite_url):
    app = maak_app(sqlite_url, vertrouwde_proxies=PROXY)
    aanvaller, anna_thuis = "198.51.100.66", "203.0.113.10"

    async def scenario(client):
        for _ in range(5):
            assert (await inloggen(client, "anna", "geraden", adres=aanvaller)).status == 401
        for naam in ("anna", "niemand"):  # the same for a name that does not exist: nothing to learn
            for _ in range(5):
                await inloggen(client, "niemand", "geraden", adres=aanvaller)
            r = await inloggen(client, naam, PW if naam == "anna" else "x", adres=aanvaller)
            assert r.status == 429 and 1 <= int(r.headers["Retry-After"]) <= 900
            assert "te vaak geprobeerd" in await r.text() and "Probeer het over" in await r.text()
        # anna at her own address still gets in, with her right password
        r = await inloggen(client, "anna", PW, adres=anna_thuis)
        assert r.status == 303 and "lekstroom_sessie" in r.cookies

    draai(app, scenario)


def test_many_failures_from_everywhere_slow_a_name_down_but_do_not_lock_it(sqlite_url):
    app = maak_app(sqlite_url, vertrouwde_proxies=PROXY, limieten=limieten(inloggen_account=Regel(3, 3600)))

    async def scenario(client):
        for i in range(3):
            await inloggen(client, "anna", "geraden", adres=f"198.51.100.{i}")
        t = time.perf_counter()
        r = await inloggen(client, "anna", PW, adres="203.0.113.10")
        assert r.status == 303, "slowed down, never locked"
        assert time.perf_counter() - t >= 1.9

    draai(app, scenario)


def test_a_successful_sign_in_forgets_the_earlier_typos(sqlite_url):
    app = maak_app(sqlite_url)

    async def scenario(client):
        for _ in range(4):
            assert (await inloggen(client, "anna", "tikfout")).status == 401
        assert (await inloggen(client, "anna")).status == 303
        for _ in range(4):
            assert (await inloggen(client, "anna", "tikfout")).status == 401
        assert (await inloggen(client, "anna")).status == 303

    draai(app, scenario)


def test_sign_in_attempts_per_address_are_limited(sqlite_url):
    app = maak_app(sqlite_url, limieten=limieten(inloggen_adres=Regel(3, 300)))

    async def scenario(client):
        statussen = [(await inloggen(client, f"naam{i}", "x")).status for i in range(4)]
        assert statussen == [401, 401, 401, 429]

    draai(app, scenario)


def test_health_stays_fast_while_sign_ins_run(sqlite_url):
    app = maak_app(sqlite_url, limieten=limieten(inloggen_adres=Regel(1000, 300)))

    async def scenario(client):
        form = await client.get("/review/inloggen")
        token = re.search(r'name="inlog_csrf" value="([^"]+)"', await form.text()).group(1)
        cookie = {"lekstroom_inlog": form.cookies["lekstroom_inlog"].value}

        async def poging(i):
            data = {"naam": f"naam{i}", "wachtwoord": "x", "inlog_csrf": token}
            return (await client.post("/review/inloggen", data=data, cookies=cookie)).status

        pogingen = [asyncio.create_task(poging(i)) for i in range(12)]
        await asyncio.sleep(0.05)
        traagste = 0.0
        while not all(p.done() for p in pogingen):
            t = time.perf_counter()
            assert (await client.get("/health")).status == 200
            traagste = max(traagste, time.perf_counter() - t)
            await asyncio.sleep(0.02)
        assert set(await asyncio.gather(*pogingen)) == {401}
        # 12 scrypt hashes on the event loop would stall /health for about 12 x 0.1-0.2 s
        assert traagste < 0.35, traagste

    draai(app, scenario)


def test_a_cross_site_sign_in_post_is_refused(sqlite_url):
    app = maak_app(sqlite_url)

    async def scenario(client):
        # a form on another site: no token, no cookie (SameSite=Strict), right password
        r = await client.post("/review/inloggen", data={"naam": "anna", "wachtwoord": PW}, allow_redirects=False)
        assert r.status == 403 and "lekstroom_sessie" not in r.cookies
        assert "niet van deze site" in await r.text()
        for headers in ({"Origin": "https://kwaadaardig.example"}, {"Sec-Fetch-Site": "cross-site"}):
            r = await inloggen(client, "anna", headers=headers)
            assert r.status == 403 and "lekstroom_sessie" not in r.cookies
        r = await inloggen(client, "anna", token="verzonnen")
        assert r.status == 403
        # an opaque origin says nothing either way: a forged form with it still lacks the token and cookie
        r = await client.post(
            "/review/inloggen",
            data={"naam": "anna", "wachtwoord": PW},
            headers={"Origin": "null"},
            allow_redirects=False,
        )
        assert r.status == 403
        r = await inloggen(client, "anna", headers={"Origin": str(client.make_url("")).rstrip("/")})
        assert r.status == 303
        # what Chromium sends from our own form under Referrer-Policy: no-referrer
        r = await inloggen(client, "anna", headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"})
        assert r.status == 303

    draai(app, scenario)


# -- chat relay: ids, shape, limits --------------------------------------------------------------------


class NepRasa:
    """A REST endpoint that records what the relay forwards (the real Rasa channel: test_rasa_kanalen.py)."""

    def __init__(self, antwoord=None):
        self.ontvangen = []
        self.antwoord = antwoord
        self.app = web.Application()
        self.app.router.add_post("/webhooks/rest/webhook", self.webhook)

    async def webhook(self, request):
        body = await request.json()
        self.ontvangen.append((body["sender"], body["message"], request.headers.get("X-Forwarded-For")))
        extra = self.antwoord(body) if self.antwoord else {}
        return web.json_response([{"recipient_id": body["sender"], "text": f"echo {body['message']}", **extra}])


def relay_scenario(sqlite_url, scenario, rasa=None, **config):
    rasa = rasa or NepRasa()

    async def main():
        async with TestServer(rasa.app) as nep:
            app = create_app(Config(database_url=sqlite_url, rasa_url=str(nep.make_url("")), **config))
            async with TestClient(TestServer(app)) as client:
                await scenario(client, rasa, app)

    asyncio.run(main())


def test_the_relay_issues_the_conversation_id_and_never_takes_one_from_the_client(sqlite_url):
    async def scenario(client, rasa, app):
        r = await client.post("/chat/bericht", json={"sender": "12345678", "message": "hallo"})
        assert r.status == 200
        token = r.headers["X-Lekstroom-Gesprek"]
        eerste = rasa.ontvangen[-1][0]
        assert eerste != "12345678" and len(eerste) >= 32 and gesprek_van(app[CONFIG].geheim, token) == eerste
        # the issued id, sent back, keeps the conversation
        await client.post("/chat/bericht", json={"gesprek": token, "message": "verder"})
        assert rasa.ontvangen[-1][0] == eerste
        # an id the client made up, or one signed with another key, never reaches another conversation
        for verzonnen in ("12345678", f"{eerste}.{'0' * 32}", teken_gesprek("ander-geheim", eerste), f"{eerste}"):
            r = await client.post("/chat/bericht", json={"gesprek": verzonnen, "sender": eerste, "message": "hoi"})
            assert r.status == 200 and rasa.ontvangen[-1][0] not in (eerste, "12345678")
            assert r.headers["X-Lekstroom-Gesprek"] != token
        # two browsers, two conversations
        a = (await client.post("/chat/bericht", json={"message": "a"})).headers["X-Lekstroom-Gesprek"]
        b = (await client.post("/chat/bericht", json={"message": "b"})).headers["X-Lekstroom-Gesprek"]
        assert a != b

    relay_scenario(sqlite_url, scenario)


def test_after_delete_everything_the_relay_starts_a_new_conversation(sqlite_url):
    rasa = NepRasa(lambda body: {"custom": {"gewist": True}} if body["message"] == "/delete_data" else {})

    async def scenario(client, rasa, app):
        token = (await client.post("/chat/bericht", json={"message": "hallo"})).headers["X-Lekstroom-Gesprek"]
        na = (await client.post("/chat/bericht", json={"gesprek": token, "message": "/delete_data"})).headers
        await client.post("/chat/bericht", json={"gesprek": na["X-Lekstroom-Gesprek"], "message": "hallo"})
        assert rasa.ontvangen[0][0] == rasa.ontvangen[1][0] != rasa.ontvangen[2][0]

    relay_scenario(sqlite_url, scenario, rasa)


def test_ids_and_tokens_with_odd_characters_are_refused_not_crashed(sqlite_url):
    async def scenario(client, rasa, app):
        for gesprek in ("é.é", "\ud800.x", "a" * 5000, 12, ["x"], {"a": 1}):
            r = await client.post("/chat/bericht", json={"gesprek": gesprek, "message": "hoi"})
            assert r.status == 200 and rasa.ontvangen[-1][0] != gesprek
        r = await client.post(
            "/review/inloggen",
            data={"naam": "anna", "wachtwoord": "x", "inlog_csrf": "é"},
            cookies={"lekstroom_inlog": "ü"},
        )
        assert r.status == 403

    relay_scenario(sqlite_url, scenario)


@pytest.mark.parametrize("body", [b"[]", b'"tekst"', b"null", b"12", b"{kapot", b"\xff\xfe", b'{"message": 5}', b""])
def test_the_relay_answers_a_body_that_is_not_a_message_with_a_dutch_400(sqlite_url, body):
    async def scenario(client, rasa, app):
        r = await client.post("/chat/bericht", data=body, headers={"Content-Type": "application/json"})
        assert r.status == 400 and (await r.json())["fout"] == "Het bericht kon niet gelezen worden."
        assert rasa.ontvangen == []

    relay_scenario(sqlite_url, scenario)


def test_the_relay_limits_per_conversation_and_per_address_with_a_dutch_429(sqlite_url):
    async def scenario(client, rasa, app):
        token = (await client.post("/chat/bericht", json={"message": "1"})).headers["X-Lekstroom-Gesprek"]
        statussen = [
            (await client.post("/chat/bericht", json={"gesprek": token, "message": "x"})).status for _ in range(3)
        ]
        assert statussen == [200, 200, 429]
        r = await client.post("/chat/bericht", json={"gesprek": token, "message": "x"})
        assert "Wacht even" in (await r.json())["fout"] and int(r.headers["Retry-After"]) >= 1
        # another conversation from the same address still works, until the address's limit
        assert (await client.post("/chat/bericht", json={"message": "a"})).status == 200
        assert (await client.post("/chat/bericht", json={"message": "b"})).status == 200
        assert (await client.post("/chat/bericht", json={"message": "c"})).status == 429
        # from another address (behind a trusted proxy) it is a fresh count; Rasa hears that address
        r = await client.post("/chat/bericht", json={"message": "d"}, headers={"X-Forwarded-For": "203.0.113.5"})
        assert r.status == 200 and rasa.ontvangen[-1][2] == "203.0.113.5"
        assert len(rasa.ontvangen) == 6, "a refused message is not forwarded"

    relay_scenario(
        sqlite_url,
        scenario,
        vertrouwde_proxies=PROXY,
        limieten=limieten(chat_gesprek=Regel(3, 60), chat_adres=Regel(7, 60)),
    )


def test_the_relay_limit_is_shared_through_redis_by_two_web_apps(sqlite_url):
    prefix = f"test:{uuid.uuid4().hex}"
    rasa = NepRasa()

    async def main():
        async with TestServer(rasa.app) as nep:
            config = dict(
                database_url=sqlite_url,
                rasa_url=str(nep.make_url("")),
                redis_url=REDIS,
                limiet_voorvoegsel=prefix,
                geheim="gedeeld",
                limieten=limieten(chat_gesprek=Regel(2, 60)),
            )
            a, b = create_app(Config(**config)), create_app(Config(**config))
            async with TestClient(TestServer(a)) as ca, TestClient(TestServer(b)) as cb:
                token = (await ca.post("/chat/bericht", json={"message": "1"})).headers["X-Lekstroom-Gesprek"]
                assert (await cb.post("/chat/bericht", json={"gesprek": token, "message": "2"})).status == 200
                assert (await ca.post("/chat/bericht", json={"gesprek": token, "message": "3"})).status == 429

    asyncio.run(main())


# -- headers, no-store, errors -------------------------------------------------------------------------


def _heeft_koppen(r):
    h = r.headers
    assert "frame-ancestors" in h.get("Content-Security-Policy", ""), r
    assert h.get("X-Content-Type-Options") == "nosniff", r
    assert h.get("Referrer-Policy") == "no-referrer", r
    assert "Server" not in h, r  # no software name and version to look up known flaws for


def test_security_headers_and_no_store_on_every_response_including_errors(sqlite_url):
    app = create_app(Config(database_url=sqlite_url, secure_cookies=False))

    async def kapot(request):
        raise RuntimeError("geheime details die niemand mag zien")

    app.router.add_get("/kapot", kapot)
    app[ACCOUNTS].maak_gebruiker("anna", "consultant", ["Houten"], PW)
    i = Intake(conversation_id="c1", toestemming=True, gemeente="Lopik", leeftijd=50, afgerond=True)
    lopik = app[STORE].submit(classify(i, POLICY), intake=i).id

    async def scenario(client):
        gevallen = {
            303: await client.get("/review", allow_redirects=False),
            404: await client.get("/bestaat-niet"),
            405: await client.put("/health"),
            500: await client.get("/kapot"),
            401: await client.get("/api/drafts"),
            413: await client.post("/review/inloggen", data={"naam": "x" * 300_000}),
        }
        assert (await inloggen(client, "anna")).status == 303
        gevallen[403] = await client.get(f"/review/concepten/{lopik}")
        gevallen[200] = await client.get("/review")
        for status, r in gevallen.items():
            assert r.status == status
            _heeft_koppen(r)
            assert r.headers.get("Cache-Control") == "no-store", status
        assert "X-Frame-Options" in gevallen[404].headers
        tekst = await gevallen[500].text()
        assert "geheime details" not in tekst and "Traceback" not in tekst and "Er ging bij ons iets mis" in tekst
        assert "bestaat niet" in await gevallen[404].text()
        assert "Wat u stuurde is te groot." in await gevallen[413].text()
        static = await client.get("/static/chat.css")
        _heeft_koppen(static)

    draai(app, scenario)


# -- API tokens ----------------------------------------------------------------------------------------


def test_api_tokens_expire_and_can_be_revoked_with_the_command(sqlite_url, capsys, monkeypatch):
    app = maak_app(sqlite_url, limieten=limieten())
    accounts = app[ACCOUNTS]
    vers, oud, ander = (
        accounts.maak_token("anna"),
        accounts.maak_token("anna"),
        accounts.maak_token("anna", "koppeling"),
    )
    with app[STORE].engine.begin() as conn:
        conn.execute(
            update(api_tokens)
            .where(api_tokens.c.omschrijving == "api")
            .where(api_tokens.c.token_hash == hashlib.sha256(oud.encode()).hexdigest())
            .values(aangemaakt=datetime.now(timezone.utc) - timedelta(days=91))
        )

    async def status(client, token):
        r = await client.get("/api/drafts", headers={"Authorization": f"Bearer {token}"})
        assert r.headers.get("Cache-Control") == "no-store"
        return r.status

    async def scenario(client):
        assert [await status(client, t) for t in (vers, oud, ander)] == [200, 401, 200]
        db = ["--database", sqlite_url]
        assert cli.main([*db, "token", "lijst", "anna"]) == 0
        assert "geldig tot" in capsys.readouterr().out
        monkeypatch.setenv("LEKSTROOM_TOKEN", ander)
        assert cli.main([*db, "token", "intrekken", "--token"]) == 0
        assert "ingetrokken" in capsys.readouterr().out
        assert [await status(client, t) for t in (vers, ander)] == [200, 401]
        assert cli.main([*db, "token", "intrekken", "anna"]) == 0
        assert await status(client, vers) == 401
        assert cli.main([*db, "token", "intrekken", "--token"]) == 2, "already revoked: a clear error"
        assert "bestaat niet" in capsys.readouterr().err

    draai(app, scenario)


def test_api_is_rate_limited_per_address(sqlite_url):
    app = maak_app(sqlite_url, limieten=limieten(api_adres=Regel(2, 60)))
    token = app[ACCOUNTS].maak_token("anna")

    async def scenario(client):
        h = {"Authorization": f"Bearer {token}"}
        statussen = [(await client.get("/api/drafts", headers=h)).status for _ in range(3)]
        assert statussen == [200, 200, 429]
        r = await client.get("/api/drafts", headers=h)
        assert "te veel verzoeken" in (await r.json())["fout"] and r.headers["Retry-After"]
        _heeft_koppen(r)

    draai(app, scenario)


# -- control characters --------------------------------------------------------------------------------

GEVAARLIJK = "ik woon in Houten\u202e netnetnet\u2066x\u2069 \x1b[31mrood\x00 en\u200b klaar"


def test_neutraliseer_makes_every_invisible_character_visible_and_keeps_the_rest():
    assert neutraliseer(GEVAARLIJK) == (
        "ik woon in Houten[U+202E] netnetnet[U+2066]x[U+2069] [U+001B][31mrood[U+0000] en[U+200B] klaar"
    )
    gewoon = "Één café, naïef; regel 1\nregel 2\t👨\u200d👩\u200d👧 ü"
    assert neutraliseer(gewoon) == gewoon


def test_control_characters_are_shown_visibly_on_the_review_page_and_in_the_api(sqlite_url):
    app = maak_app(sqlite_url)
    i = Intake(
        conversation_id="c-bidi",
        toestemming=True,
        gemeente="Houten",
        leeftijd=50,
        hulpvraag=GEVAARLIJK,
        afgerond=True,
        transcript=[Bericht(van="inwoner", tekst=GEVAARLIJK, stap="hulpvraag")],
    )
    draft_id = app[STORE].submit(classify(i, POLICY), intake=i).id
    assert app[STORE].get(draft_id) is not None
    token = app[ACCOUNTS].maak_token("anna")

    async def scenario(client):
        assert (await inloggen(client, "anna")).status == 303
        html = await (await client.get(f"/review/concepten/{draft_id}?transcript=1")).text()
        assert "[U+202E]" in html and "[U+001B]" in html
        assert not any(t in html for t in ("\u202e", "\u2066", "\x1b", "\x00", "\u200b"))
        data = await (await client.get(f"/api/drafts/{draft_id}", headers={"Authorization": f"Bearer {token}"})).text()
        assert "[U+202E]" in data and "\\u202e" not in data.lower()

    draai(app, scenario)
