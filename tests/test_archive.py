"""Moving a register: ``pilots db dump``, ``restore`` and ``copy``, across engines and back.

The README's stories are played on one engine, the register is dumped and restored on the
other and copied there and back, and every view must come out the same. A dump edited by hand,
cut off or not a dump at all is refused, naming the line (or the pilot and event), and the
target is left as empty as it was: every row is counted after each refusal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from genai_pilots import __version__, clock
from genai_pilots.domain.audit import GENESIS
from genai_pilots.domain.dump import (
    FORMAT,
    BadDump,
    Column,
    DumpReader,
    Kind,
    RowWriter,
    TableSpec,
    parse_header,
)
from genai_pilots.services import audit
from genai_pilots.store.migrate import HEAD
from genai_pilots.store.models import metadata
from tests.conftest import ENGINES, EXAMPLES, PostgresServer, Run, sql, write

SCRIBE = "ambient-scribe-cardiologie"
LETTER = "ontslagbrief-interne-geneeskunde"
TRIAGE = "triage-huisartsenpost"
STOPPED = "patientvragen-chatbot-thuiszorg"
FG, CISO = "privacy_officer", "information_security_officer"
LOGINS = {"sqlite": "beheer", "postgresql": "postgres"}  # who acts on each engine in these tests

MEASUREMENTS = """\
kpi,date,value,setting
documentatietijd,2026-04-01,11,polikliniek
documentatietijd,2026-05-01,9.5,polikliniek
documentatietijd,2026-06-01,8,polikliniek
documentatietijd,2026-04-01,12.5,thuiszorg
documentatietijd,2026-05-01,12,thuiszorg
documentatietijd,2026-06-01,11,thuiszorg
tevredenheid-arts,2026-04-01,6,polikliniek
tevredenheid-arts,2026-05-01,7,polikliniek
tevredenheid-arts,2026-06-01,7.8,polikliniek
correcties,2026-04-01,5,polikliniek
correcties,2026-05-01,4,polikliniek
correcties,2026-06-01,3,polikliniek
"""

NewStore = Callable[[str], str]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def new_store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[NewStore]:
    """Empty stores without a schema, on either engine: a restore must set them up itself."""
    from genai_pilots.store.engine import dispose_engines

    made: list[str] = []

    def make(engine: str) -> str:
        if engine == "sqlite":
            made.append(f"sqlite:///{tmp_path / f'store-{len(made)}.db'}")
            return made[-1]
        server: PostgresServer = request.getfixturevalue("postgres")
        made.append(server.create(migrated=False))
        return made[-1]

    yield make
    dispose_engines()
    for url in made:
        if url.startswith("postgresql"):
            request.getfixturevalue("postgres").drop(url)


def other(engine: str) -> str:
    return "postgresql" if engine == "sqlite" else "sqlite"


def people(run: Run, engine: str) -> None:
    """Both engines' logins in the directory, so decisions can be taken after a move too."""
    first, second = LOGINS[engine], LOGINS[other(engine)]
    roles = [arg for role in ("admin", FG, CISO, "cmio") for arg in ("--role", role)]
    for login, name in ((first, "Ria Ooms"), (second, "Bob de Wit")):
        email = f"{login}@zorg.example"
        ok(run("people", "add", login, "--name", name, "--email", email, *roles))


