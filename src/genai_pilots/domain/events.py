"""Event kinds: every kind of event the histories hold, named once; their sets and payloads.

A kind is stored and hashed as its text: ``EventKind`` is a ``StrEnum``, whose members are
those very strings, so naming kinds here changes nothing in a store. A kind is never renamed
or removed: a store keeps every event an older release wrote, and ``audit verify`` replays
them all.

Every event this release writes is built from one of the payload classes below: each knows
its kind, and ``as_payload`` gives the JSON object exactly as it is stored and hashed (keys,
``None`` values and all), so one kind always gets one shape. Readers read payloads as plain
mappings, and must: events written by older releases may lack a key that newer ones have (a
``waived`` without ``role``; a ``governance-review-completed`` with ``roles``, not ``gate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from genai_pilots.domain.diff import FieldChange
    from genai_pilots.domain.measurements import Measurement


class EventKind(StrEnum):
    """The kind of an event, in a pilot's chain or in the register's (at most 40 characters)."""

    # A pilot's chain
    CREATED = "created"
    """``pilots new`` registered the pilot at start-klein: its first event."""
    IMPORTED = "imported"
    """An import brought the pilot in, at the stage (and outcome) its file claims: first event."""
    DEFINITION_CHANGED = "definition-changed"
    """An import stored a changed definition file, field by field."""
    STAGE_CLAIMED = "stage-claimed"
    """An import took over a later stage its file claims, the register's gates being met."""
    ADVANCED = "advanced"
    """``pilots advance`` passed the gate and moved the pilot to the next stage."""
    OVERRIDE = "override"
    """``advance --force`` past failing criteria, or a pass only under a weaker playbook."""
    ENDED = "ended"
    """``advance --outcome scaled`` out of bijsturen, its gate met; or an import taking over an
    outcome. (Earlier releases wrote it for ``advance --outcome stopped`` too.)"""
    PAUSED = "paused"
    """``pilots pause``, with a reason."""
    RESUMED = "resumed"
    """``pilots resume``, with a reason."""
    APPROVED = "approved"
    """``pilots approve``: one role's approval of the current gate (four eyes)."""
    REVOKED = "revoked"
    """``pilots revoke``: an approval withdrawn, with a reason."""
    WAIVED = "waived"
    """``pilots waive``: one criterion counts as met until a date, a governance decision."""
    GOVERNANCE_REVIEW_NEEDED = "governance-review-needed"
    APPROVALS_SUPERSEDED = "approvals-superseded"
    """An import changed a governance fact (or the owner): governance re-opened."""
    GOVERNANCE_REVIEW_COMPLETED = "governance-review-completed"
    """The governance gate passed again on the new facts: the review closed itself."""
    DECIDED = "decided"
    """``pilots decide`` in bijsturen: scale or stop (ending the pilot), or adjust.

    Stopping, at any stage, is always this event: ``advance --outcome stopped`` is a decision to
    stop."""
    MEASURED = "measured"
    """A batch of measurements stored: typed, from a CSV file, or carried in a definition."""
    MEASUREMENTS_REPLACED = "measurements-replaced"
    """An import replaced the measurements a definition file carries by its new ones."""
    RETRACTED = "retracted"
    """``pilots retract``: a measurement no longer counts (its row stays, marked)."""
    EVIDENCE_ADDED = "evidence-added"
    """``pilots evidence add``: a document (its hash) or link recorded for a gate criterion."""
    EVIDENCE_WITHDRAWN = "evidence-withdrawn"
    """``pilots evidence withdraw``: evidence no longer counts (its row stays, marked)."""
    INCIDENT_OPENED = "incident-opened"
    """``pilots incident add``: something went wrong in practice; serious ones hold bijsturen."""
    INCIDENT_UPDATED = "incident-updated"
    """``pilots incident update``: its summary or severity changed (less severe only with a
    reason)."""
    INCIDENT_NOTIFIED = "incident-notified"
    """``pilots incident notify``: the provider, the authority or IGJ was told, on a day."""
    INCIDENT_CLOSED = "incident-closed"
    """``pilots incident close``: the incident is handled, with a reason."""
    STEERING_REVIEWED = "steering-reviewed"
    """``pilots review`` in bijsturen: the steering review its cadence asks for was held."""
    TRAINING_RECORDED = "training-recorded"
    """``pilots training add | import``: trainings entered the ledger (counts, courses, dates:
    never the person)."""
    TRAINING_ERASED = "training-erased"
    """``pilots training remove``: a person's trainings were deleted (erasure), with a reason;
    the payload counts what went, and never names whom."""
    SYNTHETIC_EVALUATED = "synthetic-evaluated"
    """``pilots synth evaluate``: a dataset's files scored (scores, counts, both SHA-256s; never
    the data); it replaces any earlier evaluation of that dataset."""
    SYNTHETIC_STALE = "synthetic-stale"
    """``pilots synth verify``: a file of a recorded evaluation changed or went missing, so it
    counts no more."""

    # Both chains
    STATE_SEALED = "state-sealed"
    """Written only by migration 0004, upgrading an older store: fixes the state it found."""

    # The register's chain
    PILOTS_CREATED = "pilots-created"
    """Pilots entered the register (``pilots new`` or an import): the set of pilots changed."""
    PLAYBOOK_SET = "playbook-set"
    """``pilots playbook set`` stored the playbook in force from then on."""
    PERSON_ADDED = "person-added"
    """``pilots people add``: someone entered the directory, or their name or roles changed."""
    PERSON_REMOVED = "person-removed"
    """``pilots people remove``: someone left the directory (their row stays, marked)."""
    REGISTER_SETTING_SET = "register-setting-set"
    """``pilots publication set``: a register setting (organisation, contact) got a value."""


