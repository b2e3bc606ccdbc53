"""Rough edges of what users see (issue 15): output that fits, hints that keep their promises,
names that cannot deceive, validate and import that agree, one way to end a pilot."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, write

TRIAGE = "triage-huisartsenpost"
LETTER = "ontslagbrief-interne-geneeskunde"
SCRIBE = "ambient-scribe-cardiologie"


@pytest.fixture
def imported(run: Run) -> Run:
    result = run("import", EXAMPLES, "--by", "innovatie")
    assert result.exit_code == 0, result.output
    return run


def kinds(run: Run, pilot: str) -> list[dict[str, object]]:
    result = run("history", pilot, "--json")
    assert result.exit_code == 0, result.output
    events: list[dict[str, object]] = json.loads(result.stdout)["events"]
    return events


# 4. Validate and import agree


def _two_files_one_id(tmp_path: Path) -> Path:
    folder = tmp_path / "pilots"
    folder.mkdir()
    shutil.copy(EXAMPLES / f"{TRIAGE}.yaml", folder / "a.yaml")
    shutil.copy(EXAMPLES / f"{TRIAGE}.yaml", folder / "b.yaml")
    return folder


def test_validate_refuses_two_files_with_one_id_naming_both(run: Run, tmp_path: Path) -> None:
    folder = _two_files_one_id(tmp_path)
    result = run("validate", folder)
    assert result.exit_code == 1
    a, b = folder / "a.yaml", folder / "b.yaml"
    lines = result.stdout.splitlines()
    assert f"{a}:2:5: error: id: pilot id '{TRIAGE}' is also defined in {b}" in lines[0]
    assert f"{b}:2:5: error: id: pilot id '{TRIAGE}' is also defined in {a}" in lines[1]
    assert lines[0].endswith("[duplicate-id]")
    sarif = json.loads(run("validate", "--format", "sarif", folder).stdout)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"duplicate-id"}


@pytest.mark.store(engines=("sqlite",))
def test_import_refuses_what_validate_refuses_with_the_same_findings(
    run: Run, tmp_path: Path
) -> None:
    folder = _two_files_one_id(tmp_path)
    validated = run("validate", "--quiet", folder)
    refused = run("import", folder)
    assert refused.exit_code == 1
    assert refused.stdout == validated.stdout
    assert "`pilots validate` shows the same" in refused.stderr
    assert json.loads(run("status", "--json").stdout)["total"] == 0


@pytest.mark.store(engines=("sqlite",))
def test_one_file_named_twice_is_one_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "pilots"
    folder.mkdir()
    path = shutil.copy(EXAMPLES / f"{TRIAGE}.yaml", folder / "t.yaml")
    (folder / "link.yaml").symlink_to(path)
    twice = (path, folder / "." / "t.yaml", folder)
    assert run("validate", *twice).exit_code == 0
    assert run("import", *twice).exit_code == 0


@pytest.mark.store(engines=("sqlite",))
def test_import_hint_names_the_registers_playbook_when_it_has_its_own(
    run: Run, tmp_path: Path
) -> None:
    stricter = write(
        tmp_path / "stricter.yaml",
        "name: strenger\nextends: default\ngates:\n  start-klein:\n"
        "    - {id: owner-phone, kind: present, field: owner.phone, says: An owner's phone, "
        "hint: Add owner.phone}\n",
    )
    assert run("playbook", "set", stricter, "--reason", "telefoon nodig").exit_code == 0
    path = shutil.copy(EXAMPLES / f"{SCRIBE}.yaml", tmp_path / "scribe.yaml")
    assert run("validate", path).exit_code == 0  # the default playbook asks no phone
    refused = run("import", path)
    assert refused.exit_code == 1
    assert "owner.phone" in refused.stdout
    assert "`pilots validate --playbook FILE` with the playbook stored in the register" in (
        refused.stderr
    )
    assert run("validate", "--playbook", stricter, path).exit_code == 1


# 5. Ending a pilot: `advance --outcome stopped` is `decide stop`


def _decide_stop(pilot: str, *more: str) -> tuple[str, ...]:
    return ("decide", pilot, "stop", *more)


def _advance_stopped(pilot: str, *more: str) -> tuple[str, ...]:
    return ("advance", pilot, "--outcome", "stopped", *more)


STOP_WAYS = {"decide": _decide_stop, "advance": _advance_stopped}


@pytest.mark.store(engines=("sqlite",))
@pytest.mark.parametrize("way", sorted(STOP_WAYS))
@pytest.mark.parametrize("before", ["nothing", "pause", "review"])
def test_stopping_follows_one_rule_at_any_stage(
    imported: Run, examples_copy: Path, way: str, before: str
) -> None:
    command = STOP_WAYS[way]
    pilot = TRIAGE
    if before == "pause":
        assert imported("pause", pilot, "--reason", "even wachten").exit_code == 0
    if before == "review":  # governance re-opened after it was passed
        pilot = LETTER
        for role, by in (("privacy_officer", "M. de Vries"),
                         ("information_security_officer", "R. Bakker")):  # fmt: skip
            assert imported("approve", pilot, "--role", role, "--by", by).exit_code == 0
        assert imported("advance", pilot).exit_code == 0
        path = examples_copy / f"{pilot}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("2025-11-20", "2026-05-13"), encoding="utf-8"
        )
        assert imported("import", path).exit_code == 0
    unexplained = imported(*command(pilot, "--reason", "  "))
    assert unexplained.exit_code == 2, unexplained.output
    if way == "advance":  # decide has no --dry-run
        dry = imported(*command(pilot, "--reason", "valt onder Art. 5", "--dry-run"))
        assert dry.exit_code == 0, dry.output
        assert dry.stdout.startswith(f"would move {pilot}: ")
        assert kinds(imported, pilot)[-1]["kind"] != "decided"
    stopped = imported(*command(pilot, "--reason", "valt onder Art. 5"))
    assert stopped.exit_code == 0, stopped.output
    last = kinds(imported, pilot)[-1]
    assert (last["kind"], last["reason"]) == ("decided", "valt onder Art. 5")
    assert last["payload"] == {"decision": "stop", "outcome": "stopped", "iteration": 0}
    status = json.loads(imported("status", "--json", "--stage", "stopped").stdout)
    assert pilot in {p["id"] for p in status["pilots"]}
    again = imported(*command(pilot, "--reason", "nogmaals"))
    assert again.exit_code == 1
    assert "has ended (stopped)" in again.stderr


@pytest.mark.store(engines=("sqlite",))
def test_stopping_is_not_an_override(imported: Run) -> None:
    forced = imported("advance", TRIAGE, "--outcome", "stopped", "--force", "--reason", "x")
    assert forced.exit_code == 2
    assert "--force does not apply to stopping" in forced.stderr
    assert kinds(imported, TRIAGE)[-1]["kind"] == "imported"


@pytest.mark.store(engines=("sqlite",))
@pytest.mark.parametrize(
    "command",
    [("decide", "ggz-intake-samenvatting", "scale"),
     ("advance", "ggz-intake-samenvatting", "--outcome", "scaled")],
)  # fmt: skip
def test_the_owner_scales_their_pilot_neither_way(
    run: Run, examples_copy: Path, command: tuple[str, ...]
) -> None:
    path = examples_copy / "ggz-intake-samenvatting.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("outcome: scaled\n", ""), encoding="utf-8"
    )
    assert run("import", path).exit_code == 0
    refused = run(*command, "--reason", "doelen gehaald", "--by", "Drs. F. Bos")
    assert refused.exit_code == 1
    assert "Drs. F. Bos owns ggz-intake-samenvatting and cannot decide to scale it" in (
        refused.stderr
    )
    assert kinds(run, "ggz-intake-samenvatting")[-1]["kind"] == "measured"  # nothing since
    assert run(*command, "--reason", "doelen gehaald", "--by", "RvB").exit_code == 0


# 3. Names that deceive

ANSI = re.compile(r"\x1b\[[0-9;]*m")
HIDING = ("\u202e", "\u200b", "\u2066", "\u200d", "\u00ad", "\x07", "\ufeff")


def _deceiving(folder: Path) -> Path:
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("name: Automatische gespreksverslagen cardiologie",
         'name: "Automatische gespreksverslagen \\u202Eeigoloidrac"'),
        ("department: Cardiologie", 'department: "Cardio\\u200Blogie\\uFEFF"'),
        ("name: Documentatietijd per consult,", 'name: "Documentatietijd\\u2066 per consult",'),
        ("by: M. de Vries,", 'by: "M. de\\u200D Vries",'),
        ("champions: [Dr. K. Smit]", 'champions: ["Dr. K.\\u00ADSmit\\a"]'),
    ):  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    return write(folder / f"{SCRIBE}.yaml", text)


def test_validate_warns_about_every_hiding_character_naming_pilot_and_field(
    run: Run, tmp_path: Path
) -> None:
    path = _deceiving(tmp_path)
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    warned = {
        line.split(": ")[2]: line
        for line in result.stdout.splitlines()
        if line.endswith("[hidden-character]")
    }
    assert set(warned) == {
        "name", "department", "start_klein.kpis[0].name", "governance.approvals[0].by",
        "skills.champions[0]",
    }  # fmt: skip
    assert all(f"pilot '{SCRIBE}'" in line and ": warning: " in line for line in warned.values())
    assert "U+202E (right-to-left override)" in warned["name"]
    assert "U+200B (zero width space), U+FEFF (zero width no-break space)" in warned["department"]
    assert "U+00AD (soft hyphen), U+0007" in warned["skills.champions[0]"]
    assert not any(ch in result.stdout for ch in HIDING)
    assert run("validate", "--strict", path).exit_code == 1


def test_an_owner_named_with_a_hiding_character_stays_an_error(run: Run, tmp_path: Path) -> None:
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    path = write(tmp_path / "o.yaml", text.replace("Dr. A. Jansen", '"Dr. A.\\u202e Jansen"'))
    result = run("validate", path)
    assert result.exit_code == 1
    assert "owner.name: owner.name 'Dr. A.\\u202e Jansen' contains U+202E" in result.stdout
    assert "[hidden-character]" not in result.stdout  # one finding for one problem


@pytest.mark.store(engines=("sqlite",))
def test_hiding_characters_show_escaped_wherever_they_are_shown(run: Run, tmp_path: Path) -> None:
    path = _deceiving(tmp_path / "pilots")
    validated = run("validate", "--quiet", path)
    imported = run("import", path)
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.startswith(validated.stdout)  # import warns as validate does
    decided = run("decide", SCRIBE, "stop", "--reason", "leverancier\u202e stopt")
    assert decided.exit_code == 0
    report = tmp_path / "report.html"
    assert run("report", "-o", report).exit_code == 0
    terminal = {"FORCE_COLOR": "1", "COLUMNS": "100"}
    shown = {
        "status": run("status").stdout,
        "status on a terminal": run("status", env=terminal).stdout,
        "show": run("show", SCRIBE, env=terminal).stdout,
        "history": run("history", SCRIBE, env=terminal).stdout,
        "kpis": run("kpis", SCRIBE, env=terminal).stdout,
        "report": report.read_text(encoding="utf-8"),
    }
    for view, text in shown.items():
        assert not any(ch in text for ch in HIDING), view
    for view in ("status", "show", "report"):
        assert "gespreksverslagen \\u202ee" in ANSI.sub("", shown[view]), view
    assert "Cardio\\u200blogie\\ufeff" in shown["show"]
    assert "leverancier\\u202e stopt" in ANSI.sub("", shown["history"])
    for args in (("status", "--json"), ("history", SCRIBE, "--json"), ("kpis", SCRIBE, "--json")):
        raw = run(*args).stdout
        assert not any(ch in raw for ch in HIDING), args
        assert "\\u202e" in raw or "\\u2066" in raw or args[0] == "kpis"
    as_read = json.loads(run("status", "--json").stdout)["pilots"][0]["name"]
    assert as_read == "Automatische gespreksverslagen \u202eeigoloidrac"  # the data, unchanged
