"""The register end to end through the CLI, against a real SQLite file per test."""

from __future__ import annotations

import json
import re
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from genai_pilots.store.migrate import HEAD
from tests.conftest import (
    ENGINES,
    EXAMPLES,
    INVALID,
    MINIMAL,
    SCRIBE_TRAINED,
    Run,
    sql,
    train,
    write,
)

ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def imported(run: Run) -> Run:
    result = run("import", EXAMPLES, "--by", "innovatie")
    assert result.exit_code == 0, result.output
    return run


pytestmark = pytest.mark.store


def db_file(tmp_path: Path) -> Path:
    return tmp_path / "pilots-home" / "pilots.db"


def rows(tmp_path: Path, statement: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in sql(statement)]


def status_json(run: Run, *args: str) -> Any:
    result = run("status", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_creates_every_pilot_and_status_shows_the_portfolio(
    imported: Run, tmp_path: Path
) -> None:
    result = imported("status")
    assert result.exit_code == 0
    out = result.stdout
    for pilot in ("ambient-scribe-cardiologie", "triage-huisartsenpost", "ggz-intake-samenvatting"):
        assert pilot in out
    assert (
        "7 pilots: start-klein 1 → governance 2 → skills 1 → synthetic-data 1 → bijsturen 0 "
        "| scaled 1 · stopped 1"
    ) in out.splitlines()
    assert not ANSI.search(result.output)


@pytest.mark.store(engines=("sqlite",))
def test_the_sqlite_store_is_created_private(imported: Run, tmp_path: Path) -> None:
    assert stat.S_IMODE(db_file(tmp_path).stat().st_mode) == 0o600


def test_status_json_and_filters(imported: Run) -> None:
    everything = status_json(imported)
    assert everything["total"] == 7
    triage = next(p for p in everything["pilots"] if p["id"] == "triage-huisartsenpost")
    assert triage["stage"] == "governance"
    assert triage["gate"] == {"met": 17, "total": 20}
    assert triage["blocker"] == "Logs kept at least 6 months (high-risk) (+2 more)"
    assert triage["risk_class"] == "high"
    governance = status_json(imported, "--stage", "governance")
    assert [p["id"] for p in governance["pilots"]] == [
        "ontslagbrief-interne-geneeskunde",
        "triage-huisartsenpost",
    ]
    assert status_json(imported, "--stage", "scaled")["total"] == 1
    assert status_json(imported, "--setting", "thuiszorg")["total"] == 1
    assert status_json(imported, "--owner", "jansen")["total"] == 1
    bad = imported("status", "--stage", "nowhere")
    assert bad.exit_code == 2
    assert "unknown stage 'nowhere'" in bad.stderr


def test_import_is_idempotent(imported: Run, tmp_path: Path) -> None:
    before = rows(tmp_path, "SELECT count(*) FROM event")
    again = imported("import", EXAMPLES)
    assert again.exit_code == 0
    assert again.stdout.strip().splitlines()[-1] == "imported: 0 created, 0 updated, 7 unchanged"
    assert rows(tmp_path, "SELECT count(*) FROM event") == before


def test_dry_run_prints_the_plan_and_stores_nothing(run: Run, tmp_path: Path) -> None:
    result = run("import", "--dry-run", EXAMPLES)
    assert result.exit_code == 0
    assert "create    triage-huisartsenpost" in result.stdout
    assert result.stdout.strip().endswith(
        "would import (dry run, nothing stored): 7 created, 0 updated, 0 unchanged"
    )
    assert rows(tmp_path, "SELECT count(*) FROM pilot") == [(0,)]


def test_changed_definition_is_an_update_with_a_field_diff(
    imported: Run, examples_copy: Path
) -> None:
    path = examples_copy / "triage-huisartsenpost.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "log_retention_months: 3", "log_retention_months: 6"
        ),
        encoding="utf-8",
    )
    plan = imported("import", "--dry-run", path)
    assert "update    triage-huisartsenpost" in plan.stdout
    assert "governance.log_retention_months: 3 → 6" in plan.stdout
    applied = imported("import", path, "--by", "j.devries")
    assert applied.stdout.strip().endswith("imported: 0 created, 1 updated, 0 unchanged")
    history = json.loads(imported("history", "triage-huisartsenpost", "--json").stdout)
    changed, reopened = history["events"][-2:]
    assert changed["kind"] == "definition-changed"
    assert changed["actor"] == "j.devries"
    assert changed["payload"]["changes"] == [
        {"field": "governance.log_retention_months", "old": 3, "new": 6}
    ]
    # a governance fact changed: governance is re-opened and earlier approvals no longer count
    assert reopened["kind"] == "governance-review-needed"
    assert reopened["payload"]["fields"] == ["governance.log_retention_months"]


