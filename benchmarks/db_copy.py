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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=HERE / "work-copy")
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
    results: dict[str, list[tuple[float, float]]] = {}
    try:
        for run in range(args.runs):
            print(f"run {run + 1} of {args.runs}", file=sys.stderr)
            names = [f"copy{run}", f"restore{run}"]
            for name in names:
                server.psql(f"CREATE DATABASE {name};")
            postgres, restored = (
                f"postgresql+psycopg://postgres:@/{n}?host={socket}" for n in names
            )
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
    finally:
        server.cleanup()
        shutil.rmtree(socket, ignore_errors=True)
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
