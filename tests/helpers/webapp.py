"""Start the project's web app (port chosen freely) as a real process, for browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

from actions.nlp.modelbeheer import ROOT

from .servers import free_port, wait_until_up


@contextmanager
def running_webapp(
    database_url: str, rasa_url: str = "http://127.0.0.1:9", secure_cookies: bool = True
) -> Iterator[str]:
    port = free_port()
    env = dict(
        os.environ,
        LEKSTROOM_DATABASE_URL=database_url,
        LEKSTROOM_WEB_PORT=str(port),
        LEKSTROOM_SECURE_COOKIES="1" if secure_cookies else "0",
        LEKSTROOM_RASA_URL=rasa_url,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "actions.web"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/health", proc, timeout=60)
        # localhost is a secure context, so Secure cookies work over plain http there
        yield url.replace("127.0.0.1", "localhost")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
