"""The training ledger behind the skills gate (issue 20): counted, expiring, erased, proven.

The skills gate counts the people with a current training in the register, not the number a
definition claims; trainings run out on a clock the tests set; a bad CSV row is named and
stores nothing; erasing a person deletes their rows and leaves no name in the history; a
direct edit of the ledger is caught; and nobody records their own training.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from genai_pilots.services.audit_pass import verify_quickly
from tests.conftest import (
    ENGINES,
    EXAMPLES,
    SCRIBE_TRAINED,
    Login,
    Run,
    set_today,
    sql,
    train,
    write,
)

SCRIBE = "ambient-scribe-cardiologie"  # at skills, polikliniek: 6 users to train, 80% needed
HOME_CARE = "ambient-scribe-thuiszorg"  # the same pilot in thuiszorg: 90% needed
EXPORT = EXAMPLES / "training" / f"{SCRIBE}.csv"  # Dutch Excel: ';', cp1252, D-M-YYYY
PEOPLE = ("Dr. K. Smit", "L. Brouwer", "M. Öztürk", "R. van Dijk", "S. Janssen", "E. Hendriks")

pytestmark = pytest.mark.store


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def imported(run: Run) -> Run:
    ok(run("import", EXAMPLES, "--by", "innovatie"))
    return run


def users_trained(run: Run, pilot: str = SCRIBE) -> dict[str, Any]:
    result = run("gate", pilot, "--json")
    assert result.exit_code in (0, 1), result.output
    criteria = {c["id"]: c for c in json.loads(result.stdout)["criteria"]}
    return criteria["users-trained"]  # type: ignore[no-any-return]


def ledger(run: Run, pilot: str = SCRIBE) -> dict[str, Any]:
    result = ok(run("training", "list", pilot, "--json"))
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def export(rows: list[str], header: str = "person,course,date,valid_until,setting") -> str:
    return "\n".join([header, *rows]) + "\n"


def everything_in_the_chains() -> str:
    """Every payload, reason and actor of every event, of every chain, as the store holds it."""
    rows = sql(
        "SELECT CAST(payload AS TEXT), reason, actor FROM event UNION ALL "
        "SELECT CAST(payload AS TEXT), reason, actor FROM register_event"
    )
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


# 1. The gate counts the ledger, with the playbook's bar per setting


def test_the_gate_counts_distinct_people_with_a_current_training(imported: Run) -> None:
    before = users_trained(imported)
    assert before["met"] is False
    assert before["detail"] == (
        "0 of 6 trained in the register = 0% (needs 80%); the definition claims 5; champion "
        "Dr. K. Smit has no current training"
    )
    four = SCRIBE_TRAINED.splitlines()[:5]  # the header, Smit and three more
    train(imported, rows="\n".join(four) + "\nDr.  K. SMIT,Werken met de spraakassistent,"
          "2025-02-01,polikliniek\n")  # fmt: skip
    counted = users_trained(imported)
    assert counted["met"] is False  # Smit twice, under two spellings, is one person
    assert counted["detail"] == (
        "4 of 6 trained in the register = 67% (needs 80%); the definition claims 5; champions "
        "trained"
    )
    assert "4 of 6 in the register's training ledger (the definition claims 5)" in (
        ok(imported("show", SCRIBE)).stdout
    )
    train(imported, rows="person,course,date\nE. Hendriks,AI-geletterdheid basis,2025-01-15\n")
    assert users_trained(imported)["detail"] == (
        "5 of 6 trained in the register = 83% (needs 80%); champions trained"
    )
    assert users_trained(imported)["met"] is True
    shown = ok(imported("show", SCRIBE)).stdout
    assert "5 of 6 trained in the register = 83% (needs 80%)" in shown
    assert imported("advance", SCRIBE).exit_code == 0


def test_the_bar_is_the_playbooks_for_the_pilots_setting(
    imported: Run, examples_copy: Path
) -> None:
    scribe = (examples_copy / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    home_care = scribe.replace(f"id: {SCRIBE}", f"id: {HOME_CARE}").replace(
        "setting: polikliniek", "setting: thuiszorg"
    )
    ok(imported("import", write(examples_copy / f"{HOME_CARE}.yaml", home_care)))
    for pilot in (SCRIBE, HOME_CARE):
        train(imported, pilot)
    assert users_trained(imported, SCRIBE)["met"] is True
    held = users_trained(imported, HOME_CARE)
    assert held["met"] is False
    assert held["detail"].startswith("5 of 6 trained in the register = 83% (needs 90%)")
    train(imported, HOME_CARE, "person,course,date\nJ. Kok,AI-geletterdheid basis,2025-01-15\n")
    assert users_trained(imported, HOME_CARE)["detail"] == (
        "6 of 6 trained in the register = 100% (needs 90%); the definition claims 5; champions "
        "trained"
    )


def test_without_a_register_the_claim_counts(run: Run, examples_copy: Path) -> None:
    """``pilots validate`` has no ledger: the definition's trained_users is what it judges, as
    it counts claimed approvals."""
    path = examples_copy / f"{SCRIBE}.yaml"
    text = path.read_text(encoding="utf-8").replace("stage: skills", "stage: synthetic-data")
    ok(run("validate", write(path, text)))
    short = write(path, text.replace("trained_users: 5", "trained_users: 3"))
    refused = run("validate", short)
    assert refused.exit_code == 1
    assert "3 of 6 = 50% (needs 80%)" in refused.stdout


def test_the_champions_must_be_trained(imported: Run) -> None:
    others = [line for line in SCRIBE_TRAINED.splitlines() if "Smit" not in line]
    train(imported, rows="\n".join([*others, "J. Kok,AI-geletterdheid basis,2025-01-15,"]) + "\n")
    criterion = users_trained(imported)
    assert criterion["met"] is False
    assert criterion["detail"].endswith("champion Dr. K. Smit has no current training")
    refused = imported("advance", SCRIBE)
    assert refused.exit_code == 1
    assert "users-trained" in refused.stderr


# 2. Trainings run out: the gate flips, due reminds, status flags a pilot past skills


def test_expiry_on_a_controlled_clock(imported: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    set_today(monkeypatch, dt.date(2026, 6, 1))
    rows = [f"{p},AI-geletterdheid basis,2026-05-01,2026-06-30,polikliniek" for p in PEOPLE[:5]]
    train(imported, rows=export(rows))
    assert users_trained(imported)["met"] is True
    due = json.loads(ok(imported("due", "--json")).stdout)
    smit = next(i for i in due["items"] if i["kind"] == "training" and "Smit" in i["key"])
    assert (smit["what"], smit["due"], smit["state"], smit["in_days"]) == (
        "training of Dr. K. Smit expires", "2026-06-30", "upcoming", 29,
    )  # fmt: skip
    assert smit["detail"].startswith(
        "AI-geletterdheid basis, given 2026-05-01; record the refresher"
    )
    set_today(monkeypatch, dt.date(2026, 6, 30))
    assert users_trained(imported)["met"] is True  # the last day counts
    set_today(monkeypatch, dt.date(2026, 7, 1))
    lapsed = users_trained(imported)
    assert lapsed["met"] is False
    assert lapsed["detail"].startswith(
        "0 of 6 trained in the register = 0% (needs 80%); the definition claims 5; 5 people's "
        "trainings expired"
    )
    late = imported("due")
    assert late.exit_code == 1
    assert "training of Dr. K. Smit expired" in late.stdout
    assert "5 overdue" in late.stdout
    calendar = imported("due", "--ical").stdout_bytes.decode().replace("\r\n ", "")
    assert f"UID:{SCRIBE}/training/Dr. K. Smit@genai-pilots" in calendar

    refresher = [f"{p},Opfriscursus,2026-07-01,2027-06-30,polikliniek" for p in PEOPLE[:5]]
    train(imported, rows=export(refresher))
    assert users_trained(imported)["met"] is True
    assert not [i for i in json.loads(imported("due", "--json").stdout)["items"]
                if i["kind"] == "training" and i["state"] == "overdue"]  # fmt: skip
    ok(imported("advance", SCRIBE))
    assert SCRIBE not in [s["pilot"] for s in json.loads(imported("status", "--json").stdout)
                          ["skills_short"]]  # fmt: skip
    set_today(monkeypatch, dt.date(2027, 7, 1))
    status = imported("status")
    assert (
        f"too few trained {SCRIBE}: past the skills gate, 0 of 6 people have a current training "
        "(0%, the gate asks 80%)"
    ) in status.stdout
    short = json.loads(imported("status", "--json").stdout)["skills_short"]
    assert {"pilot": SCRIBE, "trained": 0, "target": 6, "needs": 0.8} in short


# 3. A file from the learning system: as measure --csv reads it, all or nothing


def test_a_dutch_excel_export_is_read_as_saved(imported: Run) -> None:
    result = ok(imported("training", "import", SCRIBE, EXPORT))
    assert result.stderr.strip() == (
        f"note: read {EXPORT} as cp1252, ';'-separated, day-first dates (D-M-YYYY)"
    )
    assert result.stdout.splitlines() == [
        f"recorded 7 trainings for {SCRIBE} from {EXPORT}",
        f"{SCRIBE}: 5 people with a current training",
    ]
    listed = ledger(imported)
    assert listed["people"] == 5 and len(listed["trainings"]) == 7
    assert {
        "person": "M. Öztürk", "course": "AI-geletterdheid basis", "date": "2026-09-15",
        "valid_until": None, "setting": "polikliniek", "current": True,
    } in listed["trainings"]  # fmt: skip
    again = ok(imported("training", "import", SCRIBE, EXPORT))
    assert "recorded 0 trainings" in again.stdout
    assert "skipped 7 rows already recorded (lines 2, 3, 4, 5, 6, 7, 8)" in again.stdout
    assert sql("SELECT count(*) FROM training")[0][0] == 7


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ("L. Brouwer;AI-geletterdheid basis;31-02-2026;;polikliniek",
         "column C (date): '31-02-2026' does not exist: February 2026 has 28 days"),
        ("L. Brouwer;AI-geletterdheid basis;1-9-2026;1-9-2025;polikliniek",
         "column D (valid_until): 2025-09-01 is before the training (2026-09-01)"),
        ("L. Brouwer;AI-geletterdheid basis;1-9-2026;;wijk",
         "column E (setting): 'wijk' is not one of"),
        (";AI-geletterdheid basis;1-9-2026;;polikliniek",
         "column A (person): empty; every row needs a person, a course and a date"),
        ("L. Brouwer;AI-geletterdheid basis;1-12-2099;;polikliniek",
         "column C (date): 2099-12-01 is in the future"),
        ("L.\u202e Brouwer;AI-geletterdheid basis;1-9-2026;;polikliniek",
         "column A (person): person 'L.\\u202e Brouwer' contains U+202E (right-to-left "
         "override)"),
    ],
)  # fmt: skip
def test_a_bad_row_names_file_line_and_column_and_stores_nothing(
    imported: Run, tmp_path: Path, row: str, where: str
) -> None:
    good = EXPORT.read_bytes().decode("cp1252").splitlines()
    lines = [good[0], good[1], row, *good[2:]]  # the bad row on line 3
    path = tmp_path / "export.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    result = imported("training", "import", SCRIBE, path)
    assert result.exit_code == 2, result.output
    [message, hint] = result.stderr.splitlines()
    assert message.startswith(f"error: {path}:3: {where}")
    assert message.endswith("; nothing was stored")
    assert hint == "  hint: fix the file and run the command again"
    assert "Traceback" not in result.output
    assert sql("SELECT count(*) FROM training")[0][0] == 0
    kinds = [k for (k,) in sql(f"SELECT kind FROM event WHERE pilot_id = '{SCRIBE}'")]
    assert kinds == ["imported"]


def test_a_column_the_gate_does_not_need_is_refused(imported: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "lms.csv", "person;e-mail;course;date\nL. Brouwer;l.b@zorg.example;"
                 "AI-basis;1-9-2026\n")  # fmt: skip
    result = imported("training", "import", SCRIBE, path)
    assert result.exit_code == 2
    assert f"error: {path}:1: unknown column e-mail (the ledger keeps only what" in result.stderr
    assert sql("SELECT count(*) FROM training")[0][0] == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--date", "2026-02-30"), "--date: '2026-02-30' does not exist"),
        (("--date", "2026-01-01", "--valid-until", "9999-12-31"), "more than ten years ahead"),
        (("--date", "2026-01-01", "--setting", "ergens"), "--setting 'ergens' is not one of"),
        (("--date", "1999-01-01"), "--date 1999-01-01 is before 2000-01-01"),
    ],
)
def test_bad_options_are_one_line_exit_2(imported: Run, args: tuple[str, ...], says: str) -> None:
    result = imported("training", "add", SCRIBE, "--person", "L. Brouwer", "--course", "AI",
                      *args)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert sql("SELECT count(*) FROM training")[0][0] == 0
    unknown = imported("training", "list", "bestaat-niet")
    assert unknown.exit_code == 2 and "no pilot with id 'bestaat-niet'" in unknown.stderr


# 4. Erasure: the rows go, the chain says that and why, never whose


def test_erasure_deletes_the_rows_and_leaves_no_name_in_the_chain(imported: Run) -> None:
    ok(imported("training", "import", SCRIBE, EXPORT))
    named = imported("training", "remove", SCRIBE, "--person", "S. Janssen",
                     "--reason", "S. Janssen is uit dienst")  # fmt: skip
    assert named.exit_code == 2
    assert "--reason names the person ('janssen')" in named.stderr
    done = ok(imported("training", "remove", SCRIBE, "--person", "s. janssen",
                       "--reason", "uit dienst"))  # fmt: skip
    assert done.stdout.startswith(f"erased 1 training of S. Janssen for {SCRIBE}")
    assert sql("SELECT count(*) FROM training WHERE person LIKE '%Janssen%'")[0][0] == 0
    assert sql("SELECT count(*) FROM training")[0][0] == 6
    event = json.loads(imported("history", SCRIBE, "--json").stdout)["events"][-1]
    assert (event["kind"], event["reason"]) == ("training-erased", "uit dienst")
    assert event["payload"] == {"rows": 1, "courses": {"Werken met de spraakassistent": 1}}
    verified = ok(imported("audit", "verify"))
    assert verified.stdout.endswith("all chains intact\n")
    chains = everything_in_the_chains()
    for person in PEOPLE:  # recorded and erased: no name of the ledger is in any chain
        for word in person.replace(".", " ").split():
            if len(word) > 2 and word != "van":
                assert word.casefold() not in chains.casefold(), word
    again = imported("training", "remove", SCRIBE, "--person", "S. Janssen", "--reason", "x")
    assert again.exit_code == 2
    assert f"{SCRIBE} has no training of S. Janssen in its ledger" in again.stderr
    assert "S. Janssen" not in ok(imported("training", "list", SCRIBE)).stdout


# 5. The ledger is proven by the chain: a direct edit, insert or delete is caught


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE training SET valid_until = '2030-12-31' WHERE person = 'S. Janssen'",
        "INSERT INTO training (pilot_id, person, course, date, setting) VALUES "
        f"('{SCRIBE}', 'N. Nep', 'AI-geletterdheid basis', '2026-01-01', 'polikliniek')",
        "DELETE FROM training WHERE person = 'L. Brouwer'",
    ],
)
def test_a_direct_edit_of_the_ledger_is_caught(
    imported: Run, store_url: str, statement: str
) -> None:
    ok(imported("training", "import", SCRIBE, EXPORT))
    assert verify_quickly(store_url) is not None
    sql(statement)  # no trigger guards the ledger: erasure deletes rows
    assert verify_quickly(store_url) is None  # the fast pass proves nothing of it...
    for args in (["audit", "verify"], ["db", "check"]):  # ...the full path names it
        result = imported(*args)
        assert result.exit_code == 1
        assert f"broken {SCRIBE} at event #2: rows of the training table were changed" in (
            result.stdout
        )
    refused = imported("training", "add", SCRIBE, "--person", "J. Kok", "--course", "AI",
                       "--date", "2026-01-01")  # fmt: skip
    assert refused.exit_code == 1
    assert "changed outside genai-pilots" in refused.stderr
    assert imported("gate", SCRIBE).exit_code == 1


# 6. The ledger moves with the register


def test_dump_restore_and_copy_carry_the_ledger(imported: Run, tmp_path: Path) -> None:
    ok(imported("training", "import", SCRIBE, EXPORT))
    ok(imported("training", "remove", SCRIBE, "--person", "S. Janssen", "--reason", "uit dienst"))
    dump = tmp_path / "register.jsonl"
    ok(imported("db", "dump", dump))
    assert json.loads(dump.read_text(encoding="utf-8").splitlines()[0])["counts"]["training"] == 6
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    ok(imported("db", "restore", dump, "--db", restored))
    copied = f"sqlite:///{tmp_path / 'copied.db'}"
    ok(imported("db", "copy", "--to", copied))
    mine = ledger(imported)
    for target in (restored, copied):
        assert ledger(imported, SCRIBE) == json.loads(
            ok(imported("training", "list", SCRIBE, "--json", "--db", target)).stdout
        )
        assert ok(imported("audit", "verify", "--db", target)).stdout.endswith(
            "all chains intact\n"
        )
        assert (
            users_trained(imported)["detail"]
            == json.loads(imported("gate", SCRIBE, "--json", "--db", target).stdout)["criteria"][1][
                "detail"
            ]
        )
    assert mine["people"] == 5
    exported = ok(imported("export", SCRIBE))
    assert f"{SCRIBE}: its training ledger (6 trainings) is not in the file" in exported.stderr
    assert "Janssen" not in exported.stdout and "Brouwer" not in exported.stdout


# 7. Around the control: nobody records their own training; only an admin erases


@pytest.mark.store(fast=ENGINES)
def test_nobody_records_their_own_training(imported: Run, tmp_path: Path) -> None:
    """A single user's register: the owner names themselves, in another spelling too, or slips
    themselves into an export; each is refused and nothing is stored."""
    for spelling in ("Dr. A. Jansen", "a. jansen", "Jansen, A."):
        own = imported("training", "add", SCRIBE, "--person", spelling, "--course",
                       "AI-geletterdheid basis", "--date", "2026-01-01",
                       "--by", "Dr. A. Jansen")  # fmt: skip
        assert own.exit_code == 1, own.output
        assert "nobody records their own training; nothing was stored" in own.stderr
    rows = [*SCRIBE_TRAINED.splitlines(), "Dr. A. Jansen,AI-geletterdheid basis,2025-01-15,"]
    path = write(tmp_path / "met-mijzelf.csv", "\n".join(rows) + "\n")
    slipped = imported("training", "import", SCRIBE, path, "--by", "Dr. A. Jansen")
    assert slipped.exit_code == 1
    assert slipped.stderr.startswith(
        f"error: {path}:7: column A (person): Dr. A. Jansen is who records it: nobody records "
        "their own training; nothing was stored"
    )
    assert sql("SELECT count(*) FROM training")[0][0] == 0
    ok(imported("training", "import", SCRIBE, path, "--by", "Opleidingen"))  # someone else may
    assert users_trained(imported)["met"] is True


@pytest.mark.store(fast=ENGINES)
def test_with_the_directory_the_login_decides(imported: Run, login: Login) -> None:
    """The owner's own login cannot record their training, not even entering it for someone
    else; erasing is a directory admin's own decision."""

    def person(who: str, name: str, *roles: str) -> None:
        flags = [arg for role in roles for arg in ("--role", role)]
        ok(imported("people", "add", who, "--name", name, "--email", f"{who}@zorg.example",
                    *flags))  # fmt: skip

    login("ria")
    person("ria", "Ria Ooms", "admin")
    person("ajansen", "Dr. A. Jansen")  # the scribe's owner
    person("lbrouwer", "L. Brouwer")
    login("ajansen")
    for who, by in (("Dr. A. Jansen", "L. Brouwer"), ("ajansen", None), ("A. Jansen", None)):
        own = imported("training", "add", SCRIBE, "--person", who, "--course", "AI-basis",
                       "--date", "2026-01-01", *(["--by", by] if by else []))  # fmt: skip
        assert own.exit_code == 1, own.output
        assert "nobody records their own training" in own.stderr
    train(imported)  # the owner records other people's trainings: that is allowed
    entered = json.loads(imported("history", SCRIBE, "--json").stdout)["events"][-1]
    assert (entered["kind"], entered["actor"]) == ("training-recorded", "Dr. A. Jansen")
    erase = ("training", "remove", SCRIBE, "--person", "L. Brouwer", "--reason", "uit dienst")
    not_admin = imported(*erase)
    assert not_admin.exit_code == 1
    assert "does not hold the role admin" in not_admin.stderr
    login("ria")
    on_behalf = imported(*erase, "--by", "Dr. A. Jansen")
    assert on_behalf.exit_code == 1
    assert "cannot erase trainings on behalf of Dr. A. Jansen" in on_behalf.stderr
    login("eve")
    stranger = imported("training", "add", SCRIBE, "--person", "J. Kok", "--course", "AI",
                        "--date", "2026-01-01")  # fmt: skip
    assert stranger.exit_code == 1
    assert "login 'eve' is not in the register's directory" in stranger.stderr
    login("ria")
    ok(imported(*erase))
    assert ledger(imported)["people"] == 4
    assert ok(imported("audit", "verify")).stdout.endswith("all chains intact\n")


