"""The fast chain check in `audit verify` hashes exactly as events are hashed when written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from genai_pilots.domain.audit import (
    GENESIS,
    canonical_json,
    event_hash,
    stored_chain_head,
)
from genai_pilots.domain.state import moment_text

text = st.text(max_size=12)  # any unicode: quotes, backslashes, control characters
payloads = st.dictionaries(text, st.one_of(text, st.integers(), st.floats(allow_nan=False)))
states = st.none() | st.dictionaries(text, text, max_size=3)
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
)
events = st.lists(st.tuples(moments, text, text, payloads, st.none() | text, states), max_size=4)


def stored_rows(pilot_id: str, chain: list[Any]) -> tuple[list[tuple[Any, ...]], str]:
    """The chain as `audit verify` reads it: JSON as stored text, moments as UTC text."""
    rows, prev = [], GENESIS
    for seq, (at, actor, kind, payload, reason, state) in enumerate(chain, start=1):
        digest = event_hash(prev, pilot_id, seq, at, actor, kind, payload, reason, state)
        state_text = None if state is None else canonical_json(state)
        rows.append((pilot_id, seq, moment_text(at), actor, kind, canonical_json(payload),
                     reason, prev, digest, state_text))  # fmt: skip
        prev = digest
    return rows, prev


@given(pilot_id=text, chain=events)
def test_the_fast_check_accepts_every_chain_written_by_the_tool(
    pilot_id: str, chain: list[Any]
) -> None:
    rows, head = stored_rows(pilot_id, chain)
    assert stored_chain_head(pilot_id, rows) == head


@given(pilot_id=text, chain=events.filter(bool), which=st.integers(min_value=0))
def test_the_fast_check_refuses_any_changed_reason(
    pilot_id: str, chain: list[Any], which: int
) -> None:
    rows, head = stored_rows(pilot_id, chain)
    index = which % len(rows)
    changed = list(rows[index])
    changed[6] = (changed[6] or "") + "x"
    rows[index] = tuple(changed)
    assert stored_chain_head(pilot_id, rows) is None
