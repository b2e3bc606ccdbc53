"""Stored rows → read models: the one place a row becomes a value a view may hold.

Each function copies the columns a view shows, unchanged (times keep the form they were read
in), so what a view draws is exactly what the row held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields
from typing import Any, TypeVar

from genai_pilots.domain.incidents import RECIPIENTS, Incident, Recipient, deadlines
from genai_pilots.readmodels import (
    ApprovalEntry,
    EvidenceEntry,
    HistoryEvent,
    IncidentEntry,
    MeasurementEntry,
    NoticeEntry,
    RegisteredPilot,
    WaiverEntry,
)
from genai_pilots.store.models import (
    ApprovalRow,
    EventRow,
    EvidenceRow,
    IncidentNoticeRow,
    IncidentRow,
    MeasurementRow,
    PilotRow,
    WaiverRow,
)

V = TypeVar("V")


def _copied(view: type[V], row: Any) -> V:
    """A read model holding the row's values of the columns it names (names match columns)."""
    return view(**{f.name: getattr(row, f.name) for f in fields(view)})  # type: ignore[arg-type]


def registered_pilot(row: PilotRow) -> RegisteredPilot:
    """Where a pilot stands."""
    return _copied(RegisteredPilot, row)


def approval_entry(row: ApprovalRow) -> ApprovalEntry:
    """A recorded approval."""
    return _copied(ApprovalEntry, row)


def waiver_entry(row: WaiverRow) -> WaiverEntry:
    """A recorded waiver."""
    return _copied(WaiverEntry, row)


def measurement_entry(row: MeasurementRow) -> MeasurementEntry:
    """A recorded measurement."""
    return _copied(MeasurementEntry, row)


def history_event(row: EventRow) -> HistoryEvent:
    """One event of a pilot's history."""
    return _copied(HistoryEvent, row)


def evidence_entry(row: EvidenceRow, number: int) -> EvidenceEntry:
    """Recorded evidence, with its number among the pilot's (rows in the order they were added)."""
    values = {f.name: getattr(row, f.name) for f in fields(EvidenceEntry) if f.name != "number"}
    return EvidenceEntry(number=number, **values)


def notice_day(at: dt.datetime) -> dt.date:
    """The day a notification was made: stored as a moment, shown and judged as a day."""
    return at.date()


def incident_entry(row: IncidentRow, notices: Iterable[IncidentNoticeRow]) -> IncidentEntry:
    """A recorded incident with its notifications and the deadlines the law sets for it."""
    mine = sorted((n for n in notices if n.number == row.number), key=lambda n: n.at)
    first: dict[Recipient, dt.date] = {}
    for notice in mine:
        recipient = next((r for r in RECIPIENTS if r == notice.recipient), None)
        if recipient is not None:
            first.setdefault(recipient, notice_day(notice.at))
    incident = Incident(
        row.pilot_id, row.number, row.summary, row.occurred, row.aware, row.serious, row.death,
        row.widespread, closed=row.closed_at is not None, notified=first,
    )  # fmt: skip
    values = {f.name: getattr(row, f.name) for f in fields(IncidentEntry)
              if f.name not in ("notices", "deadlines")}  # fmt: skip
    return IncidentEntry(
        **values,
        notices=tuple(NoticeEntry(n.recipient, notice_day(n.at), n.by, n.note) for n in mine),
        deadlines=tuple(deadlines(incident)),
    )
