"""Who did it: names that mean one person, separation of duties, the people directory and the
login behind each decision, each tried the way an insider would get around it.

Every test runs on SQLite (the OS login: LOGNAME) and on PostgreSQL (the database login:
``session_user``, with real logins created on the test server).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import EXAMPLES, Login, Run, sql, write
from tests.test_controls import LETTER, OWNER, TRIAGE, imported

pytestmark = pytest.mark.store

__all__ = ["imported"]

FG, CISO = "privacy_officer", "information_security_officer"


def people_add(run: Run, who: str, name: str, *roles: str) -> int:
    flags = [arg for role in roles for arg in ("--role", role)]
    email = f"{who}@zorg.example"
    return run("people", "add", who, "--name", name, "--email", email, *flags).exit_code


def give(run: Run, role: str, by: str | None = None) -> Result:
    return run("approve", LETTER, "--role", role, *(["--by", by] if by else []))


def governance_approvals_with(tmp_path: Path, setting: str) -> Path:
    """The default playbook with one more setting on the governance gate's approvals."""
    from genai_pilots.services.playbooks import default_playbook_text

    roles = "      roles: [privacy_officer, information_security_officer]\n"
    text = default_playbook_text().decode().replace(roles, f"{roles}      {setting}\n")
    return write(tmp_path / "playbook.yaml", text)


# 1. Names that mean one person


@pytest.mark.parametrize(
    "name", ["   ", "", "M.\u200bde Vries", "\u202eseirV ed .M", "M. de\x07Vries"]
)
def test_a_blank_or_invisible_name_is_refused(imported: Run, name: str) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", name)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert ("blank" in result.stderr) or ("which no name needs" in result.stderr)
    assert "approved" not in json.dumps(json.loads(imported("history", LETTER, "--json").stdout))


@pytest.mark.parametrize(
    "spelling", ["Dr.  S.  El Amrani", "dr. s. el amrani", " Dr. S. El Amrani "]
)
def test_the_owner_under_another_spelling_is_still_the_owner(imported: Run, spelling: str) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", spelling)
    assert result.exit_code == 1
    assert f"owns {LETTER}" in result.stderr


def test_names_are_recorded_in_one_form(imported: Run) -> None:
    assert give(imported, FG, "M.   de  Vries").exit_code == 0
    events = json.loads(imported("history", LETTER, "--json").stdout)["events"]
    assert events[-1]["actor"] == "M. de Vries"


# 2. Separation of duties


def test_one_person_cannot_fill_two_roles_of_a_gate(imported: Run) -> None:
    assert give(imported, FG, "M. de Vries").exit_code == 0
    second = give(imported, CISO, "m. DE vries")
    assert second.exit_code == 1
    assert "already approved this gate as privacy_officer" in second.stderr
    assert imported("advance", LETTER).exit_code == 1
    assert give(imported, CISO, "R. Bakker").exit_code == 0


def test_a_playbook_may_allow_one_person_two_roles_but_it_is_a_weakening(
    imported: Run, tmp_path: Path
) -> None:

    path = governance_approvals_with(tmp_path, "distinct_people: false")
    refused = imported("playbook", "set", str(path), "--reason", "klein team")
    assert refused.exit_code == 1
    assert "one person may now give several of its approvals" in refused.output
    stored = imported("playbook", "set", str(path), "--reason", "klein team", "--allow-weaker")
    assert stored.exit_code == 0
    assert give(imported, FG, "M. de Vries").exit_code == 0
    assert give(imported, CISO, "M. de Vries").exit_code == 0


# 3. The directory and the login behind each decision


def test_an_empty_directory_says_it_is_a_single_users_register(imported: Run) -> None:
    result = imported("people", "list")
    assert result.exit_code == 0
    assert "single user's register" in result.stdout


