"""Pilot rows from definitions: the queried columns are always derived the same way.

A pilot takes these shapes: the YAML file; ``PilotDefinition`` (validated; what gates judge);
the import's compact ``ValidDefinition`` (10,000 files in little memory); its column values
(``new_columns``: bulk inserts and state digests, without an ORM object per pilot); the
``PilotRow`` table; and the read models views take (``RegisteredPilot``, ``PilotSummary``,
``ExportedPilot``; see ``readmodels``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from genai_pilots.domain.audit import GENESIS
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.stages import Outcome, StageKey
from genai_pilots.domain.stored_definitions import derived_columns
from genai_pilots.store.models import PilotRow


def refresh_row(row: PilotRow, definition: PilotDefinition) -> None:
    """Store a changed definition on a row, with the columns derived from it."""
    for name, value in derived_columns(definition).items():
        setattr(row, name, value)


def new_columns(
    pilot_id: str,
    stage: StageKey,
    outcome: Outcome | None,
    derived: Mapping[str, Any],
    now: dt.datetime,
) -> dict[str, Any]:
    """Every column of a pilot that enters the register now, at the stage its file claims.

    ``derived`` are the columns ``derived_columns`` derives from its definition. An import inserts
    these values in bulk (no ORM object per pilot); ``new_row`` makes a row of them.
    """
    return {
        **derived, "id": pilot_id, "stage": stage, "outcome": outcome, "paused": False,
        "iterations": 0, "review_since": None, "created_at": now, "last_activity_at": now,
        "stage_entered_at": now, "head_hash": GENESIS,
    }  # fmt: skip


def new_row(definition: PilotDefinition, now: dt.datetime) -> PilotRow:
    """A row for a pilot that enters the register now, at the stage its definition claims."""
    derived = derived_columns(definition)
    values = new_columns(definition.id, definition.stage, definition.outcome, derived, now)
    return PilotRow(**values)
