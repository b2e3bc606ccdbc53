"""Opening a store: which URL, the engine for it, and the SQLite settings we rely on.

SQLite is the embedded default: a file in the user data directory, created 0600 because it
holds governance evidence, in WAL mode with foreign keys on and a busy timeout. PostgreSQL is
chosen with a ``postgresql+psycopg://`` URL. URLs are shown only with the password masked.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from genai_pilots import settings
from genai_pilots.errors import StoreError
from genai_pilots.i18n import _
from genai_pilots.store.driver import (
    BUSY_TIMEOUT_MS,
    connect_read_only,
    default_url,
    resolve_url,
    writable,
)

__all__ = ["default_url", "make_engine", "mask", "resolve_url"]


def mask(url: str) -> str:
    """The URL with any password replaced, safe to print or log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable database URL>"


@dataclass(frozen=True, slots=True)
class StoreInfo:
    """What ``pilots db info`` shows."""

    url: str
    backend: str
    path: Path | None


def sqlite_file_problem(path: Path, *, create: bool) -> str | None:
    """What keeps ``path`` from being a SQLite store a command can open, said plainly."""
    if path.is_dir():
        return _(
            "{path} is a directory, not a store file; name a file in it, e.g. {example}"
        ).format(path=path, example=path / "pilots.db")
    if path.exists() and not path.is_file():
        return _("{path} is not a regular file, so it cannot be a store").format(path=path)
    if path.exists():
        return None
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            return _("{parent} is a file, so {path} cannot be created beneath it").format(
                parent=parent, path=path
            )
        if parent.exists():
            break
    if not create:
        return _("there is no store at {path}: nothing has been imported there").format(path=path)
    return None


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store URL (``None`` for PostgreSQL and in-memory stores)."""
    try:
        return _sqlite_path(url) if make_url(url).get_backend_name() == "sqlite" else None
    except (ArgumentError, ValueError):
        return None


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the directory and an empty 0600 file, so the store is never world-readable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        if not path.is_file():
            problem = sqlite_file_problem(path, create=True) or _(
                "{path} is not a store file"
            ).format(path=path)
            raise StoreError(
                _("cannot create the store: {problem}").format(problem=problem),
                hint=_("pass --db with a writable location, or set {variable}").format(
                    variable=settings.DB.env
                ),
            ) from None
    except OSError as exc:
        raise StoreError(
            _("cannot create the store at {path}: {error}").format(path=path, error=exc.strerror),
            hint=_("pass --db with a writable location, or set {variable}").format(
                variable=settings.DB.env
            ),
        ) from None


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling would defeat BEGIN IMMEDIATE; we issue BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_sqlite_begin(connection: Any) -> None:
    # Writers take the lock up front, so two never both read and then both fail to write;
    # readers ask for a deferred transaction (execution option ``sqlite_begin``).
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _on_read_only_begin(connection: Any) -> None:
    # Nothing can be written, so no lock is taken up front; a write is refused before this.
    connection.exec_driver_sql("BEGIN DEFERRED")


_ENGINES: dict[str, Engine] = {}
_READ_ONLY: set[str] = set()  # URLs of SQLite files this user can read but not change


def read_only(url: str) -> bool:
    """Whether the store at ``url`` was opened read-only: this user cannot change its file."""
    return url in _READ_ONLY


def canonical_json(value: Any) -> str:
    """How JSON columns are written: sorted keys, no spaces (``domain.audit.canonical_json``).

    Stored JSON is then already the canonical text the hash chain covers, so ``audit verify``
    hashes it as read instead of parsing and writing it again.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def make_engine(url: str) -> Engine:
    """The engine for ``url``, created once per process and then shared (it holds the pool)."""
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = _create(url)
    return engine


def forget_engines() -> None:
    """In a forked worker: drop the parent's engines without touching their connections."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.dispose(close=False)


def dispose_engines() -> None:
    """Close every pooled connection: at the end of a command, and before tests drop a database."""
    while _ENGINES:
        _, engine = _ENGINES.popitem()
        engine.dispose()


def _not_a_url(url: str) -> StoreError:
    """What to type instead: a path gets the URL of that very file."""
    if "://" not in url and "@" not in url:  # a path (a URL with credentials is never echoed)
        path = Path(url).expanduser().absolute()
        return StoreError(
            _("--db (and GENAI_PILOTS_DB) takes a database URL, and {url!r} is a path").format(
                url=url
            ),
            hint=_("for a SQLite file there use --db sqlite:///{path}").format(path=path),
        )
    return StoreError(
        _("not a database URL: {url}").format(url=mask(url)),
        hint=_("use sqlite:///path/to/pilots.db or postgresql+psycopg://user@host:5432/db"),
    )


def _create(url: str) -> Engine:
    """A new engine; SQLite gets its file, pragmas and immediate transactions."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise _not_a_url(url) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = _sqlite_path(url)
        if path is not None and path.is_file() and not writable(path):
            _READ_ONLY.add(url)
            engine = create_engine(url, creator=lambda: connect_read_only(path),
                                   json_serializer=canonical_json)  # fmt: skip
            event.listen(engine, "begin", _on_read_only_begin)
            return engine
        if path is not None:
            _prepare_sqlite_file(path)
        engine = create_engine(url, json_serializer=canonical_json)
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            raise StoreError(
                _("unsupported PostgreSQL driver in {url}").format(url=mask(url)),
                hint=_("use a postgresql+psycopg:// URL (pip install 'genai-pilots[postgres]')"),
            )
        try:
            return create_engine(url, pool_pre_ping=True, json_serializer=canonical_json)
        except ImportError:
            raise StoreError(
                _("PostgreSQL support is not installed"),
                hint="pip install 'genai-pilots[postgres]'",
            ) from None
    raise StoreError(
        _("unsupported database: {url}").format(url=mask(url)),
        hint=_("use sqlite:///... or postgresql+psycopg://..."),
    )


def store_info(url: str) -> StoreInfo:
    """Describe a store URL without opening it."""
    backend = make_url(url).get_backend_name()
    return StoreInfo(mask(url), backend, _sqlite_path(url) if backend == "sqlite" else None)
