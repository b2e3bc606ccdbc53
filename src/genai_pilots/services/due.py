"""What is due across the register (``pilots due``, the overdue count of ``status``, the report).

Reads plain records for ``domain.due`` in one read transaction and a constant number of
queries whatever the register's size: pilots in bijsturen with their cadence (read from the
stored definition's JSON by the database, not rebuilt per pilot), their newest steering
review, the waivers in force, evidence with a validity date, each person's longest-running
training, open serious incidents and their notices; for awaited approvals also the pilots
whose current gate asks for approvals, with their approvals. What is overdue needs no gate:
``status`` reads only that part.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import case, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.audit import utc
from genai_pilots.domain.due import (
    AwaitedApproval,
    DueItem,
    ExpiringEvidence,
    OpenReview,
    Steering,
    WaiverInForce,
    unmet_approvals,
    what_is_due,
)
from genai_pilots.domain.events import EventKind
from genai_pilots.domain.incidents import RECIPIENTS, Incident, Recipient
from genai_pilots.domain.people import Roster
from genai_pilots.domain.playbook import Approvals, Playbook
from genai_pilots.domain.stages import STAGE_KEYS, stage_key
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.training import Training, Validity, running_out
from genai_pilots.readmodels import DueList
from genai_pilots.services.gating import recorded_approvals
from genai_pilots.services.identity import roster
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import (
    ApprovalRow,
    EventRow,
    EvidenceRow,
    IncidentNoticeRow,
    IncidentRow,
    PilotRow,
    TrainingRow,
    WaiverRow,
)

_ACTIVE = col(PilotRow.outcome).is_(None)
# A scaled pilot is in practice: the people who use it stay trained (Art. 4); a stopped one not.
_IN_USE = or_(col(PilotRow.outcome).is_(None), col(PilotRow.outcome) == "scaled")


def due_list(store: Store, playbook: Playbook, within: int) -> DueList:
    """Everything overdue, due within ``within`` days, or waiting, across the register."""
    today = clock.today()
    with reading(store) as session:
        records = dated_records(session)
        approvals, reviews = waiting_records(session, playbook)
    items = what_is_due(today, within, **records, approvals=approvals, reviews=reviews)
    return DueList(today, within, items)


def overdue_items(session: Session) -> list[DueItem]:
    """What is past its day (no gate is judged for it): for ``status`` and the report."""
    return [i for i in what_is_due(clock.today(), 0, **dated_records(session)) if i.overdue]


def dated_records(session: Session) -> dict[str, Any]:
    """The records of what has a deadline: reviews, waivers, evidence, trainings, incidents.

    Five queries, whatever the register's size.
    """
    cadence = col(PilotRow.definition)[("bijsturen", "review_cadence")].as_string()
    reviewed = (
        select(func.max(EventRow.at))
        .where(EventRow.pilot_id == PilotRow.id, EventRow.kind == EventKind.STEERING_REVIEWED)
        .correlate(PilotRow)
        .scalar_subquery()
    )
    steering = session.exec(
        select(PilotRow.id, PilotRow.stage_entered_at, cadence, reviewed).where(
            PilotRow.stage == "bijsturen", _ACTIVE, col(PilotRow.paused).is_(False)
        )
    ).all()
    gate_stage = case((col(PilotRow.review_since).is_not(None), "governance"), else_=PilotRow.stage)
    waivers = session.exec(
        select(WaiverRow)
        .join(PilotRow, col(PilotRow.id) == col(WaiverRow.pilot_id))
        .where(_ACTIVE, col(WaiverRow.revoked_at).is_(None), col(WaiverRow.stage) == gate_stage)
    ).all()
    evidence = session.exec(
        select(EvidenceRow)
        .join(PilotRow, col(PilotRow.id) == col(EvidenceRow.pilot_id))
        .where(
            _ACTIVE,
            col(EvidenceRow.withdrawn_at).is_(None),
            col(EvidenceRow.valid_until).is_not(None),
        )
    ).all()
    return {
        "steering": [
            Steering(pilot, kind, utc(entered).date(), utc(last).date() if last else None)
            for pilot, entered, kind, last in steering
        ],
        "waivers": [
            WaiverInForce(w.pilot_id, w.stage, w.criterion, w.until, w.by) for w in waivers
        ],
        "evidence": [
            ExpiringEvidence(e.pilot_id, e.id or 0, e.stage, e.criterion, e.name, e.valid_until)
            for e in evidence
            if e.valid_until is not None
        ],
        "trainings": running_trainings(session),
        "incidents": open_incidents(session),
    }


def running_trainings(session: Session) -> list[Validity]:
    """Per person of a pilot in use, the training that runs longest, where it runs out (1 query).

    The database leaves out every training that another of the same spelling outlasts, so few
    rows per person are read, however long the ledger; trainings without an end are read too,
    since a person may hold one under another spelling (their login, name or e-mail: the
    directory's ``Roster`` makes them one person).
    """
    later = aliased(TrainingRow)
    outlasted = exists().where(
        col(later.pilot_id) == col(TrainingRow.pilot_id),
        col(later.person) == col(TrainingRow.person),
        or_(col(later.valid_until).is_(None), col(later.valid_until) > TrainingRow.valid_until),
    )
    rows = session.exec(
        select(TrainingRow, PilotRow)
        .join(PilotRow, col(PilotRow.id) == col(TrainingRow.pilot_id))
        .where(_IN_USE, or_(col(TrainingRow.valid_until).is_(None), ~outlasted))
        .order_by(col(TrainingRow.pilot_id), col(TrainingRow.id))
    ).all()
    people = roster(session)
    per_pilot: dict[str, list[Training]] = defaultdict(list)
    owners: dict[str, Roster] = {}
    for r, pilot in rows:
        per_pilot[r.pilot_id].append(Training(r.person, r.course, r.date, r.valid_until))
        if r.pilot_id not in owners:
            owner = stored_definition(pilot.definition).owner
            owners[r.pilot_id] = people.with_owner(owner.name, owner.email)
    return [
        v
        for pilot_id, found in per_pilot.items()
        for v in running_out(pilot_id, found, owners[pilot_id])
    ]


def open_incidents(session: Session) -> list[Incident]:
    """Open incidents, each with the day it was first notified to each recipient (1 query).

    An incident of a pilot that has ended still has to be notified: the pilot is not asked.
    """
    rows = session.exec(
        select(IncidentRow, IncidentNoticeRow)
        .outerjoin(
            IncidentNoticeRow,
            (col(IncidentRow.pilot_id) == col(IncidentNoticeRow.pilot_id))
            & (col(IncidentRow.number) == col(IncidentNoticeRow.number)),
        )
        .where(col(IncidentRow.closed_at).is_(None))
        .order_by(col(IncidentRow.pilot_id), col(IncidentRow.number))
    ).all()
    incidents: dict[tuple[str, int], IncidentRow] = {}
    first: dict[tuple[str, int], dict[Recipient, dt.date]] = defaultdict(dict)
    for incident, notice in rows:
        key = (incident.pilot_id, incident.number)
        incidents[key] = incident
        if notice is None or notice.recipient not in RECIPIENTS:
            continue
        recipient: Recipient = notice.recipient
        day = utc(notice.at).date()
        told = first[key]
        if recipient not in told or day < told[recipient]:
            told[recipient] = day
    return [
        Incident(
            r.pilot_id,
            r.number,
            r.summary,
            r.occurred,
            r.aware,
            r.serious,
            r.death,
            r.widespread,
            closed=False,
            notified=first.get((r.pilot_id, r.number), {}),
        )  # fmt: skip
        for r in incidents.values()
    ]


def waiting_records(
    session: Session, playbook: Playbook
) -> tuple[list[AwaitedApproval], list[OpenReview]]:
    """Approvals the current gates await and open governance reviews (2 queries).

    Only the pilots whose current gate asks for approvals, or whose governance is re-opened,
    are read and judged; of their gates only the approvals criteria are asked (an approval
    cannot be waived, and does not depend on measurements).
    """
    asking = [k for k in STAGE_KEYS
              if any(isinstance(c, Approvals) for c in playbook.gates.for_stage(k))]  # fmt: skip
    chosen = select(PilotRow).where(
        _ACTIVE, or_(col(PilotRow.stage).in_(asking), col(PilotRow.review_since).is_not(None))
    )
    pilots = session.exec(chosen.order_by(col(PilotRow.id))).all()
    ids = select(PilotRow.id).where(
        _ACTIVE, or_(col(PilotRow.stage).in_(asking), col(PilotRow.review_since).is_not(None))
    )
    given: dict[str, list[ApprovalRow]] = defaultdict(list)
    for a in session.exec(
        select(ApprovalRow).where(
            col(ApprovalRow.pilot_id).in_(ids.scalar_subquery()),
            col(ApprovalRow.revoked_at).is_(None),
        )
    ):
        given[a.pilot_id].append(a)
    today = clock.today()
    awaited: list[AwaitedApproval] = []
    reviews: list[OpenReview] = []
    for pilot in pilots:
        definition = stored_definition(pilot.definition)
        rows = given[pilot.id]
        reviewing = pilot.review_since is not None
        if pilot.stage in asking and not (reviewing and pilot.stage == "governance"):
            stage = stage_key(pilot.stage)
            awaited += [
                AwaitedApproval(
                    pilot.id, pilot.stage, r.id, r.missing_roles, utc(pilot.stage_entered_at).date()
                )  # fmt: skip
                for r in unmet_approvals(
                    playbook, stage, definition, recorded_approvals(stage, rows), today
                )
            ]
        if pilot.review_since is not None:
            unmet = unmet_approvals(
                playbook, "governance", definition, recorded_approvals("governance", rows), today
            )
            missing = dict.fromkeys(role for r in unmet for role in r.missing_roles)
            reviews.append(OpenReview(pilot.id, utc(pilot.review_since).date(), tuple(missing)))
    return awaited, reviews
