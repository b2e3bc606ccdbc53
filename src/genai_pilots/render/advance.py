"""``pilots advance``: what it did, or with --dry-run would do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_pilots.domain.stages import stage
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape

if TYPE_CHECKING:
    from genai_pilots.readmodels import AdvanceResult


def advance_message(result: AdvanceResult) -> str:
    """One line saying what ``advance`` did or would do."""
    from genai_pilots.render.portfolio import outcome_word

    target = result.to_stage or _("ended: {outcome}").format(
        outcome=outcome_word(result.outcome) if result.outcome else result.outcome
    )
    forced = " " + _("[error](override: gate not met)[/]") if result.forced else ""
    label = f" ({stage(result.to_stage).label})" if result.to_stage else ""
    said = (
        _("moved {pilot}: {source} → {target}")
        if result.applied
        else _("would move {pilot}: {source} → {target}")
    )
    return (
        said.format(pilot=escape(result.pilot_id), source=result.from_stage, target=target)
        + label
        + forced
    )
