"""The BSN never reaches Rasa's tracker and is never said back; no inwoner text in any log.
Regression tests for findings 4 and 7 of issue 11."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import uuid

import pytest

from actions.privacy import BSN_MASK, is_bsn

pytestmark = pytest.mark.e2e

BSN = "111222333"
assert is_bsn(BSN)


def test_a_bsn_is_masked_before_the_tracker_and_not_repeated_back(assistant):
    sender = f"bsn-{uuid.uuid4().hex[:8]}"
    replies = []
    for text in ("Hallo", "ja", "Houten", "40", f"Mijn BSN is {BSN}. Ik kan mijn post niet meer bijhouden."):
        replies += assistant.send(sender, text)
    tracker = assistant.tracker(sender)
    dump = json.dumps(tracker)
    assert BSN not in dump and "111 222 333" not in dump
    assert BSN_MASK in dump  # the message is kept, with the number masked
    assert BSN not in json.dumps(replies)


def test_no_inwoner_text_in_the_server_logs(assistant):
    marker = f"geheimwoord{uuid.uuid4().hex[:6]}"
    sender = f"log-{uuid.uuid4().hex[:8]}"
    for text in ("Hallo", f"ja {marker}", f"Houten {marker}", "40", f"Ik {marker} vergeet alles, BSN {BSN}."):
        assistant.send(sender, text)
    with pytest.raises(urllib.error.HTTPError) as refused:  # a very long message is refused, not logged
        assistant.send(sender, f"{marker} " * 20_000)
    assert refused.value.code == 413
    logs = "".join(p.read_text(errors="replace") for p in assistant.log_dir.glob("*.log"))
    assert logs, "the servers wrote no log at all"
    assert marker not in logs and BSN not in logs


def test_rasa_structured_log_lines_drop_the_text():
    """Rasa logs a message it could not process with its text; with our start-up it no longer does."""
    script = (
        "import structlog, logging, sys\n"
        "from actions.rasa_patches import geen_tekst_in_logs\n"
        "geen_tekst_in_logs()\n"
        "from rasa.utils.log_utils import configure_structlog\n"
        "configure_structlog(logging.INFO)\n"
        "try:\n"
        "    raise RuntimeError('kapot')\n"
        "except RuntimeError:\n"
        f"    structlog.get_logger().exception('rest.message.received.failure', text='BSN {BSN} mijn verhaal')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "rest.message.received.failure" in out.stdout + out.stderr
    assert BSN not in out.stdout + out.stderr and "mijn verhaal" not in out.stdout + out.stderr
