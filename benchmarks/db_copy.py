"""Time `pilots db copy` (and dump, restore) of a 10,000-pilot / 100,000-event register.

    python benchmarks/db_copy.py [--runs N] [--work DIR] [--pilots P] [--events E] [--store DB]

The SQLite store is filled the normal way (benchmarks/fill.py, about 10 minutes; `--store DB`
reuses one). A PostgreSQL server is started from the pgserver package, as the tests do, with a
new empty database for every run: `db copy` needs an empty target. Each command runs as its
own `pilots` process; the table shows its wall time and its peak resident memory (the
process's own `ru_maxrss`, from `os.wait4`), median over the runs. Targets: `db copy` SQLite
→ PostgreSQL under 60 s and 250 MB. Needs the test extra (pgserver, psycopg).

(Not ``copy.py``: a script run from this folder has it first on ``sys.path``, and a
``copy.py`` here would stand in for the standard library's ``copy`` in every benchmark.)
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import stores  # noqa: E402 - benchmarks/ is on the path when a script here runs

HERE = Path(__file__).resolve().parent
PILOTS = str(Path(sys.executable).parent / "pilots")
SECONDS, MEGABYTES = 60, 250  # the targets for `db copy` SQLite -> PostgreSQL


def measured(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one ``pilots`` process; it must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}: {err.decode()}")
    print(f"  {' '.join(argv[1:3])}: {out.decode().strip()}", file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def _copies(
    args: Any, work: Path, sqlite: str, server: Any, socket: Path
) -> tuple[dict[str, list[tuple[float, float]]], int]:
    """Each step timed ``args.runs`` times into fresh databases; and the dump's size."""
    results: dict[str, list[tuple[float, float]]] = {}
    size = 0
    for run in range(args.runs):
        print(f"run {run + 1} of {args.runs}", file=sys.stderr)
        names = [f"copy{run}", f"restore{run}"]
        for name in names:
            server.psql(f"CREATE DATABASE {name};")
        postgres, restored = (f"postgresql+psycopg://postgres:@/{n}?host={socket}" for n in names)
        back = f"sqlite:///{work / f'back{run}.db'}"
        dump = work / f"pilots{run}.jsonl"
        steps = {
            "`db copy` SQLite → PostgreSQL": ["db", "copy", "--db", sqlite, "--to", postgres],
            "`db copy` PostgreSQL → SQLite": ["db", "copy", "--db", postgres, "--to", back],
            "`db dump` SQLite → file": ["db", "dump", str(dump), "--db", sqlite],
            "`db restore` file → PostgreSQL": ["db", "restore", str(dump), "--db", restored],
        }
        for label, words in steps.items():
            results.setdefault(label, []).append(measured([PILOTS, *words]))
        size = dump.stat().st_size
        for name in names:
            server.psql(f"DROP DATABASE {name};")
        for path in (work / f"back{run}.db", dump):
            path.unlink()
    return results, size


def main() -> None:
    args = stores.arguments(__doc__, "work-copy", runs=3)
    work: Path = args.work
    sqlite = stores.sqlite_store(args)
    with stores.postgres_server() as (server, socket):
        results, size = _copies(args, work, sqlite, server, socket)
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.pilots} pilots, about {args.events} events; "
        f"median of {args.runs} runs; the dump file is {size / 2**20:.0f} MiB\n"
    )
    print("| command | median | peak RSS | target |")
    print("|---|---:|---:|:---:|")
    for label, values in results.items():
        seconds = statistics.median(v[0] for v in values)
        megabytes = max(v[1] for v in values)
        target = "-"
        if label.endswith("SQLite → PostgreSQL"):
            target = "yes" if seconds < SECONDS and megabytes < MEGABYTES else "**no**"
        print(f"| {label} | {seconds:.1f} s | {megabytes:.0f} MB | {target} |")


if __name__ == "__main__":
    main()
