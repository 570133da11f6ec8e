"""The pure parts of actions/rasa_channels.py (the channels themselves run against the real Rasa
server in tests/e2e/test_kanalen.py): which address is limited, how a REST body is read, and how
socket.io session ids are issued and bound."""

from __future__ import annotations

import json

from actions.rasa_channels import MAX_BODY, Poort, Sessies, lees_rest


def test_only_a_caller_that_a_proxy_speaks_for_is_limited_by_address():
    poort = Poort(None, "test")
    assert poort.adres("127.0.0.1", None) is None  # tests, benchmark, an administrator's curl
    assert poort.adres("127.0.0.1", "127.0.0.1") is None  # the benchmark through the load balancer
    assert poort.adres("127.0.0.1", "198.51.100.4") == "198.51.100.4"  # the relay for an inwoner
    assert poort.adres("127.0.0.1", "198.51.100.4, 127.0.0.1") == "198.51.100.4"  # relay, then load balancer
    assert poort.adres("203.0.113.9", "198.51.100.4") == "203.0.113.9"  # nobody else's header is believed


def test_limits_come_from_the_credentials():
    poort = Poort({"max_bericht": 50, "limieten": {"per_gesprek": "2/10"}}, "test")
    assert poort.te_lang("x" * 51) and not poort.te_lang("x" * 50)
    assert poort.limieten.regels["per_gesprek"].aantal == 2 and poort.limieten.regels["per_adres"].aantal == 300


def test_a_rest_body_is_a_message_or_a_reason():
    assert lees_rest(b'{"sender": "a", "message": "hoi"}') == ("a", "hoi", None, None)
    assert lees_rest(json.dumps({"sender": "a", "message": "x" * MAX_BODY}).encode())[3] == "te groot"
    for body in (b"[]", b"null", b"{", b'{"sender": "a"}', b'{"sender": "", "message": "x"}'):
        assert lees_rest(body)[3] is not None, body


def test_socketio_ids_are_issued_signed_and_held_by_one_socket():
    sessies = Sessies("geheim")
    a = sessies.koppel("sid-a", "12345678")
    assert a != "12345678" and sessies.echt(a) and not Sessies("ander").echt(a)
    assert sessies.koppel("sid-b", a) != a, "held by another socket"
    assert sessies.koppel("sid-a", a) == a
    sessies.los("sid-a")
    assert sessies.koppel("sid-c", a) == a, "free again after a disconnect: the same browser reconnecting"
    vervalst = a[:48] + "0" * 32
    assert sessies.koppel("sid-d", vervalst) != vervalst
    for vreemd in ("é" * 80, "\ud800" * 80, 12, ["x"], None):
        assert not sessies.echt(vreemd) and sessies.koppel("sid-e", vreemd) != vreemd