def play_the_stories(run: Run, tmp_path: Path, engine: str) -> None:
    """The README's stories, one after the other, on the test's store."""
    ok(run("import", EXAMPLES, "--by", "innovatie"))
    # Governance: approvals, the gate passed, a new model version re-opens it, approved again.
    ok(run("approve", LETTER, "--role", FG, "--by", "M. de Vries"))
    ok(run("approve", LETTER, "--role", CISO, "--by", "R. Bakker"))
    ok(run("advance", LETTER))
    source = (EXAMPLES / f"{LETTER}.yaml").read_text(encoding="utf-8")
    changed = source.replace('model_version: "2025-11-20"', 'model_version: "2026-05-13"')
    assert changed != source
    assert (
        "re-opens governance"
        in ok(run("import", write(tmp_path / f"{LETTER}.yaml", changed))).stdout
    )
    ok(run("approve", LETTER, "--role", FG, "--by", "M. de Vries"))
    ok(run("approve", LETTER, "--role", CISO, "--by", "R. Bakker"))
    # A waiver, a pause.
    until = (clock.today() + dt.timedelta(days=180)).isoformat()
    ok(run("waive", TRIAGE, "high-risk-logs", "--until", until, "--reason",
           "logopslag wordt gemigreerd", "--role", CISO, "--by", "R. Bakker"))  # fmt: skip
    ok(run("pause", TRIAGE, "--reason", "wacht op de leverancier"))
    # Bijsturen: forced on, measured one by one and from a CSV, one retracted, scaled.
    for _ in range(2):
        ok(run("advance", SCRIBE, "--force", "--reason", "demo: skip ahead"))
    ok(run("measure", SCRIBE, "documentatietijd", "13", "--date", "2026-03-15", "--note", "x"))
    ok(run("retract", SCRIBE, "documentatietijd", "2026-03-15", "--reason", "verkeerd overgenomen"))
    ok(run("measure", SCRIBE, "--csv", write(tmp_path / "metingen.csv", MEASUREMENTS)))
    ok(run("decide", SCRIBE, "scale", "--reason", "doelen gehaald op de polikliniek"))
    ok(run("advance", STOPPED, "--force", "--reason", "test: naar bijsturen"))
    ok(run("decide", STOPPED, "stop", "--reason", "geen tijdwinst"))
    # The register's own: a stored playbook, the publication settings, the directory.
    playbook = EXAMPLES / "playbooks" / "zorggroep-oost.yaml"
    ok(run("playbook", "set", playbook, "--reason", "ons eigen beleid"))
    ok(run("publication", "set", "organisation", "Ziekenhuis Oost"))
    ok(run("publication", "set", "contact", "algoritmes@ziekenhuis-oost.nl"))
    people(run, engine)


