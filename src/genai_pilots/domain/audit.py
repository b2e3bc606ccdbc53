"""The tamper-evident history: each pilot's events form a chain of SHA-256 hashes.

An event's hash covers the previous event's hash and a canonical form of the event itself, so
editing, deleting or reordering any stored event breaks the chain from that point on. Events
written since schema 0004 also carry the digests of the state they left behind (see
``domain.state``), and their hash covers those too: the newest event proves the current tables.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from genai_pilots import i18n
from genai_pilots.i18n import _

GENESIS = "0" * 64

# The register-wide chain hashes as if it were a pilot with this id, which no pilot can have.
REGISTER_CHAIN = "@register"


class ChainedEvent(Protocol):
    """What the chain covers of a stored event."""

    pilot_id: str
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    payload: dict[str, Any]
    reason: str | None
    prev_hash: str
    hash: str
    state: dict[str, str] | None


def utc(moment: dt.datetime) -> dt.datetime:
    """A UTC-aware datetime; naive values (SQLite returns them) are taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def format_utc(moment: dt.datetime) -> str:
    """A moment as people read it: UTC, to the minute (``30 november 2026 14:05`` in Dutch)."""
    at = utc(moment)
    return i18n.moment(at) if i18n.current() == "nl" else at.strftime("%Y-%m-%d %H:%M")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(
    prev_hash: str,
    pilot_id: str,
    seq: int,
    at: dt.datetime,
    actor: str,
    kind: str,
    payload: dict[str, Any],
    reason: str | None,
    state: dict[str, str] | None = None,
) -> str:
    """The hash of one event, chained to ``prev_hash``.

    ``state`` is part of the hash only when present, so events written before it existed keep
    their hashes.
    """
    return event_hash_text(
        prev_hash, pilot_id, seq, utc(at).isoformat(timespec="microseconds"), actor, kind,
        canonical_json(payload), reason, None if state is None else canonical_json(state),
    )  # fmt: skip


_encode = json.JSONEncoder(ensure_ascii=False).encode
_dumps = functools.lru_cache(maxsize=65536)(_encode)  # ids, actors and kinds repeat a lot


