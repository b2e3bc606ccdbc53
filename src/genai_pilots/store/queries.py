"""Queries the services share; a constant number per command, never one per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from genai_pilots.domain.audit import GENESIS
from genai_pilots.errors import NotFound
from genai_pilots.i18n import _
from genai_pilots.store.models import EventRow, MeasurementRow, PilotRow

CHUNK = 500


def last_event(session: Session, pilot_id: str) -> tuple[int, str]:
    """(seq, hash) of a pilot's newest event; (0, GENESIS) when it has none."""
    session.flush()  # events added in this transaction count
    row = (
        session.connection()
        .execute(
            select(EventRow.seq, EventRow.hash)
            .where(EventRow.pilot_id == pilot_id)
            .order_by(col(EventRow.seq).desc())
            .limit(1)
        )
        .first()
    )
    return (row[0], row[1]) if row else (0, GENESIS)


def last_events(session: Session, pilot_ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """(seq, hash) of the newest event of each pilot, in a few queries."""
    ids = list(pilot_ids)
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        newest = (
            select(EventRow.pilot_id, func.max(EventRow.seq).label("seq"))
            .where(col(EventRow.pilot_id).in_(chunk))
            .group_by(EventRow.pilot_id)
            .subquery()
        )
        rows = session.exec(
            select(EventRow.pilot_id, EventRow.seq, EventRow.hash).join(
                newest,
                and_(
                    col(EventRow.pilot_id) == newest.c.pilot_id, col(EventRow.seq) == newest.c.seq
                ),
            )
        )
        found.update({pilot: (seq, digest) for pilot, seq, digest in rows})
    return found


def pilots_by_id(
    session: Session, pilot_ids: Iterable[str], *, lock: bool = False
) -> dict[str, PilotRow]:
    """The pilots with these ids, in a few queries; locked for update when asked."""
    ids = list(pilot_ids)
    found: dict[str, PilotRow] = {}
    for start in range(0, len(ids), CHUNK):
        statement = select(PilotRow).where(col(PilotRow.id).in_(ids[start : start + CHUNK]))
        if lock:
            statement = statement.order_by(col(PilotRow.id)).with_for_update()
        found.update({row.id: row for row in session.exec(statement)})
    return found


def get_pilot(session: Session, pilot_id: str, *, lock: bool = False) -> PilotRow:
    """One pilot, locked for update when asked; ``NotFound`` names it otherwise."""
    statement = select(PilotRow).where(PilotRow.id == pilot_id)
    if lock:
        statement = statement.with_for_update()
    row = session.exec(statement).first()
    if row is None:
        raise NotFound(
            _("no pilot with id '{pilot}'").format(pilot=pilot_id),
            hint=_("`pilots status --all` lists every pilot in the register"),
        )
    return row


def events_of(session: Session, pilot_id: str, limit: int | None = None) -> Sequence[EventRow]:
    """A pilot's events, oldest first (the newest ``limit`` when given)."""
    statement = select(EventRow).where(EventRow.pilot_id == pilot_id)
    if limit is None:
        return session.exec(statement.order_by(col(EventRow.seq))).all()
    newest = session.exec(statement.order_by(col(EventRow.seq).desc()).limit(limit)).all()
    return list(reversed(newest))


def measurements_of(session: Session, pilot_id: str) -> Sequence[MeasurementRow]:
    """A pilot's measurements in force (retracted ones aside), in date order."""
    return session.exec(
        select(MeasurementRow)
        .where(MeasurementRow.pilot_id == pilot_id, col(MeasurementRow.retracted_at).is_(None))
        .order_by(col(MeasurementRow.date), col(MeasurementRow.id))
    ).all()
