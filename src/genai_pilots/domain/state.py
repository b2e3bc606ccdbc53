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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from genai_pilots.domain.audit import canonical_json, utc

# Columns that are not state: surrogate keys, the owning pilot's id (implied by the chain), and
# the chain's own anchor (it moves with every event, so an event cannot fix it).
NOT_STATE = frozenset({"id", "pilot_id", "head_hash"})

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
# The same encoding without JSONEncoder's Python wrapper: half the time per row, and audit
# verify encodes every row of the register. Falls back where the C encoder is missing.
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
if _make_encoder is not None:
    _encode_row = _make_encoder(
        None, str, json.encoder.encode_basestring, None, ":", ",", False, False, True
    )

    def _row_json(values: list[Any]) -> str:
        return "".join(_encode_row(values, 0))

else:  # pragma: no cover - CPython has the C encoder

    def _row_json(values: list[Any]) -> str:
        return _dumps(values)


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

    A JSON list of column, value, column, value, ... in column-name order; a moment is UTC text
    as SQLite stores it, a date ISO text.
    """
    names = tuple(row)
    return Shape(names, skip).text(tuple(row[n] for n in names))


class Shape:
    """Which columns of a table's rows count, in canonical order: rows read as plain tuples.

    ``audit verify`` reads every row of the register; reading tuples in a known column order
    and turning each into its canonical text here is what keeps it fast. ``text`` is generated
    for the shape (one line per column, as ``dataclasses`` does), which halves its cost; the
    common value types are handled inline. ``booleans`` names columns a driver may hand back
    as 0 and 1 (SQLite), so they are written as booleans whatever the engine.
    """

    __slots__ = ("text",)

    def __init__(
        self, names: Sequence[str], skip: Iterable[str] = (), booleans: Iterable[str] = ()
    ) -> None:
        left_out = NOT_STATE.union(skip)
        flags = frozenset(booleans)
        keep = sorted((n, i) for i, n in enumerate(names) if n not in left_out)
        lines = ["def text(row):", "    flat = []", "    add = flat.append"]
        for name, index in keep:
            lines += [f"    v = row[{index}]", "    if v is not None:", f"        add({name!r})"]
            if name in flags:
                lines.append("        add(bool(v))")
                continue
            lines += [
                "        t = type(v)",
                "        if t is str or t is int:",
                "            add(v)",
                "        elif t is float:",
                "            add(int(v) if v.is_integer() else v)",  # as _value does
                "        else:",
                "            add(value(v))",
            ]
        lines.append("    return encode(flat)")
        namespace: dict[str, Any] = {"value": _value, "encode": _row_json}
        exec("\n".join(lines), namespace)  # noqa: S102 - code built from column names only
        self.text: Callable[[Sequence[Any]], str] = namespace["text"]


def digest(text: str) -> str:
    """SHA-256 of a text, in hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def texts_digest(texts: Iterable[str]) -> str | None:
    """One digest of a set of row texts, whatever order the database returns them in."""
    ordered = sorted(texts)
    return digest("\n".join(ordered)) if ordered else None


def rows_digest(rows: Iterable[Mapping[str, Any]]) -> str | None:
    """One digest of a set of rows, whatever order the database returns them in."""
    return texts_digest(row_text(r) for r in rows)


def state_of(
    pilot_text: str, definition_digest: str, tables: Mapping[str, Iterable[str]]
) -> dict[str, str]:
    """A pilot's state digests from canonical texts (its row, per table its rows' texts)."""
    state = {"pilot": digest(pilot_text), "definition": definition_digest}
    for name, texts in tables.items():
        found = texts_digest(texts)
        if found is not None:
            state[name] = found
    return state


def pilot_state(
    pilot: Mapping[str, Any],
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
) -> dict[str, str]:
    """The digests of a pilot's state: its row, its definition and each table's rows.

    ``tables`` maps a table name (approval, waiver, measurement, ...) to the pilot's rows in it.
    """
    return state_of(
        row_text(pilot, skip=("definition",)),
        digest(canonical_json(pilot["definition"])),
        {name: [row_text(r) for r in rows] for name, rows in tables.items()},
    )


def register_state(
    tables: Mapping[str, Iterable[Mapping[str, Any]]], pilot_ids: Iterable[str]
) -> dict[str, str]:
    """The digests of the register-wide state: its own tables and which pilots exist.

    The set of pilot ids is part of it, so a pilot deleted with its whole history is missed.
    The playbook table keeps its row ids: the newest row is the playbook in force, so their
    order is state too.
    """
    state: dict[str, str] = {}
    for name, rows in tables.items():
        keep = ("id",) if name == "playbook" else ()
        texts = [_dumps([["id", r["id"]]]) + row_text(r) for r in rows] if keep else None
        found = texts_digest(texts) if texts is not None else rows_digest(rows)
        if found is not None:
            state[name] = found
    ids = sorted(pilot_ids)
    if ids:
        state["pilots"] = digest("\n".join(ids))
    return state
