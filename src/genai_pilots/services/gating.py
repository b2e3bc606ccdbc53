"""Evaluating a registered pilot's gate from what the register holds.

In the register only approvals recorded with ``pilots approve`` count: approvals written in a
definition file are claims anyone can type, shown but not counted. (``pilots validate`` has no
register and does count them, so a team can check a claimed stage in CI.) Trained users are
the same: the register counts the people in its training ledger (``pilots training``), and a
definition's ``skills.trained_users`` is a claim, shown beside the count. Synthetic datasets
too: the register counts the evaluations ``pilots synth evaluate`` recorded (a stale one, whose
file ``pilots synth verify`` found changed, does not count); a definition's evaluation texts
count only in ``validate``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select as select_columns  # typed beyond sqlmodel's four columns
from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.gates import (
    ApprovalRecord,
    EvidenceRecord,
    GateResult,
    Waiver,
    evaluate_gate,
)
from genai_pilots.domain.incidents import Incident
from genai_pilots.domain.measurements import Measurement
from genai_pilots.domain.people import Roster
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.stages import StageKey, stage_key
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.synthetic import EvaluationRecord, evaluation_record
from genai_pilots.domain.training import Training
from genai_pilots.services.identity import roster
from genai_pilots.store.models import (
    ApprovalRow,
    EvidenceRow,
    IncidentRow,
    MeasurementRow,
    PilotRow,
    SyntheticEvaluationRow,
    TrainingRow,
    WaiverRow,
)
from genai_pilots.store.queries import CHUNK


@dataclass(slots=True)
class GateInputs:
    """What a pilot's gate depends on besides its definition."""

    approvals: list[ApprovalRow] = field(default_factory=list)
    # the measurements in force (retracted ones aside) by source ("yaml", "csv", "cli"):
    # plain values, since a large register holds ten times more of them than of anything else
    measurements: dict[str, list[Measurement]] = field(default_factory=dict)
    waivers: list[WaiverRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)
    incidents: list[IncidentRow] = field(default_factory=list)
    training: list[Training] = field(default_factory=list)  # the ledger, as plain values
    synthetic: list[EvaluationRecord] = field(default_factory=list)
    roster: Roster = field(default_factory=Roster)  # the directory: one person, one count


def recorded_approvals(stage: str, rows: Iterable[ApprovalRow]) -> list[ApprovalRecord]:
    """Approvals recorded for ``stage`` and neither revoked nor superseded by a review."""
    return [
        ApprovalRecord(r.role, r.by, r.at.date(), recorded=True)
        for r in rows
        if r.stage == stage and r.revoked_at is None
    ]


def recorded_measurement(row: MeasurementRow) -> Measurement:
    """A stored measurement as the gates and trends read it."""
    return Measurement(row.kpi, row.date, row.value, row.setting)


def recorded_incident(row: IncidentRow) -> Incident:
    """A stored incident as the gates and deadlines read it (without its notices)."""
    return Incident(
        row.pilot_id, row.number, row.summary, row.occurred, row.aware, row.serious, row.death,
        row.widespread, closed=row.closed_at is not None,
    )  # fmt: skip


def gate_at(pilot: PilotRow, playbook: Playbook, inputs: GateInputs, stage: StageKey) -> GateResult:
    """The gate out of ``stage`` for this pilot, as of today, from what the register holds."""
    return gate_for(stored_definition(pilot.definition), playbook, inputs, stage)


def gate_for(
    definition: PilotDefinition,
    playbook: Playbook,
    inputs: GateInputs,
    stage: StageKey,
    extra: Iterable[Measurement] = (),
) -> GateResult:
    """The gate out of ``stage`` for ``definition``, with what the register holds for it.

    Only active approvals and waivers count: a revoked one, or one that a governance review
    superseded, does not. Retracted measurements and withdrawn evidence do not count either.
    ``extra`` measurements count besides the stored ones (an import judges a file with the
    values it brings).
    """
    return evaluate_gate(
        playbook,
        stage,
        definition,
        approvals=recorded_approvals(stage, inputs.approvals),
        measurements=[*(m for ms in inputs.measurements.values() for m in ms), *extra],
        waivers=[
            Waiver(w.criterion, w.until, w.by, w.reason)
            for w in inputs.waivers
            if w.stage == stage and w.revoked_at is None
        ],
        today=clock.today(),
        evidence=[
            EvidenceRecord(e.criterion, e.name, e.valid_until)
            for e in inputs.evidence
            if e.withdrawn_at is None
        ],
        incidents=[recorded_incident(i) for i in inputs.incidents],
        training=inputs.training,
        synthetic=inputs.synthetic,
        people=inputs.roster,
    )


