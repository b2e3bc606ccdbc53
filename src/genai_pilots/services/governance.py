"""Approvals (four eyes), waivers, governance reviews, and changes to the playbook itself.

The roles a gate needs come from the playbook. The owner of a pilot can never approve it, nor
waive any of its criteria. A waiver is a governance decision: it is given in one of the gate's
approving roles, never for a criterion the playbook marks as not waivable (approvals never
are), and it lets that criterion count as met until a date.

When an import changes a governance-relevant fact of a pilot at or past governance, its
governance is re-opened (``review_since``): the approvals and waivers of the governance gate
given so far are superseded, and the pilot cannot advance until the whole governance gate
passes again on the new facts. The review closes itself, with an event, at the moment it does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.events import (
    ENTERING,
    ApprovalsSuperseded,
    Approved,
    EventKind,
    ReviewCompleted,
    ReviewNeeded,
    Revoked,
    Waived,
)
from genai_pilots.domain.gates import GateResult, context_data, evaluate_criterion, sections_read
from genai_pilots.domain.people import same_person_name
from genai_pilots.domain.playbook import Approvals, Playbook
from genai_pilots.domain.stages import StageKey, stage_key
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _, day
from genai_pilots.readmodels import WaiverEntry
from genai_pilots.services.entries import waiver_entry
from genai_pilots.services.events import (
    append_event,
    pilot_to_change,
)
from genai_pilots.services.gating import gate_inputs, review_gate
from genai_pilots.services.identity import (
    Acting,
    refuse_on_behalf,
    refuse_without_any_role,
    refuse_without_role,
    who_acts,
)
from genai_pilots.services.transactions import (
    Store,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import ApprovalRow, EventRow, PilotRow, WaiverRow

MAX_WAIVER_DAYS = 366


def required_roles(pilot: PilotRow, playbook: Playbook, stage: StageKey) -> list[str]:
    """The roles whose approval the gate out of ``stage`` asks of this pilot."""
    asking = [c for c in playbook.criteria(stage, pilot.setting) if isinstance(c, Approvals)]
    if not asking:
        return []  # most gates ask none: no need to read the definition
    definition = stored_definition(pilot.definition)
    data = context_data(definition, sections_read(asking))
    roles: list[str] = []
    for criterion in asking:
        if evaluate_criterion(criterion, definition, data, [], []).applies:
            roles.extend(r for r in criterion.roles if r not in roles)
    return roles


def waiver_roles(pilot: PilotRow, playbook: Playbook, stage: StageKey) -> list[str]:
    """Who may waive a criterion of a gate: its approving roles, else the governance gate's."""
    return required_roles(pilot, playbook, stage) or required_roles(pilot, playbook, "governance")


def deciding_roles(pilot: PilotRow, playbook: Playbook, stage: StageKey) -> list[str]:
    """Who may decide past a gate (an override, scaling): the same roles that may waive it."""
    return waiver_roles(pilot, playbook, stage)


def _approval_stage(pilot: PilotRow) -> StageKey:
    """A pilot under governance review is decided on for governance; otherwise its stage."""
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


def owns(pilot: PilotRow, acting: Acting) -> bool:
    """Whether the one acting owns the pilot, by login, name or e-mail, however typed.

    Whoever last handed it to a new owner (an import that changed ``owner``) counts as its owner
    too, and, with the directory in use, so does whoever brought it into the register: otherwise
    one could name a straw owner and approve the pilot themselves. (A single user's register
    has one person typing every name; there the creator is not singled out.)
    """
    owner = stored_definition(pilot.definition).owner
    names = [owner.name, owner.email, *_handed_over_by(pilot, creator=bool(acting.people))]
    if acting.people:
        return any(p.is_named(n) for p in acting.people for n in names)
    return any(same_person_name(acting.name, n) for n in names)


_ENTERED_BY = re.compile(r" \(entered by (.+)\)$")


