"""The state an event fixes: digests of every stored row of a pilot (or of the register).

Each event records, beside its own content, a digest per part of the state it left behind:
the pilot row, its definition, and the rows of every table that hangs off the pilot. The event
hash covers those digests, so the chain proves the current tables: ``audit verify`` recomputes
them from what is stored and compares them with the newest event. Nothing here lists which
columns matter; every column of every row counts, so a new column or table is covered the day
it is added.

Rows are plain mappings of column name to value. A column whose value is ``None`` is left out
and a part with no rows is left out, so a column or table added by a later release does not
change the digests of older rows that do not use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from genai_pilots.domain.audit import canonical_json, utc

# Columns that are not state: surrogate keys, the owning pilot's id (implied by the chain), and
# the chain's own anchor (it moves with every event, so an event cannot fix it).
NOT_STATE = frozenset({"id", "pilot_id", "head_hash"})

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def moment_text(moment: dt.datetime) -> str:
    """A moment in UTC as SQLite stores it: the same text whichever engine returned it."""
    return f"{utc(moment):%Y-%m-%d %H:%M:%S.%f}"


def _value(value: Any) -> Any:
    if isinstance(value, str):  # the common case first; SQLite's raw dates are text already
        return value
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)  # one number whatever the engine returned: 3.0 and 3 alike
    return value


def row_text(row: Mapping[str, Any], skip: Iterable[str] = ()) -> str:
    """One row as canonical text: every column but the skipped ones, ``None`` left out.

    A JSON list of [column, value] pairs in column-name order; a moment is UTC text as SQLite
    stores it, a date ISO text.
    """
    left_out = NOT_STATE.union(skip)
    return _dumps(
        [[k, _value(row[k])] for k in sorted(row) if row[k] is not None and k not in left_out]
    )


def digest(text: str) -> str:
    """SHA-256 of a text, in hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def rows_digest(rows: Iterable[Mapping[str, Any]]) -> str | None:
    """One digest of a set of rows, whatever order the database returns them in."""
    texts = sorted(row_text(r) for r in rows)
    return digest("\n".join(texts)) if texts else None


def pilot_state(
    pilot: Mapping[str, Any],
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    definition_digest: str | None = None,
) -> dict[str, str]:
    """The digests of a pilot's state: its row, its definition and each table's rows.

    ``tables`` maps a table name (approval, waiver, measurement, ...) to the pilot's rows in it.
    ``definition_digest`` may be given when the definition was read as canonical text.
    """
    state = {
        "pilot": digest(row_text(pilot, skip=("definition",))),
        "definition": definition_digest or digest(canonical_json(pilot["definition"])),
    }
    for name, rows in tables.items():
        found = rows_digest(rows)
        if found is not None:
            state[name] = found
    return state


def register_state(
    tables: Mapping[str, Iterable[Mapping[str, Any]]], pilot_ids: Iterable[str]
) -> dict[str, str]:
    """The digests of the register-wide state: its own tables and which pilots exist.

    The set of pilot ids is part of it, so a pilot deleted with its whole history is missed.
    """
    state = {name: d for name, rows in tables.items() if (d := rows_digest(rows)) is not None}
    ids = sorted(pilot_ids)
    if ids:
        state["pilots"] = digest("\n".join(ids))
    return state
