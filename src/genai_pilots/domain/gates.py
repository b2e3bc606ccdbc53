"""Gate evaluation: which criteria of a stage's gate a pilot meets, and why not.

Evaluation is a pure function of the playbook, the definition, and the approvals,
measurements, evidence, incidents, trainings and synthetic-data evaluations the caller passes
in, so the same code serves ``validate`` (approvals, trained users and evaluations claimed in
YAML) and the register (approvals recorded there, trainings counted in its ledger, datasets
evaluated on their files).

An open serious incident holds the bijsturen gate whatever the playbook says: the gate gets a
criterion of its own (``INCIDENT_CRITERION``), first, that no waiver and no override passes.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from genai_pilots.domain.ai_act import Classification, classify, is_lower
from genai_pilots.domain.ai_act_questions import QUESTIONS
from genai_pilots.domain.definition import AiAct, PilotDefinition
from genai_pilots.domain.field_paths import named_paths, resolve_field
from genai_pilots.domain.incidents import Incident, blocks_steering
from genai_pilots.domain.measurements import Measurement
from genai_pilots.domain.obligations import Obligation
from genai_pilots.domain.people import Roster, same_person_name
from genai_pilots.domain.playbook import (
    Approvals,
    Certified,
    Condition,
    Criterion,
    Evidenced,
    Measurements,
    OneOf,
    Playbook,
    Present,
    Ratio,
    SyntheticEvaluated,
    Threshold,
    Trained,
)
from genai_pilots.domain.stages import StageKey
from genai_pilots.domain.standards import MAX_YEARS_VALID, parse_standard
from genai_pilots.domain.synthetic import (
    EvaluationRecord,
    declaration,
    declared_datasets,
    shortfalls,
)
from genai_pilots.domain.text import is_blank
from genai_pilots.domain.training import (
    Training,
    counted_ratio,
    current_people,
    everyone,
    untrained_champions,
)

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
class EvidenceRecord:
    """A document or link on record for a criterion, not withdrawn; ``None``: valid for good."""

    criterion: str
    name: str
    valid_until: dt.date | None = None


INCIDENT_CRITERION = "no-open-serious-incident"
"""The id of the criterion an open serious incident adds to the bijsturen gate."""


@dataclass(frozen=True, slots=True)
class Waiver:
    """A criterion that counts as met until a date, because someone decided so, with a reason."""

    criterion: str
    until: dt.date
    by: str
    reason: str


class CriterionResult(NamedTuple):
    """The verdict on one criterion, with the reason and what to do about it.

    A named tuple rather than a frozen dataclass: as immutable, and made five times faster,
    which counts when ``metrics`` judges every criterion of every pilot.
    """

    id: str
    says: str
    met: bool
    detail: str
    hint: str
    source: str | None
    field: str | None
    applies: bool = True
    waived_until: dt.date | None = None
    law_from: dt.date | None = None  # the date the AI Act duty it checks binds from
    pending: bool = False  # a duty not yet in force: shown with its date, not blocking
    missing_roles: tuple[str, ...] = ()  # an approvals criterion: the roles yet to approve

    @property
    def blocks(self) -> bool:
        """Whether it holds the gate: not met, and not a duty still to come into force."""
        return not self.met and not self.pending


@dataclass(frozen=True, slots=True)
class GateResult:
    """The verdicts on every criterion of one gate."""

    stage: StageKey
    results: tuple[CriterionResult, ...]

    @property
    def met(self) -> bool:
        """Whether every criterion that applies, and is in force, is met."""
        return not any(r.blocks for r in self.results)

    @property
    def failing(self) -> tuple[CriterionResult, ...]:
        """The criteria that block the gate, in playbook order."""
        return tuple(r for r in self.results if r.blocks)

    @property
    def pending(self) -> tuple[CriterionResult, ...]:
        """Legal duties not met that are not in force yet: the date is coming."""
        return tuple(r for r in self.results if r.pending)

    @property
    def score(self) -> tuple[int, int]:
        """(met, total) over the criteria that apply and are in force."""
        applying = [r for r in self.results if r.applies and not r.pending]
        return sum(r.met for r in applying), len(applying)


def _is_present(value: Any) -> bool:
    """A value that says something: not missing, empty, or only spaces and invisible marks."""
    if isinstance(value, str):
        return not is_blank(value)
    if isinstance(value, list):
        return any(_is_present(item) for item in value)
    return value is not None and value != {}


def context_data(
    definition: PilotDefinition, sections: frozenset[str] | None = None
) -> dict[str, Any]:
    """The definition as plain data, plus ``derived`` values that criteria may refer to.

    ``derived`` holds what the AI Act makes of the answers (see ``ai_act.classify``): whether
    they are complete, the risk group and the lowest class, whether the declared class is at
    least that, the high-risk route, and the duties that apply (read by criteria bound to an
    ``obligation``; ``None`` while the answers are incomplete). ``sections`` keeps only those
    top-level parts of the definition (those the criteria at hand read; ``None``: all).
    """
    data = definition.model_dump(mode="python", include=None if sections is None else set(sections))
    data["derived"] = _derived(definition.governance.ai_act)
    return data


# Derived values per set of AI Act answers. A portfolio repeats a few sets (one product in
# many departments), and classifying is a fifth of judging a gate. Read, never changed.
_DERIVED: dict[str, dict[str, Any]] = {}
_DERIVED_KEPT = 4096


def _derived(facts: AiAct | None) -> dict[str, Any]:
    """What the AI Act makes of these answers (see ``context_data``), computed once per set."""
    key = "" if facts is None else facts.model_dump_json()
    found = _DERIVED.get(key)
    if found is None:
        if len(_DERIVED) >= _DERIVED_KEPT:
            _DERIVED.clear()
        found = _DERIVED[key] = _derive(facts)
    return found


def _derive(facts: AiAct | None) -> dict[str, Any]:
    found = classify(facts)
    lowest = found.risk_class
    declared = facts.risk_class if facts is not None else None
    return {
        "classified": found.complete,
        "risk_group": found.risk_group,
        "risk_class": lowest,
        "risk_class_consistent": (
            declared is not None and lowest is not None and not is_lower(declared, lowest)
        ),
        "high_risk": found.risk_group == "high-risk",
        "annex_i": found.route == "annex-i",
        "annex_iii": found.route == "annex-iii",
        "transparency": bool(found.transparency),
        "patient_facing": bool(
            facts is not None
            and (facts.patient_facing or "interacts-with-people" in (facts.transparency_uses or []))
        ),
        "obligations": (
            {o.key: o for o in found.obligations if not o.voluntary} if found.complete else None
        ),
        "explain": _explained(found, declared),
    }


def _explained(found: Classification, declared: str | None) -> dict[str, str]:
    """What the derived AI Act values mean, for the checklist instead of ``True``/``False``."""
    if found.next_question is not None:
        question = QUESTIONS[found.next_question]
        open_question = f"next question: {question.text} (governance.ai_act.{question.key})"
        return {"derived.classified": open_question,
                "derived.risk_class_consistent": "the classification is incomplete"}  # fmt: skip
    roles = " and ".join(found.roles) or "no role"
    lowest = found.risk_class
    return {
        "derived.classified": f"Beslishulp {found.beslishulp}: {roles}, {found.risk_group}",
        "derived.risk_class_consistent": (
            f"declared {declared or 'nothing'}; the answers lead to at least {lowest}"
        ),
    }


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
    explained = data.get("derived", {}).get("explain", {}).get(c.field)
    if explained is not None:
        return ok, explained
    allowed = ", ".join(str(v) for v in c.values)
    return ok, f"{c.field} is {value if value is not None else 'missing'} (needs {allowed})"


def _check_threshold(c: Threshold, data: dict[str, Any]) -> tuple[bool, str]:
    value = _number(resolve_field(data, c.field))
    if value is None:
        return False, f"{c.field} is missing"
    return _OPS[c.op](value, c.value), f"{c.field} is {value:g} (needs {c.op} {c.value:g})"


def _check_ratio(c: Ratio | Trained, data: dict[str, Any]) -> tuple[bool, str]:
    top = _number(resolve_field(data, c.numerator))
    bottom = _number(resolve_field(data, c.denominator))
    if top is None or bottom is None:
        missing = c.numerator if top is None else c.denominator
        return False, f"{missing} is missing"
    if bottom <= 0:
        return False, f"{c.denominator} is {bottom:g}; it must be above 0"
    ratio = top / bottom
    return ratio >= c.min, f"{top:g} of {bottom:g} = {ratio:.0%} (needs {c.min:.0%})"


def _check_trained(
    c: Trained,
    data: dict[str, Any],
    training: Sequence[Training] | None,
    today: dt.date | None,
    roster: Roster | None,
) -> tuple[bool, str]:
    """Enough distinct people with a current training, champions among them.

    Without a register (``training`` None) the definition's claim counts, as ``ratio`` does.
    In the register the ledger counts; the claim is shown beside it when they differ. The
    ``roster`` (the directory, narrowed to the pilot's owner) makes the spellings of one person
    one person.
    """
    if training is None:
        return _check_ratio(c, data)
    bottom = _number(resolve_field(data, c.denominator))
    if bottom is None:
        return False, f"{c.denominator} is missing"
    if bottom <= 0:
        return False, f"{c.denominator} is {bottom:g}; it must be above 0"
    people = current_people(training, today, roster)
    met, detail = counted_ratio(len(people), bottom, c.min)
    claimed = _number(resolve_field(data, c.numerator))
    if claimed is not None and claimed != len(people):
        detail += f"; the definition claims {claimed:g}"
    lapsed = everyone(training, roster) - set(people)
    if lapsed:
        n = len(lapsed)
        detail += (
            f"; {n} person's training expired" if n == 1 else f"; {n} people's trainings expired"
        )
    if c.champions is not None:
        named = [n for n in resolve_field(data, c.champions) or [] if isinstance(n, str)]
        missing = untrained_champions(named, people, roster)
        if missing:
            met = False
            detail += "; champion " + ", ".join(missing) + " has no current training"
        elif named:
            detail += "; champions trained"
    return met, detail


def _certificate_problem(item: dict[str, Any], today: dt.date | None) -> str | None:
    """Why a certificate of the right standard does not count, if it does not."""
    for field in ("certificate", "certified_by"):
        if not _is_present(item.get(field)):
            return f"the certificate has no {field.replace('_', ' ')}"
    until = item["valid_until"]
    if today is None:
        return None
    if until < today:
        return f"the {item['standard']} certificate expired on {until}"
    if until > today + dt.timedelta(days=365 * MAX_YEARS_VALID + 62):
        return f"valid until {until} is more than {MAX_YEARS_VALID} years ahead: check the date"
    return None


def _check_certified(c: Certified, data: dict[str, Any], today: dt.date | None) -> tuple[bool, str]:
    """A certificate of an accepted standard (a later edition counts) that is valid today."""
    held = [item for item in resolve_field(data, c.field) or [] if isinstance(item, dict)]
    accepted = [s for s in (parse_standard(text) for text in c.standards) if s is not None]
    wanted = " or ".join(c.standards)
    matching = []
    for item in held:
        standard = parse_standard(str(item.get("standard", "")))
        if standard is not None and any(a.accepts(standard) for a in accepted):
            matching.append(item)
    if not matching:
        others = ", ".join(str(item.get("standard")) for item in held)
        return False, f"no {wanted} certificate" + (f" (only {others})" if others else "")
    problems = [(item, _certificate_problem(item, today)) for item in matching]
    valid = [item for item, problem in problems if problem is None]
    if not valid:
        return False, "; ".join(problem for _, problem in problems if problem)
    best = max(valid, key=lambda m: m["valid_until"])
    return True, (
        f"{best['standard']} certificate {best['certificate']} by {best['certified_by']}, "
        f"valid until {best['valid_until']}"
    )


def is_owner(owner_name: str, owner_email: str, actor: str) -> bool:
    """Whether ``actor`` is the pilot's owner, by name or e-mail, however typed (four eyes)."""
    return same_person_name(actor, owner_name) or same_person_name(actor, owner_email)


def _check_approvals(
    c: Approvals, definition: PilotDefinition, approvals: Sequence[ApprovalRecord]
) -> tuple[bool, str, list[str]]:
    owner = definition.owner
    valid = {a.role for a in approvals if not is_owner(owner.name, owner.email, a.by)}
    by_owner = {a.role for a in approvals if is_owner(owner.name, owner.email, a.by)} - valid
    missing = [role for role in c.roles if role not in valid]
    if not missing:
        return True, "approved by " + ", ".join(c.roles), []
    detail = "missing approval of " + ", ".join(missing)
    if by_owner & set(missing):
        detail += " (the owner cannot approve their own pilot)"
    return False, detail, missing


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


def _check_evidence(
    c: Evidenced, evidence: Sequence[EvidenceRecord] | None, today: dt.date | None
) -> tuple[bool, str]:
    """Evidence for the criterion it names, not expired on ``today``."""
    wanted = c.evidence_for
    if evidence is None:
        return False, f"evidence for {wanted} is recorded in the register (pilots evidence add)"
    held = [e for e in evidence if e.criterion == wanted]
    if not held:
        return False, f"no evidence recorded for {wanted}"
    valid = [e for e in held if e.valid_until is None or today is None or e.valid_until >= today]
    if not valid:
        last = max(e.valid_until for e in held if e.valid_until is not None)
        return False, f"the evidence for {wanted} expired on {last}"
    best = max(valid, key=lambda e: e.valid_until or dt.date.max)
    until = f", valid until {best.valid_until}" if best.valid_until is not None else ""
    return True, f"evidence for {wanted}: {best.name}{until}"


def _check_synthetic(
    c: SyntheticEvaluated,
    data: dict[str, Any],
    evaluations: Sequence[EvaluationRecord] | None,
    today: dt.date | None,
) -> tuple[bool, str]:
    """Every declared dataset evaluated on its files, within the thresholds, and not stale.

    Without a register (``evaluations`` None) the definition's evaluation texts count, as
    claimed approvals do in ``validate``.
    """
    items = resolve_field(data, c.datasets)
    names = declared_datasets(items)
    if not names:
        return False, f"{c.datasets} has no items"
    if evaluations is None:
        unclaimed = [
            d.get("name", "?")
            for d in items
            if not _is_present(d.get("privacy_evaluation"))
            or not _is_present(d.get("utility_evaluation"))
        ]
        if unclaimed:
            return False, (
                "no privacy_evaluation or utility_evaluation for " + ", ".join(unclaimed)
            )
        return True, (
            "claimed in the definition; the register asks each to be evaluated on its files "
            "(pilots synth evaluate)"
        )
    limits = c.limits()
    held = {e.dataset: e for e in evaluations}
    declared = {d["name"]: declaration(d) for d in items if isinstance(d, dict) and "name" in d}
    problems = []
    for name in names:
        record = held.get(name)
        if record is None:
            problems.append(f"{name}: not evaluated")
        elif found := shortfalls(record, limits, declared=declared.get(name), today=today):
            problems.append(f"{name}: " + ", ".join(found))
    if problems:
        return False, "; ".join(problems)
    shown = ", ".join(
        f"{n} (quality {held[n].quality:.2f}, privacy {held[n].privacy:.2f})" for n in names
    )
    return True, f"evaluated: {shown}"


def incident_result(incidents: Iterable[Incident]) -> CriterionResult | None:
    """The verdict an open serious incident gives the bijsturen gate; ``None`` if there is none."""
    holding = [i for i in incidents if blocks_steering(i)]
    if not holding:
        return None
    numbers = ", ".join(f"#{i.number} ({i.summary})" for i in holding)
    first = holding[0]
    return CriterionResult(
        INCIDENT_CRITERION,
        "No serious incident is open",
        False,
        f"serious incident {numbers} is open",
        f"handle it and close it: pilots incident close {first.pilot_id} {first.number} "
        "--reason '...'; stopping stays possible",
        "AI Act Art. 26(5), 73",
        None,
    )


def sections_read(criteria: Sequence[Criterion]) -> frozenset[str]:
    """The top-level parts of a definition these criteria read (their fields and conditions).

    A gate then dumps only those to plain data: a definition's other parts (its texts, its
    measurements) are most of it.
    """
    key = tuple(map(id, criteria))
    found = _SECTIONS.get(key)
    if found is None:
        if len(_SECTIONS) >= _SECTIONS_KEPT:
            _SECTIONS.clear()
        paths = [path for criterion in criteria for _, path in named_paths(criterion)]
        sections = frozenset(path.split(".", 1)[0].removesuffix("[*]") for path in paths)
        found = _SECTIONS[key] = (tuple(criteria), sections - {"derived"})
    return found[1]


# The sections per list of criteria (a gate's, for a setting), by the criteria's identities:
# the criteria are kept with the answer, so no other object can take their ids meanwhile.
_SECTIONS: dict[tuple[int, ...], tuple[tuple[Criterion, ...], frozenset[str]]] = {}
_SECTIONS_KEPT = 256


def _field_of(criterion: Criterion) -> str | None:
    # read from the model's values: getattr of a field a kind lacks goes through pydantic's
    # slow __getattr__ (a tenth of judging a portfolio)
    values = vars(criterion)
    return values.get("field") or values.get("numerator") or values.get("datasets")


def _bound_duties(criterion: Criterion, data: dict[str, Any]) -> list[Obligation] | None:
    """The duties of the pilot a criterion checks.

    ``None`` when it is bound to none, or when the classification is incomplete: then it
    counts as applying and in force.
    """
    if not criterion.obligation:
        return None
    duties: dict[str, Obligation] | None = data["derived"]["obligations"]
    if duties is None:
        return None
    return [duties[key] for key in criterion.obligation if key in duties]


def _law_note(
    duties: list[Obligation], today: dt.date | None, early: bool
) -> tuple[dt.date | None, bool, str]:
    """(the earliest date, whether it waits for the law, what to say of the law's timing).

    Before any duty it checks is in force, a criterion waits (shown, not blocking), unless
    the playbook asks it ``early``: then it blocks as organisation policy until that date.
    """
    dates = [d.applies_from for d in duties if d.applies_from is not None]
    first = min(dates) if dates else None
    if today is None or any(d.in_force(today) for d in duties):
        return first, False, f"required by law since {first}" if first else ""
    if first is not None:
        law = f"required by law from {first}"
    else:
        law = "required by law only when " + "; ".join(d.condition for d in duties if d.condition)
    if early:
        return first, False, f"organisation policy until the law applies ({law})"
    return first, True, f"{law}, not yet in force"


def evaluate_criterion(  # noqa: PLR0913 - what one verdict needs
    criterion: Criterion,
    definition: PilotDefinition,
    data: dict[str, Any],
    approvals: Sequence[ApprovalRecord],
    measurements: Sequence[Measurement],
    today: dt.date | None = None,
    evidence: Sequence[EvidenceRecord] | None = None,
    training: Sequence[Training] | None = None,
    synthetic: Sequence[EvaluationRecord] | None = None,
    roster: Roster | None = None,
) -> CriterionResult:
    """Judge one criterion; a legal duty not in force on ``today`` does not block yet.

    ``evidence``, ``training`` and ``synthetic`` are what the register holds; ``None`` where
    there is no register (``validate``).
    """
    field = _field_of(criterion)
    if criterion.when is not None and not _holds(criterion.when, data):
        return CriterionResult(
            criterion.id, criterion.says, True, "does not apply", criterion.hint,
            criterion.source, field, applies=False,
        )  # fmt: skip
    duties = _bound_duties(criterion, data)
    if duties is not None and not duties:
        return CriterionResult(
            criterion.id, criterion.says, True,
            "does not apply: not a duty of this pilot's role and risk group",
            criterion.hint, criterion.source, field, applies=False,
        )  # fmt: skip
    missing: list[str] = []
    if isinstance(criterion, Present):
        met, detail = _check_present(criterion, data)
    elif isinstance(criterion, OneOf):
        met, detail = _check_one_of(criterion, data)
    elif isinstance(criterion, Threshold):
        met, detail = _check_threshold(criterion, data)
    elif isinstance(criterion, Ratio):
        met, detail = _check_ratio(criterion, data)
    elif isinstance(criterion, Certified):
        met, detail = _check_certified(criterion, data, today)
    elif isinstance(criterion, Approvals):
        met, detail, missing = _check_approvals(criterion, definition, approvals)
    elif isinstance(criterion, Evidenced):
        met, detail = _check_evidence(criterion, evidence, today)
    elif isinstance(criterion, Trained):
        owner = definition.owner
        narrowed = (roster or Roster()).with_owner(owner.name, owner.email)
        met, detail = _check_trained(criterion, data, training, today, narrowed)
    elif isinstance(criterion, SyntheticEvaluated):
        met, detail = _check_synthetic(criterion, data, synthetic, today)
    else:
        met, detail = _check_measurements(criterion, definition, measurements)
    law_from, pending, note = (
        _law_note(duties, today, criterion.early) if duties else (None, False, "")
    )
    if note:
        detail = f"{detail} — {note}"
    return CriterionResult(
        criterion.id, criterion.says, met, detail, criterion.hint, criterion.source, field,
        law_from=law_from, pending=pending and not met, missing_roles=tuple(missing),
    )  # fmt: skip


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
    evidence: Iterable[EvidenceRecord] | None = None,
    incidents: Iterable[Incident] = (),
    training: Iterable[Training] | None = None,
    synthetic: Iterable[EvaluationRecord] | None = None,
    people: Roster | None = None,
) -> GateResult:
    """Evaluate the gate out of ``stage`` for a pilot in its own setting.

    A failing criterion with a waiver that runs until ``today`` or later counts as met; an
    expired waiver no longer helps, nor does a waiver of a criterion that the playbook in force
    says can never be waived (whatever playbook was in force when it was given). An open
    serious incident is the bijsturen gate's first criterion, and no waiver passes it.
    ``people`` is the register's directory, whose spellings of one person count once.
    """
    criteria = playbook.criteria(stage, definition.setting)
    data = data if data is not None else context_data(definition, sections_read(criteria))
    given = list(approvals) if approvals is not None else claimed_approvals(definition)
    points = list(measurements)
    held = list(evidence) if evidence is not None else None
    ledger = list(training) if training is not None else None
    evaluated = list(synthetic) if synthetic is not None else None
    active = {w.criterion: w for w in waivers if today is not None and w.until >= today}
    results = []
    incident = incident_result(incidents) if stage == "bijsturen" else None
    if incident is not None:
        results.append(incident)
    for criterion in criteria:
        result = evaluate_criterion(
            criterion, definition, data, given, points, today, held, ledger, evaluated, people
        )
        waiver = active.get(result.id) if criterion.can_be_waived else None
        if not result.met and waiver is not None:
            result = result._replace(
                met=True,
                pending=False,
                waived_until=waiver.until,
                detail=f"waived until {waiver.until} by {waiver.by}: {waiver.reason} "
                f"(not met: {result.detail})",
            )
        results.append(result)
    return GateResult(stage, tuple(results))
