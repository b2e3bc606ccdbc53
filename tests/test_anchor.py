"""An anchor outside the database: what a privileged insider's consistent rewrite cannot hide.

Each tamper here is done the way someone with full rights on the database would do it: triggers
that guard the history switched off, hashes recomputed, heads moved, so plain ``audit verify``
finds nothing. Only the anchor, kept elsewhere, shows it. Every test runs on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, delete, select, text, update

from genai_pilots.domain.anchor import FORMAT, Anchor, BadAnchor, Head, parse_anchor
from genai_pilots.domain.audit import GENESIS, REGISTER_CHAIN, event_hash
from genai_pilots.services.events import pilot_tables, register_tables
from genai_pilots.store.engine import make_engine
from genai_pilots.store.models import EventRow, PilotRow, RegisterEventRow, RegisterRow
from tests.conftest import ENGINES, MINIMAL, Run, write
from tests.test_governance import imported

LETTER = "ontslagbrief-interne-geneeskunde"
TRIAGE = "triage-huisartsenpost"
SCRIBE = "ambient-scribe-cardiologie"

pytestmark = pytest.mark.store

__all__ = ["imported"]  # the fixture, shared with the governance tests

EVENT: Table = EventRow.__table__  # type: ignore[attr-defined]
PILOT: Table = PilotRow.__table__  # type: ignore[attr-defined]
REGISTER_EVENT: Table = RegisterEventRow.__table__  # type: ignore[attr-defined]
REGISTER: Table = RegisterRow.__table__  # type: ignore[attr-defined]


@contextmanager
def as_the_database_owner() -> Iterator[Connection]:
    """One transaction on the test's store with every trigger that guards a table off, and
    back on at the end, as a careful attacker leaves them (``store.guards`` checks them)."""
    from genai_pilots.store.guards import sqlite_triggers

    engine = make_engine(os.environ["GENAI_PILOTS_DB"])
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            names = connection.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
            for (name,) in list(names):
                connection.execute(text(f'DROP TRIGGER "{name}"'))
            yield connection
            for statement in sqlite_triggers().values():
                connection.execute(text(statement))
        else:  # the tests connect as the superuser, as an attacker with full rights would
            tables = connection.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            )
            guarded = [table for (table,) in tables]
            for table in guarded:
                connection.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
            yield connection
            for table in guarded:
                connection.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))


def rehash(connection: Connection, table: Table, chain: str, rows: list[dict[str, Any]]) -> str:
    """Give ``rows`` (a whole chain, in order) consistent hashes again; the new head hash."""
    prev = GENESIS
    key = table.c.seq if chain == REGISTER_CHAIN else table.c.id
    for row in rows:
        new = event_hash(
            prev, chain, row["seq"], row["at"], row["actor"], row["kind"], row["payload"],
            row["reason"], row["state"],
        )  # fmt: skip
        values = {"actor": row["actor"], "state": row["state"], "prev_hash": prev, "hash": new}
        where = key == (row["seq"] if chain == REGISTER_CHAIN else row["id"])
        connection.execute(update(table).where(where).values(**values))
        prev = new
    return prev


def chain_of(connection: Connection, pilot_id: str) -> list[dict[str, Any]]:
    statement = select(EVENT).where(EVENT.c.pilot_id == pilot_id).order_by(EVENT.c.seq)
    return [dict(row) for row in connection.execute(statement).mappings()]


def rewrite_history(pilot_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change a pilot's events and recompute its whole chain and head: consistent again."""
    with as_the_database_owner() as connection:
        rows = chain_of(connection, pilot_id)
        for row in rows:
            change(row)
        head = rehash(connection, EVENT, pilot_id, rows)
        connection.execute(update(PILOT).where(PILOT.c.id == pilot_id).values(head_hash=head))


def anchor(run: Run, path: Path) -> None:
    """Write an anchor file."""
    result = run("audit", "anchor", "-o", path)
    assert result.exit_code == 0, result.output