def test_the_board_report_shows_trained_against_target_per_setting(
    imported: Run, tmp_path: Path
) -> None:
    ok(imported("training", "import", SCRIBE, EXPORT))
    report = tmp_path / "report.html"
    ok(imported("report", "-o", report))
    html = report.read_text(encoding="utf-8")
    section = html.split("<h2>AI literacy: trained against target</h2>", 1)[1].split("<h2>", 1)[0]
    headings = [part.split("</h3>", 1)[0] for part in section.split("<h3>")[1:]]
    assert headings == ["ggz", "polikliniek", "thuiszorg"]  # the pilots' care settings
    scribe = section.split(f"<strong>{SCRIBE}</strong>", 1)[1].split("</tr>", 1)[0]
    cells = [c.split(">", 1)[1] for c in scribe.split("</td>")[1:-1]]
    assert cells == [
        "skills", "5", "6", "83%", "80%", "", "polikliniek 4, thuiszorg 1", "1",
    ]  # fmt: skip
    home = section.split("<strong>patientvragen-chatbot-thuiszorg</strong>", 1)[1]
    assert '<td class="num bad">0%</td>' in home.split("</tr>", 1)[0]
    assert "S. Janssen" not in section and "Smit" not in section  # counts, never names


# 8. Around the count: one person is one person, however the ledger spells them (red team)


