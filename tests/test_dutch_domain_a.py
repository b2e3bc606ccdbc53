"""Dutch from the domain: validate's findings, the gate checklist's details, the scaffold.

Places (``file:line:col``), finding codes, keys and field paths stay as they are in Dutch; the
machine formats (SARIF, ``--json``) stay English whatever the language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, INVALID, Run

TRIAGE = "triage-huisartsenpost"
_PLACE_AND_CODE = re.compile(r"^(\S+:\d+:\d+): .*\[([a-z-]+)\]$")


def _places_and_codes(output: str) -> list[tuple[str, str]]:
    """(file:line:col, code) of every finding line of ``validate``'s text output."""
    found = (_PLACE_AND_CODE.match(line) for line in output.splitlines())
    return [(m.group(1), m.group(2)) for m in found if m]


def test_validate_in_dutch_keeps_places_and_codes(run: Run) -> None:
    files = [INVALID / "unknown-field.yaml", INVALID / "duplicate-key.yaml"]
    dutch = run("--lang", "nl", "validate", *files)
    english = run("--lang", "en", "validate", *files)
    assert dutch.exit_code == english.exit_code == 1
    assert _places_and_codes(dutch.stdout) == _places_and_codes(english.stdout) != []
    unknown = str(INVALID / "unknown-field.yaml")
    assert f"{unknown}:2:1: " in dutch.stdout
    assert "department: verplicht veld 'department' ontbreekt; voeg het toe [schema]" in (
        dutch.stdout
    )
    assert "onbekend veld 'departement'; bedoelde u 'department'? [schema]" in dutch.stdout
    assert "dubbele sleutel 'name' (eerst op regel 3); houd er één over [yaml-duplicate-key]" in (
        dutch.stdout
    )
    assert "required field" not in dutch.stdout


def test_validate_in_dutch_explains_a_gate_not_met(run: Run) -> None:
    result = run("--lang", "nl", "validate", INVALID / "stage-gate-not-met.yaml")
    assert result.exit_code == 1
    out = result.stdout
    assert "de periode eindigt (2026-06-01) op of vóór de start (2026-09-01)" in out
    assert "claimt 'skills', maar aan de poort van Sterke governance is niet voldaan" in out
    assert "(governance.legal_basis ontbreekt)" in out
    assert "(governance.dpia.status is in-progress (nodig: done, not-required))" in out
    assert "(goedkeuring ontbreekt van privacy_officer, information_security_officer)" in out


def test_validate_sarif_stays_english_under_dutch(run: Run) -> None:
    path = INVALID / "unknown-field.yaml"
    dutch = run("--lang", "nl", "validate", "--format", "sarif", path)
    english = run("--lang", "en", "validate", "--format", "sarif", path)
    assert dutch.stdout == english.stdout
    messages = [r["message"]["text"] for r in json.loads(dutch.stdout)["runs"][0]["results"]]
    assert "department: required field 'department' is missing; add it" in messages


def test_the_scaffold_comments_in_dutch_keys_as_they_are(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "nieuw.yaml"
    result = run(
        "--lang", "nl", "new", "--scaffold", target, "--id", "nieuw-pilot", "--name", "Nieuw",
        "--setting", "ggz", "--department", "Jeugd", "--owner-name", "A. Bakker",
        "--owner-email", "a.bakker@example.org",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "id: nieuw-pilot                     # kleine letters, cijfers en streepjes; verander " \
        "dit nooit" in lines  # fmt: skip
    assert "  period: null                     # {start: 2026-03-01, end: 2026-09-01}" in lines
    classify = "  ai_act: null                     # `pilots classify THIS-FILE` stelt de vragen en"
    assert classify in lines
    assert (
        "                                   # schrijft de antwoorden hier (rol, bijlage I/III, "
        "art. 50, ...)" in lines
    )
    assert "skills:                            # 3. Investeer in vaardigheden (AI-geletterdheid, " \
        "art. 4)" in lines  # fmt: skip
    assert "never change it" not in text
    assert run("validate", target).exit_code == 0


@pytest.mark.store
def test_the_gate_checklist_details_in_dutch_json_in_english(run: Run, store_url: str) -> None:
    imported = run("import", EXAMPLES / f"{TRIAGE}.yaml", "--by", "innovatie", "--db", store_url)
    assert imported.exit_code == 0, imported.output
    shown = run("--lang", "nl", "gate", TRIAGE, "--db", store_url)
    assert "goedkeuring ontbreekt van privacy_officer, information_security_officer" in (
        shown.stdout
    )
    assert "governance.legal_basis is ingevuld" in shown.stdout
    assert "governance.log_retention_months is 3 (nodig: >= 6)" in shown.stdout
    assert "missing approval of" not in shown.stdout
    machine = json.loads(run("--lang", "nl", "gate", TRIAGE, "--json", "--db", store_url).stdout)
    details = {c["id"]: c["detail"] for c in machine["criteria"]}
    assert details["approvals"] == (
        "missing approval of privacy_officer, information_security_officer"
    )
    assert details["legal-basis"] == "governance.legal_basis is set"
