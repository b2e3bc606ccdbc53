"""Bijsturen: measurements, trends per setting, decisions, metrics, the report, publication."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from genai_pilots import clock
from genai_pilots.domain.kpis import progress, sparkline
from tests.conftest import ENGINES, EXAMPLES, MINIMAL, Run, png_ink, write

SCRIBE = "ambient-scribe-cardiologie"

pytestmark = pytest.mark.store


@pytest.fixture
def imported(run: Run) -> Run:
    assert run("import", EXAMPLES).exit_code == 0
    return run


def to_bijsturen(run: Run, pilot: str) -> None:
    for _ in range(5):
        result = run("advance", pilot, "--force", "--reason", "test: straight to bijsturen")
        if "bijsturen" in result.stdout.split("→")[-1]:
            return
    raise AssertionError("did not reach bijsturen")


def csv_file(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / "metingen.csv", text)


def kpis(run: Run, pilot: str) -> Any:
    result = run("kpis", pilot, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["kpis"]


@pytest.mark.store(engines=("sqlite",))  # pure arithmetic: no store involved
@pytest.mark.parametrize(
    ("baseline", "target", "value", "expected"),
    [
        (12, 8, 10, 0.5),  # lower is better, halfway
        (12, 8, 8, 1.0),
        (12, 8, 13, -0.25),  # got worse
        (5.5, 7.5, 6.5, 0.5),  # higher is better, halfway
        (5.5, 7.5, 8.5, 1.5),  # beyond target
        (3, 3, 4, None),  # no distance to cover
    ],
)
def test_progress_respects_direction(
    baseline: float, target: float, value: float, expected: float | None
) -> None:
    assert progress(baseline, target, value) == expected


@pytest.mark.store(engines=("sqlite",))
def test_sparkline() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([5, 5]) == "▅▅"
    assert sparkline([]) == ""


def test_measure_one_value_and_see_the_trend(imported: Run) -> None:
    result = imported("measure", SCRIBE, "documentatietijd", "10", "--date", "2026-04-01")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"recorded documentatietijd = 10 for {SCRIBE} on 2026-04-01"
    first = kpis(imported, SCRIBE)[0]
    assert (first["kpi"], first["latest"], first["change"], first["progress"]) == (
        "documentatietijd", 10.0, -2.0, 0.5,
    )  # fmt: skip
    assert first["improving"] is True
    table = imported("kpis", SCRIBE).stdout
    assert "documentatietijd" in table and "50%" in table


def test_measure_rejects_unknown_kpis_and_settings(imported: Run) -> None:
    unknown = imported("measure", SCRIBE, "wachttijd", "3")
    assert unknown.exit_code == 2
    assert (
        "no KPI 'wachttijd' (KPIs: documentatietijd, tevredenheid-arts, correcties)"
        in unknown.stderr
    )
    setting = imported("measure", SCRIBE, "correcties", "3", "--setting", "ziekenhuis")
    assert setting.exit_code == 2
    assert "setting 'ziekenhuis' is not one of" in setting.stderr
    assert imported("measure", SCRIBE).exit_code == 2


def test_csv_in_two_settings_gives_a_trend_per_setting(imported: Run, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "kpi,date,value,setting,note\n"
        "documentatietijd,2026-04-01,11,polikliniek,\n"
        "documentatietijd,2026-05-01,9,polikliniek,\n"
        "documentatietijd,2026-04-01,12.5,thuiszorg,pilot bij de wijkverpleging\n"
        'documentatietijd,2026-05-01,"11,5",thuiszorg,\n',
    )
    result = imported("measure", SCRIBE, "--csv", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"recorded 4 measurements of {SCRIBE} from {path}"
    rows = [k for k in kpis(imported, SCRIBE) if k["kpi"] == "documentatietijd"]
    assert [(r["setting"], r["latest"]) for r in rows] == [
        (None, 10.25), ("polikliniek", 9.0), ("thuiszorg", 11.5),
    ]  # fmt: skip
    assert rows[0]["points"] == [["2026-04-01", 11.75], ["2026-05-01", 10.25]]
    assert rows[1]["progress"] == 0.75
    table = imported("kpis", SCRIBE).stdout
    assert "polikliniek" in table and "thuiszorg" in table


def test_a_bad_csv_row_is_named_and_nothing_is_stored(imported: Run, tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "kpi,date,value\ndocumentatietijd,2026-04-01,11\ndocumentatietijd,2026-13-01,9\n",
    )
    result = imported("measure", SCRIBE, "--csv", path)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: {path}:3: column B (date): '2026-13-01' does not exist: there is no month 13; "
        "nothing was stored"
    )
    assert all(k["latest"] is None for k in kpis(imported, SCRIBE))
    bad_header = csv_file(tmp_path, "kpi,when,value\n")
    header = imported("measure", SCRIBE, "--csv", bad_header)
    assert header.exit_code == 2
    assert "missing column date; unknown column when" in header.stderr
    bad_value = csv_file(tmp_path, "kpi,date,value\ncorrecties,2026-04-01,veel\n")
    assert (
        f"{bad_value}:2: column C (value): 'veel' is not a number"
        in imported("measure", SCRIBE, "--csv", bad_value).stderr
    )


def test_measurements_from_yaml_are_imported_and_follow_the_file(
    run: Run, examples_copy: Path
) -> None:
    assert run("import", examples_copy).exit_code == 0
    points = kpis(run, "ggz-intake-samenvatting")[0]["points"]
    assert points[-1] == ["2026-01-15", 9.5]
    path = examples_copy / "ggz-intake-samenvatting.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "date: 2026-01-15, value: 9.5", "date: 2026-01-15, value: 9"
        ),
        encoding="utf-8",
    )
    assert run("import", path).exit_code == 0
    assert kpis(run, "ggz-intake-samenvatting")[0]["points"][-1] == ["2026-01-15", 9.0]
    assert run("audit", "verify").exit_code == 0


def test_the_bijsturen_gate_needs_measurements_then_scale_ends_the_pilot(
    imported: Run, tmp_path: Path
) -> None:
    to_bijsturen(imported, SCRIBE)
    refused = imported("decide", SCRIBE, "scale", "--reason", "lijkt goed")
    assert refused.exit_code == 1
    assert "Every KPI measured at least 3 times over at least 8 weeks" in refused.stdout
    rows = "".join(
        f"{kpi},{day},{value}\n"
        for kpi, values in (("documentatietijd", (11, 9, 8)), ("tevredenheid-arts", (6, 7, 7.8)),
                            ("correcties", (5, 4, 3)))
        for day, value in zip(("2026-04-01", "2026-05-01", "2026-06-01"), values, strict=True)
    )  # fmt: skip
    assert (
        imported(
            "measure", SCRIBE, "--csv", csv_file(tmp_path, "kpi,date,value\n" + rows)
        ).exit_code
        == 0
    )
    assert imported("gate", SCRIBE).exit_code == 0
    adjust = imported("decide", SCRIBE, "adjust", "--reason", "nog een ronde met nieuwe sjablonen")
    assert adjust.stdout.strip() == f"{SCRIBE} stays in bijsturen (iteration 1)"
    scaled = imported("decide", SCRIBE, "scale", "--reason", "doelen gehaald, naar alle poli's")
    assert scaled.exit_code == 0
    assert scaled.stdout.strip() == f"{SCRIBE} ended: scaled"
    status = json.loads(imported("status", "--json").stdout)
    assert status["funnel"]["scaled"] == 2
    assert imported("decide", SCRIBE, "stop", "--reason", "x").exit_code == 1
    assert imported("audit", "verify").exit_code == 0


def test_stop_needs_no_evidence_and_scaling_only_happens_in_bijsturen(imported: Run) -> None:
    early = imported("decide", SCRIBE, "scale", "--reason", "x")
    assert early.exit_code == 1
    assert "decisions to scale are taken in bijsturen" in early.stderr
    to_bijsturen(imported, SCRIBE)
    stopped = imported("decide", SCRIBE, "stop", "--reason", "leverancier stopt")
    assert stopped.stdout.strip() == f"{SCRIBE} ended: stopped"


def test_a_pilot_can_be_stopped_at_any_stage_even_paused(imported: Run) -> None:
    """A prohibited practice or a failed pilot must be able to end before bijsturen."""
    triage = "triage-huisartsenpost"
    assert imported("pause", triage, "--reason", "verboden praktijk?").exit_code == 0
    stopped = imported("decide", triage, "stop", "--reason", "valt onder Art. 5")
    assert stopped.exit_code == 0, stopped.output
    assert stopped.stdout.strip() == f"{triage} ended: stopped"
    again = imported("advance", triage)
    assert again.exit_code != 0
    assert imported("audit", "verify").exit_code == 0


def test_metrics(imported: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    later = clock.now() + dt.timedelta(days=10)
    monkeypatch.setattr(clock, "now", lambda: later)
    result = json.loads(imported("metrics", "--json").stdout)
    assert result["pilots"] == 7
    assert result["per_stage"]["governance"] == 2
    assert result["per_setting"]["ggz"] == {"scaled": 1}
    assert result["median_days_in_stage"]["governance"] == pytest.approx(10, abs=0.1)
    assert result["top_blockers"][0] == {
        "criterion": "approvals", "says": "Approved by the FG and the CISO", "pilots": 2,
    }  # fmt: skip
    text = imported("metrics").stdout
    assert "criteria that block the most pilots" in text and "median days in stage" in text


@pytest.mark.store(fast=ENGINES)
def test_metrics_blockers_are_what_each_pilots_gate_says(imported: Run) -> None:
    """Metrics reads measurements only for pilots whose gate counts them: the blockers must
    still be the failing criteria each pilot's own gate shows, a measured pilot among them."""
    from collections import Counter

    to_bijsturen(imported, SCRIBE)
    for kpi in ("documentatietijd", "tevredenheid-arts", "correcties"):
        for day in ("2026-08-01", "2026-09-01", "2026-10-01"):  # enough: its gate is met
            measured = imported("measure", SCRIBE, kpi, "7", "--date", day)
            assert measured.exit_code == 0, measured.output
    listed = json.loads(imported("status", "--json").stdout)["pilots"]
    counted: Counter[str] = Counter()
    for pilot in listed:
        if pilot["outcome"] is None:
            gate = json.loads(imported("gate", pilot["id"], "--json").stdout)
            counted.update(c["id"] for c in gate["criteria"] if not c["met"])
    scribe = json.loads(imported("gate", SCRIBE, "--json").stdout)["criteria"]
    assert [c["met"] for c in scribe if c["id"] == "measurements"] == [True]
    shown = json.loads(imported("metrics", "--json").stdout)["top_blockers"]
    assert {b["criterion"]: b["pilots"] for b in shown} == dict(counted.most_common(10))


