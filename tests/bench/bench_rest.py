"""Benchmark over the REST channel: simulated inwoners doing whole intakes at the same time.

    .venv/bin/python tests/bench/bench_rest.py            # everything below, in one run
    .venv/bin/python tests/bench/bench_rest.py --levels 10 --geheugen 0 --zonder cluster,starter
    .venv/bin/python tests/bench/bench_rest.py --analyse  # cost of the analysis: with and without
                                                          # the event broker, rounds alternated

In one run, at 10 and 50 concurrent inwoners, for one Rasa server, two Rasa servers (and two action
servers) behind nginx, and Rasa's starter bot: whole-intake p50/p95 (seconds from "Hallo" to the
confirmation), per-message p50/p95 and throughput; then Rasa's memory (RSS) before and after 1,000
short conversations. Our servers run on a throwaway PostgreSQL database with the lock store in
Redis, as in production. Writes a Markdown table to reports/bench/rest.md and JSON beside it.
Traffic goes to 127.0.0.1 only; every loop is bounded. Not a test: figures depend on the machine.
The README shows the latest run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from actions.nlp import modelbeheer  # noqa: E402
from tests.helpers.inwoner import STOP, answer_for, last_payload  # noqa: E402
from tests.helpers.servers import Assistant, running_assistant, running_cluster  # noqa: E402

CASES = yaml.safe_load((ROOT / "tests" / "data" / "vignettes.yml").read_text(encoding="utf-8"))
FULL_CASES = [c for c in CASES if not c["expect"].get("no_draft") and not c["expect"].get("urgent")]


def _timed(assistant: Assistant, sender: str, message: str, latencies: List[float]) -> list:
    started = time.perf_counter()
    reply = assistant.send(sender, message)
    latencies.append(time.perf_counter() - started)
    return reply


def intake(assistant: Assistant, case: Dict, latencies: List[float]) -> float:
    """One whole intake, timing every message; at most 60 turns. Returns the intake's seconds."""
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    message = "Hallo"
    started = time.perf_counter()
    for _ in range(60):
        reply = _timed(assistant, sender, message, latencies)
        payload = last_payload(reply)
        if payload is None or message == STOP:
            break
        step = payload.get("intake_step")
        text = answer_for(case, payload)
        if step == "bevestiging":
            _timed(assistant, sender, "ja", latencies)
            break
        message = " ".join(str(text).split()) if text else ("ja" if step is None else "weet ik niet")
    return time.perf_counter() - started


def starter_conversation(assistant: Assistant, case: Dict, latencies: List[float]) -> float:
    """The starter bot's own happy path, as many turns as an intake has (20)."""
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    started = time.perf_counter()
    for message in ["hello", "I am sad", "yes", "great", "bye"] * 4:
        _timed(assistant, sender, message, latencies)
    return time.perf_counter() - started


def _p(ordered: List[float], q: float) -> float:
    return ordered[int(q * (len(ordered) - 1))]


def load(assistant: Assistant, users: int, conversation: Callable) -> Dict[str, float]:
    """`users` inwoners at once, each doing two conversations one after the other."""
    latencies: List[float] = []
    started = time.perf_counter()

    def user(i: int) -> List[float]:
        return [conversation(assistant, FULL_CASES[(i + k) % len(FULL_CASES)], latencies) for k in range(2)]

    with ThreadPoolExecutor(max_workers=users) as pool:
        durations = sorted(d for ds in pool.map(user, range(users)) for d in ds)
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "inwoners": users,
        "gesprekken": len(durations),
        "berichten": len(latencies),
        "intake_p50_s": round(statistics.median(durations), 2),
        "intake_p95_s": round(_p(durations, 0.95), 2),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(_p(ordered, 0.95) * 1000, 1),
        "berichten_per_s": round(len(latencies) / elapsed, 1),
        "gesprekken_per_min": round(len(durations) / elapsed * 60, 1),
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run(name: str, assistant: Assistant, conversation: Callable, levels: List[int], pids: List[int]) -> Dict:
    results = []
    conversation(assistant, FULL_CASES[0], [])  # warm up: the first message loads models
    for users in levels:
        print(f"{name}: {users} tegelijk…", flush=True)
        results.append(load(assistant, users, conversation))
    return {"naam": name, "resultaten": results, "rasa_rss_mb": round(sum(rss_mb(p) for p in pids), 1)}