def test_one_bad_file_among_many_stores_nothing(
    run: Run, examples_copy: Path, tmp_path: Path
) -> None:
    shutil.copy(INVALID / "duplicate-key.yaml", examples_copy / "zz-broken.yaml")
    result = run("import", examples_copy)
    assert result.exit_code == 1
    assert f"{examples_copy / 'zz-broken.yaml'}:7:1: error: duplicate key 'name'" in result.stdout
    assert "nothing imported: 1 of 8 files have errors" in result.stderr
    assert rows(tmp_path, "SELECT count(*) FROM pilot") == [(0,)]
    assert rows(tmp_path, "SELECT count(*) FROM event") == [(0,)]


def test_two_files_with_the_same_id_are_refused(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "defs" / "a.yaml", MINIMAL)
    write(tmp_path / "defs" / "b.yaml", MINIMAL)
    result = run("import", tmp_path / "defs")
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'defs' / 'b.yaml'}:1:5: error: id: "
        "pilot id 'minimal-pilot' is also defined in" in result.stdout
    )


def test_claimed_stage_moves_a_pilot_forward_never_back(imported: Run, examples_copy: Path) -> None:
    train(imported)
    assert imported("advance", "ambient-scribe-cardiologie").exit_code == 0
    # The file still claims skills: the register keeps synthetic-data.
    path = examples_copy / "ambient-scribe-cardiologie.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "champions: [Dr. K. Smit]", "champions: [Dr. K. Smit, A. Ali]"
    )
    path.write_text(text, encoding="utf-8")
    result = imported("import", path)
    assert "file claims 'skills', the register keeps 'synthetic-data'" in result.stdout
    pilot = next(
        p for p in status_json(imported)["pilots"] if p["id"] == "ambient-scribe-cardiologie"
    )
    assert pilot["stage"] == "synthetic-data"


def test_a_later_claimed_stage_is_taken_over_and_recorded(run: Run, examples_copy: Path) -> None:
    path = examples_copy / "ambient-scribe-cardiologie.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("stage: skills", "stage: governance"), encoding="utf-8")
    assert run("import", path).exit_code == 0
    path.write_text(original, encoding="utf-8")
    held = run("import", path)
    # the file's claimed approvals do not count in the register: the recorded ones do
    assert "the register keeps 'governance': the governance gate is not met" in held.stdout
    for role, by in (("privacy_officer", "M. de Vries"), ("information_security_officer", "R. B")):
        assert (
            run("approve", "ambient-scribe-cardiologie", "--role", role, "--by", by).exit_code == 0
        )
    result = run("import", path)
    assert "stage governance → skills" in result.stdout
    kinds = [
        e["kind"]
        for e in json.loads(run("history", "ambient-scribe-cardiologie", "--json").stdout)["events"]
    ]
    assert kinds == ["imported", "approved", "approved", "stage-claimed"]


def test_export_imports_back_to_the_same_state(imported: Run, tmp_path: Path) -> None:
    train(imported)
    imported("advance", "ambient-scribe-cardiologie")
    out = tmp_path / "exported"
    result = imported("export", "-o", out)
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    assert imported("validate", out).exit_code == 0
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert imported("import", out, "--db", other).exit_code == 0

    def state(*db: str) -> list[tuple[object, ...]]:
        pilots = status_json(imported, *db)["pilots"]
        return [(p["id"], p["stage"], p["outcome"], p["gate"]) for p in pilots]

    assert state("--db", other) == state()
    assert state()[0][:2] == ("ambient-scribe-cardiologie", "synthetic-data")
    single = imported("export", "triage-huisartsenpost")
    assert single.stdout.startswith("# Exported from the genai-pilots register")
    assert "id: triage-huisartsenpost" in single.stdout