def event_hash_text(
    prev_hash: str,
    pilot_id: str,
    seq: int,
    at: str,
    actor: str,
    kind: str,
    payload: str,
    reason: str | None,
    state: str | None,
) -> str:
    """The hash of one event from the canonical texts of its parts (``at`` in ISO form).

    The hashed body is the canonical JSON of the event: keys in order, no spaces. Building it
    from texts lets ``audit verify`` hash JSON exactly as it was stored, without parsing it.
    (``at`` is ISO text: nothing in it needs escaping.)
    """
    body = (
        f'{{"actor":{_dumps(actor)},"at":"{at}","kind":{_dumps(kind)},"payload":{payload},'
        f'"pilot":{_dumps(pilot_id)},"reason":{"null" if reason is None else _encode(reason)},'
        f'"seq":{seq}' + ("" if state is None else f',"state":{state}') + "}"
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def stored_chain_head(pilot_id: str, events: Iterable[Sequence[Any]]) -> str | None:
    """A chain's newest hash, if it verifies from the texts its events were stored as.

    Each event is a row ``(pilot_id, seq, at, actor, kind, payload, reason, prev_hash, hash,
    state)`` with ``at`` as UTC text ``YYYY-MM-DD HH:MM:SS.ffffff`` and the JSON columns as
    their stored text; in order. The body is ``event_hash_text``'s, written out inline: this
    loop runs for every event of the register in ``audit verify``, and a test keeps the two in
    step. ``None`` means "check this chain the slow way", not "broken".
    """
    prev = GENESIS
    expected = 0
    pilot = _dumps(pilot_id)
    dumps, sha256 = _dumps, hashlib.sha256
    for _pilot, seq, at, actor, kind, payload, reason, prev_hash, stored, state in events:
        expected += 1
        if seq != expected or prev_hash != prev:
            return None
        body = (
            f'{prev}\n{{"actor":{dumps(actor)},"at":"{at[:10]}T{at[11:]}+00:00",'
            f'"kind":{dumps(kind)},"payload":{payload},"pilot":{pilot},'
            f'"reason":{"null" if reason is None else _encode(reason)},"seq":{seq}'
            + ("}" if state is None else f',"state":{state}}}')
        )
        if sha256(body.encode()).hexdigest() != stored:
            return None
        prev = stored
    return prev


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """The first event at which a chain no longer verifies, and why."""

    pilot_id: str
    seq: int
    problem: str


def typed_hash(event: ChainedEvent) -> str:
    """Recompute an event's hash from its typed values."""
    return event_hash(
        event.prev_hash, event.pilot_id, event.seq, event.at, event.actor, event.kind,
        event.payload, event.reason, event.state,
    )  # fmt: skip


def verify_chain(
    pilot_id: str,
    events: Sequence[Any],
    recompute: Callable[[Any], str] = typed_hash,
) -> BrokenLink | None:
    """Recompute a pilot's chain (events in stored order); the first break, or ``None``.

    ``recompute`` gives an event's hash from what was read (typed values by default).
    """
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return BrokenLink(
                pilot_id,
                event.seq,
                _("expected event #{seq} here: events are missing or reordered").format(
                    seq=expected_seq
                ),
            )
        if event.prev_hash != prev:
            return BrokenLink(pilot_id, event.seq, _("does not link to the event before it"))
        if recompute(event) != event.hash:
            return BrokenLink(
                pilot_id, event.seq, _("its content was changed after it was recorded")
            )
        prev = event.hash
    return None


@dataclass(slots=True)
class ReplayedState:
    """What a pilot's history says its state must be; the stored rows must agree."""

    stage: str | None = None
    outcome: str | None = None
    paused: bool = False
    review_needed: bool = False
    iterations: int = 0
    approvals: set[tuple[str, str, str]] = field(default_factory=set)  # (stage, role, by)
    waivers: set[tuple[str, str, str]] = field(default_factory=set)  # (stage, criterion, until)
    # source -> sorted rows of (kpi, date, value, setting)
    measurements: dict[str, list[tuple[str, str, float, str]]] = field(default_factory=dict)
    retracted: set[tuple[str, str, float, str]] = field(default_factory=set)


class Replayable(Protocol):
    """What replaying the history reads of an event."""

    @property
    def kind(self) -> str: ...  # noqa: D102

    @property
    def actor(self) -> str: ...  # noqa: D102

    @property
    def payload(self) -> dict[str, Any]: ...  # noqa: D102


def replay(events: Sequence[Replayable]) -> ReplayedState:
    """Fold a pilot's events into the state they imply (stage, pause, approvals, waivers)."""
    from genai_pilots.domain.events import ENTERING, MOVES, EventKind

    state = ReplayedState()
    for event in events:
        p = event.payload
        kind = event.kind
        if kind in ENTERING:
            state.stage = p.get("stage")
            state.outcome = p.get("outcome")
        elif kind in MOVES:
            state.stage = p.get("to") or state.stage
            state.outcome = p.get("outcome") or state.outcome
        elif kind == EventKind.ENDED:
            state.outcome = p.get("outcome")
        elif kind in {EventKind.PAUSED, EventKind.RESUMED}:
            state.paused = kind == EventKind.PAUSED
        elif kind == EventKind.APPROVED:
            state.approvals.add((p["stage"], p["role"], event.actor))
        elif kind == EventKind.REVOKED:
            state.approvals.discard((p["stage"], p["role"], p["by"]))
        elif kind == EventKind.WAIVED:
            state.waivers.add((p["stage"], p["criterion"], p["until"]))
        elif kind == EventKind.DECIDED:
            state.outcome = p.get("outcome") or state.outcome
            state.iterations += p.get("decision") == "adjust"
        elif kind in {EventKind.MEASURED, EventKind.MEASUREMENTS_REPLACED}:
            rows = [(r[0], r[1], float(r[2]), r[3]) for r in p.get("rows", [])]
            replaced = kind == EventKind.MEASUREMENTS_REPLACED
            kept = [] if replaced else state.measurements.get(p["source"], [])
            state.measurements[p["source"]] = sorted(kept + rows)
        elif kind == EventKind.RETRACTED:
            state.retracted.add((p["kpi"], p["date"], float(p["value"]), p["setting"]))
        elif kind == EventKind.GOVERNANCE_REVIEW_NEEDED:
            state.review_needed = True
            # a review starts afresh: earlier governance approvals and waivers no longer count
            state.approvals = {a for a in state.approvals if a[0] != "governance"}
            state.waivers = {w for w in state.waivers if w[0] != "governance"}
        elif kind == EventKind.GOVERNANCE_REVIEW_COMPLETED:
            state.review_needed = False
        elif kind == EventKind.APPROVALS_SUPERSEDED:
            state.approvals = {a for a in state.approvals if a[0] != p["stage"]}
    return state
