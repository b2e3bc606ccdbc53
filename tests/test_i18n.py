"""Dutch and English: how the language is chosen, what never changes with it, the catalog."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from genai_pilots import i18n
from tests.conftest import EXAMPLES, INVALID, REPO, Run, png_ink, write

SCRIBE = "ambient-scribe-cardiologie"


@pytest.mark.parametrize(
    ("option", "environ", "expected"),
    [
        (None, {}, "en"),
        (None, {"LANG": "nl_NL.UTF-8"}, "nl"),
        (None, {"LANG": "nl_BE"}, "nl"),
        (None, {"LANG": "nl_NL.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),  # LC_ALL decides first
        (None, {"LC_MESSAGES": "nl_NL", "LANG": "en_US.UTF-8"}, "nl"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),  # a locale we lack: English, quietly
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"GENAI_PILOTS_LANG": "en", "LANG": "nl_NL.UTF-8"}, "en"),
        (None, {"GENAI_PILOTS_LANG": "nl", "LC_ALL": "en_US.UTF-8"}, "nl"),
        ("nl", {"GENAI_PILOTS_LANG": "en"}, "nl"),
        ("en", {"LANG": "nl_NL.UTF-8"}, "en"),
    ],
)
def test_the_language_follows_option_then_variable_then_locale(
    option: str | None, environ: dict[str, str], expected: str
) -> None:
    assert i18n.chosen(option, environ) == expected


def test_a_language_asked_for_by_name_must_be_one_we_have() -> None:
    with pytest.raises(ValueError):
        i18n.chosen("de", {})
    with pytest.raises(ValueError):
        i18n.chosen(None, {"GENAI_PILOTS_LANG": "fr"})


def test_dutch_conventions_for_people() -> None:
    day = dt.date(2026, 11, 30)
    assert (i18n.day(day), i18n.week(day), i18n.number(12345.5, ",.1f")) == (
        "2026-11-30", "2026-11-30", "12,345.5",
    )  # fmt: skip
    i18n.use("nl")
    assert i18n.day(day) == "30 november 2026"
    assert i18n.day(dt.date(2027, 3, 1)) == "1 maart 2027"
    assert i18n.week(day) == "30 november 2026 (week 49)"
    assert i18n.week(dt.date(2027, 1, 1)) == "1 januari 2027 (week 53)"  # ISO weeks
    assert i18n.moment(dt.datetime(2026, 11, 30, 9, 5)) == "30 november 2026 09:05"
    assert i18n.number(12345.5, ",.1f") == "12.345,5"
    assert i18n.number(0.25, ".0%") == "25%"
    with i18n.machine():
        assert i18n.day(day) == "2026-11-30"
    assert i18n.current() == "nl"


@pytest.mark.store(fast=("sqlite",))
def test_lang_is_read_wherever_it_is_given(run: Run) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    dutch = "Een scholingsplan voor AI-geletterdheid"
    english = "A training plan for AI literacy"
    assert english in run("gate", SCRIBE).output
    first = run("--lang", "nl", "gate", SCRIBE).output
    assert dutch in first
    assert run("gate", SCRIBE, "--lang", "nl").output == first
    assert run("gate", "--lang=nl", SCRIBE).output == first
    assert run("gate", SCRIBE, env={"GENAI_PILOTS_LANG": "nl"}).output == first
    locale = {"GENAI_PILOTS_LANG": "", "LANG": "nl_NL.UTF-8"}
    assert run("gate", SCRIBE, env=locale).output == first
    assert english in run("gate", SCRIBE, "--lang", "en", env=locale).output
    # each run chooses again: a Dutch run leaves nothing behind for the next
    assert english in run("gate", SCRIBE).output


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["--lang", "de", "status"], {}, "--lang"),
        (["status", "--lang", "xx"], {}, "--lang"),
        (["status"], {"GENAI_PILOTS_LANG": "frysk"}, "GENAI_PILOTS_LANG"),
    ],
)
def test_a_language_we_lack_is_a_usage_error(
    run: Run, args: list[str], env: dict[str, str], named: str
) -> None:
    result = run(*args, env=env)
    assert result.exit_code == 2
    assert named in result.output and "nl or en" in result.output


@pytest.mark.store(fast=("sqlite",))
def test_machine_formats_do_not_change_with_the_language(run: Run, tmp_path: Path) -> None:
    """JSON, SARIF, JUnit and GitHub annotations are read by programs: byte for byte the same,
    messages included, whatever language people read."""
    assert run("import", EXAMPLES).exit_code == 0
    commands: list[list[str | Path]] = [
        ["status", "--json"],
        ["gate", SCRIBE, "--json"],
        ["history", SCRIBE, "--json"],
        ["due", "--json"],
        ["due", "--ical"],
        ["metrics", "--json"],
        ["kpis", SCRIBE, "--json"],
        *(["validate", "--format", f, INVALID] for f in ("json", "sarif", "junit", "github")),
    ]
    for args in commands:
        english = run(*args)
        dutch = run("--lang", "nl", *args)
        assert english.stdout, args
        assert (dutch.exit_code, dutch.stdout) == (english.exit_code, english.stdout), args
    out_en, out_nl = tmp_path / "en", tmp_path / "nl"
    assert run("export", "-o", out_en).exit_code == 0
    assert run("--lang", "nl", "export", "-o", out_nl).exit_code == 0
    for path in sorted(out_en.iterdir()):
        assert (out_nl / path.name).read_bytes() == path.read_bytes(), path.name


def test_playbook_texts_fall_back_to_the_other_language_and_validate_warns(
    run: Run, tmp_path: Path
) -> None:
    playbook = write(
        tmp_path / "playbook.yaml",
        """\
