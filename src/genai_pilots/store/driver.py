"""A read-only connection straight from the driver, for checks that must start fast.

``audit verify`` and ``db check`` read every row and never write. Opening the store through
the driver (``sqlite3``, ``psycopg``) instead of SQLAlchemy saves the half second its import
costs. Only what is plainly understood is opened this way: a SQLite file that exists, or a
``postgresql+psycopg://`` URL without surprises, whose schema is at ``HEAD``. For anything
else ``open_reader`` gives ``None`` and the caller takes the ordinary path, which creates,
migrates or explains. Standard library (and psycopg, when the URL asks for it) only.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from genai_pilots import settings
from genai_pilots.errors import StoreError
from genai_pilots.i18n import _
from genai_pilots.paths import data_dir
from genai_pilots.store.layout import HEAD, Dialect

BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    """The embedded SQLite store in the user data directory."""
    return f"sqlite:///{data_dir() / 'pilots.db'}"


def resolve_url(url: str | None) -> str:
    """``--db``, else ``GENAI_PILOTS_DB``, else the default SQLite file."""
    return url or settings.DB.value() or default_url()


@dataclass(slots=True)
class Reader:
    """A DB-API connection and its dialect: plain SQL in, rows as tuples out."""

    connection: Any
    dialect: Dialect

    @property
    def mark(self) -> str:
        """The parameter placeholder of this driver."""
        return "?" if self.dialect == "sqlite" else "%s"

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> tuple[list[str], list[Any]]:
        """Rows straight from the driver, as tuples, with the names of their columns."""
        cursor = self.connection.cursor()
        try:
            cursor.execute(sql, tuple(parameters))
            names = [d[0] for d in cursor.description]
            return names, cursor.fetchall()
        finally:
            cursor.close()


@contextmanager
def open_reader(url: str) -> Iterator[Reader | None]:
    """A read-only connection to the store at ``url``; ``None`` unless it is plainly usable.

    ``None`` is not an error: the ordinary path opens the store and says what is wrong.
    """
    connection = _connect(url)
    if connection is None:
        yield None
        return
    try:
        reader = Reader(connection, "sqlite" if isinstance(connection, sqlite3.Connection)
                        else "postgresql")  # fmt: skip
        yield reader if _is_current(reader) else None
    finally:
        connection.close()


def _connect(url: str) -> Any:
    try:
        if url.startswith("sqlite:///"):
            return _connect_sqlite(url.removeprefix("sqlite:///"))
        if url.startswith("postgresql+psycopg://"):
            return _connect_postgresql(url)
    except Exception:  # noqa: BLE001 - any failure: the ordinary path opens it and explains
        return None
    return None


def _connect_sqlite(database: str) -> sqlite3.Connection | None:
    """The file read-only (never created, never switched to WAL), in one read transaction."""
    if not database or database == ":memory:" or any(c in database for c in "?%#"):
        return None
    path = Path(database)
    if not path.is_file():
        return None
    connection = connect_read_only(path)
    connection.execute("BEGIN DEFERRED")  # every read of this connection sees one snapshot
    return connection


def writable(path: Path) -> bool:
    """Whether this user may change the SQLite file (and add its journal files beside it).

    Beside the file itself, that is: SQLite follows a symbolic link and keeps its journal files
    next to the file it points to.
    """
    real = path.resolve()
    return os.access(real, os.W_OK) and os.access(real.parent, os.W_OK | os.X_OK)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A SQLite file opened read-only, also where this user cannot write beside it.

    A WAL store needs its shared-memory file: where that exists it is used, so changes by the
    file's owner are seen. Where it does not and cannot be made (a store someone else owns,
    in their directory), no one has it open for writing, and it is read as an unchanging file;
    an unfinished write-ahead log then makes it unreadable until its owner opens it once.
    """
    real = path.resolve()  # SQLite keeps the journal files beside the file a link points to
    shm, wal = Path(f"{real}-shm"), Path(f"{real}-wal")
    mode = "mode=ro"
    if not shm.exists() and not os.access(real.parent, os.W_OK | os.X_OK):
        if wal.exists() and wal.stat().st_size:
            raise StoreError(
                _(
                    "the store {path} has changes in {wal} that only its owner can fold in, "
                    "and you may only read it"
                ).format(path=path, wal=wal.name),
                hint=_(
                    "ask its owner to run any pilots command on it (that folds them in), or to "
                    "share a copy made with `pilots db backup`"
                ),
            )
        mode = "immutable=1"
    connection = sqlite3.connect(f"{real.as_uri()}?{mode}", uri=True,
                                 isolation_level=None, check_same_thread=False)  # fmt: skip
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA query_only = ON")
    return connection


def _connect_postgresql(url: str) -> Any:
    """The psycopg connection for a SQLAlchemy-style URL, if it has nothing unusual in it.

    Anything SQLAlchemy might read differently (a fragment, a second ``@``, brackets, several
    hosts, an escaped database name, a port that is not a number) goes the ordinary way, so
    the fast path never checks another database than every other command uses.
    """
    if any(c in url for c in "#[],") or url.count("@") > 1:  # read otherwise by SQLAlchemy
        return None
    parts = urlsplit(url)
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    host, _, port = hostport.partition(":")
    if (port and not port.isdigit()) or "%" in parts.path:
        return None
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    if any(len(values) != 1 for values in query.values()):
        return None
    arguments = {key: values[0] for key, values in query.items()}
    given = {"user": user, "password": password, "host": host, "port": port,
             "dbname": parts.path.removeprefix("/")}  # fmt: skip
    for key, value in given.items():
        if value and key not in arguments:
            arguments[key] = unquote(value)
    import psycopg
    from psycopg.conninfo import make_conninfo

    connection = psycopg.connect(make_conninfo("", **arguments))
    connection.read_only = True  # one snapshot for every read, and never a write
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return connection


def _is_current(reader: Reader) -> bool:
    """Whether the store's schema is the one this version reads (else: the ordinary path)."""
    try:
        _, rows = reader.rows("SELECT version_num FROM alembic_version")
    except Exception:  # noqa: BLE001 - no such table, no grant: the ordinary path explains
        return False
    return [tuple(r) for r in rows] == [(HEAD,)]
