"""Evidence behind gate criteria: hashed, re-checked, expiring, and proven by the chain."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, set_today, sql, tamper, write

LETTER = "ontslagbrief-interne-geneeskunde"  # at governance
SCRIBE = "ambient-scribe-cardiologie"  # at skills

pytestmark = pytest.mark.store

PLAYBOOK = """\
name: met-bewijs
extends: default
gates:
  governance:
    - id: dpia-document
      kind: evidence
      of: dpia
      says: The DPIA itself is on record
      hint: pilots evidence add ID dpia FILE
"""


@pytest.fixture
def imported(run: Run) -> Run:
    assert run("import", EXAMPLES).exit_code == 0
    return run


@pytest.fixture
def document(tmp_path: Path) -> Path:
    return write(tmp_path / "docs" / "DPIA ontslagbrief.pdf", b"%PDF-1.7 DPIA v1\n" * 1000)


def listed(run: Run, pilot: str) -> list[dict[str, object]]:
    result = run("evidence", "list", pilot, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["evidence"]  # type: ignore[no-any-return]


def with_playbook(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "met-bewijs.yaml", PLAYBOOK)
    result = run("playbook", "set", path, "--reason", "DPIA-documenten vastleggen")
    assert result.exit_code == 0, result.output


def gate(run: Run, pilot: str) -> dict[str, dict[str, object]]:
    result = run("gate", pilot, "--json")
    return {c["id"]: c for c in json.loads(result.stdout)["criteria"]}


def test_add_records_the_hash_size_and_place_and_the_file_stays(
    imported: Run, document: Path
) -> None:
    result = imported("evidence", "add", LETTER, "dpia", document, "--note", "versie 1")
    assert result.exit_code == 0, result.output
    import hashlib

    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    assert result.stdout.startswith(f"evidence 1 of {LETTER} for dpia (governance): {document}")
    assert digest in result.stdout
    [row] = sql(
        f"SELECT stage, criterion, location, name, sha256, size, note, withdrawn_at "
        f"FROM evidence WHERE pilot_id = '{LETTER}'"
    )
    assert tuple(row) == (
        "governance", "dpia", str(document), document.name, digest, 17_000, "versie 1", None,
    )  # fmt: skip
    assert document.exists()
    [entry] = listed(imported, LETTER)
    assert (entry["number"], entry["sha256"], entry["valid_until"]) == (1, digest, None)
    events = json.loads(imported("history", LETTER, "--json").stdout)["events"]
    assert events[-1]["kind"] == "evidence-added"
    assert events[-1]["payload"]["sha256"] == digest
    shown = imported("show", LETTER).stdout
    assert "evidence of " + LETTER in shown and "dpia (governance)" in shown
    assert imported("audit", "verify").exit_code == 0


def test_a_link_is_recorded_without_fetching_and_only_http(imported: Run) -> None:
    link = "https://dms.zorg.example/dpia/ontslagbrief-v2.pdf"
    result = imported("evidence", "add", LETTER, "dpia", link, "--valid-until", "2029-12-31")
    assert result.exit_code == 0, result.output
    [entry] = listed(imported, LETTER)
    assert (entry["location"], entry["sha256"], entry["size"]) == (link, None, None)
    assert entry["name"] == "ontslagbrief-v2.pdf"
    for bad in ("ftp://dms.zorg.example/dpia.pdf", "file:///etc/passwd"):
        refused = imported("evidence", "add", LETTER, "dpia", bad)
        assert refused.exit_code == 2, refused.output
        assert "only http and https links" in refused.stderr
    for bad in ("https://", "HTTPS:///dpia.pdf", "https://dms.zorg.example/mijn dpia.pdf"):
        refused = imported("evidence", "add", LETTER, "dpia", bad)
        assert refused.exit_code == 2, refused.output
        assert "not a web address" in refused.stderr
    for secret, says in (
        ("https://user:pw@dms.zorg.example/dpia.pdf", "holds a user name"),
        ("https://dms.zorg.example/dpia.pdf?token=abc", "credential in its query (token=...)"),
        ("https://x.blob.example/d.pdf?sv=1&sig=abc", "credential in its query (sig=...)"),
        ("https://s3.example/d.pdf?X-Amz-Signature=f", "(X-Amz-Signature=...)"),
    ):
        refused = imported("evidence", "add", LETTER, "dpia", secret)
        assert refused.exit_code == 2, refused.output
        assert says in refused.stderr
    assert len(listed(imported, LETTER)) == 1
    kept = imported("evidence", "add", LETTER, "dpia", "https://dms.zorg.example/d?id=12")
    assert kept.exit_code == 0, kept.output


def test_a_changed_or_removed_document_is_caught_by_verify(imported: Run, document: Path) -> None:
    assert imported("evidence", "add", LETTER, "dpia", document).exit_code == 0
    other = write(document.parent / "fria.pdf", b"FRIA")
    assert imported("evidence", "add", SCRIBE, "dpia", other).exit_code == 0
    fine = imported("evidence", "verify")
    assert fine.exit_code == 0, fine.output
    assert fine.stdout.strip().endswith("2 pieces of evidence checked: all unchanged and in force")
    document.write_bytes(b"%PDF-1.7 DPIA v2, quietly edited\n")
    changed = imported("evidence", "verify")
    assert changed.exit_code == 1
    assert f"changed: {LETTER} #1 dpia {document}: its SHA-256 is" in changed.stdout
    assert f"ok: {SCRIBE} #1" in changed.stdout
    assert imported("evidence", "verify", SCRIBE).exit_code == 0
    other.unlink()
    report = json.loads(imported("evidence", "verify", "--json").stdout)
    assert [(e["pilot"], e["problem"]) for e in report["evidence"]] == [
        (SCRIBE, "missing"), (LETTER, "changed"),  # by pilot id
    ]  # fmt: skip
    assert report["problems"] == 2


def test_expiry_with_a_controlled_clock(
    imported: Run, document: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with_playbook(imported, tmp_path)
    assert gate(imported, LETTER)["dpia-document"]["met"] is False
    set_today(monkeypatch, dt.date(2026, 6, 1))
    added = imported("evidence", "add", LETTER, "dpia", document, "--valid-until", "2026-12-31")
    assert added.exit_code == 0, added.output
    assert gate(imported, LETTER)["dpia-document"]["met"] is True
    assert imported("evidence", "verify").exit_code == 0
    set_today(monkeypatch, dt.date(2026, 12, 31))
    assert gate(imported, LETTER)["dpia-document"]["met"] is True  # the last day counts
    set_today(monkeypatch, dt.date(2027, 1, 1))
    criterion = gate(imported, LETTER)["dpia-document"]
    assert criterion["met"] is False
    assert "expired on 2026-12-31" in str(criterion["detail"])
    verified = imported("evidence", "verify")
    assert verified.exit_code == 1
    assert f"expired: {LETTER} #1 dpia" in verified.stdout
    late = imported("evidence", "add", LETTER, "dpia", document, "--valid-until", "2026-12-31")
    assert late.exit_code == 2
    assert "--valid-until 2026-12-31 has passed" in late.stderr


def test_the_evidence_criterion_passes_on_evidence_in_force_only(
    imported: Run, document: Path, tmp_path: Path
) -> None:
    with_playbook(imported, tmp_path)
    before = gate(imported, LETTER)["dpia-document"]
    assert (before["met"], before["detail"]) == (False, "no evidence recorded for dpia")
    assert imported("evidence", "add", LETTER, "dpia", document).exit_code == 0
    after = gate(imported, LETTER)["dpia-document"]
    assert after["met"] is True and document.name in str(after["detail"])
    withdrawn = imported("evidence", "withdraw", LETTER, "1", "--reason", "verkeerde versie")
    assert withdrawn.exit_code == 0, withdrawn.output
    assert gate(imported, LETTER)["dpia-document"]["met"] is False
    [entry] = listed(imported, LETTER)
    assert entry["withdrawn_at"] is not None
    again = imported("evidence", "withdraw", LETTER, "1", "--reason", "nogmaals")
    assert again.exit_code == 1 and "already withdrawn" in again.stderr
    events = json.loads(imported("history", LETTER, "--json").stdout)["events"]
    assert (events[-1]["kind"], events[-1]["reason"]) == ("evidence-withdrawn", "verkeerde versie")
    assert imported("audit", "verify").exit_code == 0


def test_a_criterion_in_several_gates_needs_stage(
    imported: Run, document: Path, tmp_path: Path
) -> None:
    playbook = PLAYBOOK + (
        "  skills:\n    - {id: dpia-document, kind: evidence, of: dpia, says: again, hint: add}\n"
    )
    path = write(tmp_path / "twice.yaml", playbook)
    assert imported("playbook", "set", path, "--reason", "twee keer").exit_code == 0
    result = imported("evidence", "add", LETTER, "dpia-document", document)
    assert result.exit_code == 2
    assert "'dpia-document' is a criterion of several gates (governance, skills)" in result.stderr
    assert "--stage" in result.stderr
    chosen = imported("evidence", "add", LETTER, "dpia-document", document, "--stage", "skills")
    assert chosen.exit_code == 0, chosen.output
    assert listed(imported, LETTER)[0]["stage"] == "skills"
    wrong = imported("evidence", "add", LETTER, "dpia", document, "--stage", "skills")
    assert wrong.exit_code == 2 and "it is in the gate of: governance" in wrong.stderr


def test_playbook_validation_names_an_unknown_of(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", PLAYBOOK.replace("of: dpia", "of: dpai"))
    result = run("playbook", "validate", path)
    assert result.exit_code != 0
    assert f"{path}:7:11:" in result.stdout + result.stderr
    assert "no criterion has id 'dpai'" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("dpai", "{doc}"), "has no criterion 'dpai'"),
        (("dpia", "{missing}"), "it does not exist"),
        (("dpia", "/dev/zero"), "/dev/zero: it is a device, not a document"),
        (("dpia", "{folder}"), "it is a directory"),
        (("dpia", "{doc}", "--valid-until", "31-02-2027"), "--valid-until"),
        (("dpia", "{doc}", "--valid-until", "9999-12-31"), "more than ten years ahead"),
        (("dpia", "{doc}", "--stage", "nergens"), "is not a stage"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    imported: Run, document: Path, args: tuple[str, ...], says: str
) -> None:
    values = {"doc": document, "missing": document.parent / "weg.pdf", "folder": document.parent}
    result = imported("evidence", "add", LETTER, *(a.format(**values) for a in args))
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert sql("SELECT count(*) FROM evidence")[0][0] == 0


def test_a_named_pipe_is_refused(imported: Run, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    result = imported("evidence", "add", LETTER, "dpia", fifo)
    assert result.exit_code == 2
    assert "it is a named pipe, not a document" in result.stderr


def test_near_matches_and_unknown_numbers(imported: Run, document: Path) -> None:
    near = imported("evidence", "add", LETTER, "dpai", document)
    assert "did you mean dpia" in near.stderr
    unknown = imported("evidence", "withdraw", LETTER, "3", "--reason", "x")
    assert unknown.exit_code == 2
    assert f"{LETTER} has no evidence number 3 (it has none)" in unknown.stderr
    nobody = imported("evidence", "list", "bestaat-niet")
    assert nobody.exit_code == 2


def test_a_direct_edit_of_the_evidence_table_is_caught(imported: Run, document: Path) -> None:
    assert imported("evidence", "add", LETTER, "dpia", document).exit_code == 0
    assert imported("audit", "verify").exit_code == 0
    tamper(f"UPDATE evidence SET sha256 = '{'0' * 64}' WHERE pilot_id = '{LETTER}'")
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert LETTER in result.stdout and "evidence" in result.stdout
    refused = imported("evidence", "add", LETTER, "dpia", document)
    assert refused.exit_code == 1
    assert "changed outside genai-pilots" in refused.stderr


def test_an_inserted_row_is_caught_too(imported: Run) -> None:
    tamper(
        "INSERT INTO evidence (pilot_id, stage, criterion, location, name, added_by, added_at) "
        f"VALUES ('{LETTER}', 'governance', 'dpia', 'https://x.example/d', 'd', 'x', "
        "'2026-01-01 00:00:00')"
    )
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert LETTER in result.stdout


def test_evidence_and_incidents_move_with_the_register(
    imported: Run, document: Path, tmp_path: Path
) -> None:
    """A dump carries evidence, incidents and their notices; the restored register lists the
    same and verifies (issue 16: they are in the chain and the dump)."""
    assert imported("evidence", "add", LETTER, "dpia", document).exit_code == 0
    added = imported("incident", "add", LETTER, "--summary", "verkeerde medicatie in de brief",
                     "--occurred", "2026-11-20", "--aware", "2026-11-21", "--serious")  # fmt: skip
    assert added.exit_code == 0, added.output
    told = imported("incident", "notify", LETTER, "1", "--to", "provider", "--on", "2026-11-21")
    assert told.exit_code == 0, told.output
    dump = tmp_path / "register.jsonl"
    assert imported("db", "dump", dump).exit_code == 0
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = imported("db", "restore", dump, "--db", target)
    assert restored.exit_code == 0, restored.output
    for args in (["evidence", "list", LETTER, "--json"], ["incident", "list", LETTER, "--json"]):
        assert imported(*args, "--db", target).stdout == imported(*args).stdout
    assert imported("audit", "verify", "--db", target).exit_code == 0


def test_a_public_link_on_record_is_published_with_its_impact_assessment(
    imported: Run, tmp_path: Path
) -> None:
    """The Algoritmeregister lists each impact assessment with a link: where the definition
    names only an internal reference, the https evidence on record for it is that link."""
    scribe = "ambient-scribe-cardiologie"
    assert imported("publication", "set", "organisation", "Ziekenhuis Oost").exit_code == 0
    assert imported("publication", "set", "contact", "algoritmes@ziekenhuis-oost.nl").exit_code == 0
    out = tmp_path / "record.json"

    def assessments() -> list[dict[str, str]]:
        result = imported("export", "--format", "algoritmeregister", scribe, "-o", out)
        assert result.exit_code == 0, result.output
        [record] = json.loads(out.read_text(encoding="utf-8"))
        return record["impacttoetsen_grouping"]  # type: ignore[no-any-return]

    assert assessments() == [{"title": "Data Protection Impact Assessment (DPIA)"}]
    link = "https://www.ziekenhuis-oost.nl/dpia/gespreksverslagen.pdf"
    assert imported("evidence", "add", scribe, "dpia", link, "--stage", "governance").exit_code == 0
    assert assessments() == [{"title": "Data Protection Impact Assessment (DPIA)", "link": link}]


def test_the_board_report_lists_the_evidence_in_force(
    imported: Run, document: Path, tmp_path: Path
) -> None:
    assert imported("evidence", "add", LETTER, "dpia", document, "--note", "v1").exit_code == 0
    link = "https://dms.zorg.example/dpia/oud.pdf"
    assert imported("evidence", "add", LETTER, "dpia", link).exit_code == 0
    assert imported("evidence", "withdraw", LETTER, "2", "--reason", "vervangen").exit_code == 0
    report = tmp_path / "report.html"
    assert imported("report", "-o", report).exit_code == 0
    html = report.read_text(encoding="utf-8")
    section = html.split("<h3>Evidence on record</h3>", 1)[1].split("<h3>", 1)[0]
    assert str(document) in section and "dpia (governance)" in section
    assert link not in section  # withdrawn


@pytest.mark.parametrize(
    ("today", "last"),
    [(dt.date(2026, 3, 1), dt.date(2036, 3, 1)), (dt.date(2028, 2, 29), dt.date(2038, 2, 28))],
)
def test_valid_until_is_at_most_ten_calendar_years_ahead(
    imported: Run, document: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date, last: dt.date
) -> None:
    set_today(monkeypatch, today)
    late = last + dt.timedelta(days=1)
    refused = imported("evidence", "add", LETTER, "dpia", document, "--valid-until", str(late))
    assert refused.exit_code == 2, refused.output
    assert f"more than ten years ahead (the last day allowed is {last})" in refused.stderr
    kept = imported("evidence", "add", LETTER, "dpia", document, "--valid-until", str(last))
    assert kept.exit_code == 0, kept.output
