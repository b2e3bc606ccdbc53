"""`pilots validate` end to end: examples, invalid examples, every output format, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from tests.conftest import EXAMPLES, INVALID, MINIMAL, Run, write

SCHEMAS = Path(__file__).parent / "schemas"
ANSI = re.compile(r"\x1b\[")
LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning): ")


def test_all_examples_are_valid(run: Run) -> None:
    result = run("validate", EXAMPLES)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "7 files checked, all valid"


@pytest.mark.parametrize("path", sorted(INVALID.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_invalid_example_fails_with_located_findings(path: Path, run: Run) -> None:
    result = run("validate", path)
    assert result.exit_code == 1
    *findings, summary = result.stdout.splitlines()
    assert findings, result.stdout
    for line in findings:
        match = LOCATED.match(line)
        assert match, line
        assert match["file"] == str(path)
        assert re.search(r"\[[a-z0-9-]+\]$", line), line
    assert summary.startswith("1 file checked: ")


def test_invalid_examples_say_how_to_fix(run: Run) -> None:
    result = run("validate", INVALID)
    out = result.stdout
    assert "unknown field 'departement'; did you mean 'department'?" in out
    assert "a tab is used for indentation; indent with spaces" in out
    assert "duplicate key 'name' (first at line 3); keep one of them" in out
    assert "set risk_class: high" in out
    assert "remove patient identifiers from definitions" in out
    assert out.splitlines()[-1] == "7 files checked: 19 errors, 0 warnings in 7 files"


def test_missing_path_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: no such file or directory: {tmp_path / 'nope.yaml'}")
    assert "Traceback" not in result.output


def test_empty_directory_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "no definition files found" in result.stderr


def test_unknown_option_is_a_usage_error(run: Run) -> None:
    result = run("validate", "--no-such-option", EXAMPLES)
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_directories_are_searched_one_level_unless_recursive(run: Run, tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", MINIMAL)
    write(tmp_path / "sub" / "b.yml", MINIMAL.replace("minimal-pilot", "other-pilot"))
    write(tmp_path / ".hidden" / "c.yaml", "not: [valid")
    write(tmp_path / "notes.txt", "ignored")
    assert run("validate", tmp_path).stdout.strip() == "1 file checked, all valid"
    recursive = run("validate", "--recursive", tmp_path)
    assert recursive.stdout.strip() == "2 files checked, all valid"


def warning_file(tmp_path: Path) -> Path:
    return write(tmp_path / "warn.yaml", MINIMAL + "start_klein:\n  scope: bel 06-12345678\n")


def test_warnings_pass_unless_strict(run: Run, tmp_path: Path) -> None:
    path = warning_file(tmp_path)
    relaxed = run("validate", path)
    assert relaxed.exit_code == 0
    assert f"{path}:7:10: warning: start_klein.scope: looks like a phone number" in relaxed.stdout
    assert run("validate", "--strict", path).exit_code == 1


def test_text_output_has_no_colour_when_piped_or_with_no_color(run: Run) -> None:
    piped = run("validate", INVALID)
    assert not ANSI.search(piped.output)
    forced = run("validate", INVALID, env={"FORCE_COLOR": "1"})
    assert ANSI.search(forced.output), "FORCE_COLOR should colour output"
    no_color = run("validate", INVALID, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(no_color.output)


def test_json_format(run: Run) -> None:
    result = run("validate", "--format", "json", INVALID / "yes-no-boolean.yaml", EXAMPLES)
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    assert payload["summary"] == {"files": 8, "errors": 2, "warnings": 0}
    first = payload["files"][0]
    assert first["valid"] is False
    assert first["findings"][0] == {
        "line": 8,
        "column": 49,
        "severity": "error",
        "field": "governance.ai_act.patient_facing",
        "message": "expected true or false, got 'yes' (yes/no/on/off are text in YAML 1.2; "
        "write true or false)",
        "code": "schema",
    }


def test_github_format_escapes_and_is_automatic_in_actions(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "odd,na:me%.yaml", "id: x\nname: a: b\n")
    result = run("validate", path, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    escaped = str(path).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert line.startswith(f"::error file={escaped},line=2,col=8,title=yaml-syntax::YAML syntax")


def test_github_message_escapes_newlines_and_percent() -> None:
    from genai_pilots.domain.findings import Finding, Severity
    from genai_pilots.domain.validation import FileResult
    from genai_pilots.render.findings import to_github

    finding = Finding("f.yaml", 1, 2, Severity.WARNING, "a", "50%\r\nmore", "pii-phone")
    text = to_github([FileResult("f.yaml", [finding])])
    assert text == "::warning file=f.yaml,line=1,col=2,title=pii-phone%3A a::50%25%0D%0Amore"


def test_sarif_validates_against_the_official_schema(run: Run, tmp_path: Path) -> None:
    result = run("validate", "--format", "sarif", INVALID, warning_file(tmp_path))
    log = json.loads(result.stdout)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 20
    assert {r["level"] for r in results} == {"error", "warning"}
    rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in results} == rules
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1


@pytest.mark.parametrize("strict", [False, True])
def test_junit_validates_against_the_jenkins_schema(run: Run, tmp_path: Path, strict: bool) -> None:
    args = ["validate", "--format", "junit", INVALID, warning_file(tmp_path), EXAMPLES]
    result = run(*args, *(["--strict"] if strict else []))
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    schema.validate(result.stdout.encode())
    tree: Any = schema.to_dict(result.stdout.encode())
    suite = tree["testsuite"][0]
    assert suite["@tests"] == "15"
    assert suite["@failures"] == ("8" if strict else "7")
    assert result.exit_code == 1


def test_playbook_option_uses_the_organisations_gates(run: Run) -> None:
    custom = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    result = run("validate", "--playbook", custom, EXAMPLES)
    assert result.exit_code == 1
    assert "missing approval of ethics_committee" in result.stdout
    assert "28 of 30 = 93% (needs 95%)" in result.stdout
    env = run("validate", EXAMPLES, env={"GENAI_PILOTS_PLAYBOOK": str(custom)})
    assert env.stdout == result.stdout


def test_invalid_playbook_is_a_check_failure_naming_its_line(run: Run, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad-playbook.yaml", "name: x\ngates:\n  skills: [{id: a, kind: b}]\n")
    result = run("validate", "--playbook", bad, EXAMPLES)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: invalid playbook: {bad}:3:")


def test_quiet_prints_only_findings(run: Run) -> None:
    assert run("validate", "--quiet", EXAMPLES).stdout == ""


def test_the_default_playbook_is_read_only_when_a_file_needs_it(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up of `validate` on one start-klein file: no playbook to read and check."""
    from genai_pilots.services import playbooks

    read: list[bool] = []
    original = playbooks.default_playbook_text

    def counted() -> bytes:
        read.append(True)
        return original()

    monkeypatch.setattr(playbooks, "default_playbook_text", counted)
    playbooks.default_playbook.cache_clear()
    monkeypatch.delenv("GENAI_PILOTS_PLAYBOOK", raising=False)
    assert run("validate", str(EXAMPLES / "overdracht-verpleeghuis.yaml")).exit_code == 0
    assert read == []
    assert run("validate", str(EXAMPLES / "ontslagbrief-interne-geneeskunde.yaml")).exit_code == 0
    assert read == [True]