def add_person(run: Run, login: str, name: str, email: str, *roles: str) -> None:
    flags = [arg for role in roles for arg in ("--role", role)]
    ok(run("people", "add", login, "--name", name, "--email", email, *flags))


def add(run: Run, person: str, course: str = "AI-geletterdheid basis", *args: str) -> Any:
    return run("training", "add", SCRIBE, "--person", person, "--course", course,
               "--date", "2026-01-01", *args)  # fmt: skip


@pytest.mark.store(fast=ENGINES)
def test_a_directory_persons_spellings_count_once(
    imported: Run, login: Login, tmp_path: Path
) -> None:
    """Bob's login, name and e-mail in the ledger are one trained person, not three; the
    importer's own initials, surname first, are still the importer."""
    login("ria")
    add_person(imported, "ria", "Ria Ooms", "r.ooms@zorg.example", "admin")
    add_person(imported, "bob", "Bob de Wit", "b.dewit@zorg.example")
    rows = [f'"{who}",AI-module {n},2025-01-15,' for n, who in enumerate((
        "bob", "Bob de Wit", "b.dewit@zorg.example", "Wit, B. de", "L. Brouwer"))]  # fmt: skip
    ok(imported("training", "import", SCRIBE, write(tmp_path / "bob.csv", export(rows))))
    assert ledger(imported)["people"] == 2
    assert users_trained(imported)["detail"].startswith("2 of 6 trained in the register = 33%")
    for spelling in ("Ooms, R.", "R. Ooms", "OOMS, Ria", "r.ooms@zorg.example"):
        own = write(tmp_path / "own.csv", export([f'"{spelling}",AI-basis,2025-01-15,']))
        refused = imported("training", "import", SCRIBE, own)
        assert refused.exit_code == 1, (spelling, refused.output)
        assert "nobody records their own training; nothing was stored" in refused.stderr
    assert sql("SELECT count(*) FROM training")[0][0] == 5
    named = imported("training", "remove", SCRIBE, "--person", "bob",
                     "--reason", "Bob vertrokken")  # fmt: skip
    assert named.exit_code == 2 and "--reason names the person ('bob')" in named.stderr
    for reason in ("b.dewit vertrokken", "bdewit"):
        again = imported("training", "remove", SCRIBE, "--person", "bob", "--reason", reason)
        assert again.exit_code == 2 and "--reason names the person" in again.stderr, reason
    done = ok(imported("training", "remove", SCRIBE, "--person", "B. de Wit",
                       "--reason", "uit dienst"))  # fmt: skip
    assert done.stdout.startswith(f"erased 4 trainings of bob for {SCRIBE}")
    assert sql("SELECT count(*) FROM training")[0][0] == 1


