"""10,000 malformed and random messages through every way in (the test command sends 1,000).

    .venv/bin/python tests/bench/bench_fuzz.py [--schaal 10] [--seed N]

Starts a real action server, Rasa server and web app, sends the requests of tests/helpers/fuzz.py
(REST, socket.io polling and messages, the action server, the web app's relay, sign-in and API),
and reports the count per way in and status code, the number of server errors and whether every
server is healthy afterwards, to reports/bench/fuzz.md. Exit code 1 on any server error.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.test_fuzz import SEED, _request, fuzz_all  # noqa: E402
from tests.helpers.servers import running_assistant  # noqa: E402
from tests.helpers.webapp import running_webapp  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schaal", type=int, default=10, help="1 = the test's 1,200 requests")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as a:
        with running_webapp(a.database_url, rasa_url=a.rasa_url) as web:
            counts = fuzz_all(a, random.Random(args.seed), scale=args.schaal, web=web)
            gezond = {
                "web": _request(f"{web}/health", None, {}, "GET"),
                "acties": _request(f"{a.action_url}/health", None, {}, "GET"),
                "rasa": _request(f"{a.rasa_url}/status?token={a.token}", None, {}, "GET"),
            }
    seconds = time.perf_counter() - started
    fouten = sum(v for (_, status), v in counts.items() if isinstance(status, int) and status >= 500)
    lines = ["| ingang | status | aantal |", "|---|---|---|"]
    lines += [f"| {way} | {status} | {n} |" for (way, status), n in sorted(counts.items(), key=str)]
    lines += [
        "",
        f"{sum(counts.values())} verzoeken in {seconds:.0f} s; serverfouten (5xx): {fouten}; "
        f"gezond na afloop: {', '.join(f'{k} {v}' for k, v in gezond.items())}",
    ]
    out = ROOT / "reports" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "fuzz.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if fouten or any(v != 200 for v in gezond.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
