"""Time `pilots due` and `pilots metrics` against `pilots status` on a large register.

    python benchmarks/due.py [--runs N] [--work DIR] [--pilots P] [--events E] [--store DB]

Both engines: SQLite (a file in --work) and PostgreSQL (a server started from the pgserver
package, as the tests do). Needs the test extra (pgserver, psycopg) next to this Python. The
SQLite store is filled the normal way (benchmarks/fill.py: 10,000 pilots take 10-30 minutes;
`--store DB` reuses one, `--pilots 500` makes a small one), then copied row by row into
PostgreSQL. Each command runs once to warm caches, then N times, round-robin with the others
(a slow spell of a shared machine hits a command and its baseline alike); the table shows
medians and each command's ratio to `status` on the same engine. Target: within 2x.
"""

from __future__ import annotations

import argparse
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
TARGET = 2.0  # times `status`
COMMANDS = {"status": ["status"], "due": ["due"], "metrics": ["metrics"]}


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, run round-robin after one warm-up round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    environment = os.environ | {"NO_COLOR": "1", "COLUMNS": "160"}
    for round_ in range(runs + 1):
        for name, argv in commands.items():
            start = time.perf_counter()
            done = subprocess.run(argv, capture_output=True, check=False, env=environment)
            if round_:
                times[name].append(time.perf_counter() - start)
            if done.returncode not in (0, 1):  # due exits 1 when something is overdue
                raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr!r}")
    return {name: statistics.median(found) for name, found in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / "work-due")
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="a filled SQLite store to reuse")
    args = parser.parse_args()
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    sqlite = f"sqlite:///{args.store or work / 'store.db'}"
    if args.store is None:
        print(f"filling the SQLite store with {args.pilots} pilots ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "fill.py"), sqlite, str(args.pilots), str(args.events)],
            check=True,
        )
    from pgserver.postgres_server import get_server

    socket = Path(f"/tmp/pilots-bench-{os.getpid()}")
    shutil.rmtree(socket, ignore_errors=True)
    socket.mkdir()
    server = get_server(str(socket), cleanup_mode="stop")
    results: dict[str, dict[str, float]] = {}
    try:
        server.psql("CREATE DATABASE bench;")
        postgres = f"postgresql+psycopg://postgres:@/bench?host={socket}"
        subprocess.run([sys.executable, str(HERE / "fill.py"), "--copy", sqlite, postgres],
                       check=True)  # fmt: skip
        for engine, url in {"SQLite": sqlite, "PostgreSQL": postgres}.items():
            commands = {name: [PILOTS, *words, "--db", url] for name, words in COMMANDS.items()}
            results[engine] = interleaved(commands, args.runs)
    finally:
        server.cleanup()
        shutil.rmtree(socket, ignore_errors=True)
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.pilots} pilots; median of {args.runs} runs\n"
    )
    print("| engine | command | median | × status | target (≤ 2) |")
    print("|---|---|---:|---:|:---:|")
    for engine, medians in results.items():
        for name, seconds in medians.items():
            ratio = seconds / medians["status"]
            met = "-" if name == "status" else ("yes" if ratio <= TARGET else "**no**")
            print(f"| {engine} | `pilots {name}` | {seconds * 1000:.0f} ms | {ratio:.2f} | {met} |")


if __name__ == "__main__":
    main()
