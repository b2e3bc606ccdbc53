"""The portfolio, one pilot in detail, and its history: read from the register as read models."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import case, func, or_
from sqlalchemy import select as select_columns  # typed beyond sqlmodel's four columns
from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.audit import utc
from genai_pilots.domain.events import EventKind
from genai_pilots.domain.gates import GateResult, is_owner
from genai_pilots.domain.kpis import KpiTrend, trends
from genai_pilots.domain.people import Roster
from genai_pilots.domain.playbook import Playbook, trained_criterion
from genai_pilots.domain.playbook_changes import weakened_protected
from genai_pilots.domain.stages import OUTCOMES, STAGE_KEYS, is_later, stage_key, stages_before
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.training import current_people
from genai_pilots.i18n import _
from genai_pilots.readmodels import (
    ActiveWaiver,
    HistoryEvent,
    Override,
    PilotDetail,
    PilotSummary,
    Portfolio,
    SkillsShortfall,
)
from genai_pilots.services.due import overdue_items
from genai_pilots.services.entries import (
    approval_entry,
    history_event,
    measurement_entry,
    registered_pilot,
    waiver_entry,
)
from genai_pilots.services.events import ensure_intact
from genai_pilots.services.evidence import numbered
from genai_pilots.services.gating import (
    GateInputs,
    gate_inputs,
    judge_current_gate,
    recorded_measurement,
    review_gate,
)
from genai_pilots.services.governance import required_roles
from genai_pilots.services.identity import roster
from genai_pilots.services.incidents import incident_entries
from genai_pilots.services.playbooks import default_playbook
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import EventRow, MeasurementRow, PilotRow, TrainingRow, WaiverRow
from genai_pilots.store.queries import events_of, get_pilot, measurements_of


def _summary(row: PilotRow, gate: GateResult | None, review: GateResult | None) -> PilotSummary:
    met, total = gate.score if gate else (0, 0)
    blocker = None
    blocking = review if review is not None and review.failing else gate
    if blocking is not None and blocking.failing:
        first = blocking.failing[0]
        blocker = first.says
        if len(blocking.failing) > 1:
            blocker = _("{blocker} (+{count} more)").format(
                blocker=blocker, count=len(blocking.failing) - 1
            )
        if blocking is review:
            blocker = _("governance review: {blocker}").format(blocker=blocker)
    return PilotSummary(
        row.id, row.name, row.setting, row.owner_name, row.stage, row.outcome, row.paused,
        row.risk_class, met, total, blocker, utc(row.last_activity_at),
        row.review_since is not None, tuple(r.id for r in gate.failing) if gate else (),
    )  # fmt: skip


def _filtered(statement: Any, stage: str | None, setting: str | None, owner: str | None) -> Any:
    if stage in OUTCOMES:
        statement = statement.where(PilotRow.outcome == stage)
    elif stage:
        statement = statement.where(PilotRow.stage == stage, col(PilotRow.outcome).is_(None))
    if setting:
        statement = statement.where(PilotRow.setting == setting)
    if owner:
        statement = statement.where(col(PilotRow.owner_name).icontains(owner))
    return statement


def portfolio(
    store: Store,
    playbook: Playbook,
    *,
    stage: str | None = None,
    setting: str | None = None,
    owner: str | None = None,
    limit: int | None = None,
) -> Portfolio:
    """The pilots matching the filters (the first ``limit`` by id), with gate readiness.

    The funnel, the total, overrides and expiring waivers cover every matching pilot; gates are
    evaluated only for the pilots shown. A constant number of queries, whatever the size.
    """
    with reading(store) as session:
        label = func.coalesce(PilotRow.outcome, PilotRow.stage)
        counts = dict(
            session.exec(
                _filtered(select(label, func.count()).group_by(label), stage, setting, owner)
            ).all()
        )
        page = _filtered(select(PilotRow), stage, setting, owner).order_by(col(PilotRow.id))
        rows = session.exec(page.limit(limit) if limit is not None else page).all()
        inputs = gate_inputs(session, [r.id for r in rows if r.outcome in (None, "scaled")])
        matching = _filtered(select(PilotRow.id), stage, setting, owner)
        overrides = _overrides(session, matching)
        waivers = active_waivers(session, matching)
        overdue = len(overdue_items(session))
        short = skills_shortfalls(session, playbook, matching)
    summaries = [
        replace(
            _summary(row, None, None),
            unrecorded_approvals=unrecorded_approvals(row, playbook, inputs[row.id]),
        )
        if row.outcome == "scaled"
        else _summary(row, None, None)
        if row.outcome
        else replace(
            _summary(
                row,
                judge_current_gate(row, playbook, inputs[row.id]),
                review_gate(row, playbook, inputs[row.id]),
            ),
            unrecorded_approvals=unrecorded_approvals(row, playbook, inputs[row.id]),
        )
        for row in rows
    ]
    funnel: dict[str, int] = {key: counts.get(key, 0) for key in (*STAGE_KEYS, *OUTCOMES)}
    warnings = [
        _("{playbook} asks less than the default: {weakening}").format(
            playbook=playbook.name, weakening=w.shown()
        )
        for w in weakened_protected(default_playbook(), playbook)
    ]
    return Portfolio(
        summaries, funnel, sum(counts.values()), overrides, waivers, warnings, overdue, short
    )


_PAST_SKILLS = [key for key in STAGE_KEYS if is_later(key, "skills")]


def skills_shortfalls(session: Session, playbook: Playbook, matching: Any) -> list[SkillsShortfall]:
    """Pilots past the skills gate, in use, whose trained people counted today fell below it.

    A training runs out, a person's trainings are erased: the gate passed once, and the
    register keeps counting. Two queries, whatever the size: the pilots past skills with their
    target (read from the stored definition by the database), and the people with a current
    training, counted as the gate counts them (the directory's spellings of one person, the
    owner's name and e-mail, are one person: ``people.Roster``).
    Only the count is judged here, against the playbook's bar in the pilot's setting;
    ``pilots gate`` judges the champions too.
    """
    if trained_criterion(playbook, None) is None:  # a setting changes parameters, not kinds
        return []
    today = clock.today()
    target = col(PilotRow.definition)[("skills", "target_users")].as_float()
    owner_name = col(PilotRow.definition)[("owner", "name")].as_string()
    owner_email = col(PilotRow.definition)[("owner", "email")].as_string()
    past_skills = (
        col(PilotRow.id).in_(matching.scalar_subquery()),
        col(PilotRow.stage).in_(_PAST_SKILLS),
        or_(col(PilotRow.outcome).is_(None), col(PilotRow.outcome) == "scaled"),
    )
    pilots = session.execute(
        select_columns(col(PilotRow.id), col(PilotRow.setting), target, owner_name, owner_email)
        .where(*past_skills)
        .order_by(col(PilotRow.id))
    ).all()
    current: dict[str, list[str]] = {}
    for pilot_id, person in session.exec(
        select(TrainingRow.pilot_id, TrainingRow.person)
        .join(PilotRow, col(PilotRow.id) == col(TrainingRow.pilot_id))
        .where(
            *past_skills,
            col(TrainingRow.date) <= today,
            or_(col(TrainingRow.valid_until).is_(None), col(TrainingRow.valid_until) >= today),
        )
    ):
        current.setdefault(pilot_id, []).append(person)
    everyone = roster(session)
    short = []
    for pilot_id, setting, goal, name, email in pilots:
        criterion = trained_criterion(playbook, setting)
        if criterion is None or goal is None or goal <= 0:
            continue
        known = everyone.with_owner(name or "", email or "")
        counted = len({known.key(person) for person in current.get(pilot_id, [])})
        if counted / goal < criterion.min:
            short.append(SkillsShortfall(pilot_id, counted, goal, criterion.min))
    return short


def unrecorded_approvals(
    pilot: PilotRow, playbook: Playbook, inputs: GateInputs
) -> tuple[str, ...]:
    """Approving roles of the gates a pilot passed that never approved it in the register.

    A pilot enters the register at the stage its file claims (or is forced on): the approvals
    of the gates before it may then be claims only. That is shown, not hidden. A governance
    role is named alone; a role of a later gate with its stage (``privacy_officer at
    synthetic-data``).
    """
    current = stage_key(pilot.stage)
    owner = stored_definition(pilot.definition).owner
    missing: list[str] = []
    for passed in stages_before(current):
        if passed.key == "governance" and pilot.review_since is not None:
            continue  # the open review says what it still needs
        recorded = {
            a.role
            for a in inputs.approvals
            if a.stage == passed.key
            and a.revoked_at is None
            and not is_owner(owner.name, owner.email, a.by)
        }
        missing += [
            role if passed.key == "governance"
            else _("{role} at {stage}").format(role=role, stage=passed.key)
            for role in required_roles(pilot, playbook, passed.key)
            if role not in recorded
        ]  # fmt: skip
    return tuple(missing)


def active_waivers(session: Session, matching: Any) -> list[ActiveWaiver]:
    """Every waiver in force for a pilot's current gate (or its open governance review)."""
    gate_stage = case((col(PilotRow.review_since).is_not(None), "governance"), else_=PilotRow.stage)
    rows = session.exec(
        select(WaiverRow)
        .join(PilotRow, col(PilotRow.id) == col(WaiverRow.pilot_id))
        .where(
            col(WaiverRow.pilot_id).in_(matching.scalar_subquery()),
            col(WaiverRow.stage) == gate_stage,
            col(PilotRow.outcome).is_(None),
            col(WaiverRow.revoked_at).is_(None),
            col(WaiverRow.until) >= clock.today(),
        )
        .order_by(col(WaiverRow.until), col(WaiverRow.pilot_id))
    ).all()
    return [ActiveWaiver(w.pilot_id, w.criterion, w.until, w.by, w.role) for w in rows]


def _overrides(session: Session, matching: Any) -> list[Override]:
    events = session.exec(
        select(EventRow)
        .where(
            EventRow.kind == EventKind.OVERRIDE,
            col(EventRow.pilot_id).in_(matching.scalar_subquery()),
        )
        .order_by(col(EventRow.at))
    ).all()
    return [
        Override(
            e.pilot_id,
            utc(e.at),
            e.actor,
            e.payload.get("from", ""),
            e.payload.get("to") or e.payload.get("outcome") or "",
            e.payload.get("failing", []),
            e.reason,
        )  # fmt: skip
        for e in events
    ]


def pilot_detail(
    store: Store, pilot_id: str, playbook: Playbook, *, recent: int = 10
) -> PilotDetail:
    """One pilot: definition, current gate, approvals, measurements and recent history.

    Refused while the pilot's rows differ from what its history recorded: a gate judged on an
    approval slipped in by plain SQL would read as met (and ``pilots gate`` exit 0).
    """
    with reading(store) as session:
        row = get_pilot(session, pilot_id)
        ensure_intact(session, row)
        inputs = gate_inputs(session, [pilot_id])[pilot_id]
        measured = session.exec(
            select(MeasurementRow)
            .where(MeasurementRow.pilot_id == pilot_id)
            .order_by(col(MeasurementRow.id))
        ).all()  # retracted ones too: show says what was taken back
        events = list(events_of(session, pilot_id, limit=recent)) if recent else []
        incidents = incident_entries(session, inputs.incidents)
    gate = None if row.outcome else judge_current_gate(row, playbook, inputs)
    return PilotDetail(
        registered_pilot(row), stored_definition(row.definition), gate,
        [approval_entry(a) for a in inputs.approvals],
        [measurement_entry(m) for m in measured],
        [waiver_entry(w) for w in inputs.waivers], [history_event(e) for e in events],
        review_gate(row, playbook, inputs), numbered(inputs.evidence), incidents,
        len(current_people(inputs.training, clock.today(), _owned(inputs, row))),
    )  # fmt: skip


def _owned(inputs: GateInputs, row: PilotRow) -> Roster:
    """The directory narrowed to a pilot's owner: whom its ledger's spellings name."""
    owner = stored_definition(row.definition).owner
    return inputs.roster.with_owner(owner.name, owner.email)


def history(store: Store, pilot_id: str) -> list[HistoryEvent]:
    """A pilot's whole history, oldest first."""
    with reading(store) as session:
        get_pilot(session, pilot_id)
        return [history_event(e) for e in events_of(session, pilot_id)]


def kpi_trends(store: Store, pilot_id: str) -> list[KpiTrend]:
    """A pilot's KPI trends from its recorded measurements."""
    with reading(store) as session:
        row = get_pilot(session, pilot_id)
        points = [recorded_measurement(m) for m in measurements_of(session, pilot_id)]
    return trends(stored_definition(row.definition), points)