@pytest.mark.store(fast=ENGINES)
def test_an_anchor_holds_while_nothing_changed(imported: Run, tmp_path: Path) -> None:
    path = tmp_path / "anchors" / "pilots.anchor.json"
    result = imported("audit", "anchor", "-o", path)
    assert result.exit_code == 0, result.output
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT
    assert set(document["chains"]) == {
        "(register)", SCRIBE, LETTER, TRIAGE, "ggz-intake-samenvatting",
        "overdracht-verpleeghuis", "patientvragen-chatbot-thuiszorg",
        "roosterassistent-ondersteuning",
    }  # fmt: skip
    assert document["chains"][LETTER][0] == 1
    assert f"root hash: {document['root']}" in result.stdout
    assert "commit it to a git repository" in result.stdout
    assert f"pilots audit verify --anchor {path}" in result.stdout

    to_stdout = imported("audit", "anchor")
    assert to_stdout.exit_code == 0
    assert parse_anchor(to_stdout.stdout).heads == parse_anchor(path.read_text()).heads
    assert "root hash:" in to_stdout.stderr

    verified = imported("audit", "verify", "--anchor", path)
    assert verified.exit_code == 0, verified.output
    assert "all chains intact" in verified.stdout
    assert "8 anchored chains unchanged up to it" in verified.stdout
    data = json.loads(imported("audit", "verify", "--anchor", path, "--json").stdout)
    assert data["broken"] == []
    assert data["anchor"] == {
        "created": document["created"], "root": document["root"], "chains": 8, "changed": [],
        "intact": True,
    }  # fmt: skip


def test_history_added_after_the_anchor_is_fine(imported: Run, tmp_path: Path) -> None:
    path = tmp_path / "pilots.anchor.json"
    anchor(imported, path)
    assert (
        imported("approve", LETTER, "--role", "privacy_officer", "--by", "M. de Vries").exit_code
        == 0
    )
    assert imported("pause", TRIAGE, "--reason", "evaluatie").exit_code == 0
    assert imported("import", write(tmp_path / "new" / "minimal.yaml", MINIMAL)).exit_code == 0
    result = imported("audit", "verify", "--anchor", path)
    assert result.exit_code == 0, result.output
    assert imported("audit", "verify", LETTER, "--anchor", path).exit_code == 0
    assert imported("audit", "verify", "minimal-pilot", "--anchor", path).exit_code == 0


@pytest.mark.store(fast=ENGINES)
def test_a_consistent_rewrite_passes_verify_but_not_the_anchor(
    imported: Run, tmp_path: Path
) -> None:
    assert (
        imported("approve", LETTER, "--role", "privacy_officer", "--by", "M. de Vries").exit_code
        == 0
    )
    path = tmp_path / "pilots.anchor.json"
    anchor(imported, path)

    def blame_someone_else(row: dict[str, Any]) -> None:
        if row["seq"] == 2:
            row["actor"] = "iemand anders"

    rewrite_history(LETTER, blame_someone_else)
    plain = imported("audit", "verify")
    assert plain.exit_code == 0, plain.output  # consistent with itself: only the anchor can tell
    result = imported("audit", "verify", "--anchor", path)
    assert result.exit_code == 1
    assert f"broken {LETTER} at event #2: this is not the event anchored on " in result.stdout
    assert "the history up to the anchor was rewritten" in result.stdout
    assert "1 of 8 anchored chains differ from it" in result.stdout
    assert SCRIBE not in result.stdout
    data = json.loads(imported("audit", "verify", "--anchor", path, "--json").stdout)
    assert [(b["pilot"], b["event"]) for b in data["broken"]] == [(LETTER, 2)]
    assert data["anchor"]["changed"] == [LETTER]
    assert data["anchor"]["intact"] is False
    assert imported("audit", "verify", LETTER, "--anchor", path).exit_code == 1
    assert imported("audit", "verify", SCRIBE, "--anchor", path).exit_code == 0


def test_a_rollback_below_the_anchor_is_caught(imported: Run, tmp_path: Path) -> None:
    with as_the_database_owner() as connection:
        [before] = [
            dict(r)
            for r in connection.execute(select(PILOT).where(PILOT.c.id == TRIAGE)).mappings()
        ]
    assert imported("pause", TRIAGE, "--reason", "evaluatie", "--by", "R. Bakker").exit_code == 0
    assert imported("resume", TRIAGE, "--reason", "door", "--by", "R. Bakker").exit_code == 0
    path = tmp_path / "pilots.anchor.json"
    anchor(imported, path)
    # Undo the pause and the resume: their events gone, the pilot row as it was, its head moved.
    with as_the_database_owner() as connection:
        connection.execute(delete(EVENT).where(EVENT.c.pilot_id == TRIAGE, EVENT.c.seq > 1))
        connection.execute(update(PILOT).where(PILOT.c.id == TRIAGE).values(**before))
    assert imported("audit", "verify").exit_code == 0
    result = imported("audit", "verify", "--anchor", path)
    assert result.exit_code == 1
    assert f"broken {TRIAGE} at event #3: the event anchored on " in result.stdout
    assert "is gone: the history was cut back or removed after the anchor" in result.stdout


