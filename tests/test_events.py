"""Event kinds are named once: each is its stored text, and the named sets hold together."""

from __future__ import annotations

import json

from sqlmodel.sql.sqltypes import AutoString

from genai_pilots.domain.audit import canonical_json
from genai_pilots.domain.events import ENDING, ENTERING, GOVERNANCE, MOVES, STAGE, EventKind
from genai_pilots.store.models import metadata


def test_a_kind_is_stored_and_hashed_as_its_text() -> None:
    for kind in EventKind:
        assert str(kind) == kind.value
        assert json.dumps(kind) == json.dumps(kind.value)
        assert canonical_json({"kind": kind}) == canonical_json({"kind": kind.value})
        assert kind.value in {kind} and kind in {kind.value}


def test_every_kind_fits_the_kind_columns() -> None:
    for table in ("event", "register_event"):
        column_type = metadata.tables[table].c.kind.type
        assert isinstance(column_type, AutoString) and column_type.length is not None
        width = column_type.length
        assert all(len(kind) <= width for kind in EventKind)


def test_the_events_that_end_a_pilot_are_the_ones_every_reader_used() -> None:
    # Spelled out once in domain.metrics, services.metrics and services.exporting before.
    assert ENDING == {"advanced", "override", "ended", "decided"}
    assert STAGE == {"imported", "created", "stage-claimed", *ENDING}
    assert ENTERING | MOVES <= STAGE
    assert GOVERNANCE.isdisjoint(ENTERING)