@pytest.mark.store(fast=ENGINES)
def test_rows_spelled_apart_before_the_directory_knew_them_are_erased_together(
    imported: Run, login: Login
) -> None:
    """Recorded as two people, then the directory says they are one: erasure removes both."""
    ok(add(imported, "bob"))
    ok(add(imported, "Bob de Wit", "Werken met de spraakassistent"))
    assert ledger(imported)["people"] == 2
    login("ria")
    add_person(imported, "ria", "Ria Ooms", "r.ooms@zorg.example", "admin")
    add_person(imported, "bob", "Bob de Wit", "b.dewit@zorg.example")
    assert ledger(imported)["people"] == 1
    assert users_trained(imported)["detail"].startswith("1 of 6 trained")
    done = ok(imported("training", "remove", SCRIBE, "--person", "b.dewit@zorg.example",
                       "--reason", "uit dienst"))  # fmt: skip
    assert done.stdout.startswith(
        f"erased 2 trainings of bob for {SCRIBE} (as 'bob', 'Bob de Wit')"
    )
    assert sql("SELECT count(*) FROM training")[0][0] == 0


@pytest.mark.store(fast=ENGINES)
def test_the_owners_name_and_email_are_one_person(imported: Run) -> None:
    """No directory: the register knows the owner's e-mail, so the owner cannot record their
    training under it, and their name and e-mail count once."""
    for person, by in (
        ("a.jansen@example.org", "Dr. A. Jansen"),
        ("Dr. A. Jansen", "a.jansen@example.org"),
        ("mailto:A.Jansen@example.org", "Jansen, A."),
    ):
        own = add(imported, person, "AI-geletterdheid basis", "--by", by)
        assert own.exit_code == 1, (person, by, own.output)
        assert "nobody records their own training; nothing was stored" in own.stderr
    ok(add(imported, "a.jansen@example.org", "AI-geletterdheid basis", "--by", "Opleidingen"))
    ok(add(imported, "Dr. A. Jansen", "Werken met de spraakassistent", "--by", "Opleidingen"))
    assert ledger(imported)["people"] == 1
    assert users_trained(imported)["detail"].startswith("1 of 6 trained")


