"""Playbooks: the criteria of each stage gate, as data.

A playbook is YAML with one list of criteria per stage. Criteria come from a small closed set
of kinds (a field is present; a value is one of a set; a number or a ratio meets a threshold;
approvals from roles; measurements per KPI; evidence on record; people trained; synthetic
datasets evaluated on their files), each
optionally applying only ``when`` a condition holds. ``settings`` overrides criterion
parameters per care setting, because what works in a polikliniek may differ in thuiszorg.

This module is the model; ``playbook_loading`` parses, merges and checks a playbook file, and
``field_paths`` resolves the dotted paths criteria name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from genai_pilots import i18n
from genai_pilots.domain.definition import Setting
from genai_pilots.domain.field_paths import FieldPath
from genai_pilots.domain.obligations import ObligationKey
from genai_pilots.domain.stages import STAGE_KEYS, StageKey
from genai_pilots.domain.standards import parse_standard
from genai_pilots.domain.synthetic import Thresholds

Op = Literal[">=", ">", "<=", "<", "=="]
Language = Literal["en", "nl"]
# A text people read, in one language or several: ``says: A DPIA`` or
# ``says: {en: A DPIA, nl: Een DPIA}``. Shown in the language chosen, else in the other one.
Wording = (
    Annotated[str, Field(min_length=1)]
    | Annotated[dict[Language, Annotated[str, Field(min_length=1)]], Field(min_length=1)]
)


def worded(text: str | dict[Language, str]) -> str:
    """``text`` in the current language; a language the playbook lacks falls back to the other."""
    if isinstance(text, str):
        return text
    return text.get(i18n.current()) or text.get("en") or next(iter(text.values()))  # type: ignore[call-overload]


class _Model(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, defer_build=True, populate_by_name=True
    )


class Condition(_Model):
    """A criterion applies only when ``field`` equals a value, is one of several, or is set."""

    field: FieldPath
    equals: str | int | float | bool | None = None
    one_of: list[str | int | float | bool] | None = None
    present: bool | None = None


class _Criterion(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    says_in: Wording = Field(
        alias="says",
        description="What the criterion asks for, as a checklist line; a text, or one per "
        "language ({en: ..., nl: ...}).",
    )
    hint_in: Wording = Field(
        alias="hint",
        description="What to do when it is not met; a text, or one per language.",
    )
    source_in: Wording | None = Field(
        default=None,
        alias="source",
        description="Where the rule comes from; a text, or one per language.",
    )
    when: Condition | None = None
    waivable: bool = Field(
        default=True,
        description="Whether a waiver may let it count as met; approvals never can be waived.",
    )
    obligation: list[ObligationKey] | None = Field(
        default=None,
        description="The AI Act duties it checks: it applies only to a pilot that bears one of "
        "them, and blocks only once one is in force (before that it shows the date).",
    )
    early: bool = Field(
        default=False,
        description="With an obligation: ask it before the law does. Until the duty is in "
        "force it blocks as organisation policy, and says from when the law requires it.",
    )
    required_by_law: bool = Field(
        default=False,
        description="The law requires it (not only organisation policy): a playbook that "
        "weakens it is stored only with `playbook set --allow-weaker`.",
    )

    @property
    def says(self) -> str:
        """The checklist line, in the language chosen."""
        return worded(self.says_in)

    @property
    def hint(self) -> str:
        """What to do, in the language chosen."""
        return worded(self.hint_in)

    @property
    def source(self) -> str | None:
        """Where the rule comes from, in the language chosen."""
        return None if self.source_in is None else worded(self.source_in)

    def wordings(self) -> dict[str, str | dict[Language, str]]:
        """The texts people read, by key: what ``playbook validate`` checks for both languages."""
        texts = {"says": self.says_in, "hint": self.hint_in}
        return texts if self.source_in is None else {**texts, "source": self.source_in}

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


class Certified(_Criterion):
    """A list of certificates holds one of an accepted standard that is valid on the day."""

    kind: Literal["certified"]
    field: FieldPath
    standards: list[str] = Field(
        min_length=1,
        description="Standards accepted, e.g. NEN 7510 or NEN 7510:2017 (that edition or a "
        "later one); a name that is not a standard's is refused.",
    )

    @field_validator("standards")
    @classmethod
    def _standards_are_names(cls, value: list[str]) -> list[str]:
        for text in value:
            if parse_standard(text) is None:
                raise ValueError(
                    f"{text!r} is not a standard's name; write it as e.g. 'NEN 7510' or "
                    "'ISO/IEC 27001:2022'"
                )
        return value


class Approvals(_Criterion):
    """Each listed role has approved, by someone other than the pilot's owner."""

    kind: Literal["approvals"]
    roles: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(min_length=1)
    distinct_people: bool = Field(
        default=True,
        description="Separation of duties: each role is approved by a different person. "
        "Turning it off is a weakening of four eyes.",
    )
    delegation: bool = Field(
        default=False,
        description="Whether an approval entered by one login on behalf of another person "
        "counts. Turning it on is a weakening of four eyes.",
    )


class Measurements(_Criterion):
    """Every KPI is measured on at least ``min_count`` days spanning at least ``min_days``."""

    kind: Literal["measurements"]
    min_count: Annotated[int, Field(ge=1)]
    min_days: Annotated[int, Field(ge=0)] = 0


