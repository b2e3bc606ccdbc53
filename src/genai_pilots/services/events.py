"""Appending to a pilot's hash-chained history: the only way events are written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from genai_pilots.domain.audit import event_hash
from genai_pilots.store.models import EventRow, PilotRow
from genai_pilots.store.queries import last_event


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
    """Append one event to ``pilot``'s chain and move its head.

    ``prev`` (seq, hash) may be passed when the caller already knows the chain's end, as the
    bulk import does; otherwise it is read from the store.
    """
    if prev is None:
        prev = last_event(session, pilot.id)
    record = event_record(pilot.id, prev, kind, payload, actor=actor, at=at, reason=reason)
    row = EventRow(**record)
    session.add(row)
    pilot.head_hash = record["hash"]
    pilot.last_activity_at = at
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
        "hash": event_hash(prev_hash, pilot_id, seq, at, actor, kind, payload, reason),
    }
