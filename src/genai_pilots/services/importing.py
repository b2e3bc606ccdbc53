"""Importing definition files into the register: validate all, then upsert in one transaction.

Nothing is stored unless every file is valid. Unchanged files change and record nothing, so an
import can run on every merge to main. A claimed stage later than the register's is taken over
(validation has checked the gates before it); an earlier one never moves a pilot back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlmodel import Session

from genai_pilots import clock
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.diff import FieldChange, diff
from genai_pilots.domain.findings import Finding, Severity
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.register import definition_json, is_later
from genai_pilots.domain.stages import StageKey, stage_key
from genai_pilots.errors import CheckFailed
from genai_pilots.services.events import append_event
from genai_pilots.services.governance import regating_changes
from genai_pilots.services.measuring import store_rows, yaml_rows
from genai_pilots.services.playbooks import load_playbook
from genai_pilots.services.rows import new_row, refresh_row
from genai_pilots.services.store import Store, reading, resolve_actor, retrying, transaction
from genai_pilots.services.validation import ValidationReport, discover, validate_files
from genai_pilots.store.models import PilotRow
from genai_pilots.store.queries import last_events, pilots_by_id

Action = Literal["create", "update", "unchanged"]


@dataclass(slots=True)
class PlannedChange:
    """What an import does to one pilot."""

    pilot_id: str
    source: str
    action: Action
    changes: list[FieldChange] = field(default_factory=list)
    stage_from: StageKey | None = None
    stage_to: StageKey | None = None
    note: str | None = None
    regating: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ImportResult:
    """The plan of an import and whether it was applied."""

    planned: list[PlannedChange]
    report: ValidationReport
    applied: bool

    def count(self, action: Action) -> int:
        """How many pilots get this action."""
        return sum(1 for p in self.planned if p.action == action)


class ImportRejected(CheckFailed):
    """At least one file is invalid; nothing was imported."""

    def __init__(self, report: ValidationReport) -> None:
        bad = sum(1 for r in report.results if r.errors)
        super().__init__(
            f"nothing imported: {bad} of {len(report.results)} files have errors",
            hint="fix the findings above (`pilots validate` shows the same), then import again",
        )
        self.report = report


def _duplicate_ids(report: ValidationReport) -> None:
    """Two files defining the same pilot would overwrite each other: make it a finding."""
    first: dict[str, str] = {}
    for result in report.results:
        definition = result.definition
        if definition is None or result.errors:
            continue
        if definition.id in first:
            result.findings.append(
                Finding(
                    result.source,
                    *result.id_position,
                    Severity.ERROR,
                    "id",
                    f"pilot id '{definition.id}' is also defined in {first[definition.id]}; "
                    "give each pilot its own id",
                    "duplicate-id",
                )  # fmt: skip
            )
        else:
            first[definition.id] = result.source


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """A definition without the claimed stage and outcome: those move the pilot, by events."""
    return {key: value for key, value in data.items() if key not in {"stage", "outcome"}}


def _plan_one(definition: PilotDefinition, source: str, existing: PilotRow | None) -> PlannedChange:
    data = definition_json(definition)
    if existing is None:
        planned = PlannedChange(definition.id, source, "create", stage_to=definition.stage)
        if definition.outcome:
            planned.note = f"ended: {definition.outcome}"
        return planned
    changes = diff(_content(existing.definition), _content(data))
    planned = PlannedChange(definition.id, source, "update" if changes else "unchanged", changes)
    current = stage_key(existing.stage)
    past_governance = existing.outcome is not None or is_later(current, "governance")
    if past_governance and existing.review_since is None:
        planned.regating = regating_changes([(c.field, c.old, c.new) for c in changes])
    if existing.outcome is None and is_later(definition.stage, current):
        planned.action, planned.stage_from, planned.stage_to = "update", current, definition.stage
    elif is_later(current, definition.stage) and changes:
        planned.note = f"file claims '{definition.stage}', the register keeps '{current}'"
    if existing.outcome is None and definition.outcome and definition.stage == "bijsturen":
        planned.action, planned.note = "update", f"ends: {definition.outcome}"
    return planned


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
    files = discover((Path(p) for p in paths), recursive=recursive)
    rules = playbook if isinstance(playbook, Playbook) else load_playbook(playbook, store)
    report = validate_files(files, rules)
    _duplicate_ids(report)
    if report.failed():
        raise ImportRejected(report)
    valid = [(r.definition, r.source) for r in report.results if r.definition is not None]
    ids = [d.id for d, _ in valid]
    if dry_run:
        with reading(store) as session:
            existing = pilots_by_id(session, ids)
        preview = [_plan_one(d, s, existing.get(d.id)) for d, s in valid]
        return ImportResult(preview, report, applied=False)

    actor = resolve_actor(by)
    now = clock.now()
    with transaction(store) as session:
        existing = pilots_by_id(session, ids, lock=True)
        chain_ends = last_events(session, existing)
        planned_all = [_plan_one(d, s, existing.get(d.id)) for d, s in valid]
        created = {
            d.id: new_row(d, now)
            for (d, _), planned in zip(valid, planned_all, strict=True)
            if planned.action == "create"
        }
        session.add_all(created.values())
        session.flush()  # pilots exist before the events that refer to them
        for done, ((definition, source), planned) in enumerate(
            zip(valid, planned_all, strict=True), start=1
        ):
            row = existing.get(definition.id)
            if planned.action == "create":
                new = created[definition.id]
                event = append_event(
                    session, new, "imported",
                    {"action": "create", "source": source, "stage": definition.stage,
                     "outcome": definition.outcome},
                    actor=actor, at=now, prev=(0, new.head_hash),
                )  # fmt: skip
                if definition.bijsturen.measurements:
                    store_rows(
                        session, new, yaml_rows(definition), source="yaml", actor=actor, now=now,
                        prev=(event.seq, event.hash),
                    )  # fmt: skip
            elif planned.action == "update" and row is not None:
                _apply_update(session, row, planned, definition, actor, now, chain_ends)
            if progress:
                progress(done, len(valid))
    return ImportResult(planned_all, report, applied=True)


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
        event = append_event(
            session, row, "definition-changed",
            {"source": planned.source, "changes": [c.as_dict() for c in planned.changes]},
            actor=actor, at=now, prev=prev,
        )  # fmt: skip
        prev = (event.seq, event.hash)
    if planned.regating:
        row.review_since = now
        event = append_event(
            session, row, "governance-review-needed", {"fields": planned.regating},
            actor=actor, at=now, prev=prev,
        )  # fmt: skip
        prev = (event.seq, event.hash)
    if planned.stage_to is not None and planned.stage_from is not None:
        row.stage = planned.stage_to
        row.stage_entered_at = now
        event = append_event(
            session, row, "stage-claimed",
            {"from": planned.stage_from, "to": planned.stage_to, "source": planned.source},
            actor=actor, at=now, prev=prev,
        )  # fmt: skip
        prev = (event.seq, event.hash)
    if any(c.field.startswith("bijsturen.measurements") for c in planned.changes):
        event = store_rows(
            session, row, yaml_rows(definition), source="yaml", actor=actor, now=now,
            replace=True, prev=prev,
        )  # fmt: skip
        prev = (event.seq, event.hash)
    if row.outcome is None and definition.outcome and row.stage == "bijsturen":
        row.outcome = definition.outcome
        append_event(
            session, row, "ended",
            {"outcome": definition.outcome, "source": planned.source},
            actor=actor, at=now, prev=prev,
        )  # fmt: skip
