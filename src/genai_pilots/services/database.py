"""Store maintenance for ``pilots db``: migrate, and describe without changing anything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from genai_pilots import settings
from genai_pilots.errors import StoreError, UsageError
from genai_pilots.i18n import _
from genai_pilots.services.audit import verify
from genai_pilots.services.audit_pass import CheckResult, engine_problems
from genai_pilots.services.parallel import can_fork, one_forked_worker
from genai_pilots.services.transactions import open_store, reader_of, refusals_as_errors
from genai_pilots.store.driver import connect_read_only
from genai_pilots.store.engine import (
    dispose_engines,
    forget_engines,
    make_engine,
    resolve_url,
    store_info,
)
from genai_pilots.store.migrate import HEAD, current_revision, upgrade
from genai_pilots.store.models import EventRow, PilotRow
from genai_pilots.store.roles import register_tables, role_statements


@dataclass(frozen=True, slots=True)
class StoreDescription:
    """What ``pilots db info`` prints."""

    url: str
    backend: str
    path: Path | None
    revision: str | None
    head: str
    pilots: int
    events: int


def upgrade_store(url: str | None = None) -> tuple[str | None, str]:
    """Migrate to this version's schema; (revision before, revision after).

    The one way a shared PostgreSQL store changes its schema (``open_store`` refuses an older
    one there); on a database set up with ``pilots db roles`` only ``pilots_admin`` may.
    """
    store = open_store(url, migrate=False, create=True)
    with refusals_as_errors():
        with store.engine.connect() as connection:
            before = current_revision(connection)
        if before != HEAD:
            upgrade(store.engine)
    return before, HEAD


def database_roles(url: str | None = None, *, dry_run: bool = False) -> list[str]:
    """Create the group roles of a PostgreSQL register and grant them (or, dry, only list them).

    Idempotent: run again after an upgrade or to undo grants changed by hand. A SQLite store
    has no roles: it is one user's file.
    """
    resolved = resolve_url(url)
    if store_info(resolved).backend != "postgresql":
        raise UsageError(
            _(
                "db roles sets up a shared PostgreSQL register; a SQLite store is a single "
                "user's file (mode 0600) and has no database roles"
            )
        )
    statements = role_statements(register_tables())
    if dry_run:
        return statements
    store = open_store(resolved)
    with refusals_as_errors(), store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    return statements


def describe_store(url: str | None = None) -> StoreDescription:
    """Location, engine, revision and row counts; an empty store is not migrated."""
    store = open_store(url, migrate=False)
    info = store_info(store.url)
    try:
        with store.engine.connect() as connection:
            revision = current_revision(connection)
        pilots = events = 0
        if revision == HEAD:
            with Session(store.engine) as session:
                pilots = session.exec(select(func.count()).select_from(PilotRow)).one()
                events = session.exec(select(func.count()).select_from(EventRow)).one()
    except DBAPIError as exc:
        raise StoreError(
            _("cannot open the store {url}: {problem}").format(
                url=store.display_url, problem=str(exc.orig).splitlines()[0]
            ),
            hint=_("check --db / {variable} and that the database is reachable").format(
                variable=settings.DB.env
            ),
        ) from None
    return StoreDescription(info.url, info.backend, info.path, revision, HEAD, pilots, events)


def check_store(url: str | None = None) -> CheckResult:
    """Run the engine's own integrity check and verify every pilot's history, side by side.

    The engine's check (SQLite's ``integrity_check`` reads the whole file) runs in a forked
    process while ``verify`` runs here: on a large register they take about as long as
    ``verify`` alone would.
    """
    store = open_store(url)
    if not can_fork():  # pragma: no cover - Windows
        return CheckResult(_engine_problems(store.url), verify(store))
    dispose_engines()  # no open connection may be shared with a child
    with one_forked_worker() as pool:
        engine_check = pool.submit(_engine_problems_in_worker, store.url)
        audit = verify(store)
        return CheckResult(engine_check.result(), audit)


def _engine_problems_in_worker(url: str) -> list[str]:
    forget_engines()  # the connections it inherited belong to the parent
    try:
        return _engine_problems(url)
    finally:
        dispose_engines()


def _engine_problems(url: str) -> list[str]:
    """What the database engine itself finds wrong with the store's files or constraints."""
    with make_engine(url).connect() as connection:
        return engine_problems(reader_of(connection))


def backup_store(target: Path, url: str | None = None) -> Path:
    """Copy a SQLite store with SQLite's online backup: consistent while others write."""
    import os
    import sqlite3

    store = open_store(url)
    info = store_info(store.url)
    if info.backend != "sqlite" or info.path is None:
        raise UsageError(
            _("db backup copies SQLite stores; back up PostgreSQL with pg_dump"),
            hint="pg_dump --format=custom --file=pilots.dump DATABASE",
        )
    if str(target) == "-":
        raise UsageError(
            _("db backup writes a SQLite file, not a stream: name the file"),
            hint=_("for a stream, `pilots db dump -` writes the register to stdout"),
        )
    if target.exists():
        raise UsageError(
            _("{path} exists; choose a new file so no backup is overwritten").format(path=target)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise UsageError(
            _("cannot write the backup {path}: {problem}").format(
                path=target, problem=exc.strerror
            ),
            hint=_("name a new file in a directory you may write to"),
        ) from None
    source = connect_read_only(info.path) if store.read_only else sqlite3.connect(info.path)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
    return target