def test_the_directory_decides_who_may_approve(imported: Run, login: Login) -> None:
    switch = login
    switch("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin", FG) == 0
    assert people_add(imported, "bob", "Bob de Wit", CISO) == 0
    # a login the directory does not know cannot act
    switch("eve")
    stranger = give(imported, FG)
    assert stranger.exit_code == 1
    assert "login 'eve' is not in the register's directory" in stranger.stderr
    # a login may act only in the roles it holds
    switch("bob")
    wrong_role = give(imported, FG)
    assert wrong_role.exit_code == 1
    assert "does not hold the role privacy_officer" in wrong_role.stderr
    # --by does not make bob someone else: it is entry on their behalf, not delegated here
    on_behalf = give(imported, FG, "Ria Ooms")
    assert on_behalf.exit_code == 1
    assert "cannot approve on behalf of Ria Ooms" in on_behalf.stderr
    assert give(imported, CISO).exit_code == 0
    switch("ria")
    assert give(imported, FG).exit_code == 0
    events = json.loads(imported("history", LETTER, "--json").stdout)["events"]
    assert [e["actor"] for e in events if e["kind"] == "approved"] == ["Bob de Wit", "Ria Ooms"]
    assert imported("advance", LETTER).exit_code == 0


def test_only_an_admin_changes_the_directory_and_never_their_own_entry(
    imported: Run, login: Login
) -> None:
    switch = login
    switch("ria")
    assert people_add(imported, "bob", "Bob de Wit", CISO) == 1  # no admin would be left
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert people_add(imported, "bob", "Bob de Wit", CISO) == 0
    own = imported("people", "add", "ria", "--name", "Ria Ooms", "--email", "ria@zorg.example",
                   "--role", "admin", "--role", FG)  # fmt: skip
    assert own.exit_code == 1
    assert "nobody changes their own entry" in own.stderr
    last = imported("people", "remove", "ria", "--reason", "weg")
    assert last.exit_code == 1
    assert "nobody removes themselves" in last.stderr
    switch("bob")
    grab = imported("people", "add", "bob", "--name", "Bob de Wit", "--email", "bob@zorg.example",
                    "--role", "admin")  # fmt: skip
    assert grab.exit_code == 1
    assert "does not hold the role admin" in grab.stderr
    listed = json.loads(imported("people", "list", "--json").stdout)["people"]
    assert {p["login"]: p["roles"] for p in listed} == {"ria": ["admin"], "bob": [CISO]}


def test_the_owner_is_known_by_their_login_too(imported: Run, login: Login) -> None:
    switch = login
    switch("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    owner = imported("people", "add", "samira", "--name", OWNER, "--email",
                     "s.elamrani@example.org", "--role", FG)  # fmt: skip
    assert owner.exit_code == 0
    switch("samira")
    result = give(imported, FG)
    assert result.exit_code == 1
    assert f"owns {LETTER}" in result.stderr


