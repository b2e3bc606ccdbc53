"""Moving pilots through the lifecycle: create, advance (or override), pause and resume.

Each function is one transaction that locks the pilot it changes and appends one event per
state change, so the history always explains the current state.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import Session, col

from genai_pilots import clock
from genai_pilots.domain.ai_act import classify
from genai_pilots.domain.audit import utc
from genai_pilots.domain.definition import DECISION_FOR, Decision, PilotDefinition
from genai_pilots.domain.events import (
    Advance,
    Created,
    Decided,
    EventKind,
    PauseChanged,
    PilotsCreated,
    SteeringReviewed,
)
from genai_pilots.domain.gates import INCIDENT_CRITERION, GateResult, is_owner
from genai_pilots.domain.people import owner_problems
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.playbook_changes import weakened_protected
from genai_pilots.domain.stages import Outcome, StageKey, next_stage, stage, stage_key
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _, moment, ngettext
from genai_pilots.readmodels import AdvanceResult
from genai_pilots.services.events import (
    append_event,
    append_register_event,
    ensure_register_intact,
    pilot_to_change,
)
from genai_pilots.services.gating import gate_inputs, read_current_gate, review_gate
from genai_pilots.services.governance import (
    close_review_if_met,
    owns,
    refuse_owner,
    refuse_unless_decider,
)
from genai_pilots.services.identity import (
    Acting,
    who_acts,
)
from genai_pilots.services.playbooks import default_playbook
from genai_pilots.services.rows import new_row
from genai_pilots.services.transactions import (
    Store,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import EventRow, PilotRow
from genai_pilots.store.queries import pilots_by_id

_OUTCOME_OF = {decision: outcome for outcome, decision in DECISION_FOR.items()}


class GateNotMet(CheckFailed):
    """``advance`` refused: the gate has failing criteria (carried for rendering)."""

    def __init__(
        self, pilot_id: str, gate: GateResult, *, never_forced: set[str], can_force: bool = True
    ) -> None:
        names = ", ".join(r.id for r in gate.failing)
        count = len(gate.failing)
        fixed = [r.id for r in gate.failing if r.id in never_forced]
        # the hint offers --force only where the command has it and an override can pass
        if not can_force:
            hint = _("meet them; `pilots gate {pilot}` says how").format(pilot=pilot_id)
        elif fixed:
            hint = _("meet them: {criteria} can never be overridden, not even with --force").format(
                criteria=", ".join(fixed)
            )
        else:
            hint = _("meet them, or pass --force --reason '...' to override (recorded as such)")
        super().__init__(
            ngettext(
                "{pilot} cannot leave {stage}: {count} criterion not met ({names})",
                "{pilot} cannot leave {stage}: {count} criteria not met ({names})",
                count,
            ).format(pilot=pilot_id, stage=gate.stage, count=count, names=names),
            hint=hint,
        )
        self.pilot_id = pilot_id
        self.gate = gate


@retrying
def create_pilot(
    store: Store, definition: PilotDefinition, *, by: str | None = None
) -> PilotDefinition:
    """Register a new pilot at start-klein from a (validated) definition."""
    if definition.stage != "start-klein" or definition.outcome is not None:
        raise UsageError(
            _("a new pilot starts at start-klein; import a file to claim a later stage")
        )
    problems = owner_problems(definition.owner.name, definition.owner.email)
    if problems:
        raise UsageError(problems[0][1])
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        if pilots_by_id(session, [definition.id]):
            raise UsageError(
                _("a pilot with id '{pilot}' already exists").format(pilot=definition.id),
                hint=_("choose another id, or change the existing pilot by importing its file"),
            )
        ensure_register_intact(session)
        row = new_row(definition, now)
        session.add(row)
        session.flush()  # the pilot exists before its first event refers to it
        append_event(
            session, row, Created("start-klein"), actor=actor, at=now, prev=(0, row.head_hash)
        )
        append_register_event(session, PilotsCreated([definition.id]), actor=actor, at=now)
    return definition


def build_definition(values: dict[str, object]) -> PilotDefinition:
    """A definition from command-line values; the first problem is a usage error naming it."""
    try:
        return PilotDefinition.model_validate(values)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(p) for p in error["loc"])
        raise UsageError(f"{field}: {error['msg']}") from None


def advance(
    store: Store,
    pilot_id: str,
    playbook: Playbook,
    *,
    by: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    reason: str | None = None,
    outcome: Outcome | None = None,
) -> AdvanceResult:
    """Move a pilot through its current gate, or end it after bijsturen with an outcome.

    Ending a pilot has one rule however it is asked for: ``outcome="stopped"`` *is*
    ``decide(..., "stop")`` (any stage, paused or under review too, a reason required, recorded
    as a ``decided`` event), and ``outcome="scaled"`` is decided by the same people as
    ``decide(..., "scale")``: not the owner, not on someone's behalf, in a deciding role.
    """
    if outcome == "stopped":
        if force:
            raise UsageError(
                _(
                    "--force does not apply to stopping: a pilot can always be stopped, no gate "
                    "needs to pass"
                ),
                hint=_(
                    "pilots advance {pilot} --outcome stopped --reason '...' (the same as "
                    "pilots decide {pilot} stop --reason '...')"
                ).format(pilot=pilot_id),
            )
        if not (reason and reason.strip()):
            raise UsageError(
                _("stopping a pilot needs --reason: its history says why it ended"),
                hint=_("pilots advance {pilot} --outcome stopped --reason '...'").format(
                    pilot=pilot_id
                ),
            )
        stopped = decide(store, pilot_id, "stop", playbook, reason=reason, by=by, dry_run=dry_run)
        return AdvanceResult(
            pilot_id, stopped.stage, None, "stopped", None, False, applied=not dry_run
        )
    return _advance(
        store, pilot_id, playbook, by=by, dry_run=dry_run, force=force, reason=reason,
        outcome=outcome,
    )  # fmt: skip


@retrying
def _advance(
    store: Store,
    pilot_id: str,
    playbook: Playbook,
    *,
    by: str | None,
    dry_run: bool,
    force: bool,
    reason: str | None,
    outcome: Outcome | None,
) -> AdvanceResult:
    if force and not (reason and reason.strip()):
        raise UsageError(_("--force needs --reason: an override must say why"))
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        row = pilot_to_change(session, pilot_id, _("advance"))
        if row.paused:
            raise CheckFailed(
                _("{pilot} is paused").format(pilot=pilot_id),
                hint=_("resume it first: pilots resume {pilot} --reason ...").format(
                    pilot=pilot_id
                ),
            )
        facts = stored_definition(row.definition).governance.ai_act
        if facts is not None and "prohibited" in (
            facts.risk_class,
            classify(facts).risk_class,
        ):
            raise CheckFailed(
                _(
                    "{pilot} is declared a prohibited AI practice (EU AI Act Art. 5); "
                    "it can never advance, not even with --force"
                ).format(pilot=pilot_id),
                hint=_("stop it: pilots decide {pilot} stop --reason ...").format(pilot=pilot_id),
            )
        if row.review_since is not None:
            since = moment(utc(row.review_since))
            review = review_gate(row, playbook, gate_inputs(session, [row.id])[row.id])
            if review is not None and not review.met:
                failing = ", ".join(r.id for r in review.failing)
                raise CheckFailed(
                    _(
                        "{pilot} needs a governance review since {since} UTC: its governance "
                        "facts changed, and the governance gate does not pass again ({failing})"
                    ).format(pilot=pilot_id, since=since, failing=failing),
                    hint=_(
                        "meet those criteria on the new facts; the governance roles approve "
                        "again with `pilots approve`; `pilots show {pilot}` lists what is left"
                    ).format(pilot=pilot_id),
                )
            if not dry_run:
                close_review_if_met(session, row, playbook, actor=actor, now=now)
        current = stage_key(row.stage)
        following = next_stage(current)
        if following is None and outcome is None:
            raise UsageError(
                _("{pilot} is in bijsturen: leaving it ends the pilot").format(pilot=pilot_id),
                hint=_("pass --outcome scaled (naar praktijk) or --outcome stopped --reason '...'"),
            )
        if following is not None and outcome is not None:
            raise UsageError(
                _(
                    "--outcome {outcome} applies only when leaving bijsturen ({pilot} is in "
                    "{stage})"
                ).format(outcome=outcome, pilot=pilot_id, stage=current),
                hint=_("a pilot can be stopped at any stage: --outcome stopped --reason '...'"),
            )
        if outcome == "scaled":
            _refuse_scaling(row, playbook, acting)
        gate = read_current_gate(session, row, playbook)
        if not gate.met and not force:
            raise GateNotMet(pilot_id, gate, never_forced=_never_forced(row, playbook, gate))
        if not gate.met:
            _refuse_override(row, playbook, gate, acting)
        decision = row.definition.get("bijsturen", {}).get("decision")
        if outcome is not None and not force and decision != DECISION_FOR[outcome]:
            raise CheckFailed(
                _("{pilot}: --outcome {outcome} contradicts the decision '{decision}'").format(
                    pilot=pilot_id, outcome=outcome, decision=decision
                ),
                hint=_(
                    "`pilots decide {pilot} {decision} --reason '...'` decides and ends it in "
                    "one step; or record the decision in its file (bijsturen.decision: "
                    "{decision}) and import it"
                ).format(pilot=pilot_id, decision=DECISION_FOR[outcome]),
            )
        to_stage = following.key if following else None
        result = AdvanceResult(
            pilot_id, current, to_stage, outcome, gate, force and not gate.met, not dry_run
        )
        if dry_run:
            return result
        weakened = [w for w in weakened_protected(default_playbook(), playbook)
                    if w.stage == current]  # fmt: skip
        overridden: list[str] | None = None  # the criteria passed while failing
        weaker: list[str] | None = None
        if result.forced:
            overridden = [r.id for r in gate.failing]
        elif weakened:
            refuse_owner(row, acting, _("pass its gate under a playbook weaker than the default"))
            # passed, but only because the playbook in force asks less than the law or four
            # eyes: that is an override by another name, and is recorded as one
            overridden = sorted({w.criterion for w in weakened})
            weaker = [w.describe() for w in weakened]
            reason = reason or f"passed under playbook {playbook.name}, weaker than the default"
        kind = (
            EventKind.OVERRIDE
            if result.forced or weakened
            else (EventKind.ENDED if outcome else EventKind.ADVANCED)
        )
        if to_stage is not None:
            row.stage = to_stage
            row.stage_entered_at = now
        row.outcome = outcome
        event = Advance(kind, current, to_stage, outcome, gate.score, overridden, weaker)
        append_event(session, row, event, actor=actor, at=now, reason=reason)
    return result


def _refuse_scaling(row: PilotRow, playbook: Playbook, acting: Acting) -> None:
    """Scaling a pilot to practice is someone else's decision than its owner's, in a deciding role.

    ``advance --outcome scaled`` and ``decide scale`` both ask this, so neither is a way around
    the other.
    """
    refuse_unless_decider(row, playbook, acting, "bijsturen", _("decide to scale it to practice"),
                          in_general=_("decide to scale a pilot"))  # fmt: skip


def _never_forced(row: PilotRow, playbook: Playbook, gate: GateResult) -> set[str]:
    """The criteria of the gate no override passes.

    Those the playbook marks never waivable, and an open serious incident (it is closed, or
    the pilot stopped).
    """
    setting = stored_definition(row.definition).setting
    fixed = {c.id for c in playbook.criteria(gate.stage, setting) if not c.waivable}
    return fixed | {INCIDENT_CRITERION}


def _refuse_override(row: PilotRow, playbook: Playbook, gate: GateResult, acting: Acting) -> None:
    """An override is someone else's decision, and never passes what no decision can change."""
    refuse_unless_decider(row, playbook, acting, gate.stage, _("override its gate"),
                          in_general=_("override a gate"))  # fmt: skip
    if any(r.id == INCIDENT_CRITERION for r in gate.failing):
        raise CheckFailed(
            _(
                "{pilot} cannot be forced past an open serious incident: close it first, once "
                "handled (stopping the pilot stays possible)"
            ).format(pilot=row.id),
            hint=_("pilots incident list {pilot} --open").format(pilot=row.id),
        )
    fixed = _never_forced(row, playbook, gate)
    blocked = [r.id for r in gate.failing if r.id in fixed]
    if blocked:
        raise CheckFailed(
            ngettext(
                "{pilot} cannot be forced past {criteria}: the playbook marks it as never "
                "waivable, so no override passes them either",
                "{pilot} cannot be forced past {criteria}: the playbook marks them as never "
                "waivable, so no override passes them either",
                len(blocked),
            ).format(pilot=row.id, criteria=", ".join(blocked)),
            hint=_("`pilots gate {pilot}` says what to do").format(pilot=row.id),
        )


