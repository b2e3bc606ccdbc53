"""``pilots advance``: what it did, or with --dry-run would do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_pilots.domain.stages import stage
from genai_pilots.render.markup import escape

if TYPE_CHECKING:
    from genai_pilots.readmodels import AdvanceResult


def advance_message(result: AdvanceResult) -> str:
    """One line saying what ``advance`` did or would do."""
    target = result.to_stage or f"ended: {result.outcome}"
    verb = "would move" if not result.applied else "moved"
    forced = " [error](override: gate not met)[/]" if result.forced else ""
    label = f" ({stage(result.to_stage).label})" if result.to_stage else ""
    return f"{verb} {escape(result.pilot_id)}: {result.from_stage} → {target}{label}{forced}"
