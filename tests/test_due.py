"""``pilots due`` and ``pilots review``: what is due across the register, on a clock the tests
set; the pure rules of ``domain.due`` and the iCalendar writer; a constant number of queries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from genai_pilots import load_playbook
from genai_pilots.domain.due import (
    AwaitedApproval,
    ExpiringEvidence,
    OpenReview,
    Steering,
    WaiverInForce,
    WithinError,
    add_months,
    next_review,
    parse_within,
    what_is_due,
)
from genai_pilots.domain.ical import AllDayEvent, escape_text, fold, vcalendar
from genai_pilots.domain.incidents import Incident
from genai_pilots.services.due import due_list
from tests.conftest import Run, set_today, sql, train

SCRIBE = "ambient-scribe-cardiologie"
LETTER = "ontslagbrief-interne-geneeskunde"
TRIAGE = "triage-huisartsenpost"
START = dt.date(2026, 3, 2)


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def register(run: Run, monkeypatch: pytest.MonkeyPatch, examples_copy: Path) -> Run:
    """On 2 March 2026: the scribe in bijsturen (monthly), a waiver of the triage gate until the
    20th, the discharge letter past governance and its governance re-opened by a new model."""
    set_today(monkeypatch, START)
    ok(run("import", examples_copy, "--by", "innovatie"))
    train(run)
    ok(run("advance", SCRIBE))
    ok(run("advance", SCRIBE, "--force", "--reason", "demo: door naar bijsturen"))
    ok(run("waive", TRIAGE, "high-risk-logs", "--until", "2026-03-20", "--reason",
           "logopslag wordt gemigreerd", "--role", "information_security_officer",
           "--by", "R. Bakker"))  # fmt: skip
    ok(run("approve", LETTER, "--role", "privacy_officer", "--by", "M. de Vries"))
    ok(run("approve", LETTER, "--role", "information_security_officer", "--by", "R. Bakker"))
    ok(run("advance", LETTER))
    path = examples_copy / f"{LETTER}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"2025-11-20"', '"2026-02-27"'), encoding="utf-8"
    )
    ok(run("import", path))
    return run


def due_json(run: Run, *args: str) -> dict[str, Any]:
    return json.loads(run("due", "--json", *args).stdout)  # type: ignore[no-any-return]


@pytest.mark.store
def test_due_json_is_exactly_what_is_overdue_due_and_waiting(
    register: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, dt.date(2026, 3, 25))
    result = register("due", "--json")
    assert result.exit_code == 1  # the waiver has expired
    assert json.loads(result.stdout) == {
        "today": "2026-03-25",
        "within_days": 30,
        "overdue": 1,
        "items": [
            {
                "pilot_id": TRIAGE, "kind": "waiver", "key": "high-risk-logs",
                "what": "waiver of high-risk-logs expired", "due": "2026-03-20",
                "state": "overdue", "overdue_days": 5, "in_days": None, "waiting_days": None,
                "detail": "gate out of governance, granted by R. Bakker; meet the criterion or "
                "renew the waiver",
            },
            {
                "pilot_id": SCRIBE, "kind": "review", "key": "steering",
                "what": "steering review due", "due": "2026-04-02", "state": "upcoming",
                "overdue_days": None, "in_days": 8, "waiting_days": None,
                "detail": "monthly cadence; in bijsturen since 2026-03-02; record it with "
                f"`pilots review {SCRIBE}`",
            },
            {
                "pilot_id": LETTER, "kind": "governance-review", "key": "governance",
                "what": "governance review open", "due": "2026-03-02", "state": "waiting",
                "overdue_days": None, "in_days": None, "waiting_days": 23,
                "detail": "re-opened 2026-03-02; still needs approval of privacy_officer, "
                "information_security_officer",
            },
            {
                "pilot_id": TRIAGE, "kind": "approval", "key": "approvals",
                "what": "approval of privacy_officer, information_security_officer awaited",
                "due": "2026-03-02", "state": "waiting", "overdue_days": None, "in_days": None,
                "waiting_days": 23,
                "detail": "gate out of governance (approvals); in governance since 2026-03-02",
            },
            {
                "pilot_id": TRIAGE, "kind": "approval", "key": "high-risk-approval",
                "what": "approval of cmio awaited", "due": "2026-03-02", "state": "waiting",
                "overdue_days": None, "in_days": None, "waiting_days": 23,
                "detail": "gate out of governance (high-risk-approval); in governance since "
                "2026-03-02",
            },
        ],
    }  # fmt: skip


@pytest.mark.store
def test_a_review_overdue_by_cadence_until_one_is_recorded(
    register: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_today(monkeypatch, dt.date(2026, 3, 2))
    assert register("due").exit_code == 0  # nothing overdue yet: the waiver runs to the 20th
    set_today(monkeypatch, dt.date(2026, 4, 10))
    late = register("due")
    assert late.exit_code == 1
    line = next(x for x in late.stdout.splitlines() if SCRIBE in x)
    assert line.split()[:5] == ["8", "days", "late", "2026-04-02", SCRIBE]
    assert "2 overdue, 0 due within 30 days, 3 waiting (as of 2026-04-10)" in late.stdout
    assert "2 overdue: reviews, waivers, evidence" in register("status").stdout
    assert json.loads(register("status", "--json").stdout)["overdue"] == 2
    report = tmp_path / "report.html"
    ok(register("report", "-o", report))
    html = report.read_text(encoding="utf-8")
    due = html[html.index("<h2>Due</h2>") : html.index("<h2>Pilots</h2>")]
    assert "waiver of high-risk-logs expired" in due and "steering review overdue" in due
    assert '<td class="bad">8 days late</td>' in due
    assert "2 overdue, 0 due within 30 days, 3 waiting (as of 2026-04-10)" in due

    refused = register("review", TRIAGE, "--note", "x")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"error: {TRIAGE} is in governance; steering reviews")
    assert register("review", SCRIBE, "--note", " ").exit_code == 2
    done = ok(register("review", SCRIBE, "--note", "KPIs op koers", "--by", "CMIO"))
    assert f"recorded a steering review of {SCRIBE} (monthly cadence)" in done.stdout
    event = json.loads(register("history", SCRIBE, "--json").stdout)["events"][-1]
    assert (event["kind"], event["actor"], event["reason"]) == (
        "steering-reviewed",
        "CMIO",
        "KPIs op koers",
    )
    assert event["payload"] == {"cadence": "monthly", "iteration": 0}
    assert "steering-reviewed" in register("history", SCRIBE).stdout
    review = next(i for i in due_json(register)["items"] if i["kind"] == "review")
    assert (review["due"], review["in_days"]) == ("2026-05-10", 30)
    assert "last review 2026-04-10" in review["detail"]
    assert register("audit", "verify").exit_code == 0

    ok(register("pause", SCRIBE, "--reason", "leverancier onderzoekt een fout"))
    set_today(monkeypatch, dt.date(2026, 6, 1))
    assert not [i for i in due_json(register)["items"] if i["kind"] == "review"]


@pytest.mark.store
def test_within_narrows_what_is_ahead_and_bad_values_are_one_line(
    register: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, dt.date(2026, 3, 2))
    kinds = [(i["kind"], i["due"]) for i in due_json(register, "--within", "2w")["items"]]
    assert ("review", "2026-04-02") not in kinds and ("waiver", "2026-03-20") not in kinds
    assert ("waiver", "2026-03-20") in [
        (i["kind"], i["due"]) for i in due_json(register, "--within", "18")["items"]
    ]
    assert due_json(register, "--within", "5w")["within_days"] == 35
    assert due_json(register, "--within", "31d")["items"][1]["kind"] == "review"
    for bad in ("abc", "-3", "30m", "99999", "1.5w", ""):
        result = register("due", "--within", bad)
        assert result.exit_code == 2, bad
        assert result.stderr.startswith("error: --within:"), result.stderr
        assert "Traceback" not in result.output
    both = register("due", "--json", "--ical")
    assert both.exit_code == 2 and both.stderr.startswith("error: pass --json or --ical")


@pytest.mark.store
def test_ical_is_a_calendar_icalendar_reads(register: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, dt.date(2026, 3, 25))
    result = register("due", "--ical")
    assert result.exit_code == 1
    text = result.stdout_bytes.decode()  # .stdout would turn CRLF into LF
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = Calendar.from_ical(text)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == sorted([
        f"{TRIAGE}/waiver/high-risk-logs@genai-pilots",
        f"{SCRIBE}/review/steering@genai-pilots",
        f"{LETTER}/governance-review/governance@genai-pilots",
        f"{TRIAGE}/approval/approvals@genai-pilots",
        f"{TRIAGE}/approval/high-risk-approval@genai-pilots",
    ])  # fmt: skip
    review = events[f"{SCRIBE}/review/steering@genai-pilots"]
    assert review.decoded("DTSTART") == dt.date(2026, 4, 2)
    assert str(review["SUMMARY"]) == f"{SCRIBE}: steering review due"
    waiver = events[f"{TRIAGE}/waiver/high-risk-logs@genai-pilots"]
    assert waiver.decoded("DTSTART") == dt.date(2026, 3, 20)
    assert str(waiver["SUMMARY"]) == f"{TRIAGE}: waiver of high-risk-logs expired (5 days late)"
    assert str(waiver["DESCRIPTION"]).startswith("gate out of governance, granted by R. Bakker;")
    approvals = events[f"{TRIAGE}/approval/approvals@genai-pilots"]
    assert approvals.decoded("DTSTART") == dt.date(2026, 3, 25)  # waiting: shown on today
    assert "privacy_officer, information_security_officer" in str(approvals["SUMMARY"])
    assert all(e.decoded("DTSTAMP") == dt.datetime(2026, 3, 25, 9, tzinfo=dt.UTC)
               for e in events.values())  # fmt: skip


@pytest.mark.store
def test_evidence_and_incident_deadlines_from_their_rows(
    register: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Until the evidence and incident commands land, their rows are inserted directly: `due`
    # reads them as `status` reads waivers, without judging the chain (the audit does that).
    sql(
        "INSERT INTO evidence (pilot_id, stage, criterion, location, name, valid_until, "
        f"added_by, added_at) VALUES ('{TRIAGE}', 'governance', 'dpia', '/docs/dpia.pdf', "
        "'DPIA triage', '2026-04-01', 'FG', '2026-03-01 09:00:00');"
        "INSERT INTO evidence (pilot_id, stage, criterion, location, name, valid_until, "
        f"added_by, added_at, withdrawn_at) VALUES ('{TRIAGE}', 'governance', 'dpia', "
        "'/docs/old.pdf', 'DPIA oud', '2026-03-10', 'FG', '2026-01-01 09:00:00', "
        "'2026-03-01 09:00:00');"
        "INSERT INTO incident (pilot_id, number, summary, occurred, aware, serious, death, "
        f"widespread, opened_by, opened_at) VALUES ('{TRIAGE}', 1, 'Urgentie te laag ingeschat', "
        "'2026-03-18', '2026-03-19', true, false, false, 'CMIO', '2026-03-19 10:00:00');"
        "INSERT INTO incident_notice (pilot_id, number, recipient, at, by) VALUES "
        f"('{TRIAGE}', 1, 'provider', '2026-03-19 15:00:00', 'CMIO');"
        "INSERT INTO incident (pilot_id, number, summary, occurred, aware, serious, death, "
        f"widespread, opened_by, opened_at, closed_at) VALUES ('{TRIAGE}', 2, 'Gesloten', "
        "'2026-03-01', '2026-03-01', true, true, false, 'CMIO', '2026-03-01 10:00:00', "
        "'2026-03-02 10:00:00')"
    )
    set_today(monkeypatch, dt.date(2026, 3, 25))
    items = [i for i in due_json(register)["items"] if i["kind"] in ("evidence", "incident")]
    assert [(i["kind"], i["key"], i["due"], i["state"]) for i in items] == [
        ("evidence", items[0]["key"], "2026-04-01", "upcoming"),
        ("incident", "1-authority", "2026-04-03", "upcoming"),
    ]
    assert items[0]["what"] == "evidence for dpia expires"
    assert items[1]["what"] == "incident 1: notify the market surveillance authority"
    set_today(monkeypatch, dt.date(2026, 4, 5))
    late = due_json(register)
    assert [(i["kind"], i["overdue_days"]) for i in late["items"][:4]] == [
        ("waiver", 16), ("evidence", 4), ("review", 3), ("incident", 2)
    ]  # fmt: skip
    assert late["overdue"] == 4


@pytest.mark.store
def test_due_issues_the_same_number_of_queries_at_any_size(
    tmp_path: Path, store_url: str, empty_store_url: str
) -> None:
    from tests.test_queries import count_queries, filled

    playbook = load_playbook()
    small = filled(tmp_path, "small", 7)
    large = filled(tmp_path, "large", 140, url=empty_store_url)
    counts = [count_queries(s, lambda store: due_list(store, playbook, 30)) for s in (small, large)]
    assert counts[0] == counts[1] <= 10


# The pure rules, without a store.


def test_within_is_days_or_weeks() -> None:
    assert [parse_within(t) for t in ("30d", "8w", "30", "0", " 2W ", "3660d")] == [
        30, 56, 30, 0, 14, 3660
    ]  # fmt: skip
    for bad in ("", "d", "-1", "1.5", "30 days", "3661", "1m", "\u0663\u0660d", "\uff13\uff10"):
        with pytest.raises(WithinError, match="^--within: "):
            parse_within(bad)


def test_cadences_count_days_or_calendar_months() -> None:
    day = dt.date(2026, 1, 31)
    assert next_review(day, "weekly") == dt.date(2026, 2, 7)
    assert next_review(day, "biweekly") == dt.date(2026, 2, 14)
    assert next_review(day, "monthly") == dt.date(2026, 2, 28)
    assert next_review(day, "quarterly") == dt.date(2026, 4, 30)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_what_is_due_orders_overdue_then_soonest_then_waiting() -> None:
    today = dt.date(2026, 6, 1)
    items = what_is_due(
        today, 30,
        steering=[Steering("a", "weekly", dt.date(2026, 5, 1), dt.date(2026, 5, 28)),
                  Steering("b", None, dt.date(2026, 1, 1)),
                  Steering("c", "quarterly", dt.date(2026, 1, 1))],
        waivers=[WaiverInForce("a", "skills", "users-trained", dt.date(2026, 5, 1), "X"),
                 WaiverInForce("a", "skills", "users-trained", dt.date(2026, 6, 20), "X"),
                 WaiverInForce("d", "skills", "x", dt.date(2026, 9, 1), "X")],
        evidence=[ExpiringEvidence("d", 7, "governance", "dpia", "DPIA", dt.date(2026, 5, 30))],
        approvals=[AwaitedApproval("e", "governance", "approvals", ("cmio",), dt.date(2026, 5, 1))],
        reviews=[OpenReview("f", dt.date(2026, 5, 20))],
        incidents=[
            Incident("g", 1, "s", dt.date(2026, 5, 30), dt.date(2026, 5, 30), death=True),
            Incident("g", 2, "s", dt.date(2026, 5, 1), dt.date(2026, 5, 1), serious=True,
                     closed=True),
            Incident("g", 3, "s", dt.date(2026, 5, 1), dt.date(2026, 5, 1)),  # not serious
        ],
    )  # fmt: skip
    assert [(i.pilot_id, i.kind, i.key, i.state, i.days) for i in items] == [
        ("c", "review", "steering", "overdue", 61),  # due 2026-04-01
        ("d", "evidence", "7", "overdue", 2),
        ("g", "incident", "1-provider", "overdue", 1),
        ("a", "review", "steering", "upcoming", 3),
        ("g", "incident", "1-authority", "upcoming", 8),  # a death: 10 days
        ("a", "waiver", "users-trained", "upcoming", 19),  # renewed: the later one counts
        ("e", "approval", "approvals", "waiting", 31),
        ("f", "governance-review", "governance", "waiting", 12),
    ]
    assert "still needs approval" not in items[-1].detail and "pilots show f" in items[-1].detail


def test_a_training_is_due_when_the_longest_one_of_its_person_runs_out() -> None:
    from genai_pilots.domain.training import Training, running_out

    ledger = [
        Training("Dr. K. Smit", "AI", dt.date(2025, 1, 1), dt.date(2026, 5, 31)),
        Training("dr. k. smit", "Opfrissing", dt.date(2026, 5, 1), dt.date(2026, 6, 20)),
        Training("L. Brouwer", "AI", dt.date(2025, 1, 1), dt.date(2026, 5, 1)),
        Training("L. Brouwer", "AI", dt.date(2026, 4, 1)),  # renewed for good
        Training("M. Öztürk", "AI", dt.date(2025, 1, 1), dt.date(2026, 9, 1)),  # past the window
    ]
    items = what_is_due(dt.date(2026, 6, 1), 30, trainings=running_out("a", ledger))
    assert [(i.kind, i.key, i.what, i.state, i.days) for i in items] == [
        ("training", "Dr. K. Smit", "training of Dr. K. Smit expires", "upcoming", 19),
    ]
    assert items[0].detail.startswith("Opfrissing, given 2026-05-01; record the refresher")
    late = what_is_due(dt.date(2026, 6, 21), 0, trainings=running_out("a", ledger))
    assert [(i.what, i.state) for i in late] == [("training of Dr. K. Smit expired", "overdue")]


def test_ical_escapes_and_folds_as_rfc_5545_says() -> None:
    assert escape_text("a,b;c\\d\ne\u202e") == "a\\,b\\;c\\\\d\\ne\\\\u202e"
    long = "SUMMARY:" + "é" * 60
    folded = fold(long)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long
    text = vcalendar(
        [AllDayEvent("p/review/steering@genai-pilots", dt.date(2026, 4, 2), "p: review, due",
                     "line one\nline two; " + "x" * 120)],
        stamp=dt.datetime(2026, 3, 25, 9, tzinfo=dt.UTC), name="due",
    )  # fmt: skip
    event = Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "p: review, due"
    assert str(event["DESCRIPTION"]) == "line one\nline two; " + "x" * 120
    assert event.decoded("DTEND") == dt.date(2026, 4, 3)
