"""Rough edges of what users see (issue 15): output that fits, hints that keep their promises,
names that cannot deceive, validate and import that agree, one way to end a pilot."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, write

TRIAGE = "triage-huisartsenpost"
LETTER = "ontslagbrief-interne-geneeskunde"
SCRIBE = "ambient-scribe-cardiologie"


@pytest.fixture
def imported(run: Run) -> Run:
    result = run("import", EXAMPLES, "--by", "innovatie")
    assert result.exit_code == 0, result.output
    return run


def kinds(run: Run, pilot: str) -> list[dict[str, object]]:
    result = run("history", pilot, "--json")
    assert result.exit_code == 0, result.output
    events: list[dict[str, object]] = json.loads(result.stdout)["events"]
    return events


# 4. Validate and import agree


def _two_files_one_id(tmp_path: Path) -> Path:
    folder = tmp_path / "pilots"
    folder.mkdir()
    shutil.copy(EXAMPLES / f"{TRIAGE}.yaml", folder / "a.yaml")
    shutil.copy(EXAMPLES / f"{TRIAGE}.yaml", folder / "b.yaml")
    return folder


def test_validate_refuses_two_files_with_one_id_naming_both(run: Run, tmp_path: Path) -> None:
    folder = _two_files_one_id(tmp_path)
    result = run("validate", folder)
    assert result.exit_code == 1
    a, b = folder / "a.yaml", folder / "b.yaml"
    lines = result.stdout.splitlines()
    assert f"{a}:2:5: error: id: pilot id '{TRIAGE}' is also defined in {b}" in lines[0]
    assert f"{b}:2:5: error: id: pilot id '{TRIAGE}' is also defined in {a}" in lines[1]
    assert lines[0].endswith("[duplicate-id]")
    sarif = json.loads(run("validate", "--format", "sarif", folder).stdout)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"duplicate-id"}


@pytest.mark.store(engines=("sqlite",))
def test_import_refuses_what_validate_refuses_with_the_same_findings(
    run: Run, tmp_path: Path
) -> None:
    folder = _two_files_one_id(tmp_path)
    validated = run("validate", "--quiet", folder)
    refused = run("import", folder)
    assert refused.exit_code == 1
    assert refused.stdout == validated.stdout
    assert "`pilots validate` shows the same" in refused.stderr
    assert json.loads(run("status", "--json").stdout)["total"] == 0


@pytest.mark.store(engines=("sqlite",))
def test_one_file_named_twice_is_one_file(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "pilots"
    folder.mkdir()
    path = shutil.copy(EXAMPLES / f"{TRIAGE}.yaml", folder / "t.yaml")
    (folder / "link.yaml").symlink_to(path)
    twice = (path, folder / "." / "t.yaml", folder)
    assert run("validate", *twice).exit_code == 0
    assert run("import", *twice).exit_code == 0


@pytest.mark.store(engines=("sqlite",))
def test_import_hint_names_the_registers_playbook_when_it_has_its_own(
    run: Run, tmp_path: Path
) -> None:
    stricter = write(
        tmp_path / "stricter.yaml",
        "name: strenger\nextends: default\ngates:\n  start-klein:\n"
        "    - {id: owner-phone, kind: present, field: owner.phone, says: An owner's phone, "
        "hint: Add owner.phone}\n",
    )
    assert run("playbook", "set", stricter, "--reason", "telefoon nodig").exit_code == 0
    path = shutil.copy(EXAMPLES / f"{SCRIBE}.yaml", tmp_path / "scribe.yaml")
    assert run("validate", path).exit_code == 0  # the default playbook asks no phone
    refused = run("import", path)
    assert refused.exit_code == 1
    assert "owner.phone" in refused.stdout
    assert "`pilots validate --playbook FILE` with the playbook stored in the register" in (
        refused.stderr
    )
    assert run("validate", "--playbook", stricter, path).exit_code == 1


# 5. Ending a pilot: `advance --outcome stopped` is `decide stop`


def _decide_stop(pilot: str, *more: str) -> tuple[str, ...]:
    return ("decide", pilot, "stop", *more)


def _advance_stopped(pilot: str, *more: str) -> tuple[str, ...]:
    return ("advance", pilot, "--outcome", "stopped", *more)


STOP_WAYS = {"decide": _decide_stop, "advance": _advance_stopped}


@pytest.mark.store(engines=("sqlite",))
@pytest.mark.parametrize("way", sorted(STOP_WAYS))
@pytest.mark.parametrize("before", ["nothing", "pause", "review"])
def test_stopping_follows_one_rule_at_any_stage(
    imported: Run, examples_copy: Path, way: str, before: str
) -> None:
    command = STOP_WAYS[way]
    pilot = TRIAGE
    if before == "pause":
        assert imported("pause", pilot, "--reason", "even wachten").exit_code == 0
    if before == "review":  # governance re-opened after it was passed
        pilot = LETTER
        for role, by in (("privacy_officer", "M. de Vries"),
                         ("information_security_officer", "R. Bakker")):  # fmt: skip
            assert imported("approve", pilot, "--role", role, "--by", by).exit_code == 0
        assert imported("advance", pilot).exit_code == 0
        path = examples_copy / f"{pilot}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8").replace("2025-11-20", "2026-05-13"), encoding="utf-8"
        )
        assert imported("import", path).exit_code == 0
    unexplained = imported(*command(pilot, "--reason", "  "))
    assert unexplained.exit_code == 2, unexplained.output
    if way == "advance":  # decide has no --dry-run
        dry = imported(*command(pilot, "--reason", "valt onder Art. 5", "--dry-run"))
        assert dry.exit_code == 0, dry.output
        assert dry.stdout.startswith(f"would move {pilot}: ")
        assert kinds(imported, pilot)[-1]["kind"] != "decided"
    stopped = imported(*command(pilot, "--reason", "valt onder Art. 5"))
    assert stopped.exit_code == 0, stopped.output
    last = kinds(imported, pilot)[-1]
    assert (last["kind"], last["reason"]) == ("decided", "valt onder Art. 5")
    assert last["payload"] == {"decision": "stop", "outcome": "stopped", "iteration": 0}
    status = json.loads(imported("status", "--json", "--stage", "stopped").stdout)
    assert pilot in {p["id"] for p in status["pilots"]}
    again = imported(*command(pilot, "--reason", "nogmaals"))
    assert again.exit_code == 1
    assert "has ended (stopped)" in again.stderr


@pytest.mark.store(engines=("sqlite",))
def test_stopping_is_not_an_override(imported: Run) -> None:
    forced = imported("advance", TRIAGE, "--outcome", "stopped", "--force", "--reason", "x")
    assert forced.exit_code == 2
    assert "--force does not apply to stopping" in forced.stderr
    assert kinds(imported, TRIAGE)[-1]["kind"] == "imported"


@pytest.mark.store(engines=("sqlite",))
@pytest.mark.parametrize(
    "command",
    [("decide", "ggz-intake-samenvatting", "scale"),
     ("advance", "ggz-intake-samenvatting", "--outcome", "scaled")],
)  # fmt: skip
def test_the_owner_scales_their_pilot_neither_way(
    run: Run, examples_copy: Path, command: tuple[str, ...]
) -> None:
    path = examples_copy / "ggz-intake-samenvatting.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("outcome: scaled\n", ""), encoding="utf-8"
    )
    assert run("import", path).exit_code == 0
    refused = run(*command, "--reason", "doelen gehaald", "--by", "Drs. F. Bos")
    assert refused.exit_code == 1
    assert "Drs. F. Bos owns ggz-intake-samenvatting and cannot decide to scale it" in (
        refused.stderr
    )
    assert kinds(run, "ggz-intake-samenvatting")[-1]["kind"] == "measured"  # nothing since
    assert run(*command, "--reason", "doelen gehaald", "--by", "RvB").exit_code == 0


# 3. Names that deceive

ANSI = re.compile(r"\x1b\[[0-9;]*m")
HIDING = ("\u202e", "\u200b", "\u2066", "\u200d", "\u00ad", "\x07", "\ufeff")


def _deceiving(folder: Path) -> Path:
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("name: Automatische gespreksverslagen cardiologie",
         'name: "Automatische gespreksverslagen \\u202Eeigoloidrac"'),
        ("department: Cardiologie", 'department: "Cardio\\u200Blogie\\uFEFF"'),
        ("name: Documentatietijd per consult,", 'name: "Documentatietijd\\u2066 per consult",'),
        ("by: M. de Vries,", 'by: "M. de\\u200D Vries",'),
        ("champions: [Dr. K. Smit]", 'champions: ["Dr. K.\\u00ADSmit\\a"]'),
    ):  # fmt: skip
        assert old in text
        text = text.replace(old, new)
    return write(folder / f"{SCRIBE}.yaml", text)


def test_validate_warns_about_every_hiding_character_naming_pilot_and_field(
    run: Run, tmp_path: Path
) -> None:
    path = _deceiving(tmp_path)
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    warned = {
        line.split(": ")[2]: line
        for line in result.stdout.splitlines()
        if line.endswith("[hidden-character]")
    }
    assert set(warned) == {
        "name", "department", "start_klein.kpis[0].name", "governance.approvals[0].by",
        "skills.champions[0]",
    }  # fmt: skip
    assert all(f"pilot '{SCRIBE}'" in line and ": warning: " in line for line in warned.values())
    assert "U+202E (right-to-left override)" in warned["name"]
    assert "U+200B (zero width space), U+FEFF (zero width no-break space)" in warned["department"]
    assert "U+00AD (soft hyphen), U+0007" in warned["skills.champions[0]"]
    assert not any(ch in result.stdout for ch in HIDING)
    assert run("validate", "--strict", path).exit_code == 1


def test_an_owner_named_with_a_hiding_character_stays_an_error(run: Run, tmp_path: Path) -> None:
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    path = write(tmp_path / "o.yaml", text.replace("Dr. A. Jansen", '"Dr. A.\\u202e Jansen"'))
    result = run("validate", path)
    assert result.exit_code == 1
    assert "owner.name: owner.name 'Dr. A.\\u202e Jansen' contains U+202E" in result.stdout
    assert "[hidden-character]" not in result.stdout  # one finding for one problem


@pytest.mark.store(engines=("sqlite",))
def test_hiding_characters_show_escaped_wherever_they_are_shown(run: Run, tmp_path: Path) -> None:
    path = _deceiving(tmp_path / "pilots")
    validated = run("validate", "--quiet", path)
    imported = run("import", path)
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.startswith(validated.stdout)  # import warns as validate does
    decided = run("decide", SCRIBE, "stop", "--reason", "leverancier\u202e stopt")
    assert decided.exit_code == 0
    report = tmp_path / "report.html"
    assert run("report", "-o", report).exit_code == 0
    terminal = {"FORCE_COLOR": "1", "COLUMNS": "200"}
    shown = {
        "status": run("status").stdout,
        "status on a terminal": run("status", env=terminal).stdout,
        "show": run("show", SCRIBE, env=terminal).stdout,
        "history": run("history", SCRIBE, env=terminal).stdout,
        "kpis": run("kpis", SCRIBE, env=terminal).stdout,
        "report": report.read_text(encoding="utf-8"),
    }
    for view, text in shown.items():
        assert not any(ch in text for ch in HIDING), view
    for view in ("status", "status on a terminal", "show", "report"):
        assert "gespreksverslagen \\u202ee" in ANSI.sub("", shown[view]), view
    assert "Cardio\\u200blogie\\ufeff" in shown["show"]
    assert "leverancier\\u202e stopt" in ANSI.sub("", shown["history"])
    for args in (("status", "--json"), ("history", SCRIBE, "--json"), ("kpis", SCRIBE, "--json")):
        raw = run(*args).stdout
        assert not any(ch in raw for ch in HIDING), args
        assert "\\u202e" in raw or "\\u2066" in raw or args[0] == "kpis"
    as_read = json.loads(run("status", "--json").stdout)["pilots"][0]["name"]
    assert as_read == "Automatische gespreksverslagen \u202eeigoloidrac"  # the data, unchanged


# 1. Output fits the terminal

WIDTHS = (40, 80, 100, 120, 200)
LONG_ID = "zorgpad-ondersteuning-wijkverpleging-oo"  # 39 characters: fits 40, with nothing else


@pytest.fixture
def register(imported: Run, examples_copy: Path) -> Run:
    """The examples with history, a waiver, measurements, a review, a long id and people."""
    run = imported
    for role, by in (("privacy_officer", "M. de Vries"),
                     ("information_security_officer", "R. Bakker")):  # fmt: skip
        assert run("approve", LETTER, "--role", role, "--by", by).exit_code == 0
    assert run("advance", LETTER).exit_code == 0
    path = examples_copy / f"{LETTER}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2025-11-20", "2026-05-13"), encoding="utf-8"
    )
    assert run("import", path).exit_code == 0
    waived = run(
        "waive", TRIAGE, "high-risk-logs", "--until", "2027-06-30", "--role",
        "information_security_officer", "--by", "R. Bakker", "--reason",
        "logopslag wordt gemigreerd naar een omgeving met een langere bewaartermijn",
    )  # fmt: skip
    assert waived.exit_code == 0, waived.output
    trained = run("training", "import", SCRIBE, EXAMPLES / "training" / f"{SCRIBE}.csv")
    assert trained.exit_code == 0, trained.output
    for value, setting in (("11", "thuiszorg"), ("9.5", "thuiszorg"), ("10", "polikliniek")):
        measured = run("measure", SCRIBE, "documentatietijd", value, "--setting", setting)
        assert measured.exit_code == 0, measured.output
    new = run(
        "new", "--id", LONG_ID, "--name", "Ondersteuning van het zorgpad in de wijkverpleging",
        "--setting", "thuiszorg", "--department", "Wijkverpleging Oost", "--owner-name",
        "J. van den Berg-Oosterhuis", "--owner-email", "j.vandenberg@example.org",
    )  # fmt: skip
    assert new.exit_code == 0, new.output
    added = run(
        "people", "add", "ria", "--name", "Ria Ooms-van der Velde", "--email",
        "r.ooms@zorg.example", "--role", "admin", "--role", "privacy_officer",
        env={"LOGNAME": "ria", "USER": "ria"},
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return run


VIEWS = {
    "status": ("status",),
    "show": ("show", LETTER),
    "show with waivers": ("show", TRIAGE),
    "history": ("history", LETTER),
    "kpis": ("kpis", SCRIBE),
    "training": ("training", "list", SCRIBE),
    "due": ("due",),
    "metrics": ("metrics",),
    "people": ("people", "list"),
    "playbook": ("playbook", "show"),
    "gate": ("gate", TRIAGE),
    "audit": ("audit", "verify"),
    "classify": ("classify", TRIAGE),
    "import plan": ("import", "--dry-run", EXAMPLES),
}


def on_terminal(run: Run, width: int, *args: str | Path) -> list[str]:
    """What a terminal ``width`` columns wide shows, colours taken out."""
    from rich.cells import cell_len

    result = run(*args, env={"FORCE_COLOR": "1", "COLUMNS": str(width)})
    assert result.exit_code in (0, 1), result.output
    lines = ANSI.sub("", result.stdout).splitlines()
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, f"{args} at {width}: {too_wide}"
    return lines


@pytest.mark.store(engines=("sqlite",))
def test_every_view_fits_the_terminal(register: Run) -> None:
    for width in WIDTHS:
        for args in VIEWS.values():
            on_terminal(register, width, *args)


@pytest.mark.store(engines=("sqlite",))
@pytest.mark.parametrize("width", WIDTHS)
def test_status_shows_each_pilot_whole_on_one_or_two_lines(register: Run, width: int) -> None:
    lines = on_terminal(register, width, "status")
    ids = [p["id"] for p in json.loads(register("status", "--json").stdout)["pilots"]]
    body = lines[lines.index(next(line for line in lines if line.startswith("─"))) + 1 :]
    rows = [line for line in body[: 2 * len(ids)] if line.split(" ")[0] in ids]
    assert [row.split(" ")[0] for row in rows] == ids  # every id whole, at the start of a row
    if width >= 80:
        assert "stage" in lines[0] and "gate" in lines[0] and "first blocker" in lines[0]
        assert all(line.split(" ")[0] not in ids for line in body[1 : 2 * len(ids) : 2])
    if width >= 120:
        assert "setting/owner" in lines[0] and "activity" in lines[0]
    if width < 200:
        assert any(line.startswith("(left out at this width: ") for line in lines) == (width < 120)


@pytest.mark.store(engines=("sqlite",))
def test_a_terminal_without_colours_still_gets_a_fitted_status(register: Run) -> None:
    from rich.cells import cell_len

    env = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80"}
    result = register("status", env=env)
    assert result.exit_code == 0
    assert not ANSI.search(result.stdout)
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    assert result.stdout.splitlines()[0].split()[:3] == ["pilot", "stage", "gate"]


@pytest.mark.store(engines=("sqlite",))
def test_the_id_is_never_cut_even_when_nothing_else_fits(register: Run) -> None:
    lines = [
        line.rstrip() for line in on_terminal(register, 40, "status", "--setting", "thuiszorg")
    ]
    assert lines[0] == "pilot"
    assert LONG_ID in lines and "(left out at this width: stage, gate," in " ".join(lines)
    for args in (("show", LONG_ID), ("history", LONG_ID), ("kpis", SCRIBE)):
        lines = on_terminal(register, 40, *args)
        assert any(args[1] in line for line in lines), args


@pytest.mark.store(engines=("sqlite",))
def test_piped_views_have_no_trailing_spaces(register: Run) -> None:
    for env in ({}, {"COLUMNS": "80"}):
        for args in VIEWS.values():
            result = register(*args, env=env)
            assert result.exit_code in (0, 1), result.output
            padded = [line for line in result.stdout.splitlines() if line.endswith(" ")]
            assert not padded, (args, env, padded)


@pytest.mark.store(engines=("sqlite",))
def test_every_table_row_is_labelled(register: Run) -> None:
    kpis = on_terminal(register, 120, "kpis", SCRIBE)
    body = kpis[kpis.index(next(line for line in kpis if line.startswith("─"))) + 1 :]
    assert [line.split()[:2] for line in body] == [
        ["documentatietijd", "all"], ["documentatietijd", "polikliniek"],
        ["documentatietijd", "thuiszorg"], ["tevredenheid-arts", "all"], ["correcties", "all"],
    ]  # fmt: skip
    metrics = on_terminal(register, 80, "metrics")
    per_stage = metrics[metrics.index(next(m for m in metrics if m.startswith("stage"))) + 2 :]
    assert [line.split()[0] for line in per_stage[:7]] == [
        "start-klein", "governance", "skills", "synthetic-data", "bijsturen", "scaled", "stopped",
    ]  # fmt: skip


# 2. Hints keep their promises


@pytest.mark.store(engines=("sqlite",))
def test_show_lists_the_roles_a_governance_review_still_needs(register: Run) -> None:
    ria = {"LOGNAME": "ria", "USER": "ria"}  # in the directory, as privacy_officer
    refused = register("advance", LETTER, env=ria)
    assert refused.exit_code == 1
    assert f"`pilots show {LETTER}` lists what is left" in refused.stderr
    shown = " ".join(" ".join(on_terminal(register, 200, "show", LETTER)).split())
    assert (
        "Still needed: approvals (approval as privacy_officer and information_security_officer: "
        f"`pilots approve {LETTER} --role ROLE`, not by its owner)."
    ) in shown
    approved = register("approve", LETTER, "--role", "privacy_officer", env=ria)
    assert approved.exit_code == 0, approved.output
    assert "still needs: approvals (approval as information_security_officer" in approved.stdout
    shown = " ".join(register("show", LETTER).stdout.split())
    assert "Still needed: approvals (approval as information_security_officer:" in shown


@pytest.mark.store(engines=("sqlite",))
def test_a_refused_gate_offers_force_only_where_it_can_pass(run: Run, examples_copy: Path) -> None:
    path = examples_copy / f"{LETTER}.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    system: ai-system\n", ""), encoding="utf-8"
    )
    assert (
        run("import", path, examples_copy / "patientvragen-chatbot-thuiszorg.yaml").exit_code == 0
    )
    chatbot = run("advance", "patientvragen-chatbot-thuiszorg")
    assert chatbot.exit_code == 1
    assert "or pass --force --reason" in chatbot.stderr
    refused = run("advance", LETTER)
    assert refused.exit_code == 1
    assert "or pass --force" not in refused.stderr
    assert (
        "meet them: ai-act-classified, risk-class-consistent can never be overridden, not even "
        "with --force"
    ) in refused.stderr
    forced = run("advance", LETTER, "--force", "--reason", "x", "--by", "RvB")
    assert forced.exit_code == 1 and "cannot be forced past ai-act-classified" in forced.stderr


@pytest.mark.store(engines=("sqlite",))
def test_decide_scale_never_offers_an_option_it_does_not_have(
    run: Run, examples_copy: Path
) -> None:
    path = examples_copy / "ggz-intake-samenvatting.yaml"
    text = path.read_text(encoding="utf-8").replace("outcome: scaled\n", "")
    path.write_text(text[: text.index("  measurements:")], encoding="utf-8")  # none measured
    assert run("import", path).exit_code == 0
    refused = run("decide", "ggz-intake-samenvatting", "scale", "--reason", "x", "--by", "RvB")
    assert refused.exit_code == 1
    assert "cannot leave bijsturen" in refused.stderr
    assert "--force" not in refused.stderr  # decide has no --force
    assert "hint: meet them; `pilots gate ggz-intake-samenvatting` says how" in refused.stderr


@pytest.mark.store(engines=("sqlite",))
def test_hints_name_what_really_shows_it(imported: Run) -> None:
    filtered = imported("status", "--stage", "bijsturen")
    assert filtered.exit_code == 0
    assert filtered.stdout.strip() == (
        "no pilots match --stage bijsturen; leave it out to see the whole portfolio"
    )
    two = imported("status", "--stage", "bijsturen", "--owner", "Jansen")
    assert "no pilots match --stage bijsturen --owner Jansen; leave them out" in two.stdout
    unknown = imported("show", "onbekend")
    assert unknown.exit_code == 2
    assert "`pilots status --all` lists every pilot in the register" in unknown.stderr
    incomplete = imported("classify", "overdracht-verpleeghuis")
    assert incomplete.exit_code == 1
    assert "`pilots classify overdracht-verpleeghuis --ask -o FILE` asks" in incomplete.stderr


@pytest.mark.store  # the reason column holds 4000 characters: PostgreSQL enforces it
def test_an_override_too_long_to_record_fails_validate_as_import_refuses_it(
    run: Run, tmp_path: Path
) -> None:
    text = (EXAMPLES / f"{TRIAGE}.yaml").read_text(encoding="utf-8")
    override = (
        "overrides:\n  - {stage: governance, by: RvB, date: 2026-11-01, failing: "
        "[high-risk-logs, approvals, high-risk-approval], reason: " + "x" * 3990 + "}\n"
    )
    path = write(tmp_path / "t.yaml", text.replace("stage: governance\n", "stage: skills\n")
                 + override)  # fmt: skip
    validated = run("validate", path)
    assert validated.exit_code == 1
    assert "overrides[0].reason: importing records this override" in validated.stdout
    assert re.search(r"shorten the reason by \d+ characters or more \[override-reason\]$",
                     validated.stdout.splitlines()[-2])  # fmt: skip
    refused = run("import", path, "--by", "RvB")
    assert refused.exit_code == 1
    assert "[override-reason]" in refused.stdout
    shorter = write(path, path.read_text(encoding="utf-8").replace("x" * 3990, "x" * 3700))
    assert run("validate", shorter).exit_code == 0
    imported = run("import", shorter, "--by", "RvB")
    assert imported.exit_code == 0, imported.output
    forced = kinds(run, TRIAGE)[-1]
    assert forced["kind"] == "override"
    assert forced["reason"] == f"imported from {path}: overridden by RvB on 2026-11-01: " + (
        "x" * 3700
    )


@pytest.mark.store(engines=("sqlite",))
def test_new_warns_about_a_hiding_character_as_validate_does(run: Run) -> None:
    created = run(
        "new", "--id", "bidi-pilot", "--name", "Spraak\u202eherkenning", "--setting", "ggz",
        "--department", "GGZ", "--owner-name", "I. Vos", "--owner-email", "i.vos@example.org",
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert (
        "warning: --name: the text of pilot 'bidi-pilot' contains U+202E (right-to-left override)"
    ) in created.stdout
    assert "\u202e" not in created.stdout
    assert "Spraak\\u202eherkenning" in run("status", "--json").stdout  # the data, escaped


def test_dash_as_output_is_stdout_where_a_stream_fits(
    imported: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-o -`` writes to stdout, as for most tools (it once made a directory named ``-``)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    to_stdout = imported("export", TRIAGE, "-o", "-")
    assert to_stdout.exit_code == 0, to_stdout.output
    assert to_stdout.stdout == imported("export", TRIAGE).stdout
    assert f"id: {TRIAGE}" in to_stdout.stdout
    report = imported("report", "-o", "-")
    assert report.exit_code == 0, report.output
    assert report.stdout.startswith("<!DOCTYPE html>")
    anchor = imported("audit", "anchor", "-o", "-")
    assert anchor.exit_code == 0, anchor.output
    assert json.loads(anchor.stdout)["format"] == "genai-pilots-anchor/1"
    asked = imported("classify", TRIAGE, "--ask", "-o", "-", input="")
    assert asked.exit_code == 2
    assert asked.stderr.startswith("error: -o - would mix the answers with the questions")
    assert list(work.iterdir()) == []  # no file and no folder named "-"
