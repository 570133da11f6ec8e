"""Malformed and random input for every way in (used by tests/e2e/test_fuzz.py and the 10,000-message
benchmark tests/bench/bench_fuzz.py). Seeded, so a failure can be replayed."""

from __future__ import annotations

import json
import random
import string
from typing import Any, Dict, Iterator, Tuple

NASTY = [
    "",
    " ",
    "\x00",
    "\u202etxet kcab\u202c",  # right-to-left override
    "\u200b\u200b",
    "💥" * 50,
    "<script>alert(1)</script>",
    "'; DROP TABLE drafts; --",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "/restart",
    "/affirm",
    '/inform{"gemeente": "Lopik"}',
    "/session_start",
    "\\x41" * 10,
    "Ik ben 40\r\n\r\nHTTP/1.1 200 OK",
    "ja " * 400,
]


def random_text(rnd: random.Random) -> str:
    kind = rnd.randrange(6)
    if kind == 0:
        return rnd.choice(NASTY)
    if kind == 1:
        return "".join(rnd.choice(string.printable) for _ in range(rnd.randrange(1, 200)))
    if kind == 2:
        return "".join(chr(rnd.randrange(0x20, 0x2FFF)) for _ in range(rnd.randrange(1, 120)))
    if kind == 3:
        return "x" * rnd.choice([1001, 5000, 100_000])
    if kind == 4:
        return " ".join(rnd.choice(["ja", "nee", "Houten", "hulp", "stop", "geld", "42", "opnieuw"]) for _ in range(5))
    return "".join(chr(rnd.randrange(0, 0x20)) for _ in range(rnd.randrange(1, 30)))


def random_json(rnd: random.Random, depth: int = 0) -> Any:
    kind = rnd.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return rnd.choice([0, -1, 2**63, 3.14, True, False])
    if kind == 2:
        return random_text(rnd)[:300]
    if kind == 3:
        return rnd.choice(["", "sender", "message"])
    if kind == 4:
        return [random_json(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    keys = ["sender", "message", "metadata", "input_channel", "next_action", "tracker", random_text(rnd)[:20]]
    return {rnd.choice(keys): random_json(rnd, depth + 1) for _ in range(rnd.randrange(5))}


def rest_bodies(rnd: random.Random, n: int) -> Iterator[Tuple[bytes, Dict[str, str]]]:
    """Bodies for Rasa's REST channel: broken JSON, JSON of every shape, and well-formed messages
    with random text in random conversations."""
    for i in range(n):
        kind = i % 5
        headers = {"Content-Type": "application/json"}
        if kind == 0:
            body = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 300)))
            if rnd.random() < 0.3:
                headers = {"Content-Type": rnd.choice(["text/plain", "application/x-www-form-urlencoded", ""])}
        elif kind == 1:
            body = json.dumps(random_json(rnd)).encode()
        elif kind == 2:
            value = rnd.choice([None, 42, [], {}, ["Hallo"], {"a": 1}, True, random_text(rnd)])
            body = json.dumps(
                {"sender": rnd.choice([value, f"fuzz-{i}"]), "message": rnd.choice([value, "ja"])}
            ).encode()
        else:
            body = json.dumps({"sender": f"fuzz-{rnd.randrange(40)}", "message": random_text(rnd)}).encode()
        yield body, headers


def action_bodies(rnd: random.Random, n: int) -> Iterator[bytes]:
    """Bodies for the action server's webhook."""
    for i in range(n):
        if i % 3 == 0:
            yield bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 200)))
        elif i % 3 == 1:
            yield json.dumps(random_json(rnd)).encode()
        else:
            action = rnd.choice(["action_afronden", "action_verwijderen", "intake_form", "validate_intake_form", "x"])
            tracker = rnd.choice([None, [], {}, {"sender_id": 5}, {"sender_id": "f", "slots": [], "events": "x"}])
            yield json.dumps({"next_action": action, "sender_id": "fuzz", "tracker": tracker, "domain": {}}).encode()


def socketio_polls(rnd: random.Random, n: int) -> Iterator[Tuple[str, str, bytes]]:
    """Raw engine.io polling requests (method, query, body), mostly malformed."""
    for _ in range(n):
        eio = rnd.choice(["4", "3", "x", ""])
        sid = rnd.choice(["", "&sid=" + "".join(rnd.choice(string.ascii_letters) for _ in range(20))])
        query = f"EIO={eio}&transport={rnd.choice(['polling', 'websocket', 'x'])}{sid}"
        method = rnd.choice(["GET", "POST"])
        body = rnd.choice([b"", b"40", b'42["user_uttered",{"message":1}]', random_text(rnd).encode()[:500]])
        yield method, query, body


def web_requests(rnd: random.Random, n: int) -> Iterator[Tuple[str, str, bytes, Dict[str, str]]]:
    """Requests for the web app (method, path, body, headers): the chat relay, sign-in and the API."""
    for i in range(n):
        kind = i % 4
        if kind in (0, 1):
            body = rnd.choice(
                [
                    json.dumps({"gesprek": random_json(rnd), "message": random_text(rnd)}).encode(),
                    json.dumps(random_json(rnd)).encode(),
                    bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 200))),
                ]
            )
            yield "POST", "/chat/bericht", body, {"Content-Type": "application/json"}
        elif kind == 2:
            body = f"naam={random_text(rnd)[:50]}&wachtwoord={random_text(rnd)[:50]}".encode(errors="replace")
            yield "POST", "/review/inloggen", body, {"Content-Type": "application/x-www-form-urlencoded"}
        else:
            pad = rnd.choice(["/api/drafts", "/api/drafts/x", f"/api/drafts/{random_text(rnd)[:20]}", "/review"])
            zichtbaar = "".join(rnd.choice(string.ascii_letters + string.punctuation) for _ in range(rnd.randrange(60)))
            token = rnd.choice(
                ["", "Bearer ", "Bearer " + zichtbaar, "Basic abc", "Bearer ü".encode().decode("latin-1")]
            )
            headers = {"Authorization": token} if token else {}
            yield rnd.choice(["GET", "POST"]), pad, b"", headers