@pytest.mark.store(fast=ENGINES)
def test_surname_first_is_the_same_person_and_erased_with_the_rest(imported: Run) -> None:
    ok(add(imported, "Brouwer, L."))
    ok(add(imported, "L. Brouwer", "Werken met de spraakassistent"))
    ok(add(imported, "l brouwer", "AI-geletterdheid vervolg"))
    assert ledger(imported)["people"] == 1
    assert users_trained(imported)["detail"].startswith("1 of 6 trained")
    done = ok(imported("training", "remove", SCRIBE, "--person", "L. Brouwer",
                       "--reason", "uit dienst"))  # fmt: skip
    assert done.stdout.startswith(f"erased 3 trainings of Brouwer, L. for {SCRIBE}")
    assert sql("SELECT count(*) FROM training")[0][0] == 0


@pytest.mark.store(fast=ENGINES)
@pytest.mark.parametrize(
    ("person", "reason"),
    [
        ("Jan de Vries", "uit dienst (Jan de Vries)"),
        ("Jan de Vries", "devries"),
        ("Jan de Vries", "Vries, J. de: uit dienst"),
        ("M. Öztürk", "Oeztuerk vertrokken"),
        ("M. Öztürk", "Ö z t ü r k"),
        ("M. Öztürk", "Öz-türk"),
        ("M. Öztürk", "OZTURK"),
        ("L. Brouwer", "br0uwer"[:2] + "ouwer 2026"),
    ],
)
def test_an_erasure_reason_may_not_name_the_person_however_spelled(
    imported: Run, person: str, reason: str
) -> None:
    ok(add(imported, person))
    named = imported("training", "remove", SCRIBE, "--person", person, "--reason", reason)
    assert named.exit_code == 2, named.output
    assert "--reason names the person" in named.stderr
    assert sql("SELECT count(*) FROM training")[0][0] == 1
    assert person.split()[-1].casefold() not in everything_in_the_chains().casefold()