GENERATED = re.compile(r"generated \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def views(run: Run, url: str, tmp_path: Path) -> dict[str, str]:
    """What every view shows of the register at ``url``."""
    shown: dict[str, str] = {}

    def take(name: str, *args: str | Path) -> None:
        shown[name] = ok(run(*args, "--db", url)).stdout

    take("status", "status", "--json", "--all")
    take("verify", "audit", "verify", "--json")
    take("metrics", "metrics", "--json")
    take("people", "people", "list", "--json")
    take("publication", "publication", "show", "--json")
    take("playbook", "playbook", "show")
    take("export", "export")
    for pilot in json.loads(shown["status"])["pilots"]:
        take(f"history {pilot['id']}", "history", pilot["id"], "--json")
        take(f"kpis {pilot['id']}", "kpis", pilot["id"], "--json")
    report = tmp_path / "report.html"
    ok(run("report", "-o", report, "--db", url))
    shown["report"] = GENERATED.sub("generated", report.read_text(encoding="utf-8"))
    return shown


def dumped(run: Run, url: str, path: Path) -> list[Any]:
    """A register's dump, its header without the moment it was made."""
    ok(run("db", "dump", path, "--db", url))
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    del lines[0]["created_at"]
    return lines


def new_writes_verify(run: Run, url: str, tmp_path: Path) -> None:
    """Every table with an id sequence takes new rows after a restore, and it all verifies."""
    ok(run("measure", LETTER, "schrijftijd", "20", "--date", "2026-06-01", "--db", url))
    ok(run("approve", TRIAGE, "--role", "cmio", "--db", url))
    until = (clock.today() + dt.timedelta(days=30)).isoformat()
    ok(run("waive", TRIAGE, "high-risk-logs", "--until", until, "--reason", "na de migratie",
           "--role", CISO, "--db", url))  # fmt: skip
    ok(run("people", "add", "carol", "--name", "Carol Smit", "--email", "c.smit@zorg.example",
           "--role", CISO, "--db", url))  # fmt: skip
    playbook = (EXAMPLES / "playbooks" / "zorggroep-oost.yaml").read_text(encoding="utf-8")
    renamed = playbook.replace("name: zorggroep-oost", "name: zorggroep-oost-2027")
    path = write(tmp_path / "zorggroep-oost-2027.yaml", renamed)
    ok(run("playbook", "set", path, "--reason", "opnieuw vastgesteld", "--db", url))
    assert "all chains intact" in ok(run("audit", "verify", "--db", url)).stdout


@pytest.mark.store  # a SQLite register in the fast loop; a PostgreSQL one in the full suite
def test_a_register_moves_to_the_other_engine_and_back_unchanged(
    run: Run, engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_store: NewStore
) -> None:
    monkeypatch.setenv("LOGNAME", LOGINS["sqlite"])
    monkeypatch.setattr(audit, "CHUNK", 3)  # the check after a restore: 7 pilots in 3 ranges
    source = os.environ["GENAI_PILOTS_DB"]
    play_the_stories(run, tmp_path, engine)
    before = views(run, source, tmp_path)
    assert json.loads(before["verify"])["broken"] == []
    original = dumped(run, source, tmp_path / "original.jsonl")
    assert original[0] == {
        "format": FORMAT, "format_version": 1, "schema_revision": HEAD, "tool_version": __version__,
        "counts": {t.name: sum(1 for line in original if line.get("table") == t.name)
                   for t in metadata.sorted_tables},
    }  # fmt: skip

    restored = new_store(other(engine))
    result = ok(run("db", "restore", tmp_path / "original.jsonl", "--db", restored))
    assert result.stdout.startswith("restored 7 pilots, ")
    assert result.stdout.rstrip().endswith("checked: all chains intact")
    assert views(run, restored, tmp_path) == before
    assert dumped(run, restored, tmp_path / "restored.jsonl") == original

    there, back = new_store(other(engine)), new_store(engine)
    copied = ok(run("db", "copy", "--to", there, "--db", source)).stdout
    assert copied.startswith("copied 7 pilots, ") and "all chains intact" in copied
    ok(run("db", "copy", "--to", back, "--db", there))
    assert views(run, back, tmp_path) == before
    assert dumped(run, back, tmp_path / "back.jsonl") == original

    for url in (restored, back):  # both engines: new ids follow the restored ones
        new_writes_verify(run, url, tmp_path)
    assert dumped(run, source, tmp_path / "again.jsonl") == original  # the source is untouched


# Refusals. One dump, made once per test from a small register; the target is this test's store.


@pytest.fixture
def dump(run: Run, tmp_path: Path) -> Path:
    """A dump of the examples with approvals, a measurement and a register event."""
    url = f"sqlite:///{tmp_path / 'source.db'}"
    ok(run("import", EXAMPLES, "--by", "innovatie", "--db", url))
    ok(run("approve", LETTER, "--role", FG, "--by", "M. de Vries", "--db", url))
    ok(run("measure", SCRIBE, "documentatietijd", "10", "--date", "2026-04-01", "--db", url))
    ok(run("publication", "set", "organisation", "Ziekenhuis Oost", "--db", url))
    path = tmp_path / "pilots.jsonl"
    ok(run("db", "dump", path, "--db", url))
    return path


def rows_in(url: str) -> dict[str, int]:
    """How many rows each table holds."""
    return {t.name: sql(f"SELECT count(*) FROM {t.name}", url=url)[0][0]
            for t in metadata.sorted_tables}  # fmt: skip


def assert_empty(url: str) -> None:
    """Nothing but what a new store holds: the register's anchor at the start of its chain."""
    assert rows_in(url) == {
        t.name: 1 if t.name == "register" else 0 for t in metadata.sorted_tables
    }
    assert sql("SELECT head_hash FROM register", url=url) == [(GENESIS,)]


def edited(dump: Path, change: Callable[[list[Any]], None]) -> Path:
    """A copy of the dump with its lines (as JSON) changed by ``change``."""
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    change(lines)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    return write(dump.with_name("edited.jsonl"), text)


def row_of(lines: list[Any], table: str, **match: Any) -> int:
    return next(
        i for i, line in enumerate(lines)
        if line.get("table") == table and all(line["row"][k] == v for k, v in match.items())
    )  # fmt: skip


def change_payload(lines: list[Any]) -> None:
    lines[row_of(lines, "event", pilot_id=LETTER, kind="approved")]["row"]["payload"]["by"] = "X"


def change_measurement(lines: list[Any]) -> None:
    lines[row_of(lines, "measurement", pilot_id=SCRIBE, kpi="documentatietijd")]["row"]["value"] = 9


def remove_approval(lines: list[Any]) -> None:
    del lines[row_of(lines, "approval", pilot_id=LETTER)]
    lines[0]["counts"]["approval"] -= 1


def remove_setting(lines: list[Any]) -> None:
    del lines[row_of(lines, "register_setting", key="organisation")]
    lines[0]["counts"]["register_setting"] -= 1


@pytest.mark.store(fast=ENGINES)
@pytest.mark.parametrize(
    ("change", "named"),
    [
        (change_payload, f"broken {LETTER} at event #2: "),
        (change_measurement, f"broken {SCRIBE} at event #2: rows of the measurement table"),
        (remove_approval, f"broken {LETTER} at event #2: rows of the approval table"),
        (remove_setting, "broken (register) at event #2: rows of the register_setting table"),
    ],
    ids=["event-payload", "measurement-value", "approval-removed", "setting-removed"],
)
@pytest.mark.parametrize("chunk", [1000, 2], ids=["in-one-range", "in-ranges"])
def test_a_dump_edited_by_hand_is_refused_and_nothing_is_restored(
    run: Run,
    dump: Path,
    store_url: str,
    change: Callable[[list[Any]], None],
    named: str,
    chunk: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audit, "CHUNK", chunk)
    result = run("db", "restore", edited(dump, change))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(named), result.stderr
    assert "chain does not verify; nothing was restored" in result.stderr
    assert "Traceback" not in result.output
    assert_empty(store_url)


def line_cut(dump: Path) -> None:
    data = dump.read_bytes()
    dump.write_bytes(data[: data.index(b'{"table":"event"') + 40])


def last_line_gone(dump: Path) -> None:
    dump.write_text("".join(dump.read_text().splitlines(keepends=True)[:-1]))


def line_doubled(dump: Path) -> None:
    lines = [json.loads(line) for line in dump.read_text().splitlines()]
    at = row_of(lines, "event", pilot_id=LETTER, kind="approved")
    lines.insert(at, lines[at])
    lines[0]["counts"]["event"] += 1
    dump.write_text("".join(json.dumps(line) + "\n" for line in lines))


def replace_line(number: int, text: str) -> Callable[[Path], None]:
    def change(dump: Path) -> None:
        lines = dump.read_text().splitlines(keepends=True)
        lines[number - 1] = text
        dump.write_text("".join(lines))

    return change


def edit_line(number: int, change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def edit(dump: Path) -> None:
        lines = dump.read_text().splitlines(keepends=True)
        line = json.loads(lines[number - 1])
        change(line)
        lines[number - 1] = json.dumps(line) + "\n"
        dump.write_text("".join(lines))

    return edit


def header(**values: Any) -> Callable[[Path], None]:
    return edit_line(1, lambda line: line.update(values))


def in_row(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda line: line["row"].update(values)


BAD: dict[str, tuple[Callable[[Path], Any], int | None, str]] = {
    "empty": (lambda dump: dump.write_text(""), 1, "the file is empty: not a dump"),
    "not-a-dump": (
        lambda dump: dump.write_text((EXAMPLES / f"{LETTER}.yaml").read_text()),
        1,
        "not a genai-pilots dump (no dump header)",
    ),
    "binary": (lambda dump: dump.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff"), 1, "not UTF-8 text"),
    "format-version": (header(format_version=2), 1, "dump format version 2 is unknown"),
    "newer-schema": (
        header(schema_revision="0099_future"),
        1,
        "the dump is of schema revision 0099_future, written by a newer genai-pilots",
    ),
    "older-schema": (
        header(schema_revision="0005_append_only"),
        1,
        f"the dump is of schema revision 0005_append_only; this genai-pilots restores dumps of "
        f"{HEAD}",
    ),
    "line-cut": (line_cut, None, "the line is cut off (it has no line end): the file is truncated"),
    "last-line-gone": (last_line_gone, None, "rows where its header counts"),
    "garbage": (replace_line(3, "garbage\n"), 3, "not JSON"),
    "unknown-table": (
        replace_line(3, '{"table": "secrets", "row": {}}\n'),
        3,
        'a row of a table this schema does not have: "secrets"',
    ),
    "unknown-column": (edit_line(3, in_row(colour="red")), 3, "table pilot has no column colour"),
    "missing-column": (
        edit_line(3, lambda line: line["row"].pop("stage")),
        3,
        "the pilot row lacks its column stage",
    ),
    "wrong-type": (
        edit_line(3, in_row(paused="no")),
        3,
        'pilot.paused: expected true or false, got "no"',
    ),
    "bad-moment": (
        edit_line(3, in_row(created_at="2026-03-01 09:00")),
        3,
        "pilot.created_at: expected a UTC moment like 2026-03-01T09:30:00.000000Z",
    ),
    "too-long": (
        edit_line(3, in_row(stage="x" * 21)),
        3,
        "pilot.stage: 21 characters, at most 20 fit",
    ),
    "duplicate-row": (line_doubled, None, "the database refused this event row"),
}


@pytest.mark.store(fast=ENGINES)
def test_a_bad_file_is_one_line_with_its_line_number_and_leaves_the_target_empty(
    run: Run, dump: Path, store_url: str
) -> None:
    good = dump.read_bytes()
    for name, (damage, line, message) in BAD.items():
        dump.write_bytes(good)
        damage(dump)
        result = run("db", "restore", dump)
        assert result.exit_code == 2, (name, result.output)
        first, *rest = result.stderr.splitlines()
        assert first.startswith(f"error: {dump}:{line or ''}"), (name, first)
        assert message in first and first.endswith("nothing was restored"), (name, first)
        assert all(r.startswith("  hint: ") for r in rest), (name, result.stderr)
        assert result.stdout == ""
        assert_empty(store_url)


@pytest.mark.store
@pytest.mark.parametrize(
    ("revision", "added"),
    [
        ("0007_register_settings", ("evidence", "incident", "incident_notice", "training")),
        ("0008_post_market", ("training",)),
    ],
)
def test_a_dump_of_an_older_release_restores_when_only_tables_were_added_since(
    run: Run, dump: Path, store_url: str, revision: str, added: tuple[str, ...]
) -> None:
    """A dump written at 0007 or 0008 has no lines for the tables added since: they start
    empty, as an upgrade leaves them, and the whole register verifies."""
    lines = dump.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert all(first["counts"][name] == 0 for name in added)
    first["schema_revision"] = revision
    first["counts"] = {name: n for name, n in first["counts"].items() if name not in added}
    rows = [line for line in lines[1:] if json.loads(line)["table"] not in added]
    dump.write_text("\n".join([json.dumps(first), *rows]) + "\n", encoding="utf-8")
    result = run("db", "restore", dump)
    assert result.exit_code == 0, result.output
    assert run("audit", "verify").stdout.endswith("all chains intact\n")
    assert rows_in(store_url) == {**first["counts"], **dict.fromkeys(added, 0)}


@pytest.mark.store
def test_a_dump_of_0010_restores_with_the_columns_added_since_null(
    run: Run, tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0011 added two nullable columns to synthetic_evaluation: a dump written at 0010 lacks
    them; they restore as NULL, as an upgrade leaves them, and every chain verifies. A row
    lacking any other column is still refused."""
    from genai_pilots.domain.synthetic import Copies, copies
    from genai_pilots.services import synthetic

    source, planning = f"sqlite:///{tmp_path / 'source.db'}", "opnameplanning-kliniek"
    files = EXAMPLES / "synthetic"
    ok(run("import", files / f"{planning}.yaml", "--by", "innovatie", "--db", source))
    monkeypatch.setattr(synthetic, "declaration", lambda item: None)  # as 0010 did
    monkeypatch.setattr(synthetic, "copies", lambda r, s: Copies(copies(r, s).exact, None))
    run("synth", "evaluate", planning, "opnames", "--real", files / "opnames-echt.csv",
        "--synthetic", files / "opnames-synthetisch.csv", "--db", source)  # fmt: skip
    path = tmp_path / "pilots.jsonl"
    ok(run("db", "dump", path, "--db", source))
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(header) | {"schema_revision": "0010_synthetic"}
    rows = [json.loads(line) for line in lines]
    for line in rows:
        if line["table"] == "synthetic_evaluation":
            assert line["row"].pop("near_copies") is None
            assert line["row"].pop("declared_sha256") is None
    older = tmp_path / "older.jsonl"
    older.write_text("\n".join(json.dumps(x) for x in [first, *rows]) + "\n", encoding="utf-8")
    result = run("db", "restore", older)
    assert result.exit_code == 0, result.output
    assert run("audit", "verify").stdout.endswith("all chains intact\n")
    assert sql("SELECT dataset, near_copies, declared_sha256 FROM synthetic_evaluation",
               url=store_url) == [("opnames", None, None)]  # fmt: skip
    for line in rows:
        if line["table"] == "synthetic_evaluation":
            del line["row"]["quality"]
    older.write_text("\n".join(json.dumps(x) for x in [first, *rows]) + "\n", encoding="utf-8")
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    refused = run("db", "restore", older, "--db", fresh)
    assert refused.exit_code == 2
    assert "the synthetic_evaluation row lacks its column quality" in refused.stderr


@pytest.mark.store
def test_a_dump_from_stdout_restores_from_stdin(run: Run, dump: Path, store_url: str) -> None:
    text = dump.read_text(encoding="utf-8")
    source = f"sqlite:///{dump.with_name('source.db')}"
    to_stdout = run("db", "dump", "-", "--db", source)
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout.splitlines()[1:] == text.splitlines()[1:]
    assert to_stdout.stderr.startswith("dumped 7 pilots, ")
    result = run("db", "restore", "-", input=to_stdout.stdout)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("restored 7 pilots, ")
    assert rows_in(store_url) == json.loads(text.splitlines()[0])["counts"]


@pytest.mark.store
def test_a_store_that_holds_anything_is_refused(run: Run, dump: Path, store_url: str) -> None:
    ok(run("import", EXAMPLES / f"{LETTER}.yaml"))
    before = rows_in(store_url)
    result = run("db", "restore", dump)
    assert result.exit_code == 2
    assert "is not empty (rows in pilot: 1, " in result.stderr
    assert "hint: restore into a new store" in result.stderr
    assert rows_in(store_url) == before
    copy = run("db", "copy", "--db", f"sqlite:///{dump.with_name('source.db')}", "--to", store_url)
    assert copy.exit_code == 2 and "is not empty" in copy.stderr
    assert rows_in(store_url) == before
    itself = run("db", "copy", "--to", store_url)
    assert itself.exit_code == 2
    assert "the store to copy to is the store to copy from" in itself.stderr


def test_a_failed_dump_leaves_the_earlier_file_as_it_was(run: Run, tmp_path: Path) -> None:
    """Written next to the target and renamed only when complete: never half a dump."""
    from tests.conftest import tamper

    url = f"sqlite:///{tmp_path / 'source.db'}"
    ok(run("import", EXAMPLES, "--db", url))
    ok(run("measure", SCRIBE, "documentatietijd", "10", "--date", "2026-04-01", "--db", url))
    target = write(tmp_path / "out" / "pilots.jsonl", "the earlier dump\n")
    tamper("UPDATE measurement SET date = 'kapot'", url=url)  # text in a date column
    result = run("db", "dump", target, "--db", url)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: the measurement table holds a value that cannot be read"
    )
    assert target.read_text() == "the earlier dump\n"
    assert [p.name for p in target.parent.iterdir()] == ["pilots.jsonl"]


@pytest.mark.store(engines=("postgresql",))
def test_restoring_needs_pilots_admin_and_dumping_a_reader(
    run: Run, dump: Path, store_url: str, new_store: NewStore
) -> None:
    ok(run("db", "roles"))
    reader, editor = (login(store_url, role) for role in ("pilots_reader", "pilots_editor"))
    refused = run("db", "restore", dump, "--db", editor)
    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "error: restoring a register writes every table, which only pilots_admin may"
    )
    assert_empty(store_url)
    ok(run("db", "restore", dump))  # the tests' login is a superuser: a member of every role
    owners = sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
    assert owners == [("pilots_admin",)]
    ok(run("measure", SCRIBE, "correcties", "4", "--date", "2026-05-01", "--db", editor))
    assert "all chains intact" in ok(run("audit", "verify")).stdout
    copy = new_store("sqlite")
    ok(run("db", "dump", dump.with_name("by-reader.jsonl"), "--db", reader))
    ok(run("db", "copy", "--db", reader, "--to", copy))
    assert "all chains intact" in ok(run("audit", "verify", "--db", copy)).stdout


def login(store_url: str, role: str) -> str:
    name = f"u_{role.removeprefix('pilots_')}"
    sql(f"CREATE ROLE {name} LOGIN; GRANT {role} TO {name}", url=store_url)
    return store_url.replace("postgresql+psycopg://postgres:@", f"postgresql+psycopg://{name}:@")


def test_db_dump_restore_and_copy_help_loads_no_store() -> None:
    from tests.test_startup import HEAVY, PROBE

    for args in (["db", "--help"], ["db", "restore", "--help"]):
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.splitlines()[-1] == "HEAVY:", result.stdout + result.stderr


# The format itself (domain.dump): values of every kind, and lines read strictly.

TABLE = TableSpec(
    "thing",
    (
        Column("id", Kind.INTEGER),
        Column("name", Kind.TEXT, max_length=5),
        Column("value", Kind.FLOAT, nullable=True),
        Column("flag", Kind.BOOLEAN),
        Column("at", Kind.MOMENT),
        Column("day", Kind.DATE, nullable=True),
        Column("data", Kind.JSON),
    ),
)

HEADER = json.dumps(
    {
        "format": FORMAT,
        "format_version": 1,
        "schema_revision": HEAD,
        "tool_version": "0",
        "created_at": "x",
        "counts": {"thing": 1},
    }
)
HEADER += "\n"


def test_each_kind_is_written_the_same_whatever_the_engine_returned() -> None:
    writer = RowWriter(TABLE)
    aware = dt.datetime(2026, 3, 1, 10, 30, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    naive = dt.datetime(2026, 3, 1, 9, 30, 0, 5)  # SQLite's: UTC without a zone
    lines = [writer.line((7, "één", 3, 1, at, dt.date(2026, 3, 1), {"b": [1.5], "a": None}))
             for at in (aware, naive)]  # fmt: skip
    assert (
        lines[0]
        == lines[1]
        == (
            '{"table":"thing","row":{"id":7,"name":"één","value":3.0,"flag":true,'
            '"at":"2026-03-01T09:30:00.000005Z","day":"2026-03-01","data":{"b":[1.5],"a":null}}}\n'
        )
    )
    reader = DumpReader(parse_header(HEADER, [TABLE]), [TABLE])
    _, values = reader.row(2, lines[0])
    assert values == {
        "id": 7, "name": "één", "value": 3.0, "flag": True,
        "at": dt.datetime(2026, 3, 1, 9, 30, 0, 5, tzinfo=dt.UTC), "day": dt.date(2026, 3, 1),
        "data": {"b": [1.5], "a": None},
    }  # fmt: skip
    reader.finish(2)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ('{"id": true}', "thing.id: expected a whole number, got true"),
        ('{"id": 1.5}', "thing.id: expected a whole number, got 1.5"),
        ('{"value": NaN}', "not JSON (NaN is not a JSON number)"),
        ('{"value": "3"}', 'thing.value: expected a number, got "3"'),
        ('{"name": "zeslet"}', "thing.name: 6 characters, at most 5 fit"),
        ('{"name": null}', "thing.name: null, but the column needs a value"),
        ('{"day": "2026-02-30"}', "day is out of range for month"),
        ('{"at": "2026-03-01T09:30:00Z"}', "thing.at: expected a UTC moment like"),
    ],
)
def test_a_value_not_of_its_columns_kind_is_named(row: str, message: str) -> None:
    base = {"id": 1, "name": "a", "value": None, "flag": False, "at": "2026-03-01T09:30:00.000000Z",
            "day": None, "data": {}}  # fmt: skip
    text = json.dumps({"table": "thing", "row": base})
    text = text[:-2] + ", " + row[1:] + "}\n"  # the later key wins, as in any JSON reader
    header_text = json.dumps(
        {
            "format": FORMAT,
            "format_version": 1,
            "schema_revision": HEAD,
            "tool_version": "0",
            "created_at": "x",
            "counts": {"thing": 1},
        }
    )
    reader = DumpReader(parse_header(header_text + "\n", [TABLE]), [TABLE])
    with pytest.raises(BadDump) as raised:
        reader.row(5, text)
    assert raised.value.line == 5
    assert message in raised.value.message
