"""The register's tables.

A pilot keeps its whole definition as JSON (the source of truth for gates) beside the few
columns that are filtered and sorted on. Events are append-only and chained by hash per pilot.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, MetaData, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stable constraint names, so migrations can refer to them on every engine.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def _utc_column(nullable: bool = False) -> Any:
    return Column(DateTime(timezone=True), nullable=nullable)


class PilotRow(SQLModel, table=True):
    """One pilot: its definition and where it stands."""

    __tablename__ = "pilot"

    id: str = Field(primary_key=True, max_length=80)
    name: str = Field(max_length=200)
    setting: str = Field(max_length=40, index=True)
    department: str = Field(max_length=200)
    owner_name: str = Field(max_length=200, index=True)
    owner_email: str = Field(max_length=254)
    stage: str = Field(max_length=20, index=True)
    outcome: str | None = Field(default=None, max_length=20)
    paused: bool = Field(default=False)
    risk_class: str | None = Field(default=None, max_length=20)
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    definition_hash: str = Field(max_length=64)
    created_at: dt.datetime = Field(sa_column=_utc_column())
    last_activity_at: dt.datetime = Field(sa_column=_utc_column())
    stage_entered_at: dt.datetime = Field(sa_column=_utc_column())
    head_hash: str = Field(
        max_length=64, description="Hash of the newest event: anchors the chain."
    )
    review_since: dt.datetime | None = Field(
        default=None,
        sa_column=_utc_column(nullable=True),
        description="Set when a supplier or model change re-opened governance.",
    )
    iterations: int = Field(default=0, description="How often bijsturen decided to adjust.")


class EventRow(SQLModel, table=True):
    """An append-only record of one state change, chained to the pilot's previous event."""

    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("pilot_id", "seq", name="uq_event_pilot_id_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    seq: int
    at: dt.datetime = Field(sa_column=_utc_column())
    actor: str = Field(max_length=200)
    kind: str = Field(max_length=40, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    reason: str | None = Field(default=None, max_length=4000)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    state: dict[str, str] | None = Field(
        default=None,
        sa_column=Column(JSON, nullable=True),
        description="Digests of the state this event left behind (see domain.state).",
    )


class ApprovalRow(SQLModel, table=True):
    """An approval of one role for one stage's gate; revoked approvals stay, marked."""

    __tablename__ = "approval"
    __table_args__ = (Index("ix_approval_pilot_stage", "pilot_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    stage: str = Field(max_length=20)
    role: str = Field(max_length=60)
    by: str = Field(max_length=200)
    at: dt.datetime = Field(sa_column=_utc_column())
    note: str | None = Field(default=None, max_length=4000)
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    entered_by: str | None = Field(default=None, max_length=200)  # a login acting for `by`


class WaiverRow(SQLModel, table=True):
    """A criterion of one stage's gate that counts as met until a date."""

    __tablename__ = "waiver"
    __table_args__ = (Index("ix_waiver_pilot_stage", "pilot_id", "stage"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    stage: str = Field(max_length=20)
    criterion: str = Field(max_length=80)
    until: dt.date
    by: str = Field(max_length=200)
    reason: str = Field(max_length=4000)
    at: dt.datetime = Field(sa_column=_utc_column())
    role: str | None = Field(
        default=None, max_length=60, description="The approving role it was given in."
    )
    revoked_at: dt.datetime | None = Field(
        default=None,
        sa_column=_utc_column(nullable=True),
        description="Set when a governance review superseded it.",
    )


class PersonRow(SQLModel, table=True):
    """Someone in the register's directory: a login, a name, roles. Removed people stay, marked."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(max_length=200, index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    roles: list[str] = Field(sa_column=Column(JSON, nullable=False))
    added_by: str = Field(max_length=200)
    added_at: dt.datetime = Field(sa_column=_utc_column())
    removed_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))


class PlaybookRow(SQLModel, table=True):
    """A playbook stored in the register; the newest one is in force."""

    __tablename__ = "playbook"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    source: str = Field(sa_column=Column(Text, nullable=False))
    set_by: str = Field(max_length=200)
    set_at: dt.datetime = Field(sa_column=_utc_column())
    reason: str | None = Field(default=None, max_length=4000)


class RegisterSettingRow(SQLModel, table=True):
    """A register-wide setting (the organisation's name, its contact): one row per key.

    Its earlier values are in the register chain (``register-setting-set`` events).
    """

    __tablename__ = "register_setting"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=500)
    set_by: str = Field(max_length=200)
    set_at: dt.datetime = Field(sa_column=_utc_column())


class RegisterEventRow(SQLModel, table=True):
    """An append-only record of a register-wide change, in one hash chain."""

    __tablename__ = "register_event"
    __table_args__ = (UniqueConstraint("seq", name="uq_register_event_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    seq: int
    at: dt.datetime = Field(sa_column=_utc_column())
    actor: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    reason: str | None = Field(default=None, max_length=4000)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    state: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class RegisterRow(SQLModel, table=True):
    """The one row that anchors the register-wide chain, as ``pilot.head_hash`` does a pilot's."""

    __tablename__ = "register"

    id: int = Field(primary_key=True)
    head_hash: str = Field(max_length=64)


class MeasurementRow(SQLModel, table=True):
    """One measured value of one KPI."""

    __tablename__ = "measurement"
    __table_args__ = (Index("ix_measurement_pilot_kpi", "pilot_id", "kpi"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    kpi: str = Field(max_length=80)
    date: dt.date
    value: float
    setting: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=4000)
    recorded_at: dt.datetime = Field(sa_column=_utc_column())
    actor: str = Field(max_length=200)
    source: str = Field(default="cli", max_length=10, description="cli, csv or yaml.")
    retracted_at: dt.datetime | None = Field(
        default=None,
        sa_column=_utc_column(nullable=True),
        description="Set when the value was retracted; the row itself is never deleted.",
    )


class EvidenceRow(SQLModel, table=True):
    """A document or link behind one gate criterion: where it is and, for a file, its hash.

    The register keeps no documents: ``pilots evidence verify`` hashes the file again.
    """

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_pilot_criterion", "pilot_id", "criterion"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    stage: str = Field(max_length=20)
    criterion: str = Field(max_length=80)
    location: str = Field(max_length=2000, description="An absolute path or a URL.")
    name: str = Field(max_length=300)
    sha256: str | None = Field(default=None, max_length=64, description="None for a URL.")
    size: int | None = Field(default=None, sa_type=BigInteger)
    valid_until: dt.date | None = None
    note: str | None = Field(default=None, max_length=4000)
    added_by: str = Field(max_length=200)
    added_at: dt.datetime = Field(sa_column=_utc_column())
    withdrawn_at: dt.datetime | None = Field(
        default=None,
        sa_column=_utc_column(nullable=True),
        description="Set when it was withdrawn or replaced; the row itself stays.",
    )


class IncidentRow(SQLModel, table=True):
    """Something that went wrong in practice, numbered per pilot; closed, never deleted."""

    __tablename__ = "incident"
    __table_args__ = (UniqueConstraint("pilot_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    number: int
    summary: str = Field(max_length=4000)
    occurred: dt.date
    aware: dt.date = Field(description="When the organisation became aware: deadlines run from it.")
    serious: bool = False
    death: bool = False
    widespread: bool = False
    opened_by: str = Field(max_length=200)
    opened_at: dt.datetime = Field(sa_column=_utc_column())
    closed_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    closed_by: str | None = Field(default=None, max_length=200)
    close_reason: str | None = Field(default=None, max_length=4000)


class IncidentNoticeRow(SQLModel, table=True):
    """When an incident was reported, and to whom: the provider, the authority, or IGJ."""

    __tablename__ = "incident_notice"
    __table_args__ = (Index("ix_incident_notice_pilot_number", "pilot_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    number: int
    recipient: str = Field(max_length=20)
    at: dt.datetime = Field(sa_column=_utc_column())
    by: str = Field(max_length=200)
    note: str | None = Field(default=None, max_length=4000)


class TrainingRow(SQLModel, table=True):
    """One person's training for a pilot, in the ledger the skills gate counts.

    Staff personal data, kept to what the gate needs: who, which course, when, until when, in
    which setting. ``pilots training remove`` deletes a person's rows (erasure); the history
    keeps only counts and courses, never the person.
    """

    __tablename__ = "training"
    __table_args__ = (Index("ix_training_pilot_id", "pilot_id"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    person: str = Field(max_length=200, description="A login or a name.")
    course: str = Field(max_length=200)
    date: dt.date = Field(description="The day the training was given.")
    valid_until: dt.date | None = Field(
        default=None, description="The last day it counts; None: for good."
    )
    setting: str = Field(max_length=40, description="The care setting the person works in.")


class SyntheticEvaluationRow(SQLModel, table=True):
    """The evaluation of one dataset of a pilot: scores of its files, never their data.

    One row per dataset: a re-evaluation replaces it (the history keeps every evaluation).
    ``scores`` holds the details (column shapes and pairs, the worst columns, DCR, disclosure,
    identifiers by kind, what was subsampled); the columns the gate reads stand on their own.
    ``stale_at`` is set by ``pilots synth verify`` when a file changed or went missing.
    """

    __tablename__ = "synthetic_evaluation"
    __table_args__ = (UniqueConstraint("pilot_id", "dataset"),)

    id: int | None = Field(default=None, primary_key=True)
    pilot_id: str = Field(foreign_key="pilot.id", max_length=80)
    dataset: str = Field(max_length=200)
    real_location: str = Field(max_length=2000)
    real_sha256: str = Field(max_length=64)
    synthetic_location: str = Field(max_length=2000)
    synthetic_sha256: str = Field(max_length=64)
    real_rows: int
    synthetic_rows: int
    columns: int
    quality: float = Field(description="SDMetrics' quality score, 0 to 1.")
    privacy: float = Field(description="The lowest privacy score (DCR, disclosure), 0 to 1.")
    exact_copies: int = Field(description="Synthetic rows equal to a real row.")
    identifiers: int = Field(description="Direct identifiers found in the synthetic file.")
    scores: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    library: str = Field(max_length=100, description="e.g. sdmetrics 0.32.0")
    evaluated_at: dt.datetime = Field(sa_column=_utc_column())
    evaluated_by: str = Field(max_length=200)
    stale_at: dt.datetime | None = Field(default=None, sa_column=_utc_column(nullable=True))
    stale_reason: str | None = Field(default=None, max_length=400)
    near_copies: int | None = Field(
        default=None,
        description="Synthetic rows equal to a real row but for one column; None: not counted "
        "(fewer than five columns, or evaluated before near copies were counted).",
    )
    declared_sha256: str | None = Field(
        default=None,
        max_length=64,
        description="The dataset's declaration when it was evaluated; None: evaluated by an "
        "earlier release.",
    )
