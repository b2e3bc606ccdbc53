"""Store maintenance for ``pilots db``: migrate, and describe without changing anything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from genai_pilots.services.store import open_store
from genai_pilots.store.engine import store_info
from genai_pilots.store.migrate import HEAD, current_revision, ensure_current
from genai_pilots.store.models import EventRow, PilotRow


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
    """Migrate to this version's schema; (revision before, revision after)."""
    store = open_store(url, migrate=False)
    with store.engine.connect() as connection:
        before = current_revision(connection)
    ensure_current(store.engine)
    return before, HEAD


def describe_store(url: str | None = None) -> StoreDescription:
    """Location, engine, revision and row counts; an empty store is not migrated."""
    store = open_store(url, migrate=False)
    info = store_info(store.url)
    with store.engine.connect() as connection:
        revision = current_revision(connection)
    pilots = events = 0
    if revision == HEAD:
        with Session(store.engine) as session:
            pilots = session.exec(select(func.count()).select_from(PilotRow)).one()
            events = session.exec(select(func.count()).select_from(EventRow)).one()
    return StoreDescription(info.url, info.backend, info.path, revision, HEAD, pilots, events)
