"""Appending to the hash-chained histories: the only way events are written.

Every event records the digests of the state it leaves behind (``domain.state``), read back
from the tables inside the same transaction, so the newest event of a chain proves the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session, col

from genai_pilots.domain.audit import GENESIS, REGISTER_CHAIN, event_hash
from genai_pilots.domain.events import Payload
from genai_pilots.domain.stages import refuse_if_ended
from genai_pilots.domain.state import pilot_state, register_state
from genai_pilots.errors import CheckFailed
from genai_pilots.i18n import _
from genai_pilots.store.models import (
    EventRow,
    PersonRow,
    PilotRow,
    PlaybookRow,
    RegisterEventRow,
    RegisterRow,
    RegisterSettingRow,
    metadata,
)
from genai_pilots.store.queries import get_pilot, last_event


@cache
def pilot_tables() -> tuple[Table, ...]:
    """Every table whose rows belong to one pilot, the history itself excepted."""
    return tuple(t for t in metadata.sorted_tables if "pilot_id" in t.c and t.name != "event")


def register_tables() -> list[Table]:
    """The register-wide tables whose rows the register chain proves."""
    rows = (PlaybookRow, PersonRow, RegisterSettingRow)
    return [metadata.tables[str(t.__tablename__)] for t in rows]


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
    event: Payload,
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
    record = event_record(pilot.id, prev, event, actor=actor, at=at, reason=reason, state=state)
    row = EventRow(**record)
    session.add(row)
    pilot.head_hash = record["hash"]
    session.add(pilot)
    return row


def event_record(
    pilot_id: str,
    prev: tuple[int, str],
    event: Payload,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None = None,
    state: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The column values of the event after ``prev`` (seq, hash), its hash computed."""
    seq, prev_hash = prev[0] + 1, prev[1]
    kind, payload = event.kind, event.as_payload()
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


class ChangedOutsideTool(CheckFailed):
    """The rows differ from what the newest event recorded: nothing is built on them."""

    def __init__(self, what: str) -> None:
        super().__init__(
            _(
                "{what} was changed outside genai-pilots since its newest event; nothing was "
                "changed"
            ).format(what=what),
            hint=_("`pilots audit verify` names what differs; restore the store from a backup"),
        )


def ensure_intact(session: Session, pilot: PilotRow) -> None:
    """Refuse to append to a pilot whose rows are not the state its newest event recorded.

    Without this, any command would record ("seal") a direct edit of the tables as if the tool
    had made it, and the audit could no longer see it.
    """
    newest = (
        session.connection()
        .execute(
            select(EventRow.hash, EventRow.state)  # type: ignore[call-overload]
            .where(EventRow.pilot_id == pilot.id)
            .order_by(col(EventRow.seq).desc())
            .limit(1)
        )
        .first()
    )
    if newest is None:
        if pilot.head_hash != GENESIS:
            raise ChangedOutsideTool(_("pilot {id}").format(id=pilot.id))
        return
    head, state = newest
    if head != pilot.head_hash or (state is not None and current_state(session, pilot) != state):
        raise ChangedOutsideTool(_("pilot {id}").format(id=pilot.id))


def pilot_to_change(session: Session, pilot_id: str, doing: str | None = None) -> PilotRow:
    """A pilot locked for a change, after checking nobody changed it behind the tool's back.

    With ``doing``, a pilot that has ended is refused (it cannot ``doing`` any more).
    """
    pilot = get_pilot(session, pilot_id, lock=True)
    if doing is not None:
        refuse_if_ended(pilot_id, pilot.outcome, doing)
    ensure_intact(session, pilot)
    return pilot


def _register_now(
    session: Session, *, lock: bool = True
) -> tuple[RegisterRow, int, dict[str, str] | None, dict[str, str]]:
    """The register's anchor, newest seq and recorded state, and its state now."""
    anchor = session.get(RegisterRow, 1, with_for_update=lock) or RegisterRow(
        id=1, head_hash=GENESIS
    )
    connection = session.connection()
    newest = connection.execute(
        select(RegisterEventRow.seq, RegisterEventRow.hash, RegisterEventRow.state)  # type: ignore[call-overload]
        .order_by(col(RegisterEventRow.seq).desc())
        .limit(1)
    ).first()
    if newest is not None and newest[1] != anchor.head_hash:
        raise ChangedOutsideTool(_("the register's history"))
    session.flush()
    tables = {t.name: [dict(r) for r in connection.execute(select(t)).mappings()]
              for t in register_tables()}  # fmt: skip
    ids = [i for (i,) in connection.execute(select(PilotRow.id))]  # type: ignore[call-overload]
    seq, recorded = (newest[0], newest[2]) if newest is not None else (0, {})
    return anchor, seq, recorded, register_state(tables, ids)


def ensure_register_intact(session: Session, *, lock: bool = True) -> None:
    """Refuse to go on while the register's tables differ from its history.

    Before a register-wide change (``lock``), and before a change judged by the playbook the
    register holds: a playbook row slipped in or swapped behind the tool's back must not decide
    a gate.
    """
    *_ignored, recorded, now = _register_now(session, lock=lock)
    if recorded is not None and recorded != now:
        raise ChangedOutsideTool(
            _(
                "the register (its playbooks, its people directory, its settings or its set of "
                "pilots)"
            )
        )


def append_register_event(
    session: Session,
    event: Payload,
    *,
    actor: str,
    at: dt.datetime,
    reason: str | None = None,
) -> RegisterEventRow:
    """Append one event to the register-wide chain (after its changes), and move its anchor.

    Call ``ensure_register_intact`` before making the changes.
    """
    anchor, last, _recorded, state = _register_now(session)
    record = event_record(
        REGISTER_CHAIN, (last, anchor.head_hash), event, actor=actor, at=at, reason=reason,
        state=state,
    )  # fmt: skip
    del record["pilot_id"]
    row = RegisterEventRow(**record)
    session.add(row)
    anchor.head_hash = record["hash"]
    session.add(anchor)
    return row
