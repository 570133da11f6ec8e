"""Start the real action server and Rasa server for end-to-end tests, on free local ports."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

from actions.nlp.modelbeheer import MODEL_FILE, ROOT, ensure_model, rasa_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, log: Optional[Path] = None, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} stopte tijdens het starten:\n{_tail(log)}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} kwam niet op binnen {timeout} s:\n{_tail(log)}")


def _tail(log: Optional[Path]) -> str:
    return log.read_text()[-3000:] if log is not None and log.exists() else ""


class Assistant:
    """A running assistant: REST channel and HTTP API of Rasa, with its action server."""

    def __init__(self, rasa_url: str, token: str, database_url: str, rasa_pid: int = 0):
        self.rasa_url = rasa_url
        self.token = token
        self.database_url = database_url
        self.rasa_pid = rasa_pid

    def send(self, sender: str, text: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        req = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.load(resp)

    def tracker(self, sender: str) -> Dict[str, Any]:
        url = f"{self.rasa_url}/conversations/{sender}/tracker?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as resp:
            return json.load(resp)


@contextmanager
def running_assistant(
    workdir: Path,
    database_url: Optional[str] = None,
    model: Path = MODEL_FILE,
    project: Path = ROOT,
    with_actions: bool = True,
    endpoints: Optional[Path] = None,
) -> Iterator[Assistant]:
    if model == MODEL_FILE:
        ensure_model()
    database_url = database_url or f"sqlite:///{workdir / 'e2e.db'}"
    env = rasa_env()
    env["LEKSTROOM_DATABASE_URL"] = database_url
    action_port, rasa_port = free_port(), free_port()
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    token = "e2e-" + os.urandom(8).hex()
    procs = []
    try:
        action_log = workdir / "actions.log"
        actions_module = "actions.intake" if with_actions else "actions"
        actions = subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions", actions_module, "--port", str(action_port)],
            cwd=project,
            env=env,
            stdout=action_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        procs.append(actions)
        rasa_log = workdir / "rasa.log"
        rasa = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--model",
                str(model),
                "--endpoints",
                str(endpoints or project / ("bot/endpoints.yml" if project == ROOT else "endpoints.yml")),
                "--credentials",
                str(project / ("bot/credentials.yml" if project == ROOT else "credentials.yml")),
                "--port",
                str(rasa_port),
                "--interface",
                "127.0.0.1",
                "--enable-api",
                "--auth-token",
                token,
                "--cors",
                "*",
            ],
            cwd=project,
            env=env,
            stdout=rasa_log.open("w"),
            stderr=subprocess.STDOUT,
        )
        procs.append(rasa)
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, action_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/status?token={token}", rasa, rasa_log)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", token, database_url, rasa.pid)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
