"""Governance-grade gates: four eyes, claims, waivers with a controlled clock, re-gating,
overrides, prohibited practices, stored and extended playbooks, and tamper evidence."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import ENGINES, EXAMPLES, MINIMAL, Run, set_today, tamper, write

LETTER = "ontslagbrief-interne-geneeskunde"
TRIAGE = "triage-huisartsenpost"


@pytest.fixture
def imported(run: Run) -> Run:
    assert run("import", EXAMPLES, "--by", "innovatie").exit_code == 0
    return run


pytestmark = pytest.mark.store


def events(run: Run, pilot: str) -> list[dict[str, object]]:
    return json.loads(run("history", pilot, "--json").stdout)["events"]  # type: ignore[no-any-return]


def approve(run: Run, pilot: str, role: str, by: str) -> int:
    return run("approve", pilot, "--role", role, "--by", by).exit_code


@pytest.mark.store(fast=ENGINES)  # the fast loop's end-to-end story on PostgreSQL too
def test_the_governance_story(imported: Run, examples_copy: Path) -> None:
    refused = imported("advance", LETTER)
    assert refused.exit_code == 1
    assert "missing approval of privacy_officer, information_security_officer" in refused.stdout

    own = imported("approve", LETTER, "--role", "privacy_officer", "--by", "Dr. S. El Amrani")
    assert own.exit_code == 1
    assert "owns ontslagbrief-interne-geneeskunde and cannot approve it (four eyes)" in own.stderr
    by_email = imported(
        "approve", LETTER, "--role", "privacy_officer", "--by", "S.ELAMRANI@example.org"
    )
    assert by_email.exit_code == 1

    assert approve(imported, LETTER, "privacy_officer", "M. de Vries") == 0
    assert approve(imported, LETTER, "information_security_officer", "R. Bakker") == 0
    moved = imported("advance", LETTER)
    assert moved.exit_code == 0, moved.output
    assert "governance → skills" in moved.stdout

    path = examples_copy / f"{LETTER}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'model_version: "2025-11-20"', 'model_version: "2026-05-13"'
        ),
        encoding="utf-8",
    )
    plan = imported("import", path)
    assert "re-opens governance (governance.vendor.model_version)" in plan.stdout
    assert "review needed" in imported("status").stdout
    blocked = imported("advance", LETTER, "--force", "--reason", "haast")
    assert blocked.exit_code == 1
    assert "needs a governance review" in blocked.stderr
    assert "governance review needed" in imported("show", LETTER).stdout

    assert approve(imported, LETTER, "privacy_officer", "M. de Vries") == 0
    done = imported(
        "approve", LETTER, "--role", "information_security_officer", "--by", "R. Bakker"
    )
    assert "governance review of ontslagbrief-interne-geneeskunde completed" in done.stdout
    after = imported("advance", LETTER)
    assert "needs a governance review" not in after.stderr
    assert "cannot leave skills" in after.stderr  # now only its own skills gate stands in the way
    kinds = [e["kind"] for e in events(imported, LETTER)]
    assert kinds == [
        "imported", "approved", "approved", "advanced", "definition-changed",
        "governance-review-needed", "approved", "approved", "governance-review-completed",
    ]  # fmt: skip
    assert imported("audit", "verify").exit_code == 0


def test_claims_in_yaml_are_shown_but_not_counted(imported: Run) -> None:
    gate = json.loads(imported("gate", TRIAGE, "--json").stdout)
    approvals = next(c for c in gate["criteria"] if c["id"] == "approvals")
    assert (
        approvals["detail"] == "missing approval of privacy_officer, information_security_officer"
    )
    show = imported("show", TRIAGE).stdout
    assert "claimed in YAML (not counted; record it with pilots approve)" in show


def test_roles_come_from_the_playbook(imported: Run) -> None:
    wrong = imported("approve", LETTER, "--role", "cmio", "--by", "X")
    assert wrong.exit_code == 2
    assert "does not ask for role 'cmio'" in wrong.stderr
    assert "it asks for: privacy_officer, information_security_officer" in wrong.stderr
    assert approve(imported, TRIAGE, "cmio", "Dr. CMIO") == 0  # high-risk asks for the CMIO
    again = imported("approve", TRIAGE, "--role", "cmio", "--by", "Someone")
    assert again.exit_code == 1
    assert "already has the cmio approval (by Dr. CMIO)" in again.stderr


def test_typed_names_print_as_typed(imported: Run) -> None:
    """A name with brackets is text, not Rich markup: the approval is stored and reported."""
    result = imported("approve", LETTER, "--role", "privacy_officer", "--by", "[/]M. [b]de Vries")
    assert result.exit_code == 0, result.output
    assert "[/]M. [b]de Vries approved ontslagbrief-interne-geneeskunde" in result.stdout


def test_revoked_approvals_no_longer_count(imported: Run) -> None:
    approve(imported, LETTER, "privacy_officer", "M. de Vries")
    approve(imported, LETTER, "information_security_officer", "R. Bakker")
    assert imported("gate", LETTER).exit_code == 0
    revoked = imported("revoke", LETTER, "--role", "privacy_officer", "--reason", "DPIA herzien")
    assert revoked.exit_code == 0
    assert imported("gate", LETTER).exit_code == 1
    last = events(imported, LETTER)[-1]
    assert (last["kind"], last["reason"]) == ("revoked", "DPIA herzien")
    assert imported("revoke", LETTER, "--role", "privacy_officer", "--reason", "x").exit_code == 1
    assert imported("audit", "verify", LETTER).exit_code == 0


def test_a_waiver_counts_until_its_date_then_blocks_again(
    imported: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, dt.date(2026, 12, 1))
    result = imported(
        "waive",
        TRIAGE,
        "high-risk-logs",
        "--until",
        "2026-12-10",
        "--reason",
        "logopslag wordt gemigreerd",
        "--role",
        "information_security_officer",
        "--by",
        "R. Bakker",
    )
    assert result.exit_code == 0, result.output
    gate = json.loads(imported("gate", TRIAGE, "--json").stdout)
    logs = next(c for c in gate["criteria"] if c["id"] == "high-risk-logs")
    assert logs["met"] is True
    assert logs["detail"].startswith("waived until 2026-12-10 by ")
    status = imported("status").stdout
    assert "waiver expires triage-huisartsenpost: high-risk-logs on 2026-12-10" in status
    assert "(granted by R. Bakker as information_security_officer)" in status

    set_today(monkeypatch, dt.date(2026, 12, 10))
    assert json.loads(imported("gate", TRIAGE, "--json").stdout)["criteria"][11]["met"] is True
    set_today(monkeypatch, dt.date(2026, 12, 11))
    gate = json.loads(imported("gate", TRIAGE, "--json").stdout)
    logs = next(c for c in gate["criteria"] if c["id"] == "high-risk-logs")
    assert logs["met"] is False
    assert "waiver expires" not in imported("status").stdout


def test_waiver_input_is_checked(imported: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, dt.date(2026, 12, 1))
    unknown = imported("waive", TRIAGE, "no-such", "--until", "2027-01-01", "--reason", "x")
    assert unknown.exit_code == 2
    assert "has no criterion 'no-such'" in unknown.stderr
    past = imported("waive", TRIAGE, "approvals", "--until", "2026-11-30", "--reason", "x")
    assert past.exit_code == 2
    assert "is not in the future" in past.stderr
    bad_date = imported("waive", TRIAGE, "approvals", "--until", "morgen", "--reason", "x")
    assert bad_date.exit_code == 2


def test_overrides_are_listed_in_status(imported: Run) -> None:
    imported("advance", TRIAGE, "--force", "--reason", "RvB-besluit", "--by", "rvb")
    status = imported("status").stdout
    assert "override triage-huisartsenpost: governance → skills" in status
    assert "by rvb despite high-risk-logs, approvals, high-risk-approval — RvB-besluit" in status
    overrides = json.loads(imported("status", "--json").stdout)["overrides"]
    assert overrides[0]["pilot"] == TRIAGE and overrides[0]["reason"] == "RvB-besluit"


def test_a_prohibited_practice_can_never_advance(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL + "governance:\n  ai_act: {risk_class: prohibited}\n")
    assert run("import", path).exit_code == 0
    result = run("advance", "minimal-pilot", "--force", "--reason", "toch doen")
    assert result.exit_code == 1
    assert "prohibited AI practice (EU AI Act Art. 5)" in result.stderr
    assert "not even with --force" in result.stderr


def test_stored_playbook_is_in_force(imported: Run) -> None:
    custom = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    stored = imported("playbook", "set", custom, "--by", "kwaliteit", "--reason", "AI-beleid 2026")
    assert stored.exit_code == 0, stored.output
    gate = imported("gate", "patientvragen-chatbot-thuiszorg", "--json")
    assert json.loads(gate.stdout)["criteria"][0]["id"] == "datasets"
    shown = imported("playbook", "show").stdout
    assert "zorggroep-oost (stored in the register by kwaliteit" in shown
    assert "in thuiszorg: users-trained with {'min': 0.95}" in shown
    default = imported(
        "playbook", "show", "--playbook", EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    )
    assert "(file " in default.stdout


def test_playbook_validate_and_extends(run: Run, tmp_path: Path) -> None:
    extending = write(
        tmp_path / "extra.yaml",
        "name: extra\nextends: default\ngates:\n  governance:\n"
        "    - {id: ethics, kind: approvals, roles: [ethics_committee], says: Ethics, hint: Ask.}\n"
        "settings:\n  ggz:\n    users-trained: {min: 0.95}\n",
    )
    result = run("playbook", "validate", extending)
    assert result.exit_code == 0
    *warnings, verdict = result.stdout.strip().splitlines()
    assert verdict == f"{extending}: valid (extra, 40 criteria)"
    assert [w.split(": ")[:3] for w in warnings] == [  # texts in one language: they fall back
        [f"{extending}:5:70", "warning", "gates.governance[0].says"],
        [f"{extending}:5:84", "warning", "gates.governance[0].hint"],
    ]
    shown = run("playbook", "show", "--playbook", extending).stdout
    assert "ethics" in shown and "risk-class-consistent" in shown
    bad = write(
        tmp_path / "bad.yaml",
        "name: x\ngates:\n  skills:\n    - {id: a, kind: nope, says: s, hint: h}\n",
    )
    invalid = run("playbook", "validate", bad)
    assert invalid.exit_code == 1
    assert invalid.stdout.startswith(f"{bad}:4:7: error: ")


@pytest.mark.parametrize(
    ("tamper_with", "seq", "problem"),
    [
        ("UPDATE event SET actor = 'iemand anders' WHERE pilot_id = '{p}' AND seq = 2", 2,
         "its content was changed after it was recorded"),
        ({"sqlite": "UPDATE event SET payload = replace(payload, 'privacy_officer', 'cmio') "
                    "WHERE pilot_id = '{p}' AND seq = 2",
          "postgresql": "UPDATE event SET payload = "
                        "CAST(replace(CAST(payload AS TEXT), 'privacy_officer', 'cmio') AS JSON) "
                        "WHERE pilot_id = '{p}' AND seq = 2"}, 2, "its content was changed"),
        ("DELETE FROM event WHERE pilot_id = '{p}' AND seq = 2", 3,
         "expected event #2 here: events are missing or reordered"),
        ("DELETE FROM event WHERE pilot_id = '{p}' AND seq = 4", 4,
         "events after this one were removed"),
        ("UPDATE event SET seq = 99 WHERE pilot_id = '{p}' AND seq = 2;"
         "UPDATE event SET seq = 2 WHERE pilot_id = '{p}' AND seq = 3;"
         "UPDATE event SET seq = 3 WHERE pilot_id = '{p}' AND seq = 99;", 2,
         "does not link to the event before it"),
        ("UPDATE pilot SET stage = 'bijsturen' WHERE id = '{p}'", 4,
         "pilot.stage was changed directly: the row says bijsturen, its history says skills"),
        ("INSERT INTO approval (pilot_id, stage, role, by, at) VALUES "
         "('{p}', 'skills', 'cmio', 'nep', '2026-01-01 00:00:00')", 4,
         "rows of the approval table were changed, added or removed directly"),
    ],
    ids=["update-actor", "update-payload", "delete-middle", "delete-last", "reorder",
         "edit-stage", "insert-approval"],
)  # fmt: skip
def test_tampering_is_caught(
    imported: Run, engine: str, tamper_with: str | dict[str, str], seq: int, problem: str
) -> None:
    approve(imported, LETTER, "privacy_officer", "M. de Vries")
    approve(imported, LETTER, "information_security_officer", "R. Bakker")
    imported("advance", LETTER)
    assert imported("audit", "verify").exit_code == 0
    change = tamper_with if isinstance(tamper_with, str) else tamper_with[engine]
    tamper(change.format(p=LETTER))
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert f"broken {LETTER} at event #{seq}: {problem}" in result.stdout
    assert result.stdout.strip().endswith("history was changed")
    assert imported("audit", "verify", TRIAGE).exit_code == 0
    report = json.loads(imported("audit", "verify", "--json").stdout)
    assert [b["pilot"] for b in report["broken"]] == [LETTER]
