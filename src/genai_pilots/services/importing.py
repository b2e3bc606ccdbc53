"""Importing definition files into the register: validate all, then upsert in one transaction.

Nothing is stored unless every file is valid. Unchanged files change and record nothing, so an
import can run on every merge to main. A claimed stage later than the register's is taken over
(validation has checked the gates before it); an earlier one never moves a pilot back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from genai_pilots import clock
from genai_pilots.domain.audit import GENESIS
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.diff import diff
from genai_pilots.domain.events import (
    Advance,
    DefinitionChanged,
    EventKind,
    Imported,
    Measured,
    OutcomeClaimed,
    PilotsCreated,
    StageClaimed,
)
from genai_pilots.domain.gates import is_owner
from genai_pilots.domain.importing import (
    PlannedChange,
    ValidDefinition,
    override_reason,
    plan_change,
    regating_changes,
    superseding_changes,
    without_claims,
)
from genai_pilots.domain.measurements import yaml_measurements
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.stages import STAGE_KEYS, is_later, stage_key
from genai_pilots.domain.state import pilot_state
from genai_pilots.domain.validation import FileResult, FilesReport, flag_duplicate_ids
from genai_pilots.errors import CheckFailed
from genai_pilots.i18n import _
from genai_pilots.readmodels import ImportResult
from genai_pilots.services.events import (
    append_event,
    append_register_event,
    ensure_intact,
    ensure_register_intact,
    event_record,
)
from genai_pilots.services.gating import gate_for, gate_inputs
from genai_pilots.services.governance import (
    close_review_if_met,
    deciding_roles,
    open_review,
    owns,
    supersede_approvals,
)
from genai_pilots.services.identity import Acting, who_acts
from genai_pilots.services.measuring import measurement_record, store_rows
from genai_pilots.services.playbooks import default_playbook, governing_playbook
from genai_pilots.services.rows import new_columns, refresh_row
from genai_pilots.services.transactions import Store, reading, retrying, transaction
from genai_pilots.services.validation import check_files, find_definitions
from genai_pilots.store.models import EventRow, MeasurementRow, PilotRow
from genai_pilots.store.queries import last_events, pilots_by_id


class ImportRejected(CheckFailed):
    """At least one file is invalid; nothing was imported."""

    def __init__(self, report: FilesReport, *, own_playbook: bool = False) -> None:
        bad = sum(1 for r in report.results if r.errors)
        # validate cannot read the register: with a playbook of the register's own it shows the
        # same only when given that playbook
        same = (
            _(
                "`pilots validate --playbook FILE` with the playbook stored in the register shows "
                "the same"
            )
            if own_playbook
            else _("`pilots validate` shows the same")
        )
        total = len(report.results)
        super().__init__(
            _("nothing imported: {bad} of {total} files have errors").format(bad=bad, total=total),
            hint=_("fix the findings above ({same}), then import again").format(same=same),
        )
        self.report = report


def validate_for_import(
    files: Sequence[Path], playbook: Playbook
) -> tuple[FilesReport, list[ValidDefinition]]:
    """Validate every file; keep compact records of the valid ones and the findings of all."""
    results: list[FileResult] = []
    valid: list[ValidDefinition] = []
    ids: list[tuple[str, str, tuple[int, int]]] = []  # as validate_files counts them
    for result in check_files(files, playbook):
        if result.definition is not None:
            ids.append((result.source, result.definition.id, result.id_position))
            if not result.errors:
                valid.append(
                    ValidDefinition.of(result.definition, result.source, result.id_position)
                )
        result.definition = None  # findings are all the report needs
        results.append(result)
    flag_duplicate_ids(results, ids)
    return FilesReport(results), valid


def _claims_held(
    session: Session,
    existing: dict[str, PilotRow],
    valid: Sequence[ValidDefinition],
    rules: Playbook,
    acting: Acting,
) -> dict[str, str]:
    """Why the register does not follow a file's claimed later stage or outcome, per pilot.

    A file's claim is judged on what the register holds (recorded approvals, its measurements
    and waivers), never on approvals typed in the file; a paused pilot or one whose governance
    review is open does not move on a file either.
    """
    claiming: list[tuple[ValidDefinition, PilotRow]] = []
    for item in valid:
        row = existing.get(item.pilot_id)
        if row is None or row.outcome is not None:
            continue
        current = stage_key(row.stage)
        if is_later(item.stage, current) or (item.outcome and item.stage == "bijsturen"):
            claiming.append((item, row))
    inputs = gate_inputs(session, [row.id for _, row in claiming])
    held: dict[str, str] = {}
    for item, row in claiming:
        definition = item.definition()
        changes = diff(without_claims(row.definition), without_claims(item.data()))
        new_owner = definition.owner
        scaling_own = item.outcome == "scaled" and (
            owns(row, acting)
            or any(p.is_named(new_owner.name) or p.is_named(new_owner.email) for p in acting.people)
            or (not acting.people and is_owner(new_owner.name, new_owner.email, acting.name))
        )
        scaling_refused = _scaling_refused(row, rules, acting) if item.outcome == "scaled" else None
        if row.paused:
            held[row.id] = _("it is paused")
        elif scaling_own:
            held[row.id] = _("its owner cannot decide to scale it (four eyes)")
        elif scaling_refused:
            held[row.id] = scaling_refused
        elif row.review_since is not None or (
            not is_later("governance", stage_key(row.stage))
            and regating_changes([(c.field, c.old, c.new) for c in changes])
        ):
            held[row.id] = _("its governance review is open")
        else:
            last = "bijsturen" if item.outcome == "scaled" else item.stage
            stages = [s for s in STAGE_KEYS if not is_later(stage_key(row.stage), s)]
            stages = [s for s in stages if is_later(last, s) or (s == last == "bijsturen")]
            own = {s: ms for s, ms in inputs[row.id].measurements.items() if s != "yaml"}
            current = stage_key(row.stage)
            fields = [(c.field, c.old, c.new) for c in changes]
            superseded = current if superseding_changes(current, fields) else None
            # this very import supersedes the approvals given at a gate whose section it changes
            approvals = [a for a in inputs[row.id].approvals if a.stage != superseded]
            rows = replace(inputs[row.id], measurements=own, approvals=approvals)
            for stage in stages:
                gate = gate_for(definition, rules, rows, stage, item.measurements)
                if not gate.met:
                    failing = ", ".join(r.id for r in gate.failing)
                    held[row.id] = _(
                        "the {stage} gate is not met in the register ({failing})"
                    ).format(stage=stage, failing=failing)
                    break
    return held


def _scaling_refused(row: PilotRow, rules: Playbook, acting: Acting) -> str | None:
    """Why this login may not scale the pilot by an import, as ``decide scale`` asks."""
    if acting.behalf is not None:
        return _("scaling is never decided on someone's behalf")
    roles = deciding_roles(row, rules, "bijsturen")
    if acting.person is not None and roles and not any(r in acting.person.roles for r in roles):
        return _("{name} holds none of the roles that decide scaling ({roles})").format(
            name=acting.person.name, roles=", ".join(roles)
        )
    return None


BATCH = 500


@retrying
def import_paths(
    store: Store,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    by: str | None = None,
    recursive: bool = False,
    playbook: Playbook | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Validate every file, then create or update the pilots they define, all or nothing."""
    files = find_definitions(paths, recursive=recursive)
    rules = playbook if isinstance(playbook, Playbook) else governing_playbook(store, playbook)
    report, valid = validate_for_import(files, rules)
    if report.failed():
        raise ImportRejected(report, own_playbook=rules != default_playbook())
    ids = [v.pilot_id for v in valid]
    if dry_run:
        with reading(store) as session:
            existing = pilots_by_id(session, ids)
            held = _claims_held(session, existing, valid, rules, who_acts(session, by))
        plan = [plan_change(v, existing.get(v.pilot_id), held.get(v.pilot_id)) for v in valid]
        return ImportResult(plan, report, False)

    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        existing = pilots_by_id(session, ids, lock=True)
        chain_ends = last_events(session, existing)
        held = _claims_held(session, existing, valid, rules, acting)
        planned_all = [
            plan_change(v, existing.get(v.pilot_id), held.get(v.pilot_id)) for v in valid
        ]
        creates = [v for v, p in zip(valid, planned_all, strict=True) if p.action == "create"]
        _refuse_overrides_without_authority(creates, acting)
        if creates:
            ensure_register_intact(session)
        for item, planned in zip(valid, planned_all, strict=True):
            row = existing.get(item.pilot_id)
            if planned.action == "update" and row is not None:
                ensure_intact(session, row)
        for start in range(0, len(creates), BATCH):
            _insert_new(session, creates[start : start + BATCH], actor, now)
            if progress:
                progress(min(start + BATCH, len(creates)), len(valid))
        if creates:
            created = PilotsCreated([c.pilot_id for c in creates])
            append_register_event(session, created, actor=actor, at=now)
        for item, planned in zip(valid, planned_all, strict=True):
            row = existing.get(item.pilot_id)
            if planned.action == "update" and row is not None:
                _apply_update(session, row, planned, item.definition(), actor, now, chain_ends)
                close_review_if_met(session, row, rules, actor=actor, now=now)
        if progress:
            progress(len(valid), len(valid))
    return ImportResult(planned_all, report, applied=True)