name: eigen
extends: default
gates:
  start-klein:
    - id: scope
      kind: present
      field: start_klein.scope
      says: {nl: Een afgebakende opzet}
      hint:
        en: Describe the scope.
        nl: Beschrijf de opzet.
    - id: owner-named
      kind: present
      field: owner.name
      says: An owner named
      hint: {en: Name an owner., nl: Noem een eigenaar.}
""",
    )
    checked = run("playbook", "validate", playbook)
    assert checked.exit_code == 0, checked.output
    lines = [line for line in checked.output.splitlines() if ": warning: " in line]
    assert lines == [
        f"{playbook}:8:13: warning: gates.start-klein[0].says: no English text (en); English "
        "readers see the Dutch one [playbook]",
        f"{playbook}:15:13: warning: gates.start-klein[1].says: one text for both languages; "
        "write {en: ..., nl: ...} to give each its own [playbook]",
    ]
    definition = write(tmp_path / "def.yaml", (EXAMPLES / f"{SCRIBE}.yaml").read_text())
    english = run("validate", definition, "--playbook", playbook)
    assert english.exit_code == 0, english.output
    shown = run("playbook", "show", "--playbook", playbook)
    assert shown.exit_code == 0
    assert "Een afgebakende opzet" in shown.stdout  # only Dutch given: English readers see it
    dutch = run("--lang", "nl", "playbook", "show", "--playbook", playbook)
    assert "Een afgebakende opzet" in dutch.stdout and "An owner named" in dutch.stdout


def test_an_unknown_language_in_a_playbook_is_an_error_at_its_line(
    run: Run, tmp_path: Path
) -> None:
    playbook = write(
        tmp_path / "playbook.yaml",
        "name: eigen\nextends: default\ngates:\n  start-klein:\n    - id: scope\n"
        "      kind: present\n      field: start_klein.scope\n"
        "      says: {de: Ein Umfang}\n      hint: Describe the scope.\n",
    )
    result = run("playbook", "validate", playbook)
    assert result.exit_code == 1
    assert f"{playbook}:8:" in result.output


def test_the_catalog_has_dutch_for_every_message_and_is_current() -> None:
    """What CI asks: no message without Dutch, no catalog older than the code."""
    result = subprocess.run(
        [sys.executable, str(REPO / ".ci" / "catalog.py"), "check"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_the_catalog_check_fails_on_a_message_without_dutch(tmp_path: Path) -> None:
    """The check itself can fail: a copy of the catalog with one translation removed."""
    sys.path.insert(0, str(REPO / ".ci"))
    try:
        import catalog  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / ".ci"))
    original = catalog.CATALOG
    copy = tmp_path / "genai_pilots.po"
    text = original.read_text(encoding="utf-8")
    target = 'msgid "Show the version."\nmsgstr "'
    assert target in text
    start = text.index(target) + len(target)
    copy.write_text(text[:start] + text[text.index('"', start) :], encoding="utf-8")
    catalog.CATALOG = copy
    try:
        problems = catalog.problems()
    finally:
        catalog.CATALOG = original
    assert any("'Show the version.' has no Dutch translation" in p for p in problems), problems


@pytest.mark.store
def test_the_quick_start_in_dutch(run: Run) -> None:
    """The README's first story as a Dutch reader plays it: the same exits, in Dutch."""
    imported = run("--lang", "nl", "import", EXAMPLES)
    assert imported.exit_code == 0
    assert imported.stdout.splitlines()[-1] == "geïmporteerd: 7 nieuw, 0 bijgewerkt, 0 ongewijzigd"
    status = run("--lang", "nl", "status")
    assert "eerste blokkade" in status.stdout
    assert "opgeschaald 1 · gestopt 1" in status.stdout
    refused = run("--lang", "nl", "advance", "triage-huisartsenpost")
    assert refused.exit_code == 1
    assert "poort van governance (Sterke governance) — 17/20, niet voldaan" in refused.stdout
    assert "✗   Goedgekeurd door de FG en de CISO [approvals]" in refused.stdout
    assert "goedkeuring ontbreekt van privacy_officer, information_security_officer" in (
        refused.stdout
    )
    assert refused.stderr.startswith(
        "fout: triage-huisartsenpost kan governance niet verlaten: 3 criteria niet voldaan "
        "(high-risk-logs, approvals, high-risk-approval)\n  tip: "
    )
    shown = run("--lang", "nl", "show", "triage-huisartsenpost")
    assert "risicoklasse" in shown.stdout and "Beslishulp" in shown.stdout
    history = run("--lang", "nl", "history", SCRIBE)
    assert history.stdout.startswith(f"geschiedenis van {SCRIBE}")
    checked = run("--lang", "nl", "validate", INVALID)
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[-1] == (
        "7 bestanden gecontroleerd: 19 fouten, 0 waarschuwingen in 7 bestanden"
    )
    assert "zet het tussen aanhalingstekens" in checked.stdout


@pytest.mark.slow
@pytest.mark.store(engines=("sqlite",))
def test_the_report_renders_in_dutch_in_headless_chromium(
    run: Run, tmp_path: Path, headless_chromium: list[str]
) -> None:
    """The board report in Dutch, as a browser draws it: Dutch headings after its scripts ran,
    dates in Dutch, and charts with ink on the page."""
    assert run("import", EXAMPLES).exit_code == 0
    out = tmp_path / "rapport.html"
    assert run("--lang", "nl", "report", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl"' in html
    flags = headless_chromium
    dom = subprocess.run(
        [*flags, "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120,
        check=True,
    ).stdout  # fmt: skip
    for heading in ("Trechter", "Te doen", "AI-geletterdheid: geschoold tegenover doel"):
        assert f">{heading}<" in dom, heading
    assert "Funnel" not in dom and "Training" not in dom
    shot = tmp_path / "rapport.png"
    subprocess.run(
        [*flags, "--window-size=1200,1600", f"--screenshot={shot}", out.as_uri()],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    assert png_ink(shot) > 0.02
