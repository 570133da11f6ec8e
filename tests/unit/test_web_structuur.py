"""The web package's shape: no import cycle through app.py, one route table, settings only from
Config, one HTTP client session for the chat relay that lives and dies with the app."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from actions.classificatie import Intake, classify, load_policy
from actions.classificatie.model import GebiedAntwoord
from actions.store.accounts import Gebruiker
from actions.web import config as web_config
from actions.web.app import create_app
from actions.web.config import CONFIG, RASA_CLIENT, REVIEW, STORE, Config
from actions.web.routes import route_table

WEB_DIR = Path(web_config.__file__).parent
ENTRY_POINTS = {"__main__.py"}


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved inside actions.web)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["actions", "web"][: 3 - node.level] if node.level <= 2 else []
                prefix = ".".join([*base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            names.add(prefix)
            names.update(f"{prefix}.{a.name}" for a in node.names)  # `from . import app`
    return names


def test_only_the_entry_point_imports_app():
    offenders = [
        p.name
        for p in sorted(WEB_DIR.glob("*.py"))
        if p.name not in ENTRY_POINTS and p.name != "app.py" and "actions.web.app" in _imported_modules(p)
    ]
    assert offenders == [], f"these modules import actions.web.app (take Config/AppKeys from config.py): {offenders}"


def test_the_import_check_sees_relative_imports(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from .app import CONFIG\nfrom . import app\n")
    assert "actions.web.app" in _imported_modules(probe)


def test_only_config_reads_the_environment():
    readers = []
    for p in sorted(WEB_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
                if node.attr in ("environ", "getenv") and p.name != "config.py":
                    readers.append(p.name)
    assert readers == []


def _table() -> set[tuple[str, str]]:
    rows = set()
    for d in route_table():
        if isinstance(d, web.StaticDef):
            rows.add(("GET", d.prefix.rstrip("/")))
        else:
            rows.add((d.method, d.path))
    return rows


def test_every_route_comes_from_setup_routes(sqlite_url):
    app = create_app(Config(database_url=sqlite_url))
    registered = [(r.method, r.resource.canonical) for r in app.router.routes() if r.method != "HEAD"]
    assert len(registered) == len(set(registered)), "a route is registered twice"
    assert set(registered) == _table()
    assert {"/", "/chat/bericht", "/review", "/api/drafts", "/health", "/static"} <= {p for _, p in registered}


def test_security_headers_are_set_once_with_the_configured_frame_ancestors(sqlite_url):
    app = create_app(Config(database_url=sqlite_url, chat_frame_ancestors="https://www.houten.nl"))

    async def scenario():
        async with TestClient(TestServer(app)) as client:
            chat = await client.get("/")
            assert chat.headers.getall("Content-Security-Policy") == [
                chat.headers["Content-Security-Policy"]
            ]  # exactly one
            assert chat.headers["Content-Security-Policy"].endswith("frame-ancestors https://www.houten.nl")
            assert "X-Frame-Options" not in chat.headers
            review = await client.get("/review/inloggen")
            assert review.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
            assert review.headers["X-Frame-Options"] == "DENY"

    asyncio.run(scenario())


def test_config_from_env_has_safe_defaults_and_reads_the_settings():
    d = Config.from_env({})
    assert d.secure_cookies and d.rasa_url == "http://127.0.0.1:5005" and d.chat_frame_ancestors == "'self'"
    assert (d.host, d.port) == ("127.0.0.1", 8000)
    c = Config.from_env(
        {
            "LEKSTROOM_SECURE_COOKIES": "0",
            "LEKSTROOM_RASA_URL": "http://rasa:5005/",
            "LEKSTROOM_WEB_PORT": "8123",
            "LEKSTROOM_CHAT_FRAME_ANCESTORS": "https://a.nl",
        }
    )
    assert (c.secure_cookies, c.rasa_url, c.port, c.chat_frame_ancestors) == (
        False,
        "http://rasa:5005",
        8123,
        "https://a.nl",
    )


def test_chat_relay_reuses_one_client_session_and_closes_it_with_the_app(sqlite_url):
    peers = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response([{"recipient_id": body["sender"], "text": f"echo {body['message']}"}])

    rasa = web.Application()
    rasa.router.add_post("/webhooks/rest/webhook", webhook)

    async def scenario():
        async with TestServer(rasa) as fake_rasa:
            app = create_app(Config(database_url=sqlite_url, rasa_url=str(fake_rasa.make_url(""))))
            async with TestClient(TestServer(app)) as client:
                session = app[RASA_CLIENT]
                for tekst in ("hallo", "nog een"):
                    r = await client.post("/chat/bericht", json={"message": tekst})
                    assert r.status == 200 and (await r.json())[0]["text"] == f"echo {tekst}"
                    assert app[RASA_CLIENT] is session
                assert not session.closed
                assert len(set(peers)) == 1, "both messages went over one kept-alive connection"
            assert session.closed

    asyncio.run(scenario())


def test_chat_relay_answers_in_dutch_when_rasa_is_unreachable(sqlite_url):
    app = create_app(Config(database_url=sqlite_url, rasa_url="http://127.0.0.1:9"))

    async def scenario():
        async with TestClient(TestServer(app)) as client:
            r = await client.post("/chat/bericht", json={"message": "hoi"})
            assert r.status == 503 and "niet bereikbaar" in (await r.json())["fout"]

    asyncio.run(scenario())


def test_overview_figures_and_audit_log_come_through_the_review_service(sqlite_url):
    app = create_app(Config(database_url=sqlite_url))
    policy, review, store = load_policy(), app[REVIEW], app[STORE]
    assert app[CONFIG].database_url == sqlite_url
    ids = {}
    for cid, gemeente in (("h1", "Houten"), ("l1", "Lopik")):
        intake = Intake(
            conversation_id=cid,
            toestemming=True,
            gemeente=gemeente,
            leeftijd=50,
            hulpvraag="hulp",
            resultaatgebieden=[GebiedAntwoord(code="sociaal_functioneren", type="ontwikkelen")],
            afgerond=True,
        )
        ids[cid] = store.submit(classify(intake, policy), intake=intake).id
    admin = Gebruiker(naam="beheer", rol="admin", gemeenten=())
    anna = Gebruiker(naam="anna", rol="consultant", gemeenten=("Houten",))
    review.goedkeuren(anna, ids["h1"], 1, "ok")

    alles = review.cijfers(admin)
    assert dict(alles.per_gemeente) == {"Houten": 1, "Lopik": 1} and sum(n for _, n in alles.per_week) == 2
    assert len(alles.beslisuren) == 1 and alles.beslisuren[0] >= 0
    houten = review.cijfers(anna)
    assert dict(houten.per_gemeente) == {"Houten": 1}
    assert [e.actie for e in review.logboek(anna, ids["h1"])] == ["ingediend", "goedgekeurd"]
