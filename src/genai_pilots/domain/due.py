"""What is due across the portfolio, overdue first, then soonest.

Steering reviews, expiring waivers, evidence and trainings, awaited approvals, open governance
reviews and incident notifications. The service reads plain records (``Steering``,
``WaiverInForce``, ...) in one transaction; this module decides what each means on a given
day, so every rule here is tested without a store.
Three states: *overdue* (its day has passed), *upcoming* (due within the window) and *waiting*
(an approval or a governance review that has no deadline, shown with how long it has waited;
it never counts as overdue). Pure: no I/O, no clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from genai_pilots.domain.gates import (
    ApprovalRecord,
    CriterionResult,
    context_data,
    evaluate_criterion,
)
from genai_pilots.domain.incidents import RECIPIENT_NAMES, Incident, deadlines
from genai_pilots.domain.playbook import Approvals, Playbook
from genai_pilots.domain.stages import StageKey
from genai_pilots.domain.training import Validity
from genai_pilots.i18n import N_, _, day, week

if TYPE_CHECKING:
    from genai_pilots.domain.definition import PilotDefinition

DueKind = Literal[
    "review", "waiver", "evidence", "training", "approval", "governance-review", "incident"
]
DueState = Literal["overdue", "upcoming", "waiting"]

DEFAULT_WITHIN = 30  # days ahead ``pilots due`` looks without --within
MAX_WITHIN = 3660  # ten years: further ahead is a typo (a window, a validity)
CADENCES = ("weekly", "biweekly", "monthly", "quarterly")
CADENCE_NAMES = {  # the keys are YAML values; the names are shown through cadence_name()
    "weekly": N_("weekly"),
    "biweekly": N_("biweekly"),
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
}
_CADENCE_DAYS = {"weekly": 7, "biweekly": 14}
_CADENCE_MONTHS = {"monthly": 1, "quarterly": 3}


class WithinError(ValueError):
    """A ``--within`` that is not a number of days or weeks: its message says what to type."""


def parse_within(text: str) -> int:
    """``30d``, ``8w`` or ``30`` as a number of days ahead (0 shows only what is late or today)."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([dDwW]?)\s*", text, re.ASCII)
    if match is None:
        raise WithinError(
            _("--within: {text!r} is not a number of days or weeks; write e.g. 30d, 8w or 30")
            .format(text=text)
        )  # fmt: skip
    days = int(match.group(1)) * (7 if match.group(2).lower() == "w" else 1)
    if days > MAX_WITHIN:
        raise WithinError(
            _("--within: {text!r} is more than ten years ahead; write at most 3660d").format(
                text=text
            )
        )
    return days


