"""Loading a playbook file: parse it, merge it onto the default, check what it names.

Every problem becomes a finding at ``line:col``: an unknown field path, an override of an
unknown criterion or parameter, or an override that does not fit its criterion.
"""

from __future__ import annotations

from pydantic import ValidationError

from genai_pilots.domain.field_paths import known_path, named_paths, number_path_problem
from genai_pilots.domain.findings import Finding, Severity, format_path
from genai_pilots.domain.playbook import (
    Criterion,
    Evidenced,
    Gates,
    Playbook,
    Ratio,
    Trained,
    override_criterion,
)
from genai_pilots.domain.schema_errors import schema_findings
from genai_pilots.domain.stages import STAGE_KEYS
from genai_pilots.domain.yamlsafe import YamlProblem, load_mapping
from genai_pilots.i18n import _


def extend(base: Playbook, overlay: Playbook) -> Playbook:
    """``overlay`` on top of ``base``: same-id criteria replaced, new ones appended."""
    gates: dict[str, list[Criterion]] = {}
    for key in STAGE_KEYS:
        merged = {c.id: c for c in base.gates.for_stage(key)}
        merged.update({c.id: c for c in overlay.gates.for_stage(key)})
        gates[key] = list(merged.values())
    settings = {setting: dict(per) for setting, per in base.settings.items()}
    for setting, per in overlay.settings.items():
        settings.setdefault(setting, {}).update(per)
    return Playbook(
        name=overlay.name,
        description=overlay.description or base.description,
        extends=None,
        roles=base.roles | overlay.roles,
        gates=Gates.model_validate(gates, strict=False),
        settings=settings,
    )


_DIVIDED = ("numerator", "denominator")  # what a ratio divides: one number each

Problem = tuple[tuple[str | int, ...], str, bool]  # path, message, whether it is about the key


def _override_problems(playbook: Playbook) -> list[Problem]:
    """Overrides that name an unknown criterion or parameter, or give a value of a bad kind."""
    by_id = {c.id: c for key in STAGE_KEYS for c in playbook.gates.for_stage(key)}
    problems: list[Problem] = []
    for setting, per_criterion in playbook.settings.items():
        for criterion_id, changes in per_criterion.items():
            path: tuple[str | int, ...] = ("settings", setting, criterion_id)
            criterion = by_id.get(criterion_id)
            if criterion is None:
                message = _("no criterion has id '{criterion}'").format(criterion=criterion_id)
                problems.append((path, message, True))
                continue
            fixed = {"id", "kind"}
            for name in changes:
                if name not in type(criterion).model_fields or name in fixed:
                    message = _("'{name}' is not a parameter of criterion '{criterion}'").format(
                        name=name, criterion=criterion_id
                    )
                    problems.append(((*path, name), message, True))
            try:
                override_criterion(criterion, changes)
            except ValidationError as exc:
                message = _("override does not fit: {problem}").format(
                    problem=exc.errors()[0]["msg"]
                )
                problems.append((path, message, False))
    return problems


def _ids(playbook: Playbook) -> set[str]:
    return {c.id for key in STAGE_KEYS for c in playbook.gates.for_stage(key)}


def _evidence_problems(playbook: Playbook, ids: set[str]) -> list[Problem]:
    """Evidence criteria whose ``of`` names no criterion of the playbook (``ids``)."""
    problems: list[Problem] = []
    for key in STAGE_KEYS:
        for index, criterion in enumerate(playbook.gates.for_stage(key)):
            if isinstance(criterion, Evidenced) and criterion.of and criterion.of not in ids:
                message = _(
                    "no criterion has id '{criterion}'; name one of this playbook's"
                ).format(criterion=criterion.of)
                problems.append((("gates", key, index, "of"), message, False))
    return problems


def parse_playbook(
    data: bytes, source: str, base: Playbook | None = None
) -> tuple[Playbook | None, list[Finding]]:
    """Load and check a playbook; findings locate every problem at ``line:col``.

    A playbook that ``extends: default`` is merged onto ``base`` (the default playbook) before
    its per-setting overrides are checked, since they may name the base's criteria.
    """
    try:
        loaded = load_mapping(data)
    except YamlProblem as problem:
        finding = Finding(
            source, problem.line, problem.col, Severity.ERROR, "", problem.message, problem.code
        )
        return None, [finding]
    try:
        playbook = Playbook.model_validate(loaded.data)
    except ValidationError as exc:
        return None, schema_findings(exc, loaded, source, Playbook)
    problems: list[Problem] = []
    for key in STAGE_KEYS:
        for index, criterion in enumerate(playbook.gates.for_stage(key)):
            for attr, path in named_paths(criterion):
                where = ("gates", key, index, *attr.split("."))
                if not known_path(path):
                    message = _(
                        "'{path}' is not a field of a pilot definition; see `pilots schema`"
                    ).format(path=path)
                    problems.append((where, message, False))
                elif isinstance(criterion, Ratio | Trained) and attr in _DIVIDED:
                    if (not_a_number := number_path_problem(path)) is not None:
                        problems.append((where, not_a_number, False))
    known = _ids(playbook) | (_ids(base) if playbook.extends and base is not None else set())
    problems.extend(_evidence_problems(playbook, known))  # at the file's own positions
    if playbook.extends == "default" and base is not None:
        playbook = extend(base, playbook)
    problems.extend(_override_problems(playbook))
    findings = [
        Finding(
            source,
            *loaded.locate(where, key=on_key),
            Severity.ERROR,
            format_path(where),
            message,
            "playbook",
        )
        for where, message, on_key in problems
    ]
    return (None if findings else playbook), findings
