"""Numbers as a user types them (issue 15, item 1, part of it): negative values on the command
line, non-finite values in YAML, a KPI target on the wrong side, absurd counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_pilots.domain.validation import validate_text
from genai_pilots.services.playbooks import default_playbook
from tests.conftest import EXAMPLES, MINIMAL, Run

SCRIBE = "ambient-scribe-cardiologie"


def codes(text: str) -> list[tuple[str, str]]:
    result = validate_text(text.encode(), "p.yaml", default_playbook())
    return [(f.code, f.field) for f in result.findings]


def kpi(baseline: str, target: str, direction: str = "lower") -> str:
    return (MINIMAL + "start_klein:\n  kpis:\n    - {id: kk, name: K, unit: u, "
            f"baseline: {baseline}, target: {target}, direction: {direction}}}\n")  # fmt: skip


@pytest.mark.parametrize("value", ["1e309", "-1e309", ".inf", ".nan"])
def test_a_kpi_baseline_that_is_no_finite_number_is_refused(value: str) -> None:
    found = codes(kpi(value, "3"))
    assert found, value
    assert any(field == "start_klein.kpis[0].baseline" for _, field in found)


def test_nan_is_named_as_such_not_as_quoted_text() -> None:
    result = validate_text(kpi(".nan", "3").encode(), "p.yaml", default_playbook())
    messages = [f.message for f in result.findings]
    assert any("finite number" in m for m in messages)
    assert not any("quotes" in m for m in messages)


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "wrong"),
    [("10", "12", "lower", True), ("10", "8", "lower", False),
     ("10", "8", "higher", True), ("10", "12", "higher", False), ("10", "10", "lower", False)],
)  # fmt: skip
def test_a_target_on_the_wrong_side_of_its_baseline_is_an_error(
    baseline: str, target: str, direction: str, wrong: bool
) -> None:
    found = codes(kpi(baseline, target, direction))
    assert (("kpi-direction", "start_klein.kpis[0].target") in found) is wrong


def test_a_negative_value_is_a_value_on_the_command_line(run: Run) -> None:
    assert run("import", EXAMPLES / f"{SCRIBE}.yaml").exit_code == 0
    result = run("measure", SCRIBE, "correcties", "-5", "--date", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert "correcties = -5" in result.stdout


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e309"])
def test_a_non_finite_value_on_the_command_line_is_refused(run: Run, value: str) -> None:
    assert run("import", EXAMPLES / f"{SCRIBE}.yaml").exit_code == 0
    result = run("measure", SCRIBE, "correcties", value, "--date", "2026-10-01")
    assert result.exit_code == 2 and "not a finite number" in result.stderr


def test_an_absurd_limit_is_a_usage_error_not_a_crash(run: Run, tmp_path: Path) -> None:
    result = run("status", "--limit", "99999999999999999999")
    assert result.exit_code == 2
    assert "internal error" not in result.output


def test_extreme_finite_values_never_crash_a_view(run: Run, tmp_path: Path) -> None:
    import json

    assert run("import", EXAMPLES / f"{SCRIBE}.yaml").exit_code == 0
    for day, value in (("2026-10-01", "1e308"), ("2026-10-02", "-1e308"), ("2026-10-03", "1e308")):
        assert run("measure", SCRIBE, "correcties", value, "--date", day).exit_code == 0
    shown = run("kpis", SCRIBE)
    assert shown.exit_code == 0, shown.output
    data = json.loads(run("kpis", SCRIBE, "--json").stdout)  # no Infinity or NaN in JSON
    [correcties] = [k for k in data["kpis"] if k["kpi"] == "correcties"]
    assert correcties["latest"] == 1e308
    for command in (("metrics",), ("report", "-o", str(tmp_path / "r.html")), ("status",)):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