ENTERING = frozenset({EventKind.CREATED, EventKind.IMPORTED})
"""The first event of a pilot: it fixes the stage (and an imported outcome) it entered at."""

MOVES = frozenset({EventKind.STAGE_CLAIMED, EventKind.ADVANCED, EventKind.OVERRIDE})
"""The events that move a pilot to another stage (their payload's ``to``)."""

ENDING = frozenset({EventKind.ADVANCED, EventKind.OVERRIDE, EventKind.ENDED, EventKind.DECIDED})
"""The events that end a pilot when their payload names an ``outcome`` (scaled or stopped).

``advanced`` never names one today; it is kept because every reader always included it.
"""

STAGE = ENTERING | MOVES | ENDING
"""The events that say where a pilot stands: time in stage is computed from these."""

GOVERNANCE = frozenset(
    {
        EventKind.APPROVED,
        EventKind.REVOKED,
        EventKind.WAIVED,
        EventKind.OVERRIDE,
        EventKind.GOVERNANCE_REVIEW_NEEDED,
        EventKind.GOVERNANCE_REVIEW_COMPLETED,
        EventKind.APPROVALS_SUPERSEDED,
    }
)
"""The governance decisions on a pilot's gates: approvals, waivers, overrides and reviews."""


EVIDENCE = frozenset({EventKind.EVIDENCE_ADDED, EventKind.EVIDENCE_WITHDRAWN})
"""The events that change the evidence on record behind a pilot's gate criteria."""

INCIDENTS = frozenset(
    {
        EventKind.INCIDENT_OPENED,
        EventKind.INCIDENT_UPDATED,
        EventKind.INCIDENT_NOTIFIED,
        EventKind.INCIDENT_CLOSED,
    }
)
"""The events of a pilot's incidents: opened, changed, reported to someone, closed."""


TRAINING = frozenset({EventKind.TRAINING_RECORDED, EventKind.TRAINING_ERASED})
"""The events that change a pilot's training ledger: what its skills gate counts."""


SYNTHETIC = frozenset({EventKind.SYNTHETIC_EVALUATED, EventKind.SYNTHETIC_STALE})
"""The events that change a pilot's synthetic-data evaluations: what its synthetic gate reads."""


