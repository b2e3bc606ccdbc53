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
SystemKind = Literal["ai-system", "gpai-system", "gpai-model", "not-ai", "no-algorithm"]
Sourcing = Literal[
    "develop-only",
    "develop-and-use",
    "commissioned",
    "external",
    "external-adapted",
    "import",
    "distribute",
    "none",
]
Art2Exception = Literal[
    "none",
    "military-defence-security",
    "third-country-authority",
    "pre-market-research",
    "scientific-research",
]
ProhibitedPractice = Literal[
    "subliminal-manipulation",
    "exploiting-vulnerabilities",
    "social-scoring",
    "crime-prediction",
    "face-scraping",
    "emotion-recognition-work-education",
    "biometric-categorisation-sensitive",
    "realtime-remote-biometric-identification",
    "non-consensual-intimate-imagery",
]
AnnexI = Literal["none", "section-a", "section-b"]
AnnexIIIUse = Literal[
    "remote-biometric-identification",
    "biometric-categorisation",
    "emotion-recognition",
    "critical-infrastructure",
    "education-admission",
    "education-assessment",
    "education-level",
    "exam-monitoring",
    "recruitment",
    "work-decisions",
    "public-benefits",
    "creditworthiness",
    "life-health-insurance",
    "emergency-triage",
    "law-enforcement",
    "migration-asylum-border",
    "administration-of-justice",
    "elections",
]
OrganisationKind = Literal["public-authority", "public-service", "private"]
HighRiskExemption = Literal[
    "none",
    "narrow-procedural-task",
    "improves-completed-human-activity",
    "detects-decision-patterns",
    "preparatory-task",
]
TransparencyUse = Literal[
    "interacts-with-people",
    "generates-content",
    "emotion-or-biometric-categorisation",
    "deepfake",
    "public-interest-text",
]
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
    """The answers the EU AI Act classification follows from, and the class the team declares.

    The answers follow the questions of the government's *Beslishulp AI-verordening*
    (``pilots classify`` asks them); an answer left out (``null``) is a question not yet
    answered. The last seven fields are the facts of earlier releases: still read, and checked
    against the answers, but the classification no longer rests on them.
    """

    risk_class: RiskClass | None = Field(
        default=None,
        description="Declared class: prohibited (Art. 5), high (Art. 6), limited (Art. 50 "
        "transparency duties), minimal. At least the class the answers lead to.",
    )
    system: SystemKind | None = Field(
        default=None,
        description="What it is under Art. 3: ai-system, gpai-system (a general-purpose AI "
        "system), gpai-model, not-ai (an algorithm that is no AI system) or no-algorithm.",
    )
    sourcing: Sourcing | None = Field(
        default=None,
        description="How the organisation comes by it, which sets its role(s): develop-only, "
        "develop-and-use, commissioned, external (as delivered), external-adapted (changed: "
        "that makes you a provider too), import, distribute, none.",
    )
    in_use: bool | None = Field(
        default=None,
        description="Already used in practice, a pilot with real effects included (Art. 111).",
    )
    in_use_since: dt.date | None = Field(
        default=None,
        description="When it was first put into service or placed on the market; decides "
        "whether Art. 111 postpones its duties.",
    )
    exception: Art2Exception | None = Field(
        default=None,
        description="An Art. 2 ground that puts it outside the AI Act, or none. Testing in real "
        "conditions is not pre-market research.",
    )
    exception_justification: Text | None = None
    prohibited: list[ProhibitedPractice] | None = Field(
        default=None, description="Art. 5 practices it falls under; [] for none."
    )
    prohibited_exception: bool | None = Field(
        default=None,
        description="One of the two law-enforcement exceptions to Art. 5(1)(h) applies.",
    )
    annex_i: AnnexI | None = Field(
        default=None,
        description="Product law of Annex I it is (a safety component of) a product under: "
        "section-a (e.g. MDR, IVDR), section-b, or none.",
    )
    third_party_conformity: bool | None = Field(
        default=None,
        description="That product law has a third party (notified body) assess conformity; "
        "only then is an Annex I product high-risk (Art. 6(1)(b)).",
    )
    annex_iii: list[AnnexIIIUse] | None = Field(
        default=None, description="Annex III uses it is intended for; [] for none."
    )
    organisation: OrganisationKind | None = Field(
        default=None,
        description="public-authority (or acting on its behalf, or a body governed by public "
        "law), public-service (a private entity providing public services), or private. "
        "Decides Annex III 5(a), Art. 27 (FRIA) and Art. 111(2).",
    )
    profiling: bool | None = Field(
        default=None, description="It profiles natural persons (always high-risk, Art. 6(3))."
    )
    exemption: HighRiskExemption | None = Field(
        default=None,
        description="The Art. 6(3) condition that makes an Annex III use not high-risk, or none.",
    )
    exemption_justification: Text | None = Field(
        default=None,
        description="The documented assessment behind the Art. 6(3) exemption (Art. 6(4)).",
    )
    transparency_uses: list[TransparencyUse] | None = Field(
        default=None, description="Art. 50 situations it is used in; [] for none."
    )
    transparency_exception: bool | None = Field(
        default=None,
        description="The law permits it to detect, prevent or prosecute crime (Art. 50).",
    )
    open_source: bool | None = Field(
        default=None,
        description="Released under a free and open-source licence with public parameters.",
    )
    systemic_risk: bool | None = Field(
        default=None,
        description="A general-purpose model with systemic risk (over 10^25 FLOP, Art. 51).",
    )
    medical_device: bool = Field(default=False, description="Earlier releases' fact.")
    mdr_class: MdrClass | None = Field(default=None, description="Earlier releases' fact.")
    ivdr: bool = Field(default=False, description="Earlier releases' fact (IVDR device).")
    emergency_triage: bool = Field(default=False, description="Earlier releases' fact.")
    access_to_care: bool = Field(default=False, description="Earlier releases' fact.")
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


