"""Opening the register and running work in transactions.

Every state change runs inside ``transaction``: one transaction per use case. On SQLite it
starts with ``BEGIN IMMEDIATE`` (see store.engine) so writers queue instead of failing;
``reading`` uses a deferred transaction so readers never block on each other.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from genai_pilots import settings
from genai_pilots.errors import CheckFailed, NoStore, StoreError, UsageError
from genai_pilots.i18n import N_, _
from genai_pilots.store.driver import Reader
from genai_pilots.store.engine import (
    make_engine,
    mask,
    read_only,
    resolve_url,
    sqlite_file,
    sqlite_file_problem,
)
from genai_pilots.store.guards import foreign_code
from genai_pilots.store.layout import COLUMNS, HEAD
from genai_pilots.store.migrate import current_revision, ensure_current


@dataclass(frozen=True, slots=True)
class Store:
    """An open register: its engine and (masked) URL."""

    engine: Engine
    url: str
    read_only: bool = False  # a SQLite file this user may read but not change

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return mask(self.url)


def open_store(url: str | None = None, *, migrate: bool = True, create: bool = False) -> Store:
    """Open the register at ``url`` (or the configured default), migrating it if needed.

    Only commands that add to a register (``create``) make a new SQLite file: anything else
    pointed at a file that is not there says so, so a mistyped ``--db`` never leaves an empty
    store (and its directories) behind. A file this user may read but not change is opened
    read-only: every command that only reads works, and one that writes is refused.
    """
    resolved = resolve_url(url)
    path = sqlite_file(resolved)
    if path is not None:
        problem = sqlite_file_problem(path, create=create)
        if problem is not None:
            hint = (
                _("check --db / {variable} for a typo")
                if path.exists()
                else _("check --db / {variable} for a typo; `pilots import` starts a new register")
            )
            raise (StoreError if path.exists() else NoStore)(
                problem, hint=hint.format(variable=settings.DB.env)
            )
    elif migrate and resolved.startswith("sqlite:") and _in_memory(resolved):
        raise UsageError(
            _("{url} is a store in memory: it holds nothing from one command to the next").format(
                url=mask(resolved)
            ),
            hint=_("name a file: --db sqlite:///path/to/pilots.db"),
        )
    if path is not None and migrate:
        _refuse_what_is_no_store(path, create=create)
    engine = make_engine(resolved)
    store = Store(engine, resolved, read_only(resolved))
    if store.read_only:
        _refuse_upgrade_read_only(store)
    elif migrate:
        ensure_current(engine)
    return store


def _in_memory(url: str) -> bool:
    return url in ("sqlite://", "sqlite:///", "sqlite:///:memory:") or "mode=memory" in url


def _refuse_what_is_no_store(path: Path, *, create: bool) -> None:
    """A SQLite file without our schema: an empty one is no store yet, another one never.

    Looked at read-only, before the engine opens it: opening switches a file to WAL mode.
    """
    import sqlite3

    from genai_pilots.store.driver import connect_read_only

    if not path.is_file():
        return  # created below, for a command that creates
    try:
        connection = connect_read_only(path)
        try:
            tables = sorted(r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))  # fmt: skip
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise StoreError(
            _("cannot open the store {path}: {error}").format(path=path, error=exc),
            hint=_("check --db / {variable}: it must name a genai-pilots store").format(
                variable=settings.DB.env
            ),
        ) from None
    if "alembic_version" in tables or set(tables) & set(COLUMNS):
        return  # ours, or ours damaged: the migration check names what is wrong
    if tables:
        raise StoreError(
            _("{path} is not a genai-pilots store: it holds other tables ({tables})").format(
                path=path, tables=", ".join(tables[:3])
            ),
            hint=_("name another file: pilots never adds its tables to someone else's database"),
        )
    if not create:
        raise NoStore(
            _("there is no store at {path}: the file is empty").format(path=path),
            hint=_("`pilots import` starts a new register there"),
        )


def _refuse_upgrade_read_only(store: Store) -> None:
    """A read-only store is read as it is: at an older revision only its owner can upgrade it."""
    with store.engine.connect() as connection:
        revision = current_revision(connection)
    if revision != HEAD:
        raise StoreError(
            _(
                "the store {url} is at schema revision {revision} and read-only for you; this "
                "version reads {head}"
            ).format(url=store.display_url, revision=revision or _("none"), head=HEAD),
            hint=_("its owner runs any pilots command on it once, which upgrades it"),
        )


def refuse_read_only(store: Store) -> None:
    """Refuse a change to a store this user may only read, before anything is attempted."""
    if store.read_only:
        raise StoreError(
            _("the store {url} is read-only for you: this command changes it").format(
                url=store.display_url
            ),
            hint=_("ask its owner to run it, or work on a copy (`pilots db backup COPY.db`)"),
        )


# insufficient_privilege: the login's PostgreSQL roles do not allow this (``pilots db roles``)
_REFUSED_SQLSTATE = "42501"
ROLES_HINT = N_(
    "your database login lacks the role for this; the register's administrator grants "
    "pilots_reader, pilots_editor or pilots_approver, and pilots_admin for the people "
    "directory and the schema (README: Team setup on PostgreSQL)"
)


def refused_by_roles(exc: DBAPIError) -> StoreError | None:
    """The one-line error for a statement the login's grants do not allow, else ``None``."""
    if getattr(exc.orig, "sqlstate", None) != _REFUSED_SQLSTATE:
        return None
    diag = getattr(exc.orig, "diag", None)
    reason = getattr(diag, "message_primary", None) or str(exc.orig).splitlines()[0]
    return StoreError(
        _("the database refused: {reason}; nothing was changed").format(reason=reason),
        hint=_(ROLES_HINT),
    )


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    """Turn a statement the login's grants refuse into one line (``refused_by_roles``)."""
    try:
        yield
    except DBAPIError as exc:
        refused = refused_by_roles(exc)
        if refused is None:
            raise
        raise refused from None


