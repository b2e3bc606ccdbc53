"""Approvals (four eyes), waivers, and the governance review that a supplier change triggers.

The roles a gate needs come from the playbook. The owner of a pilot can never approve it. A
waiver lets one criterion count as met until a date; after it, the criterion blocks again.
When an import changes the supplier, model, data location or processor agreement of a pilot
past governance, ``review_since`` is set and the pilot cannot advance until every governance
role has approved again after that moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.audit import utc
from genai_pilots.domain.gates import context_data, evaluate_criterion, is_owner
from genai_pilots.domain.playbook import Approvals, Playbook
from genai_pilots.domain.register import stored_definition
from genai_pilots.domain.stages import StageKey, stage_key
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.services.events import append_event
from genai_pilots.services.playbooks import PlaybookInvalid, read_playbook_file
from genai_pilots.services.store import (
    Store,
    require_reason,
    resolve_actor,
    retrying,
    transaction,
)
from genai_pilots.store.models import ApprovalRow, PilotRow, PlaybookRow, WaiverRow
from genai_pilots.store.queries import get_open_pilot, get_pilot

# Changes to these parts of a definition re-open governance for a pilot past it.
REGATING_FIELDS = (
    "governance.vendor",
    "governance.data_location",
    "governance.processor_agreement",
)


def required_roles(pilot: PilotRow, playbook: Playbook, stage: StageKey) -> list[str]:
    """The roles whose approval the gate out of ``stage`` asks of this pilot."""
    definition = stored_definition(pilot.definition)
    data = context_data(definition)
    roles: list[str] = []
    for criterion in playbook.criteria(stage, definition.setting):
        if not isinstance(criterion, Approvals):
            continue
        if evaluate_criterion(criterion, definition, data, [], []).applies:
            roles.extend(r for r in criterion.roles if r not in roles)
    return roles


def _approval_stage(pilot: PilotRow) -> StageKey:
    """A pilot under governance review is approved for governance; otherwise its stage."""
    return "governance" if pilot.review_since is not None else stage_key(pilot.stage)


def _active_approvals(session: Session, pilot: PilotRow, stage: str) -> list[ApprovalRow]:
    rows = session.exec(
        select(ApprovalRow).where(
            ApprovalRow.pilot_id == pilot.id,
            ApprovalRow.stage == stage,
            col(ApprovalRow.revoked_at).is_(None),
        )
    ).all()
    return list(rows)


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    """What ``approve`` recorded, and whether it completed a governance review."""

    pilot_id: str
    stage: str
    role: str
    by: str
    review_completed: bool


@retrying
def approve(
    store: Store,
    pilot_id: str,
    role: str,
    playbook: Playbook,
    *,
    by: str | None = None,
    note: str | None = None,
) -> ApprovalResult:
    """Record ``by``'s approval in ``role`` for the pilot's current gate."""
    actor, now = resolve_actor(by), clock.now()
    with transaction(store) as session:
        pilot = get_open_pilot(session, pilot_id, "be approved")
        stage = _approval_stage(pilot)
        roles = required_roles(pilot, playbook, stage)
        if role not in roles:
            asked = ", ".join(roles) if roles else "no approvals"
            raise UsageError(
                f"the {stage} gate of {pilot_id} does not ask for role '{role}'",
                hint=f"it asks for: {asked}",
            )
        if is_owner(pilot.owner_name, pilot.owner_email, actor):
            raise CheckFailed(
                f"{actor} owns {pilot_id} and cannot approve it (four eyes)",
                hint="ask the person who holds the role to approve with --by NAME",
            )
        active = _active_approvals(session, pilot, stage)
        review_since = utc(pilot.review_since) if pilot.review_since else None
        current = [a for a in active if review_since is None or utc(a.at) >= review_since]
        if any(a.role == role for a in current):
            holder = next(a.by for a in current if a.role == role)
            raise CheckFailed(f"{pilot_id} already has the {role} approval (by {holder})")
        session.add(
            ApprovalRow(pilot_id=pilot_id, stage=stage, role=role, by=actor, at=now, note=note)
        )
        append_event(
            session, pilot, "approved", {"stage": stage, "role": role, "note": note},
            actor=actor, at=now,
        )  # fmt: skip
        completed = False
        if review_since is not None:
            given = {a.role for a in current} | {role}
            if all(r in given for r in roles):
                pilot.review_since = None
                append_event(
                    session, pilot, "governance-review-completed", {"roles": roles},
                    actor=actor, at=now,
                )  # fmt: skip
                completed = True
    return ApprovalResult(pilot_id, stage, role, actor, completed)


@retrying
def revoke(store: Store, pilot_id: str, role: str, *, reason: str, by: str | None = None) -> None:
    """Withdraw the active approval in ``role`` for the pilot's current gate."""
    require_reason(reason)
    actor, now = resolve_actor(by), clock.now()
    with transaction(store) as session:
        pilot = get_pilot(session, pilot_id, lock=True)
        stage = _approval_stage(pilot)
        matching = [a for a in _active_approvals(session, pilot, stage) if a.role == role]
        if not matching:
            raise CheckFailed(f"{pilot_id} has no active {role} approval for {stage}")
        for approval in matching:
            approval.revoked_at = now
            session.add(approval)
            append_event(
                session, pilot, "revoked", {"stage": stage, "role": role, "by": approval.by},
                actor=actor, at=now, reason=reason,
            )  # fmt: skip


@retrying
def waive(
    store: Store,
    pilot_id: str,
    criterion: str,
    playbook: Playbook,
    *,
    until: dt.date,
    reason: str,
    by: str | None = None,
) -> WaiverRow:
    """Let one criterion of the current gate count as met until ``until``."""
    require_reason(reason)
    actor, now = resolve_actor(by), clock.now()
    if until <= now.date():
        raise UsageError(f"--until {until} is not in the future")
    with transaction(store) as session:
        pilot = get_open_pilot(session, pilot_id, "get a waiver")
        definition = stored_definition(pilot.definition)
        ids = [c.id for c in playbook.criteria(stage_key(pilot.stage), definition.setting)]
        if criterion not in ids:
            raise UsageError(
                f"the {pilot.stage} gate has no criterion '{criterion}'",
                hint=f"its criteria: {', '.join(ids)}",
            )
        waiver = WaiverRow(
            pilot_id=pilot_id, stage=pilot.stage, criterion=criterion, until=until, by=actor,
            reason=reason, at=now,
        )  # fmt: skip
        session.add(waiver)
        append_event(
            session, pilot, "waived",
            {"stage": pilot.stage, "criterion": criterion, "until": until.isoformat()},
            actor=actor, at=now, reason=reason,
        )  # fmt: skip
    return waiver


def regating_changes(changes: list[tuple[str, object, object]]) -> list[str]:
    """The changed fields that re-open governance."""
    return [name for name, _, _ in changes if any(name.startswith(f) for f in REGATING_FIELDS)]


@retrying
def set_playbook(store: Store, path: Path, *, by: str | None = None) -> Playbook:
    """Store a playbook in the register, after checking it; it is in force from now on."""
    data, (playbook, findings) = read_playbook_file(path)
    if playbook is None:
        raise PlaybookInvalid(findings)
    with transaction(store) as session:
        session.add(
            PlaybookRow(
                name=playbook.name,
                source=data.decode("utf-8"),
                set_by=resolve_actor(by),
                set_at=clock.now(),
            )
        )
    return playbook
