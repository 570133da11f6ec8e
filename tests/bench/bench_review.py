"""Benchmark of the review app with 100,000 drafts, in SQLite and in PostgreSQL.

    .venv/bin/python tests/bench/bench_review.py [--drafts 100000] [--requests 40]

Seeds a fresh database (bulk insert, varied gemeenten, statuses, advies, signals), starts the web
app, signs in as a consultant and measures p50/p95 latency of the queue page (first page, filtered,
deep page) and the API (list, filtered by signal, one draft). Writes reports/bench/review.md.
PostgreSQL: a database `lekstroom_bench` on LEKSTROOM_TEST_PG_URL's server, dropped afterwards.
Traffic goes to 127.0.0.1 only and every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from actions.classificatie import Intake, classify, load_policy  # noqa: E402
from actions.classificatie.model import GebiedAntwoord, Kenmerk, Omstandigheid  # noqa: E402
from actions.store import DraftStore  # noqa: E402
from actions.store.accounts import AccountStore  # noqa: E402
from actions.store.schema import draft_signalen, drafts  # noqa: E402
from tests.helpers.webapp import running_webapp  # noqa: E402

PW = "benchmark-wachtwoord"
AREAS = [
    "zelfzorg_gezondheid",
    "regelvermogen_structuur",
    "administratie_financien",
    "sociaal_functioneren",
    "daginvulling_zingeving",
]


def templates(policy) -> List:
    rng = random.Random(1)
    result = []
    for i in range(60):
        n = rng.randint(0, 5)
        intake = Intake(
            conversation_id="t",
            gemeente=rng.choice(list(policy.gemeenten)),
            leeftijd=rng.randint(17, 90),
            hulpvraag="Ik loop vast met mijn post en mijn dagritme.",
            resultaatgebieden=[
                GebiedAntwoord(code=a, type=rng.choice(["ontwikkelen", "behouden"])) for a in rng.sample(AREAS, n)
            ],
            verzwarende_omstandigheden=[Omstandigheid(code="verslaving")] * rng.randint(0, 1),
            kenmerken=[Kenmerk(code=rng.choice(["nah", "lvb", "dementie", "mantelzorger_overbelast"]), tekst="x")],
            veiligheid="gevaar" if i % 29 == 0 else None,
            afgerond=True,
        )
        result.append(classify(intake, policy))
    return result


def seed(url: str, n: int) -> None:
    store = DraftStore.from_url(url)
    policy = load_policy()
    AccountStore(store.engine).maak_gebruiker("anna", "consultant", ["Houten", "Lopik"], PW)
    base = templates(policy)
    rng = random.Random(2)
    start = datetime.now(timezone.utc) - timedelta(days=365)
    batch = 5000
    for offset in range(0, n, batch):
        rows, signals = [], []
        for i in range(offset, min(n, offset + batch)):
            d = base[i % len(base)]
            did = str(uuid.uuid4())
            created = start + timedelta(minutes=5 * i)
            data = json.loads(
                d.json(
                    exclude={
                        "transcript",
                        "id",
                        "conversation_id",
                        "created_at",
                        "updated_at",
                        "status",
                        "urgent",
                        "versie",
                        "toegewezen_aan",
                    }
                )
            )
            rows.append(
                dict(
                    id=did,
                    conversation_id=f"bench-{i}",
                    created_at=created,
                    updated_at=created,
                    status=rng.choice(["nieuw", "nieuw", "in_behandeling", "goedgekeurd", "afgewezen"]),
                    urgent=d.urgent,
                    gemeente=d.gemeente,
                    advies=d.advies,
                    product_code=d.product.code if d.product else None,
                    versie=1,
                    data=data,
                )
            )
            signals += [
                dict(draft_id=did, code=s.code, waarde=s.waarde or "")
                for s in {(s.code, s.waarde): s for s in d.signalen}.values()
            ]
        with store.engine.begin() as conn:
            conn.execute(drafts.insert(), rows)
            if signals:
                conn.execute(draft_signalen.insert(), signals)
        print(f"  {min(n, offset + batch):>7} / {n} concepten", end="\r", flush=True)
    print()
    if url.startswith("postgresql"):
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def timed(fn, count: int) -> Dict[str, float]:
    samples = []
    for _ in range(count):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))] * 1000, 1),
    }


def measure(url: str, requests: int) -> Dict[str, Dict[str, float]]:
    with running_webapp(url, secure_cookies=False) as base:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        form = opener.open(f"{base}/review/inloggen").read().decode()  # its sign-in token and cookie
        csrf = re.search(r'name="inlog_csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        inloggen = {"naam": "anna", "wachtwoord": PW, "inlog_csrf": csrf}
        opener.open(f"{base}/review/inloggen", data=urllib.parse.urlencode(inloggen).encode())
        token = AccountStore(DraftStore.from_url(url, migrate=False).engine).maak_token("anna")
        api = urllib.request.build_opener()
        api.addheaders = [("Authorization", f"Bearer {token}")]
        first = json.load(api.open(f"{base}/api/drafts?per_page=1"))["items"][0]["id"]
        pages = {
            "wachtrij, pagina 1": lambda: opener.open(f"{base}/review").read(),
            "wachtrij, gefilterd (Lopik, nieuw)": lambda: opener.open(
                f"{base}/review?gemeente=Lopik&status=nieuw"
            ).read(),
            "wachtrij, pagina 1000": lambda: opener.open(f"{base}/review?pagina=1000").read(),
            "API lijst": lambda: api.open(f"{base}/api/drafts").read(),
            "API lijst, signaal veiligheid": lambda: api.open(f"{base}/api/drafts?signaal=veiligheid").read(),
            "API één concept": lambda: api.open(f"{base}/api/drafts/{first}").read(),
        }
        return {name: timed(fn, requests) for name, fn in pages.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drafts", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{tmp}/bench.db"
        print(f"SQLite: {args.drafts} concepten zaaien…")
        seed(sqlite_url, args.drafts)
        results["SQLite"] = measure(sqlite_url, args.requests)
    admin_url = os.environ.get("LEKSTROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS lekstroom_bench"))
        conn.execute(text("CREATE DATABASE lekstroom_bench"))
    pg_url = admin_url.rsplit("/", 1)[0] + "/lekstroom_bench"
    try:
        print(f"PostgreSQL: {args.drafts} concepten zaaien…")
        seed(pg_url, args.drafts)
        results["PostgreSQL"] = measure(pg_url, args.requests)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='lekstroom_bench'"))
            conn.execute(text("DROP DATABASE IF EXISTS lekstroom_bench"))
    lines = [
        f"{args.drafts} concepten, {args.requests} verzoeken per meting, één gebruiker na elkaar.",
        "",
        "| database | verzoek | p50 (ms) | p95 (ms) |",
        "|---|---|---|---|",
    ]
    for db, rows in results.items():
        for name, r in rows.items():
            lines.append(f"| {db} | {name} | {r['p50_ms']} | {r['p95_ms']} |")
    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "review.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "review.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
