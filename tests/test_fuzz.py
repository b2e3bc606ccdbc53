"""Fuzzing ``validate`` and ``import`` with random and mutated YAML: never a traceback."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genai_pilots.domain.findings import RULES
from genai_pilots.domain.validation import validate_text
from genai_pilots.services.playbooks import default_playbook
from tests.conftest import EXAMPLES, Run

SEEDS = [p.read_bytes() for p in sorted(EXAMPLES.glob("*.yaml"))] + [
    p.read_bytes() for p in sorted((EXAMPLES / "invalid").glob("*.yaml"))
]
HANG_GUARD = dt.timedelta(seconds=3)  # a hang detector, not a performance target


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """An example file with a few random edits: the inputs most like real mistakes."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "dup-line", "swap-lines", "tab"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b": ", b"- ", b"&a ", b"*a", b"!!python/object ",
                                                b"{", b"]", b"\n  ", b"'", b"\"", b"#", b"---\n",
                                                b"123456782", b"\x00", b"\xff\xfe"]))  # fmt: skip
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "tab":
            data[at:at] = b"\t"
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "dup-line":
                lines.insert(i, lines[j])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def assert_clean(data: bytes) -> None:
    result = validate_text(data, "fuzz.yaml", default_playbook())
    for finding in result.findings:
        assert finding.code in RULES
        assert finding.line >= 1 and finding.col >= 1
        assert finding.format().startswith(f"fuzz.yaml:{finding.line}:{finding.col}: ")


@settings(max_examples=300, deadline=HANG_GUARD)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_validation(data: bytes) -> None:
    assert_clean(data)


@settings(max_examples=300, deadline=HANG_GUARD)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=500))
def test_random_text_never_crashes_validation(text: str) -> None:
    assert_clean(text.encode())


@pytest.mark.slow
@settings(max_examples=400, deadline=HANG_GUARD)
@given(mutated())
def test_mutated_examples_never_crash_validation(data: bytes) -> None:
    assert_clean(data)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few random byte-level edits (the CLI test's own fuzzer, seeded and repeatable)."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(max(1, len(buffer)))
        choice = rng.random()
        if choice < 0.4 and buffer:
            buffer[at] = rng.randrange(256)
        elif choice < 0.7:
            buffer[at:at] = rng.choice([b": ", b"- ", b"&x ", b"*x", b"{", b"]", b"\t", b"\n  "])
        else:
            del buffer[at : at + rng.randint(1, 30)]
    return bytes(buffer)


@pytest.mark.slow
@pytest.mark.store
def test_mutated_files_through_the_cli(run: Run, tmp_path: Path) -> None:
    rng = random.Random(20261129)
    path = tmp_path / "fuzzed.yaml"
    for number in range(60):
        data = mutate(rng.choice(SEEDS), rng)
        path.write_bytes(data)
        for command in ("validate", "import"):
            result = run(command, path)
            assert result.exit_code in {0, 1, 2}, (number, data, result.output)
            assert "Traceback" not in result.output
            assert "internal error" not in result.output, (number, data, result.output)


def test_every_finding_code_the_checks_can_give_is_documented() -> None:
    """Every code literal a check hands to ``report.add``, ``AnswerProblem`` or ``Finding`` is in
    RULES, which `validate --help` and the docs list. Read from the syntax tree, so a call laid
    out over any number of lines counts (a line-based pattern missed ``ai-act-incomplete``)."""
    import ast

    import genai_pilots.domain

    code_shape = re.compile(r"[a-z]+(?:-[a-z0-9]+)+")
    makers = {"add", "AnswerProblem", "Finding"}
    found = set()
    sources = list(Path(genai_pilots.domain.__file__).parent.glob("*.py"))
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name not in makers:
                continue
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    if code_shape.fullmatch(argument.value):
                        found.add(argument.value)
    assert {"kpi-direction", "ai-act-incomplete", "ai-act-care"} <= found  # the walk finds codes
    assert sorted(found - set(RULES)) == []