def geheugen(assistant: Assistant, aantal: int) -> Dict[str, float]:
    """Rasa's RSS before and after `aantal` short conversations (5 messages each), 10 at a time."""
    voor = rss_mb(assistant.rasa_pid)
    berichten = ["Hallo", "ja", "Houten", "40", "Ik kan mijn post niet meer bijhouden en zie niemand meer."]

    def gesprek(i: int) -> None:
        sender = f"geheugen-{i}-{uuid.uuid4().hex[:6]}"
        for m in berichten:
            assistant.send(sender, m)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=10) as pool:
        for i, _ in enumerate(pool.map(gesprek, range(aantal)), 1):
            if i % 100 == 0:
                print(f"  geheugen: {i}/{aantal} gesprekken ({time.perf_counter() - started:.0f} s)", flush=True)
    return {"gesprekken": aantal, "rss_voor_mb": voor, "rss_na_mb": rss_mb(assistant.rasa_pid)}


@contextmanager
def bench_database() -> Iterator[str]:
    """A throwaway PostgreSQL database on the machine's server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    admin_url = os.environ.get("LEKSTROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"lekstroom_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def starter_model(workdir: Path) -> tuple:
    """`rasa init` scaffolds the starter bot and trains it; we time the whole thing."""
    project = workdir / "starter"
    project.mkdir()
    env = modelbeheer.rasa_env()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(project)],
        env=env,
        check=True,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = round(time.monotonic() - started, 1)
    return project, next((project / "models").glob("*.tar.gz")), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="10,50")
    parser.add_argument("--geheugen", type=int, default=1000, help="conversations for the memory figure (0: skip)")
    parser.add_argument("--zonder", default="", help="skip: cluster, starter (comma-separated)")
    parser.add_argument("--train", action="store_true", help="retrain the model and time it")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--analyse", action="store_true", help="with and without recording (event broker)")
    parser.add_argument("--rondes", type=int, default=3, help="rounds per variant for --analyse")
    parser.add_argument("--postgres", action="store_true", help="--analyse on PostgreSQL instead of SQLite")
    parser.add_argument(
        "--intakes", type=int, default=10, help="--analyse: at least this many intakes per round and level"
    )
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    if args.analyse:
        modelbeheer.ensure_model()
        analyse_kosten(levels, args.rondes, postgres=args.postgres, intakes=args.intakes)
        return
    zonder = set(filter(None, args.zonder.split(",")))
    meta = modelbeheer.train() if args.train else modelbeheer.ensure_model()
    report: Dict = {"trainingstijd_s": meta.get("trainingstijd_s"), "runs": []}
    with tempfile.TemporaryDirectory() as tmp, bench_database() as db:
        workdir = Path(tmp)
        (workdir / "een").mkdir()
        with running_assistant(workdir / "een", database_url=db, extra_env={"LEKSTROOM_REDIS_URL": args.redis}) as a:
            report["runs"].append(run("Lekstroom, 1 Rasa-server", a, intake, levels, [a.rasa_pid]))
            write(report)
            if args.geheugen:
                report["geheugen"] = geheugen(a, args.geheugen)
                write(report)
        if "cluster" not in zonder:
            (workdir / "twee").mkdir()
            with running_cluster(workdir / "twee", db, args.redis, n=2) as c:
                pids = [r.rasa_pid for r in c.rasas]
                report["runs"].append(run("Lekstroom, 2 Rasa-servers + nginx", c.voorkant, intake, levels, pids))
            write(report)
        if "starter" not in zonder:
            project, model, seconds = starter_model(workdir)
            report["starter_trainingstijd_s"] = seconds
            (workdir / "s").mkdir()
            with running_assistant(workdir / "s", model=model, project=project, with_actions=False) as a:
                report["runs"].append(run("Rasa-starterbot", a, starter_conversation, levels, [a.rasa_pid]))
    write(report)


def zonder_broker(workdir: Path) -> Path:
    """bot/endpoints.yml without its `event_broker`: Rasa as it ran before the analysis."""
    endpoints = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints.pop("event_broker", None)
    pad = workdir / "endpoints-zonder-analyse.yml"
    pad.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    return pad


def paar_intake(servers: Dict[str, Assistant], case: Dict, latenties: Dict[str, List[float]]) -> None:
    """The same intake on both servers in lockstep, message by message, so load from elsewhere on
    the machine hits both variants alike; at most 60 turns."""
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    berichten = {naam: "Hallo" for naam in servers}
    for beurt in range(60):
        volgorde = list(berichten) if beurt % 2 == 0 else list(reversed(berichten))  # neither always goes first
        for naam in volgorde:
            message = berichten[naam]
            started = time.perf_counter()
            reply = servers[naam].send(sender, message)
            latenties[naam].append(time.perf_counter() - started)
            payload = last_payload(reply)
            step = payload.get("intake_step") if payload else None
            if payload is None or message == STOP or step == "bevestiging":
                if step == "bevestiging":
                    servers[naam].send(sender, "ja")
                del berichten[naam]
                continue
            text = answer_for(case, payload)
            berichten[naam] = " ".join(str(text).split()) if text else ("ja" if step is None else "weet ik niet")
        if not berichten:
            return


def paar_intakes(servers: Dict[str, Assistant], inwoner: int, aantal: int, latenties: Dict[str, List[float]]) -> None:
    for k in range(aantal):
        paar_intake(servers, FULL_CASES[(inwoner * aantal + k) % len(FULL_CASES)], latenties)


def analyse_kosten(levels: List[int], rondes: int, postgres: bool = False, intakes: int = 10) -> None:
    """Per-message latency with and without recording: both servers run at once and every intake is
    played on both in lockstep (the machine is shared; this keeps outside load out of the difference).
    With `postgres`, each variant gets its own PostgreSQL database instead of its SQLite file."""
    latenties: Dict[str, Dict[int, List[float]]] = {"zonder": {n: [] for n in levels}, "met": {n: [] for n in levels}}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stapel:
        workdir = Path(tmp)
        (workdir / "zonder").mkdir()
        (workdir / "met").mkdir()
        db = {naam: stapel.enter_context(bench_database()) if postgres else None for naam in ("zonder", "met")}
        with (
            running_assistant(
                workdir / "zonder", endpoints=zonder_broker(workdir), database_url=db["zonder"]
            ) as zonder,
            running_assistant(workdir / "met", endpoints=ROOT / "bot" / "endpoints.yml", database_url=db["met"]) as met,
        ):
            servers = {"zonder": zonder, "met": met}
            warm: Dict[str, List[float]] = {"zonder": [], "met": []}
            paar_intake(servers, FULL_CASES[0], warm)  # warm up
            for ronde in range(rondes):
                for users in levels:
                    print(f"analyse ronde {ronde + 1}: {users} tegelijk (per variant)…", flush=True)
                    verzameld: Dict[str, List[float]] = {"zonder": [], "met": []}
                    # every simulated inwoner plays intakes one after the other, at least `intakes`
                    # per round in all, so one inwoner at a time still gives a few hundred messages
                    per_inwoner = max(1, -(-intakes // users))
                    with ThreadPoolExecutor(max_workers=users) as pool:
                        for f in [pool.submit(paar_intakes, servers, i, per_inwoner, verzameld) for i in range(users)]:
                            f.result()
                    for naam in servers:
                        latenties[naam][users] += verzameld[naam]
        # the server with recording logs what it cost itself when it stops (AnalyseBroker.close)
        kosten = [r for r in (workdir / "met" / "rasa.log").read_text().splitlines() if "analyse.kosten" in r]
    lines = [
        "| opname | inwoners tegelijk | berichten | p50 (ms) | p95 (ms) | gemiddeld (ms) |",
        "|---|---|---|---|---|---|",
    ]
    report: Dict = {"rondes": rondes, "resultaten": []}
    for users in levels:
        rij = {}
        for naam in ("zonder", "met"):
            ordered = sorted(latenties[naam][users])
            rij[naam] = {
                "berichten": len(ordered),
                "p50_ms": round(statistics.median(ordered) * 1000, 1),
                "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
                "gemiddeld_ms": round(statistics.fmean(ordered) * 1000, 1),
            }
            x = rij[naam]
            lines.append(
                f"| {naam} | {users} | {x['berichten']} | {x['p50_ms']} | {x['p95_ms']} | {x['gemiddeld_ms']} |"
            )
        rij["extra_p50_procent"] = round(100 * (rij["met"]["p50_ms"] / rij["zonder"]["p50_ms"] - 1), 1)
        rij["extra_gemiddeld_procent"] = round(
            100 * (rij["met"]["gemiddeld_ms"] / rij["zonder"]["gemiddeld_ms"] - 1), 1
        )
        report["resultaten"].append({"inwoners": users, **rij})
    berichten = sum(len(v) for v in latenties["met"].values()) + len(warm["met"])
    if kosten:
        velden = dict(x.split("=") for x in kosten[-1].split("analyse.kosten", 1)[1].split())
        report["eigen_kosten"] = {
            **velden,
            "rasa_ms_per_bericht": round(float(velden["publish_ms"]) / berichten, 3),
            "schrijver_ms_per_bericht": round(float(velden["schrijver_cpu_ms"]) / berichten, 3),
        }
    lines.append("")
    if "eigen_kosten" in report:
        k = report["eigen_kosten"]
        lines.append(
            f"Tijd van de opname in Rasa zelf: {k['publish_ms']} ms in publish voor {k['events']} events, "
            f"{k['rasa_ms_per_bericht']} ms per bericht. CPU van het schrijfproces (naast Rasa): "
            f"{k['schrijver_cpu_ms']} ms in {k['transacties']} transacties, {k['schrijver_ms_per_bericht']} ms per bericht."
        )
    for r in report["resultaten"]:
        lines.append(
            f"{r['inwoners']} tegelijk: opname kost {r['extra_p50_procent']}% op de mediaan, "
            f"{r['extra_gemiddeld_procent']}% op het gemiddelde ({rondes} rondes; beide servers tegelijk, elk bericht op beide)."
        )
    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "analyse.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "analyse.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def write(report: Dict) -> None:
    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "rest.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    lines = [
        "| opstelling | inwoners tegelijk | gesprekken | intake p50 (s) | intake p95 (s) | bericht p50 (ms) "
        "| bericht p95 (ms) | berichten/s | gesprekken/min | Rasa RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["runs"]:
        for x in r["resultaten"]:
            lines.append(
                f"| {r['naam']} | {x['inwoners']} | {x['gesprekken']} | {x['intake_p50_s']} | {x['intake_p95_s']} "
                f"| {x['p50_ms']} | {x['p95_ms']} | {x['berichten_per_s']} | {x['gesprekken_per_min']} "
                f"| {r['rasa_rss_mb']} |"
            )
    lines.append("")
    if "geheugen" in report:
        g = report["geheugen"]
        lines.append(
            f"Geheugen van Rasa (1 server): {g['rss_voor_mb']} MB voor en {g['rss_na_mb']} MB na "
            f"{g['gesprekken']} gesprekken."
        )
    lines.append(
        f"Volledige training: {report['trainingstijd_s']} s"
        + (f"; starterbot: {report['starter_trainingstijd_s']} s" if "starter_trainingstijd_s" in report else "")
    )
    (out / "rest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
