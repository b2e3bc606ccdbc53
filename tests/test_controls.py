"""Controls that hold against the person they control: waivers, re-gating, full-state audit,
governed playbook changes and measurements, each tried the way an insider would get around it.

Every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, MINIMAL, Run, set_today, sql, tamper, write
from tests.test_governance import approve, imported

LETTER = "ontslagbrief-interne-geneeskunde"
OWNER = "Dr. S. El Amrani"
TRIAGE = "triage-huisartsenpost"
SCRIBE = "ambient-scribe-cardiologie"

pytestmark = pytest.mark.store

SOON = (dt.date.today() + dt.timedelta(days=60)).isoformat()  # a waiver date that is allowed


__all__ = ["imported"]  # the fixture, shared with the governance tests


def to_skills(run: Run) -> None:
    assert approve(run, LETTER, "privacy_officer", "M. de Vries") == 0
    assert approve(run, LETTER, "information_security_officer", "R. Bakker") == 0
    assert run("advance", LETTER).exit_code == 0


def kinds(run: Run, pilot: str) -> list[str]:
    return [e["kind"] for e in json.loads(run("history", pilot, "--json").stdout)["events"]]


def edited(folder: Path, pilot: str, *replacements: tuple[str, str]) -> Path:
    path = folder / f"{pilot}.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


# 1. Waivers are governance decisions


def test_the_owner_cannot_waive_the_approvals_of_their_own_pilot(imported: Run) -> None:
    own = imported(
        "waive", LETTER, "approvals", "--until", SOON, "--reason", "haast",
        "--role", "privacy_officer", "--by", OWNER,
    )  # fmt: skip
    assert own.exit_code == 1
    assert "approvals of the governance gate can never be waived" in own.stderr
    anyone = imported(
        "waive", LETTER, "approvals", "--until", SOON, "--reason", "haast",
        "--role", "privacy_officer", "--by", "M. de Vries",
    )  # fmt: skip
    assert anyone.exit_code == 1
    assert "four-eyes decisions" in anyone.stderr
    assert imported("advance", LETTER).exit_code == 1
    assert "waived" not in kinds(imported, LETTER)


def test_the_owner_cannot_waive_any_criterion_of_their_own_pilot(imported: Run) -> None:
    own = imported(
        "waive", LETTER, "dpia", "--until", SOON, "--reason", "loopt nog",
        "--role", "privacy_officer", "--by", "s.elamrani@EXAMPLE.org",
    )  # fmt: skip
    assert own.exit_code == 1
    assert "owns ontslagbrief-interne-geneeskunde and cannot waive its criteria" in own.stderr


@pytest.mark.parametrize("criterion", ["risk-class-consistent", "not-prohibited", "risk-class"])
def test_criteria_the_law_fixes_can_never_be_waived(imported: Run, criterion: str) -> None:
    result = imported(
        "waive", TRIAGE, criterion, "--until", SOON, "--reason", "x",
        "--role", "cmio", "--by", "Dr. CMIO",
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{criterion} of the governance gate can never be waived" in result.stderr
    assert "the playbook marks it as not waivable" in result.stderr


def test_a_waiver_is_given_in_one_of_the_gates_approving_roles(imported: Run) -> None:
    no_role = imported("waive", TRIAGE, "high-risk-logs", "--until", SOON,
                       "--reason", "x", "--by", "M. de Vries")  # fmt: skip
    assert no_role.exit_code == 2
    assert "pass --role with one of: privacy_officer, information_security_officer, cmio" in (
        no_role.stderr
    )
    other = imported("waive", TRIAGE, "high-risk-logs", "--until", SOON,
                     "--reason", "x", "--role", "board", "--by", "M. de Vries")  # fmt: skip
    assert other.exit_code == 2


def test_every_active_waiver_needs_attention_whatever_its_expiry(
    imported: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, dt.date(2026, 12, 1))
    result = imported(
        "waive", TRIAGE, "high-risk-logs", "--until", "2027-06-30", "--reason", "migratie",
        "--role", "information_security_officer", "--by", "R. Bakker",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    status = imported("status").stdout
    assert (
        "waiver in force triage-huisartsenpost: high-risk-logs until 2027-06-30 "
        "(granted by R. Bakker as information_security_officer)"
    ) in status
    data = json.loads(imported("status", "--json").stdout)
    assert [(w["criterion"], w["expiring"]) for w in data["waivers"]] == [("high-risk-logs", False)]
    assert "in force: needs attention" in imported("show", TRIAGE).stdout


# 2. Re-gating re-evaluates the whole governance gate


def test_a_review_is_not_closed_by_approvals_alone(imported: Run, examples_copy: Path) -> None:
    to_skills(imported)
    path = edited(
        examples_copy, LETTER,
        ("  dpia: {status: done, reference: DPIA-2026-031, date: 2026-04-02}\n", ""),
        ("  processor_agreement: {status: signed, reference: VWO-2026-012}\n", ""),
        ("    risk_class: limited\n", "    risk_class: high\n"),
        ("    annex_iii: []\n    open_source: false\n", "    annex_iii: [emergency-triage]\n"
         "    organisation: public-service\n    profiling: false\n    exemption: none\n"),
    )  # fmt: skip
    plan = imported("import", path)
    assert plan.exit_code == 0, plan.output
    assert "re-opens governance" in plan.stdout
    assert approve(imported, LETTER, "privacy_officer", "M. de Vries") == 0
    last = imported("approve", LETTER, "--role", "information_security_officer", "--by", "R. B")
    assert last.exit_code == 0
    assert "governance review of ontslagbrief-interne-geneeskunde still needs:" in last.stdout
    for criterion in ("dpia", "processor-agreement", "high-risk-logs", "high-risk-approval"):
        assert criterion in last.stdout
    refused = imported("advance", LETTER, "--force", "--reason", "haast")
    assert refused.exit_code == 1
    assert "needs a governance review" in refused.stderr
    assert "dpia" in refused.stderr
    show = imported("show", LETTER).stdout
    assert "governance review needed since" in show
    assert "governance-review-completed" not in kinds(imported, LETTER)
    assert imported("audit", "verify").exit_code == 0


def test_a_review_closes_when_the_whole_gate_passes_again(
    imported: Run, examples_copy: Path
) -> None:
    to_skills(imported)
    path = edited(examples_copy, LETTER, ("  dpia: {status: done", "  dpia: {status: in-progress"))
    assert imported("import", path).exit_code == 0
    approve(imported, LETTER, "privacy_officer", "M. de Vries")
    approve(imported, LETTER, "information_security_officer", "R. Bakker")
    assert "governance-review-completed" not in kinds(imported, LETTER)
    edited(examples_copy, LETTER, ("  dpia: {status: in-progress", "  dpia: {status: done"))
    assert imported("import", path).exit_code == 0
    # the fix is a governance change too: earlier approvals are superseded, and asked again
    assert kinds(imported, LETTER).count("governance-review-needed") == 2
    assert approve(imported, LETTER, "privacy_officer", "M. de Vries") == 0
    done = imported("approve", LETTER, "--role", "information_security_officer", "--by", "R. B")
    assert "governance review of ontslagbrief-interne-geneeskunde completed" in done.stdout
    assert "needs a governance review" not in imported("advance", LETTER).stderr
    assert imported("audit", "verify").exit_code == 0


@pytest.mark.parametrize(
    "change",
    [
        ("human_oversight: De arts-assistent", "human_oversight: Niemand; de arts-assistent"),
        ("data_location: EU (Azure West Europe)", "data_location: VS (us-east-1)"),
        ("transparency_uses: [generates-content]", "transparency_uses: [interacts-with-people]"),
        ('standard: "NEN 7510:2017"', "standard: ISO/IEC 27001"),
    ],
    ids=["oversight", "data-location", "ai-act-answers", "supplier"],
)
def test_every_governance_fact_reopens_governance(
    imported: Run, examples_copy: Path, change: tuple[str, str]
) -> None:
    to_skills(imported)
    path = edited(examples_copy, LETTER, change)
    assert "re-opens governance" in imported("import", path).stdout
    assert "review needed" in imported("status").stdout


def test_approvals_given_before_a_governance_change_do_not_count(
    imported: Run, examples_copy: Path
) -> None:
    assert approve(imported, LETTER, "privacy_officer", "M. de Vries") == 0
    assert approve(imported, LETTER, "information_security_officer", "R. Bakker") == 0
    path = edited(
        examples_copy, LETTER, ('model_version: "2025-11-20"', 'model_version: "2026-09"')
    )
    imported("import", path)
    gate = json.loads(imported("gate", LETTER, "--json").stdout)
    approvals = next(c for c in gate["criteria"] if c["id"] == "approvals")
    assert approvals["met"] is False
    assert imported("advance", LETTER).exit_code == 1


# 3. The audit covers the whole state


def _text_replace(engine: str, table: str, column: str, old: str, new: str, where: str) -> str:
    if engine == "sqlite":
        return f"UPDATE {table} SET {column} = replace({column}, '{old}', '{new}') WHERE {where}"
    return (
        f"UPDATE {table} SET {column} = CAST(replace(CAST({column} AS TEXT), '{old}', '{new}') "
        f"AS JSON) WHERE {where}"
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda e: _text_replace(e, "pilot", "definition", "DPIA-2026-044", "DPIA-9999",
                                 f"id = '{TRIAGE}'"),
         "pilot.definition was changed directly"),
        (lambda e: f"UPDATE pilot SET risk_class = 'minimal' WHERE id = '{TRIAGE}'",
         "pilot.risk_class was changed directly"),
        (lambda e: f"UPDATE pilot SET owner_name = 'Iemand' WHERE id = '{TRIAGE}'",
         "pilot.owner_name was changed directly"),
        (lambda e: f"UPDATE waiver SET until = '2099-12-31' WHERE pilot_id = '{TRIAGE}'",
         "rows of the waiver table were changed"),
        (lambda e: f"UPDATE measurement SET value = 1 WHERE pilot_id = '{TRIAGE}'",
         "rows of the measurement table were changed"),
        (lambda e: f"DELETE FROM approval WHERE pilot_id = '{TRIAGE}'",
         "rows of the approval table were changed"),
        (lambda e: f"UPDATE approval SET revoked_at = NULL WHERE pilot_id = '{TRIAGE}'",
         "rows of the approval table were changed"),
        (lambda e: f"UPDATE pilot SET review_since = NULL WHERE id = '{TRIAGE}'",
         "pilot.review_since was changed directly"),
    ],
    ids=["definition", "risk-class", "owner", "waiver", "measurement", "approval-deleted",
         "approval-unrevoked", "review-flag"],
)  # fmt: skip
def test_a_direct_edit_of_any_table_is_caught(
    imported: Run,
    engine: str,
    examples_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: object,
    problem: str,
) -> None:
    set_today(monkeypatch, dt.date(2026, 12, 1))
    imported("waive", TRIAGE, "high-risk-logs", "--until", SOON, "--reason", "x",
             "--role", "cmio", "--by", "Dr. CMIO")  # fmt: skip
    approve(imported, TRIAGE, "cmio", "Dr. CMIO")
    imported("revoke", TRIAGE, "--role", "cmio", "--reason", "opnieuw")
    approve(imported, TRIAGE, "cmio", "Dr. CMIO")
    imported("measure", TRIAGE, "ondertriage", "3.9", "--date", "2026-11-01")
    if "review" in problem:
        path = edited(
            examples_copy, TRIAGE, ("log_retention_months: 3", "log_retention_months: 24")
        )
        assert "re-opens" in imported("import", path).stdout
    assert imported("audit", "verify").exit_code == 0
    tamper(change(engine))  # type: ignore[operator]
    for command in (("audit", "verify"), ("db", "check")):
        result = imported(*command)
        assert result.exit_code == 1, result.output
        assert f"broken {TRIAGE} at event #" in result.stdout
        assert problem in result.stdout, result.stdout
    assert imported("audit", "verify", LETTER).exit_code == 0


def _governed_triage(imported: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A waiver, a revoked approval and an active one: every kind of governance row."""
    set_today(monkeypatch, dt.date(2026, 12, 1))
    waived = imported("waive", TRIAGE, "high-risk-logs", "--until", SOON, "--reason", "x",
                      "--role", "cmio", "--by", "Dr. CMIO")  # fmt: skip
    assert waived.exit_code == 0, waived.output
    assert approve(imported, TRIAGE, "cmio", "Dr. CMIO") == 0
    assert imported("revoke", TRIAGE, "--role", "cmio", "--reason", "opnieuw").exit_code == 0
    assert approve(imported, TRIAGE, "cmio", "Dr. CMIO") == 0


