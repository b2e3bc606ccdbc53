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
from genai_pilots.domain.audit import format_utc
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
            hint = f"meet them; `pilots gate {pilot_id}` says how"
        elif fixed:
            hint = f"meet them: {', '.join(fixed)} can never be overridden, not even with --force"
        else:
            hint = "meet them, or pass --force --reason '...' to override (recorded as such)"
        super().__init__(
            f"{pilot_id} cannot leave {gate.stage}: {count} "
            f"{'criterion' if count == 1 else 'criteria'} not met ({names})",
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
        raise UsageError("a new pilot starts at start-klein; import a file to claim a later stage")
    problems = owner_problems(definition.owner.name, definition.owner.email)
    if problems:
        raise UsageError(problems[0][1])
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        if pilots_by_id(session, [definition.id]):
            raise UsageError(
                f"a pilot with id '{definition.id}' already exists",
                hint="choose another id, or change the existing pilot by importing its file",
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
                "--force does not apply to stopping: a pilot can always be stopped, no gate "
                "needs to pass",
                hint=f"pilots advance {pilot_id} --outcome stopped --reason '...' (the same as "
                f"pilots decide {pilot_id} stop --reason '...')",
            )
        if not (reason and reason.strip()):
            raise UsageError(
                "stopping a pilot needs --reason: its history says why it ended",
                hint=f"pilots advance {pilot_id} --outcome stopped --reason '...'",
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
        raise UsageError("--force needs --reason: an override must say why")
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        row = pilot_to_change(session, pilot_id, "advance")
        if row.paused:
            raise CheckFailed(
                f"{pilot_id} is paused",
                hint=f"resume it first: pilots resume {pilot_id} --reason ...",
            )
        facts = stored_definition(row.definition).governance.ai_act
        if facts is not None and "prohibited" in (
            facts.risk_class,
            classify(facts).risk_class,
        ):
            raise CheckFailed(
                f"{pilot_id} is declared a prohibited AI practice (EU AI Act Art. 5); "
                "it can never advance, not even with --force",
                hint=f"stop it: pilots decide {pilot_id} stop --reason ...",
            )
        if row.review_since is not None:
            since = format_utc(row.review_since)
            review = review_gate(row, playbook, gate_inputs(session, [row.id])[row.id])
            if review is not None and not review.met:
                failing = ", ".join(r.id for r in review.failing)
                raise CheckFailed(
                    f"{pilot_id} needs a governance review since {since} UTC: its governance "
                    f"facts changed, and the governance gate does not pass again ({failing})",
                    hint="meet those criteria on the new facts; the governance roles approve "
                    f"again with `pilots approve`; `pilots show {pilot_id}` lists what is left",
                )
            if not dry_run:
                close_review_if_met(session, row, playbook, actor=actor, now=now)
        current = stage_key(row.stage)
        following = next_stage(current)
        if following is None and outcome is None:
            raise UsageError(
                f"{pilot_id} is in bijsturen: leaving it ends the pilot",
                hint="pass --outcome scaled (naar praktijk) or --outcome stopped --reason '...'",
            )
        if following is not None and outcome is not None:
            raise UsageError(
                f"--outcome {outcome} applies only when leaving bijsturen ({pilot_id} is in "
                f"{current})",
                hint="a pilot can be stopped at any stage: --outcome stopped --reason '...'",
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
                f"{pilot_id}: --outcome {outcome} contradicts the decision '{decision}'",
                hint=f"`pilots decide {pilot_id} {DECISION_FOR[outcome]} --reason '...'` decides "
                "and ends it in one step; or record the decision in its file "
                f"(bijsturen.decision: {DECISION_FOR[outcome]}) and import it",
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
            refuse_owner(row, acting, "pass its gate under a playbook weaker than the default")
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
    refuse_unless_decider(row, playbook, acting, "bijsturen", "decide to scale it to practice",
                          in_general="decide to scale a pilot")  # fmt: skip


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
    refuse_unless_decider(row, playbook, acting, gate.stage, "override its gate",
                          in_general="override a gate")  # fmt: skip
    if any(r.id == INCIDENT_CRITERION for r in gate.failing):
        raise CheckFailed(
            f"{row.id} cannot be forced past an open serious incident: close it first, once "
            "handled (stopping the pilot stays possible)",
            hint=f"pilots incident list {row.id} --open",
        )
    fixed = _never_forced(row, playbook, gate)
    blocked = [r.id for r in gate.failing if r.id in fixed]
    if blocked:
        raise CheckFailed(
            f"{row.id} cannot be forced past {', '.join(blocked)}: the playbook marks "
            f"{'it' if len(blocked) == 1 else 'them'} as never waivable, so no override "
            "passes them either",
            hint=f"`pilots gate {row.id}` says what to do",
        )


@retrying
def set_paused(
    store: Store, pilot_id: str, paused: bool, *, reason: str, by: str | None = None
) -> None:
    """Pause or resume a pilot at its current stage, with a reason."""
    require_reason(reason)
    now = clock.now()
    verb = "paused" if paused else "resumed"
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        row = pilot_to_change(session, pilot_id, f"be {verb}")
        if row.paused == paused:
            raise CheckFailed(f"{pilot_id} is already {'paused' if paused else 'active'}")
        if not paused and (held_by := _paused_by(session, row)) is not None:
            owner = stored_definition(row.definition).owner
            if owns(row, acting) and not is_owner(owner.name, owner.email, held_by):
                raise CheckFailed(
                    f"{actor} owns {pilot_id}, which {held_by} paused; the owner cannot resume "
                    "it (four eyes)",
                    hint=f"ask {held_by} (or someone else) to resume it",
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
        row = pilot_to_change(session, pilot_id, "be decided on again")
        if row.stage != "bijsturen" and decision != "stop":
            raise CheckFailed(
                f"{pilot_id} is in {row.stage}; decisions to {decision} are taken in bijsturen "
                "(stopping is possible at any stage)",
                hint=f"advance it first: pilots advance {pilot_id}",
            )
        if decision != "stop" and (row.paused or row.review_since is not None):
            raise CheckFailed(
                f"{pilot_id} is paused or needs a governance review; resolve that first"
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
        raise UsageError("--note must say what the review found")
    now = clock.now()
    with transaction(store) as session:
        actor = who_acts(session, by).recorded
        row = pilot_to_change(session, pilot_id, "be reviewed")
        if row.stage != "bijsturen":
            raise CheckFailed(
                f"{pilot_id} is in {row.stage}; steering reviews are held in bijsturen",
                hint=f"advance it first: pilots advance {pilot_id}",
            )
        cadence = stored_definition(row.definition).bijsturen.review_cadence
        append_event(
            session, row, SteeringReviewed(cadence, row.iterations), actor=actor, at=now,
            reason=note,
        )  # fmt: skip
        return cadence
