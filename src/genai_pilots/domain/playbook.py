"""Playbooks: the criteria of each stage gate, as data.

A playbook is YAML with one list of criteria per stage. Criteria come from a small closed set
of kinds (a field is present; a value is one of a set; a number or a ratio meets a threshold;
approvals from roles; measurements per KPI), each optionally applying only ``when`` a
condition holds. ``settings`` overrides criterion parameters per care setting, because what
works in a polikliniek may differ in thuiszorg.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from genai_pilots.domain.definition import PilotDefinition, Setting
from genai_pilots.domain.findings import Finding, Severity, format_path
from genai_pilots.domain.schema_errors import model_of, schema_findings
from genai_pilots.domain.stages import STAGE_KEYS, StageKey
from genai_pilots.domain.yamlsafe import YamlProblem, load_mapping

FieldPath = Annotated[
    str,
    Field(
        pattern=r"^[a-z_][a-z0-9_]*(?:\[\*\])?(?:\.[a-z_][a-z0-9_]*(?:\[\*\])?)*$",
        description="Dotted path into the definition; [*] means every item of a list.",
    ),
]
Op = Literal[">=", ">", "<=", "<", "=="]

# Values computed from a definition that criteria may refer to (see gates.context_data).
DERIVED_FIELDS = (
    "derived.risk_class",
    "derived.risk_class_consistent",
    "derived.annex_i",
    "derived.annex_iii",
)


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Condition(_Model):
    """A criterion applies only when ``field`` equals a value, is one of several, or is set."""

    field: FieldPath
    equals: str | int | float | bool | None = None
    one_of: list[str | int | float | bool] | None = None
    present: bool | None = None


class _Criterion(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    says: str = Field(description="What the criterion asks for, as a checklist line.")
    hint: str = Field(description="What to do when it is not met.")
    source: str | None = Field(default=None, description="Where the rule comes from.")
    when: Condition | None = None
    waivable: bool = Field(
        default=True,
        description="Whether a waiver may let it count as met; approvals never can be waived.",
    )
    required_by_law: bool = Field(
        default=False,
        description="The law requires it (not only organisation policy): a playbook that "
        "weakens it is stored only with `playbook set --allow-weaker`.",
    )

    @property
    def can_be_waived(self) -> bool:
        """Whether a waiver may cover it: never for approvals, else as the playbook says."""
        return self.waivable and getattr(self, "kind", None) != "approvals"


class Present(_Criterion):
    """A field has a value (not empty); with [*], every item has it and there is one."""

    kind: Literal["present"]
    field: FieldPath


class OneOf(_Criterion):
    """A field's value is one of the listed values."""

    kind: Literal["one-of"]
    field: FieldPath
    values: list[str | int | float | bool]


class Threshold(_Criterion):
    """A number meets a threshold."""

    kind: Literal["threshold"]
    field: FieldPath
    op: Op = ">="
    value: float


class Ratio(_Criterion):
    """The ratio of two numbers meets a minimum, e.g. trained users / target users."""

    kind: Literal["ratio"]
    numerator: FieldPath
    denominator: FieldPath
    min: Annotated[float, Field(ge=0)]


class Approvals(_Criterion):
    """Each listed role has approved, by someone other than the pilot's owner."""

    kind: Literal["approvals"]
    roles: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(min_length=1)


class Measurements(_Criterion):
    """Every KPI is measured on at least ``min_count`` days spanning at least ``min_days``."""

    kind: Literal["measurements"]
    min_count: Annotated[int, Field(ge=1)]
    min_days: Annotated[int, Field(ge=0)] = 0


Criterion = Annotated[
    Present | OneOf | Threshold | Ratio | Approvals | Measurements, Field(discriminator="kind")
]


