"""Incidents: numbered per pilot, AI Act deadlines, holding bijsturen while open and serious."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Login, Run, set_today, sql, tamper

SCRIBE = "ambient-scribe-cardiologie"  # at skills
LETTER = "ontslagbrief-interne-geneeskunde"
TODAY = dt.date(2026, 12, 1)

pytestmark = pytest.mark.store


@pytest.fixture
def imported(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    set_today(monkeypatch, TODAY)
    assert run("import", EXAMPLES).exit_code == 0
    return run


def to_bijsturen(run: Run, pilot: str) -> None:
    for _ in range(5):
        result = run("advance", pilot, "--force", "--reason", "test: straight to bijsturen")
        if "bijsturen" in result.stdout.split("→")[-1]:
            return
    raise AssertionError("did not reach bijsturen")


def measured(run: Run, pilot: str) -> None:
    for kpi in ("documentatietijd", "tevredenheid-arts", "correcties"):
        for day in ("2026-04-01", "2026-05-15", "2026-07-01"):
            assert run("measure", pilot, kpi, "5", "--date", day).exit_code == 0


def listed(run: Run, *args: str) -> list[dict[str, Any]]:
    result = run("incident", "list", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["incidents"]  # type: ignore[no-any-return]


def add(run: Run, pilot: str, *extra: str) -> Any:
    return run(
        "incident", "add", pilot, "--summary", "verkeerde dosering in het verslag",
        "--occurred", "2026-11-27", "--aware", "2026-11-28", *extra,
    )  # fmt: skip


def test_add_numbers_per_pilot_and_shows_the_deadlines(imported: Run) -> None:
    first = add(imported, SCRIBE, "--serious")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        f"incident 1 of {SCRIBE} recorded (serious)",
        "  notify provider by 2026-11-29: OVERDUE (AI Act Art. 26(5): without delay)",
        "  notify authority by 2026-12-13: open (AI Act Art. 73(2): within 15 days of becoming "
        "aware)",
    ]
    assert add(imported, SCRIBE).exit_code == 0
    assert add(imported, LETTER).exit_code == 0
    rows = sql("SELECT pilot_id, number, serious, opened_by FROM incident ORDER BY id")
    assert [(p, n, bool(s)) for p, n, s, _ in rows] == [
        (SCRIBE, 1, True), (SCRIBE, 2, False), (LETTER, 1, False),
    ]  # fmt: skip
    mine = listed(imported, SCRIBE)
    assert [(i["number"], i["open"]) for i in mine] == [(1, True), (2, True)]
    assert [(d["to"], d["due"], d["overdue"]) for d in mine[0]["deadlines"]] == [
        ("provider", "2026-11-29", True), ("authority", "2026-12-13", False),
    ]  # fmt: skip
    assert mine[1]["deadlines"] == []  # not serious: the law sets no deadline
    table = imported("incident", "list").stdout
    assert f"{SCRIBE} #1" in table and f"{LETTER} #1" in table and "OVERDUE" in table
    events = json.loads(imported("history", SCRIBE, "--json").stdout)["events"]
    assert events[-1]["kind"] == "incident-opened"
    assert events[-1]["payload"]["number"] == 2
    assert "incidents of " + SCRIBE in imported("show", SCRIBE).stdout
    assert imported("audit", "verify").exit_code == 0


def test_notify_update_and_close(imported: Run) -> None:
    assert add(imported, SCRIBE, "--serious").exit_code == 0
    told = imported("incident", "notify", SCRIBE, "1", "--to", "provider", "--on", "2026-11-28")
    assert told.exit_code == 0, told.output
    assert "notify provider by 2026-11-29: notified 2026-11-28 (" in told.stdout
    late = imported("incident", "notify", SCRIBE, "1", "--to", "igj", "--note", "melding 42")
    assert late.exit_code == 0
    death = imported("incident", "update", SCRIBE, "1", "--death")
    assert death.exit_code == 0, death.output
    assert "notify authority by 2026-12-08: open (AI Act Art. 73(4)" in death.stdout
    [incident] = listed(imported, SCRIBE)
    assert (incident["serious"], incident["death"]) == (True, True)
    assert [n["to"] for n in incident["notices"]] == ["provider", "igj"]
    silently = imported("incident", "update", SCRIBE, "1", "--no-death")
    assert silently.exit_code == 2
    assert "taking death off incident 1 needs --reason" in silently.stderr
    assert listed(imported, SCRIBE)[0]["death"] is True
    lowered = imported(
        "incident",
        "update",
        SCRIBE,
        "1",
        "--no-death",
        "--reason",
        "patiënt bleek elders overleden",
    )
    assert lowered.exit_code == 0, lowered.output
    same = imported("incident", "update", SCRIBE, "1", "--serious")
    assert same.exit_code == 2 and "nothing to change" in same.stderr
    closed = imported(
        "incident", "close", SCRIBE, "1", "--reason", "leverancier heeft het opgelost"
    )
    assert closed.exit_code == 0
    assert listed(imported, SCRIBE, "--open") == []
    [incident] = listed(imported, SCRIBE)
    assert incident["close_reason"] == "leverancier heeft het opgelost"
    again = imported("incident", "close", SCRIBE, "1", "--reason", "nogmaals")
    assert again.exit_code == 1 and "already closed" in again.stderr
    kinds = [e["kind"] for e in json.loads(imported("history", SCRIBE, "--json").stdout)["events"]]
    assert kinds[-6:] == [
        "incident-opened", "incident-notified", "incident-notified", "incident-updated",
        "incident-updated", "incident-closed",
    ]  # fmt: skip
    assert imported("audit", "verify").exit_code == 0


def test_an_open_serious_incident_holds_bijsturen_until_closed(imported: Run) -> None:
    to_bijsturen(imported, SCRIBE)
    measured(imported, SCRIBE)
    assert imported("gate", SCRIBE).exit_code == 0
    assert add(imported, SCRIBE).exit_code == 0  # not serious: holds nothing
    assert imported("gate", SCRIBE).exit_code == 0
    assert add(imported, SCRIBE, "--serious").exit_code == 0
    gate = imported("gate", SCRIBE, "--json")
    assert gate.exit_code == 1
    failing = [c for c in json.loads(gate.stdout)["criteria"] if not c["met"]]
    assert failing[0]["id"] == "no-open-serious-incident"
    assert "serious incident #2" in failing[0]["detail"]
    status = json.loads(imported("status", "--json").stdout)
    [row] = [p for p in status["pilots"] if p["id"] == SCRIBE]
    assert row["blocker"].startswith("No serious incident is open")
    text = imported("gate", SCRIBE).stdout
    assert text.splitlines()[1].startswith("✗") and "no-open-serious-incident" in text
    scale = imported("decide", SCRIBE, "scale", "--reason", "doelen gehaald", "--by", "cmio")
    assert scale.exit_code == 1
    assert "no-open-serious-incident" in scale.stderr
    advance = imported("advance", SCRIBE, "--outcome", "scaled")
    assert advance.exit_code == 1
    forced = imported(
        "advance", SCRIBE, "--outcome", "scaled", "--force", "--reason", "toch", "--by", "cmio"
    )
    assert forced.exit_code == 1
    assert "cannot be forced past an open serious incident" in forced.stderr
    waived = imported(
        "waive", SCRIBE, "no-open-serious-incident", "--until", "2027-01-01", "--reason", "x",
        "--role", "cmio", "--by", "cmio",
    )  # fmt: skip
    assert waived.exit_code == 2
    assert imported("incident", "close", SCRIBE, "2", "--reason", "afgehandeld").exit_code == 0
    assert imported("gate", SCRIBE).exit_code == 0


def test_stopping_stays_possible_with_an_open_serious_incident(imported: Run) -> None:
    to_bijsturen(imported, SCRIBE)
    assert add(imported, SCRIBE, "--serious", "--widespread").exit_code == 0
    stopped = imported("decide", SCRIBE, "stop", "--reason", "te riskant")
    assert stopped.exit_code == 0, stopped.output
    # an ended pilot still gets its incidents reported and closed
    assert imported("incident", "notify", SCRIBE, "1", "--to", "authority").exit_code == 0
    assert imported("incident", "close", SCRIBE, "1", "--reason", "gemeld").exit_code == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--occurred", "2026-12-02"), "cannot have occurred in the future (2026-12-02)"),
        (("--occurred", "2026-11-01", "--aware", "2026-12-05"), "aware in the future"),
        (("--occurred", "2026-11-20", "--aware", "2026-11-10"), "before it occurred"),
        (("--occurred", "2026-02-30"), "does not exist"),
        (("--occurred", "gisteren"), "--occurred"),
    ],
)
def test_bad_dates_are_one_line_exit_2(imported: Run, args: tuple[str, ...], says: str) -> None:
    result = imported("incident", "add", SCRIBE, "--summary", "x", *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert sql("SELECT count(*) FROM incident")[0][0] == 0


def test_unknown_numbers_pilots_and_recipients_are_exit_2(imported: Run) -> None:
    none = imported("incident", "close", SCRIBE, "1", "--reason", "x")
    assert none.exit_code == 2
    assert f"{SCRIBE} has no incident number 1 (it has none)" in none.stderr
    assert add(imported, SCRIBE).exit_code == 0
    unknown = imported("incident", "notify", SCRIBE, "7", "--to", "igj")
    assert unknown.exit_code == 2 and "(it has 1 to 1)" in unknown.stderr
    assert imported("incident", "notify", SCRIBE, "1", "--to", "krant").exit_code == 2
    future = imported("incident", "notify", SCRIBE, "1", "--to", "igj", "--on", "2026-12-25")
    assert future.exit_code == 2 and "in the future" in future.stderr
    early = imported("incident", "notify", SCRIBE, "1", "--to", "igj", "--on", "2026-11-01")
    assert early.exit_code == 2 and "before incident 1 became known" in early.stderr
    assert imported("incident", "add", "bestaat-niet", "--summary", "x", "--occurred",
                    "2026-11-01").exit_code == 2  # fmt: skip
    blank = imported("incident", "add", SCRIBE, "--summary", "  ", "--occurred", "2026-11-01")
    assert blank.exit_code == 2


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE incident SET serious = {false} WHERE pilot_id = '{p}'",
        "UPDATE incident SET closed_at = '2026-11-30 10:00:00' WHERE pilot_id = '{p}'",
        "DELETE FROM incident_notice WHERE pilot_id = '{p}'",
    ],
)
def test_a_direct_edit_of_the_incident_tables_is_caught(
    imported: Run, engine: str, change: str
) -> None:
    assert add(imported, SCRIBE, "--serious").exit_code == 0
    assert imported("incident", "notify", SCRIBE, "1", "--to", "provider").exit_code == 0
    assert imported("audit", "verify").exit_code == 0
    false = "false" if engine == "postgresql" else "0"
    tamper(change.format(p=SCRIBE, false=false))
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert SCRIBE in result.stdout
    refused = imported("incident", "close", SCRIBE, "1", "--reason", "verbergen")
    assert refused.exit_code == 1
    assert "changed outside genai-pilots" in refused.stderr


def test_metrics_and_the_report_show_incidents(imported: Run, tmp_path: Any) -> None:
    assert add(imported, SCRIBE, "--serious").exit_code == 0
    assert add(imported, SCRIBE).exit_code == 0
    assert imported("incident", "close", SCRIBE, "2", "--reason", "klein").exit_code == 0
    metrics = json.loads(imported("metrics", "--json").stdout)
    assert metrics["incidents_per_setting"] == {"polikliniek": {"open": 1, "all": 2}}
    assert "1 (1)" not in imported("metrics").stdout and "2 (1)" in imported("metrics").stdout
    report = tmp_path / "report.html"
    assert imported("report", "-o", report).exit_code == 0
    html = report.read_text()
    assert "<h3>Open incidents</h3>" in html
    assert "verkeerde dosering in het verslag" in html and "provider by 2026-11-29" in html


def test_the_owner_cannot_release_the_gate_by_closing_or_downgrading_an_incident(
    imported: Run, login: Login
) -> None:
    """Closing a serious incident, or taking its severity off, releases the bijsturen gate:
    decided as scaling is, never by the owner or on someone's behalf, and with the directory
    in use only in a deciding role."""
    owner = "Dr. A. Jansen"
    assert add(imported, SCRIBE, "--serious").exit_code == 0
    for args in (
        ("incident", "close", SCRIBE, "1", "--reason", "opgelost", "--by", owner),
        ("incident", "update", SCRIBE, "1", "--not-serious", "--reason", "viel mee", "--by", owner),
    ):
        refused = imported(*args)
        assert refused.exit_code == 1, refused.output
        assert "Dr. A. Jansen owns ambient-scribe-cardiologie" in refused.stderr
    assert listed(imported, SCRIBE)[0]["closed_at"] is None
    # With a directory: a login without a deciding role cannot, and none acts for another.
    login("admin")
    people = (("admin", "Ad Min", "admin"), ("ria", "Ria Ooms", "privacy_officer"),
              ("kees", "Kees Klerk", "admin"))  # fmt: skip
    for who, name, role in people:
        added = imported("people", "add", who, "--name", name, "--email", f"{who}@zorg.example",
                         "--role", role)  # fmt: skip
        assert added.exit_code == 0, added.output
    login("kees")
    clerk = imported("incident", "close", SCRIBE, "1", "--reason", "opgelost")
    assert clerk.exit_code == 1
    assert "holds none of the roles that decide this" in clerk.stderr
    behalf = imported("incident", "close", SCRIBE, "1", "--reason", "opgelost", "--by", "ria")
    assert behalf.exit_code == 1
    login("ria")
    assert imported("incident", "close", SCRIBE, "1", "--reason", "opgelost").exit_code == 0
    assert listed(imported, SCRIBE)[0]["closed_at"] is not None
    assert imported("audit", "verify").exit_code == 0


def scaled_file(run: Run, folder: Any) -> Any:
    """SCRIBE's definition as exported, claiming it was scaled to practice."""
    import yaml

    assert run("export", SCRIBE, "-o", folder).exit_code == 0
    path = folder / f"{SCRIBE}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["outcome"] = "scaled"
    data.setdefault("bijsturen", {}).update(decision="scale", decision_reason="doelen gehaald")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_an_import_cannot_scale_past_an_incident_or_without_a_deciding_role(
    imported: Run, login: Login, tmp_path: Any
) -> None:
    """Red-team finding: an import claiming ``outcome: scaled`` is judged as ``decide scale``
    is, open serious incidents and deciding roles included."""
    to_bijsturen(imported, SCRIBE)
    measured(imported, SCRIBE)
    assert add(imported, SCRIBE, "--serious").exit_code == 0
    path = scaled_file(imported, tmp_path / "out")
    held = imported("import", path)
    assert held.exit_code == 0, held.output
    assert "no-open-serious-incident" in held.stdout
    assert sql(f"SELECT outcome FROM pilot WHERE id = '{SCRIBE}'") == [(None,)]
    assert imported("incident", "close", SCRIBE, "1", "--reason", "opgelost").exit_code == 0
    login("admin")
    for who, role in (("admin", "admin"), ("kees", "admin"), ("ria", "privacy_officer")):
        added = imported("people", "add", who, "--name", who.title(), "--email",
                         f"{who}@zorg.example", "--role", role)  # fmt: skip
        assert added.exit_code == 0, added.output
    login("kees")
    held = imported("import", path)
    assert "Kees holds none of the roles that decide scaling" in held.stdout
    assert sql(f"SELECT outcome FROM pilot WHERE id = '{SCRIBE}'") == [(None,)]


def test_a_notice_cannot_be_dated_before_the_incident_was_known(imported: Run) -> None:
    assert add(imported, SCRIBE, "--death").exit_code == 0  # aware 2026-11-28
    early = imported("incident", "notify", SCRIBE, "1", "--to", "authority", "--on", "2026-11-27")
    assert early.exit_code == 2
    assert "is before incident 1 became known (2026-11-28)" in early.stderr
    for number in ("0", "-1", "99999999999999999999", "9223372036854775808"):
        result = imported("incident", "close", SCRIBE, number, "--reason", "x")
        assert result.exit_code == 2, (number, result.output)
        assert "Traceback" not in result.output
        if number not in ("0", "-1"):  # refused as arguments (min 1; read as an option)
            assert "has no incident number" in result.stderr
