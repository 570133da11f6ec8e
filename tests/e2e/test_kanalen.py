"""Issue 11, Rasa's ways in (actions/rasa_channels.py) against the real Rasa and action servers:
size limits with a Dutch reply and nothing stored, a Dutch 400 for bodies that are not JSON objects
(never HTTP 500), rate limits with 429 + Retry-After, no message text in Rasa's log, and socket.io
session ids that the server issues and binds to one socket."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import socketio

pytestmark = pytest.mark.e2e


def post(assistant, body: bytes, headers=None):
    req = urllib.request.Request(
        f"{assistant.rasa_url}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.load(resp), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null"), err.headers


def user_texts(assistant, sender):
    return [e.get("text") for e in assistant.tracker(sender)["events"] if e["event"] == "user"]


def rasa_log(assistant) -> str:
    workdir = getattr(assistant, "log_dir", None) or Path(assistant.database_url.removeprefix("sqlite:///")).parent
    logs = sorted(Path(workdir).glob("rasa*.log"))
    assert logs, f"no Rasa log in {workdir}"
    return "".join(log.read_text(errors="replace") for log in logs)


def test_an_over_long_rest_message_gets_a_dutch_reply_and_nothing_is_stored(assistant):
    sender = f"lang-{uuid.uuid4().hex[:8]}"
    merk = "OVERLANGMERK"
    for tekst in (merk + "x" * 100_000, merk + "y" * 1001):
        status, antwoord, _ = post(assistant, json.dumps({"sender": sender, "message": tekst}).encode())
        assert status == 413
        assert "te lang" in antwoord[0]["text"] and "1000 tekens" in antwoord[0]["text"]
    assert user_texts(assistant, sender) == []
    assert merk not in rasa_log(assistant)
    # a short message with a huge body (metadata or padding) is refused as well
    status, antwoord, _ = post(
        assistant, json.dumps({"sender": sender, "message": "hoi", "metadata": {"x": merk * 5000}}).encode()
    )
    assert status == 413 and "te groot" in antwoord[0]["text"]
    status, antwoord, _ = post(
        assistant, json.dumps({"sender": sender, "message": "hoi", "metadata": {"x": "m" * 5000}}).encode()
    )
    assert status == 400
    assert user_texts(assistant, sender) == []
    # exactly 1000 characters is still a message
    status, _, _ = post(assistant, json.dumps({"sender": sender, "message": "a" * 1000}).encode())
    assert status == 200 and user_texts(assistant, sender) == ["a" * 1000]


@pytest.mark.parametrize(
    "body",
    [b"[]", b'"Hallo"', b"null", b"42", b"{kapot", b"\xff\xfe\x00", b"", b'{"sender": 5, "message": "hoi"}',
     b'{"sender": "a", "message": ["hoi"]}', b'{"sender": "a", "message": "hoi", "metadata": "x"}',
     b'{"message": "hoi"}', json.dumps({"sender": "s" * 200, "message": "hoi"}).encode()],
)  # fmt: skip
def test_a_rest_body_that_is_not_a_message_gets_a_dutch_400(assistant, body):
    status, antwoord, _ = post(assistant, body)
    assert status == 400 and "kon niet gelezen worden" in antwoord["fout"]


def test_the_rest_channel_limits_a_conversation_behind_the_relay_with_429(assistant):
    sender = f"snel-{uuid.uuid4().hex[:8]}"
    via_relay = {"X-Forwarded-For": "198.51.100.23"}  # what the web chat's relay sends for an inwoner
    statussen = []
    for i in range(31):
        status, antwoord, headers = post(
            assistant, json.dumps({"sender": sender, "message": f"hoi {i}"}).encode(), via_relay
        )
        statussen.append(status)
    assert statussen == [200] * 30 + [429]
    assert "Wacht even" in antwoord[0]["text"] and 1 <= int(headers["Retry-After"]) <= 60
    assert len(user_texts(assistant, sender)) == 30, "the refused message is not stored"
    # a local caller that no proxy speaks for (tests, benchmark) is not limited
    status, _, _ = post(assistant, json.dumps({"sender": sender, "message": "nog eentje"}).encode())
    assert status == 200


async def _client(assistant, headers=None):
    ontvangen, sessie = [], asyncio.get_running_loop().create_future()
    sio = socketio.AsyncClient(reconnection=False)
    sio.on("bot_uttered", lambda data: ontvangen.append(data))
    sio.on("session_confirm", lambda s: sessie.done() or sessie.set_result(s))
    await sio.connect(assistant.rasa_url, socketio_path="/socket.io", transports=["polling"], headers=headers or {})
    return sio, ontvangen, sessie


async def _wacht_op(lijst, n=1, seconden=30.0):
    for _ in range(int(seconden * 10)):
        if len(lijst) >= n:
            return
        await asyncio.sleep(0.1)


def test_socketio_session_ids_are_issued_by_the_server_and_bound_to_one_socket(assistant):
    async def main():
        a, van_a, sessie_a = await _client(assistant)
        b, van_b, sessie_b = await _client(assistant)
        c, van_c, sessie_c = await _client(assistant)
        try:
            await a.emit("session_request", {"session_id": "12345678"})
            id_a = await asyncio.wait_for(sessie_a, 10)
            assert id_a != "12345678" and len(id_a) >= 32, "a made-up id is replaced by one the server issues"
            # b asks for a's id: it gets its own, and a message it sends with a's id stays in its own conversation
            await b.emit("session_request", {"session_id": id_a})
            id_b = await asyncio.wait_for(sessie_b, 10)
            assert id_b != id_a
            await b.emit("user_uttered", {"message": "Hallo", "session_id": id_a})
            await _wacht_op(van_b)
            assert van_b, "b gets the answer to its own message"
            await asyncio.sleep(1.0)
            assert van_a == [], "a receives nothing of b's conversation"
            await a.emit("user_uttered", {"message": "Hallo", "session_id": id_a})
            await _wacht_op(van_a)
            aantal_b = len(van_b)
            await asyncio.sleep(1.0)
            assert van_a and len(van_b) == aantal_b, "b receives nothing of a's conversation"
            # an over-long message: a Dutch reply, nothing stored
            await c.emit("session_request", {})
            id_c = await asyncio.wait_for(sessie_c, 10)
            await c.emit("user_uttered", {"message": "LANGMERK" + "z" * 5000, "session_id": id_c})
            await _wacht_op(van_c)
            assert "te lang" in van_c[0]["text"]
        finally:
            for s in (a, b, c):
                await s.disconnect()
        assert user_texts(assistant, id_a) == ["Hallo"] and user_texts(assistant, id_b) == ["Hallo"]
        assert user_texts(assistant, id_c) == []

    asyncio.run(main())


def test_socketio_reconnect_keeps_the_issued_session(assistant):
    async def main():
        a, _, sessie_a = await _client(assistant)
        await a.emit("session_request", {})
        id_a = await asyncio.wait_for(sessie_a, 10)
        await a.disconnect()
        await asyncio.sleep(0.5)
        b, van_b, sessie_b = await _client(assistant)
        try:
            await b.emit("session_request", {"session_id": id_a})
            assert await asyncio.wait_for(sessie_b, 10) == id_a, (
                "the same browser, reconnecting, keeps its conversation"
            )
            await b.emit("user_uttered", {"message": "Hallo", "session_id": "iets-anders"})
            await _wacht_op(van_b)
            assert van_b
        finally:
            await b.disconnect()
        assert user_texts(assistant, id_a) == ["Hallo"]

    asyncio.run(main())


def test_socketio_messages_behind_a_proxy_are_rate_limited(assistant):
    async def main():
        a, van_a, sessie_a = await _client(assistant, headers={"X-Forwarded-For": "198.51.100.77"})
        try:
            await a.emit("session_request", {})
            id_a = await asyncio.wait_for(sessie_a, 10)
            for i in range(31):
                await a.emit("user_uttered", {"message": f"hoi {i}"})
                await asyncio.sleep(0.1)  # polling: one message per request, not one batch
            for _ in range(1200):  # the 30 allowed ones are answered one after the other
                if len(user_texts(assistant, id_a)) >= 30:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)
        finally:
            await a.disconnect()
        assert any("Wacht even" in (m.get("text") or "") for m in van_a)
        assert len(user_texts(assistant, id_a)) == 30

    asyncio.run(main())
