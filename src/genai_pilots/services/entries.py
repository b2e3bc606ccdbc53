"""Stored rows → read models: the one place a row becomes a value a view may hold.

Each function copies the columns a view shows, unchanged (times keep the form they were read
in), so what a view draws is exactly what the row held.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from genai_pilots.readmodels import (
    ApprovalEntry,
    HistoryEvent,
    MeasurementEntry,
    RegisteredPilot,
    WaiverEntry,
)
from genai_pilots.store.models import ApprovalRow, EventRow, MeasurementRow, PilotRow, WaiverRow

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
