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

    def __init__(
        self,
        rasa_url: str,
        token: str,
        database_url: str,
        rasa_pid: int = 0,
        action_url: str = "",
        actions_pid: int = 0,
        log_dir: Optional[Path] = None,
    ):
        self.rasa_url = rasa_url
        self.token = token
        self.database_url = database_url
        self.rasa_pid = rasa_pid
        self.action_url = action_url
        self.actions_pid = actions_pid
        self.log_dir = log_dir
        self.processen: Dict[str, Proces] = {}
        self.actions_token = ""

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


class Proces:
    """One server process that a fault test can stop, kill and start again with the same settings."""

    def __init__(self, naam: str, args: List[str], env: Dict[str, str], cwd: Path, log: Path, health: str):
        self.naam, self.args, self.env, self.cwd, self.log, self.health = naam, args, env, cwd, log, health
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> Proces:
        self.proc = subprocess.Popen(
            self.args, cwd=self.cwd, env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT
        )
        return self

    def wait_up(self) -> None:
        assert self.proc is not None
        wait_until_up(self.health, self.proc, self.log)

    def stop(self, kill: bool = False) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.kill() if kill else self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)

    def restart(self, kill: bool = False) -> None:
        self.stop(kill=kill)
        self.start().wait_up()

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc else 0


def server_env(database_url: str, workdir: Path) -> Dict[str, str]:
    env = rasa_env()
    env["LEKSTROOM_DATABASE_URL"] = database_url
    env["LEKSTROOM_UITGAAND"] = str(workdir / "uitgaand")
    env["LEKSTROOM_UITGAAND_INTERVAL"] = "1"
    env["LEKSTROOM_RASA_TOKEN"] = "e2e-" + os.urandom(8).hex()
    env["LEKSTROOM_ACTIONS_TOKEN"] = "acties-" + os.urandom(16).hex()
    return env


def action_server(
    workdir: Path, env: Dict[str, str], port: int, module: str = "actions.intake", naam: str = "actions"
) -> Proces:
    args = [sys.executable, "-m", "actions.actieserver", "--actions", module, "--port", str(port)]
    return Proces(naam, args, env, ROOT, workdir / f"{naam}.log", f"http://127.0.0.1:{port}/health")


def rasa_server(
    workdir: Path,
    env: Dict[str, str],
    port: int,
    model: Path = MODEL_FILE,
    project: Path = ROOT,
    naam: str = "rasa",
    endpoints: Optional[Path] = None,
) -> Proces:
    args = [
        sys.executable,
        "-m",
        "actions.rasaserver",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints or project / ("bot/endpoints.yml" if project == ROOT else "endpoints.yml")),
        "--credentials",
        str(project / ("bot/credentials.yml" if project == ROOT else "credentials.yml")),
        "--port",
        str(port),
        "--enable-api",
        "--cors",
        "*",
    ]
    token = env["LEKSTROOM_RASA_TOKEN"]
    return Proces(naam, args, env, project, workdir / f"{naam}.log", f"http://127.0.0.1:{port}/status?token={token}")


@contextmanager
def running_assistant(
    workdir: Path,
    database_url: Optional[str] = None,
    model: Path = MODEL_FILE,
    project: Path = ROOT,
    with_actions: bool = True,
    extra_env: Optional[Dict[str, str]] = None,
    actions_env: Optional[Dict[str, str]] = None,
    endpoints: Optional[Path] = None,
) -> Iterator[Assistant]:
    """Start an action server and a Rasa server; `actions_env` overrides settings of the action
    server alone (a fault test gives it a database address of its own)."""
    if model == MODEL_FILE:
        ensure_model()
    database_url = database_url or f"sqlite:///{workdir / 'e2e.db'}"
    env = server_env(database_url, workdir)
    env.update(extra_env or {})
    action_port, rasa_port = free_port(), free_port()
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    # without actions (Rasa's starter bot in the benchmark) there is no action server at all
    actions = action_server(workdir, {**env, **(actions_env or {})}, action_port) if with_actions else None
    rasa = rasa_server(workdir, env, rasa_port, model, project, endpoints=endpoints)
    procs = [p for p in (actions, rasa) if p is not None]
    try:
        for p in procs:
            p.start()
        for p in procs:
            p.wait_up()
        assistant = Assistant(
            f"http://127.0.0.1:{rasa_port}",
            env["LEKSTROOM_RASA_TOKEN"],
            database_url,
            rasa.pid,
            action_url=f"http://127.0.0.1:{action_port}" if actions else "",
            actions_pid=actions.pid if actions else 0,
            log_dir=workdir,
        )
        assistant.processen = {p.naam: p for p in procs}
        assistant.actions_token = env["LEKSTROOM_ACTIONS_TOKEN"]
        yield assistant
    finally:
        for p in procs:
            p.stop()


class Cluster:
    """Several Rasa servers and action servers behind one nginx, sharing PostgreSQL and Redis."""

    def __init__(self, voorkant: Assistant, rasas: List[Assistant], processen: Dict[str, Proces], workdir: Path):
        self.voorkant = voorkant  # through the load balancer
        self.rasas = rasas  # each Rasa server directly
        self.processen = processen
        self.workdir = workdir

    def upstreams(self) -> List[str]:
        """The Rasa server (address) that answered each request through the load balancer, in order."""
        log = self.workdir / "nginx" / "access.log"
        lines = log.read_text().splitlines() if log.exists() else []
        return [line.split()[4] for line in lines if " /webhooks/" in line]


@contextmanager
def running_cluster(workdir: Path, database_url: str, redis_url: str, n: int = 2) -> Iterator[Cluster]:
    import shutil

    from actions.loadbalancer import nginx_config

    ensure_model()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    env = server_env(database_url, workdir)
    env["LEKSTROOM_REDIS_URL"] = redis_url
    lb_port, lb_acties = free_port(), free_port()
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{lb_acties}/webhook"
    rasa_ports = [free_port() for _ in range(n)]
    actie_ports = [free_port() for _ in range(n)]
    processen: Dict[str, Proces] = {}
    for i, port in enumerate(actie_ports):
        processen[f"actions{i}"] = action_server(workdir, env, port, naam=f"actions{i}")
    for i, port in enumerate(rasa_ports):
        processen[f"rasa{i}"] = rasa_server(workdir, env, port, naam=f"rasa{i}")
    conf_dir = workdir / "nginx"
    conf_dir.mkdir(exist_ok=True)
    conf = conf_dir / "nginx.conf"
    conf.write_text(nginx_config(conf_dir, rasa_ports, actie_ports, lb_port, lb_acties))
    processen["nginx"] = Proces(
        "nginx",
        [nginx, "-c", str(conf), "-p", str(conf_dir)],
        env,
        ROOT,
        workdir / "nginx.log",
        f"http://127.0.0.1:{lb_port}/",
    )
    try:
        for p in processen.values():
            p.start()
        for p in processen.values():
            p.wait_up()
        token = env["LEKSTROOM_RASA_TOKEN"]
        voorkant = Assistant(f"http://127.0.0.1:{lb_port}", token, database_url, log_dir=workdir)
        rasas = [
            Assistant(f"http://127.0.0.1:{port}", token, database_url, processen[f"rasa{i}"].pid, log_dir=workdir)
            for i, port in enumerate(rasa_ports)
        ]
        for a in [voorkant, *rasas]:
            a.processen = processen
        yield Cluster(voorkant, rasas, processen, workdir)
    finally:
        for p in processen.values():
            p.stop()
