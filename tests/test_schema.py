"""The exported JSON Schema: in sync with the models, and usable by third-party validators."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, INVALID, REPO, Run

COMMITTED = REPO / "docs" / "pilot.schema.json"


def test_committed_schema_matches_the_models(run: Run) -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == COMMITTED.read_text(encoding="utf-8"), (
        "docs/pilot.schema.json is stale: run `pilots schema > docs/pilot.schema.json`"
    )


def test_schema_lists_closed_sets_and_forbids_unknown_keys() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert "thuiszorg" in schema["properties"]["setting"]["enum"]
    assert schema["required"] == ["id", "name", "setting", "department", "owner"]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_carry_the_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/pilot.schema.json"
    assert (path.parent / "../docs/pilot.schema.json").resolve() == COMMITTED


def check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is a test dependency: pip install -e '.[test]'"
    return subprocess.run(
        [exe, "--schemafile", str(COMMITTED), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_jsonschema_accepts_the_examples() -> None:
    result = check_jsonschema(*sorted(EXAMPLES.glob("*.yaml")))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("unknown-field.yaml", "'departement' was unexpected"),
        ("yes-no-boolean.yaml", "'yes' is not of type 'boolean'"),
    ],
)
def test_check_jsonschema_rejects_invalid_examples(name: str, expected: str) -> None:
    result = check_jsonschema(INVALID / name)
    assert result.returncode == 1
    assert expected in result.stdout + result.stderr