@pytest.mark.parametrize(
    "change",
    [
        f"UPDATE event SET actor = 'iemand' WHERE pilot_id = '{TRIAGE}' AND seq = 1",
        f"DELETE FROM event WHERE pilot_id = '{TRIAGE}'",
        "UPDATE register_event SET reason = 'achteraf'",
        "DELETE FROM register_event",
        f"DELETE FROM approval WHERE pilot_id = '{TRIAGE}'",
        f"UPDATE approval SET revoked_at = NULL WHERE pilot_id = '{TRIAGE}'",
        f"UPDATE approval SET by = 'iemand' WHERE pilot_id = '{TRIAGE}'",
        f"UPDATE waiver SET until = '2099-12-31' WHERE pilot_id = '{TRIAGE}'",
        f"UPDATE waiver SET revoked_at = at, reason = 'weg' WHERE pilot_id = '{TRIAGE}'",
        f"DELETE FROM waiver WHERE pilot_id = '{TRIAGE}'",
        "TRUNCATE event",
    ],
    ids=["update-event", "delete-events", "update-register-event", "delete-register-events",
         "delete-approval", "unrevoke-approval", "edit-approval", "extend-waiver",
         "revoke-and-edit-waiver", "delete-waiver", "truncate-event"],
)  # fmt: skip
def test_the_database_itself_refuses_to_change_history(
    imported: Run, engine: str, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    from sqlalchemy.exc import DBAPIError

    if change.startswith("TRUNCATE") and engine == "sqlite":
        return  # SQLite has no TRUNCATE; its DELETE is refused above
    _governed_triage(imported, monkeypatch)
    before = sql("SELECT count(*) FROM event")
    with pytest.raises(DBAPIError, match=r"(event|approval|waiver) is append-only"):
        sql(change)
    assert sql("SELECT count(*) FROM event") == before
    assert imported("audit", "verify").exit_code == 0


def test_revoking_and_superseding_still_work_under_the_triggers(
    imported: Run, examples_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _governed_triage(imported, monkeypatch)
    path = edited(examples_copy, TRIAGE, ("log_retention_months: 3", "log_retention_months: 24"))
    assert "re-opens governance" in imported("import", path).stdout  # supersedes both
    active = f"pilot_id = '{TRIAGE}' AND revoked_at IS NULL"
    assert sql(f"SELECT count(*) FROM approval WHERE {active}") == [(0,)]
    assert sql(f"SELECT count(*) FROM waiver WHERE {active}") == [(0,)]
    assert sql(f"SELECT count(*) FROM approval WHERE pilot_id = '{TRIAGE}'") == [(2,)]
    assert imported("audit", "verify").exit_code == 0


def test_an_edit_with_a_recomputed_definition_hash_is_caught(imported: Run, engine: str) -> None:
    sql(_text_replace(engine, "pilot", "definition", "Cardiologie", "Neurologie",
                      f"id = '{SCRIBE}'"))  # fmt: skip
    from genai_pilots.domain.stored_definitions import definition_hash

    [(text,)] = sql(f"SELECT CAST(definition AS TEXT) FROM pilot WHERE id = '{SCRIBE}'")
    sql(f"UPDATE pilot SET definition_hash = '{definition_hash(json.loads(text))}' "
        f"WHERE id = '{SCRIBE}'")  # fmt: skip
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert f"broken {SCRIBE} at event #1: pilot.definition and pilot.definition_hash were " in (
        result.stdout
    )


# 4. Playbook changes are governed


def test_a_playbook_that_weakens_the_law_is_refused(imported: Run, tmp_path: Path) -> None:
    empty = write(tmp_path / "leeg.yaml", "name: leeg\ngates: {}\n")
    refused = imported("playbook", "set", empty, "--reason", "sneller", "--by", "iemand")
    assert refused.exit_code == 1
    assert (
        "playbook leeg weakens 20 criteria that the law, four eyes or patient privacy require; "
        "nothing was stored"
    ) in refused.stderr
    assert (
        "weaker than the default allows: governance/not-prohibited: removed (required by law)"
        in (refused.stdout)
    )
    assert "governance/approvals: removed (four eyes)" in refused.stdout
    assert "the default playbook" in imported("playbook", "show").stdout
    assert imported("gate", TRIAGE).exit_code == 1
    no_reason = imported("playbook", "set", empty)
    assert no_reason.exit_code == 2


def test_a_weaker_playbook_stored_on_purpose_stays_visible(
    imported: Run, tmp_path: Path, engine: str
) -> None:
    lax = write(
        tmp_path / "lax.yaml",
        "name: lax\nextends: default\ngates:\n  governance:\n"
        "    - {id: dpia, kind: one-of, field: governance.dpia.status, values: [done, planned,"
        " not-required], says: DPIA, hint: Do it.}\n"
        "  skills:\n    - {id: users-trained, kind: trained, numerator: skills.trained_users,"
        " denominator: skills.target_users, champions: skills.champions, min: 0.5, says: Half,"
        " hint: Train.}\n",
    )
    dry = imported("playbook", "set", lax, "--reason", "pilotfase", "--dry-run")
    assert dry.exit_code == 0
    assert (
        "weaker than the playbook in force: skills/users-trained: min lowered from 0.8 to 0.5"
        in (dry.stdout)
    )
    assert "dry run: playbook lax was not stored" in dry.stdout
    stored = imported("playbook", "set", lax, "--reason", "pilotfase", "--allow-weaker",
                      "--by", "kwaliteit")  # fmt: skip
    assert stored.exit_code == 0, stored.output
    assert "governance/dpia: also accepts planned (required by law)" in stored.stdout
    status = imported("status").stdout
    assert (
        "playbook lax asks less than the default: governance/dpia: also accepts planned" in status
    )
    report = json.loads(imported("audit", "verify", "--json").stdout)
    assert report["broken"] == []
    sql("UPDATE playbook SET source = replace(source, 'min: 0.5', 'min: 0.1')")
    tampered = imported("audit", "verify")
    assert tampered.exit_code == 1
    assert "broken (register) at event #2: rows of the playbook table were changed" in (
        tampered.stdout
    )


def test_the_register_history_records_every_playbook_change(imported: Run) -> None:
    custom = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    first = imported("playbook", "set", custom, "--reason", "AI-beleid 2026", "--by", "kwaliteit")
    assert first.exit_code == 0, first.output
    assert "nothing becomes weaker than the playbook in force" in first.stdout
    rows = sql("SELECT seq, kind, actor, reason FROM register_event ORDER BY seq")
    assert [tuple(r) for r in rows] == [
        (1, "pilots-created", "innovatie", None),
        (2, "playbook-set", "kwaliteit", "AI-beleid 2026"),
    ]
    tamper("DELETE FROM register_event; DELETE FROM playbook")
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert "broken (register) at event #1: events after this one were removed" in result.stdout


def test_a_pilot_deleted_with_its_whole_history_is_caught(imported: Run) -> None:
    tamper(
        f"DELETE FROM event WHERE pilot_id = '{TRIAGE}'; DELETE FROM approval WHERE pilot_id = "
        f"'{TRIAGE}'; DELETE FROM waiver WHERE pilot_id = '{TRIAGE}'; DELETE FROM measurement "
        f"WHERE pilot_id = '{TRIAGE}'; DELETE FROM pilot WHERE id = '{TRIAGE}'"
    )
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert (
        "broken (register) at event #1: pilots were added to or removed from the pilot table"
        in (result.stdout)
    )
    tamper("DELETE FROM register_event; DELETE FROM register")
    assert imported("audit", "verify").exit_code == 1  # the register's history must not be empty


def test_no_command_builds_on_rows_changed_outside_the_tool(
    imported: Run, examples_copy: Path
) -> None:
    """A direct edit must not be sealed in by the next ordinary command."""
    changed = edited(examples_copy, LETTER, ("Eén verpleegafdeling", "Twee verpleegafdelingen"))
    sql(
        "INSERT INTO approval (pilot_id, stage, role, by, at) VALUES "
        f"('{LETTER}', 'governance', 'privacy_officer', 'M. de Vries', '2026-11-29 10:00:00'),"
        f"('{LETTER}', 'governance', 'information_security_officer', 'R. B', '2026-11-29 10:00:00')"
    )
    for command in (
        ("advance", LETTER),
        ("pause", LETTER, "--reason", "x"),
        ("measure", LETTER, "schrijftijd", "20", "--date", "2026-11-01"),
        ("import", changed),
    ):
        refused = imported(*command)
        assert refused.exit_code == 1, command
        assert "was changed outside genai-pilots since its newest event" in refused.stderr
    assert kinds(imported, LETTER) == ["imported"]
    assert imported("audit", "verify").exit_code == 1
    sql(f"UPDATE pilot SET stage = 'bijsturen' WHERE id = '{TRIAGE}'")
    assert imported("measure", TRIAGE, "ondertriage", "3", "--date", "2026-11-01").exit_code == 1
    sql("UPDATE playbook SET set_by = 'x'")  # no rows: the register itself is intact
    assert imported("playbook", "set", EXAMPLES / "playbooks" / "zorggroep-oost.yaml",
                    "--reason", "x").exit_code == 0  # fmt: skip


def test_a_change_is_judged_by_the_registers_playbook(imported: Run, tmp_path: Path) -> None:
    lax = write(tmp_path / "lax.yaml", "name: lax\ngates: {}\n")
    advance = imported("advance", TRIAGE, "--playbook", lax)
    assert advance.exit_code == 2
    assert "is not the playbook in force in the register" in advance.stderr
    env = {"GENAI_PILOTS_PLAYBOOK": str(lax)}
    assert imported("import", EXAMPLES, env=env).exit_code == 2
    assert imported("approve", TRIAGE, "--role", "cmio", "--by", "X", env=env).exit_code == 2
    assert imported("gate", TRIAGE, "--playbook", lax).exit_code == 0  # a what-if view is fine
    assert imported("advance", TRIAGE).exit_code == 1


# 5. Measurements you can trust


def test_the_same_csv_twice_counts_once(imported: Run, tmp_path: Path) -> None:
    csv = write(
        tmp_path / "m.csv",
        "kpi,date,value\ndocumentatietijd,2026-04-01,11\ndocumentatietijd,2026-04-01,11\n"
        "documentatietijd,2026-05-01,10\n",
    )
    first = imported("measure", SCRIBE, "--csv", csv)
    assert first.exit_code == 0, first.output
    assert "recorded 2 measurements" in first.stdout
    assert "skipped 1 rows already recorded (lines 3)" in first.stdout
    second = imported("measure", SCRIBE, "--csv", csv)
    assert "recorded 0 measurements" in second.stdout
    assert "skipped 3 rows already recorded (lines 2, 3, 4)" in second.stdout
    again = imported("measure", SCRIBE, "documentatietijd", "10", "--date", "2026-05-01")
    assert "already recorded" in again.stdout
    rows = sql(f"SELECT count(*) FROM measurement WHERE pilot_id = '{SCRIBE}'")
    assert rows[0][0] == 2
    assert imported("audit", "verify").exit_code == 0


def test_the_measurement_criterion_counts_distinct_days(imported: Run) -> None:
    for value in ("11", "10", "9"):
        imported("measure", SCRIBE, "documentatietijd", value, "--date", "2026-05-01")
    imported("advance", SCRIBE, "--force", "--reason", "demo")
    imported("advance", SCRIBE, "--force", "--reason", "demo")
    gate = json.loads(imported("gate", SCRIBE, "--json").stdout)
    measured = next(c for c in gate["criteria"] if c["id"] == "measurements")
    assert measured["met"] is False
    assert "documentatietijd (1 over 0 days)" in measured["detail"]


def test_measurement_dates_must_be_plausible(
    imported: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, dt.date(2026, 12, 1))
    future = imported("measure", SCRIBE, "documentatietijd", "9", "--date", "9999-12-31")
    assert future.exit_code == 2
    assert "date 9999-12-31 is in the future (today is 2026-12-01)" in future.stderr
    early = imported("measure", SCRIBE, "documentatietijd", "9", "--date", "1900-01-01")
    assert early.exit_code == 2
    assert "is before 2000-01-01" in early.stderr
    csv = write(tmp_path / "m.csv", "kpi,date,value\ndocumentatietijd,2027-01-01,9\n")
    refused = imported("measure", SCRIBE, "--csv", csv)
    assert refused.exit_code == 2
    assert "m.csv:2: column B (date): 2027-01-01 is in the future" in refused.stderr
    text = (EXAMPLES / "ambient-scribe-cardiologie.yaml").read_text(encoding="utf-8")
    bad = write(
        tmp_path / "scribe.yaml",
        text.replace(
            "bijsturen: {",
            "bijsturen: {measurements: [{kpi: documentatietijd, date: 2099-01-01, value: 8}], ",
            1,
        ),
    )
    checked = imported("validate", bad)
    assert checked.exit_code == 1
    assert "date 2099-01-01 is in the future" in checked.stdout


def test_a_wrong_value_is_retracted_not_deleted(imported: Run) -> None:
    imported("measure", SCRIBE, "documentatietijd", "11", "--date", "2026-04-01")
    imported("measure", SCRIBE, "documentatietijd", "110", "--date", "2026-05-01")
    no_reason = imported("retract", SCRIBE, "documentatietijd", "2026-05-01")
    assert no_reason.exit_code == 2
    done = imported("retract", SCRIBE, "documentatietijd", "2026-05-01", "--reason", "typefout")
    assert done.exit_code == 0, done.output
    assert "retracted documentatietijd = 110" in done.stdout
    trends = json.loads(imported("kpis", SCRIBE, "--json").stdout)
    assert "110" not in json.dumps(trends)
    assert sql(f"SELECT count(*) FROM measurement WHERE pilot_id = '{SCRIBE}'")[0][0] == 2
    last = json.loads(imported("history", SCRIBE, "--json").stdout)["events"][-1]
    assert (last["kind"], last["reason"]) == ("retracted", "typefout")
    assert (
        imported("retract", SCRIBE, "documentatietijd", "2026-05-01", "--reason", "x").exit_code
        == 1
    )
    assert imported("audit", "verify").exit_code == 0


# Other members of the class: overrides and stages taken over on claims


def test_the_owner_cannot_override_the_gate_of_their_own_pilot(imported: Run) -> None:
    own = imported("advance", TRIAGE, "--force", "--reason", "haast", "--by", "Dr. B. Hoekstra")
    assert own.exit_code == 1
    assert "owns triage-huisartsenpost and cannot override its gate (four eyes)" in own.stderr
    assert "override" not in kinds(imported, TRIAGE)


def test_no_override_passes_a_criterion_that_can_never_be_waived(run: Run, tmp_path: Path) -> None:
    assert run("import", write(tmp_path / "p.yaml", MINIMAL)).exit_code == 0
    first = run("advance", "minimal-pilot", "--force", "--reason", "RvB", "--by", "rvb")
    assert first.exit_code == 0, first.output  # start-klein's criteria may be overridden
    result = run("advance", "minimal-pilot", "--force", "--reason", "RvB", "--by", "rvb")
    assert result.exit_code == 1
    assert (
        "minimal-pilot cannot be forced past ai-act-classified, risk-class, not-prohibited, "
        "risk-class-consistent" in result.stderr
    )
    assert kinds(run, "minimal-pilot").count("override") == 1


def test_a_stage_taken_over_on_claims_is_shown(imported: Run) -> None:
    status = imported("status").stdout
    assert (
        "approvals not recorded ambient-scribe-cardiologie: past its gates without "
        "privacy_officer, information_security_officer approving in the register"
    ) in status
    pilots = {p["id"]: p for p in json.loads(imported("status", "--json").stdout)["pilots"]}
    assert pilots[SCRIBE]["unrecorded_approvals"] == [
        "privacy_officer", "information_security_officer"
    ]  # fmt: skip
    assert pilots[LETTER]["unrecorded_approvals"] == []
    to_skills(imported)
    assert "approvals not recorded ontslagbrief" not in imported("status").stdout


def test_a_file_does_not_move_a_pilot_past_gates_the_register_has_not_seen_passed(
    imported: Run, examples_copy: Path
) -> None:
    """Approvals typed in the file are claims: a registered pilot moves on recorded ones only."""
    path = edited(
        examples_copy, LETTER,
        ("stage: governance", "stage: skills"),
        ("bijsturen: {", "  approvals: [{role: privacy_officer, by: Nobody One, date: 2026-07-02},"
         " {role: information_security_officer, by: Nobody Two, date: 2026-07-02}]\n"
         "skills: {training_plan: x, target_users: 10, trained_users: 10, champions: [a],"
         " staff_involvement: x}\nbijsturen: {"),
    )  # fmt: skip
    assert imported("validate", path).exit_code == 0  # CI, without a register, counts the claims
    result = imported("import", path, "--by", OWNER)
    assert result.exit_code == 0, result.output
    assert (
        "file claims 'skills', the register keeps 'governance': the governance gate is not met "
        "in the register (approvals)"
    ) in result.stdout
    assert "stage-claimed" not in kinds(imported, LETTER)
    to_skills_ready = approve(imported, LETTER, "privacy_officer", "M. de Vries")
    assert to_skills_ready == 0
    assert approve(imported, LETTER, "information_security_officer", "R. Bakker") == 0
    assert imported("import", path).exit_code == 0  # now the register has seen the gate passed
    assert "stage-claimed" in kinds(imported, LETTER)


def test_a_file_cannot_end_a_pilot_while_its_governance_review_is_open(
    imported: Run, examples_copy: Path
) -> None:
    to_skills(imported)
    path = edited(
        examples_copy, LETTER,
        ("stage: governance", "stage: bijsturen\noutcome: stopped"),
        ("name: EPD-leverancier", "name: Andere leverancier"),
        ("bijsturen: {review_cadence: biweekly}", "  approvals: [{role: privacy_officer, by: X,"
         " date: 2026-07-02}, {role: information_security_officer, by: Y, date: 2026-07-02}]\n"
         "bijsturen: {review_cadence: biweekly, decision: stop}\nskills: {training_plan: x,"
         " target_users: 10, trained_users: 10, champions: [a], staff_involvement: x}\n"
         "synthetic_data: {applicable: false, justification: x}"),
    )  # fmt: skip
    result = imported("import", path)
    assert result.exit_code == 0, result.output
    assert "the register keeps 'skills': its governance review is open" in result.stdout
    status = json.loads(imported("status", "--json").stdout)
    letter = next(p for p in status["pilots"] if p["id"] == LETTER)
    assert (letter["stage"], letter["outcome"], letter["review_needed"]) == ("skills", None, True)


def test_a_playbook_without_four_eyes_is_refused_and_advancing_under_it_is_an_override(
    imported: Run, tmp_path: Path
) -> None:
    lax = write(
        tmp_path / "pb2.yaml",
        "name: pb2\nextends: default\ngates:\n  governance:\n"
        "    - {id: approvals, kind: present, field: governance.human_oversight, says: x,"
        " hint: y}\n"
        "    - {id: high-risk-approval, kind: present, field: governance.human_oversight,"
        " says: x, hint: y}\n",
    )
    refused = imported("playbook", "set", lax, "--reason", "sneller", "--by", "Dr. B. Hoekstra")
    assert refused.exit_code == 1
    assert "governance/approvals: kind changed from approvals to present (four eyes)" in (
        refused.stdout
    )
    waived = imported("waive", TRIAGE, "high-risk-logs", "--until", SOON, "--reason", "x",
                      "--role", "privacy_officer", "--by", "M. de Vries")  # fmt: skip
    assert waived.exit_code == 0, waived.output
    stored = imported("playbook", "set", lax, "--reason", "sneller", "--allow-weaker")
    assert stored.exit_code == 0
    moved = imported("advance", TRIAGE, "--by", "rvb")
    assert moved.exit_code == 0, moved.output
    assert kinds(imported, TRIAGE)[-1] == "override"
    back = write(tmp_path / "terug.yaml", "name: terug\nextends: default\ngates: {}\n")
    assert imported("playbook", "set", back, "--reason", "terug").exit_code == 0
    status = imported("status").stdout
    assert "override triage-huisartsenpost: governance → skills" in status
    assert "passed under playbook pb2, weaker than the default" in status


def test_a_waiver_of_a_criterion_that_can_never_be_waived_never_counts(
    imported: Run, tmp_path: Path
) -> None:
    loose = write(
        tmp_path / "loose.yaml",
        "name: loose\nextends: default\ngates:\n  governance:\n"
        "    - {id: fria, kind: present, field: governance.fria, says: FRIA, hint: Do it.,"
        " waivable: false}\n",
    )
    assert imported("playbook", "set", loose, "--reason", "strenger").exit_code == 0
    text = (EXAMPLES / "triage-huisartsenpost.yaml").read_text(encoding="utf-8")
    path = write(
        tmp_path / "triage.yaml",
        text.replace("  fria: FRIA-2026-003 (grondrechteneffectbeoordeling, Art. 27)\n", ""),
    )
    assert imported("import", path).exit_code == 0
    refused = imported("waive", TRIAGE, "fria", "--until", SOON, "--reason", "x",
                       "--role", "cmio", "--by", "Dr. CMIO")  # fmt: skip
    assert refused.exit_code == 1
    assert imported("playbook", "set", EXAMPLES / "playbooks" / "zorggroep-oost.yaml",
                    "--reason", "x").exit_code == 0  # fmt: skip
    given = imported("waive", TRIAGE, "fria", "--until", SOON, "--reason", "x",
                     "--role", "cmio", "--by", "Dr. CMIO")  # fmt: skip
    assert given.exit_code == 0, given.output
    assert imported("playbook", "set", loose, "--reason", "weer strenger").exit_code == 0
    gate = json.loads(imported("gate", TRIAGE, "--json").stdout)
    fria = next(c for c in gate["criteria"] if c["id"] == "fria")
    assert fria["met"] is False


def test_a_waiver_is_temporary(imported: Run) -> None:
    result = imported("waive", TRIAGE, "high-risk-logs", "--until", "9999-12-31", "--reason", "x",
                      "--role", "cmio", "--by", "Dr. CMIO")  # fmt: skip
    assert result.exit_code == 2
    assert "is more than a year ahead: a waiver is temporary" in result.stderr


def test_unreadable_values_are_reported_not_crashed_on(imported: Run, engine: str) -> None:
    if engine != "sqlite":
        return  # PostgreSQL's column types refuse such values in the first place
    tamper(f"UPDATE event SET payload = '{{' WHERE pilot_id = '{TRIAGE}'")
    for command in (("audit", "verify"), ("db", "check")):
        result = imported(*command)
        assert result.exit_code == 1, result.output
        assert f"broken {TRIAGE} at event #1: its content was changed" in result.stdout
    imported("measure", LETTER, "schrijftijd", "9", "--date", "2026-11-01")
    sql(f"UPDATE measurement SET date = 'garbage' WHERE pilot_id = '{LETTER}'")
    unreadable = imported("audit", "verify")
    assert unreadable.exit_code == 1
    assert "broken (measurement table) at event #0: a stored value cannot be read" in (
        unreadable.stdout
    )
    sql(f"UPDATE pilot SET definition = '{{\"id\": 1}}' WHERE id = '{SCRIBE}'")
    shown = imported("show", SCRIBE)
    assert shown.exit_code == 1
    # refused before the damaged definition is even read: its rows differ from its history
    assert "changed outside genai-pilots" in shown.stderr
    sql("DROP TABLE alembic_version")
    gone = imported("status")
    assert gone.exit_code == 2
    assert "no schema revision" in gone.stderr


# Found in the second round: the playbook's order, the playbook in force, the owner, old data


def test_swapping_stored_playbooks_is_caught_and_refused(imported: Run, tmp_path: Path) -> None:
    weak = write(tmp_path / "weak.yaml", "name: weak\nextends: default\ngates:\n  skills:\n"
                 "    - {id: champions, kind: present, field: skills.training_plan, says: x,"
                 " hint: y}\n")  # fmt: skip
    assert imported("playbook", "set", weak, "--reason", "proef").exit_code == 0
    strict = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    assert imported("playbook", "set", strict, "--reason", "streng").exit_code == 0
    ids = [r[0] for r in sql("SELECT id FROM playbook ORDER BY id")]
    sql(f"UPDATE playbook SET id = -1 WHERE id = {ids[0]}; UPDATE playbook SET id = {ids[0]} "
        f"WHERE id = {ids[1]}; UPDATE playbook SET id = {ids[1]} WHERE id = -1")  # fmt: skip
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert "broken (register) at event #3: rows of the playbook table were changed" in (
        result.stdout
    )
    refused = imported("advance", SCRIBE, "--by", "R. Bakker")
    assert refused.exit_code == 1
    assert (
        "the register (its playbooks, its people directory, its settings or its set of "
        "pilots) was changed outside" in refused.stderr
    )


def test_a_playbook_slipped_into_the_table_decides_no_gate(imported: Run, tmp_path: Path) -> None:
    sql(
        "INSERT INTO playbook (name, source, set_by, set_at) VALUES ('default', "
        "'name: leeg\ngates: {}\n', 'x', '2026-11-30 08:00:00')"
    )
    for command in (
        ("advance", TRIAGE, "--by", "R. Bakker"),
        ("approve", TRIAGE, "--role", "cmio", "--by", "Dr. CMIO"),
        ("import", EXAMPLES),
    ):
        refused = imported(*command)
        assert refused.exit_code == 1, command
        assert "was changed outside genai-pilots" in refused.stderr
    assert "override" not in kinds(imported, TRIAGE)


def test_handing_the_pilot_to_a_colleague_reopens_governance(
    imported: Run, examples_copy: Path
) -> None:
    path = edited(examples_copy, LETTER, ("owner: {name: Dr. S. El Amrani, email: "
                                          "s.elamrani@example.org}", "owner: {name: Dr. K. Smit,"
                                          " email: k.smit@example.org}"))  # fmt: skip
    assert "re-opens governance (owner.email, owner.name)" in imported("import", path).stdout
    assert approve(imported, LETTER, "privacy_officer", OWNER) == 0  # not the owner right now
    assert approve(imported, LETTER, "information_security_officer", "R. Bakker") == 0
    assert imported("advance", LETTER, "--by", OWNER).exit_code == 0
    back = imported("import", EXAMPLES / f"{LETTER}.yaml")
    assert "re-opens governance" in back.stdout
    blocked = imported("advance", LETTER, "--force", "--reason", "x", "--by", "rvb")
    assert blocked.exit_code == 1
    assert "needs a governance review" in blocked.stderr


def test_measurements_from_before_the_pilot_started_do_not_count(imported: Run) -> None:
    for day in ("2025-01-01", "2025-02-01", "2025-03-01"):
        imported("measure", SCRIBE, "documentatietijd", "1", "--date", day)
    imported("advance", SCRIBE, "--force", "--reason", "demo", "--by", "rvb")
    imported("advance", SCRIBE, "--force", "--reason", "demo", "--by", "rvb")
    gate = json.loads(imported("gate", SCRIBE, "--json").stdout)
    measured = next(c for c in gate["criteria"] if c["id"] == "measurements")
    assert measured["met"] is False
    assert "since the pilot started (2026-03-01)" in measured["detail"]


def test_the_owner_decides_neither_scale_nor_resume_nor_a_pass_on_a_weaker_playbook(
    imported: Run, tmp_path: Path
) -> None:
    paused = imported("pause", LETTER, "--reason", "DPIA herzien", "--by", "M. de Vries")
    assert paused.exit_code == 0
    own = imported("resume", LETTER, "--reason", "klaar", "--by", OWNER)
    assert own.exit_code == 1
    assert "which M. de Vries paused; the owner cannot resume it" in own.stderr
    assert imported("resume", LETTER, "--reason", "klaar", "--by", "M. de Vries").exit_code == 0
    light = write(tmp_path / "light.yaml", "name: light\nextends: default\ngates:\n"
                  "  governance:\n    - {id: approvals, kind: approvals, roles: [privacy_officer],"
                  " says: FG, hint: Ask.}\n")  # fmt: skip
    assert imported("playbook", "set", light, "--reason", "x", "--allow-weaker").exit_code == 0
    approve(imported, LETTER, "privacy_officer", "M. de Vries")
    self_pass = imported("advance", LETTER, "--by", OWNER)
    assert self_pass.exit_code == 1
    assert "cannot pass its gate under a playbook weaker than the default" in self_pass.stderr
    imported("advance", SCRIBE, "--force", "--reason", "demo", "--by", "rvb")
    imported("advance", SCRIBE, "--force", "--reason", "demo", "--by", "rvb")
    scale = imported("decide", SCRIBE, "scale", "--reason", "klaar", "--by", "Dr. A. Jansen")
    assert scale.exit_code == 1
    assert "cannot decide to scale it to practice (four eyes)" in scale.stderr


def test_a_large_register_split_over_workers_finds_the_same(imported: Run) -> None:
    """verify splits a large register over processes; the verdict must not depend on it."""
    import os

    from genai_pilots.services.audit import verify
    from genai_pilots.services.transactions import open_store

    imported("measure", SCRIBE, "documentatietijd", "11", "--date", "2026-04-01")
    store = open_store(os.environ["GENAI_PILOTS_DB"])
    whole, split = verify(store, workers=1), verify(store, workers=2)
    assert (split.pilots, split.events, split.broken) == (whole.pilots, whole.events, [])
    sql(f"UPDATE pilot SET risk_class = 'minimal' WHERE id = '{TRIAGE}'")
    sql(f"UPDATE measurement SET value = 99 WHERE pilot_id = '{SCRIBE}'")
    whole, split = verify(store, workers=1), verify(store, workers=3)
    assert split.broken == whole.broken
    assert [b.pilot_id for b in split.broken] == [SCRIBE, TRIAGE]


def test_events_of_a_pilot_not_in_the_register_are_reported(imported: Run, engine: str) -> None:
    """A pilot's row deleted (or events slipped in) leaves events nobody's chain proves."""
    from genai_pilots.domain.audit import GENESIS, event_hash

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    digest = event_hash(GENESIS, "spook", 1, at, "x", "created", {}, None)
    insert = (
        "INSERT INTO event (pilot_id, seq, at, actor, kind, payload, prev_hash, hash) "
        f"VALUES ('spook', 1, '2026-01-01 00:00:00', 'x', 'created', '{{}}', '{GENESIS}', "
        f"'{digest}')"
    )
    if engine == "sqlite":  # the sqlite3 shell does not enforce foreign keys unless asked
        import os
        import sqlite3

        connection = sqlite3.connect(os.environ["GENAI_PILOTS_DB"].removeprefix("sqlite:///"))
        connection.execute(insert)
        connection.commit()
        connection.close()
    else:
        tamper("ALTER TABLE event DISABLE TRIGGER ALL; " + insert)
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert "broken spook at event #0: events of a pilot that is not in the register" in (
        result.stdout
    )
