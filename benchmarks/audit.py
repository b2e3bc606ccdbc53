"""Time `pilots audit verify` and `pilots db check` over a 10,000-pilot / 100,000-event register.

    python benchmarks/audit.py [--runs N] [--work DIR] [--pilots P] [--events E] [--store DB]

Both engines: SQLite (a file in --work) and PostgreSQL (a server started from the pgserver
package, as the tests do). Needs the test extra (pgserver, psycopg) next to this Python. The
SQLite store is filled the normal way (benchmarks/fill.py, about 8 minutes; `--store DB` reuses
one), then copied row by row into PostgreSQL: the state digests do not depend on the engine,
so the copy must verify as the original does. Each command runs once to warm caches, then N
times; the table shows the median and the events per second (every event's hash is recomputed
and every table is proven, see SECURITY.md).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import stores  # noqa: E402 - benchmarks/ is on the path when a script here runs

HERE = Path(__file__).resolve().parent
PILOTS = str(Path(sys.executable).parent / "pilots")
TARGET = 50_000  # events per second


def timed(argv: list[str], runs: int) -> tuple[float, int]:
    """Median wall time of ``argv`` over ``runs`` runs (after one warm-up), and its exit code."""
    times = []
    code = 0
    for round_ in range(runs + 1):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False)
        if round_:
            times.append(time.perf_counter() - start)
        code = done.returncode
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} exited {code}: {done.stderr.decode()}")
    return statistics.median(times), code


def events_in(url: str) -> int:
    """How many events verify checks in the store at ``url``."""
    out = subprocess.run(
        [PILOTS, "audit", "verify", "--json", "--db", url], capture_output=True, check=False
    )
    report = json.loads(out.stdout)
    if report["broken"]:
        raise SystemExit(f"the benchmark store does not verify: {report['broken'][:3]}")
    return int(report["events"])


def main() -> None:
    args = stores.arguments(__doc__, "work-audit", runs=5)
    sqlite = stores.sqlite_store(args)
    rows = []
    with stores.postgres_server() as (server, socket):
        postgres = stores.postgres_copy(server, socket, sqlite)
        for engine, url in {"SQLite": sqlite, "PostgreSQL": postgres}.items():
            events = events_in(url)
            for words in (["audit", "verify"], ["db", "check"]):
                seconds, code = timed([PILOTS, *words, "--db", url], args.runs)
                rows.append((engine, " ".join(words), events, seconds, code))
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.pilots} pilots; median of {args.runs} runs\n"
    )
    print("| engine | command | events | median | events/s | target |")
    print("|---|---|---:|---:|---:|:---:|")
    for engine, command, events, seconds, code in rows:
        rate = events / seconds
        met = "yes" if rate >= TARGET and code == 0 else "**no**"
        print(
            f"| {engine} | `pilots {command}` | {events:,} | {seconds * 1000:.0f} ms | "
            f"{rate:,.0f} | {met} |"
        )


if __name__ == "__main__":
    main()