class Gates(_Model):
    """The criteria of the gate that closes each stage."""

    start_klein: list[Criterion] = Field(default_factory=list, alias="start-klein")
    governance: list[Criterion] = Field(default_factory=list)
    skills: list[Criterion] = Field(default_factory=list)
    synthetic_data: list[Criterion] = Field(default_factory=list, alias="synthetic-data")
    bijsturen: list[Criterion] = Field(default_factory=list)

    model_config = ConfigDict(populate_by_name=True)

    def for_stage(self, key: StageKey) -> list[Criterion]:
        """The criteria of the gate out of ``key``."""
        return list(getattr(self, key.replace("-", "_")))


class Playbook(_Model):
    """An organisation's gate criteria, with per-setting overrides of criterion parameters."""

    name: str
    description: str | None = None
    extends: Literal["default"] | None = Field(
        default=None,
        description="Start from the default playbook: criteria with the same id replace its "
        "own, new ones are added, roles and settings are merged.",
    )
    roles: dict[str, str] = Field(
        default_factory=dict, description="Role keys used by approvals, with their names."
    )
    gates: Gates
    settings: dict[Setting, dict[str, dict[str, float | int | str | list[str]]]] = Field(
        default_factory=dict,
        description="Per setting, per criterion id, the parameters that differ.",
    )

    def criteria(self, key: StageKey, setting: str | None = None) -> list[Criterion]:
        """The criteria of a gate, with the overrides of ``setting`` applied."""
        criteria = self.gates.for_stage(key)
        overrides: dict[str, dict[str, Any]] = {
            str(key): value for key, value in self.settings.items()
        }.get(setting or "", {})
        if not overrides:
            return criteria
        return [_override(c, overrides[c.id]) if c.id in overrides else c for c in criteria]


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


def _override(criterion: Criterion, changes: dict[str, Any]) -> Criterion:
    """A criterion with some parameters replaced, validated like the original."""
    merged = {**criterion.model_dump(exclude_none=True), **changes}
    return type(criterion).model_validate(merged)


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
                problems.append((path, f"no criterion has id '{criterion_id}'", True))
                continue
            fixed = {"id", "kind"}
            for name in changes:
                if name not in type(criterion).model_fields or name in fixed:
                    message = f"'{name}' is not a parameter of criterion '{criterion_id}'"
                    problems.append(((*path, name), message, True))
            try:
                _override(criterion, changes)
            except ValidationError as exc:
                problems.append((path, f"override does not fit: {exc.errors()[0]['msg']}", False))
    return problems


def resolve_field(data: Any, path: str) -> list[Any] | Any:
    """Values at a dotted path; a ``[*]`` part fans out into a list of values."""
    values: list[Any] = [data]
    fanned = False
    for part in path.split("."):
        each = part.endswith("[*]")
        name = part[:-3] if each else part
        nxt: list[Any] = []
        for value in values:
            item = value.get(name) if isinstance(value, dict) else None
            if each:
                fanned = True
                nxt.extend(item if isinstance(item, list) else [])
            else:
                nxt.append(item)
        values = nxt
    return values if fanned else values[0]


def _known_path(path: str) -> bool:
    """Whether a field path names a field of the definition (or the derived values)."""
    if path.startswith("derived."):
        return path in DERIVED_FIELDS
    model: Any = PilotDefinition
    for part in path.split("."):
        name = part.removesuffix("[*]")
        if model is None or name not in model.model_fields:
            return False
        model = model_of(model.model_fields[name].annotation)
    return True


def _field_paths(criterion: Any) -> list[tuple[str, str]]:
    names = ("field", "numerator", "denominator")
    paths = [(name, getattr(criterion, name)) for name in names if hasattr(criterion, name)]
    if criterion.when is not None:
        paths.append(("when.field", criterion.when.field))
    return paths


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
            for attr, path in _field_paths(criterion):
                if not _known_path(path):
                    message = f"'{path}' is not a field of a pilot definition; see `pilots schema`"
                    problems.append((("gates", key, index, *attr.split(".")), message, False))
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