def test_show_gives_summary_gate_approvals_and_history(imported: Run) -> None:
    result = imported("show", "triage-huisartsenpost")
    assert result.exit_code == 0
    out = result.stdout
    assert "Triage-ondersteuning aan de telefoon" in out
    assert "gate out of governance (Sterke governance) — 17/20, not met" in out
    assert "✗   Logs kept at least 6 months (high-risk) [high-risk-logs]" in out
    assert "privacy_officer" in out and "claimed in YAML" in out
    assert "recent history" in out and "innovatie" in out


def test_gate_exit_code_follows_the_gate(imported: Run) -> None:
    refused = imported("gate", "triage-huisartsenpost")
    assert refused.exit_code == 1
    assert "missing approval of privacy_officer, information_security_officer" in refused.stdout
    unmet = imported("gate", "ambient-scribe-cardiologie", "--json")
    assert unmet.exit_code == 1  # the register counts its training ledger, empty so far
    train(imported)
    met = imported("gate", "ambient-scribe-cardiologie", "--json")
    assert met.exit_code == 0
    assert json.loads(met.stdout)["met"] is True
    ended = imported("gate", "ggz-intake-samenvatting")
    assert ended.exit_code == 1
    assert "has ended (scaled)" in ended.stderr


def test_advance_moves_a_pilot_whose_gate_is_met(imported: Run) -> None:
    train(imported, GENAI_PILOTS_USER="opleidingen")
    dry = imported("advance", "ambient-scribe-cardiologie", "--dry-run")
    assert dry.stdout.strip() == (
        "would move ambient-scribe-cardiologie: skills → synthetic-data (Verken synthetische data)"
    )
    result = imported("advance", "ambient-scribe-cardiologie", "--by", "a.jansen")
    assert result.exit_code == 0
    assert result.stdout.startswith("moved ambient-scribe-cardiologie: skills → synthetic-data")
    events = json.loads(imported("history", "ambient-scribe-cardiologie", "--json").stdout)[
        "events"
    ]
    assert [(e["kind"], e["actor"]) for e in events] == [
        ("imported", "innovatie"),
        ("training-recorded", "opleidingen"),
        ("advanced", "a.jansen"),
    ]
    assert events[-1]["payload"] == {
        "from": "skills",
        "to": "synthetic-data",
        "outcome": None,
        "gate": "4/4",
    }


def test_advance_is_refused_naming_every_failing_criterion(imported: Run) -> None:
    result = imported("advance", "triage-huisartsenpost")
    assert result.exit_code == 1
    for criterion in ("high-risk-logs", "approvals", "high-risk-approval"):
        assert f"[{criterion}]" in result.stdout
    assert "→ Ask the CMIO to approve." in result.stdout
    assert result.stderr.startswith(
        "error: triage-huisartsenpost cannot leave governance: 3 criteria not met "
        "(high-risk-logs, approvals, high-risk-approval)"
    )
    assert status_json(imported, "--stage", "governance")["total"] == 2


def test_force_needs_a_reason_and_is_recorded_as_override(imported: Run) -> None:
    no_reason = imported("advance", "triage-huisartsenpost", "--force")
    assert no_reason.exit_code == 2
    assert "--force needs --reason" in no_reason.stderr
    forced = imported(
        "advance",
        "triage-huisartsenpost",
        "--force",
        "--reason",
        "RvB besluit 2026-11",
        "--by",
        "rvb",
    )
    assert forced.exit_code == 0
    assert "(override: gate not met)" in forced.stdout
    last = json.loads(imported("history", "triage-huisartsenpost", "--json").stdout)["events"][-1]
    assert last["kind"] == "override"
    assert last["reason"] == "RvB besluit 2026-11"
    assert last["payload"]["failing"] == ["high-risk-logs", "approvals", "high-risk-approval"]
    table = imported("history", "triage-huisartsenpost").stdout
    assert "OVERRIDE of" in table