def _refuse_overrides_without_authority(creates: Sequence[ValidDefinition], acting: Acting) -> None:
    """A file's override is recorded as one only where ``advance --force`` could have given it.

    With the people directory in use nobody creating a pilot may (its creator counts as its
    owner): overrides are given in the register, or a whole register moves with ``db copy``.
    Without it, the importer may not be the pilot's owner (four eyes, as for ``--force``).
    """
    for item in creates:
        if not item.overrides:
            continue
        owner = item.definition().owner
        if acting.people:
            why = _("with the people directory in use, an override is given in the register")
        elif is_owner(owner.name, owner.email, acting.name):
            why = _("{name} owns it and cannot override its gates (four eyes)").format(
                name=acting.name
            )
        else:
            continue
        raise CheckFailed(
            _(
                "{source}: the file carries an override of the {stages} gate that this import "
                "may not record: {why}; nothing was imported"
            ).format(
                source=item.source, stages=", ".join(o.stage for o in item.overrides), why=why
            ),
            hint=_(
                "import it without overrides: (at the stage its gates allow) and have someone "
                "in an approving role `pilots advance --force`; or move the whole register with "
                "`pilots db copy`"
            ),
        )


def _insert_new(
    session: Session, items: Sequence[ValidDefinition], actor: str, now: dt.datetime
) -> None:
    """Insert new pilots with their first events and measurements, a batch per statement.

    Bulk inserts keep a 10,000-file import fast and small: no ORM object per row.
    """
    pilots: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    measurements: list[dict[str, Any]] = []
    for item in items:
        derived = item.columns | {"definition": item.data()}
        pilot = new_columns(item.pilot_id, item.stage, item.outcome, derived, now)
        entered = Imported(item.source, item.stage, item.outcome)
        chain = [
            event_record(
                item.pilot_id, (0, GENESIS), entered, actor=actor, at=now,
                state=pilot_state(pilot, {}),
            )
        ]  # fmt: skip
        setting = item.columns["setting"]
        if item.measurements:
            batch = Measured("yaml", item.measurements, setting)
            added = [
                measurement_record(item.pilot_id, setting, m, source="yaml", actor=actor, now=now)
                for m in item.measurements
            ]
            prev = (chain[-1]["seq"], chain[-1]["hash"])
            chain.append(
                event_record(
                    item.pilot_id, prev, batch, actor=actor, at=now,
                    state=pilot_state(pilot, {"measurement": added}),
                )
            )  # fmt: skip
            measurements.extend(added)
        for override in item.overrides:  # another register's override: recorded as one
            forced = Advance(EventKind.OVERRIDE, override.stage, None, None, (0, 0),
                             override.failing)  # fmt: skip
            why = override_reason(item.source, override)
            prev = (chain[-1]["seq"], chain[-1]["hash"])
            chain.append(
                event_record(
                    item.pilot_id, prev, forced, actor=actor, at=now, reason=why,
                    state=chain[-1]["state"],
                )
            )  # fmt: skip
        events.extend(chain)
        pilots.append(pilot | {"head_hash": chain[-1]["hash"]})
    session.execute(insert(PilotRow), pilots)
    session.execute(insert(EventRow), events)
    if measurements:
        session.execute(insert(MeasurementRow), measurements)


