"""``pilots audit verify``: recompute every hash chain and check that the tables agree with it.

The chain catches an event that was edited, deleted or reordered; the anchor on the pilot row
catches events removed from the end; replaying the events catches a pilot row, approval or
waiver that was changed directly in the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import col, select

from genai_pilots.domain.audit import GENESIS, BrokenLink, replay, verify_chain
from genai_pilots.services.store import Store, reading
from genai_pilots.store.models import ApprovalRow, EventRow, MeasurementRow, PilotRow, WaiverRow
from genai_pilots.store.queries import get_pilot


@dataclass(frozen=True, slots=True)
class AuditReport:
    """How many pilots and events were checked, and each broken one."""

    pilots: int
    events: int
    broken: list[BrokenLink]


def _state_problems(
    pilot: PilotRow,
    events: list[EventRow],
    approvals: list[ApprovalRow],
    waivers: list[WaiverRow],
    measurements: list[MeasurementRow],
) -> str | None:
    state = replay(events)
    if (state.stage, state.outcome, state.paused) != (pilot.stage, pilot.outcome, pilot.paused):
        return (
            f"the pilot row says {pilot.stage}/{pilot.outcome}/paused={pilot.paused} but its "
            f"history says {state.stage}/{state.outcome}/paused={state.paused}"
        )
    if state.review_needed != (pilot.review_since is not None):
        return "the governance-review flag does not match the history"
    recorded = {(a.stage, a.role, a.by) for a in approvals if a.revoked_at is None}
    if recorded != state.approvals:
        return "the approvals table does not match the approvals in the history"
    granted = {(w.stage, w.criterion, w.until.isoformat()) for w in waivers}
    if granted != state.waivers:
        return "the waivers table does not match the waivers in the history"
    if pilot.iterations != state.iterations:
        return "the number of adjust decisions does not match the history"
    stored: dict[str, list[tuple[str, str, float, str]]] = defaultdict(list)
    for m in measurements:
        stored[m.source].append((m.kpi, m.date.isoformat(), m.value, m.setting or pilot.setting))
    expected = {k: v for k, v in state.measurements.items() if v}
    if {k: sorted(v) for k, v in stored.items()} != expected:
        return "the measurements table does not match the measurements in the history"
    return None


def verify(store: Store, pilot_id: str | None = None) -> AuditReport:
    """Check one pilot's history, or every pilot's."""
    with reading(store) as session:
        if pilot_id is not None:
            pilots = [get_pilot(session, pilot_id)]
        else:
            pilots = list(session.exec(select(PilotRow).order_by(col(PilotRow.id))))
        ids = [p.id for p in pilots]
        events: dict[str, list[EventRow]] = defaultdict(list)
        approvals: dict[str, list[ApprovalRow]] = defaultdict(list)
        waivers: dict[str, list[WaiverRow]] = defaultdict(list)
        measurements: dict[str, list[MeasurementRow]] = defaultdict(list)
        for e in session.exec(
            select(EventRow)
            .where(col(EventRow.pilot_id).in_(ids))
            .order_by(col(EventRow.pilot_id), col(EventRow.seq))
        ):
            events[e.pilot_id].append(e)
        for a in session.exec(select(ApprovalRow).where(col(ApprovalRow.pilot_id).in_(ids))):
            approvals[a.pilot_id].append(a)
        for w in session.exec(select(WaiverRow).where(col(WaiverRow.pilot_id).in_(ids))):
            waivers[w.pilot_id].append(w)
        for m in session.exec(select(MeasurementRow).where(col(MeasurementRow.pilot_id).in_(ids))):
            measurements[m.pilot_id].append(m)
    broken = []
    for pilot in pilots:
        chain = events[pilot.id]
        link = verify_chain(pilot.id, chain)
        if link is None:
            head = chain[-1].hash if chain else GENESIS
            if head != pilot.head_hash:
                last = chain[-1].seq if chain else 0
                link = BrokenLink(pilot.id, last + 1, "events after this one were removed")
        if link is None:
            problem = _state_problems(
                pilot, chain, approvals[pilot.id], waivers[pilot.id], measurements[pilot.id]
            )
            if problem:
                link = BrokenLink(pilot.id, chain[-1].seq if chain else 0, problem)
        if link is not None:
            broken.append(link)
    return AuditReport(len(pilots), sum(len(v) for v in events.values()), broken)
