"""The messages of the register's services in Dutch (``--lang nl``), and what they store in English.

Files, import, the directory and its roles, the audit chain, evidence and export speak Dutch
to people; what they record (the history, an exported definition) and ``--json`` stay English.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Login, Run, tamper, write
from tests.test_controls import LETTER, TRIAGE
from tests.test_identity import FG, governance_approvals_with, imported, people_add

pytestmark = pytest.mark.store

__all__ = ["imported"]


def test_importing_a_folder_that_is_not_there_says_why_in_dutch(run: Run, tmp_path: Path) -> None:
    link = tmp_path / "definities"
    link.symlink_to(tmp_path / "verhuisd")
    dangling = run("--lang", "nl", "import", link)
    assert dangling.exit_code == 2
    assert f"{link}: het is een symbolische link naar {tmp_path / 'verhuisd'}, en dat bestaat " in (
        dangling.stderr
    )
    note = write(tmp_path / "notitie.txt", "geen map\n")
    through = run("--lang", "nl", "import", note / "definities")
    assert through.exit_code == 2
    assert f"{note / 'definities'}: {note} is een bestand, geen map" in through.stderr
    assert "Traceback" not in dangling.output + through.output


def test_an_import_with_an_invalid_file_is_refused_in_dutch(run: Run) -> None:
    result = run("--lang", "nl", "import", EXAMPLES / "invalid" / "duplicate-key.yaml")
    assert result.exit_code == 1
    assert "niets geïmporteerd: 1 van de 1 bestanden bevatten fouten" in result.stderr
    assert "herstel de bevindingen hierboven (`pilots validate` laat hetzelfde zien)" in (
        result.stderr
    )


def test_the_directory_refuses_a_stranger_and_a_missing_role_in_dutch(
    imported: Run, login: Login
) -> None:
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin", FG) == 0
    assert people_add(imported, "bob", "Bob de Wit") == 0
    login("eve")
    stranger = imported("--lang", "nl", "approve", LETTER, "--role", FG)
    assert stranger.exit_code == 1
    assert "login 'eve' staat niet in de personenlijst van het register" in stranger.stderr
    assert "een beheerder van de personenlijst voegt u toe: pilots people add eve" in (
        stranger.stderr
    )
    login("bob")
    no_role = imported("--lang", "nl", "approve", LETTER, "--role", FG)
    assert no_role.exit_code == 1
    assert "Bob de Wit heeft de rol privacy_officer niet in de personenlijst" in no_role.stderr
    assert "(heeft geen enkele rol)" in no_role.stderr
    nobody = imported("--lang", "nl", "approve", LETTER, "--role", FG, "--by", "Niemand")
    assert nobody.exit_code == 2
    assert "--by 'Niemand' noemt niemand uit de personenlijst van het register" in nobody.stderr
    assert "approved" not in {
        e["kind"] for e in json.loads(imported("history", LETTER, "--json").stdout)["events"]
    }


def test_an_approval_entered_in_dutch_is_recorded_in_english(
    imported: Run, login: Login, tmp_path: Path
) -> None:
    path = governance_approvals_with(tmp_path, "delegation: true")
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert people_add(imported, "mdv", "M. de Vries", FG) == 0
    assert people_add(imported, "ed", "Ed Secretariaat") == 0
    stored = imported("playbook", "set", path, "--reason", "secretariaat", "--allow-weaker")
    assert stored.exit_code == 0, stored.output
    login("ed")
    given = imported("--lang", "nl", "approve", LETTER, "--role", FG, "--by", "M. de Vries")
    assert given.exit_code == 0, given.output
    history = json.loads(imported("--lang", "nl", "history", LETTER, "--json").stdout)
    approved = [e for e in history["events"] if e["kind"] == "approved"]
    assert [e["actor"] for e in approved] == ["M. de Vries (entered by ed)"]


def test_audit_verify_names_a_direct_edit_in_dutch_and_json_stays_english(imported: Run) -> None:
    tamper(f"UPDATE pilot SET owner_name = 'Iemand' WHERE id = '{TRIAGE}'")
    dutch = imported("--lang", "nl", "audit", "verify")
    assert dutch.exit_code == 1
    assert "pilot.owner_name is rechtstreeks gewijzigd: die past niet meer bij de definitie" in (
        dutch.stdout
    )
    english = imported("--lang", "nl", "audit", "verify", "--json")
    assert english.exit_code == 1
    broken = json.loads(english.stdout)["broken"]
    assert [b["problem"] for b in broken] == [
        "pilot.owner_name was changed directly: it no longer matches the definition"
    ]
    unknown = imported("--lang", "nl", "audit", "verify", "geen-pilot")
    assert unknown.exit_code == 2
    assert "geen pilot met id 'geen-pilot'" in unknown.stderr
    assert "`pilots status` toont de pilots in het register" in unknown.stderr


def test_export_into_a_file_is_refused_in_dutch(imported: Run, tmp_path: Path) -> None:
    target = write(tmp_path / "uit.txt", "al bezet\n")
    result = imported("--lang", "nl", "export", "-o", target)
    assert result.exit_code == 2
    assert f"{target}: het is een bestand, geen map" in result.stderr
    assert "geef bij -o een map op" in result.stderr


def test_an_exported_definition_stays_english_under_dutch(imported: Run, tmp_path: Path) -> None:
    assert imported("approve", LETTER, "--role", FG, "--by", "M. de Vries").exit_code == 0
    result = imported("--lang", "nl", "export", LETTER, "-o", tmp_path / "uit")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "uit" / f"{LETTER}.yaml").read_text(encoding="utf-8")
    assert "recorded in the register for governance on" in text


def test_evidence_errors_are_dutch_with_dutch_dates(imported: Run, tmp_path: Path) -> None:
    document = write(tmp_path / "dpia.pdf", b"%PDF-1.4 dpia\n")
    expired = imported("--lang", "nl", "evidence", "add", LETTER, "dpia", document,
                       "--valid-until", "2020-01-31")  # fmt: skip
    assert expired.exit_code == 2
    assert "--valid-until 31 januari 2020 is al voorbij: verlopen bewijs telt niet mee" in (
        expired.stderr
    )
    missing = imported("--lang", "nl", "evidence", "withdraw", LETTER, "7", "--reason", "fout")
    assert missing.exit_code == 2
    assert f"{LETTER} heeft geen bewijsstuk nummer 7 (het heeft er geen)" in missing.stderr
    assert f"`pilots evidence list {LETTER}` toont de nummers" in missing.stderr