def _handed_over_by(pilot: PilotRow, *, creator: bool) -> list[str]:
    """Who last changed the pilot's owner, and with ``creator`` who created it (names, logins)."""
    session = object_session(pilot)
    if session is None:
        return []
    rows = session.execute(
        select(EventRow.actor, EventRow.kind, EventRow.payload)
        .where(
            EventRow.pilot_id == pilot.id,
            col(EventRow.kind).in_([EventKind.DEFINITION_CHANGED, *ENTERING]),
        )
        .order_by(col(EventRow.seq).desc())
    )
    actors: list[str] = []
    changed = False
    for actor, kind, payload in rows:
        fields = [str(c.get("field", "")) for c in payload.get("changes", [])]
        if (creator and kind in ENTERING) or (
            not changed and any(f.startswith("owner.") for f in fields)
        ):
            changed = changed or kind not in ENTERING
            actors.append(actor)
    names: list[str] = []
    for actor in actors:
        entered = _ENTERED_BY.search(actor)
        names += [actor[: entered.start()], entered.group(1)] if entered else [actor]
    return names


def refuse_owner(pilot: PilotRow, acting: Acting, doing: str) -> None:
    """Four eyes: the owner of a pilot does not decide this about it, under any of their names.

    With the directory in use the person is compared, so their login, name and e-mail all
    count; a decision entered on the owner's behalf by someone else is the owner's too.
    """
    if owns(pilot, acting):
        owner = stored_definition(pilot.definition).owner
        who = next(
            (p.name for p in acting.people if p.is_named(owner.name) or p.is_named(owner.email)),
            acting.name,
        )
        raise CheckFailed(
            _("{who} owns {pilot} and cannot {doing} (four eyes)").format(
                who=who, pilot=pilot.id, doing=doing
            ),
            hint=_("someone other than the owner decides this"),
        )


def refuse_unless_decider(
    pilot: PilotRow,
    playbook: Playbook,
    acting: Acting,
    stage: StageKey,
    doing: str,
    *,
    in_general: str | None = None,
) -> None:
    """Refuse a decision past a gate unless this login may take it.

    An override, scaling, or releasing the gate from an incident is someone else's decision
    than the owner's, never taken on someone's behalf, and with the people directory in use
    taken by a person holding one of the gate's deciding roles.

    ``in_general`` says what may not be done on behalf of anyone (default: ``doing``).
    """
    refuse_owner(pilot, acting, doing)
    refuse_on_behalf(acting, in_general or doing)
    refuse_without_any_role(acting, deciding_roles(pilot, playbook, stage), doing)


def approvals_criterion(
    pilot: PilotRow, playbook: Playbook, stage: StageKey, role: str
) -> Approvals:
    """The approvals criterion of the gate that asks for ``role``."""
    setting = stored_definition(pilot.definition).setting
    return next(
        c for c in playbook.criteria(stage, setting)
        if isinstance(c, Approvals) and role in c.roles
    )  # fmt: skip


def refuse_second_role(
    acting: Acting, current: list[ApprovalRow], role: str, criterion: Approvals
) -> None:
    """Separation of duties: one person gives at most one of a gate's approvals."""
    if not criterion.distinct_people:
        return
    for approval in current:
        named = acting.behalf or acting.person
        same = (
            named.is_named(approval.by)
            if named is not None
            else same_person_name(approval.by, acting.name)
        )
        typed_by_me = (
            acting.person is not None and approval.entered_by == acting.person.login
        ) or (acting.behalf is not None and acting.person is not None
              and acting.person.is_named(approval.by))  # fmt: skip
        if typed_by_me and approval.role != role:
            raise CheckFailed(
                _(
                    "login {login} already entered this gate's {role} approval; one login "
                    "enters at most one of a gate's approvals, for themselves or on someone's "
                    "behalf"
                ).format(login=acting.person.login if acting.person else "", role=approval.role),
                hint=_("someone else enters the {role} approval").format(role=role),
            )
        if same and approval.role != role:
            raise CheckFailed(
                _(
                    "{name} already approved this gate as {given}; one person gives at most "
                    "one of its approvals (separation of duties), so not also as {role}"
                ).format(name=acting.name, given=approval.role, role=role),
                hint=_("someone else approves as {role}").format(role=role),
            )


