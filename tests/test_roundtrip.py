"""Export → import into an empty register gives the same portfolio (issue 14, part 1).

The stories of the README are played in one register — approvals, a waiver, a re-opened
governance review, a forced advance, measurements by command and CSV, a decision to stop — and
the definitions it exports import into another register at the same stages and outcomes, with
the same gate readiness, KPI values and overrides. Approvals stay claims there; a waiver or an
override travels as an override, never as a gate that was met.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Login, Run, write

TRIAGE, LETTER = "triage-huisartsenpost", "ontslagbrief-interne-geneeskunde"
SCRIBE, CHATBOT = "ambient-scribe-cardiologie", "patientvragen-chatbot-thuiszorg"
SOON = (dt.date.today() + dt.timedelta(days=60)).isoformat()


def play_the_stories(run: Run, db: str, tmp_path: Path) -> None:
    """The README's stories in one register."""

    def ok(*args: str) -> None:
        result = run(*args, "--db", db)
        assert result.exit_code == 0, (args, result.output)

    ok("import", str(EXAMPLES), "--by", "innovatie")
    # governance: approvals, a waiver in an approving role, the pilot moves on
    ok("approve", TRIAGE, "--role", "privacy_officer", "--by", "M. de Vries")
    ok("approve", TRIAGE, "--role", "information_security_officer", "--by", "R. Bakker")
    ok("approve", TRIAGE, "--role", "cmio", "--by", "Dr. CMIO")
    ok("waive", TRIAGE, "high-risk-logs", "--until", SOON, "--reason", "archief wordt verlengd",
       "--role", "cmio", "--by", "Dr. CMIO")  # fmt: skip
    ok("advance", TRIAGE, "--by", "innovatie")
    # a forced advance by someone else than the owner
    ok("advance", LETTER, "--force", "--reason", "RvB-besluit", "--by", "rvb")
    # a re-opened review: the scribe's supplier ships a new model version
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    newer = text.replace('model_version: "2026.02"', 'model_version: "2026.09"')
    changed = write(tmp_path / "changed" / f"{SCRIBE}.yaml", newer)
    ok("import", str(changed), "--by", "innovatie")
    # bijsturen: measurements by command and by CSV, and a pilot stopped early
    ok("measure", CHATBOT, "telefoontjes-avond", "120", "--date", "2026-10-01", "--by", "team")
    rows = "kpi,date,value\ntelefoontjes-avond,2026-10-15,110\njuist-doorverwezen,2026-10-15,97\n"
    ok("measure", CHATBOT, "--csv", str(write(tmp_path / "m.csv", rows)), "--by", "team")
    ok("decide", CHATBOT, "stop", "--reason", "leverancier stopt", "--by", "rvb")


def portfolio(run: Run, db: str) -> dict[str, Any]:
    """What must survive the move: per pilot its place, gate and blocker; overrides; KPIs."""
    status = json.loads(run("status", "--json", "--all", "--db", db).stdout)
    keep = ("id", "stage", "outcome", "gate", "first_blocker", "risk_class", "paused", "review")
    pilots = {p["id"]: {k: p.get(k) for k in keep} for p in status["pilots"]}
    overrides = sorted((o["pilot"], o["from"], tuple(o["failing"])) for o in status["overrides"])
    kpis = {
        pilot: json.loads(run("kpis", pilot, "--json", "--db", db).stdout)
        for pilot in (SCRIBE, CHATBOT)
    }
    return {"pilots": pilots, "funnel": status["funnel"], "overrides": overrides, "kpis": kpis}


@pytest.mark.store
def test_export_then_import_gives_the_same_portfolio(
    run: Run, store_url: str, empty_store_url: str, tmp_path: Path
) -> None:
    play_the_stories(run, store_url, tmp_path)
    before = portfolio(run, store_url)
    out = tmp_path / "out"
    exported = run("export", "-o", out, "--db", store_url)
    assert exported.exit_code == 0, exported.output
    assert "7 written" in exported.stdout
    imported = run("import", out, "--by", "migratie", "--db", empty_store_url)
    assert imported.exit_code == 0, imported.output
    after = portfolio(run, empty_store_url)
    assert after["pilots"] == before["pilots"]
    assert after["funnel"] == before["funnel"]
    assert after["kpis"] == before["kpis"]
    # every override travels, and the triage waiver travels as one
    assert set(before["overrides"]) <= set(after["overrides"])
    assert (TRIAGE, "governance", ("high-risk-logs",)) in after["overrides"]
    history = json.loads(run("history", TRIAGE, "--json", "--db", empty_store_url).stdout)
    forced = [e for e in history["events"] if e["kind"] == "override"]
    assert forced and "waived high-risk-logs" in forced[0]["reason"]
    assert run("audit", "verify", "--db", empty_store_url).exit_code == 0