def test_leaving_bijsturen_needs_an_outcome_that_matches_the_decision(
    run: Run, examples_copy: Path
) -> None:
    path = examples_copy / "ggz-intake-samenvatting.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("outcome: scaled\n", ""), encoding="utf-8"
    )
    assert run("import", path).exit_code == 0
    missing = run("advance", "ggz-intake-samenvatting")
    assert missing.exit_code == 2
    assert "pass --outcome scaled (naar praktijk) or --outcome stopped" in missing.stderr
    # stopping is `decide stop` (tests/test_output.py): it needs a reason, not a decision
    unexplained = run("advance", "ggz-intake-samenvatting", "--outcome", "stopped")
    assert unexplained.exit_code == 2
    assert "stopping a pilot needs --reason" in unexplained.stderr
    ended = run("advance", "ggz-intake-samenvatting", "--outcome", "scaled")
    assert ended.exit_code == 0
    assert ended.stdout.startswith("moved ggz-intake-samenvatting: bijsturen → ended: scaled")
    again = run("advance", "ggz-intake-samenvatting")
    assert again.exit_code == 1
    assert "has ended (scaled)" in again.stderr


def test_pause_blocks_advance_until_resumed(imported: Run) -> None:
    train(imported)
    assert (
        imported(
            "pause", "ambient-scribe-cardiologie", "--reason", "leverancier failliet"
        ).exit_code
        == 0
    )
    blocked = imported("advance", "ambient-scribe-cardiologie")
    assert blocked.exit_code == 1
    assert "is paused" in blocked.stderr
    assert imported("pause", "ambient-scribe-cardiologie", "--reason", "x").exit_code == 1
    assert "(paused)" in imported("status").stdout
    assert (
        imported("resume", "ambient-scribe-cardiologie", "--reason", "nieuwe leverancier").exit_code
        == 0
    )
    assert imported("advance", "ambient-scribe-cardiologie").exit_code == 0
    kinds = [
        e["kind"]
        for e in json.loads(imported("history", "ambient-scribe-cardiologie", "--json").stdout)[
            "events"
        ]
    ]
    assert kinds == ["imported", "training-recorded", "paused", "resumed", "advanced"]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "nope"],
        ["gate", "nope"],
        ["advance", "nope"],
        ["history", "nope"],
        ["pause", "nope", "--reason", "x"],
        ["export", "nope"],
    ],
)
def test_unknown_pilot_is_a_one_line_error(imported: Run, args: list[str]) -> None:
    result = imported(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no pilot with id 'nope'")
    assert "Traceback" not in result.output


def test_new_registers_from_options_and_refuses_duplicates(run: Run) -> None:
    args = [
        "new", "--id", "wondfoto-triage", "--name", "Wondfoto's beoordelen",
        "--setting", "thuiszorg", "--department", "Wondteam",
        "--owner-name", "E. Smit", "--owner-email", "e.smit@example.org",
    ]  # fmt: skip
    created = run(*args)
    assert created.exit_code == 0, created.output
    assert created.stdout.startswith("registered wondfoto-triage at start-klein")
    assert status_json(run)["pilots"][0]["stage"] == "start-klein"
    duplicate = run(*args)
    assert duplicate.exit_code == 2
    assert "already exists" in duplicate.stderr


def test_new_reports_missing_and_invalid_values(run: Run) -> None:
    missing = run("new", "--id", "x-pilot")
    assert missing.exit_code == 2
    assert "missing --name, --setting, --department, --owner-name, --owner-email" in missing.stderr
    invalid = run(
        "new", "--id", "Bad Id", "--name", "n", "--setting", "kliniek", "--department", "d",
        "--owner-name", "o", "--owner-email", "o@example.org",
    )  # fmt: skip
    assert invalid.exit_code == 2
    assert invalid.stderr.startswith("error: id: String should match pattern")


def test_scaffold_writes_a_skeleton_that_validates(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "nieuw.yaml"
    result = run(
        "new", "--scaffold", target, "--id", "nieuw-pilot", "--name", "Nieuw: pilot", "--setting",
        "ggz", "--department", "Jeugd", "--owner-name", "A. B", "--owner-email", "a.b@example.org",
    )  # fmt: skip
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "# 2. Sterke governance" in text
    assert run("validate", target).exit_code == 0
    assert (
        run(
            "new",
            "--scaffold",
            target,
            "--id",
            "a",
            "--name",
            "b",
            "--setting",
            "ggz",
            "--department",
            "c",
            "--owner-name",
            "d",
            "--owner-email",
            "e@f.nl",
        ).exit_code
        == 2
    )


@pytest.mark.store(engines=("sqlite",))
def test_a_store_that_cannot_be_opened_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "not a directory")
    result = run("import", str(EXAMPLES), "--db", f"sqlite:///{blocker}/pilots.db")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: {blocker} is a file, so {blocker}/pilots.db cannot be created beneath it"
    )
    garbage = write(tmp_path / "garbage.db", b"this is not a database" * 100)
    result = run("status", "--db", f"sqlite:///{garbage}")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot open the store")
    assert "Traceback" not in result.output


