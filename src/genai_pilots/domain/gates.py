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

from genai_pilots import i18n
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
from genai_pilots.i18n import _, ngettext

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
    # the explanations are in the language of the moment: one entry per language
    key = i18n.current() + ("" if facts is None else facts.model_dump_json())
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
        open_question = _("next question: {question} (governance.ai_act.{key})").format(
            question=_(question.text), key=question.key
        )
        return {"derived.classified": open_question,
                "derived.risk_class_consistent": _("the classification is incomplete")}  # fmt: skip
    roles = _(" and ").join(found.roles) or _("no role")
    lowest = found.risk_class
    return {
        "derived.classified": _("Beslishulp {beslishulp}: {roles}, {group}").format(
            beslishulp=found.beslishulp, roles=roles, group=found.risk_group
        ),
        "derived.risk_class_consistent": _(
            "declared {declared}; the answers lead to at least {lowest}"
        ).format(declared=declared or _("nothing"), lowest=lowest),
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
            return False, _("{field} has no items").format(field=c.field.split("[*]")[0])
        missing = sum(not _is_present(v) for v in value)
        name = c.field.rsplit(".", 1)[-1]
        if missing == 0:
            return True, _("all {count} items have {name}").format(count=len(value), name=name)
        return False, _("{missing} of {count} items lack {name}").format(
            missing=missing, count=len(value), name=name
        )
    if _is_present(value):
        return True, _("{field} is set").format(field=c.field)
    return False, _("{field} is missing").format(field=c.field)


def _check_one_of(c: OneOf, data: dict[str, Any]) -> tuple[bool, str]:
    value = resolve_field(data, c.field)
    values = value if "[*]" in c.field else [value]
    ok = bool(values) and all(v in c.values for v in values)
    explained = data.get("derived", {}).get("explain", {}).get(c.field)
    if explained is not None:
        return ok, explained
    allowed = ", ".join(str(v) for v in c.values)
    if value is None:
        return ok, _("{field} is missing (needs {allowed})").format(field=c.field, allowed=allowed)
    return ok, _("{field} is {value} (needs {allowed})").format(
        field=c.field, value=value, allowed=allowed
    )


def _check_threshold(c: Threshold, data: dict[str, Any]) -> tuple[bool, str]:
    value = _number(resolve_field(data, c.field))
    if value is None:
        return False, _("{field} is missing").format(field=c.field)
    return _OPS[c.op](value, c.value), _("{field} is {value} (needs {op} {needed})").format(
        field=c.field, value=i18n.number(value, "g"), op=c.op, needed=i18n.number(c.value, "g")
    )


def _check_ratio(c: Ratio | Trained, data: dict[str, Any]) -> tuple[bool, str]:
    top = _number(resolve_field(data, c.numerator))
    bottom = _number(resolve_field(data, c.denominator))
    if top is None or bottom is None:
        missing = c.numerator if top is None else c.denominator
        return False, _("{field} is missing").format(field=missing)
    if bottom <= 0:
        return False, _("{field} is {value}; it must be above 0").format(
            field=c.denominator, value=i18n.number(bottom, "g")
        )
    ratio = top / bottom
    return ratio >= c.min, _("{top} of {bottom} = {ratio} (needs {needed})").format(
        top=i18n.number(top, "g"),
        bottom=i18n.number(bottom, "g"),
        ratio=i18n.number(ratio, ".0%"),
        needed=i18n.number(c.min, ".0%"),
    )


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
        return False, _("{field} is missing").format(field=c.denominator)
    if bottom <= 0:
        return False, _("{field} is {value}; it must be above 0").format(
            field=c.denominator, value=i18n.number(bottom, "g")
        )
    people = current_people(training, today, roster)
    met, detail = counted_ratio(len(people), bottom, c.min)
    claimed = _number(resolve_field(data, c.numerator))
    if claimed is not None and claimed != len(people):
        detail += _("; the definition claims {count}").format(count=i18n.number(claimed, "g"))
    lapsed = everyone(training, roster) - set(people)
    if lapsed:
        n = len(lapsed)
        detail += ngettext(
            "; {count} person's training expired", "; {count} people's trainings expired", n
        ).format(count=n)
    if c.champions is not None:
        named = [n for n in resolve_field(data, c.champions) or [] if isinstance(n, str)]
        missing = untrained_champions(named, people, roster)
        if missing:
            met = False
            detail += _("; champion {names} has no current training").format(
                names=", ".join(missing)
            )
        elif named:
            detail += _("; champions trained")
    return met, detail


def _certificate_problem(item: dict[str, Any], today: dt.date | None) -> str | None:
    """Why a certificate of the right standard does not count, if it does not."""
    if not _is_present(item.get("certificate")):
        return _("the certificate has no certificate")
    if not _is_present(item.get("certified_by")):
        return _("the certificate has no certified by")
    until = item["valid_until"]
    if today is None:
        return None
    if until < today:
        return _("the {standard} certificate expired on {day}").format(
            standard=item["standard"], day=i18n.day(until)
        )
    if until > today + dt.timedelta(days=365 * MAX_YEARS_VALID + 62):
        return _("valid until {day} is more than {years} years ahead: check the date").format(
            day=i18n.day(until), years=MAX_YEARS_VALID
        )
    return None


def _check_certified(c: Certified, data: dict[str, Any], today: dt.date | None) -> tuple[bool, str]:
    """A certificate of an accepted standard (a later edition counts) that is valid today."""
    held = [item for item in resolve_field(data, c.field) or [] if isinstance(item, dict)]
    accepted = [s for s in (parse_standard(text) for text in c.standards) if s is not None]
    wanted = _(" or ").join(c.standards)
    matching = []
    for item in held:
        standard = parse_standard(str(item.get("standard", "")))
        if standard is not None and any(a.accepts(standard) for a in accepted):
            matching.append(item)
    if not matching:
        others = ", ".join(str(item.get("standard")) for item in held)
        if others:
            return False, _("no {wanted} certificate (only {others})").format(
                wanted=wanted, others=others
            )
        return False, _("no {wanted} certificate").format(wanted=wanted)
    problems = [(item, _certificate_problem(item, today)) for item in matching]
    valid = [item for item, problem in problems if problem is None]
    if not valid:
        return False, "; ".join(problem for _, problem in problems if problem)
    best = max(valid, key=lambda m: m["valid_until"])
    return True, _("{standard} certificate {certificate} by {body}, valid until {day}").format(
        standard=best["standard"],
        certificate=best["certificate"],
        body=best["certified_by"],
        day=i18n.day(best["valid_until"]),
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
        return True, _("approved by {roles}").format(roles=", ".join(c.roles)), []
    detail = _("missing approval of {roles}").format(roles=", ".join(missing))
    if by_owner & set(missing):
        detail += _(" (the owner cannot approve their own pilot)")
    return False, detail, missing


def _check_measurements(
    c: Measurements, definition: PilotDefinition, measurements: Sequence[Measurement]
) -> tuple[bool, str]:
    kpis = [k.id for k in definition.start_klein.kpis]
    if not kpis:
        return False, _("no KPIs are defined")
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
            short.append(
                _("{kpi} ({count} over {days} days)").format(kpi=kpi, count=len(dates), days=span)
            )
    if short:
        if start is not None:
            return False, _(
                "needs {count} measurements over {days} days per KPI since the pilot started "
                "({start}); short: {short}"
            ).format(
                count=c.min_count, days=c.min_days, start=i18n.day(start), short=", ".join(short)
            )
        return False, _(
            "needs {count} measurements over {days} days per KPI; short: {short}"
        ).format(count=c.min_count, days=c.min_days, short=", ".join(short))
    return True, _("every KPI has {count}+ measurements over {days}+ days").format(
        count=c.min_count, days=c.min_days
    )


def _check_evidence(
    c: Evidenced, evidence: Sequence[EvidenceRecord] | None, today: dt.date | None
) -> tuple[bool, str]:
    """Evidence for the criterion it names, not expired on ``today``."""
    wanted = c.evidence_for
    if evidence is None:
        return False, _(
            "evidence for {criterion} is recorded in the register (pilots evidence add)"
        ).format(criterion=wanted)
    held = [e for e in evidence if e.criterion == wanted]
    if not held:
        return False, _("no evidence recorded for {criterion}").format(criterion=wanted)
    valid = [e for e in held if e.valid_until is None or today is None or e.valid_until >= today]
    if not valid:
        last = max(e.valid_until for e in held if e.valid_until is not None)
        return False, _("the evidence for {criterion} expired on {day}").format(
            criterion=wanted, day=i18n.day(last)
        )
    best = max(valid, key=lambda e: e.valid_until or dt.date.max)
    if best.valid_until is not None:
        return True, _("evidence for {criterion}: {name}, valid until {day}").format(
            criterion=wanted, name=best.name, day=i18n.day(best.valid_until)
        )
    return True, _("evidence for {criterion}: {name}").format(criterion=wanted, name=best.name)


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
        return False, _("{field} has no items").format(field=c.datasets)
    if evaluations is None:
        unclaimed = [
            d.get("name", "?")
            for d in items
            if not _is_present(d.get("privacy_evaluation"))
            or not _is_present(d.get("utility_evaluation"))
        ]
        if unclaimed:
            return False, _("no privacy_evaluation or utility_evaluation for {names}").format(
                names=", ".join(unclaimed)
            )
        return True, _(
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
            problems.append(_("{name}: not evaluated").format(name=name))
        elif found := shortfalls(record, limits, declared=declared.get(name), today=today):
            problems.append(f"{name}: " + ", ".join(found))
    if problems:
        return False, "; ".join(problems)
    shown = ", ".join(
        _("{name} (quality {quality}, privacy {privacy})").format(
            name=n,
            quality=i18n.number(held[n].quality, ".2f"),
            privacy=i18n.number(held[n].privacy, ".2f"),
        )
        for n in names
    )
    return True, _("evaluated: {datasets}").format(datasets=shown)


def incident_result(incidents: Iterable[Incident]) -> CriterionResult | None:
    """The verdict an open serious incident gives the bijsturen gate; ``None`` if there is none."""
    holding = [i for i in incidents if blocks_steering(i)]
    if not holding:
        return None
    numbers = ", ".join(f"#{i.number} ({i.summary})" for i in holding)
    first = holding[0]
    return CriterionResult(
        INCIDENT_CRITERION,
        _("No serious incident is open"),
        False,
        _("serious incident {numbers} is open").format(numbers=numbers),
        _(
            "handle it and close it: pilots incident close {pilot} {number} --reason '...'; "
            "stopping stays possible"
        ).format(pilot=first.pilot_id, number=first.number),
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
        if first is None:
            return first, False, ""
        return first, False, _("required by law since {day}").format(day=i18n.day(first))
    if first is not None:
        law = _("required by law from {day}").format(day=i18n.day(first))
    else:
        law = _("required by law only when {conditions}").format(
            conditions="; ".join(d.condition for d in duties if d.condition)
        )
    if early:
        return first, False, _("organisation policy until the law applies ({law})").format(law=law)
    return first, True, _("{law}, not yet in force").format(law=law)


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
            criterion.id, criterion.says, True, _("does not apply"), criterion.hint,
            criterion.source, field, applies=False,
        )  # fmt: skip
    duties = _bound_duties(criterion, data)
    if duties is not None and not duties:
        return CriterionResult(
            criterion.id, criterion.says, True,
            _("does not apply: not a duty of this pilot's role and risk group"),
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
        detail = _("{detail} — {note}").format(detail=detail, note=note)
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
                detail=_("waived until {day} by {by}: {reason} (not met: {detail})").format(
                    day=i18n.day(waiver.until),
                    by=waiver.by,
                    reason=waiver.reason,
                    detail=result.detail,
                ),
            )
        results.append(result)
    return GateResult(stage, tuple(results))
