"""The fast pass of ``audit verify`` and ``db check``: driver only, and never a softer verdict."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from genai_pilots.services.audit import verify
from genai_pilots.services.audit_pass import check_quickly, verify_quickly
from genai_pilots.services.events import pilot_tables, register_tables
from genai_pilots.services.transactions import open_store
from genai_pilots.store import layout
from genai_pilots.store.driver import open_reader
from genai_pilots.store.engine import make_engine
from genai_pilots.store.migrate import upgrade
from genai_pilots.store.models import metadata
from tests.conftest import EXAMPLES, Run, drop_guards, restore_guards, sql, tamper
from tests.test_startup import PROBE

DATABASE_STACK = ("sqlalchemy", "sqlmodel", "alembic")


def test_the_layout_is_the_models() -> None:
    """The driver's description of the tables cannot drift from the models it stands in for."""
    kinds = {"JSON": "json", "DateTime": "moment", "Date": "day", "Boolean": "flag"}
    from_models = {
        table.name: tuple((c.name, kinds.get(type(c.type).__name__, "plain")) for c in table.c)
        for table in metadata.sorted_tables
    }
    assert from_models == layout.COLUMNS
    assert layout.PILOT_TABLES == tuple(t.name for t in pilot_tables())
    assert layout.REGISTER_TABLES == tuple(t.name for t in register_tables())


@pytest.mark.store
def test_an_intact_register_is_proven_without_the_database_stack(store_url: str, run: Run) -> None:
    assert run("import", str(EXAMPLES), "--db", store_url).exit_code == 0
    for args, verdict in (
        (["audit", "verify"], "events checked: all chains intact"),
        (["db", "check"], "events): ok"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(args=[*args, "--db", store_url],
                                                heavy=DATABASE_STACK)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert verdict in result.stdout, result.stdout + result.stderr
        assert result.stdout.splitlines()[-1] == "HEAVY:", result.stdout


@pytest.mark.store
def test_the_fast_pass_proves_what_the_full_check_proves_and_nothing_more(
    store_url: str, run: Run
) -> None:
    """Forked or not, the fast pass counts what the full check counts; after an edit behind
    the tool's back it gives no verdict at all, and the full path names the edit."""
    assert run("import", str(EXAMPLES), "--db", store_url).exit_code == 0
    full = verify(open_store(store_url), workers=1)
    for workers in (1, 2):
        fast = verify_quickly(store_url, workers=workers)
        assert fast is not None
        assert (fast.pilots, fast.events, fast.broken) == (full.pilots, full.events, [])
    assert check_quickly(store_url) is not None
    tamper("UPDATE pilot SET risk_class = 'minimal'", url=store_url)
    assert verify_quickly(store_url, workers=2) is None
    assert check_quickly(store_url) is None
    for args in (["audit", "verify"], ["db", "check"]):
        result = run(*args, "--db", store_url)
        assert result.exit_code == 1
        assert "pilot.risk_class was changed directly" in result.stdout


@pytest.mark.store
def test_a_changed_register_row_is_left_to_the_full_path(store_url: str, run: Run) -> None:
    assert run("import", str(EXAMPLES), "--db", store_url).exit_code == 0
    assert verify_quickly(store_url) is not None
    tamper("DELETE FROM playbook", url=store_url)  # nothing there: add one behind its back
    sql(
        "INSERT INTO playbook (name, source, set_by, set_at) VALUES "
        "('leeg', 'name: leeg', 'iemand', '2026-01-01 09:00:00')",
        url=store_url,
    )
    assert verify_quickly(store_url) is None
    result = run("audit", "verify", "--db", store_url)
    assert result.exit_code == 1
    assert "(register) at event" in result.stdout
    assert "rows of the playbook table were changed" in result.stdout


def test_the_driver_opens_only_what_is_plainly_a_current_store(tmp_path: Path) -> None:
    """Anything else goes the ordinary way, which creates, migrates or explains; the fast
    path itself never creates a file."""
    missing = tmp_path / "typo" / "pilots.db"
    for url in (f"sqlite:///{missing}", "sqlite://", "sqlite:///:memory:", "mysql://x/y",
                f"sqlite:///{tmp_path}?mode=rw"):  # fmt: skip
        with open_reader(url) as reader:
            assert reader is None, url
        assert verify_quickly(url) is None
    assert not missing.parent.exists()
    old = tmp_path / "old.db"
    upgrade(make_engine(f"sqlite:///{old}"), "0006_people")
    with open_reader(f"sqlite:///{old}") as reader:
        assert reader is None
    assert verify_quickly(f"sqlite:///{old}") is None


def test_rows_that_belong_to_no_pilot_are_named_on_every_path(run: Run, store_url: str) -> None:
    """Rows of a pilot's tables with no pilot id, or another pilot's id, are edits the checks
    name, however the register is split between processes (red-team finding)."""
    assert run("import", str(EXAMPLES)).exit_code == 0
    drop_guards(url=store_url)
    connection = sqlite3.connect(store_url.removeprefix("sqlite:///"), isolation_level=None)
    connection.executescript(
        "PRAGMA foreign_keys = OFF;"
        "INSERT INTO approval (pilot_id, stage, role, by, at) VALUES ('Triage-huisartsenpost',"
        " 'governance', 'privacy_officer', 'M. de Vries', '2026-11-30 10:00:00.000000');"
        "PRAGMA writable_schema = ON;"
        "UPDATE sqlite_master SET sql = replace(sql, 'pilot_id VARCHAR(80) NOT NULL',"
        " 'pilot_id VARCHAR(80)') WHERE name = 'event';"
        "PRAGMA writable_schema = OFF;"
    )
    connection.close()
    connection = sqlite3.connect(store_url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute(
        "INSERT INTO event (pilot_id, seq, at, actor, kind, payload, reason, prev_hash, hash)"
        " VALUES (NULL, 1, '2026-01-01 00:00:00.000000', 'mallory', 'imported', '{}', NULL,"
        " 'x', 'y')"
    )
    connection.close()
    restore_guards(url=store_url)
    for workers in (1, 2):
        assert verify_quickly(store_url, workers=workers) is None
    for args in (["audit", "verify"], ["db", "check"]):
        result = run(*args, "--db", store_url)
        assert result.exit_code == 1, result.output
        assert (
            "broken Triage-huisartsenpost at event #0: rows of the approval table for a pilot"
            in (result.stdout)
        )
        assert "broken (event table) at event #0: events without a pilot id (None): added" in (
            result.stdout
        )
    report = verify(open_store(store_url), workers=2)
    assert [b.pilot_id for b in report.broken] == ["Triage-huisartsenpost", "(event table)"]


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@/pilots#x",  # SQLAlchemy reads the database as pilots#x
        "postgresql+psycopg://u:p@ss@host/db",  # and the host as ss@host
        "postgresql+psycopg://h:notaport/x",
        "postgresql+psycopg://[::1]/x",
        "postgresql+psycopg://u@h/db%2Fother",
    ],
)
def test_the_driver_leaves_urls_sqlalchemy_might_read_otherwise_alone(url: str) -> None:
    with open_reader(url) as reader:
        assert reader is None
