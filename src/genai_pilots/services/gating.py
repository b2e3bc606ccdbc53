"""Evaluating a registered pilot's gate from what the register holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from genai_pilots.domain.gates import (
    ApprovalRecord,
    GateResult,
    Measurement,
    claimed_approvals,
    evaluate_gate,
)
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.register import stored_definition
from genai_pilots.domain.stages import stage_key
from genai_pilots.store.models import ApprovalRow, MeasurementRow, PilotRow
from genai_pilots.store.queries import CHUNK


def approval_records(pilot: PilotRow, rows: Iterable[ApprovalRow]) -> list[ApprovalRecord]:
    """Approvals that count for the pilot's current gate: YAML claims and recorded ones."""
    definition = stored_definition(pilot.definition)
    recorded = [
        ApprovalRecord(r.role, r.by, r.at.date(), recorded=True)
        for r in rows
        if r.stage == pilot.stage and r.revoked_at is None and not r.claimed
    ]
    return claimed_approvals(definition) + recorded


def measurement_points(rows: Iterable[MeasurementRow]) -> list[Measurement]:
    """Stored measurements as the gate evaluation takes them."""
    return [Measurement(r.kpi, r.date, r.value, r.setting) for r in rows]


def current_gate(
    pilot: PilotRow,
    playbook: Playbook,
    approvals: Sequence[ApprovalRow] = (),
    measurements: Sequence[MeasurementRow] = (),
) -> GateResult:
    """The gate out of the pilot's current stage."""
    return evaluate_gate(
        playbook,
        stage_key(pilot.stage),
        stored_definition(pilot.definition),
        approvals=approval_records(pilot, approvals),
        measurements=measurement_points(measurements),
    )


def gate_inputs(
    session: Session, pilot_ids: Sequence[str]
) -> tuple[dict[str, list[ApprovalRow]], dict[str, list[MeasurementRow]]]:
    """Approvals and measurements of many pilots, in a few queries."""
    approvals: dict[str, list[ApprovalRow]] = defaultdict(list)
    measurements: dict[str, list[MeasurementRow]] = defaultdict(list)
    for start in range(0, len(pilot_ids), CHUNK):
        chunk = list(pilot_ids[start : start + CHUNK])
        for a in session.exec(select(ApprovalRow).where(col(ApprovalRow.pilot_id).in_(chunk))):
            approvals[a.pilot_id].append(a)
        for m in session.exec(
            select(MeasurementRow).where(col(MeasurementRow.pilot_id).in_(chunk))
        ):
            measurements[m.pilot_id].append(m)
    return approvals, measurements