@pytest.mark.store
def test_metrics_are_the_same_when_a_forked_worker_judges_part_of_the_pilots(
    imported: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large register is judged in two processes; the board must see the same numbers."""
    from genai_pilots.services import metrics, parallel

    alone = imported("metrics", "--json")
    assert alone.exit_code == 0, alone.output
    forked = []

    def counted() -> Any:
        forked.append(True)
        return parallel.one_forked_worker()

    monkeypatch.setattr(metrics, "PARALLEL_FROM", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(metrics, "one_forked_worker", counted)
    split = imported("metrics", "--json")
    assert split.exit_code == 0, split.output
    assert forked == [True]
    assert json.loads(split.stdout) == json.loads(alone.stdout)
    assert json.loads(split.stdout)["top_blockers"][0]["pilots"] == 2


def test_report_escapes_user_text(run: Run, tmp_path: Path) -> None:
    evil = MINIMAL.replace("name: Minimal pilot", 'name: "<script>alert(1)</script>"')
    write(tmp_path / "defs" / "evil.yaml", evil)
    assert run("import", tmp_path / "defs", EXAMPLES).exit_code == 0
    out = tmp_path / "report.html"
    result = run("report", "-o", out)
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # nothing fetched from a network
    assert 'src="http' not in html and "<link" not in html


@pytest.mark.slow
def test_report_renders_in_headless_chromium(
    imported: Run, tmp_path: Path, headless_chromium: list[str]
) -> None:
    imported("measure", SCRIBE, "documentatietijd", "10", "--date", "2026-04-01")
    out = tmp_path / "report.html"
    assert imported("report", "-o", out).exit_code == 0
    shot = tmp_path / "report.png"
    subprocess.run(
        [*headless_chromium, "--window-size=1200,1600", f"--screenshot={shot}", out.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert shot.stat().st_size > 20_000
    assert png_ink(shot) > 0.02


def test_algoritmeregister_export(imported: Run, tmp_path: Path) -> None:
    """The publication standard's own field names; who publishes is the register's setting,
    overridden here for one export. The whole standard: tests/test_algoritmeregister.py."""
    contact = imported("publication", "set", "contact", "algoritmes@zorggroep-oost.nl")
    assert contact.exit_code == 0, contact.output
    out = tmp_path / "register.json"
    result = imported(
        "export", "--format", "algoritmeregister", "ggz-intake-samenvatting",
        "roosterassistent-ondersteuning", SCRIBE, "--organisation", "Zorggroep Oost", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = {r["source_id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    scaled = records["ggz-intake-samenvatting"]
    assert scaled["status"] == "In gebruik"
    assert scaled["organization"] == "Zorggroep Oost"
    assert scaled["contact_email"] == "algoritmes@zorggroep-oost.nl"
    assert scaled["impacttoetsen_grouping"] == [
        {"title": "Data Protection Impact Assessment (DPIA)"}
    ]
    assert scaled["lawful_basis"].startswith("AVG art. 6(1)(c)")
    assert scaled["provider"] == "eigen ontwikkeling"
    assert scaled["begin_date"] == "2025-09" and "end_date" not in scaled
    assert scaled["lang"] == "nld" and scaled["standard_version"] == "1.0"
    stopped = records["roosterassistent-ondersteuning"]
    assert stopped["status"] == "Buiten gebruik"
    assert stopped["end_date"] == "2025-12"  # ended before it was imported: its period's end
    assert records[SCRIBE]["status"] == "In ontwikkeling"  # its period is over, no decision
    for field in ("name", "description_short", "goal", "human_intervention", "risks",
                  "source_data", "methods_and_models", "publication_category"):  # fmt: skip
        assert scaled[field], field
    for gone in ("risk_management", "impact_assessments", "department"):
        assert gone not in scaled
