"""What an import does to each pilot: the plan, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from genai_pilots.domain.diff import FieldChange
from genai_pilots.domain.stages import StageKey

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
