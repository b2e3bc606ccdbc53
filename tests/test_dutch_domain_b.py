"""Dutch from the AI Act classification, the PII guard, names and the training ledger.

``--lang nl`` shows the classification's reasons and notes, the answers' problems, identifier
findings, refused names and training problems in Dutch; ``--json`` and the machine formats of
``validate`` stay English.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, INVALID, Run, set_today, write

ROSTER = EXAMPLES / "roosterassistent-ondersteuning.yaml"  # Annex III, exempted under Art. 6(3)
BSN = INVALID / "bsn-in-scope.yaml"  # a BSN (123456782) pasted into the scope
TOO_LOW = INVALID / "risk-class-too-low.yaml"


def test_classify_gives_its_reasons_and_notes_in_dutch(run: Run) -> None:
    result = run("--lang", "nl", "classify", ROSTER)
    assert result.exit_code == 0, result.output
    reason = "toepassing uit bijlage III uitgezonderd op grond van art. 6 lid 3 (preparatory-task)"
    assert reason in result.output
    assert "de beoordeling van art. 6 lid 3 is aan de aanbieder (art. 6 lid 4)" in result.output
    assert "Annex III use exempted" not in result.output


def test_classify_json_stays_english_under_dutch(run: Run) -> None:
    result = run("--lang", "nl", "classify", ROSTER, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["reasons"] == ["Annex III use exempted under Art. 6(3) (preparatory-task)"]
    assert data["notes"][0].startswith("the Art. 6(3) assessment is the provider's")
    titles = {o["key"]: o["title"] for o in data["obligations"]}
    assert titles["ai-literacy"] == "AI literacy of the staff who operate and use it"


def test_validate_names_a_patient_identifier_in_dutch_without_quoting_it(run: Run) -> None:
    result = run("--lang", "nl", "validate", BSN)
    assert result.exit_code == 1, result.output
    assert (
        "lijkt op een BSN (voldoet aan de 11-proef); haal identificerende gegevens van "
        "patiënten uit definities [pii-bsn]"
    ) in result.output
    assert "123456782" not in result.output


def test_validate_sarif_names_the_identifier_in_english(run: Run) -> None:
    result = run("--lang", "nl", "validate", BSN, "--format", "sarif")
    assert "looks like a BSN (passes the 11-proef)" in result.stdout
    assert "lijkt op een BSN" not in result.stdout
    assert "123456782" not in result.stdout


def test_a_risk_class_too_low_is_explained_in_dutch(run: Run) -> None:
    result = run("--lang", "nl", "validate", TOO_LOW)
    assert result.exit_code == 1, result.output
    assert "opgegeven is 'limited', maar volgens de antwoorden is het minstens 'high'" in (
        result.output
    )
    assert "zet risk_class: high [ai-act-risk-class]" in result.output


@pytest.mark.store
def test_a_blank_person_is_refused_in_dutch(run: Run) -> None:
    imported = run("import", EXAMPLES / "ambient-scribe-cardiologie.yaml", "--by", "innovatie")
    assert imported.exit_code == 0, imported.output
    result = run(
        "--lang", "nl", "training", "add", "ambient-scribe-cardiologie",
        "--person", "   ", "--course", "AI-geletterdheid basis", "--date", "2026-01-01",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--person is leeg: geef de naam van een persoon" in result.output


@pytest.mark.store
def test_a_training_file_with_a_future_date_is_refused_in_dutch(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, dt.date(2026, 11, 30))
    imported = run("import", EXAMPLES / "ambient-scribe-cardiologie.yaml", "--by", "innovatie")
    assert imported.exit_code == 0, imported.output
    rows = "person,course,date\nL. Brouwer,AI-geletterdheid basis,2026-12-15\n"
    csv = write(tmp_path / "scholing.csv", rows)
    result = run("--lang", "nl", "training", "import", "ambient-scribe-cardiologie", csv)
    assert result.exit_code != 0, result.output
    assert (
        "kolom C (date): 15 december 2026 ligt in de toekomst (vandaag is het 30 november 2026)"
    ) in result.output
