"""Validate one pilot definition: YAML safety, the schema, and the rules beyond it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from genai_pilots.domain.ai_act import answer_problems, classify
from genai_pilots.domain.ai_act_questions import QUESTIONS
from genai_pilots.domain.definition import DECISION_FOR, AiAct, PilotDefinition
from genai_pilots.domain.findings import Finding, Severity, format_path
from genai_pilots.domain.gates import context_data, evaluate_gate
from genai_pilots.domain.importing import REASON_LENGTH, override_reason
from genai_pilots.domain.measurements import check_date, yaml_measurements
from genai_pilots.domain.people import owner_problems
from genai_pilots.domain.pii import scan
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.schema_errors import schema_findings
from genai_pilots.domain.stages import stage, stages_before
from genai_pilots.domain.text import hiding_problem
from genai_pilots.domain.yamlsafe import LoadedYaml, Path, YamlProblem, load_mapping
from genai_pilots.i18n import _

# The playbook, or how to get it: only a file that claims a stage past start-klein needs one,
# and reading one costs more than checking a small file (``pilots validate`` on one file).
Rules = Playbook | Callable[[], Playbook]


@dataclass(slots=True)
class FileResult:
    """Findings for one file and, when the schema passed, the definition it holds."""

    source: str
    findings: list[Finding] = field(default_factory=list)
    definition: PilotDefinition | None = None
    id_position: tuple[int, int] = (1, 1)

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail validation on their own."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """Findings that fail validation only with --strict."""
        return [f for f in self.findings if f.severity is Severity.WARNING]


@dataclass(slots=True)
class FilesReport:
    """The results for every file, in the order they were found."""

    results: list[FileResult]

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every file."""
        return [f for r in self.results for f in r.findings]

    def failed(self, *, strict: bool = False) -> bool:
        """Whether the check fails: any error, or with ``strict`` any warning."""
        bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(f.severity in bad for f in self.findings)


class _Reporter:
    def __init__(self, loaded: LoadedYaml, source: str) -> None:
        self.loaded = loaded
        self.source = source
        self.findings: list[Finding] = []

    def add(self, path: Path, message: str, code: str, severity: Severity = Severity.ERROR) -> None:
        line, col = self.loaded.locate(path)
        self.findings.append(
            Finding(self.source, line, col, severity, format_path(path), message, code)
        )


