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

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / "work-audit")
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="a filled SQLite store to reuse")
    args = parser.parse_args()
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sqlite = f"sqlite:///{args.store or work / 'p10k.db'}"
    if args.store is None:
        print("filling the SQLite store ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "fill.py"), sqlite, str(args.pilots), str(args.events)],
            check=True,
        )
    from pgserver.postgres_server import get_server

    socket = Path(f"/tmp/pilots-bench-{os.getpid()}")
    shutil.rmtree(socket, ignore_errors=True)
    socket.mkdir()
    server = get_server(str(socket), cleanup_mode="stop")
    try:
        server.psql("CREATE DATABASE bench;")
        postgres = f"postgresql+psycopg://postgres:@/bench?host={socket}"
        subprocess.run([sys.executable, str(HERE / "fill.py"), "--copy", sqlite, postgres],
                       check=True)  # fmt: skip
        rows = []
        for engine, url in {"SQLite": sqlite, "PostgreSQL": postgres}.items():
            events = events_in(url)
            for words in (["audit", "verify"], ["db", "check"]):
                seconds, code = timed([PILOTS, *words, "--db", url], args.runs)
                rows.append((engine, " ".join(words), events, seconds, code))
    finally:
        server.cleanup()
        shutil.rmtree(socket, ignore_errors=True)
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