@retrying
def set_paused(
    store: Store, pilot_id: str, paused: bool, *, reason: str, by: str | None = None
) -> None:
    """Pause or resume a pilot at its current stage, with a reason."""
    require_reason(reason)
    now = clock.now()
    doing = _("be paused") if paused else _("be resumed")
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        row = pilot_to_change(session, pilot_id, doing)
        if row.paused == paused:
            already = _("{pilot} is already paused") if paused else _("{pilot} is already active")
            raise CheckFailed(already.format(pilot=pilot_id))
        if not paused and (held_by := _paused_by(session, row)) is not None:
            owner = stored_definition(row.definition).owner
            if owns(row, acting) and not is_owner(owner.name, owner.email, held_by):
                raise CheckFailed(
                    _(
                        "{actor} owns {pilot}, which {held_by} paused; the owner cannot resume "
                        "it (four eyes)"
                    ).format(actor=actor, pilot=pilot_id, held_by=held_by),
                    hint=_("ask {held_by} (or someone else) to resume it").format(held_by=held_by),
                )
        row.paused = paused
        label = stage(stage_key(row.stage)).label
        append_event(
            session, row, PauseChanged(paused, row.stage, label), actor=actor, at=now,
            reason=reason,
        )  # fmt: skip


def _paused_by(session: Session, row: PilotRow) -> str | None:
    """Who paused the pilot last."""
    return session.execute(
        select(EventRow.actor)  # type: ignore[call-overload]
        .where(EventRow.pilot_id == row.id, EventRow.kind == EventKind.PAUSED)
        .order_by(col(EventRow.seq).desc())
        .limit(1)
    ).scalar()


