"""Portfolio metrics for a board.

Time in stage, pilots per stage and per setting, overrides, waivers, incidents per setting,
and the gate criteria that block the most pilots.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlmodel import col, select

from genai_pilots import clock
from genai_pilots.domain.events import STAGE
from genai_pilots.domain.metrics import median_days, stays
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.stages import OUTCOMES, STAGE_KEYS
from genai_pilots.readmodels import PortfolioMetrics
from genai_pilots.services.portfolio import portfolio
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import EventRow, IncidentRow, PilotRow, WaiverRow


def portfolio_metrics(store: Store, playbook: Playbook) -> PortfolioMetrics:
    """Compute the metrics in a few queries."""
    overview = portfolio(store, playbook)  # every pilot: blockers are counted over all
    now = clock.now()
    with reading(store) as session:
        events = session.exec(
            select(EventRow)
            .where(col(EventRow.kind).in_(STAGE))
            .order_by(col(EventRow.pilot_id), col(EventRow.seq))
        ).all()
        waivers = session.exec(
            select(WaiverRow).where(
                WaiverRow.until >= now.date(), col(WaiverRow.revoked_at).is_(None)
            )
        ).all()
        incidents = session.exec(
            select(PilotRow.setting, IncidentRow.closed_at).join(
                PilotRow, col(PilotRow.id) == col(IncidentRow.pilot_id)
            )
        ).all()
    incident_counts: dict[str, tuple[int, int]] = {}
    for setting, closed_at in sorted(incidents, key=lambda r: r[0]):
        still_open, every = incident_counts.get(setting, (0, 0))
        incident_counts[setting] = (still_open + (closed_at is None), every + 1)
    per_pilot: dict[str, list[EventRow]] = defaultdict(list)
    for event in events:
        per_pilot[event.pilot_id].append(event)
    all_stays = [s for chain in per_pilot.values() for s in stays(chain, now)]
    per_setting: dict[str, dict[str, int]] = {}
    for setting in sorted({p.setting for p in overview.pilots}):  # overview is not paged
        counts = Counter(p.outcome or p.stage for p in overview.pilots if p.setting == setting)
        per_setting[setting] = {k: counts[k] for k in (*STAGE_KEYS, *OUTCOMES) if counts[k]}
    blocking = Counter(c for p in overview.pilots for c in p.failing)
    says = {c.id: c.says for key in STAGE_KEYS for c in playbook.gates.for_stage(key)}
    top = [(c, says.get(c, c), n) for c, n in blocking.most_common(10)]
    return PortfolioMetrics(
        overview, median_days(all_stays), per_setting, len(overview.overrides), len(waivers), top,
        incident_counts,
    )  # fmt: skip
