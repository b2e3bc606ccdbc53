"""The command line in Dutch: help, errors and messages of the cli modules; --json stays English."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, Run

SCRIBE = "ambient-scribe-cardiologie"
# Dutch from the locale alone: our variable unset (empty counts as unset), LANG says Dutch
LOCALE_NL = {"GENAI_PILOTS_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"}


def test_help_of_a_command_is_dutch(run: Run) -> None:
    result = run("--lang", "nl", "status", "--help")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())  # Rich wraps the help: compare words
    assert "Toon het portfolio: per pilot de fase" in out
    assert "Alleen deze setting." in out
    assert "Geef JSON voor scripts (altijd Engels)." in out
    assert "The portfolio" not in out and "Only this setting." not in out


def test_help_of_the_root_lists_commands_and_environment_in_dutch(run: Run) -> None:
    out = " ".join(run("--lang", "nl", "--help").stdout.split())
    assert "Breng pilots met generatieve AI in de zorg van proeftuin naar praktijk" in out
    assert "Omgevingsvariabelen:" in out
    assert "GENAI_PILOTS_DEBUG: Zet op 1 om tracebacks" in out and "Standaard: uit." in out


def test_an_error_of_a_cli_module_is_dutch_with_its_tip(run: Run) -> None:
    result = run("--lang", "nl", "status", "--stage", "nope")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "fout: onbekende fase 'nope'",
        "  tip: gebruik een van start-klein, governance, skills, synthetic-data, bijsturen, "
        "scaled, stopped",
    ]


def test_lang_is_read_after_the_command_too(run: Run) -> None:
    result = run("due", "--json", "--ical", "--lang", "nl")
    assert result.exit_code == 2
    # --json makes the run English, its error included: scripts read it
    assert result.stderr.strip() == "error: pass --json or --ical, not both"


def test_the_same_error_without_json_is_dutch(run: Run) -> None:
    result = run("--lang", "nl", "measure", SCRIBE, "documentatietijd", "--csv", "x.csv")
    assert result.exit_code == 2
    assert result.stderr.strip() == "fout: geef KPI VALUE of --csv FILE, niet allebei"


def test_the_locale_alone_gives_dutch(run: Run) -> None:
    result = run("status", "--stage", "nope", env=LOCALE_NL)
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: onbekende fase 'nope'\n  tip: gebruik een van ")


def test_our_variable_beats_the_locale(run: Run) -> None:
    result = run("status", "--stage", "nope", env={**LOCALE_NL, "GENAI_PILOTS_LANG": "en"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown stage 'nope'\n  hint: use one of ")


def test_a_language_we_do_not_have_is_one_error_line(run: Run) -> None:
    result = run("--lang", "xx", "status")
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if "not a language" in line]
    assert len(errors) == 1 and "'xx' is not a language here; use nl or en" in errors[0]


@pytest.mark.store
def test_measurements_are_told_in_dutch_with_a_decimal_comma_and_a_dutch_date(run: Run) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    result = run(
        "--lang", "nl", "measure", SCRIBE, "documentatietijd", "10,5", "--date", "1-4-2026"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"documentatietijd = 10,5 vastgelegd voor {SCRIBE} op 1 april 2026"
    )
    again = run(
        "--lang", "nl", "measure", SCRIBE, "documentatietijd", "10.5", "--date", "2026-04-01"
    )
    assert again.stdout.strip() == (
        f"overgeslagen: documentatietijd = 10,5 op 1 april 2026 is al vastgelegd voor {SCRIBE}"
    )
    english = run("measure", SCRIBE, "documentatietijd", "9.25", "--date", "2026-04-02")
    assert english.stdout.strip() == (
        f"recorded documentatietijd = 9.25 for {SCRIBE} on 2026-04-02"
    )


@pytest.mark.store
def test_a_register_in_dutch_and_its_json_in_english(run: Run) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    paused = run("--lang", "nl", "pause", SCRIBE, "--reason", "wacht op de FG")
    assert paused.stdout.strip() == f"{SCRIBE} gepauzeerd"
    assert f"geschiedenis van {SCRIBE}" in run("--lang", "nl", "history", SCRIBE).stdout
    assert f"KPI's van {SCRIBE}" in run("--lang", "nl", "kpis", SCRIBE).stdout
    stopped = run("--lang", "nl", "decide", SCRIBE, "stop", "--reason", "geen draagvlak")
    assert stopped.stdout.strip() == f"{SCRIBE} is afgerond: gestopt"
    gate = run("--lang", "nl", "gate", SCRIBE)
    assert gate.exit_code == 1
    assert gate.stderr.strip() == f"fout: {SCRIBE} is afgerond (gestopt); er is geen open poort"
    # the same refusal where a script reads the output: English, as the JSON is
    as_json = run("--lang", "nl", "gate", SCRIBE, "--json")
    assert as_json.exit_code == 1
    assert as_json.stderr.strip() == f"error: {SCRIBE} has ended (stopped); it has no open gate"


@pytest.mark.store(engines=("sqlite",))  # a file is shown for SQLite only
def test_db_info_aligns_its_dutch_labels(run: Run) -> None:
    lines = run("--lang", "nl", "db", "info").stdout.splitlines()
    labels = [line.split(":", 1)[0] for line in lines]
    assert labels == ["url", "engine", "bestand", "revisie", "pilots", "gebeurtenissen"]
    starts = {len(line) - len(line.split(":", 1)[1].lstrip()) for line in lines}
    assert starts == {len("gebeurtenissen: ")}  # the values in one column
