"""Planning an import: what it does to each pilot, decided before anything is stored.

The service reads the register and writes; what to do with each file is decided here, from
the compact record of a valid file and the pilot as stored (``StoredPilot``: any object with
its stored definition, stage and outcome).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, Self

from genai_pilots.domain.audit import canonical_json
from genai_pilots.domain.definition import GateOverride, PilotDefinition
from genai_pilots.domain.diff import FieldChange, diff
from genai_pilots.domain.measurements import Measurement, yaml_measurements
from genai_pilots.domain.stages import Outcome, StageKey, is_later, outcome_name, stage_key
from genai_pilots.domain.stages import stage as stage_info
from genai_pilots.domain.stored_definitions import (
    definition_json,
    derived_columns,
    stored_definition,
)
from genai_pilots.i18n import _

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
    held: bool = False  # a claimed stage or outcome the register does not follow


class StoredPilot(Protocol):
    """What planning reads of a pilot the register holds."""

    @property
    def definition(self) -> dict[str, Any]:
        """The stored definition."""
        ...

    @property
    def stage(self) -> str:
        """Its stage."""
        ...

    @property
    def outcome(self) -> str | None:
        """How it ended, if it has."""
        ...


# Claims typed in a definition file are not governance facts: the register does not count them.
NOT_GOVERNANCE_FACTS = ("governance.approvals",)


def regating_changes(changes: list[tuple[str, object, object]]) -> list[str]:
    """The changed fields that re-open governance: every governance fact, and the owner.

    The owner counts because four eyes is judged against the owner: handing a pilot to a
    colleague, approving it oneself and taking it back would otherwise pass.
    """
    return [
        name
        for name, _, _ in changes
        if name.startswith(("governance.", "owner.")) and not name.startswith(NOT_GOVERNANCE_FACTS)
    ]


def superseding_changes(stage: StageKey, changes: list[tuple[str, object, object]]) -> list[str]:
    """The changed fields that supersede the approvals given at ``stage``'s gate.

    An approval approves the facts of its stage as they stood: a change of that stage's section
    of the definition (``synthetic_data`` for the synthetic-data gate) makes it count no more.
    Governance has its own, wider rule (``regating_changes``: a review of the whole gate).
    """
    if stage == "governance":
        return []
    section = stage_info(stage).section + "."
    return [name for name, _, _ in changes if name.startswith(section)]


@dataclass(slots=True)
class ValidDefinition:
    """What an import keeps of a valid file: compact, so 10,000 files fit in little memory."""

    source: str
    pilot_id: str
    id_position: tuple[int, int]
    stage: StageKey
    outcome: Outcome | None
    text: str  # the definition as canonical JSON
    columns: dict[str, Any]  # the derived columns, definition_hash included
    measurements: list[Measurement]  # in the pilot's setting unless stated
    overrides: list[GateOverride] = field(default_factory=list)  # claimed by the file

    @classmethod
    def of(cls, definition: PilotDefinition, source: str, id_position: tuple[int, int]) -> Self:
        """Keep what the import needs of a validated definition."""
        derived = derived_columns(definition)
        data = derived.pop("definition")
        return cls(
            source, definition.id, id_position, definition.stage, definition.outcome,
            canonical_json(data), derived, yaml_measurements(definition),
            list(definition.overrides),
        )  # fmt: skip

    def data(self) -> dict[str, Any]:
        """The definition as stored."""
        loaded: dict[str, Any] = json.loads(self.text)
        return loaded

    def definition(self) -> PilotDefinition:
        """The full definition again (only updates need it)."""
        return stored_definition(self.data())


# What the register keeps of a reason (the ``reason`` columns hold at most this many characters).
REASON_LENGTH = 4000


def override_reason(source: str, override: GateOverride) -> str:
    """The reason an import records for an override another register gave: where it came from.

    Validation checks that it fits in ``REASON_LENGTH``, so the import that writes it cannot be
    refused by the database for what ``pilots validate`` passed.
    """
    return (
        f"imported from {source}: overridden by {override.by} on {override.date}: {override.reason}"
    )


def without_claims(data: dict[str, Any]) -> dict[str, Any]:
    """A definition without the claimed stage and outcome: those move the pilot, by events."""
    return {key: value for key, value in data.items() if key not in {"stage", "outcome"}}


def plan_change(
    item: ValidDefinition, existing: StoredPilot | None, held: str | None = None
) -> PlannedChange:
    """What importing ``item`` does to the pilot the register holds (``None``: a new one).

    ``held`` says why the register does not follow the stage or outcome the file claims.
    """
    if existing is None:
        planned = PlannedChange(item.pilot_id, item.source, "create", stage_to=item.stage)
        if item.outcome:
            planned.note = _("ended: {outcome}").format(outcome=outcome_name(item.outcome))
        return planned
    changes = diff(without_claims(existing.definition), without_claims(item.data()))
    if changes:
        # A definition stored by an earlier release lacks the fields added since (all unset):
        # read through today's model, it differs only where the file really changed something.
        as_today = definition_json(stored_definition(existing.definition))
        changes = diff(without_claims(as_today), without_claims(item.data()))
    planned = PlannedChange(
        item.pilot_id, item.source, "update" if changes else "unchanged", changes
    )
    current = stage_key(existing.stage)
    if existing.outcome is None and not is_later("governance", current):
        planned.regating = regating_changes([(c.field, c.old, c.new) for c in changes])
    claims_more = is_later(item.stage, current) or (
        item.outcome is not None and item.stage == "bijsturen"
    )
    if existing.outcome is None and claims_more and held is not None:
        claim = item.stage + (f" ({item.outcome})" if item.outcome else "")
        planned.note = _("file claims '{claim}', the register keeps '{current}': {why}").format(
            claim=claim, current=current, why=held
        )
        planned.held = True
        return planned
    if existing.outcome is None and is_later(item.stage, current):
        planned.action, planned.stage_from, planned.stage_to = "update", current, item.stage
    elif is_later(current, item.stage) and changes:
        planned.note = _("file claims '{claim}', the register keeps '{current}'").format(
            claim=item.stage, current=current
        )
    if existing.outcome is None and item.outcome and item.stage == "bijsturen":
        planned.action, planned.note = "update", _("ends: {outcome}").format(outcome=item.outcome)
    return planned
