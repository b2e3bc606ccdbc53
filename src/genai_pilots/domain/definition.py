"""The pilot definition: the YAML format pilot teams keep in git, as pydantic models.

Models are strict (a number is not silently turned into text, ``no`` is not a boolean) and
forbid unknown keys, so a typo fails validation instead of passing unnoticed. Closed sets are
``Literal`` types: pydantic then names the allowed values in its message and the JSON Schema
carries them as ``enum`` for editors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from genai_pilots.domain.stages import Outcome, StageKey

Slug = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        min_length=2,
        max_length=80,
        description="Lower-case letters, digits and hyphens, e.g. ambient-scribe-cardiologie.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
RoleKey = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$", max_length=60, description="A role key, e.g. privacy_officer."
    ),
]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]

Setting = Literal[
    "polikliniek",
    "kliniek",
    "spoedeisende-hulp",
    "thuiszorg",
    "ggz",
    "huisartsenpraktijk",
    "huisartsenpost",
    "verpleeghuis",
    "gehandicaptenzorg",
    "ondersteunende-diensten",
]
RiskClass = Literal["prohibited", "high", "limited", "minimal"]
MdrClass = Literal["I", "IIa", "IIb", "III"]
DpiaStatus = Literal["not-started", "in-progress", "done", "not-required"]
AgreementStatus = Literal["none", "draft", "signed"]
Cadence = Literal["weekly", "biweekly", "monthly", "quarterly"]
Decision = Literal["scale", "adjust", "stop"]
# The bijsturen decision that ends a pilot with each outcome.
DECISION_FOR: dict[Outcome, Decision] = {"scaled": "scale", "stopped": "stop"}
Direction = Literal["lower", "higher"]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class Contact(_Model):
    """Who answers for the pilot; the only place personal contact details belong."""

    name: Name
    email: Email
    phone: str | None = Field(default=None, max_length=40)


class Period(_Model):
    """The bounded time the pilot runs in its setting."""

    start: dt.date
    end: dt.date


class Kpi(_Model):
    """A key performance indicator with its baseline and target."""

    id: Slug
    name: Name
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    baseline: float
    target: float
    direction: Direction = Field(description="Whether lower or higher values are better.")


class StartKlein(_Model):
    """Stage 1, Start klein, denk groot: a bounded scope with a measurable value hypothesis."""

    scope: Text | None = None
    value_hypothesis: Text | None = None
    scale_vision: Text | None = None
    period: Period | None = None
    kpis: list[Kpi] = Field(default_factory=list)


class AiAct(_Model):
    """The facts the EU AI Act risk class follows from, and the class the team declares."""

    risk_class: RiskClass | None = Field(
        default=None,
        description="Declared class: prohibited (Art. 5), high (Art. 6), limited (Art. 50), "
        "minimal.",
    )
    medical_device: bool = False
    mdr_class: MdrClass | None = None
    ivdr: bool = Field(default=False, description="An in-vitro diagnostic device (IVDR).")
    emergency_triage: bool = Field(
        default=False, description="Triages emergency patients (Annex III 5(d))."
    )
    access_to_care: bool = Field(
        default=False,
        description="Decides on eligibility for healthcare services (Annex III 5(a)).",
    )
    patient_facing: bool = Field(default=False, description="Patients see or talk to the AI.")
    generative: bool = Field(
        default=True, description="The system generates text, audio or images."
    )


class Dpia(_Model):
    """The data protection impact assessment (GDPR Art. 35)."""

    status: DpiaStatus
    reference: Name | None = None
    date: dt.date | None = None
    justification: Text | None = Field(
        default=None, description="Why no DPIA is required, when status is not-required."
    )


class Approval(_Model):
    """An approval the team claims; the register records its own approvals separately."""

    role: RoleKey
    by: Name
    date: dt.date
    note: Text | None = None


class Vendor(_Model):
    """The supplier and the exact model; a change re-opens governance."""

    name: Name
    product: Name | None = None
    model: Name | None = None
    model_version: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    nen7510: Name | None = Field(
        default=None, description="Reference to the supplier's NEN 7510 certificate."
    )


class ProcessorAgreement(_Model):
    """The verwerkersovereenkomst with the supplier (GDPR Art. 28)."""

    status: AgreementStatus
    reference: Name | None = None


class Governance(_Model):
    """Stage 2, Sterke governance: AI Act, DPIA, oversight, transparency, approvals, supplier."""

    ai_act: AiAct | None = None
    dpia: Dpia | None = None
    human_oversight: Text | None = None
    transparency: Text | None = None
    approvals: list[Approval] = Field(default_factory=list)
    vendor: Vendor | None = None
    data_location: Name | None = Field(
        default=None, description="Where data is processed and stored, e.g. 'EU (NL datacenter)'."
    )
    processor_agreement: ProcessorAgreement | None = None
    log_retention_months: Annotated[int, Field(ge=0, le=600)] | None = None
    legal_basis: Text | None = Field(
        default=None,
        description="The legal basis for processing, e.g. 'AVG art. 6(1)(e) en 9(2)(h); WGBO'.",
    )
    oversight_training: Text | None = Field(
        default=None,
        description="How the people who oversee the system are trained (high-risk, Art. 26(2)).",
    )
    conformity: Name | None = Field(
        default=None,
        description="The provider's conformity evidence: EU declaration of conformity or CE "
        "certificate reference (high-risk, Art. 47-48).",
    )
    fria: Name | None = Field(
        default=None,
        description="Reference to the fundamental rights impact assessment (Art. 27), for "
        "high-risk uses listed in Annex III.",
    )


class Skills(_Model):
    """Stage 3, Investeer in vaardigheden: AI literacy for the people who use it (Art. 4)."""

    training_plan: Text | None = None
    target_users: Annotated[int, Field(ge=0)] | None = None
    trained_users: Annotated[int, Field(ge=0)] | None = None
    champions: list[Name] = Field(default_factory=list)
    staff_involvement: Text | None = None


class Dataset(_Model):
    """A dataset the pilot needs, with its synthetic counterpart and how good that is."""

    name: Name
    description: Text | None = None
    synthetic_counterpart: Name | None = None
    method: Text | None = None
    privacy_evaluation: Text | None = None
    utility_evaluation: Text | None = None


class SyntheticData(_Model):
    """Stage 4, Verken synthetische data (Art. 10(5)): datasets, or why it does not apply."""

    applicable: bool = True
    datasets: list[Dataset] = Field(default_factory=list)
    justification: Text | None = None


class MeasurementIn(_Model):
    """One measured value of a KPI, kept in the definition file."""

    kpi: Slug
    date: dt.date
    value: float
    setting: Setting | None = Field(
        default=None, description="Where it was measured; the pilot's own setting if omitted."
    )
    note: Text | None = None


class Bijsturen(_Model):
    """Stage 5, Blijf bijsturen: review measurements and decide."""

    review_cadence: Cadence | None = None
    decision: Decision | None = None
    decision_reason: Text | None = None
    measurements: list[MeasurementIn] = Field(default_factory=list)


class PilotDefinition(_Model):
    """One GenAI pilot, one file: identity, the claimed stage, and one section per stage."""

    model_config = ConfigDict(
        title="genai-pilots pilot definition",
        json_schema_extra={"$id": "https://genai-pilots.example/schema/pilot.schema.json"},
    )

    id: Slug
    name: Name
    setting: Setting
    department: Name
    owner: Contact
    stage: StageKey = Field(
        default="start-klein",
        description="The stage the file claims; every gate before it must pass.",
    )
    outcome: Outcome | None = Field(
        default=None, description="How the pilot ended, after bijsturen: scaled or stopped."
    )
    start_klein: StartKlein = Field(default_factory=StartKlein)
    governance: Governance = Field(default_factory=Governance)
    skills: Skills = Field(default_factory=Skills)
    synthetic_data: SyntheticData = Field(default_factory=SyntheticData)
    bijsturen: Bijsturen = Field(default_factory=Bijsturen)
