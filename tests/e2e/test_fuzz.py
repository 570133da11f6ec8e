"""1,000+ malformed and random messages through every way into the assistant: no server error, and
every server healthy afterwards. Seeded (tests/helpers/fuzz.py); the 10,000-message run is
tests/bench/bench_fuzz.py."""

from __future__ import annotations

import asyncio
import random
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
import socketio

from tests.helpers.fuzz import action_bodies, random_text, rest_bodies, socketio_polls, web_requests
from tests.helpers.webapp import running_webapp

pytestmark = pytest.mark.e2e

SEED = 20261124


def _request(url: str, body: bytes | None, headers: dict, method: str = "POST") -> int:
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def fuzz_all(assistant, rnd: random.Random, scale: int = 1, web: str | None = None) -> Counter:
    """Send everything; return a count of status codes per way in."""
    counts: Counter = Counter()
    if web is not None:
        for method, path, body, headers in web_requests(rnd, 200 * scale):
            url = web + urllib.parse.quote(path, safe="/")
            counts["web", _request(url, body if method == "POST" else None, headers, method)] += 1
    for body, headers in rest_bodies(rnd, 450 * scale):
        counts["rest", _request(f"{assistant.rasa_url}/webhooks/rest/webhook", body, headers)] += 1
    auth = {"Content-Type": "application/json", "Authorization": f"Bearer {assistant.actions_token}"}
    for i, body in enumerate(action_bodies(rnd, 250 * scale)):
        headers = auth if i % 2 else {"Content-Type": "application/json"}
        counts["acties", _request(f"{assistant.action_url}/webhook", body, headers)] += 1
    for method, query, body in socketio_polls(rnd, 200 * scale):
        url = f"{assistant.rasa_url}/socket.io/?{query}"
        counts["socketio", _request(url, body if method == "POST" else None, {}, method)] += 1
    counts.update(asyncio.run(_socketio_messages(assistant.rasa_url, rnd, 100 * scale)))
    return counts


async def _socketio_messages(url: str, rnd: random.Random, n: int) -> Counter:
    """Well-formed socket.io conversations with random text, as rasa-webchat would send them."""
    counts: Counter = Counter()
    per_client = 10
    for start in range(0, n, per_client):
        client = socketio.AsyncClient(reconnection=False)
        antwoorden: list = []
        sessie: list = []
        client.on("bot_uttered", antwoorden.append)
        client.on("session_confirm", sessie.append)
        await client.connect(url, transports=["polling"], socketio_path="/socket.io")
        await client.emit("session_request", {"session_id": f"fuzz-{rnd.randrange(10**9)}"})
        for _ in range(100):
            if sessie:
                break
            await asyncio.sleep(0.05)
        session_id = sessie[0] if sessie and isinstance(sessie[0], str) else (sessie[0] or {}).get("session_id")
        for _ in range(min(per_client, n - start)):
            voor = len(antwoorden)
            await client.emit("user_uttered", {"message": random_text(rnd), "session_id": session_id})
            for _ in range(100):
                if len(antwoorden) > voor:
                    break
                await asyncio.sleep(0.05)
            counts["socketio-bericht", "antwoord" if len(antwoorden) > voor else "stil"] += 1
        await client.disconnect()
    return counts


def test_a_thousand_malformed_and_random_messages_cause_no_server_error(assistant):
    with running_webapp(assistant.database_url, rasa_url=assistant.rasa_url) as web:
        counts = fuzz_all(assistant, random.Random(SEED), web=web)
        assert _request(f"{web}/health", None, {}, "GET") == 200
    assert sum(counts.values()) >= 1000
    errors = {k: v for k, v in counts.items() if isinstance(k[1], int) and k[1] >= 500}
    assert not errors, counts
    # the action server refuses everything without the secret, and never runs a broken call
    assert not any(way == "acties" and status == 200 for (way, status) in counts), counts
    # every server is still healthy and still holds a normal conversation
    assert _request(f"{assistant.action_url}/health", None, {}, "GET") == 200
    assert _request(f"{assistant.rasa_url}/status?token={assistant.token}", None, {}, "GET") == 200
    reply = assistant.send("na-fuzz", "Hallo")
    assert reply and "assistent" in reply[0]["text"]
