"""Migrations: one head, up and down, models in sync, data kept, and found by a real install.

Every test here runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import inspect

from genai_pilots.services.audit_pass import pilot_ids, prove_all, read_register, with_register
from genai_pilots.store.driver import open_reader
from genai_pilots.store.engine import make_engine
from genai_pilots.store.migrate import (
    HEAD,
    current_revision,
    downgrade,
    heads,
    known_revisions,
    upgrade,
)
from tests.conftest import ENGINES, EXAMPLES, REPO, SCRIBE_TRAINED, Run, sql

FIRST = "0001_initial"
TABLES = {
    "pilot", "event", "approval", "measurement", "waiver", "playbook", "register_setting",
    "training", "synthetic_evaluation",
}  # fmt: skip


def tables(url: str) -> set[str]:
    with make_engine(url).connect() as connection:
        return set(inspect(connection).get_table_names())


def test_exactly_one_head_and_it_is_the_code_constant() -> None:
    assert heads() == [HEAD]
    assert FIRST in known_revisions()


@pytest.mark.store
def test_base_to_head_to_base(empty_store_url: str) -> None:
    engine = make_engine(empty_store_url)
    upgrade(engine)
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD
    assert tables(empty_store_url) >= TABLES
    downgrade(engine, "base")
    assert tables(empty_store_url) == {"alembic_version"}
    upgrade(engine)
    assert tables(empty_store_url) >= TABLES


@pytest.mark.store
def test_models_match_the_migrations(empty_store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from genai_pilots.store.models import metadata

    engine = make_engine(empty_store_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


@pytest.mark.store
def test_upgrading_a_store_from_the_first_revision_keeps_its_data(
    empty_store_url: str, run: Run, engine: str
) -> None:
    upgrade(make_engine(empty_store_url), FIRST)
    sql(
        "INSERT INTO pilot (id, name, setting, department, owner_name, owner_email, stage,"
        " paused, definition, definition_hash, created_at, last_activity_at,"
        " stage_entered_at, head_hash) VALUES ('oud', 'Oude pilot', 'kliniek', 'Chirurgie',"
        ' \'A\', \'a@example.org\', \'start-klein\', false, \'{"id": "oud", "name": "Oude pilot",'
        ' "setting": "kliniek", "department": "Chirurgie", "owner": {"name": "A",'
        " \"email\": \"a@example.org\"}}', 'x', '2025-01-01 00:00:00', '2025-01-01 00:00:00',"
        " '2025-01-01 00:00:00', '" + "0" * 64 + "')",
        url=empty_store_url,
    )
    if engine == "postgresql":  # a shared store is migrated by its administrator, on purpose
        refused = run("status", "--db", empty_store_url)
        assert refused.exit_code == 2
        assert refused.stderr.startswith(
            f"error: the store is at schema revision {FIRST}; this version of genai-pilots "
            f"needs {HEAD}"
        )
        assert "runs `pilots db upgrade`" in refused.stderr
        assert run("db", "upgrade", "--db", empty_store_url).exit_code == 0
    result = run("status", "--json", "--db", empty_store_url)
    assert result.exit_code == 0, result.output
    assert '"id": "oud"' in result.stdout
    with make_engine(empty_store_url).connect() as connection:
        assert current_revision(connection) == HEAD
    assert sql("SELECT iterations, review_since FROM pilot", url=empty_store_url) == [(0, None)]


@pytest.mark.store
def test_a_store_from_a_newer_version_is_refused(empty_store_url: str, run: Run) -> None:
    upgrade(make_engine(empty_store_url))
    sql("UPDATE alembic_version SET version_num = '9999_future'", url=empty_store_url)
    result = run("status", "--db", empty_store_url)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: the store is at schema revision 9999_future, written by a newer genai-pilots"
    )
    assert "upgrade genai-pilots" in result.stderr


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        timeout=300,
    )
    [built] = out.glob("genai_pilots-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_the_migrations_and_package_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "genai_pilots/migrations/env.py" in names
    for revision in known_revisions():
        assert f"genai_pilots/migrations/versions/{revision}.py" in names
    assert "genai_pilots/data/default-playbook.yaml" in names
    assert "genai_pilots/data/report.html.j2" in names
    assert "genai_pilots/data/vendor/chart.umd.min.js" in names
    for name in ("v1_0.json", "LICENSE.md", "README.md"):
        assert f"genai_pilots/data/algoritmeregister/{name}" in names
    # the Dutch catalog, compiled by the build hook (the .po is the source, the .mo is read)
    assert "genai_pilots/locale/nl/LC_MESSAGES/genai_pilots.mo" in names


@pytest.mark.slow
def test_a_non_editable_install_finds_its_migrations(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
         str(wheel)],
        check=True,
        timeout=300,
    )  # fmt: skip
    probe = (
        "import genai_pilots, sys;"
        "from genai_pilots.store.migrate import migrations_dir;"
        "print(genai_pilots.__file__); print(migrations_dir());"
        "from genai_pilots.cli import main; sys.argv = ['pilots', *sys.argv[1:]]; main()"
    )
    env = {
        "PYTHONPATH": str(target),
        "GENAI_PILOTS_HOME": str(tmp_path / "home"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe, "import", str(EXAMPLES)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    package_file, migrations, *output = result.stdout.splitlines()
    assert package_file.startswith(str(target))
    assert migrations == str(target / "genai_pilots" / "migrations")
    assert output[-1] == "imported: 7 created, 0 updated, 0 unchanged"
    dutch = subprocess.run(
        [sys.executable, "-c", probe, "--lang", "nl", "gate", "ambient-scribe-cardiologie"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert "Een scholingsplan voor AI-geletterdheid" in dutch.stdout, dutch.stdout + dutch.stderr


def _old_event(
    pilot: str, seq: int, prev: str, kind: str, payload: dict[str, object]
) -> tuple[str, str]:
    """An event as a release before schema 0004 wrote it (no state), its hash computed."""
    import datetime as dt
    import json

    from genai_pilots.domain.audit import event_hash

    at = dt.datetime(2026, 1, seq, 9, 0, tzinfo=dt.UTC)
    digest = event_hash(prev, pilot, seq, at, "innovatie", kind, payload, None)
    sql_payload = json.dumps(payload).replace("'", "''")
    return (
        "INSERT INTO event (pilot_id, seq, at, actor, kind, payload, reason, prev_hash, hash) "
        f"VALUES ('{pilot}', {seq}, '2026-01-0{seq} 09:00:00', 'innovatie', '{kind}', "
        f"'{sql_payload}', NULL, '{prev}', '{digest}')"
    ), digest


@pytest.mark.store
def test_a_populated_store_from_before_the_state_digests_upgrades_and_verifies(
    empty_store_url: str, run: Run, engine: str
) -> None:
    """Pilots, events, approvals, waivers, measurements and a playbook written at 0003: after
    the upgrade every chain still verifies, and a direct edit is then caught."""
    from genai_pilots.domain.audit import GENESIS

    upgrade(make_engine(empty_store_url), "0003_bijsturen")
    definition = (
        '{"id": "oud", "name": "Oude pilot", "setting": "kliniek", "department": "Chirurgie",'
        ' "owner": {"name": "A", "email": "a@example.org"}, "stage": "governance",'
        ' "start_klein": {"kpis": [{"id": "k", "name": "K", "unit": "min", "baseline": 10,'
        ' "target": 5, "direction": "lower"}]}}'
    )
    first, h1 = _old_event(
        "oud", 1, GENESIS, "imported", {"action": "create", "stage": "governance"}
    )
    second, h2 = _old_event("oud", 2, h1, "approved", {"stage": "governance", "role": "cmio"})
    third, h3 = _old_event(
        "oud",
        3,
        h2,
        "measured",
        {"source": "cli", "rows": [["k", "2026-01-02", 9.0, "kliniek", None]]},
    )
    sql(
        "INSERT INTO pilot (id, name, setting, department, owner_name, owner_email, stage,"
        " paused, definition, definition_hash, created_at, last_activity_at, stage_entered_at,"
        f" head_hash, iterations) VALUES ('oud', 'Oude pilot', 'kliniek', 'Chirurgie', 'A',"
        f" 'a@example.org', 'governance', false, '{definition}', 'x', '2026-01-01 09:00:00',"
        f" '2026-01-03 09:00:00', '2026-01-01 09:00:00', '{h3}', 0);"
        f"{first}; {second}; {third};"
        "INSERT INTO approval (pilot_id, stage, role, by, at) VALUES ('oud', 'governance',"
        " 'cmio', 'innovatie', '2026-01-02 09:00:00');"
        "INSERT INTO measurement (pilot_id, kpi, date, value, setting, recorded_at, actor, source)"
        " VALUES ('oud', 'k', '2026-01-02', 9.0, 'kliniek', '2026-01-03 09:00:00', 'innovatie',"
        " 'cli');"
        "INSERT INTO playbook (name, source, set_by, set_at) VALUES ('eigen',"
        " 'name: eigen\nextends: default\ngates: {}\n', 'kwaliteit', '2026-01-01 09:00:00')",
        url=empty_store_url,
    )
    if engine == "postgresql":
        assert run("db", "upgrade", "--db", empty_store_url).exit_code == 0
    result = run("audit", "verify", "--db", empty_store_url)
    assert result.exit_code == 0, result.output
    assert "1 pilots, 5 events checked: all chains intact" in result.stdout
    with make_engine(empty_store_url).connect() as connection:
        assert current_revision(connection) == HEAD
    with open_reader(empty_store_url) as reader:  # the fast pass leaves older forms to it
        assert reader is not None
        passed = with_register(
            prove_all(empty_store_url, reader, workers=1),
            read_register(reader),
            pilot_ids(reader),
        )
    assert (passed.pilots, passed.events, passed.broken, passed.again) == (1, 5, [], ["oud"])
    kinds = [e["kind"] for e in __import__("json").loads(
        run("history", "oud", "--json", "--db", empty_store_url).stdout)["events"]]  # fmt: skip
    assert kinds == ["imported", "approved", "measured", "state-sealed"]
    assert run("playbook", "show", "--db", empty_store_url).stdout.startswith(
        "eigen (stored in the register by kwaliteit"
    )
    sql("UPDATE measurement SET value = 1", url=empty_store_url)
    sql("UPDATE playbook SET set_by = 'iemand'", url=empty_store_url)
    broken = run("audit", "verify", "--db", empty_store_url)
    assert broken.exit_code == 1
    assert "broken oud at event #4: rows of the measurement table were changed" in broken.stdout
    assert "broken (register) at event #1: rows of the playbook table were changed" in broken.stdout


@pytest.mark.store
def test_a_populated_store_at_0004_upgrades_to_append_only_history(
    empty_store_url: str, run: Run, engine: str
) -> None:
    """Pilots, events, an approval and a waiver at 0004: they upgrade, verify, and are guarded."""
    import datetime as dt

    from sqlalchemy.exc import DBAPIError

    url = empty_store_url
    soon = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    upgrade(make_engine(url))
    assert run("import", EXAMPLES, "--by", "innovatie", "--db", url).exit_code == 0
    waived = run("waive", "triage-huisartsenpost", "high-risk-logs", "--until", soon,
                 "--reason", "x", "--role", "cmio", "--by", "Dr. CMIO", "--db", url)  # fmt: skip
    assert waived.exit_code == 0, waived.output
    approved = run("approve", "triage-huisartsenpost", "--role", "cmio", "--by", "Dr. CMIO",
                   "--db", url)  # fmt: skip
    assert approved.exit_code == 0, approved.output
    downgrade(make_engine(url), "0004_controls")
    sql("UPDATE event SET actor = actor", url=url)  # no triggers at 0004
    if engine == "postgresql":
        assert run("db", "upgrade", "--db", url).exit_code == 0
    result = run("audit", "verify", "--db", url)  # SQLite upgrades itself on first use
    assert result.exit_code == 0, result.output
    with make_engine(url).connect() as connection:
        assert current_revision(connection) == HEAD
    with pytest.raises(DBAPIError, match="event is append-only"):
        sql("UPDATE event SET actor = 'iemand' WHERE seq = 1", url=url)
    with pytest.raises(DBAPIError, match="approval is append-only"):
        sql("DELETE FROM approval", url=url)


@pytest.mark.store(fast=ENGINES)
def test_a_populated_store_at_0008_upgrades_to_the_training_ledger(
    empty_store_url: str, run: Run, engine: str, tmp_path: Path
) -> None:
    """A register the previous release (0008) filled: pilots, approvals, evidence, an incident
    and a measurement. After the upgrade every chain verifies as it was, the ledger starts
    empty (the scribe's skills gate counts nobody yet), takes trainings, and an edit of it by
    SQL is caught."""
    from genai_pilots.store.engine import dispose_engines

    url = empty_store_url
    scribe = "ambient-scribe-cardiologie"
    # 0009 changes none of the earlier tables, so the rows this release writes to them are the
    # ones the previous release wrote; then the schema goes back to 0008
    upgrade(make_engine(url))
    for args in (
        ("import", EXAMPLES, "--by", "innovatie"),
        ("approve", "triage-huisartsenpost", "--role", "cmio", "--by", "Dr. CMIO"),
        ("evidence", "add", scribe, "dpia", "https://dms.zorg.example/dpia.pdf", "--stage",
         "governance"),
        ("incident", "add", scribe, "--summary", "verkeerde dosering", "--occurred",
         "2026-11-01", "--aware", "2026-11-02"),
        ("measure", scribe, "documentatietijd", "10", "--date", "2026-10-01"),
    ):  # fmt: skip
        result = run(*args, "--db", url)
        assert result.exit_code == 0, result.output
    before = run("audit", "verify", "--db", url).stdout
    downgrade(make_engine(url), "0008_post_market")
    dispose_engines()
    assert "training" not in tables(url)
    if engine == "postgresql":
        assert run("status", "--db", url).exit_code == 2  # migrated by its administrator only
        assert run("db", "upgrade", "--db", url).exit_code == 0
    result = run("audit", "verify", "--db", url)  # SQLite upgrades itself on first use
    assert result.exit_code == 0, result.output
    assert result.stdout == before
    with make_engine(url).connect() as connection:
        assert current_revision(connection) == HEAD
    gate = run("gate", scribe, "--db", url)
    assert gate.exit_code == 1
    assert "0 of 6 trained in the register = 0% (needs 80%)" in gate.stdout
    export = tmp_path / "leerplatform.csv"
    export.write_text(SCRIBE_TRAINED, encoding="utf-8")
    trained = run("training", "import", scribe, export, "--db", url)
    assert trained.exit_code == 0, trained.output
    assert run("gate", scribe, "--db", url).exit_code == 0
    assert run("audit", "verify", "--db", url).stdout.endswith("all chains intact\n")
    sql("UPDATE training SET course = 'niets' WHERE person = 'L. Brouwer'", url=url)
    broken = run("audit", "verify", "--db", url)
    assert broken.exit_code == 1
    assert f"broken {scribe} at event #5: rows of the training table were changed" in (
        broken.stdout
    )


@pytest.mark.store(fast=ENGINES)
def test_a_populated_store_at_0009_upgrades_to_synthetic_evaluations(
    empty_store_url: str, run: Run, engine: str, tmp_path: Path
) -> None:
    """A register the previous release (0009) filled, trainings included. After the upgrade
    every chain verifies as it was, the new table starts empty, takes an evaluation, and an
    edit of it by SQL is caught."""
    from genai_pilots.store.engine import dispose_engines

    url = empty_store_url
    scribe, planning = "ambient-scribe-cardiologie", "opnameplanning-kliniek"
    export = tmp_path / "leerplatform.csv"
    export.write_text(SCRIBE_TRAINED, encoding="utf-8")
    upgrade(make_engine(url))
    for args in (
        ("import", EXAMPLES, EXAMPLES / "synthetic" / f"{planning}.yaml", "--by", "innovatie"),
        ("approve", "triage-huisartsenpost", "--role", "cmio", "--by", "Dr. CMIO"),
        ("training", "import", scribe, export),
        ("measure", scribe, "documentatietijd", "10", "--date", "2026-10-01"),
    ):  # fmt: skip
        result = run(*args, "--db", url)
        assert result.exit_code == 0, result.output
    before = run("audit", "verify", "--db", url).stdout
    downgrade(make_engine(url), "0009_training")
    dispose_engines()
    assert "synthetic_evaluation" not in tables(url) and "training" in tables(url)
    if engine == "postgresql":
        assert run("db", "upgrade", "--db", url).exit_code == 0
    result = run("audit", "verify", "--db", url)
    assert result.exit_code == 0, result.output
    assert result.stdout == before
    with make_engine(url).connect() as connection:
        assert current_revision(connection) == HEAD
    assert run("gate", planning, "--db", url).exit_code == 1  # opnames: not evaluated
    files = EXAMPLES / "synthetic"
    evaluated = run("synth", "evaluate", planning, "opnames", "--real", files / "opnames-echt.csv",
                    "--synthetic", files / "opnames-synthetisch.csv", "--db", url)  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    assert run("gate", planning, "--db", url).exit_code == 0
    assert run("audit", "verify", "--db", url).stdout.endswith("all chains intact\n")
    sql("UPDATE synthetic_evaluation SET quality = 1.0", url=url)
    broken = run("audit", "verify", "--db", url)
    assert broken.exit_code == 1
    assert f"broken {planning} at event #2: rows of the synthetic_evaluation table" in broken.stdout


@pytest.mark.store(fast=ENGINES)
def test_a_store_with_evaluations_at_0010_upgrades_and_asks_them_again(
    empty_store_url: str, run: Run, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An evaluation the previous release (0010) recorded: no near copies counted, no
    declaration fingerprinted. After the upgrade every chain verifies as it was; the gate no
    longer counts that evaluation, and says why, until the dataset is evaluated again."""
    from genai_pilots.domain.synthetic import Copies, copies
    from genai_pilots.services import synthetic
    from genai_pilots.store.engine import dispose_engines

    url, planning = empty_store_url, "opnameplanning-kliniek"
    files = EXAMPLES / "synthetic"
    evaluate = ("synth", "evaluate", planning, "opnames", "--real", files / "opnames-echt.csv",
                "--synthetic", files / "opnames-synthetisch.csv", "--db", url)  # fmt: skip
    upgrade(make_engine(url))
    assert (
        run("import", files / f"{planning}.yaml", "--by", "innovatie", "--db", url).exit_code == 0
    )
    with monkeypatch.context() as as_0010:  # what 0010 stored: exactly these columns, no others
        as_0010.setattr(synthetic, "declaration", lambda item: None)
        as_0010.setattr(synthetic, "copies", lambda r, s: Copies(copies(r, s).exact, None))
        assert run(*evaluate).exit_code == 1  # recorded; today's gate would not count it
    before = run("audit", "verify", "--db", url).stdout
    downgrade(make_engine(url), "0010_synthetic")
    dispose_engines()
    columns = {c["name"] for c in inspect(make_engine(url)).get_columns("synthetic_evaluation")}
    assert "near_copies" not in columns and "declared_sha256" not in columns
    if engine == "postgresql":
        assert run("db", "upgrade", "--db", url).exit_code == 0
    result = run("audit", "verify", "--db", url)
    assert result.exit_code == 0, result.output
    assert result.stdout == before
    gate = run("gate", planning, "--db", url)
    assert gate.exit_code == 1
    assert "opnames: evaluated by an earlier release that counted no near copies" in gate.stdout
    again = run(*evaluate)
    assert again.exit_code == 0, again.output
    assert "near copies: 1 of 400 synthetic rows (equal to a real row but for one column" in (
        " ".join(again.stdout.split())
    )
    assert run("gate", planning, "--db", url).exit_code == 0
    assert run("audit", "verify", "--db", url).stdout.endswith("all chains intact\n")


@pytest.mark.store
def test_a_populated_store_at_0006_upgrades_to_register_settings(
    empty_store_url: str, run: Run, engine: str
) -> None:
    """Pilots, their events, a stored playbook and a directory written by the previous release
    (0006): after the upgrade every chain verifies, settings can be set, are proven by the
    register chain, and an edit of them by SQL is caught."""
    import getpass

    from genai_pilots.store.engine import dispose_engines

    url = empty_store_url
    # what the previous release leaves: 0007 changes none of its tables, so the rows its
    # commands write are the ones this release writes; then the schema goes back to 0006
    upgrade(make_engine(url))
    assert run("import", EXAMPLES, "--by", "innovatie", "--db", url).exit_code == 0
    approved = run("approve", "triage-huisartsenpost", "--role", "cmio", "--by", "Dr. CMIO",
                   "--db", url)  # fmt: skip
    assert approved.exit_code == 0, approved.output
    playbook = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    assert run("playbook", "set", playbook, "--reason", "eigen", "--db", url).exit_code == 0
    login = sql("SELECT session_user", url=url)[0][0] if engine == "postgresql" else None
    added = run("people", "add", login or getpass.getuser(), "--name", "Ria Ooms",
                "--email", "r.ooms@zorg.example", "--role", "admin", "--db", url)  # fmt: skip
    assert added.exit_code == 0, added.output
    downgrade(make_engine(url), "0006_people")
    dispose_engines()
    assert "register_setting" not in tables(url)
    if engine == "postgresql":
        assert run("status", "--db", url).exit_code == 2  # migrated by its administrator only
        assert run("db", "upgrade", "--db", url).exit_code == 0
    result = run("audit", "verify", "--db", url)  # SQLite upgrades itself on first use
    assert result.exit_code == 0, result.output
    assert "all chains intact" in result.stdout
    with make_engine(url).connect() as connection:
        assert current_revision(connection) == HEAD
    for key, value in (("organisation", "Zorggroep Oost"), ("contact", "algoritmes@zo.example")):
        assert run("publication", "set", key, value, "--db", url).exit_code == 0
    assert run("audit", "verify", "--db", url).exit_code == 0
    exported = run("export", "--format", "algoritmeregister", "--db", url)
    assert exported.exit_code == 0, exported.output
    sql("UPDATE register_setting SET value = 'Nep BV' WHERE key = 'organisation'", url=url)
    broken = run("audit", "verify", "--db", url)
    assert broken.exit_code == 1
    assert "rows of the register_setting table were changed" in broken.stdout