def test_an_edit_of_the_directory_by_plain_sql_is_caught(imported: Run, login: Login) -> None:
    switch = login
    switch("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert people_add(imported, "bob", "Bob de Wit", CISO) == 0
    sql("UPDATE person SET roles = '[\"information_security_officer\", \"privacy_officer\"]' "
        "WHERE login = 'bob'")  # fmt: skip
    verify = imported("audit", "verify")
    assert verify.exit_code == 1
    assert "(register)" in verify.stdout
    assert "person table" in verify.stdout
    switch("bob")
    assert give(imported, FG).exit_code != 0  # no decision is judged on a tampered directory


def test_a_person_can_only_be_in_the_directory_once(imported: Run, login: Login) -> None:
    switch = login
    switch("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    twice = imported("people", "add", "ria2", "--name", "ria  ooms", "--email", "x@zorg.example",
                     "--role", FG)  # fmt: skip
    assert twice.exit_code == 1
    assert "one person, one entry" in twice.stderr


def test_the_register_chain_records_the_directory(imported: Run, login: Login) -> None:
    switch = login
    switch("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert imported("audit", "verify").exit_code == 0
    kinds = [r[0] for r in sql("SELECT kind FROM register_event ORDER BY seq")]
    assert "person-added" in kinds


def test_examples_still_import_for_a_single_user(run: Run) -> None:
    assert run("import", str(EXAMPLES)).exit_code == 0
    assert run("approve", TRIAGE, "--role", FG, "--by", "M. de Vries").exit_code == 0


def test_who_entered_an_approval_cannot_be_edited_by_plain_sql(imported: Run) -> None:
    from sqlalchemy.exc import DBAPIError

    assert give(imported, FG, "M. de Vries").exit_code == 0
    with pytest.raises(DBAPIError, match="approval is append-only"):
        sql("UPDATE approval SET entered_by = 'iemand'")


def test_naming_someone_else_with_by_never_lends_their_rights(
    imported: Run, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--by (or GENAI_PILOTS_USER) names whom a decision is entered for; the login is judged."""
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin", FG) == 0
    assert people_add(imported, "bob", "Bob de Wit", CISO) == 0
    assert people_add(imported, "carl", "Carl Mens", "cmio") == 0
    samira = imported("people", "add", "samira", "--name", OWNER, "--email",
                      "s.elamrani@example.org", "--role", FG, "--role", CISO)  # fmt: skip
    assert samira.exit_code == 0
    soon = "2027-01-15"
    login("carl")  # holds cmio only
    attempts = [
        ("waive", TRIAGE, "high-risk-logs", "--until", soon, "--reason", "x", "--role", CISO,
         "--by", "Bob de Wit"),
        ("playbook", "set", str(EXAMPLES / "playbooks" / "zorggroep-oost.yaml"), "--reason", "x",
         "--by", "Ria Ooms"),
        ("people", "add", "carl", "--name", "Carl Mens", "--email", "carl@zorg.example",
         "--role", "admin", "--by", "ria"),
    ]  # fmt: skip
    for attempt in attempts:
        result = imported(*attempt)
        assert result.exit_code == 1, (attempt, result.output)
        assert "on behalf of" in result.stderr and "only approvals can be delegated" in (
            result.stderr
        )
    monkeypatch.setenv("GENAI_PILOTS_USER", "Ria Ooms")
    assert imported("playbook", "set", str(EXAMPLES / "playbooks" / "zorggroep-oost.yaml"),
                    "--reason", "x").exit_code == 1  # fmt: skip
    monkeypatch.delenv("GENAI_PILOTS_USER")
    login("samira")  # the owner of the letter
    for attempt in [
        ("advance", LETTER, "--force", "--reason", "x", "--by", "Carl Mens"),
        ("waive", LETTER, "dpia", "--until", soon, "--reason", "x", "--role", FG,
         "--by", "Bob de Wit"),
    ]:  # fmt: skip
        result = imported(*attempt)
        assert result.exit_code == 1, (attempt, result.output)
        assert f"owns {LETTER}" in result.stderr
    kinds = json.loads(imported("history", LETTER, "--json").stdout)["events"]
    assert not {"override", "waived", "advanced"} & {e["kind"] for e in kinds}


def test_logins_are_matched_exactly(imported: Run, login: Login) -> None:
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin", FG) == 0
    login("Ria")  # another login (PostgreSQL role names are case-sensitive when quoted)
    result = give(imported, FG)
    assert result.exit_code == 1
    assert "login 'Ria' is not in the register's directory" in result.stderr


def test_the_first_person_in_the_directory_is_the_one_adding_as_admin(
    imported: Run, login: Login
) -> None:
    login("ria")
    locked_out = imported("people", "add", "bob", "--name", "Bob de Wit", "--email",
                          "bob@zorg.example", "--role", "admin")  # fmt: skip
    assert locked_out.exit_code == 1
    assert "the first person in the directory is you" in locked_out.stderr
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert people_add(imported, "bob", "Bob de Wit", "admin") == 0
    own = imported("people", "remove", "ria", "--reason", "weg")
    assert own.exit_code == 1
    assert "nobody removes themselves" in own.stderr


@pytest.mark.parametrize(
    "spelling",
    [
        "Dr.S. El Amrani",
        "Dr. S. El Amraní",
        "S. El Amrani",
        "DR. S. EL AMRANİ",
        "mailto:s.elamrani@example.org",
        "Dr. S. El Amrani <s.elamrani@example.org>",
    ],
)
def test_the_owner_is_known_through_punctuation_accents_titles_and_addresses(
    imported: Run, spelling: str
) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", spelling)
    assert result.exit_code == 1
    assert f"owns {LETTER}" in result.stderr


def test_a_name_mixing_look_alike_scripts_is_refused(imported: Run) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", "Dr. S. El \u0410mrani")
    assert result.exit_code == 2
    assert "mixes Cyrillic and Latin letters" in result.stderr


def test_separation_of_duties_sees_through_spelling(imported: Run) -> None:
    assert give(imported, FG, "M. de Vries").exit_code == 0
    assert give(imported, CISO, "M.de Vriës").exit_code == 1


@pytest.mark.parametrize(
    "owner", ["Dr. S. El Amr\u200bani", "Dr. S. El Amrani\u202e", "   ", "Dr. S.\u00adEl Amrani"]
)
def test_an_owner_with_hidden_characters_cannot_enter_the_register(
    run: Run, tmp_path: Path, owner: str
) -> None:
    text = (EXAMPLES / f"{LETTER}.yaml").read_text(encoding="utf-8")
    path = write(tmp_path / f"{LETTER}.yaml", text.replace("Dr. S. El Amrani", owner))
    checked = run("validate", path)
    assert checked.exit_code == 1
    assert "owner.name" in checked.stdout
    assert run("import", path).exit_code == 1
    assert run("status").exit_code == 0
    assert LETTER not in run("status").stdout


@pytest.mark.parametrize("where", ["directory", "missing-parent"])
def test_an_anchor_written_where_it_cannot_be_is_a_usage_error(
    imported: Run, tmp_path: Path, where: str
) -> None:
    target = tmp_path if where == "directory" else Path("/proc/nope/anchor.json")
    result = imported("audit", "anchor", "-o", target)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output


def test_an_anchor_file_nested_too_deep_or_with_a_bom(imported: Run, tmp_path: Path) -> None:
    deep = write(tmp_path / "deep.json", "[" * 100_000)
    result = imported("audit", "verify", "--anchor", deep)
    assert result.exit_code == 2
    assert "nested too deep" in result.stderr
    made = imported("audit", "anchor", "-o", tmp_path / "a.json")
    assert made.exit_code == 0
    bom = tmp_path / "bom.json"
    bom.write_text("\ufeff" + (tmp_path / "a.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert imported("audit", "verify", "--anchor", bom).exit_code == 0


def test_a_gate_is_not_shown_as_met_on_approvals_slipped_in_by_sql(imported: Run) -> None:
    assert give(imported, FG, "M. de Vries").exit_code == 0
    sql(
        "INSERT INTO approval (pilot_id, stage, role, by, at) VALUES "
        f"('{LETTER}', 'governance', '{CISO}', 'R. Bakker', '2026-11-30 10:00:00')"
    )
    for command in ("gate", "show"):
        result = imported(command, LETTER)
        assert result.exit_code == 1, result.output
        assert "changed outside" in result.stderr


@pytest.mark.parametrize("filler", ["\u3164", "\uffa0", "\u115f", "\u1160", "\u2800", "\ufe0f"])
def test_letters_that_show_as_nothing_are_refused(imported: Run, filler: str) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", f"Dr. S. El{filler}Amrani")
    assert result.exit_code == 2
    assert "which no name needs" in result.stderr


@pytest.mark.parametrize(
    "spelling",
    [
        "s.elamrani@example.org.",
        "s.elamrani+pilot@example.org",
        '"s.elamrani"@example.org',
        "s.elamrani@[example.org]",
        "mailto:%73.elamrani@example.org",
        "mailto:s.elamrani@example.org?subject=x",
        "Dr. S. El Amr\u0251ni",
        "Dr. S. El Amrani (CMIO)",
    ],
)
def test_the_owner_is_known_through_e_mail_forms_and_latin_look_alikes(
    imported: Run, spelling: str
) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", spelling)
    assert result.exit_code == 1, result.output
    assert f"owns {LETTER}" in result.stderr


def test_an_anchor_never_replaces_a_device_or_a_pipe(imported: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = imported("audit", "anchor", "-o", fifo)
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
    assert not fifo.is_file()


def test_overrides_and_scaling_are_decisions_of_a_role_never_on_behalf(
    imported: Run, login: Login
) -> None:
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin", FG) == 0
    assert people_add(imported, "ed", "Ed Zonder", *[]) == 0
    login("ed")  # in the directory, holds no role
    forced = imported("advance", TRIAGE, "--force", "--reason", "x")
    assert forced.exit_code == 1
    assert "holds none of the roles that decide this" in forced.stderr
    login("ria")
    for_someone = imported("advance", TRIAGE, "--force", "--reason", "x", "--by", "ed")
    assert for_someone.exit_code == 1
    assert "only approvals can be delegated" in for_someone.stderr
    assert "override" not in {
        e["kind"] for e in json.loads(imported("history", TRIAGE, "--json").stdout)["events"]
    }


def test_one_login_enters_at_most_one_approval_of_a_gate_even_by_delegation(
    imported: Run, login: Login, tmp_path: Path
) -> None:
    path = governance_approvals_with(tmp_path, "delegation: true")
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert people_add(imported, "mdv", "M. de Vries", FG) == 0
    assert people_add(imported, "bob", "R. Bakker", CISO) == 0
    assert people_add(imported, "ed", "Ed Secretariaat") == 0
    stored = imported("playbook", "set", path, "--reason", "secretariaat", "--allow-weaker")
    assert stored.exit_code == 0, stored.output
    login("ed")
    assert give(imported, FG, "M. de Vries").exit_code == 0
    assert "M. de Vries (entered by ed)" in imported("show", LETTER).stdout
    second = give(imported, CISO, "R. Bakker")
    assert second.exit_code == 1
    assert "one login enters at most one of a gate's approvals" in second.stderr


def test_the_board_report_is_built_only_from_a_register_that_verifies(
    imported: Run, tmp_path: Path
) -> None:
    assert give(imported, FG, "M. de Vries").exit_code == 0
    sql(
        "INSERT INTO approval (pilot_id, stage, role, by, at) VALUES "
        f"('{LETTER}', 'governance', '{CISO}', 'R. Bakker', '2026-11-30 10:00:00')"
    )
    result = imported("report", "-o", tmp_path / "board.html")
    assert result.exit_code == 1
    assert "a board report is built only from a verified register" in result.stderr
    assert not (tmp_path / "board.html").exists()


def test_who_hands_a_pilot_to_a_new_owner_is_its_owner_for_four_eyes(
    imported: Run, examples_copy: Path
) -> None:
    path = examples_copy / f"{LETTER}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("Dr. S. El Amrani", "Stro Man").replace("s.elamrani@", "stro.man@"),
        encoding="utf-8",
    )
    assert imported("import", path, "--by", "M. de Vries").exit_code == 0
    result = give(imported, FG, "M. de Vries")
    assert result.exit_code == 1
    assert f"owns {LETTER}" in result.stderr
    assert give(imported, FG, "A. Ander").exit_code == 0


def test_the_owner_cannot_scale_their_pilot_by_importing_its_file(run: Run, tmp_path: Path) -> None:
    """`decide scale` refuses the owner; an import claiming `outcome: scaled` must too."""
    text = (EXAMPLES / "ggz-intake-samenvatting.yaml").read_text(encoding="utf-8")
    text = text.replace("id: ggz-intake-samenvatting", "id: eigen-schaal")
    open_file = text.replace("outcome: scaled\n", "").replace(
        "  decision: scale\n", "  decision: adjust\n"
    )
    path = write(tmp_path / "eigen-schaal.yaml", open_file)
    assert run("import", path, "--by", "innovatie").exit_code == 0
    write(tmp_path / "eigen-schaal.yaml", text)
    result = run("import", path, "--by", "Drs. F. Bos")
    assert "its owner cannot decide to scale it (four eyes)" in result.output
    status = json.loads(run("status", "--json").stdout)
    [pilot] = [p for p in status["pilots"] if p["id"] == "eigen-schaal"]
    assert pilot["outcome"] is None


def test_who_brought_a_pilot_in_under_a_straw_owner_cannot_approve_it(
    imported: Run, login: Login, tmp_path: Path
) -> None:
    login("ria")
    assert people_add(imported, "ria", "Ria Ooms", "admin") == 0
    assert people_add(imported, "mdv", "M. de Vries", FG) == 0
    text = (EXAMPLES / f"{LETTER}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {LETTER}", "id: stroman").replace("Dr. S. El Amrani", "Z. Stroman")
    path = write(tmp_path / "stroman.yaml", text.replace("s.elamrani@", "z.stroman@"))
    login("mdv")
    assert imported("import", path).exit_code == 0
    result = imported("approve", "stroman", "--role", FG)
    assert result.exit_code == 1
    assert "owns stroman" in result.stderr


@pytest.mark.parametrize("spelling", ["El Amrani, S.", "Amrani, S. El", "El Amrani S"])
def test_the_owner_is_known_under_another_word_order(imported: Run, spelling: str) -> None:
    result = imported("approve", LETTER, "--role", FG, "--by", spelling)
    assert result.exit_code == 1
    assert f"owns {LETTER}" in result.stderr
