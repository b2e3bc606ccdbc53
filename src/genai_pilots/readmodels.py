"""Read models: the plain values services return and ``render`` draws.

A concept's last shape, after YAML node → definition → stored row: what a view shows. They are
frozen dataclasses that hold no ORM row and need no session, so a view can never lazy-load,
change or commit anything. They live beside the layers rather than in one: services build them
(``services.entries`` turns rows into them) and ``render`` takes them, and neither may import
the other. This module imports only the domain and the clock (a contract keeps it so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from genai_pilots import clock
from genai_pilots.i18n import N_, _

if TYPE_CHECKING:  # annotations only: importing the models would cost every command 0.2 s
    from genai_pilots.domain.anchor import Anchor
    from genai_pilots.domain.audit import BrokenLink
    from genai_pilots.domain.definition import PilotDefinition
    from genai_pilots.domain.due import DueItem
    from genai_pilots.domain.gates import GateResult
    from genai_pilots.domain.importing import Action, PlannedChange
    from genai_pilots.domain.incidents import Deadline
    from genai_pilots.domain.kpis import KpiTrend
    from genai_pilots.domain.stages import Outcome, StageKey
    from genai_pilots.domain.validation import FilesReport

WAIVER_WARNING_DAYS = 14


def severity_words(serious: bool, death: bool, widespread: bool) -> str:
    """An incident's severity flags as words: 'serious, death' or 'not serious'."""
    flags = [
        _(word)
        for word, on in ((N_("serious"), serious), (N_("death"), death),
                         (N_("widespread"), widespread))
        if on
    ]  # fmt: skip
    return ", ".join(flags) or _("not serious")


@dataclass(frozen=True, slots=True)
class RegisteredPilot:
    """Where a pilot stands in the register: the columns views show."""

    id: str
    name: str
    setting: str
    department: str
    owner_name: str
    stage: str
    outcome: str | None
    paused: bool
    risk_class: str | None
    stage_entered_at: dt.datetime
    last_activity_at: dt.datetime
    review_since: dt.datetime | None
    iterations: int


@dataclass(frozen=True, slots=True)
class ApprovalEntry:
    """An approval recorded in the register (revoked ones stay, marked)."""

    pilot_id: str
    stage: str
    role: str
    by: str
    at: dt.datetime
    note: str | None
    revoked_at: dt.datetime | None
    entered_by: str | None = None  # the login that entered it on ``by``'s behalf

    @property
    def given_by(self) -> str:
        """Who gave it, and who typed it in when that was someone else."""
        if self.entered_by is None:
            return self.by
        return _("{by} (entered by {entered_by})").format(by=self.by, entered_by=self.entered_by)


@dataclass(frozen=True, slots=True)
class WaiverEntry:
    """A waiver recorded in the register (superseded ones stay, marked)."""

    pilot_id: str
    stage: str
    criterion: str
    until: dt.date
    by: str
    reason: str
    at: dt.datetime
    role: str | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class MeasurementEntry:
    """A measurement recorded in the register (retracted ones stay, marked)."""

    pilot_id: str
    kpi: str
    date: dt.date
    value: float
    setting: str | None
    note: str | None
    source: str
    retracted_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One event of a pilot's history, as people and scripts read it."""

    seq: int
    at: dt.datetime
    actor: str
    kind: str
    payload: dict[str, Any]
    reason: str | None
    hash: str


@dataclass(frozen=True, slots=True)
class PilotSummary:
    """One row of the portfolio."""

    id: str
    name: str
    setting: str
    owner: str
    stage: str
    outcome: str | None
    paused: bool
    risk_class: str | None
    gate_met: int
    gate_total: int
    blocker: str | None
    last_activity: dt.datetime
    review_needed: bool = False
    failing: tuple[str, ...] = ()
    unrecorded_approvals: tuple[str, ...] = ()  # roles of passed gates it lacks (claims only)


