"""Rules beyond the schema: KPIs, period, AI Act risk class, patient identifiers, claimed stage."""

from __future__ import annotations

import pytest

from genai_pilots.domain.findings import Severity
from genai_pilots.domain.pii import passes_11_proef, scan
from genai_pilots.domain.validation import FileResult, validate_text
from genai_pilots.services.playbooks import default_playbook
from tests.conftest import MINIMAL


def check(text: str) -> FileResult:
    return validate_text(text.encode(), "pilot.yaml", default_playbook())


def codes(result: FileResult) -> list[str]:
    return [f.code for f in result.findings]


def test_minimal_definition_is_valid() -> None:
    result = check(MINIMAL)
    assert result.findings == []
    assert result.definition is not None
    assert result.definition.stage == "start-klein"


def test_duplicate_kpi_ids_are_an_error_at_the_second() -> None:
    result = check(
        MINIMAL
        + "start_klein:\n  kpis:\n"
        + "    - {id: tijd, name: A, unit: min, baseline: 1, target: 2, direction: higher}\n"
        + "    - {id: tijd, name: B, unit: min, baseline: 1, target: 2, direction: higher}\n"
    )
    [finding] = result.findings
    assert (finding.code, finding.line, finding.field) == (
        "kpi-duplicate",
        9,
        "start_klein.kpis[1].id",
    )


def test_period_must_end_after_it_starts() -> None:
    result = check(MINIMAL + "start_klein:\n  period: {start: 2026-05-01, end: 2026-05-01}\n")
    [finding] = result.findings
    assert finding.code == "period-order"
    assert finding.field == "start_klein.period.end"


def test_declared_risk_class_below_the_answers_is_an_error_naming_the_article() -> None:
    result = check(MINIMAL + "governance:\n  ai_act:\n" + DEPLOYER_TRIAGE.format(cls="minimal"))
    [finding] = result.findings
    assert finding.code == "ai-act-risk-class"
    assert "Annex III" in finding.message and "emergency-triage" in finding.message
    assert "set risk_class: high" in finding.message


def test_declaring_a_higher_class_than_the_answers_is_allowed() -> None:
    text = MINIMAL + "governance:\n  ai_act:\n" + DEPLOYER_TRIAGE.format(cls="prohibited")
    assert check(text).findings == []


def test_open_answers_are_a_warning_naming_the_next_question() -> None:
    [finding] = check(MINIMAL + "governance:\n  ai_act: {risk_class: high}\n").findings
    assert (finding.code, finding.severity) == ("ai-act-incomplete", Severity.WARNING)
    assert finding.field == "governance.ai_act.system"
    assert "pilots classify" in finding.message


DEPLOYER_TRIAGE = """\
    risk_class: {cls}
    system: ai-system
    sourcing: external
    in_use: false
    exception: none
    prohibited: []
    annex_i: none
    annex_iii: [emergency-triage]
    organisation: public-service
    profiling: false
    exemption: none
    transparency_uses: []
"""


@pytest.mark.parametrize(
    ("number", "valid"),
    [("123456782", True), ("111222333", True), ("123456789", False), ("000000000", False)],
)
def test_bsn_11_proef(number: str, valid: bool) -> None:
    assert passes_11_proef(number) is valid


def test_a_bsn_anywhere_is_an_error_even_as_a_number() -> None:
    result = check(MINIMAL + "start_klein:\n  scope: patiënt 1234.56.782\n")
    assert codes(result) == ["pii-bsn"]
    assert result.findings[0].severity is Severity.ERROR
    numeric = check(MINIMAL + "skills:\n  target_users: 111222333\n")
    assert codes(numeric) == ["pii-bsn"]


def test_nine_digits_failing_the_11_proef_are_not_flagged() -> None:
    assert check(MINIMAL + "start_klein:\n  scope: dossier 123456789\n").findings == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("rekening NL91 ABNA 0417 1643 00", "pii-iban"),
        ("bel 06-12345678 voor vragen", "pii-phone"),
        ("+31 20 123 4567", "pii-phone"),
        ("mail piet@gmail.com", "pii-email"),
    ],
)
def test_contact_details_outside_the_owner_are_warnings(text: str, code: str) -> None:
    result = check(MINIMAL + f"start_klein:\n  scope: {text}\n")
    assert codes(result) == [code]
    assert result.findings[0].severity is Severity.WARNING
    assert result.errors == []


def test_owner_contact_fields_may_hold_contact_details() -> None:
    text = MINIMAL.replace(
        "owner: {name: I. Vos, email: i.vos@example.org}",
        "owner: {name: I. Vos, email: i.vos@example.org, phone: 06-12345678}",
    )
    assert check(text).findings == []


def test_pii_scan_reports_paths() -> None:
    hits = list(scan({"a": [{"b": "x@y.nl"}], "owner": {"email": "o@y.nl"}}))
    assert [(h.path, h.code) for h in hits] == [(("a", 0, "b"), "pii-email")]


def test_claimed_stage_requires_every_earlier_gate() -> None:
    result = check(MINIMAL + "stage: governance\n")
    failing = [f for f in result.findings if f.code == "gate"]
    assert {f.field for f in failing} == {
        "start_klein.scope",
        "start_klein.value_hypothesis",
        "start_klein.period",
        "start_klein.kpis",
        "start_klein.scale_vision",
    }
    assert all("claims 'governance'" in f.message for f in failing)


def test_outcome_needs_bijsturen_and_a_matching_decision() -> None:
    wrong_stage = check(MINIMAL + "outcome: scaled\n")
    assert codes(wrong_stage) == ["outcome-stage"]


def test_unknown_field_suggests_the_right_name() -> None:
    result = check(MINIMAL.replace("department:", "departmen:"))
    messages = [f.message for f in result.findings]
    assert "unknown field 'departmen'; did you mean 'department'?" in messages


def test_closed_sets_list_the_allowed_values() -> None:
    result = check(MINIMAL.replace("setting: polikliniek", "setting: ziekenhuis"))
    [finding] = result.findings
    assert finding.field == "setting"
    assert "'ziekenhuis' is not allowed; use one of 'polikliniek', 'kliniek'" in finding.message
    assert (finding.line, finding.col) == (3, 10)


def test_dates_must_be_real_dates() -> None:
    result = check(MINIMAL + "start_klein:\n  period: {start: 2026-02-30, end: 2026-03-31}\n")
    [finding] = result.findings
    assert finding.field == "start_klein.period.start"
    assert "expected a date (YYYY-MM-DD), got '2026-02-30'" in finding.message
