"""Appending to the hash-chained histories: the only way events are written.

Every event records the digests of the state it leaves behind (``domain.state``), read back
from the tables inside the same transaction, so the newest event of a chain proves the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session, col

from genai_pilots.domain.audit import GENESIS, event_hash
from genai_pilots.domain.state import pilot_state, register_state
from genai_pilots.store.models import (
    EventRow,
    PilotRow,
    PlaybookRow,
    RegisterEventRow,
    RegisterRow,
    metadata,
)
from genai_pilots.store.queries import last_event

# The register-wide chain hashes as if it were a pilot with this id, which no pilot can have.
REGISTER_CHAIN = "@register"


def pilot_tables() -> list[Table]:
    """Every table whose rows belong to one pilot, the history itself excepted."""
    return [t for t in metadata.sorted_tables if "pilot_id" in t.c and t.name != "event"]


def register_tables() -> list[Table]:
    """The register-wide tables whose rows the register chain proves."""
    return [metadata.tables[str(PlaybookRow.__tablename__)]]


def pilot_columns(pilot: PilotRow) -> dict[str, Any]:
    """A pilot row as column values, as the database returns them."""
    return {c.name: getattr(pilot, c.name) for c in PilotRow.__table__.columns}  # type: ignore[attr-defined]


def current_state(session: Session, pilot: PilotRow) -> dict[str, str]:
    """The digests of ``pilot``'s state as this transaction leaves it."""
    session.flush()
    connection = session.connection()  # plain Core reads: no ORM objects, no autoflush
    tables: dict[str, Iterable[Mapping[str, Any]]] = {}
    for table in pilot_tables():
        rows = connection.execute(select(table).where(table.c.pilot_id == pilot.id)).mappings()
        tables[table.name] = [dict(r) for r in rows]
    return pilot_state(pilot_columns(pilot), tables)


def append_event(
    session: Session,
    pilot: PilotRow,
    kind: str,
    payload: dict[str, Any],
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None = None,
    prev: tuple[int, str] | None = None,
) -> EventRow:
    """Append one event to ``pilot``'s chain, fixing the state it leaves, and move its head.

    Make the event's changes to the tables first: the event records the state after them.
    ``prev`` (seq, hash) may be passed when the caller already knows the chain's end, as the
    import does; otherwise it is read from the store.
    """
    if prev is None:
        prev = last_event(session, pilot.id)
    pilot.last_activity_at = at
    state = current_state(session, pilot)
    record = event_record(
        pilot.id, prev, kind, payload, actor=actor, at=at, reason=reason, state=state
    )
    row = EventRow(**record)
    session.add(row)
    pilot.head_hash = record["hash"]
    session.add(pilot)
    return row


def event_record(
    pilot_id: str,
    prev: tuple[int, str],
    kind: str,
    payload: dict[str, Any],
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None = None,
    state: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The column values of the event after ``prev`` (seq, hash), its hash computed."""
    seq, prev_hash = prev[0] + 1, prev[1]
    return {
        "pilot_id": pilot_id,
        "seq": seq,
        "at": at,
        "actor": actor,
        "kind": kind,
        "payload": payload,
        "reason": reason,
        "prev_hash": prev_hash,
        "hash": event_hash(prev_hash, pilot_id, seq, at, actor, kind, payload, reason, state),
        "state": state,
    }


def append_register_event(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None = None,
) -> RegisterEventRow:
    """Append one event to the register-wide chain (after its changes), and move its anchor."""
    anchor = session.get(RegisterRow, 1, with_for_update=True) or RegisterRow(
        id=1, head_hash=GENESIS
    )
    last = session.execute(
        select(col(RegisterEventRow.seq)).order_by(col(RegisterEventRow.seq).desc()).limit(1)
    ).scalar()
    session.flush()
    tables = {t.name: [dict(r) for r in session.execute(select(t)).mappings()]
              for t in register_tables()}  # fmt: skip
    record = event_record(
        REGISTER_CHAIN, (last or 0, anchor.head_hash), kind, payload, actor=actor, at=at,
        reason=reason, state=register_state(tables),
    )  # fmt: skip
    del record["pilot_id"]
    row = RegisterEventRow(**record)
    session.add(row)
    anchor.head_hash = record["hash"]
    session.add(anchor)
    return row
