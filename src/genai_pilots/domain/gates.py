"""Gate evaluation: which criteria of a stage's gate a pilot meets, and why not.

Evaluation is a pure function of the playbook, the definition, and the approvals and
measurements the caller passes in, so the same code serves ``validate`` (approvals claimed in
YAML) and the register (approvals recorded there).
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from genai_pilots.domain.ai_act import derive_risk_class, is_lower
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.field_paths import resolve_field
from genai_pilots.domain.measurements import Measurement
from genai_pilots.domain.people import same_person_name
from genai_pilots.domain.playbook import (
    Approvals,
    Condition,
    Criterion,
    Measurements,
    OneOf,
    Playbook,
    Present,
    Ratio,
    Threshold,
)
from genai_pilots.domain.stages import StageKey

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """An approval of a role; ``recorded`` is False for a claim read from YAML."""

    role: str
    by: str
    date: dt.date | None = None
    recorded: bool = False


@dataclass(frozen=True, slots=True)
class Waiver:
    """A criterion that counts as met until a date, because someone decided so, with a reason."""

    criterion: str
    until: dt.date
    by: str
    reason: str


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """The verdict on one criterion, with the reason and what to do about it."""

    id: str
    says: str
    met: bool
    detail: str
    hint: str
    source: str | None
    field: str | None
    applies: bool = True
    waived_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class GateResult:
    """The verdicts on every criterion of one gate."""

    stage: StageKey
    results: tuple[CriterionResult, ...]

    @property
    def met(self) -> bool:
        """Whether every criterion that applies is met."""
        return all(r.met for r in self.results)

    @property
    def failing(self) -> tuple[CriterionResult, ...]:
        """The criteria that block the gate, in playbook order."""
        return tuple(r for r in self.results if not r.met)

    @property
    def score(self) -> tuple[int, int]:
        """(met, total) over the criteria that apply."""
        applying = [r for r in self.results if r.applies]
        return sum(r.met for r in applying), len(applying)


def _is_present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def context_data(definition: PilotDefinition) -> dict[str, Any]:
    """The definition as plain data, plus ``derived`` values that criteria may refer to.

    ``derived`` holds what the AI Act makes of the facts: the minimum risk class, whether the
    declared class is at least that, and which high-risk route applies.
    """
    data = definition.model_dump(mode="python")
    facts = definition.governance.ai_act
    if facts is None:
        data["derived"] = dict.fromkeys(("risk_class", "risk_class_consistent"), None) | {
            "annex_i": False,
            "annex_iii": False,
        }
        return data
    derived = derive_risk_class(facts)
    consistent = facts.risk_class is not None and not is_lower(facts.risk_class, derived.risk_class)
    data["derived"] = {
        "risk_class": derived.risk_class,
        "risk_class_consistent": consistent,
        "annex_i": derived.annex_i,
        "annex_iii": derived.annex_iii,
    }
    return data


def _holds(condition: Condition, data: dict[str, Any]) -> bool:
    value = resolve_field(data, condition.field)
    if condition.present is not None and _is_present(value) != condition.present:
        return False
    if condition.equals is not None and value != condition.equals:
        return False
    return condition.one_of is None or value in condition.one_of


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _check_present(c: Present, data: dict[str, Any]) -> tuple[bool, str]:
    value = resolve_field(data, c.field)
    if "[*]" in c.field:
        if not value:
            return False, f"{c.field.split('[*]')[0]} has no items"
        missing = sum(not _is_present(v) for v in value)
        name = c.field.rsplit(".", 1)[-1]
        if missing == 0:
            return True, f"all {len(value)} items have {name}"
        return False, f"{missing} of {len(value)} items lack {name}"
    return _is_present(value), f"{c.field} is {'set' if _is_present(value) else 'missing'}"


def _check_one_of(c: OneOf, data: dict[str, Any]) -> tuple[bool, str]:
    value = resolve_field(data, c.field)
    values = value if "[*]" in c.field else [value]
    ok = bool(values) and all(v in c.values for v in values)
    allowed = ", ".join(str(v) for v in c.values)
    return ok, f"{c.field} is {value if value is not None else 'missing'} (needs {allowed})"


def _check_threshold(c: Threshold, data: dict[str, Any]) -> tuple[bool, str]:
    value = _number(resolve_field(data, c.field))
    if value is None:
        return False, f"{c.field} is missing"
    return _OPS[c.op](value, c.value), f"{c.field} is {value:g} (needs {c.op} {c.value:g})"


def _check_ratio(c: Ratio, data: dict[str, Any]) -> tuple[bool, str]:
    top = _number(resolve_field(data, c.numerator))
    bottom = _number(resolve_field(data, c.denominator))
    if top is None or bottom is None:
        missing = c.numerator if top is None else c.denominator
        return False, f"{missing} is missing"
    if bottom <= 0:
        return False, f"{c.denominator} is {bottom:g}; it must be above 0"
    ratio = top / bottom
    return ratio >= c.min, f"{top:g} of {bottom:g} = {ratio:.0%} (needs {c.min:.0%})"


def is_owner(owner_name: str, owner_email: str, actor: str) -> bool:
    """Whether ``actor`` is the pilot's owner, by name or e-mail, however typed (four eyes)."""
    return same_person_name(actor, owner_name) or same_person_name(actor, owner_email)