def _check_rules(
    report: _Reporter, definition: PilotDefinition, playbook: Rules, today: dt.date | None
) -> None:
    for field_name, message in owner_problems(definition.owner.name, definition.owner.email):
        report.add(("owner", field_name), message, "owner-name")
    kpi_ids: dict[str, int] = {}
    for index, kpi in enumerate(definition.start_klein.kpis):
        if kpi.id in kpi_ids:
            report.add(
                ("start_klein", "kpis", index, "id"),
                _(
                    "KPI id '{kpi}' is used twice (also KPI {other}); give each KPI its own id"
                ).format(kpi=kpi.id, other=kpi_ids[kpi.id] + 1),
                "kpi-duplicate",
            )
        kpi_ids.setdefault(kpi.id, index)
        for name in ("baseline", "target"):
            if not math.isfinite(getattr(kpi, name)):
                report.add(
                    ("start_klein", "kpis", index, name),
                    _("{name} {value} is not a finite number; give a number").format(
                        name=name, value=getattr(kpi, name)
                    ),
                    "kpi-value",
                )
        if math.isfinite(kpi.baseline) and math.isfinite(kpi.target):
            worse = (
                kpi.target > kpi.baseline
                if kpi.direction == "lower"
                else (kpi.target < kpi.baseline)
            )
            if worse:
                report.add(
                    ("start_klein", "kpis", index, "target"),
                    _(
                        "target {target:g} is worse than baseline {baseline:g} for a KPI where "
                        "{direction} is better; check the target or the direction"
                    ).format(target=kpi.target, baseline=kpi.baseline, direction=kpi.direction),
                    "kpi-direction",
                )
    for index, point in enumerate(definition.bijsturen.measurements):
        if point.kpi not in kpi_ids:
            known = ", ".join(kpi_ids) or _("none defined")
            report.add(
                ("bijsturen", "measurements", index, "kpi"),
                _("no KPI has id '{kpi}' (KPIs: {known})").format(kpi=point.kpi, known=known),
                "kpi-unknown",
            )
        if not math.isfinite(point.value):
            report.add(
                ("bijsturen", "measurements", index, "value"),
                _("value {value} is not a finite number").format(value=point.value),
                "measurement-value",
            )
        problem = check_date(point.date, today) if today is not None else None
        if problem is not None:
            report.add(("bijsturen", "measurements", index, "date"), problem, "measurement-date")
    for index, override in enumerate(definition.overrides):
        kept = len(override_reason(report.source, override))
        if kept > REASON_LENGTH:
            report.add(
                ("overrides", index, "reason"),
                _(
                    "importing records this override with where it came from, by whom and "
                    "when: {kept} characters, and the register keeps at most {limit}; shorten "
                    "the reason by {over} characters or more"
                ).format(kept=kept, limit=REASON_LENGTH, over=kept - REASON_LENGTH),
                "override-reason",
            )
    synthetic = definition.synthetic_data
    named: dict[str, int] = {}
    for index, dataset in enumerate(synthetic.datasets):
        if dataset.name in named:
            report.add(
                ("synthetic_data", "datasets", index, "name"),
                _(
                    "dataset name '{name}' is used twice (also dataset {other}); give each "
                    "dataset its own name: its evaluation is recorded under it"
                ).format(name=dataset.name, other=named[dataset.name] + 1),
                "synthetic-duplicate",
            )
        named.setdefault(dataset.name, index)
    if not synthetic.applicable and synthetic.datasets:
        report.add(
            ("synthetic_data", "applicable"),
            _(
                "applicable is false, yet {count} dataset(s) are declared; set applicable: true "
                "and evaluate them, or remove the datasets and justify why synthetic data does "
                "not apply"
            ).format(count=len(synthetic.datasets)),
            "synthetic-not-applicable",
        )
    period = definition.start_klein.period
    if period is not None and period.end <= period.start:
        report.add(
            ("start_klein", "period", "end"),
            _(
                "the period ends ({end}) on or before it starts ({start}); end must be after start"
            ).format(end=period.end, start=period.start),
            "period-order",
        )
    facts = definition.governance.ai_act
    if facts is not None:
        _check_ai_act(report, facts)
        since = facts.in_use_since
        if facts.in_use and since is not None and today is not None and since > today:
            report.add(
                ("governance", "ai_act", "in_use_since"),
                _(
                    "in use since {since}, a day still to come; answer in_use: false until then"
                ).format(since=since),
                "ai-act-in-use",
            )
    _check_claimed_stage(report, definition, playbook, today)


def _check_ai_act(report: _Reporter, facts: AiAct) -> None:
    """The AI Act answers: the next open question, a class too low, contradictions."""
    found = classify(facts)
    where = ("governance", "ai_act")
    if found.next_question is not None:
        question = QUESTIONS[found.next_question]
        report.add(
            (*where, found.next_question),
            _(
                "the AI Act classification is incomplete: next question: {question} (answer "
                "governance.ai_act.{key}, or run `pilots classify FILE`)"
            ).format(question=_(question.text), key=found.next_question),
            "ai-act-incomplete",
            Severity.WARNING,
        )
    for problem in answer_problems(facts, found):
        severity = Severity.ERROR if problem.error else Severity.WARNING
        report.add((*where, problem.field), problem.message, problem.code, severity)