@dataclass(frozen=True, slots=True)
class DecisionResult:
    """What ``decide`` recorded."""

    pilot_id: str
    decision: Decision
    outcome: Outcome | None
    iteration: int
    stage: StageKey  # where it was decided


@retrying
def decide(
    store: Store,
    pilot_id: str,
    decision: Decision,
    playbook: Playbook,
    *,
    reason: str,
    by: str | None = None,
    dry_run: bool = False,
) -> DecisionResult:
    """Record the bijsturen decision (with ``dry_run``, only check that it may be taken).

    Scale ends the pilot as scaled (its gate must be met), stop ends it as stopped (stopping
    never needs evidence, and is possible at any stage, paused or under review: a pilot that
    should not go on must be able to end), adjust keeps it in bijsturen and counts the
    iteration. ``advance --outcome stopped`` comes here too.
    """
    require_reason(reason)
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        row = pilot_to_change(session, pilot_id, _("be decided on again"))
        if row.stage != "bijsturen" and decision != "stop":
            raise CheckFailed(
                _(
                    "{pilot} is in {stage}; decisions to {decision} are taken in bijsturen "
                    "(stopping is possible at any stage)"
                ).format(pilot=pilot_id, stage=row.stage, decision=decision),
                hint=_("advance it first: pilots advance {pilot}").format(pilot=pilot_id),
            )
        if decision != "stop" and (row.paused or row.review_since is not None):
            raise CheckFailed(
                _("{pilot} is paused or needs a governance review; resolve that first").format(
                    pilot=pilot_id
                )
            )
        if decision == "scale":
            _refuse_scaling(row, playbook, acting)
            gate = read_current_gate(session, row, playbook)
            if not gate.met:
                raise GateNotMet(pilot_id, gate, never_forced=set(), can_force=False)
        outcome = _OUTCOME_OF.get(decision)
        where = stage_key(row.stage)
        if dry_run:
            return DecisionResult(pilot_id, decision, outcome, row.iterations, where)
        if decision == "adjust":
            row.iterations += 1
        row.outcome = outcome
        append_event(
            session, row, Decided(decision, outcome, row.iterations), actor=actor, at=now,
            reason=reason,
        )  # fmt: skip
        return DecisionResult(pilot_id, decision, outcome, row.iterations, where)


@retrying
def review(store: Store, pilot_id: str, *, note: str, by: str | None = None) -> str | None:
    """Record a steering review of a pilot in bijsturen; its cadence (or ``None``) comes back.

    The next review its cadence asks for counts from this one (``pilots due``). A paused
    pilot can be reviewed (deciding to resume it is a review too); an ended one cannot.
    """
    if not note.strip():
        raise UsageError(_("--note must say what the review found"))
    now = clock.now()
    with transaction(store) as session:
        actor = who_acts(session, by).recorded
        row = pilot_to_change(session, pilot_id, _("be reviewed"))
        if row.stage != "bijsturen":
            raise CheckFailed(
                _("{pilot} is in {stage}; steering reviews are held in bijsturen").format(
                    pilot=pilot_id, stage=row.stage
                ),
                hint=_("advance it first: pilots advance {pilot}").format(pilot=pilot_id),
            )
        cadence = stored_definition(row.definition).bijsturen.review_cadence
        append_event(
            session, row, SteeringReviewed(cadence, row.iterations), actor=actor, at=now,
            reason=note,
        )  # fmt: skip
        return cadence