class Evidenced(_Criterion):
    """A document or link is on record for a criterion: its own, or the one ``of`` names.

    Judged on what the register holds (``pilots evidence add``): evidence not withdrawn and not
    expired. The definition cannot claim it, so ``validate`` alone never finds it met.
    """

    kind: Literal["evidence"]
    of: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] | None = Field(
        default=None,
        description="The id of the criterion whose evidence counts (default: this one's own), "
        "e.g. dpia: the DPIA document behind the criterion that names its reference.",
    )

    @property
    def evidence_for(self) -> str:
        """The criterion id whose evidence this criterion asks for."""
        return self.of or self.id


class Trained(_Criterion):
    """Enough people trained: counted in the register's training ledger, claimed without one.

    In the register the numerator is the number of distinct people with a current training for
    the pilot (``pilots training``), and every champion ``champions`` names must be one of them.
    ``pilots validate`` has no register: there the definition's claim (``numerator``) counts,
    as claimed approvals do, and champions are taken as claimed.
    """

    kind: Literal["trained"]
    numerator: FieldPath = Field(
        description="The number of trained people the definition claims (counted only where "
        "there is no register), e.g. skills.trained_users."
    )
    denominator: FieldPath = Field(description="The number of people to train.")
    min: Annotated[float, Field(ge=0)]
    champions: FieldPath | None = Field(
        default=None,
        description="A list of names in the definition (e.g. skills.champions): each must have "
        "a current training in the register.",
    )


class SyntheticEvaluated(_Criterion):
    """Each declared dataset evaluated on its files, within thresholds: recorded, not claimed.

    In the register every dataset ``datasets`` lists needs an evaluation recorded with
    ``pilots synth evaluate`` that is not stale (``pilots synth verify`` found its files
    unchanged) and meets the thresholds. ``pilots validate`` has no register: there each
    dataset's ``privacy_evaluation`` and ``utility_evaluation`` texts count, as claimed
    approvals do.
    """

    kind: Literal["synthetic-evaluation"]
    datasets: FieldPath = Field(
        description="The list of datasets in the definition, e.g. synthetic_data.datasets."
    )
    min_quality: Annotated[float, Field(ge=0, le=1)] = Field(
        description="SDMetrics' quality score (column shapes and pair trends), 0 to 1."
    )
    min_privacy: Annotated[float, Field(ge=0, le=1)] = Field(
        description="The lowest of DCR baseline protection and disclosure protection, 0 to 1."
    )
    max_exact_copies: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Synthetic rows allowed to equal a real row."
    )
    max_identifiers: Annotated[int, Field(ge=0)] = Field(
        default=0, description="Direct identifiers (BSN, e-mail, phone, IBAN) allowed."
    )
    max_near_copy_share: Annotated[float, Field(ge=0, le=1)] = Field(
        default=0.01,
        description="Share of synthetic rows allowed to equal a real row in all columns but one "
        "(counted from five columns on).",
    )
    valid_days: Annotated[int, Field(ge=1, le=3660)] = Field(
        default=365, description="Days an evaluation counts; then the dataset is evaluated again."
    )

    def limits(self) -> Thresholds:
        """What it asks of each dataset's evaluation, as ``synthetic.shortfalls`` reads it."""
        return Thresholds(self.min_quality, self.min_privacy, self.max_exact_copies,
                          self.max_identifiers, self.max_near_copy_share,
                          self.valid_days)  # fmt: skip


Criterion = Annotated[
    Present
    | OneOf
    | Threshold
    | Ratio
    | Certified
    | Approvals
    | Measurements
    | Evidenced
    | Trained
    | SyntheticEvaluated,
    Field(discriminator="kind"),
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
        return [
            override_criterion(c, overrides[c.id]) if c.id in overrides else c for c in criteria
        ]


def measured_stages(playbook: Playbook) -> frozenset[str]:
    """The stages whose gate counts measurements (a setting changes parameters, not kinds).

    Only their pilots' measurements need reading to judge a current gate.
    """
    return frozenset(
        key
        for key in STAGE_KEYS
        if any(isinstance(c, Measurements) for c in playbook.gates.for_stage(key))
    )


def trained_criterion(playbook: Playbook, setting: str | None) -> Trained | None:
    """The skills gate's criterion that counts trained people, as it stands in ``setting``."""
    found = (c for c in playbook.criteria("skills", setting) if isinstance(c, Trained))
    return next(found, None)


def synthetic_criterion(playbook: Playbook, setting: str | None) -> SyntheticEvaluated | None:
    """The synthetic-data gate's evaluation criterion, as it stands in ``setting``."""
    found = playbook.criteria("synthetic-data", setting)
    return next((c for c in found if isinstance(c, SyntheticEvaluated)), None)


def override_criterion(criterion: Criterion, changes: dict[str, Any]) -> Criterion:
    """A criterion with some parameters replaced, validated like the original."""
    merged = {**criterion.model_dump(exclude_none=True, by_alias=True), **changes}
    return type(criterion).model_validate(merged)


def missing_languages(playbook: Playbook) -> list[tuple[tuple[str | int, ...], str]]:
    """Criterion texts given in one language only: where, and the language they lack.

    A plain text (not one per language) gives ``""``: it is shown in both languages.

    Not an error (a missing language falls back to the other); ``playbook validate`` warns.
    """
    found: list[tuple[tuple[str | int, ...], str]] = []
    for key in STAGE_KEYS:
        for index, criterion in enumerate(playbook.gates.for_stage(key)):
            for name, text in criterion.wordings().items():
                if isinstance(text, str):  # one text, whichever language it is in
                    found.append((("gates", key, index, name), ""))
                    continue
                for language in sorted(set(i18n.LANGUAGES) - set(text)):
                    found.append((("gates", key, index, name), language))
    return found
