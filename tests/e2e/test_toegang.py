"""Nobody but Rasa reaches the action server; Rasa and the action server listen on 127.0.0.1 only;
no secret shows in the process list. Regression tests for finding 3 of issue 11."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e


def _post(url: str, body: dict, headers: dict | None = None) -> int:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _action_call(name: str, sender: str) -> dict:
    slots = {"toestemming": True, "gemeente": "Houten", "leeftijd": 40, "hulpvraag": "vervalst"}
    return {
        "next_action": name,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": slots,
            "latest_message": {"text": "ja", "intent": {"name": "affirm"}, "entities": []},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


def test_a_hand_made_webhook_call_is_refused_and_queues_nothing(assistant, store):
    sender = f"vervalst-{uuid.uuid4().hex[:8]}"
    webhook = f"{assistant.action_url}/webhook"
    assert _post(webhook, _action_call("action_afronden", sender)) == 401
    assert _post(webhook, _action_call("action_afronden", sender), {"Authorization": "Bearer raden"}) == 401
    assert store.get_by_conversation(sender) is None
    # Deleting someone else's conversation is refused the same way.
    echt = f"echt-{uuid.uuid4().hex[:8]}"
    for text in ("Hallo", "ja", "Houten", "40", "Ik vergeet alles en mijn post stapelt zich op."):
        assistant.send(echt, text)
    assistant.send(echt, "Ik wil er soms niet meer zijn")  # an urgent draft is queued at once
    assert store.get_by_conversation(echt) is not None
    assert _post(webhook, _action_call("action_verwijderen", echt)) == 401
    assert store.get_by_conversation(echt) is not None
    # Health stays open for the load balancer and monitoring.
    with urllib.request.urlopen(f"{assistant.action_url}/health", timeout=10) as resp:
        assert resp.status == 200


def _own_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _listening_addresses(port: int) -> set:
    """Local addresses with a listening TCP socket on `port`, from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        hex_ip, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.add(socket.inet_ntoa(bytes.fromhex(hex_ip)[::-1]))
    return found


def test_rasa_and_the_action_server_listen_on_loopback_only(assistant):
    for url in (assistant.rasa_url, assistant.action_url):
        port = urlparse(url).port
        assert _listening_addresses(port) == {"127.0.0.1"}, url
        other = _own_address()
        if other is not None:
            with pytest.raises(OSError):
                socket.create_connection((other, port), timeout=2).close()


def test_no_secret_in_the_process_list(assistant):
    for pid in (assistant.rasa_pid, assistant.actions_pid):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode().replace("\0", " ")
        assert assistant.token not in cmdline
        assert "acties-" not in cmdline and "--auth-token" not in cmdline