def ten_years_ahead(today: dt.date) -> dt.date:
    """The last valid-until day accepted: the same day ten years on (29 February: the 28th).

    Further ahead is a typo, and ``pilots due`` would never remind anyone of it.
    """
    try:
        return today.replace(year=today.year + 10)
    except ValueError:  # 29 February, and ten years on is no leap year
        return today.replace(year=today.year + 10, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day (31 January + 1 → 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review(since: dt.date, cadence: str) -> dt.date:
    """When the next steering review is due after one (or entering bijsturen) on ``since``."""
    if cadence in _CADENCE_DAYS:
        return since + dt.timedelta(days=_CADENCE_DAYS[cadence])
    return add_months(since, _CADENCE_MONTHS[cadence])


def unmet_approvals(
    playbook: Playbook,
    stage: StageKey,
    definition: PilotDefinition,
    approvals: Sequence[ApprovalRecord],
    today: dt.date,
) -> list[CriterionResult]:
    """The approvals criteria of the gate out of ``stage`` that block it, with missing roles.

    Only those criteria are judged (as ``gates.evaluate_gate`` judges them): an approval cannot
    be waived and depends on nothing but the approvals given, and judging the whole gate of
    thousands of pilots only to keep these would cost most of ``pilots due``.
    """
    asked = [c for c in playbook.criteria(stage, definition.setting) if isinstance(c, Approvals)]
    if not asked:
        return []
    data = context_data(definition)
    found = [evaluate_criterion(c, definition, data, approvals, [], today) for c in asked]
    return [r for r in found if r.blocks and r.missing_roles]


@dataclass(frozen=True, slots=True)
class Steering:
    """A pilot in bijsturen, neither ended nor paused: its cadence and its reviews so far."""

    pilot_id: str
    cadence: str | None  # None (or a value no release wrote): no review is due
    entered: dt.date  # the day it entered bijsturen
    last_review: dt.date | None = None


@dataclass(frozen=True, slots=True)
class WaiverInForce:
    """A waiver of the pilot's current gate (or open review), not revoked, expired or not."""

    pilot_id: str
    stage: str
    criterion: str
    until: dt.date
    by: str


@dataclass(frozen=True, slots=True)
class ExpiringEvidence:
    """Evidence with a validity date, not withdrawn, of a pilot that has not ended."""

    pilot_id: str
    evidence_id: int
    stage: str
    criterion: str
    name: str
    valid_until: dt.date


@dataclass(frozen=True, slots=True)
class AwaitedApproval:
    """An approvals criterion of the pilot's current gate that is not met: who must still act."""

    pilot_id: str
    stage: str
    criterion: str
    roles: tuple[str, ...]
    since: dt.date  # the day the pilot entered that stage


@dataclass(frozen=True, slots=True)
class OpenReview:
    """A governance review re-opened by a change of facts, with what it still needs."""

    pilot_id: str
    since: dt.date
    needs: tuple[str, ...] = ()  # the roles whose approval it still needs


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing that is due: what, of which pilot, by when, and how late or how soon.

    ``key`` tells apart the items of one kind of one pilot (a criterion, an evidence number,
    an incident and recipient), so ``(pilot_id, kind, key)`` names an item from week to week.
    ``days`` is days overdue, days until it is due, or days waiting, as ``state`` says.
    """

    pilot_id: str
    kind: DueKind
    key: str
    what: str
    due: dt.date
    state: DueState
    days: int
    detail: str

    @property
    def overdue(self) -> bool:
        """Whether its day has passed."""
        return self.state == "overdue"

    @property
    def uid(self) -> str:
        """A name for it that stays the same while it is due (a calendar's UID)."""
        return f"{self.pilot_id}/{self.kind}/{self.key}@genai-pilots"


def _dated(
    today: dt.date, pilot_id: str, kind: DueKind, key: str, what: tuple[str, str], due: dt.date,
    detail: str,
) -> DueItem:  # fmt: skip
    """An item with a deadline; ``what`` is (said while still ahead, said once it has passed)."""
    late = due < today
    return DueItem(
        pilot_id, kind, key, what[1] if late else what[0], due,
        "overdue" if late else "upcoming", abs((today - due).days), detail,
    )  # fmt: skip


def cadence_name(cadence: str) -> str:
    """A review cadence as people read it (``weekly``: ``wekelijks`` in Dutch)."""
    return _(CADENCE_NAMES[cadence]) if cadence in CADENCE_NAMES else cadence


def _reviews(today: dt.date, steering: Iterable[Steering]) -> Iterable[DueItem]:
    for s in steering:
        if s.cadence not in CADENCES:
            continue
        since = s.last_review if s.last_review is not None else s.entered
        detail = (
            _("{cadence} cadence; last review {since}; record it with `pilots review {pilot}`")
            if s.last_review
            else _("{cadence} cadence; in bijsturen since {since}; record it with "
                   "`pilots review {pilot}`")
        )  # fmt: skip
        yield _dated(
            today, s.pilot_id, "review", "steering",
            (_("steering review due"), _("steering review overdue")),
            next_review(since, s.cadence),
            detail.format(cadence=cadence_name(s.cadence), since=week(since), pilot=s.pilot_id),
        )  # fmt: skip


def _waivers(today: dt.date, waivers: Iterable[WaiverInForce]) -> Iterable[DueItem]:
    newest: dict[tuple[str, str, str], WaiverInForce] = {}
    for w in waivers:  # a waiver given again for the same criterion replaces the earlier one
        key = (w.pilot_id, w.stage, w.criterion)
        if key not in newest or w.until > newest[key].until:
            newest[key] = w
    for w in newest.values():
        yield _dated(
            today, w.pilot_id, "waiver", w.criterion,
            (_("waiver of {criterion} expires").format(criterion=w.criterion),
             _("waiver of {criterion} expired").format(criterion=w.criterion)), w.until,
            _("gate out of {stage}, granted by {by}; meet the criterion or renew the waiver")
            .format(stage=w.stage, by=w.by),
        )  # fmt: skip


def _evidence(today: dt.date, evidence: Iterable[ExpiringEvidence]) -> Iterable[DueItem]:
    for e in evidence:
        yield _dated(
            today, e.pilot_id, "evidence", str(e.evidence_id),
            (_("evidence for {criterion} expires").format(criterion=e.criterion),
             _("evidence for {criterion} expired").format(criterion=e.criterion)),
            e.valid_until,
            _("{name} (gate out of {stage}); add current evidence").format(
                name=e.name, stage=e.stage),
        )  # fmt: skip


def _trainings(today: dt.date, trainings: Iterable[Validity]) -> Iterable[DueItem]:
    for t in trainings:
        yield _dated(
            today, t.pilot_id, "training", t.person,
            (_("training of {person} expires").format(person=t.person),
             _("training of {person} expired").format(person=t.person)),
            t.valid_until,
            _("{course}, given {date}; record the refresher (`pilots training add`), or "
              "erase the person's trainings (`pilots training remove`) if they left")
            .format(course=t.course, date=day(t.date)),
        )  # fmt: skip


def _incidents(today: dt.date, incidents: Iterable[Incident]) -> Iterable[DueItem]:
    for incident in incidents:
        if incident.closed:
            continue
        for d in deadlines(incident):
            if d.notified is not None:
                continue
            whom = _(RECIPIENT_NAMES[d.recipient])
            yield _dated(
                today, incident.pilot_id, "incident", f"{incident.number}-{d.recipient}",
                (_("incident {number}: notify {whom}").format(number=incident.number, whom=whom),
                 _("incident {number}: notifying {whom} is overdue").format(
                     number=incident.number, whom=whom)),
                d.due, _("{basis}; aware since {aware}: {summary}").format(
                    basis=d.basis, aware=day(incident.aware), summary=incident.summary),
            )  # fmt: skip


def _waiting(today: dt.date, approvals: Iterable[AwaitedApproval],
             reviews: Iterable[OpenReview]) -> Iterable[DueItem]:  # fmt: skip
    for a in approvals:
        roles = ", ".join(a.roles)
        yield DueItem(
            a.pilot_id, "approval", a.criterion,
            _("approval of {roles} awaited").format(roles=roles), a.since,
            "waiting", (today - a.since).days,
            _("gate out of {stage} ({criterion}); in {stage} since {since}").format(
                stage=a.stage, criterion=a.criterion, since=day(a.since)),
        )  # fmt: skip
    for r in reviews:
        detail = (
            _("re-opened {since}; still needs approval of {roles}")
            if r.needs
            else _("re-opened {since}; `pilots show {pilot}` says what it still needs")
        )
        yield DueItem(
            r.pilot_id, "governance-review", "governance", _("governance review open"), r.since,
            "waiting", (today - r.since).days,
            detail.format(since=day(r.since), roles=", ".join(r.needs), pilot=r.pilot_id),
        )  # fmt: skip


_ORDER: dict[DueState, int] = {"overdue": 0, "upcoming": 1, "waiting": 2}


def what_is_due(
    today: dt.date,
    within: int = DEFAULT_WITHIN,
    *,
    steering: Iterable[Steering] = (),
    waivers: Iterable[WaiverInForce] = (),
    evidence: Iterable[ExpiringEvidence] = (),
    trainings: Iterable[Validity] = (),
    approvals: Iterable[AwaitedApproval] = (),
    reviews: Iterable[OpenReview] = (),
    incidents: Iterable[Incident] = (),
) -> list[DueItem]:
    """Everything overdue, due within ``within`` days, or waiting; in that order.

    Overdue items come first, the longest overdue first; then what is due, soonest first; then
    what waits without a deadline, the longest waiting first. Ties go by pilot, kind and key.
    """
    horizon = today + dt.timedelta(days=within)
    dated = [
        item
        for found in (
            _reviews(today, steering),
            _waivers(today, waivers),
            _evidence(today, evidence),
            _trainings(today, trainings),
            _incidents(today, incidents),
        )  # fmt: skip
        for item in found
        if item.due <= horizon
    ]
    every = dated + list(_waiting(today, approvals, reviews))
    return sorted(every, key=lambda i: (_ORDER[i.state], i.due, i.pilot_id, i.kind, i.key))


def overdue_count(items: Iterable[DueItem]) -> int:
    """How many items are past their day."""
    return sum(1 for item in items if item.overdue)
