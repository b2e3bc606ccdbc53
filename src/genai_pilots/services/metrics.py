"""Portfolio metrics for a board.

Time in stage, pilots per stage and per setting, overrides, waivers, incidents per setting,
and the gate criteria that block the most pilots.

Only the blockers need every open pilot's gate judged; everything else is counted by the
database. On a large register the judging is split over two processes by pilot, each reading
its own share, and the cyclic collector stays off while the rows come and go.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Text, cast, func
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from genai_pilots import clock
from genai_pilots.domain.events import STAGE, EventKind
from genai_pilots.domain.metrics import Step, median_days, stays
from genai_pilots.domain.playbook import Playbook, measured_stages
from genai_pilots.domain.stages import OUTCOMES, STAGE_KEYS, stage_key
from genai_pilots.domain.stored_definitions import stored_definition_text
from genai_pilots.readmodels import Portfolio, PortfolioMetrics
from genai_pilots.services.gating import gate_for, gate_inputs
from genai_pilots.services.parallel import (
    halves,
    no_collection,
    one_forked_worker,
    second_core_pays,
)
from genai_pilots.services.portfolio import active_waivers
from genai_pilots.services.transactions import Store, open_store, reading
from genai_pilots.store.engine import dispose_engines, forget_engines
from genai_pilots.store.models import EventRow, IncidentRow, PilotRow, WaiverRow
from genai_pilots.store.queries import CHUNK

# Below this many open pilots one process judges them before a second would have started.
PARALLEL_FROM = 2_000
# This process also runs the other queries meanwhile (about a tenth of the work): it judges less.
OUR_SHARE = 0.45


def portfolio_metrics(
    store: Store, playbook: Playbook, overview: Portfolio | None = None
) -> PortfolioMetrics:
    """The metrics, in a few queries and one judgement of every open pilot's gate.

    ``overview`` is the whole portfolio where the caller has it (the report): its pilots'
    gates are already judged, so the blockers are counted from it.
    """
    now = clock.now()
    label = func.coalesce(PilotRow.outcome, PilotRow.stage)
    with no_collection(), _judging(store, playbook, overview) as blocking:
        with reading(store) as session:
            counts = session.exec(
                select(PilotRow.setting, label, func.count()).group_by(PilotRow.setting, label)
            ).all()
            moves = session.execute(
                select_columns(col(EventRow.pilot_id), col(EventRow.kind), col(EventRow.at),
                               col(EventRow.payload))
                .where(col(EventRow.kind).in_(STAGE))
                .order_by(col(EventRow.pilot_id), col(EventRow.seq))
            ).all()  # fmt: skip
            overrides = session.exec(
                select(func.count()).where(EventRow.kind == EventKind.OVERRIDE)
            ).one()
            in_force = session.exec(
                select(func.count()).where(
                    WaiverRow.until >= now.date(), col(WaiverRow.revoked_at).is_(None)
                )
            ).one()
            expiring = sum(w.expiring for w in active_waivers(session, select(PilotRow.id)))
            incidents = session.exec(
                select(PilotRow.setting, IncidentRow.closed_at).join(
                    PilotRow, col(PilotRow.id) == col(IncidentRow.pilot_id)
                )
            ).all()
    per_pilot: dict[str, list[Step]] = defaultdict(list)
    for pilot_id, kind, at, payload in moves:
        per_pilot[pilot_id].append(Step(kind, at, payload))
    all_stays = [s for chain in per_pilot.values() for s in stays(chain, now)]
    funnel: Counter[str] = Counter()
    per_setting: dict[str, dict[str, int]] = {}
    for setting, stage, n in sorted(counts, key=lambda r: r[0]):
        funnel[stage] += n
        per_setting.setdefault(setting, {})[stage] = n
    per_setting = {
        setting: {k: found[k] for k in (*STAGE_KEYS, *OUTCOMES) if found.get(k)}
        for setting, found in per_setting.items()
    }
    incident_counts: dict[str, tuple[int, int]] = {}
    for setting, closed_at in sorted(incidents, key=lambda r: r[0]):
        open_before, every = incident_counts.get(setting, (0, 0))
        incident_counts[setting] = (open_before + (closed_at is None), every + 1)
    says = {c.id: c.says for key in STAGE_KEYS for c in playbook.gates.for_stage(key)}
    return PortfolioMetrics(
        total=sum(funnel.values()),
        funnel={key: funnel[key] for key in (*STAGE_KEYS, *OUTCOMES)},
        median_days=median_days(all_stays),
        per_setting=per_setting,
        overrides=overrides,
        active_waivers=in_force,
        expiring_waivers=expiring,
        blockers=[(c, says.get(c, c), n) for c, n in _most_blocking(blocking, list(says))],
        incidents=incident_counts,
    )


def _most_blocking(blocking: Counter[str], order: list[str]) -> list[tuple[str, int]]:
    """The ten criteria that block the most pilots, a tie in playbook order.

    Not in the order the database returned the pilots (PostgreSQL's differs from SQLite's);
    the incident criterion, in no gate of the playbook, comes first.
    """
    place = {criterion: index for index, criterion in enumerate(order)}
    ranked = sorted(blocking.items(), key=lambda item: (-item[1], place.get(item[0], -1), item[0]))
    return ranked[:10]


@contextmanager
def _judging(
    store: Store, playbook: Playbook, overview: Portfolio | None
) -> Iterator[Counter[str]]:
    """How many open pilots each failing criterion holds back, filled in when the block ends.

    On a large register a forked worker judges part of the pilots from the start, while this
    process first counts the rest of the metrics and then judges its own part.
    """
    blocking: Counter[str] = Counter()
    if overview is not None:
        yield blocking
        blocking.update(c for p in overview.pilots for c in p.failing)
        return
    with reading(store) as session:
        pilot_ids = session.exec(
            select(PilotRow.id).where(col(PilotRow.outcome).is_(None)).order_by(PilotRow.id)
        ).all()
    if not second_core_pays(len(pilot_ids), PARALLEL_FROM):
        yield blocking
        blocking.update(_blocking_among(store, playbook, pilot_ids))
        return
    ours, theirs = halves(pilot_ids, OUR_SHARE)
    dispose_engines()  # no open connection may be shared with the worker
    with one_forked_worker() as pool:
        pending = pool.submit(_blocking_in_worker, store.url, playbook, theirs)
        yield blocking
        blocking.update(_blocking_among(store, playbook, ours))
        found = pending.result()
    blocking.update(found if found is not None else _blocking_among(store, playbook, theirs))


def _blocking_in_worker(url: str, playbook: Playbook, pilot_ids: Sequence[str]) -> Counter[str]:
    forget_engines()  # the connections it inherited belong to the parent
    try:
        with no_collection():
            return _blocking_among(open_store(url, migrate=False), playbook, pilot_ids)
    finally:
        dispose_engines()


def _blocking_among(store: Store, playbook: Playbook, pilot_ids: Sequence[str]) -> Counter[str]:
    """The failing criteria of these pilots' current gates, counted."""
    blocking: Counter[str] = Counter()
    counting = measured_stages(playbook)
    with reading(store) as session:
        for start in range(0, len(pilot_ids), CHUNK):
            chunk = list(pilot_ids[start : start + CHUNK])
            rows = session.execute(
                select_columns(col(PilotRow.id), col(PilotRow.stage),
                               cast(col(PilotRow.definition), Text))
                .where(col(PilotRow.id).in_(chunk))
            ).all()  # fmt: skip
            measured = {pilot_id for pilot_id, stage, _ in rows if stage_key(stage) in counting}
            inputs = gate_inputs(session, chunk, measured=measured)
            for pilot_id, stage, text in rows:
                definition = stored_definition_text(pilot_id, text)
                gate = gate_for(definition, playbook, inputs[pilot_id], stage_key(stage))
                blocking.update(r.id for r in gate.failing)
    return blocking