@pytest.mark.store(fast=ENGINES)
def test_a_course_may_not_name_the_person_trained(imported: Run, tmp_path: Path) -> None:
    said = add(imported, "M. Öztürk", "Instructie Oeztuerk")
    assert said.exit_code == 2, said.output
    assert "--course: the course names the person trained ('oeztuerk')" in said.stderr
    path = write(tmp_path / "named.csv", export(["L. Brouwer,Coaching Brouwer,2025-01-15,"]))
    row = imported("training", "import", SCRIBE, path)
    assert row.exit_code == 2
    assert f"{path}:2: column B (course): the course names the person trained ('brouwer')" in (
        row.stderr
    )
    assert sql("SELECT count(*) FROM training")[0][0] == 0


@pytest.mark.parametrize(
    ("today", "last"),
    [(dt.date(2026, 3, 1), dt.date(2036, 3, 1)), (dt.date(2028, 2, 29), dt.date(2038, 2, 28))],
)
def test_valid_until_is_at_most_ten_calendar_years_ahead(
    imported: Run, monkeypatch: pytest.MonkeyPatch, today: dt.date, last: dt.date
) -> None:
    set_today(monkeypatch, today)
    late = str(last + dt.timedelta(days=1))
    refused = imported("training", "add", SCRIBE, "--person", "L. Brouwer", "--course", "AI",
                       "--date", str(today), "--valid-until", late)  # fmt: skip
    assert refused.exit_code == 2, refused.output
    assert f"more than ten years ahead (the last day allowed is {last})" in refused.stderr
    ok(imported("training", "add", SCRIBE, "--person", "L. Brouwer", "--course", "AI",
                "--date", str(today), "--valid-until", str(last)))  # fmt: skip


