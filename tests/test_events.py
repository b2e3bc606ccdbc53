"""Event kinds are named once: each is its stored text, the sets hold, payloads keep their shape."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel.sql.sqltypes import AutoString

from genai_pilots.domain.audit import canonical_json
from genai_pilots.domain.events import (
    ENDING,
    ENTERING,
    GOVERNANCE,
    MOVES,
    STAGE,
    Advance,
    Created,
    EventKind,
    Imported,
    Measured,
    PauseChanged,
    Payload,
    Retracted,
    ReviewCompleted,
    ReviewNeeded,
    TrainingErased,
    TrainingRecorded,
    Waived,
)
from genai_pilots.domain.measurements import Measurement
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


def test_payloads_keep_the_shape_every_release_stored() -> None:
    # canonical_json is what the hash covers; the key order is what the JSON column holds.
    day = dt.date(2026, 5, 1)
    shapes: list[tuple[Payload, str, str]] = [
        (Created("start-klein"), "created", '{"stage":"start-klein"}'),
        (
            Imported("a.yaml", "skills", None),
            "imported",
            '{"action":"create","outcome":null,"source":"a.yaml","stage":"skills"}',
        ),
        (
            Advance(EventKind.OVERRIDE, "skills", "synthetic-data", None, (3, 4), ["x"], ["y"]),
            "override",
            '{"failing":["x"],"from":"skills","gate":"3/4","outcome":null,'
            '"to":"synthetic-data","weaker_playbook":["y"]}',
        ),
        (
            Advance(EventKind.ENDED, "bijsturen", None, "stopped", (2, 2)),
            "ended",
            '{"from":"bijsturen","gate":"2/2","outcome":"stopped","to":null}',
        ),
        (
            PauseChanged(False, "skills", "Investeer"),
            "resumed",
            '{"label":"Investeer","stage":"skills"}',
        ),
        (
            Waived("governance", "fria", day, None),
            "waived",
            '{"criterion":"fria","role":null,"stage":"governance","until":"2026-05-01"}',
        ),
        (
            ReviewNeeded(["governance.dpia"], [("cmio", "A")], []),
            "governance-review-needed",
            '{"fields":["governance.dpia"],"superseded_approvals":[["cmio","A"]],'
            '"superseded_waivers":[]}',
        ),
        (ReviewCompleted((5, 5)), "governance-review-completed", '{"gate":"5/5"}'),
        (
            Measured("csv", [Measurement("k", day, 4.0, None, "n")], "kliniek", skipped=2),
            "measured",
            '{"rows":[["k","2026-05-01",4.0,"kliniek","n"]],"skipped":2,"source":"csv"}',
        ),
        (
            Measured("yaml", [], "kliniek", replaced=True),
            "measurements-replaced",
            '{"rows":[],"source":"yaml"}',
        ),
        (
            Retracted("k", day, 4.0, "kliniek", "cli"),
            "retracted",
            '{"date":"2026-05-01","kpi":"k","setting":"kliniek","source":"cli","value":4.0}',
        ),
        (  # counts, courses and days: never a person (the ledger holds them; erasure deletes)
            TrainingRecorded("csv", 3, 2, {"AI": 2, "Spraak": 1}, day, day, skipped=1),
            "training-recorded",
            '{"courses":{"AI":2,"Spraak":1},"first":"2026-05-01","last":"2026-05-01",'
            '"people":2,"rows":3,"skipped":1,"source":"csv"}',
        ),
        (TrainingErased(2, {"AI": 2}), "training-erased", '{"courses":{"AI":2},"rows":2}'),
    ]
    for payload, kind, stored in shapes:
        assert payload.kind == kind
        assert canonical_json(payload.as_payload()) == stored
    advance = Advance(EventKind.ADVANCED, "skills", "synthetic-data", None, (4, 4))
    assert list(advance.as_payload()) == ["from", "to", "outcome", "gate"]