class Certification(_Model):
    """A certificate of the supplier's information security, as its certifying body issued it."""

    standard: Name = Field(description="The standard certified against, e.g. 'NEN 7510:2017'.")
    certificate: Name = Field(description="The certificate's number or id.")
    certified_by: Name = Field(description="The certifying body that issued it.")
    valid_until: dt.date


class Vendor(_Model):
    """The supplier and the exact model; a change re-opens governance."""

    name: Name
    product: Name | None = None
    model: Name | None = None
    model_version: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    certifications: list[Certification] = Field(
        default_factory=list,
        description="The supplier's information-security certificates (NEN 7510 and others).",
    )
    nen7510: Name | None = Field(
        default=None,
        description="Earlier releases' free-text NEN 7510 reference; use certifications.",
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
    transparency: Text | None = Field(
        default=None,
        description="How patients and staff learn that AI is used, and people it decides "
        "about that it is used on them (Art. 26(11) for Annex III high-risk).",
    )
    ai_disclosure: Text | None = Field(
        default=None,
        description="How people are told they deal with AI and generated content is marked "
        "(Art. 50).",
    )
    workers_informed: Text | None = Field(
        default=None,
        description="When and how workers' representatives and the staff concerned were told "
        "before a high-risk system is used at work (Art. 26(7)).",
    )
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


class GateOverride(_Model):
    """A gate another register let the pilot pass by an override: who, when, why, despite what.

    ``pilots export`` writes them; importing a new pilot records each as an override (shown in
    ``status``), never as a passed gate, and never past a criterion that cannot be waived.
    """

    stage: StageKey = Field(description="The stage whose gate was overridden.")
    by: Name
    date: dt.date
    reason: Text
    failing: list[Annotated[str, Field(max_length=80)]] = Field(default_factory=list)


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
    overrides: list[GateOverride] = Field(
        default_factory=list,
        description="Gates passed by an override in the register this file was exported from.",
    )
    start_klein: StartKlein = Field(default_factory=StartKlein)
    governance: Governance = Field(default_factory=Governance)
    skills: Skills = Field(default_factory=Skills)
    synthetic_data: SyntheticData = Field(default_factory=SyntheticData)
    bijsturen: Bijsturen = Field(default_factory=Bijsturen)