class Payload(Protocol):
    """An event about to be written: its kind, and its payload as stored."""

    @property
    def kind(self) -> EventKind:
        """The kind of event it is."""

    def as_payload(self) -> dict[str, Any]:
        """The payload as stored and hashed: keys in this order, ``None`` values included."""


def _score(gate: tuple[int, int]) -> str:
    return "{}/{}".format(*gate)


@dataclass(frozen=True, slots=True)
class Created:
    """``created``: the stage a new pilot starts at."""

    kind: ClassVar[EventKind] = EventKind.CREATED
    stage: str

    def as_payload(self) -> dict[str, Any]:
        return {"stage": self.stage}


@dataclass(frozen=True, slots=True)
class Imported:
    """``imported``: the file a pilot came from, and the stage and outcome it claimed."""

    kind: ClassVar[EventKind] = EventKind.IMPORTED
    source: str
    stage: str
    outcome: str | None

    def as_payload(self) -> dict[str, Any]:
        return {"action": "create", "source": self.source, "stage": self.stage,
                "outcome": self.outcome}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DefinitionChanged:
    """``definition-changed``: the file, and each field that changed in it."""

    kind: ClassVar[EventKind] = EventKind.DEFINITION_CHANGED
    source: str
    changes: Sequence[FieldChange]

    def as_payload(self) -> dict[str, Any]:
        return {"source": self.source, "changes": [c.as_dict() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class StageClaimed:
    """``stage-claimed``: the stage an import moved a pilot from and to, and the file."""

    kind: ClassVar[EventKind] = EventKind.STAGE_CLAIMED
    from_stage: str
    to_stage: str
    source: str

    def as_payload(self) -> dict[str, Any]:
        return {"from": self.from_stage, "to": self.to_stage, "source": self.source}


@dataclass(frozen=True, slots=True)
class OutcomeClaimed:
    """``ended`` by an import: the outcome its file claims, and the file."""

    kind: ClassVar[EventKind] = EventKind.ENDED
    outcome: str
    source: str

    def as_payload(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "source": self.source}


@dataclass(frozen=True, slots=True)
class Advance:
    """What ``pilots advance`` records (``advanced``, ``override`` or ``ended``).

    ``gate`` is its score, (met, total). An override names the criteria it passed while
    failing, and, when a weaker playbook was all that let it pass, how that playbook is weaker.
    """

    kind: EventKind
    from_stage: str
    to_stage: str | None
    outcome: str | None
    gate: tuple[int, int]
    failing: Sequence[str] | None = None
    weaker_playbook: Sequence[str] | None = None

    def as_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"from": self.from_stage, "to": self.to_stage,
                                   "outcome": self.outcome, "gate": _score(self.gate)}  # fmt: skip
        if self.failing is not None:
            payload["failing"] = list(self.failing)
        if self.weaker_playbook is not None:
            payload["weaker_playbook"] = list(self.weaker_playbook)
        return payload


@dataclass(frozen=True, slots=True)
class PauseChanged:
    """``paused`` or ``resumed``: the stage it happened at, and that stage's label."""

    paused: bool
    stage: str
    label: str

    @property
    def kind(self) -> EventKind:
        return EventKind.PAUSED if self.paused else EventKind.RESUMED

    def as_payload(self) -> dict[str, Any]:
        return {"stage": self.stage, "label": self.label}


@dataclass(frozen=True, slots=True)
class Approved:
    """``approved``: the gate's stage and the role (the actor is who approved)."""

    kind: ClassVar[EventKind] = EventKind.APPROVED
    stage: str
    role: str
    note: str | None

    def as_payload(self) -> dict[str, Any]:
        return {"stage": self.stage, "role": self.role, "note": self.note}


@dataclass(frozen=True, slots=True)
class Revoked:
    """``revoked``: the gate's stage, the role, and who had given the approval."""

    kind: ClassVar[EventKind] = EventKind.REVOKED
    stage: str
    role: str
    by: str

    def as_payload(self) -> dict[str, Any]:
        return {"stage": self.stage, "role": self.role, "by": self.by}


@dataclass(frozen=True, slots=True)
class Waived:
    """``waived``: the criterion of a stage's gate, until when, and the role it was given in."""

    kind: ClassVar[EventKind] = EventKind.WAIVED
    stage: str
    criterion: str
    until: dt.date
    role: str | None

    def as_payload(self) -> dict[str, Any]:
        return {"stage": self.stage, "criterion": self.criterion,
                "until": self.until.isoformat(), "role": self.role}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReviewNeeded:
    """``governance-review-needed``: the fields that re-opened it, and what it superseded."""

    kind: ClassVar[EventKind] = EventKind.GOVERNANCE_REVIEW_NEEDED
    fields: Sequence[str]
    superseded_approvals: Sequence[tuple[str, str]]  # (role, by)
    superseded_waivers: Sequence[str]  # criteria

    def as_payload(self) -> dict[str, Any]:
        return {
            "fields": list(self.fields),
            "superseded_approvals": [[role, by] for role, by in self.superseded_approvals],
            "superseded_waivers": list(self.superseded_waivers),
        }


@dataclass(frozen=True, slots=True)
class ApprovalsSuperseded:
    """``approvals-superseded``: the facts a stage's approvals approved changed by import.

    An approval approves the definition as it stood: once its stage's section changes, the
    approvals given at that gate no longer count, and the gate asks for them again.
    """

    kind: ClassVar[EventKind] = EventKind.APPROVALS_SUPERSEDED
    stage: str
    fields: Sequence[str]
    superseded_approvals: Sequence[tuple[str, str]]  # (role, by)

    def as_payload(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "fields": list(self.fields),
            "superseded_approvals": [[role, by] for role, by in self.superseded_approvals],
        }


@dataclass(frozen=True, slots=True)
class ReviewCompleted:
    """``governance-review-completed``: the governance gate's score, (met, total)."""

    kind: ClassVar[EventKind] = EventKind.GOVERNANCE_REVIEW_COMPLETED
    gate: tuple[int, int]

    def as_payload(self) -> dict[str, Any]:
        return {"gate": _score(self.gate)}


@dataclass(frozen=True, slots=True)
class Decided:
    """``decided``: the decision, the outcome it ends the pilot with, and the iteration."""

    kind: ClassVar[EventKind] = EventKind.DECIDED
    decision: str
    outcome: str | None
    iteration: int

    def as_payload(self) -> dict[str, Any]:
        return {"decision": self.decision, "outcome": self.outcome, "iteration": self.iteration}


@dataclass(frozen=True, slots=True)
class Measured:
    """``measured`` or ``measurements-replaced``: a batch's source and the rows it stored.

    Each row is kept as ``[kpi, date, value, setting, note]``, in the pilot's ``setting`` when
    it names none. ``skipped`` counts rows identical to ones already in force.
    """

    source: str
    rows: Sequence[Measurement]
    setting: str
    skipped: int = 0
    replaced: bool = False

    @property
    def kind(self) -> EventKind:
        return EventKind.MEASUREMENTS_REPLACED if self.replaced else EventKind.MEASURED

    def as_payload(self) -> dict[str, Any]:
        rows = [[r.kpi, r.date.isoformat(), r.value, r.setting or self.setting, r.note]
                for r in self.rows]  # fmt: skip
        return {"source": self.source, "rows": rows} | (
            {"skipped": self.skipped} if self.skipped else {}
        )


@dataclass(frozen=True, slots=True)
class Retracted:
    """``retracted``: which measurement no longer counts (the reason is the event's)."""

    kind: ClassVar[EventKind] = EventKind.RETRACTED
    kpi: str
    date: dt.date
    value: float
    setting: str
    source: str

    def as_payload(self) -> dict[str, Any]:
        return {"kpi": self.kpi, "date": self.date.isoformat(), "value": self.value,
                "setting": self.setting, "source": self.source}  # fmt: skip


@dataclass(frozen=True, slots=True)
class EvidenceAdded:
    """``evidence-added``: its number, the criterion, where it is and, for a file, its hash."""

    kind: ClassVar[EventKind] = EventKind.EVIDENCE_ADDED
    number: int
    stage: str
    criterion: str
    location: str
    name: str
    sha256: str | None
    size: int | None
    valid_until: dt.date | None
    note: str | None

    def as_payload(self) -> dict[str, Any]:
        return {
            "number": self.number, "stage": self.stage, "criterion": self.criterion,
            "location": self.location, "name": self.name, "sha256": self.sha256,
            "size": self.size,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "note": self.note,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class EvidenceWithdrawn:
    """``evidence-withdrawn``: which evidence no longer counts (the reason is the event's)."""

    kind: ClassVar[EventKind] = EventKind.EVIDENCE_WITHDRAWN
    number: int
    criterion: str
    name: str

    def as_payload(self) -> dict[str, Any]:
        return {"number": self.number, "criterion": self.criterion, "name": self.name}


@dataclass(frozen=True, slots=True)
class IncidentOpened:
    """``incident-opened``: its number, what happened, when, since when known, how severe."""

    kind: ClassVar[EventKind] = EventKind.INCIDENT_OPENED
    number: int
    summary: str
    occurred: dt.date
    aware: dt.date
    serious: bool
    death: bool
    widespread: bool

    def as_payload(self) -> dict[str, Any]:
        return {
            "number": self.number, "summary": self.summary,
            "occurred": self.occurred.isoformat(), "aware": self.aware.isoformat(),
            "serious": self.serious, "death": self.death, "widespread": self.widespread,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class IncidentUpdated:
    """``incident-updated``: the incident, and each field that changed as ``[old, new]``."""

    kind: ClassVar[EventKind] = EventKind.INCIDENT_UPDATED
    number: int
    changes: dict[str, tuple[Any, Any]]

    def as_payload(self) -> dict[str, Any]:
        changed = {name: [old, new] for name, (old, new) in self.changes.items()}
        return {"number": self.number, "changes": changed}


@dataclass(frozen=True, slots=True)
class IncidentNotified:
    """``incident-notified``: the incident, who was told, on which day, and a note."""

    kind: ClassVar[EventKind] = EventKind.INCIDENT_NOTIFIED
    number: int
    recipient: str
    on: dt.date
    note: str | None

    def as_payload(self) -> dict[str, Any]:
        return {"number": self.number, "recipient": self.recipient, "on": self.on.isoformat(),
                "note": self.note}  # fmt: skip


@dataclass(frozen=True, slots=True)
class IncidentClosed:
    """``incident-closed``: the incident handled (the reason is the event's)."""

    kind: ClassVar[EventKind] = EventKind.INCIDENT_CLOSED
    number: int

    def as_payload(self) -> dict[str, Any]:
        return {"number": self.number}


@dataclass(frozen=True, slots=True)
class SteeringReviewed:
    """``steering-reviewed``: the cadence it was held under (the note is the event's reason)."""

    kind: ClassVar[EventKind] = EventKind.STEERING_REVIEWED
    cadence: str | None
    iteration: int

    def as_payload(self) -> dict[str, Any]:
        return {"cadence": self.cadence, "iteration": self.iteration}


@dataclass(frozen=True, slots=True)
class TrainingRecorded:
    """``training-recorded``: how many trainings of how many people, per course, over which days.

    Staff personal data stays out of the chain: no person, and no row that could name one
    (a course given on one day to one person would); the state digests prove the rows.
    """

    kind: ClassVar[EventKind] = EventKind.TRAINING_RECORDED
    source: str  # "cli" or "csv"
    rows: int
    people: int
    courses: dict[str, int]
    first: dt.date
    last: dt.date
    skipped: int = 0

    def as_payload(self) -> dict[str, Any]:
        return {
            "source": self.source, "rows": self.rows, "people": self.people,
            "courses": dict(self.courses), "first": self.first.isoformat(),
            "last": self.last.isoformat(),
        } | ({"skipped": self.skipped} if self.skipped else {})  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrainingErased:
    """``training-erased``: how many rows of which courses went; the person is never named."""

    kind: ClassVar[EventKind] = EventKind.TRAINING_ERASED
    rows: int
    courses: dict[str, int]

    def as_payload(self) -> dict[str, Any]:
        return {"rows": self.rows, "courses": dict(self.courses)}


@dataclass(frozen=True, slots=True)
class SyntheticEvaluated:
    """``synthetic-evaluated``: what the gate reads and what proves which files were judged.

    Files are named by their base name and SHA-256; rows, columns and scores are counts and
    fractions. No value of either file enters the chain.
    """

    kind: ClassVar[EventKind] = EventKind.SYNTHETIC_EVALUATED
    dataset: str
    real: str
    real_sha256: str
    synthetic: str
    synthetic_sha256: str
    rows: tuple[int, int]  # (real, synthetic)
    columns: int
    quality: float
    privacy: float
    exact_copies: int
    identifiers: dict[str, int]
    library: str
    replaced: bool
    near_copies: int | None = None  # None: too few columns to count them
    real_changed: bool = False  # the real file is not the one the evaluation it replaced used

    def as_payload(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset, "real": self.real, "real_sha256": self.real_sha256,
            "synthetic": self.synthetic, "synthetic_sha256": self.synthetic_sha256,
            "rows": list(self.rows), "columns": self.columns, "quality": self.quality,
            "privacy": self.privacy, "exact_copies": self.exact_copies,
            "near_copies": self.near_copies,
            "identifiers": dict(self.identifiers), "library": self.library,
        } | ({"replaced": True} if self.replaced else {}) | (
            {"real_changed": True} if self.real_changed else {}
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyntheticStale:
    """``synthetic-stale``: which dataset's evaluation no longer holds, and which file did it."""

    kind: ClassVar[EventKind] = EventKind.SYNTHETIC_STALE
    dataset: str
    files: dict[str, str]  # "real" / "synthetic" -> "changed" / "missing" / "unreadable"

    def as_payload(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "files": dict(self.files)}


@dataclass(frozen=True, slots=True)
class PilotsCreated:
    """``pilots-created`` (register chain): the ids of the pilots that entered the register."""

    kind: ClassVar[EventKind] = EventKind.PILOTS_CREATED
    ids: Sequence[str]

    def as_payload(self) -> dict[str, Any]:
        return {"ids": list(self.ids)}


@dataclass(frozen=True, slots=True)
class PlaybookSet:
    """``playbook-set`` (register chain): the playbook stored, and how it is weaker."""

    kind: ClassVar[EventKind] = EventKind.PLAYBOOK_SET
    name: str
    sha256: str
    weaker: Sequence[str]  # than the playbook it replaced
    weaker_than_protected: Sequence[str]  # than what the law or four eyes require
    allow_weaker: bool

    def as_payload(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "weaker": list(self.weaker),
            "weaker_than_protected": list(self.weaker_than_protected),
            "allow_weaker": self.allow_weaker,
        }


@dataclass(frozen=True, slots=True)
class PersonAdded:
    """``person-added`` (register chain): who is in the directory now, with which roles."""

    kind: ClassVar[EventKind] = EventKind.PERSON_ADDED
    login: str
    name: str
    email: str
    roles: Sequence[str]

    def as_payload(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "email": self.email,
                "roles": list(self.roles)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PersonRemoved:
    """``person-removed`` (register chain): someone left the directory."""

    kind: ClassVar[EventKind] = EventKind.PERSON_REMOVED
    login: str

    def as_payload(self) -> dict[str, Any]:
        return {"login": self.login}


@dataclass(frozen=True, slots=True)
class RegisterSettingSet:
    """``register-setting-set`` (register chain): a setting's new value, and the one it replaced."""

    kind: ClassVar[EventKind] = EventKind.REGISTER_SETTING_SET
    key: str
    value: str
    previous: str | None

    def as_payload(self) -> dict[str, Any]:
        return {"key": self.key, "value": self.value, "previous": self.previous}