def test_an_export_piped_in_is_read_from_standard_input(imported: Run) -> None:
    piped = imported("training", "import", SCRIBE, "-", input=SCRIBE_TRAINED)
    assert piped.exit_code == 0, piped.output
    assert "note: read <stdin> as" in piped.stderr
    assert f"recorded 5 trainings for {SCRIBE} from <stdin>" in piped.stdout
    assert ledger(imported)["people"] == 5
    bad = imported("training", "import", SCRIBE, "-", input="person,course,date\nX,AI,morgen\n")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: <stdin>:2: column C (date)")
    empty = imported("training", "import", SCRIBE, "-", input="")
    assert empty.exit_code == 2 and "<stdin>: nothing was written to it" in empty.stderr


def test_a_blank_course_says_course_not_person(imported: Run) -> None:
    blank = imported("training", "add", SCRIBE, "--person", "L. Brouwer", "--course", " ",
                     "--date", "2026-01-01")  # fmt: skip
    assert blank.exit_code == 2
    assert "course is blank: give the name of the course or training followed" in blank.stderr
    assert "name of a person" not in blank.stderr


# 9. The playbook behind the count


def test_a_ratio_of_a_list_or_text_is_refused_where_it_stands(run: Run, tmp_path: Path) -> None:
    criterion = (
        "    - id: users-trained\n      kind: trained\n      numerator: skills.trained_users\n"
        "      denominator: {}\n      min: 0.8\n      says: trained\n      hint: train them\n"
    )
    head = "name: mijn-zorggroep\nextends: default\ngates:\n  skills:\n"
    for path, says in (("start_klein.kpis", "is a list"), ("name", "is not a number")):
        playbook = write(tmp_path / "playbook.yaml", head + criterion.format(path))
        result = run("playbook", "validate", playbook)
        assert result.exit_code == 1, result.output
        assert (
            f"{playbook}:8:20: error: gates.skills[0].denominator: '{path}' {says}: a ratio "
            "divides number fields"
        ) in result.stdout + result.stderr
    fixed = write(tmp_path / "playbook.yaml", head + criterion.format("skills.target_users"))
    assert run("playbook", "validate", fixed).exit_code == 0