@dataclass(frozen=True, slots=True)
class Override:
    """A gate passed with ``--force``: who, when, which criteria, why."""

    pilot_id: str
    at: dt.datetime
    actor: str
    from_stage: str
    to: str
    failing: list[str]
    reason: str | None


@dataclass(frozen=True, slots=True)
class ActiveWaiver:
    """A waiver in force for a pilot's current gate: a decision that always needs attention."""

    pilot_id: str
    criterion: str
    until: dt.date
    by: str
    role: str | None = None

    @property
    def expiring(self) -> bool:
        """Whether it ends within two weeks."""
        return self.until <= clock.today() + dt.timedelta(days=WAIVER_WARNING_DAYS)


@dataclass(frozen=True, slots=True)
class Portfolio:
    """The pilots that match the filters, the funnel, and what needs attention."""

    pilots: list[PilotSummary]
    funnel: dict[str, int] = field(default_factory=dict)
    total: int = 0
    overrides: list[Override] = field(default_factory=list)
    waivers: list[ActiveWaiver] = field(default_factory=list)
    playbook_warnings: list[str] = field(default_factory=list)
    overdue: int = 0  # across the whole register, whatever the filters: `pilots due` lists them
    skills_short: list[SkillsShortfall] = field(default_factory=list)  # past skills, now short

    @property
    def expiring_waivers(self) -> list[ActiveWaiver]:
        """The active waivers that end within two weeks."""
        return [w for w in self.waivers if w.expiring]


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """Evidence on record for a gate criterion; ``number`` counts per pilot, from 1."""

    pilot_id: str
    number: int
    stage: str
    criterion: str
    location: str  # an absolute path, or a URL
    name: str
    sha256: str | None  # None for a URL
    size: int | None
    valid_until: dt.date | None
    note: str | None
    added_by: str
    added_at: dt.datetime
    withdrawn_at: dt.datetime | None

    @property
    def is_link(self) -> bool:
        """A URL: only its expiry can be checked, never its content."""
        return self.sha256 is None

    def expired(self, today: dt.date | None = None) -> bool:
        """Valid until a day that has passed."""
        return self.valid_until is not None and self.valid_until < (today or clock.today())


@dataclass(frozen=True, slots=True)
class TrainingEntry:
    """One training in a pilot's ledger; ``current``: it counts today."""

    pilot_id: str
    person: str
    course: str
    date: dt.date
    valid_until: dt.date | None
    setting: str
    current: bool


@dataclass(frozen=True, slots=True)
class TrainingLedger:
    """What ``training list`` shows: the ledger, and the people the skills gate counts today."""

    pilot_id: str
    today: dt.date
    entries: list[TrainingEntry]
    people: int  # distinct people with a current training
    target: int | None  # skills.target_users
    claimed: int | None  # skills.trained_users: the definition's claim


@dataclass(frozen=True, slots=True)
class TrainingBatch:
    """What ``training add | import`` did: rows stored, lines skipped as already recorded."""

    pilot_id: str
    stored: int
    skipped: tuple[int, ...]  # the CSV lines of rows already in the ledger (0: typed)
    people: int  # distinct people with a current training now
    read_as: str | None = None  # how a file was read


@dataclass(frozen=True, slots=True)
class TrainingErasure:
    """What ``training remove`` erased: how many rows of whom, and who still counts."""

    pilot_id: str
    person: str
    rows: int
    people: int
    spellings: tuple[str, ...] = ()  # every spelling of the person whose rows were erased


@dataclass(frozen=True, slots=True)
class SkillsShortfall:
    """A pilot past the skills gate whose trained people, counted today, fell below its bar."""

    pilot_id: str
    counted: int
    target: float
    minimum: float


