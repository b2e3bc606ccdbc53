"""What the large-register benchmarks share: their options, the filled SQLite store, a server.

`audit.py`, `due.py` and `db_copy.py` each time commands over the same 10,000-pilot register;
this fills it (or reuses `--store`) and starts a PostgreSQL from the `pgserver` package, as the
tests do, so the three never drift apart in how they set up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def arguments(description: str | None, work: str, runs: int) -> argparse.Namespace:
    """The options every large-register benchmark takes; the work directory made empty."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--work", type=Path, default=HERE / work)
    parser.add_argument("--pilots", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="a filled SQLite store to reuse")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    return args


def sqlite_store(args: argparse.Namespace, name: str = "p10k.db") -> str:
    """The URL of the filled SQLite store: ``--store``, else filled now (fill.py, minutes)."""
    sqlite = f"sqlite:///{args.store or args.work / name}"
    if args.store is None:
        print(f"filling the SQLite store with {args.pilots} pilots ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(HERE / "fill.py"), sqlite, str(args.pilots), str(args.events)],
            check=True,
        )
    return sqlite


@contextmanager
def postgres_server() -> Iterator[tuple[Any, Path]]:
    """A PostgreSQL server from pgserver on a socket of its own, stopped afterwards."""
    from pgserver.postgres_server import get_server

    socket = Path(f"/tmp/pilots-bench-{os.getpid()}")
    shutil.rmtree(socket, ignore_errors=True)
    socket.mkdir()
    server = get_server(str(socket), cleanup_mode="stop")
    try:
        yield server, socket
    finally:
        server.cleanup()
        shutil.rmtree(socket, ignore_errors=True)


def postgres_copy(server: Any, socket: Path, sqlite: str, database: str = "bench") -> str:
    """A new database on ``server`` holding a row-by-row copy of the SQLite store; its URL."""
    server.psql(f"CREATE DATABASE {database};")
    url = f"postgresql+psycopg://postgres:@/{database}?host={socket}"
    subprocess.run([sys.executable, str(HERE / "fill.py"), "--copy", sqlite, url], check=True)
    return url