@pytest.mark.store
def test_what_the_register_recorded_is_in_the_file(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    play_the_stories(run, store_url, tmp_path)
    files = {
        p: json.loads(json.dumps(__import__("yaml").safe_load(
            run("export", p, "--db", store_url).stdout), default=str))
        for p in (TRIAGE, LETTER, CHATBOT)
    }  # fmt: skip
    claimed = {(a["role"], a["by"]) for a in files[TRIAGE]["governance"]["approvals"]}
    assert {("information_security_officer", "R. Bakker"), ("cmio", "Dr. CMIO")} <= claimed
    [forced] = files[LETTER]["overrides"]
    assert (forced["stage"], forced["by"], forced["reason"]) == ("governance", "rvb", "RvB-besluit")
    chatbot = files[CHATBOT]
    assert chatbot["outcome"] == "stopped"
    assert chatbot["bijsturen"]["decision"] == "stop"
    assert chatbot["bijsturen"]["decision_reason"] == "leverancier stopt"
    values = {(m["kpi"], m["date"], m["value"]) for m in chatbot["bijsturen"]["measurements"]}
    assert ("telefoontjes-avond", "2026-10-01", 120.0) in values
    assert ("juist-doorverwezen", "2026-10-15", 97.0) in values


@pytest.mark.store
def test_export_never_overwrites_a_teams_own_edits_unless_told(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    assert run("import", EXAMPLES, "--db", store_url).exit_code == 0
    out = tmp_path / "pilots"
    assert run("export", "-o", out, "--db", store_url).exit_code == 0
    again = run("export", "-o", out, "--db", store_url)
    assert again.exit_code == 0 and "0 written, 7 already the same" in again.stdout
    edited = out / f"{SCRIBE}.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# onze eigen notitie\n",
                      encoding="utf-8")  # fmt: skip
    refused = run("export", "-o", out, "--db", store_url)
    assert refused.exit_code == 2
    assert f"{SCRIBE}.yaml" in refused.stderr and "nothing was written" in refused.stderr
    assert edited.read_text(encoding="utf-8").endswith("# onze eigen notitie\n")
    forced = run("export", "-o", out, "--force", "--db", store_url)
    assert forced.exit_code == 0 and "1 written" in forced.stdout
    assert "# onze eigen notitie" not in edited.read_text(encoding="utf-8")


def test_an_override_in_a_file_never_passes_what_no_decision_can(run: Run, tmp_path: Path) -> None:
    """A hand-written override cannot carry a pilot past the AI Act classification."""
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    start = text.index("  ai_act:")
    end = text.index("  dpia:")
    forged = text[:start] + text[end:]
    forged = forged.replace(
        "stage: skills\n",
        "stage: skills\noverrides:\n  - {stage: governance, by: Iemand, date: 2026-01-01, "
        "reason: mag, failing: [ai-act-classified, risk-class, risk-class-consistent]}\n",
    )
    path = write(tmp_path / "forged" / f"{SCRIBE}.yaml", forged)
    result = run("import", path)
    assert result.exit_code == 1
    assert "claims 'skills' but the Sterke governance gate is not met" in result.stdout
    assert run("status").stdout.strip().startswith("no pilots")


def _exported_with_override(run: Run, db: str, tmp_path: Path) -> Path:
    """The letter forced past governance in one register, exported to a file."""
    letter = EXAMPLES / f"{LETTER}.yaml"
    assert run("import", letter, "--by", "innovatie", "--db", db).exit_code == 0
    forced = run("advance", LETTER, "--force", "--reason", "RvB", "--by", "rvb", "--db", db)
    assert forced.exit_code == 0, forced.output
    out = tmp_path / "out"
    assert run("export", LETTER, "-o", out, "--db", db).exit_code == 0
    return out / f"{LETTER}.yaml"


@pytest.mark.store
def test_an_override_in_a_file_needs_the_authority_of_force(
    run: Run, empty_store_url: str, tmp_path: Path, login: Login
) -> None:
    path = _exported_with_override(run, empty_store_url, tmp_path)
    # the owner cannot bring it in (four eyes, as for advance --force)
    by_owner = run("import", path, "--by", "Dr. S. El Amrani")
    assert by_owner.exit_code == 1
    assert "owns it and cannot override its gates" in by_owner.stderr
    # with the people directory in use, an override is given in the register, never by import
    login("innovatie")
    added = run("people", "add", "innovatie", "--name", "I. Novatie", "--email",
                "innovatie@zorg.example", "--role", "admin")  # fmt: skip
    assert added.exit_code == 0, added.output
    with_people = run("import", path)
    assert with_people.exit_code == 1
    assert "with the people directory in use, an override is given in the register" in (
        with_people.stderr
    )
    assert json.loads(run("status", "--json").stdout)["total"] == 0


@pytest.mark.store
def test_the_export_says_what_a_file_cannot_carry(run: Run, store_url: str, tmp_path: Path) -> None:
    assert run("import", EXAMPLES, "--by", "innovatie", "--db", store_url).exit_code == 0
    waived = run("waive", TRIAGE, "high-risk-logs", "--until", SOON, "--reason", "archief",
                 "--role", "cmio", "--by", "Dr. CMIO", "--db", store_url)  # fmt: skip
    assert waived.exit_code == 0, waived.output
    stored = run("playbook", "set", EXAMPLES / "playbooks" / "zorggroep-oost.yaml",
                 "--reason", "eigen", "--by", "kwaliteit", "--db", store_url)  # fmt: skip
    assert stored.exit_code == 0, stored.output
    result = run("export", "-o", tmp_path / "out", "--db", store_url)
    assert result.exit_code == 0
    assert f"{TRIAGE}: waivers of its current gate are not in the file (high-risk-logs)" in (
        result.stderr
    )
    assert "the register's own playbook is not in the files" in result.stderr
