"""Opening the register and running work in transactions.

Every state change runs inside ``transaction``: one transaction per use case. On SQLite it
starts with ``BEGIN IMMEDIATE`` (see store.engine) so writers queue instead of failing;
``reading`` uses a deferred transaction so readers never block on each other.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from genai_pilots.store.engine import make_engine, mask, resolve_url
from genai_pilots.store.migrate import ensure_current

USER_ENV = "GENAI_PILOTS_USER"


@dataclass(frozen=True, slots=True)
class Store:
    """An open register: its engine and (masked) URL."""

    engine: Engine
    url: str

    @property
    def display_url(self) -> str:
        """The URL with any password hidden."""
        return mask(self.url)


def open_store(url: str | None = None, *, migrate: bool = True) -> Store:
    """Open the register at ``url`` (or the configured default), migrating it if needed."""
    resolved = resolve_url(url)
    engine = make_engine(resolved)
    if migrate:
        ensure_current(engine)
    return Store(engine, resolved)


@contextmanager
def transaction(store: Store) -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    with Session(store.engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading(store: Store) -> Iterator[Session]:
    """A read-only session that does not take SQLite's write lock."""
    engine = store.engine.execution_options(sqlite_begin="DEFERRED")
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


def stored_playbook(store: Store) -> tuple[str, str, str] | None:
    """The newest playbook stored in the register: (YAML text, who set it, when)."""
    from sqlmodel import col, select

    from genai_pilots.store.models import PlaybookRow

    with reading(store) as session:
        row = session.exec(
            select(PlaybookRow).order_by(col(PlaybookRow.id).desc()).limit(1)
        ).first()
    if row is None:
        return None
    return row.source, row.set_by, row.set_at.date().isoformat()


def resolve_actor(by: str | None = None) -> str:
    """Who acts: ``--by``, else ``GENAI_PILOTS_USER``, else the OS login."""
    if by:
        return by
    if os.environ.get(USER_ENV):
        return os.environ[USER_ENV]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
