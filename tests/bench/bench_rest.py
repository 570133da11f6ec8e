"""Benchmark over the REST channel: simulated inwoners doing whole intakes at the same time.

    .venv/bin/python tests/bench/bench_rest.py                  # 1, 10 and 50 concurrent inwoners
    .venv/bin/python tests/bench/bench_rest.py --starter        # also Rasa's starter bot, same load
    .venv/bin/python tests/bench/bench_rest.py --analyse        # cost of the analysis: with and without
                                                                # the event broker, rounds alternated

Reports per-message latency p50/p95, throughput, full training time (from models/lekstroom.json,
or --train to retrain and time it) and the Rasa server's memory (RSS), as a Markdown table in
reports/bench/rest.md and JSON beside it. Traffic goes to 127.0.0.1 only; every loop is bounded.
Not a test: figures depend on the machine. The README shows the latest run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Dict, List

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from actions.nlp import modelbeheer  # noqa: E402
from tests.helpers.inwoner import STOP, answer_for, last_payload  # noqa: E402
from tests.helpers.servers import Assistant, running_assistant  # noqa: E402

CASES = yaml.safe_load((ROOT / "tests" / "data" / "vignettes.yml").read_text(encoding="utf-8"))
FULL_CASES = [c for c in CASES if not c["expect"].get("no_draft") and not c["expect"].get("urgent")]


def intake(assistant: Assistant, case: Dict, latencies: List[float]) -> None:
    """One whole intake, timing every message; at most 60 turns."""
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    message = "Hallo"
    for _ in range(60):
        started = time.perf_counter()
        reply = assistant.send(sender, message)
        latencies.append(time.perf_counter() - started)
        payload = last_payload(reply)
        if payload is None or message == STOP:
            return
        step = payload.get("intake_step")
        text = answer_for(case, payload)
        if step == "bevestiging":
            assistant.send(sender, "ja")
            return
        message = " ".join(str(text).split()) if text else ("ja" if step is None else "weet ik niet")


def starter_conversation(assistant: Assistant, case: Dict, latencies: List[float]) -> None:
    """The starter bot's own happy path, as many turns as an intake has."""
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    for message in ["hello", "I am sad", "yes", "great", "bye"] * 3:
        started = time.perf_counter()
        assistant.send(sender, message)
        latencies.append(time.perf_counter() - started)


def load(assistant: Assistant, users: int, conversation: Callable) -> Dict[str, float]:
    latencies: List[float] = []
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        for f in [
            pool.submit(conversation, assistant, FULL_CASES[i % len(FULL_CASES)], latencies) for i in range(users)
        ]:
            f.result()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "inwoners": users,
        "berichten": len(latencies),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "berichten_per_s": round(len(latencies) / elapsed, 1),
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run(name: str, assistant: Assistant, conversation: Callable, levels: List[int]) -> Dict:
    results = []
    for users in levels:
        print(f"{name}: {users} tegelijk…", flush=True)
        results.append(load(assistant, users, conversation))
    return {"naam": name, "resultaten": results, "rasa_rss_mb": rss_mb(assistant.rasa_pid)}


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
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--train", action="store_true", help="retrain the model and time it")
    parser.add_argument("--starter", action="store_true", help="compare with Rasa's starter bot")
    parser.add_argument("--analyse", action="store_true", help="with and without recording (event broker)")
    parser.add_argument("--rondes", type=int, default=3, help="rounds per variant for --analyse")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    if args.analyse:
        modelbeheer.ensure_model()
        analyse_kosten(levels, args.rondes)
        return
    meta = modelbeheer.train() if args.train else modelbeheer.ensure_model()
    report: Dict = {"trainingstijd_s": meta.get("trainingstijd_s"), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        with running_assistant(workdir) as assistant:
            report["runs"].append(run("Lekstroom-intake", assistant, intake, levels))
        write(report)
        if args.starter:
            project, model, seconds = starter_model(workdir)
            report["starter_trainingstijd_s"] = seconds
            (workdir / "s").mkdir()
            with running_assistant(workdir / "s", model=model, project=project, with_actions=False) as assistant:
                report["runs"].append(run("Rasa-starterbot", assistant, starter_conversation, levels))
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


def analyse_kosten(levels: List[int], rondes: int) -> None:
    """Per-message latency with and without recording: both servers run at once and every intake is
    played on both in lockstep (the machine is shared; this keeps outside load out of the difference)."""
    latenties: Dict[str, Dict[int, List[float]]] = {"zonder": {n: [] for n in levels}, "met": {n: [] for n in levels}}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "zonder").mkdir()
        (workdir / "met").mkdir()
        with (
            running_assistant(workdir / "zonder", endpoints=zonder_broker(workdir)) as zonder,
            running_assistant(workdir / "met", endpoints=ROOT / "bot" / "endpoints.yml") as met,
        ):
            servers = {"zonder": zonder, "met": met}
            warm: Dict[str, List[float]] = {"zonder": [], "met": []}
            paar_intake(servers, FULL_CASES[0], warm)  # warm up
            for ronde in range(rondes):
                for users in levels:
                    print(f"analyse ronde {ronde + 1}: {users} tegelijk (per variant)…", flush=True)
                    verzameld: Dict[str, List[float]] = {"zonder": [], "met": []}
                    with ThreadPoolExecutor(max_workers=users) as pool:
                        for f in [
                            pool.submit(paar_intake, servers, FULL_CASES[i % len(FULL_CASES)], verzameld)
                            for i in range(users)
                        ]:
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
        eigen_ms = float(velden["publish_ms"]) + float(velden["schrijver_cpu_ms"])
        report["eigen_kosten"] = {**velden, "ms_per_bericht": round(eigen_ms / berichten, 3)}
    lines.append("")
    if "eigen_kosten" in report:
        k = report["eigen_kosten"]
        lines.append(
            f"Eigen tijd van de opname in Rasa: {k['publish_ms']} ms in publish en {k['schrijver_cpu_ms']} ms CPU "
            f"van de schrijver voor {k['events']} events, ongeveer {k['ms_per_bericht']} ms per bericht "
            f"({k['transacties']} transacties)."
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
        "| assistent | inwoners tegelijk | berichten | p50 (ms) | p95 (ms) | berichten/s | Rasa RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report["runs"]:
        for x in r["resultaten"]:
            lines.append(
                f"| {r['naam']} | {x['inwoners']} | {x['berichten']} | {x['p50_ms']} | {x['p95_ms']} | "
                f"{x['berichten_per_s']} | {r['rasa_rss_mb']} |"
            )
    lines.append("")
    lines.append(
        f"Volledige training: {report['trainingstijd_s']} s"
        + (f"; starterbot: {report['starter_trainingstijd_s']} s" if "starter_trainingstijd_s" in report else "")
    )
    (out / "rest.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