def test_a_pilot_deleted_whole_with_the_register_chain_rewritten_is_caught(
    imported: Run, tmp_path: Path
) -> None:
    path = tmp_path / "pilots.anchor.json"
    anchor(imported, path)
    from genai_pilots.domain.state import register_state

    with as_the_database_owner() as connection:
        for table in (*pilot_tables(), EVENT):
            connection.execute(delete(table).where(table.c.pilot_id == TRIAGE))
        connection.execute(delete(PILOT).where(PILOT.c.id == TRIAGE))
        # The register chain fixes which pilots exist: record the smaller set, rehash, move.
        ids = [pid for (pid,) in connection.execute(select(PILOT.c.id))]
        rows = {t.name: [dict(r) for r in connection.execute(select(t)).mappings()]
                for t in register_tables()}  # fmt: skip
        chain = [
            dict(r)
            for r in connection.execute(
                select(REGISTER_EVENT).order_by(REGISTER_EVENT.c.seq)
            ).mappings()
        ]
        chain[-1]["state"] = register_state(rows, ids)
        head = rehash(connection, REGISTER_EVENT, REGISTER_CHAIN, chain)
        connection.execute(update(REGISTER).values(head_hash=head))
    plain = imported("audit", "verify")
    assert plain.exit_code == 0, plain.output
    result = imported("audit", "verify", "--anchor", path)
    assert result.exit_code == 1
    assert f"broken {TRIAGE} at event #1: the event anchored on " in result.stdout
    assert "broken (register) at event #1: this is not the event anchored on" in result.stdout


def test_a_broken_history_is_never_anchored(imported: Run, tmp_path: Path) -> None:
    with as_the_database_owner() as connection:
        connection.execute(
            update(EVENT).where(EVENT.c.pilot_id == LETTER).values(actor="iemand anders")
        )
    path = tmp_path / "pilots.anchor.json"
    result = imported("audit", "anchor", "-o", path)
    assert result.exit_code == 1
    assert f"broken {LETTER} at event #1: its content was changed" in result.stderr
    assert "not anchored: 1 chains are broken" in result.stderr
    assert result.stdout == ""
    assert not path.exists()


def test_an_unusable_anchor_file_is_refused_in_one_line(imported: Run, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    anchor(imported, good)
    text_ = good.read_text(encoding="utf-8")
    document = json.loads(text_)
    cases = {
        "its root hash does not match its contents: the file was edited": text_.replace(
            f'[1, "{document["chains"][LETTER][1]}"]', f'[1, "{"0" * 64}"]'
        ),
        "its root hash does not match its contents": text_.replace(
            '"created": "20', '"created": "19'
        ),
        "not JSON (line 1, column 1": "this is not json",
        'not an anchor file: it does not say "format"': json.dumps({"chains": {}}),
        "its field 'chains' is missing": json.dumps(
            {"format": FORMAT, "created": document["created"]}
        ),
        "its fields are damaged": text_.replace(f'"{LETTER}": [1,', f'"{LETTER}": [-1,'),
    }
    for problem, content in cases.items():
        bad = write(tmp_path / "bad.json", content)
        result = imported("audit", "verify", "--anchor", bad)
        assert result.exit_code == 2, (problem, result.output)
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"error: anchor file {bad}: {problem}"), (problem, first)
        assert "Traceback" not in result.output
    missing = imported("audit", "verify", "--anchor", tmp_path / "nowhere.json")
    assert missing.exit_code == 2
    assert "nowhere.json: it does not exist" in missing.stderr
    binary = write(tmp_path / "binary.json", b"\xff\xfe\x00")
    assert (
        "not an anchor file (not UTF-8 text)"
        in imported("audit", "verify", "--anchor", binary).stderr
    )


@pytest.mark.store(engines=("sqlite",))
def test_the_root_hash_covers_the_moment_and_every_head() -> None:
    moment = dt.datetime(2026, 11, 30, 9, 0, 1, 500, tzinfo=dt.UTC)
    heads = {"a": Head(2, "1" * 64), "(register)": Head(0, GENESIS)}
    made = Anchor(moment, heads)
    assert parse_anchor(made.as_json()) == Anchor(moment.replace(microsecond=0), heads)
    assert made.root != Anchor(moment + dt.timedelta(seconds=1), heads).root
    assert made.root != Anchor(moment, {**heads, "a": Head(1, "1" * 64)}).root
    assert made.root != Anchor(moment, {"a": Head(2, "1" * 64)}).root
    with pytest.raises(BadAnchor, match="has no time zone"):
        parse_anchor(made.as_json().replace("+00:00", ""))
