"""The five lifecycle stages and the outcomes that end a pilot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from genai_pilots.errors import CheckFailed
from genai_pilots.i18n import N_, _

StageKey = Literal["start-klein", "governance", "skills", "synthetic-data", "bijsturen"]
Outcome = Literal["scaled", "stopped"]


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the lifecycle; ``section`` is its key in a definition file."""

    key: StageKey
    label: str
    section: str
    order: int


STAGES: tuple[Stage, ...] = (
    Stage("start-klein", "Start klein, denk groot", "start_klein", 1),
    Stage("governance", "Sterke governance", "governance", 2),
    Stage("skills", "Investeer in vaardigheden", "skills", 3),
    Stage("synthetic-data", "Verken synthetische data", "synthetic_data", 4),
    Stage("bijsturen", "Blijf bijsturen", "bijsturen", 5),
)
STAGE_KEYS: tuple[StageKey, ...] = get_args(StageKey)
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
OUTCOME_NAMES = {"scaled": N_("scaled"), "stopped": N_("stopped")}  # shown through _()


def outcome_name(outcome: str) -> str:
    """How an ended pilot ended, in words (the key itself when it has none)."""
    return _(OUTCOME_NAMES[outcome]) if outcome in OUTCOME_NAMES else outcome


_BY_KEY = {stage.key: stage for stage in STAGES}


def stage_key(value: str) -> StageKey:
    """Check that a stored string is a stage key (the store keeps them as text)."""
    if value not in _BY_KEY:
        raise ValueError(_("unknown stage {stage!r}").format(stage=value))
    return _BY_KEY[value].key


def stage(key: StageKey) -> Stage:
    """Look a stage up by key."""
    return _BY_KEY[key]


def stages_before(key: StageKey) -> tuple[Stage, ...]:
    """The stages whose gates a pilot must have passed to be in ``key``."""
    return STAGES[: _BY_KEY[key].order - 1]


def next_stage(key: StageKey) -> Stage | None:
    """The stage after ``key``; ``None`` after bijsturen (the pilot then ends with an outcome)."""
    order = _BY_KEY[key].order
    return STAGES[order] if order < len(STAGES) else None


def is_later(a: StageKey, b: StageKey) -> bool:
    """Whether stage ``a`` comes after stage ``b``."""
    return stage(a).order > stage(b).order


def refuse_if_ended(pilot_id: str, outcome: str | None, doing: str) -> None:
    """A pilot that has ended (scaled or stopped) cannot change any more."""
    if outcome is not None:
        raise CheckFailed(
            _("{pilot} has ended ({outcome}); it cannot {doing}").format(
                pilot=pilot_id, outcome=outcome, doing=doing
            )
        )
