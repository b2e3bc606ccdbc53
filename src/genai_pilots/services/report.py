"""The data behind ``pilots report``: portfolio, metrics, KPI trends and governance, in one read."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlmodel import col, select

from genai_pilots import clock
from genai_pilots.domain.due import DEFAULT_WITHIN
from genai_pilots.domain.kpis import trends
from genai_pilots.domain.measurements import Measurement
from genai_pilots.domain.people import Roster
from genai_pilots.domain.playbook import Playbook, trained_criterion
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.training import Training, current_people, everyone
from genai_pilots.i18n import _
from genai_pilots.readmodels import ApprovalEntry, PilotKpis, ReportData, SkillsLine
from genai_pilots.services.due import due_list
from genai_pilots.services.entries import approval_entry, waiver_entry
from genai_pilots.services.evidence import numbered
from genai_pilots.services.gating import recorded_measurement
from genai_pilots.services.identity import roster
from genai_pilots.services.incidents import incident_entries
from genai_pilots.services.metrics import portfolio_metrics
from genai_pilots.services.portfolio import portfolio
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import (
    ApprovalRow,
    EvidenceRow,
    IncidentRow,
    MeasurementRow,
    PilotRow,
    TrainingRow,
    WaiverRow,
)


def report_data(store: Store, playbook: Playbook) -> ReportData:
    """Read what the report needs; a constant number of queries whatever the portfolio size.

    The board decides on it, so it is built only from a register that verifies: an approval
    slipped in by plain SQL would otherwise be shown to the board as given.
    """
    from genai_pilots.services.verified import require_verified

    require_verified(store, (), "a board report is built")
    overview = portfolio(store, playbook)  # every pilot, each gate judged
    metrics = portfolio_metrics(store, playbook, overview)
    due = due_list(store, playbook, DEFAULT_WITHIN)
    with reading(store) as session:
        pilots = session.exec(select(PilotRow).order_by(col(PilotRow.id))).all()
        measurements = session.exec(
            select(MeasurementRow)
            .where(col(MeasurementRow.retracted_at).is_(None))
            .order_by(col(MeasurementRow.date), col(MeasurementRow.id))
        ).all()
        approvals = session.exec(
            select(ApprovalRow).where(col(ApprovalRow.revoked_at).is_(None))
        ).all()
        waivers = session.exec(
            select(WaiverRow)
            .where(col(WaiverRow.revoked_at).is_(None))
            .order_by(col(WaiverRow.until))
        ).all()
        evidence = numbered(session.exec(select(EvidenceRow)).all())
        open_incidents = incident_entries(
            session,
            session.exec(select(IncidentRow).where(col(IncidentRow.closed_at).is_(None))).all(),
        )
        people = roster(session)
        ledger: dict[str, list[Training]] = defaultdict(list)
        for t in session.exec(select(TrainingRow).order_by(col(TrainingRow.id))):
            ledger[t.pilot_id].append(
                Training(t.person, t.course, t.date, t.valid_until, t.setting)
            )
    points: dict[str, list[Measurement]] = defaultdict(list)
    for m in measurements:
        points[m.pilot_id].append(recorded_measurement(m))
    kpis = []
    for pilot in pilots:
        if not points[pilot.id]:
            continue
        definition = stored_definition(pilot.definition)
        series: dict[str, dict[str, list[tuple[str, float]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for point in points[pilot.id]:
            series[point.kpi][point.setting or pilot.setting].append(
                (point.date.isoformat(), point.value)
            )
        kpis.append(PilotKpis(pilot.id, pilot.name, trends(definition, points[pilot.id]), series))
    by_pilot: dict[str, list[ApprovalEntry]] = defaultdict(list)
    for a in approvals:
        by_pilot[a.pilot_id].append(approval_entry(a))
    risk = Counter(p.risk_class or _("not declared") for p in pilots)
    today = clock.today()
    skills = [
        line
        for pilot in pilots
        if (line := _skills_line(pilot, playbook, ledger[pilot.id], today, people)) is not None
    ]
    return ReportData(
        clock.now(), playbook.name, overview, metrics, kpis, dict(risk), dict(by_pilot),
        [waiver_entry(w) for w in waivers if w.until >= today], open_incidents, due,
        [e for e in evidence if e.withdrawn_at is None], skills,
    )  # fmt: skip


def _skills_line(
    pilot: PilotRow, playbook: Playbook, ledger: list[Training], today: dt.date, people: Roster
) -> SkillsLine | None:
    """A pilot's trained people (counted today) against its target.

    ``None`` when it has neither a target nor a ledger, or was stopped.
    """
    definition = stored_definition(pilot.definition)
    target = definition.skills
    if pilot.outcome == "stopped" or (target.target_users is None and not ledger):
        return None
    roster = people.with_owner(definition.owner.name, definition.owner.email)
    people_now = current_people(ledger, today, roster)
    by_setting = Counter(t.setting or pilot.setting for t in people_now.values())
    criterion = trained_criterion(playbook, pilot.setting)
    return SkillsLine(
        pilot.id, pilot.name, pilot.setting, pilot.outcome or pilot.stage, len(people_now),
        target.target_users, target.trained_users,
        criterion.min if criterion is not None else None, dict(sorted(by_setting.items())),
        len(everyone(ledger, roster) - set(people_now)),
    )  # fmt: skip