def close_review_if_met(
    session: Session, pilot: PilotRow, playbook: Playbook, *, actor: str, now: dt.datetime
) -> bool:
    """Close an open governance review once the whole governance gate passes again."""
    gate = review_gate(pilot, playbook, gate_inputs(session, [pilot.id])[pilot.id])
    if gate is None or not gate.met:
        return False
    pilot.review_since = None
    append_event(session, pilot, ReviewCompleted(gate.score), actor=actor, at=now)
    return True


def open_review(
    session: Session,
    pilot: PilotRow,
    fields: list[str],
    *,
    actor: str,
    now: dt.datetime,
    prev: tuple[int, str] | None = None,
) -> None:
    """Re-open governance: supersede its approvals and waivers and block until it passes."""
    superseded = _active_approvals(session, pilot, "governance")
    waivers = session.exec(
        select(WaiverRow).where(
            WaiverRow.pilot_id == pilot.id,
            WaiverRow.stage == "governance",
            col(WaiverRow.revoked_at).is_(None),
        )
    ).all()
    for row in [*superseded, *waivers]:
        row.revoked_at = now
        session.add(row)
    pilot.review_since = now
    event = ReviewNeeded(
        fields, [(a.role, a.by) for a in superseded], [w.criterion for w in waivers]
    )
    append_event(session, pilot, event, actor=actor, at=now, prev=prev)


def supersede_approvals(
    session: Session,
    pilot: PilotRow,
    stage: str,
    fields: list[str],
    *,
    actor: str,
    now: dt.datetime,
    prev: tuple[int, str] | None = None,
) -> bool:
    """Revoke the approvals given at ``stage``'s gate: the facts they approved changed.

    Returns whether any were; nothing is recorded when none were given.
    """
    superseded = _active_approvals(session, pilot, stage)
    if not superseded:
        return False
    for row in superseded:
        row.revoked_at = now
        session.add(row)
    event = ApprovalsSuperseded(stage, fields, [(a.role, a.by) for a in superseded])
    append_event(session, pilot, event, actor=actor, at=now, prev=prev)
    return True


@dataclass(frozen=True, slots=True)
class ApprovalResult:
    """What ``approve`` recorded, and whether it completed a governance review."""

    pilot_id: str
    stage: str
    role: str
    by: str
    review_completed: bool
    review: GateResult | None = None


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
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id, _("be approved"))
        stage = _approval_stage(pilot)
        roles = required_roles(pilot, playbook, stage)
        if role not in roles:
            asked = ", ".join(roles) if roles else _("no approvals")
            raise UsageError(
                _("the {stage} gate of {pilot} does not ask for role '{role}'").format(
                    stage=stage, pilot=pilot_id, role=role
                ),
                hint=_("it asks for: {roles}").format(roles=asked),
            )
        refuse_owner(pilot, acting, _("approve it"))
        criterion = approvals_criterion(pilot, playbook, stage, role)
        if acting.behalf is not None:
            if not criterion.delegation:
                raise CheckFailed(
                    _(
                        "login {login} cannot approve on behalf of {name}: the playbook does "
                        "not let approvals of the {stage} gate be delegated"
                    ).format(login=acting.entered_by, name=acting.name, stage=stage),
                    hint=_("{name} approves under their own login").format(name=acting.name),
                )
            doing = _("approve as {role}").format(role=role)
            refuse_without_role(Acting(acting.name, acting.behalf), role, doing)
        else:
            refuse_without_role(acting, role, _("approve as {role}").format(role=role))
        current = _active_approvals(session, pilot, stage)
        refuse_second_role(acting, current, role, criterion)
        if any(a.role == role for a in current):
            holder = next(a.by for a in current if a.role == role)
            raise CheckFailed(
                _("{pilot} already has the {role} approval (by {holder})").format(
                    pilot=pilot_id, role=role, holder=holder
                )
            )
        session.add(
            ApprovalRow(
                pilot_id=pilot_id, stage=stage, role=role, by=acting.name, at=now, note=note,
                entered_by=acting.entered_by,
            )
        )  # fmt: skip
        append_event(session, pilot, Approved(stage, role, note), actor=actor, at=now)
        reviewing = pilot.review_since is not None
        completed = close_review_if_met(session, pilot, playbook, actor=actor, now=now)
        review = None
        if reviewing and not completed:
            review = review_gate(pilot, playbook, gate_inputs(session, [pilot.id])[pilot.id])
    return ApprovalResult(pilot_id, stage, role, actor, completed, review)