@dataclass(frozen=True, slots=True)
class SkillsLine:
    """One pilot in the report's AI-literacy table: trained (counted) against its target.

    ``minimum`` is the playbook's bar in the pilot's setting (None: it counts no trainings);
    ``by_setting`` counts the current people per setting they work in.
    """

    pilot_id: str
    name: str
    setting: str
    stage: str
    counted: int
    target: int | None
    claimed: int | None
    minimum: float | None
    by_setting: dict[str, int]
    expired: int  # people whose every training has run out

    @property
    def ratio(self) -> float | None:
        """Counted over target, when there is a target above 0."""
        return self.counted / self.target if self.target else None

    @property
    def short(self) -> bool:
        """Whether the count is below the playbook's bar."""
        ratio = self.ratio
        return self.minimum is not None and (ratio is None or ratio < self.minimum)


@dataclass(frozen=True, slots=True)
class EvidenceCheck:
    """``evidence verify`` on one piece of evidence: its problem (None: fine) and what it found."""

    entry: EvidenceEntry
    problem: str | None  # "changed", "missing", "unreadable", "expired"
    detail: str


@dataclass(frozen=True, slots=True)
class NoticeEntry:
    """A notification of an incident: to whom, on which day, by whom."""

    recipient: str
    on: dt.date
    by: str
    note: str | None


@dataclass(frozen=True, slots=True)
class IncidentEntry:
    """An incident as views show it, with the deadlines the law sets (none once closed)."""

    pilot_id: str
    number: int
    summary: str
    occurred: dt.date
    aware: dt.date
    serious: bool
    death: bool
    widespread: bool
    opened_by: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None
    close_reason: str | None
    notices: tuple[NoticeEntry, ...] = ()
    deadlines: tuple[Deadline, ...] = ()

    @property
    def severity(self) -> str:
        """The severity flags, as words: 'serious, death' or 'not serious'."""
        return severity_words(self.serious, self.death, self.widespread)


@dataclass(frozen=True, slots=True)
class DueList:
    """What ``pilots due`` shows: the items of ``domain.due`` on a day, ``within`` days ahead."""

    today: dt.date
    within: int
    items: list[DueItem]

    @property
    def overdue(self) -> int:
        """How many items are past their day."""
        return sum(1 for item in self.items if item.overdue)


@dataclass(frozen=True, slots=True)
class PilotDetail:
    """Everything ``pilots show`` needs about one pilot."""

    pilot: RegisteredPilot
    definition: PilotDefinition
    gate: GateResult | None
    approvals: list[ApprovalEntry]
    measurements: list[MeasurementEntry]
    waivers: list[WaiverEntry]
    events: list[HistoryEvent]
    review: GateResult | None = None
    evidence: list[EvidenceEntry] = field(default_factory=list)
    incidents: list[IncidentEntry] = field(default_factory=list)
    trained: int = 0  # distinct people with a current training in its ledger today


@dataclass(frozen=True, slots=True)
class PortfolioMetrics:
    """What a board wants to know about the portfolio as a whole."""

    total: int
    funnel: dict[str, int]  # pilots per stage, and per outcome for those that ended
    median_days: dict[str, float]
    per_setting: dict[str, dict[str, int]]
    overrides: int
    active_waivers: int
    expiring_waivers: int  # of those for a pilot's current gate, ending within two weeks
    blockers: list[tuple[str, str, int]] = field(default_factory=list)  # id, says, pilots
    incidents: dict[str, tuple[int, int]] = field(default_factory=dict)  # setting: (open, all)


@dataclass(frozen=True, slots=True)
class PilotKpis:
    """One pilot's KPI trends and raw points per setting, for its charts."""

    pilot_id: str
    name: str
    trends: list[KpiTrend]
    series: dict[str, dict[str, list[tuple[str, float]]]]  # kpi -> setting -> points


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the HTML report shows."""

    generated: dt.datetime
    playbook: str
    portfolio: Portfolio
    metrics: PortfolioMetrics
    kpis: list[PilotKpis]
    risk_classes: dict[str, int]
    approvals: dict[str, list[ApprovalEntry]]
    waivers: list[WaiverEntry] = field(default_factory=list)
    incidents: list[IncidentEntry] = field(default_factory=list)
    due: DueList | None = None
    evidence: list[EvidenceEntry] = field(default_factory=list)  # in force: not withdrawn
    skills: list[SkillsLine] = field(default_factory=list)  # trained (counted) against target


@dataclass(frozen=True, slots=True)
class AdvanceResult:
    """What ``advance`` did (or, with dry_run, would do)."""

    pilot_id: str
    from_stage: StageKey
    to_stage: StageKey | None
    outcome: Outcome | None
    gate: GateResult | None  # None when it was stopped: stopping passes no gate
    forced: bool
    applied: bool


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The plan of an import and whether it was applied."""

    planned: list[PlannedChange]
    report: FilesReport
    applied: bool

    def count(self, action: Action) -> int:
        """How many pilots get this action."""
        return sum(1 for p in self.planned if p.action == action)