def _check_claimed_stage(
    report: _Reporter, definition: PilotDefinition, playbook: Rules, today: dt.date | None
) -> None:
    claimed = definition.stage
    to_check = list(stages_before(claimed))
    if definition.outcome is not None:
        if claimed != "bijsturen" and definition.outcome == "scaled":
            report.add(
                ("outcome",),
                _(
                    "outcome 'scaled' needs stage: bijsturen (it is '{claimed}'); a pilot can "
                    "be stopped at any stage, but scaled only from bijsturen"
                ).format(claimed=claimed),
                "outcome-stage",
            )
            return
        wanted = DECISION_FOR[definition.outcome]
        if definition.bijsturen.decision != wanted:
            report.add(
                ("bijsturen", "decision"),
                _("outcome '{outcome}' needs bijsturen.decision: {wanted}").format(
                    outcome=definition.outcome, wanted=wanted
                ),
                "outcome-stage",
            )
        if definition.outcome == "scaled":
            to_check.append(stage("bijsturen"))
    if not to_check:
        return
    rules = playbook() if callable(playbook) else playbook
    data = context_data(definition)
    points = yaml_measurements(definition)
    for earlier in to_check:
        gate = evaluate_gate(
            rules, earlier.key, definition, measurements=points, data=data, today=today
        )
        never = {c.id for c in rules.criteria(earlier.key) if not c.waivable}  # as --force
        for result in gate.failing:
            path: Path = tuple(
                p for p in (result.field or "").replace("[*]", "").split(".") if p
            ) or (earlier.section,)
            override = next(
                (o for o in definition.overrides
                 if o.stage == earlier.key and result.id in o.failing),
                None,
            )  # fmt: skip
            if override is not None and result.id not in never:
                report.add(
                    path,
                    _(
                        "the {stage} gate passed by an override of {by} on {date} ({reason}), "
                        "not met: {says}; importing it as a new pilot records it as an "
                        "override, where the importer may give one (not its owner, and not "
                        "with the people directory in use)"
                    ).format(
                        stage=earlier.label,
                        by=override.by,
                        date=override.date,
                        reason=override.reason,
                        says=result.says,
                    ),
                    "gate-override",
                    Severity.WARNING,
                )
                continue
            report.add(
                path,
                _(
                    "claims '{claimed}' but the {stage} gate is not met: {says} ({detail}); {hint}"
                ).format(
                    claimed=claimed,
                    stage=earlier.label,
                    says=result.says,
                    detail=result.detail,
                    hint=result.hint,
                ),
                "gate",
            )


# Checked by ``owner_problems`` already, as errors: four eyes compares the owner's name.
_NAMES_CHECKED = (("owner", "name"), ("owner", "email"))


def _strings(data: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every text value of the loaded data, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


def _check_hidden_characters(report: _Reporter, data: dict[str, Any]) -> None:
    """Text that holds characters a terminal shows as nothing, or that reorder the text.

    A name with a right-to-left override or a zero-width space reads as another name (or the
    same name as another's). A warning, naming the pilot and the field; views show such
    characters as escapes (``domain.text.reveal``), so they never deceive there.
    """
    pilot = data.get("id")
    which = pilot if isinstance(pilot, str) and pilot.isprintable() else None
    for path, text in _strings(data):
        problem = hiding_problem(text, which)
        if problem is not None and path not in _NAMES_CHECKED:
            report.add(path, problem, "hidden-character", Severity.WARNING)


def flag_duplicate_ids(
    results: Sequence[FileResult], ids: Iterable[tuple[str, str, tuple[int, int]]]
) -> None:
    """Two files defining the same pilot would overwrite each other: a finding in each.

    ``ids`` holds ``(source, pilot id, position of the id)`` of every file whose id could be
    read. ``pilots validate`` and ``pilots import`` both call this, so what one refuses the
    other reports: each file that shares its id gets an error naming the id and the others.
    """
    by_id: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for source, pilot_id, position in ids:
        by_id.setdefault(pilot_id, []).append((source, position))
    by_source = {r.source: r for r in results}
    for pilot_id, places in by_id.items():
        if len(places) < 2:
            continue
        for source, (line, col) in places:
            others = ", ".join(other for other, _ in places if other != source)
            message = _(
                "pilot id '{pilot}' is also defined in {others}; give each pilot its own id "
                "(one file per pilot)"
            ).format(pilot=pilot_id, others=others)
            result = by_source[source]
            result.findings.append(
                Finding(source, line, col, Severity.ERROR, "id", message, "duplicate-id")
            )
            result.findings.sort(key=lambda f: (f.line, f.col))


def validate_text(
    data: bytes, source: str, playbook: Rules, today: dt.date | None = None
) -> FileResult:
    """Validate the bytes of one definition file; ``source`` names it in findings.

    ``today`` (the caller's clock) lets measurement dates in the future be refused.
    """
    result = FileResult(source)
    try:
        loaded = load_mapping(data)
    except YamlProblem as problem:
        result.findings.append(
            Finding(
                source, problem.line, problem.col, Severity.ERROR, "", problem.message, problem.code
            )
        )
        return result
    result.id_position = loaded.locate(("id",))
    report = _Reporter(loaded, source)
    for hit in scan(loaded.data):
        report.add(hit.path, hit.message, hit.code, hit.severity)
    _check_hidden_characters(report, loaded.data)
    try:
        definition = PilotDefinition.model_validate(loaded.data)
    except ValidationError as exc:
        report.findings.extend(schema_findings(exc, loaded, source, PilotDefinition))
    else:
        _check_rules(report, definition, playbook, today)
        result.definition = definition
    result.findings = sorted(report.findings, key=lambda f: (f.line, f.col))
    return result