@retrying
def revoke(store: Store, pilot_id: str, role: str, *, reason: str, by: str | None = None) -> None:
    """Withdraw the active approval in ``role`` for the pilot's current gate."""
    require_reason(reason)
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        stage = _approval_stage(pilot)
        matching = [a for a in _active_approvals(session, pilot, stage) if a.role == role]
        if not matching:
            raise CheckFailed(
                _("{pilot} has no active {role} approval for {stage}").format(
                    pilot=pilot_id, role=role, stage=stage
                )
            )
        refuse_on_behalf(acting, _("revoke an approval"))
        refuse_without_role(acting, role, _("revoke the {role} approval").format(role=role))
        for approval in matching:
            approval.revoked_at = now
            session.add(approval)
            append_event(
                session, pilot, Revoked(stage, role, approval.by), actor=actor, at=now,
                reason=reason,
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
    role: str | None = None,
    by: str | None = None,
) -> WaiverEntry:
    """Let one criterion of the current gate count as met until ``until``: a governance decision.

    Refused for a criterion that can never be waived, from the pilot's owner, and from anyone
    who does not act in one of the gate's approving roles.
    """
    require_reason(reason)
    now = clock.now()
    if until <= now.date():
        raise UsageError(_("--until {until} is not in the future").format(until=day(until)))
    if until > now.date() + dt.timedelta(days=MAX_WAIVER_DAYS):
        raise UsageError(
            _("--until {until} is more than a year ahead: a waiver is temporary").format(
                until=day(until)
            ),
            hint=_("waive for at most a year, then decide again (or change the playbook)"),
        )
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id, _("get a waiver"))
        stage = _approval_stage(pilot)
        definition = stored_definition(pilot.definition)
        criteria = {c.id: c for c in playbook.criteria(stage, definition.setting)}
        if criterion not in criteria:
            raise UsageError(
                _("the {stage} gate has no criterion '{criterion}'").format(
                    stage=stage, criterion=criterion
                ),
                hint=_("its criteria: {criteria}").format(criteria=", ".join(criteria)),
            )
        found = criteria[criterion]
        if not found.can_be_waived:
            message = (
                _(
                    "{criterion} of the {stage} gate can never be waived: approvals are "
                    "four-eyes decisions; ask the role to approve"
                )
                if isinstance(found, Approvals)
                else _(
                    "{criterion} of the {stage} gate can never be waived: the playbook marks "
                    "it as not waivable"
                )
            )
            raise CheckFailed(message.format(criterion=criterion, stage=stage))
        refuse_owner(pilot, acting, _("waive its criteria"))
        refuse_on_behalf(acting, _("waive a criterion"))
        roles = waiver_roles(pilot, playbook, stage)
        if not roles:
            raise CheckFailed(
                _("the playbook names no approving role for {pilot}, so nobody can waive").format(
                    pilot=pilot_id
                ),
                hint=_("add an approvals criterion to the governance gate of the playbook"),
            )
        if role not in roles:
            raise UsageError(
                _("a waiver of the {stage} gate is given in one of its approving roles").format(
                    stage=stage
                ),
                hint=_("pass --role with one of: {roles}").format(roles=", ".join(roles)),
            )
        refuse_without_role(acting, role, _("waive as {role}").format(role=role))
        waiver = WaiverRow(
            pilot_id=pilot_id, stage=stage, criterion=criterion, until=until, by=actor,
            reason=reason, at=now, role=role,
        )  # fmt: skip
        session.add(waiver)
        append_event(
            session, pilot, Waived(stage, criterion, until, role), actor=actor, at=now,
            reason=reason,
        )  # fmt: skip
        close_review_if_met(session, pilot, playbook, actor=actor, now=now)
    return waiver_entry(waiver)
