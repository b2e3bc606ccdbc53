"""The views in Dutch: tables, checklists, summary lines, dates and the board report.

``--lang nl`` on the real commands, on the examples, with the clock set to Monday 30 November
2026 (ISO week 49): what a Dutch user reads. Machine output (``--json``, iCalendar) stays English.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Run, set_today

SCRIBE = "ambient-scribe-cardiologie"
TRIAGE = "triage-huisartsenpost"
TODAY = dt.date(2026, 11, 30)


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def register(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The examples on 30 November 2026, with a waiver of the triage gate until 10 December."""
    set_today(monkeypatch, TODAY)
    ok(run("import", EXAMPLES, "--by", "innovatie"))
    ok(run("waive", TRIAGE, "high-risk-logs", "--until", "2026-12-10", "--reason",
           "logopslag wordt gemigreerd", "--role", "information_security_officer",
           "--by", "R. Bakker"))  # fmt: skip
    return run


def test_status_in_dutch(register: Run) -> None:
    out = ok(register("status", "--lang", "nl")).stdout
    header = out.splitlines()[0].split()
    assert header[:5] == ["pilot", "naam", "zorgsetting", "eigenaar", "fase"]
    assert "eerste blokkade" in out.splitlines()[0] and "activiteit" in out.splitlines()[0]
    assert "30 november 2026" in out and "2026-11-30" not in out
    assert "●●●●● opgeschaald" in out and "●●●●● gestopt" in out
    assert "| opgeschaald 1 · gestopt 1" in out
    assert (
        "ontheffing verloopt triage-huisartsenpost: high-risk-logs op 10 december 2026 (week 50) "
        "(verleend door R. Bakker als information_security_officer)" in out
    )
    assert "te weinig geschoold ggz-intake-samenvatting: voorbij de poort van skills" in out


def test_status_in_english_is_unchanged(register: Run) -> None:
    out = ok(register("status")).stdout
    assert out.splitlines()[0].split()[:5] == ["pilot", "name", "setting", "owner", "stage"]
    assert (
        "waiver expires triage-huisartsenpost: high-risk-logs on 2026-12-10 "
        "(granted by R. Bakker as information_security_officer)" in out
    )


def test_show_in_dutch(register: Run) -> None:
    out = ok(register("show", SCRIBE, "--lang", "nl")).stdout
    assert "huidige poort" in out and "recente geschiedenis" in out and "goedkeuringen" in out
    assert "in fase sinds   30 november 2026 09:00" in out
    assert "KPI's" in out and "(5,5 → 7,5 score 1-10)" in out  # decimal comma
    assert "geschoold       0 van 6 in het scholingsregister (de definitie noemt 5)" in out
    assert f"{SCRIBE}: poort van skills (Investeer in vaardigheden) — 3/4, niet voldaan" in out
    assert "alleen opgegeven in YAML" in out and "14 februari 2026" in out
    assert "wanneer (UTC)" in out and "gebeurtenis" in out


def test_show_waivers_in_dutch(register: Run) -> None:
    out = ok(register("show", TRIAGE, "--lang", "nl")).stdout
    assert "ontheffingen" in out
    assert "10 december 2026 (week 50)" in out
    assert "van kracht: vraagt aandacht" in out


def test_gate_checklist_in_dutch(register: Run) -> None:
    result = register("gate", SCRIBE, "--lang", "nl")
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(
        f"{SCRIBE}: poort van skills (Investeer in vaardigheden) — 3/4, niet voldaan"
    )
    assert "[users-trained]" in result.stdout  # criterion ids stay as they are


def test_gate_json_stays_english(register: Run) -> None:
    result = register("gate", SCRIBE, "--json", "--lang", "nl")
    data = json.loads(result.stdout)
    assert data["stage"] == "skills" and data["met"] is False
    assert "niet voldaan" not in result.stdout and "poort" not in result.stdout


def test_due_in_dutch(register: Run) -> None:
    out = ok(register("due", "--lang", "nl")).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["wanneer", "datum", "pilot", "wat", "toelichting"]
    assert "over 10 dagen" in out and "10 december 2026 (week 50)" in out
    assert "wacht 0 dagen" in out
    assert lines[-1].endswith("(per 30 november 2026)")
    assert "te doen binnen 30 dagen" in lines[-1]


def test_due_calendar_stays_english(register: Run) -> None:
    out = ok(register("due", "--ical", "--lang", "nl")).stdout
    assert "(waiting 0 days)" in out and "wacht" not in out
    assert "; due 2026-12-10" in out


def test_metrics_and_kpis_in_dutch(register: Run) -> None:
    out = ok(register("metrics", "--lang", "nl")).stdout
    assert out.splitlines()[0] == (
        "7 pilots · 0 doorbraken · 1 geldende ontheffingen (1 verlopen binnen 14 dagen)"
    )
    assert "pilots per fase, en mediaan aantal dagen in de fase" in out
    assert "criteria die de meeste pilots blokkeren" in out and "wat het vraagt" in out
    kpis = ok(register("kpis", SCRIBE, "--lang", "nl")).stdout
    assert "nulmeting" in kpis and "voortgang" in kpis and "alle" in kpis
    assert "5,5" in kpis and "7,5 ↑" in kpis


def test_history_in_dutch(register: Run) -> None:
    out = ok(register("history", TRIAGE, "--lang", "nl", env={"COLUMNS": "200"})).stdout
    assert "wanneer (UTC)" in out and "wie" in out and "reden" in out
    assert "high-risk-logs van governance tot 10 december 2026" in out


def test_report_in_dutch(register: Run, tmp_path: Path) -> None:
    dutch, english = tmp_path / "rapport.html", tmp_path / "report.html"
    ok(register("report", "-o", dutch, "--lang", "nl"))
    ok(register("report", "-o", english))
    html = dutch.read_text(encoding="utf-8")
    assert '<html lang="nl">' in html
    headings = ("Trechter", "Te doen", "Tijd per fase", "KPI's tegenover nulmeting en doel",
                "Geldende ontheffingen", "Openstaande incidenten", "Vastgelegd bewijs")  # fmt: skip
    for heading in headings:
        assert f"<h2>{heading}</h2>" in html or f"<h3>{heading}</h3>" in html, heading
    assert "Portfolio van 7 pilots · playbook default · gemaakt 30 november 2026 09:00 UTC" in html
    assert "<td>10 december 2026 (week 50)</td>" in html
    assert "<code>pilots due</code> toont ze allemaal" in html  # markup kept, not escaped
    assert '"medianDays": "mediaan dagen"' in html  # the charts' legends
    text = english.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "<h2>Funnel</h2>" in text
    assert "<td>2026-12-10</td>" in text


def test_validate_summary_in_dutch(run: Run) -> None:
    result = run("validate", EXAMPLES / "invalid" / "tab-indentation.yaml", "--lang", "nl")
    assert result.exit_code == 1
    assert (
        result.stdout.splitlines()[-1]
        == "1 bestand gecontroleerd: 1 fout, 0 waarschuwingen in 1 bestand"
    )
