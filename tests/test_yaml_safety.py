"""Every kind of bad YAML becomes one finding at file:line:col, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_pilots.domain.yamlsafe import MAX_BYTES, YamlProblem, load_mapping, resolve_plain
from genai_pilots.services.playbooks import default_playbook
from genai_pilots.services.validation import validate_files
from tests.conftest import MINIMAL, Run, write

BOMB = (
    b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    b"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    b"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    b"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    b"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)

# name -> (file bytes, finding code, line, column)
BAD_INPUTS: dict[str, tuple[bytes, str, int, int]] = {
    "syntax": (b"id: x\nname: a: b\n", "yaml-syntax", 2, 8),
    "unclosed-flow": (b"id: x\nowner: {name: a\nname: b\n", "yaml-syntax", 3, 5),
    "tab": (b"id: x\nowner:\n\tname: a\n", "yaml-tab", 3, 1),
    "duplicate-key": (b"id: x\nname: a\nid: y\n", "yaml-duplicate-key", 3, 1),
    "alias-bomb": (BOMB, "yaml-alias-bomb", 6, 4),
    "too-deep-flow": (b"id: " + b"[" * 5000 + b"]" * 5000, "yaml-too-deep", 1, 1004),
    "too-deep-block": (
        b"".join(b"  " * i + f"k{i}:\n".encode() for i in range(100)),
        "yaml-too-deep",
        65,
        129,
    ),
    "python-tag": (b"id: !!python/object/apply:os.system ['ls']\n", "yaml-tag", 1, 5),
    "custom-tag": (b"id: x\nname: !vault abc\n", "yaml-tag", 2, 7),
    "map-python-tag": (b"owner: !!python/object:dict {a: 1}\n", "yaml-tag", 1, 8),
    "multiple-documents": (b"id: a\n---\nid: b\n", "yaml-multiple-documents", 2, 1),
    "top-level-list": (b"- id: a\n- id: b\n", "yaml-not-mapping", 1, 1),
    "top-level-scalar": (b"just text\n", "yaml-not-mapping", 1, 1),
    "empty": (b"", "file-empty", 1, 1),
    "only-comments": (b"# nothing here\n\n", "file-empty", 1, 1),
    "null-document": (b"---\n...\n", "file-empty", 1, 1),
    "non-utf8": (b"id: x\nname: caf\xe9\n", "file-encoding", 2, 10),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file-binary", 3, 1),
    "control-character": (b"id: x\nname: a\x07b\n", "yaml-syntax", 2, 8),
    "complex-key": (b"? [a, b]\n: 1\n", "yaml-complex-key", 1, 3),
    "undefined-alias": (b"id: *nowhere\n", "yaml-syntax", 1, 5),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_yaml_is_one_located_finding(name: str, tmp_path: Path, run: Run) -> None:
    data, code, line, col = BAD_INPUTS[name]
    path = write(tmp_path / f"{name}.yaml", data)

    result = run("validate", path)

    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{path}:{line}:{col}: error: "), first
    assert first.endswith(f"[{code}]")
    assert "Traceback" not in result.output


def test_oversized_file_is_rejected_without_reading_it_whole(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path / "huge.yaml", b"id: x\nname: " + b"a" * (MAX_BYTES + 10) + b"\n")

    result = run("validate", path)

    assert result.exit_code == 1
    assert f"{path}:1:1: error: " in result.stdout
    assert "[file-too-large]" in result.stdout


def test_oversized_bytes_are_refused_by_the_loader() -> None:
    with pytest.raises(YamlProblem) as problem:
        load_mapping(b"a" * (MAX_BYTES + 1))
    assert problem.value.code == "file-too-large"


def test_unreadable_file_is_a_finding(tmp_path: Path) -> None:
    # A directory named like a definition cannot be read as a file, even by root.
    folder = tmp_path / "folder.yaml"
    folder.mkdir()

    report = validate_files([folder], default_playbook())

    [finding] = report.findings
    assert finding.code == "file-unreadable"
    assert finding.format().startswith(f"{folder}:1:1: error: cannot read file: ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("1.10", 1.1),
        ("010", "010"),
        ("0x1F", "0x1F"),
        ("12", 12),
        ("-3.5", -3.5),
        ("1e3", 1000.0),
        ("~", None),
        ("", None),
        ("2026-03-01", __import__("datetime").date(2026, 3, 1)),
        ("2026-02-30", "2026-02-30"),
        (".inf", ".inf"),
        ("1_000", "1_000"),
    ],
)
def test_plain_scalars_follow_yaml_1_2(text: str, expected: object) -> None:
    assert resolve_plain(text) == expected


def test_yaml_1_1_surprises_do_not_slip_through(tmp_path: Path, run: Run) -> None:
    path = write(
        tmp_path / "surprise.yaml",
        MINIMAL
        + "governance:\n"
        + "  ai_act: {risk_class: minimal, patient_facing: no}\n"
        + "  vendor: {name: Acme, model_version: 1.10}\n",
    )

    result = run("validate", path)

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{path}:7:49: error: governance.ai_act.patient_facing: expected true or false, got 'no' "
        "(yes/no/on/off are text in YAML 1.2; write true or false) [schema]"
    )
    assert lines[1] == (
        f"{path}:8:39: error: governance.vendor.model_version: expected text, got 1.10; "
        'quote it ("1.10") so it stays exactly as written [schema]'
    )


def test_quoted_values_stay_text() -> None:
    loaded = load_mapping(b"a: \"1.10\"\nb: 'no'\nc: !!str 2026-01-01\n")
    assert loaded.data == {"a": "1.10", "b": "no", "c": "2026-01-01"}


def test_anchors_and_aliases_within_bounds_work() -> None:
    loaded = load_mapping(b"base: &b {x: 1}\ncopy: *b\nkey: &k name\n*k : 2\n")
    assert loaded.data == {"base": {"x": 1}, "copy": {"x": 1}, "key": "name", "name": 2}


def test_positions_are_remembered_for_values_and_keys() -> None:
    loaded = load_mapping(b"a:\n  b: [1, {c: x}]\n")
    assert loaded.positions[("a", "b", 1, "c")] == (2, 14)
    assert loaded.key_positions[("a", "b")] == (2, 3)
    assert loaded.locate(("a", "b", 1, "missing")) == (2, 10)