def judge_current_gate(pilot: PilotRow, playbook: Playbook, inputs: GateInputs) -> GateResult:
    """The gate out of the pilot's current stage, as of today."""
    return gate_at(pilot, playbook, inputs, stage_key(pilot.stage))


def review_gate(pilot: PilotRow, playbook: Playbook, inputs: GateInputs) -> GateResult | None:
    """For a pilot whose governance was re-opened: the whole governance gate on its new facts.

    It counts only approvals and waivers given since the review opened (the review superseded
    the earlier ones). ``None`` when no review is open.
    """
    if pilot.review_since is None:
        return None
    return gate_at(pilot, playbook, inputs, "governance")


def gate_inputs(
    session: Session, pilot_ids: Sequence[str], *, measured: Collection[str] | None = None
) -> dict[str, GateInputs]:
    """Approvals, measurements, waivers, evidence, incidents, trainings, evaluations of pilots.

    One query per table per chunk of pilots, whatever their number. ``measured``, where given,
    are the only pilots whose measurements are read: those whose gate to judge counts them
    (most of a register's measurements belong to pilots past that gate).
    """
    people = roster(session)
    found: dict[str, GateInputs] = defaultdict(lambda: GateInputs(roster=people))
    for start in range(0, len(pilot_ids), CHUNK):
        chunk = list(pilot_ids[start : start + CHUNK])
        read = chunk if measured is None else [p for p in chunk if p in measured]
        for a in session.exec(select(ApprovalRow).where(col(ApprovalRow.pilot_id).in_(chunk))):
            found[a.pilot_id].approvals.append(a)
        for pilot_id, source, kpi, date, value, setting in session.execute(
            select_columns(
                col(MeasurementRow.pilot_id), col(MeasurementRow.source),
                col(MeasurementRow.kpi), col(MeasurementRow.date), col(MeasurementRow.value),
                col(MeasurementRow.setting),
            )
            .where(
                col(MeasurementRow.pilot_id).in_(read),
                col(MeasurementRow.retracted_at).is_(None),
            )
            .order_by(col(MeasurementRow.id))
        ) if read else ():  # fmt: skip
            by_source = found[pilot_id].measurements
            by_source.setdefault(source, []).append(Measurement(kpi, date, value, setting))
        for w in session.exec(select(WaiverRow).where(col(WaiverRow.pilot_id).in_(chunk))):
            found[w.pilot_id].waivers.append(w)
        for e in session.exec(
            select(EvidenceRow)
            .where(col(EvidenceRow.pilot_id).in_(chunk))
            .order_by(col(EvidenceRow.id))
        ):
            found[e.pilot_id].evidence.append(e)
        for i in session.exec(
            select(IncidentRow)
            .where(col(IncidentRow.pilot_id).in_(chunk))
            .order_by(col(IncidentRow.number))
        ):
            found[i.pilot_id].incidents.append(i)
        for pilot_id, person, course, day, until, where in session.execute(
            select_columns(
                col(TrainingRow.pilot_id), col(TrainingRow.person), col(TrainingRow.course),
                col(TrainingRow.date), col(TrainingRow.valid_until), col(TrainingRow.setting),
            )
            .where(col(TrainingRow.pilot_id).in_(chunk))
            .order_by(col(TrainingRow.id))
        ):  # fmt: skip
            found[pilot_id].training.append(Training(person, course, day, until, where))
        for row in session.execute(
            select_columns(
                col(SyntheticEvaluationRow.pilot_id), col(SyntheticEvaluationRow.dataset),
                col(SyntheticEvaluationRow.quality), col(SyntheticEvaluationRow.privacy),
                col(SyntheticEvaluationRow.exact_copies),
                col(SyntheticEvaluationRow.identifiers),
                col(SyntheticEvaluationRow.stale_reason),
                col(SyntheticEvaluationRow.near_copies),
                col(SyntheticEvaluationRow.synthetic_rows),
                col(SyntheticEvaluationRow.declared_sha256),
                col(SyntheticEvaluationRow.evaluated_at),
            ).where(col(SyntheticEvaluationRow.pilot_id).in_(chunk))
        ):  # fmt: skip
            found[row[0]].synthetic.append(evaluation_record(*row[1:]))
    return found


def read_current_gate(session: Session, pilot: PilotRow, playbook: Playbook) -> GateResult:
    """One pilot's current gate, reading what it depends on."""
    return judge_current_gate(pilot, playbook, gate_inputs(session, [pilot.id])[pilot.id])
