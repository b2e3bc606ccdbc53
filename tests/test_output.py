"""Rough edges of what users see (issue 15): output that fits, hints that keep their promises,
names that cannot deceive, validate and import that agree, one way to end a pilot."""

from __future__ import annotations

import json
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