def test_putting_the_right_denominator_back_says_why_it_is_listed() -> None:
    from genai_pilots.domain.playbook_changes import weakenings
    from genai_pilots.services.playbooks import default_playbook

    good = default_playbook()
    skills = [
        c.model_copy(update={"denominator": "start_klein.kpis"}) if c.id == "users-trained" else c
        for c in good.gates.skills
    ]
    broken = good.model_copy(update={"gates": good.gates.model_copy(update={"skills": skills})})
    assert [w.what for w in weakenings(broken, good)] == [
        "checks skills.target_users instead of start_klein.kpis (which is no number, so "
        "users-trained could never be met until now)"
    ]


@pytest.mark.store(fast=ENGINES)
def test_status_and_due_count_a_directory_person_once(
    imported: Run, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows recorded as three people before the directory said they are one: the pilot, past
    skills, is short of trained people, and a renewal under another spelling counts for due."""
    set_today(monkeypatch, dt.date(2026, 6, 1))
    rows = [f"{p},AI-geletterdheid basis,2026-05-01,,polikliniek" for p in PEOPLE[:3]]
    rows += [
        "bob,AI-geletterdheid basis,2026-05-01,2026-06-30,polikliniek",
        "Bob de Wit,Opfriscursus,2026-05-01,,polikliniek",
        "b.dewit@zorg.example,AI-module 2,2026-05-01,,polikliniek",
    ]
    train(imported, rows=export(rows))
    ok(imported("advance", SCRIBE))  # 6 of 6, as the ledger spelled them
    login("ria")
    add_person(imported, "ria", "Ria Ooms", "r.ooms@zorg.example", "admin")
    add_person(imported, "bob", "Bob de Wit", "b.dewit@zorg.example")
    assert ledger(imported)["people"] == 4
    short = json.loads(imported("status", "--json").stdout)["skills_short"]
    assert {"pilot": SCRIBE, "trained": 4, "target": 6, "needs": 0.8} in short
    due = json.loads(imported("due", "--json").stdout)["items"]
    assert not [i for i in due if i["kind"] == "training"], due  # bob holds one for good