@pytest.mark.store(engines=("sqlite",))
def test_database_urls_never_show_passwords(run: Run) -> None:
    result = run("status", "--db", "postgresql+psycopg://pilots:s3cr3t@127.0.0.1:9/register")
    assert result.exit_code == 2
    assert "s3cr3t" not in result.output
    info = run("db", "info", "--db", "sqlite:///:memory:")
    assert info.exit_code == 0
    assert "revision: empty" in info.stdout


@pytest.mark.store(fast=ENGINES)  # the fast loop's db commands on PostgreSQL too
def test_db_commands(imported: Run, tmp_path: Path, engine: str) -> None:
    info = imported("db", "info")
    assert f"engine:   {engine}" in info.stdout
    if engine == "sqlite":
        assert f"file:     {db_file(tmp_path)}" in info.stdout
    assert "pilots:   7" in info.stdout
    assert imported("db", "current").stdout.strip() == f"{HEAD} (up to date)"
    assert imported("db", "upgrade").stdout.strip() == f"already at schema revision {HEAD}"
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    nothing = imported("db", "current", "--db", fresh)  # a typo never leaves a store behind
    assert nothing.exit_code == 2
    assert nothing.stderr.startswith(f"error: there is no store at {tmp_path / 'fresh.db'}")
    assert not (tmp_path / "fresh.db").exists()
    assert "upgraded from empty to" in imported("db", "upgrade", "--db", fresh).stdout
    assert imported("db", "current", "--db", fresh).stdout.strip() == f"{HEAD} (up to date)"


def test_no_color_and_piped_output_are_plain(imported: Run) -> None:
    forced = imported("status", env={"FORCE_COLOR": "1"})
    assert ANSI.search(forced.output)
    plain = imported("status", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(plain.output)


def test_actor_comes_from_the_environment(run: Run) -> None:
    run("import", EXAMPLES / "overdracht-verpleeghuis.yaml", env={"GENAI_PILOTS_USER": "w.dejong"})
    events = json.loads(run("history", "overdracht-verpleeghuis", "--json").stdout)["events"]
    assert events[0]["actor"] == "w.dejong"


def test_python_api(tmp_path: Path) -> None:
    from genai_pilots import (
        advance,
        import_paths,
        import_training,
        load_playbook,
        open_store,
        portfolio,
    )

    store = open_store()  # GENAI_PILOTS_DB: this test's store, on either engine
    result = import_paths(store, [EXAMPLES], by="script")
    assert result.count("create") == 7
    export = write(tmp_path / "leerplatform.csv", SCRIBE_TRAINED)
    trained = import_training(store, "ambient-scribe-cardiologie", export, by="script")
    assert (trained.stored, trained.people) == (5, 5)
    moved = advance(store, "ambient-scribe-cardiologie", load_playbook(), by="script")
    assert moved.to_stage == "synthetic-data"
    assert portfolio(store, load_playbook()).funnel["synthetic-data"] == 2