@contextmanager
def transaction(store: Store) -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    refuse_read_only(store)
    with (
        refusals_as_errors(),
        Session(store.engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        refuse_foreign_code(session)
        yield session


def refuse_foreign_code(session: Session) -> None:
    """Write nothing while the store holds database code the tool did not create.

    A trigger would run inside this transaction and its rows would be sealed into the history
    with the tool's own (``store.guards``).
    """
    code = foreign_code(reader_of(session.connection()))
    if code:
        message = (
            _(
                "the store holds database code genai-pilots did not create or expects: {code} "
                "(and {more} more); nothing was written"
            )
            if len(code) > 1
            else _(
                "the store holds database code genai-pilots did not create or expects: {code}; "
                "nothing was written"
            )
        )
        raise CheckFailed(
            message.format(code=code[0], more=len(code) - 1),
            hint=_(
                "`pilots audit verify` lists it; restore a backup, or have the database "
                "administrator remove it and run `pilots audit verify` before writing again"
            ),
        )


def reader_of(connection: Connection) -> Reader:
    """A connection's own driver connection, to read plain SQL inside its transaction."""
    sqlite = connection.dialect.name == "sqlite"
    return Reader(connection.connection.driver_connection, "sqlite" if sqlite else "postgresql")


@contextmanager
def reading(store: Store) -> Iterator[Session]:
    """A read-only session that does not take SQLite's write lock."""
    engine = store.engine.execution_options(sqlite_begin="DEFERRED")
    with (
        refusals_as_errors(),
        Session(engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


P = ParamSpec("P")
T = TypeVar("T")

# serialization_failure, deadlock_detected, and unique_violation: a concurrent writer created
# the same row first; running the use case again sees it and does the right thing.
_RETRY_SQLSTATES = {"40001", "40P01", "23505"}
ATTEMPTS = 8


def _transient(exc: DBAPIError) -> bool:
    if getattr(exc.orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def retrying(work: Callable[P, T]) -> Callable[P, T]:
    """Run a one-transaction use case again when a concurrent writer got in the way.

    Safe because a use case's only effect is its transaction: a failed attempt left nothing.
    What still fails after the last attempt becomes a one-line ``StoreError``, never a raw
    "database is locked".
    """

    @functools.wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return work(*args, **kwargs)
            except DBAPIError as exc:
                if not _transient(exc):
                    raise
                if attempt == ATTEMPTS:
                    raise StoreError(
                        _("the register stayed busy with other writers; nothing was changed"),
                        hint=_("try again in a moment"),
                    ) from None
                time.sleep(random.uniform(0, 0.05 * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    return run


def require_reason(reason: str) -> None:
    """A change the history must explain refuses an empty ``--reason``."""
    if not reason.strip():
        raise UsageError(_("--reason must say why"))
