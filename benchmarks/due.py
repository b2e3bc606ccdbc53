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
    args = stores.arguments(__doc__, "work-due", runs=5)
    sqlite = stores.sqlite_store(args, "store.db")
    results: dict[str, dict[str, float]] = {}
    with stores.postgres_server() as (server, socket):
        postgres = stores.postgres_copy(server, socket, sqlite)
        for engine, url in {"SQLite": sqlite, "PostgreSQL": postgres}.items():
            commands = {name: [PILOTS, *words, "--db", url] for name, words in COMMANDS.items()}
            results[engine] = interleaved(commands, args.runs)
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