def _apply_update(
    session: Session,
    row: PilotRow,
    planned: PlannedChange,
    definition: PilotDefinition,
    actor: str,
    now: dt.datetime,
    chain_ends: dict[str, tuple[int, str]],
) -> None:
    prev = chain_ends.get(row.id)
    if planned.changes:
        refresh_row(row, definition)
        changed = DefinitionChanged(planned.source, planned.changes)
        event = append_event(session, row, changed, actor=actor, at=now, prev=prev)
        prev = (event.seq, event.hash)
    if planned.regating:
        open_review(session, row, planned.regating, actor=actor, now=now, prev=prev)
        prev = None  # read it back: open_review appended the event
    current = stage_key(row.stage)
    superseding = superseding_changes(current, [(c.field, c.old, c.new) for c in planned.changes])
    if (
        row.outcome is None
        and superseding
        and supersede_approvals(session, row, current, superseding, actor=actor, now=now, prev=prev)
    ):
        prev = None  # read it back: an event was appended
    if planned.stage_to is not None and planned.stage_from is not None:
        row.stage = planned.stage_to
        row.stage_entered_at = now
        claimed = StageClaimed(planned.stage_from, planned.stage_to, planned.source)
        event = append_event(session, row, claimed, actor=actor, at=now, prev=prev)
        prev = (event.seq, event.hash)
    if any(c.field.startswith("bijsturen.measurements") for c in planned.changes):
        store_rows(
            session, row, yaml_measurements(definition), source="yaml", actor=actor, now=now,
            replace=True, prev=prev,
        )  # fmt: skip
        prev = None  # read back from the store
    if row.outcome is None and definition.outcome and row.stage == "bijsturen" and not planned.held:
        row.outcome = definition.outcome
        ended = OutcomeClaimed(definition.outcome, planned.source)
        append_event(session, row, ended, actor=actor, at=now, prev=prev)
