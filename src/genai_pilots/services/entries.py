"""Stored rows → read models: the one place a row becomes a value a view may hold.

Each function copies the columns a view shows, unchanged (times keep the form they were read
in), so what a view draws is exactly what the row held.
"""

from __future__ import annotations

from genai_pilots.readmodels import (
    ApprovalEntry,
    HistoryEvent,
    MeasurementEntry,
    RegisteredPilot,
    WaiverEntry,
)
from genai_pilots.store.models import ApprovalRow, EventRow, MeasurementRow, PilotRow, WaiverRow


def registered_pilot(row: PilotRow) -> RegisteredPilot:
    """Where a pilot stands."""
    return RegisteredPilot(
        row.id, row.name, row.setting, row.department, row.owner_name, row.stage, row.outcome,
        row.paused, row.risk_class, row.stage_entered_at, row.last_activity_at, row.review_since,
        row.iterations,
    )  # fmt: skip


def approval_entry(row: ApprovalRow) -> ApprovalEntry:
    """A recorded approval."""
    return ApprovalEntry(
        row.pilot_id, row.stage, row.role, row.by, row.at, row.note, row.revoked_at,
        row.entered_by,
    )  # fmt: skip


def waiver_entry(row: WaiverRow) -> WaiverEntry:
    """A recorded waiver."""
    return WaiverEntry(
        row.pilot_id, row.stage, row.criterion, row.until, row.by, row.reason, row.at, row.role,
        row.revoked_at,
    )  # fmt: skip


def measurement_entry(row: MeasurementRow) -> MeasurementEntry:
    """A recorded measurement."""
    return MeasurementEntry(
        row.pilot_id, row.kpi, row.date, row.value, row.setting, row.note, row.source,
        row.retracted_at,
    )  # fmt: skip


def history_event(row: EventRow) -> HistoryEvent:
    """One event of a pilot's history."""
    return HistoryEvent(row.seq, row.at, row.actor, row.kind, row.payload, row.reason, row.hash)