def _check_approvals(
    c: Approvals, definition: PilotDefinition, approvals: Sequence[ApprovalRecord]
) -> tuple[bool, str]:
    owner = definition.owner
    valid = {a.role for a in approvals if not is_owner(owner.name, owner.email, a.by)}
    by_owner = {a.role for a in approvals if is_owner(owner.name, owner.email, a.by)} - valid
    missing = [role for role in c.roles if role not in valid]
    if not missing:
        return True, "approved by " + ", ".join(c.roles)
    detail = "missing approval of " + ", ".join(missing)
    if by_owner & set(missing):
        detail += " (the owner cannot approve their own pilot)"
    return False, detail


def _check_measurements(
    c: Measurements, definition: PilotDefinition, measurements: Sequence[Measurement]
) -> tuple[bool, str]:
    kpis = [k.id for k in definition.start_klein.kpis]
    if not kpis:
        return False, "no KPIs are defined"
    period = definition.start_klein.period
    start = period.start if period is not None else None
    short = []
    for kpi in kpis:
        # a day counts once; a value from before the pilot started is a baseline, not a result
        dates = sorted(
            {m.date for m in measurements if m.kpi == kpi and (start is None or m.date >= start)}
        )
        span = (dates[-1] - dates[0]).days if dates else 0
        if len(dates) < c.min_count or span < c.min_days:
            short.append(f"{kpi} ({len(dates)} over {span} days)")
    if short:
        since = f" since the pilot started ({start})" if start is not None else ""
        return False, (
            f"needs {c.min_count} measurements over {c.min_days} days per KPI{since}; short: "
            + ", ".join(short)
        )
    return True, f"every KPI has {c.min_count}+ measurements over {c.min_days}+ days"


def _field_of(criterion: Criterion) -> str | None:
    return getattr(criterion, "field", None) or getattr(criterion, "numerator", None)


def evaluate_criterion(
    criterion: Criterion,
    definition: PilotDefinition,
    data: dict[str, Any],
    approvals: Sequence[ApprovalRecord],
    measurements: Sequence[Measurement],
) -> CriterionResult:
    """Judge one criterion."""
    field = _field_of(criterion)
    if criterion.when is not None and not _holds(criterion.when, data):
        return CriterionResult(
            criterion.id, criterion.says, True, "does not apply", criterion.hint,
            criterion.source, field, applies=False,
        )  # fmt: skip
    if isinstance(criterion, Present):
        met, detail = _check_present(criterion, data)
    elif isinstance(criterion, OneOf):
        met, detail = _check_one_of(criterion, data)
    elif isinstance(criterion, Threshold):
        met, detail = _check_threshold(criterion, data)
    elif isinstance(criterion, Ratio):
        met, detail = _check_ratio(criterion, data)
    elif isinstance(criterion, Approvals):
        met, detail = _check_approvals(criterion, definition, approvals)
    else:
        met, detail = _check_measurements(criterion, definition, measurements)
    return CriterionResult(
        criterion.id, criterion.says, met, detail, criterion.hint, criterion.source, field
    )


def claimed_approvals(definition: PilotDefinition) -> list[ApprovalRecord]:
    """The approvals a definition file claims."""
    return [ApprovalRecord(a.role, a.by, a.date) for a in definition.governance.approvals]


def evaluate_gate(
    playbook: Playbook,
    stage: StageKey,
    definition: PilotDefinition,
    *,
    approvals: Iterable[ApprovalRecord] | None = None,
    measurements: Iterable[Measurement] = (),
    waivers: Iterable[Waiver] = (),
    today: dt.date | None = None,
    data: dict[str, Any] | None = None,
) -> GateResult:
    """Evaluate the gate out of ``stage`` for a pilot in its own setting.

    A failing criterion with a waiver that runs until ``today`` or later counts as met; an
    expired waiver no longer helps, nor does a waiver of a criterion that the playbook in force
    says can never be waived (whatever playbook was in force when it was given).
    """
    data = data if data is not None else context_data(definition)
    given = list(approvals) if approvals is not None else claimed_approvals(definition)
    points = list(measurements)
    active = {w.criterion: w for w in waivers if today is not None and w.until >= today}
    results = []
    for criterion in playbook.criteria(stage, definition.setting):
        result = evaluate_criterion(criterion, definition, data, given, points)
        waiver = active.get(result.id) if criterion.can_be_waived else None
        if not result.met and waiver is not None:
            result = replace(
                result,
                met=True,
                waived_until=waiver.until,
                detail=f"waived until {waiver.until} by {waiver.by}: {waiver.reason} "
                f"(not met: {result.detail})",
            )
        results.append(result)
    return GateResult(stage, tuple(results))
