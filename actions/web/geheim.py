"""The key that signs the ids the server issues (the chat relay's conversation ids, the socket.io
session ids), kept in var/web-geheim when LEKSTROOM_WEB_GEHEIM is not set: made once, readable by its
owner only, shared by the web app and every Rasa server on the machine. Several machines: set
LEKSTROOM_WEB_GEHEIM to the same value on each."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

GEHEIM_BESTAND = Path(__file__).resolve().parents[2] / "var" / "web-geheim"


def geheim_uit_bestand(pad: Path = GEHEIM_BESTAND) -> str:
    try:
        return pad.read_text().strip()
    except FileNotFoundError:
        pad.parent.mkdir(parents=True, exist_ok=True)
        geheim = secrets.token_urlsafe(32)
        try:
            fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it just now
            return pad.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(geheim)
        return geheim