@dataclass(frozen=True, slots=True)
class AnchorCheck:
    """How the store compares with an anchor file: the anchored chains whose history differs."""

    anchor: Anchor
    chains: int  # how many anchored chains were compared
    broken: list[BrokenLink]


@dataclass(frozen=True, slots=True)
class RegisterSetting:
    """A register setting's value, who set it and when; ``value`` is ``None`` while unset."""

    key: str
    meaning: str
    value: str | None = None
    set_by: str | None = None
    set_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class PublicationFinding:
    """A rule of the Algoritmeregister standard one pilot's record breaks, and how to fix it."""

    pilot_id: str
    field: str  # the record's field, e.g. human_intervention or impacttoetsen_grouping[0].link
    rule: str  # required, max-length, format, html, permitted-values, unknown-field, type
    message: str
    source: str | None = None  # where in the definition the value comes from

    def format(self) -> str:
        """One line: pilot, field, what is wrong, where to fix it, and the rule."""
        where = (
            _(" (from {source} in its definition)").format(source=self.source)
            if self.source
            else ""
        )
        return f"{self.pilot_id}: {self.field}: {self.message}{where} [{self.rule}]"


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    """What ``db dump``, ``restore`` or ``copy`` moved, and what the check of the target found.

    ``checked`` is ``(pilots, events)`` that ``audit verify`` proved on the target before the
    commit; a dump checks nothing (``None``).
    """

    schema_revision: str
    counts: dict[str, int]
    checked: tuple[int, int] | None = None

    @property
    def rows(self) -> int:
        """Every row moved, of every table."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class SyntheticFile:
    """One file of an evaluation: where it was, its SHA-256, its size in rows."""

    location: str
    sha256: str
    rows: int


@dataclass(frozen=True, slots=True)
class SyntheticEvaluation:
    """A dataset's evaluation as ``synth evaluate`` and ``synth list`` show it.

    ``scores`` holds the details as stored (column shapes and pair trends, the worst columns,
    DCR, disclosure, identifiers by kind, what was subsampled); ``verdict`` is what the gate in
    force says of it (empty: it passes), ``None`` where the playbook asks no evaluation.
    """

    pilot_id: str
    dataset: str
    real: SyntheticFile
    synthetic: SyntheticFile
    columns: int
    quality: float
    privacy: float
    exact_copies: int
    identifiers: int
    scores: dict[str, Any]
    library: str
    evaluated_at: dt.datetime
    evaluated_by: str
    stale: str | None
    verdict: tuple[str, ...] | None
    replaced: bool = False
    near_copies: int | None = None  # None: not counted (too few columns, or an older release)
    real_changed: str | None = None  # the SHA-256 of the real file the replaced one used


@dataclass(frozen=True, slots=True)
class SyntheticCheck:
    """``synth verify`` on one evaluation: each file's problem (None: unchanged)."""

    pilot_id: str
    dataset: str
    files: dict[str, str | None]  # "real" / "synthetic" -> None, "changed", "missing", ...
    details: tuple[str, ...]
    newly_stale: bool
    stale: str | None = None  # why it was marked stale earlier (its files may be back since)

    @property
    def problem(self) -> bool:
        """Whether the gate cannot count it: a file changed, went missing, or it is stale."""
        return self.stale is not None or any(v is not None for v in self.files.values())
