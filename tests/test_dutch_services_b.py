"""Dutch from the services and the store: refusals and hints people read, in Dutch with
``--lang nl``; what the tool records stays English whatever the language."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, write

LETTER = "ontslagbrief-interne-geneeskunde"
OWNER = "Dr. S. El Amrani"
SCRIBE = "ambient-scribe-cardiologie"


@pytest.fixture
def imported(run: Run) -> Run:
    files = [EXAMPLES / f"{name}.yaml" for name in (LETTER, SCRIBE)]
    result = run("import", *files, "--by", "innovatie")
    assert result.exit_code == 0, result.output
    return run


def nl(run: Run, *args: str | Path) -> tuple[int, str]:
    """Run a command in Dutch: its exit code and its output with the lines joined."""
    result = run("--lang", "nl", *args)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.store(engines=("sqlite",))
def test_advance_refused_in_dutch_with_its_hint(imported: Run) -> None:
    code, said = nl(imported, "advance", LETTER)
    assert code == 1
    assert f"{LETTER} kan governance niet verlaten: 1 criterium niet voldaan (approvals)" in said
    assert "voldoe eraan, of geef --force --reason '...' op voor een doorbraak" in said
    code, said = nl(imported, "advance", LETTER, "--force")
    assert code == 2
    assert "--force vraagt om --reason: bij een doorbraak hoort een onderbouwing" in said
    english = imported("advance", LETTER)
    assert f"{LETTER} cannot leave governance: 1 criterion not met (approvals)" in english.stderr


@pytest.mark.store(engines=("sqlite",))
def test_four_eyes_refusals_in_dutch(imported: Run) -> None:
    code, said = nl(imported, "approve", LETTER, "--role", "privacy_officer", "--by", OWNER)
    assert code == 1
    assert (
        f"is eigenaar van {LETTER} en mag niet zelf de pilot goedkeuren (vier-ogenprincipe)" in said
    )
    assert "iemand anders dan de eigenaar neemt dit besluit" in said
    code, said = nl(imported, "approve", LETTER, "--role", "dpo", "--by", "M. de Vries")
    assert code == 2
    assert f"de poort van governance vraagt voor {LETTER} niet om de rol 'dpo'" in said
    assert "de poort vraagt om: privacy_officer" in said
    assert (
        imported("pause", LETTER, "--reason", "DPIA herzien", "--by", "M. de Vries").exit_code == 0
    )
    code, said = nl(imported, "resume", LETTER, "--reason", "klaar", "--by", OWNER)
    assert code == 1
    assert (
        "die door M. de Vries is gepauzeerd; de eigenaar mag de pilot niet zelf hervatten" in said
    )
    assert "vraag M. de Vries (of iemand anders) de pilot te hervatten" in said


def test_a_store_that_cannot_be_opened_says_so_in_dutch(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nergens.db"
    code, said = nl(run, "status", "--db", f"sqlite:///{missing}")
    assert code == 2
    assert f"er is geen database op {missing}: daar is nog niets geïmporteerd" in said
    assert "`pilots import` begint een nieuw register" in said
    assert not missing.exists()
    foreign = tmp_path / "ander.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE patient (id INTEGER)")
    connection.close()
    code, said = nl(run, "status", "--db", f"sqlite:///{foreign}")
    assert code == 2
    assert f"{foreign} is geen database van genai-pilots: het bestand bevat andere tabellen" in said
    code, said = nl(run, "status", "--db", str(foreign))
    assert code == 2
    assert f"--db (en GENAI_PILOTS_DB) verwacht een database-URL, en '{foreign}' is een pad" in said


@pytest.mark.store(engines=("sqlite",))
def test_measure_errors_in_dutch(imported: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path / "metingen.csv",
        "kpi,date,value\ndocumentatietijd,2026-04-01,11\ndocumentatietijd,2026-13-01,9\n",
    )
    code, said = nl(imported, "measure", SCRIBE, "--csv", path)
    assert code == 2
    assert f"{path}:3: " in said and "; er is niets opgeslagen" in said
    assert "herstel het bestand en voer de opdracht opnieuw uit" in said
    code, said = nl(
        imported, "retract", SCRIBE, "documentatietijd", "2026-04-01", "--reason", "typfout"
    )
    assert code == 1
    assert f"{SCRIBE} heeft op 1 april 2026 geen geldige meting van documentatietijd" in said
    code, said = nl(imported, "show", "bestaat-niet")
    assert code == 2
    assert "geen pilot met id 'bestaat-niet'" in said
    assert "`pilots status --all` toont alle pilots in het register" in said


@pytest.mark.store(engines=("sqlite",))
def test_what_a_dutch_command_records_stays_english(imported: Run, tmp_path: Path) -> None:
    light = write(
        tmp_path / "light.yaml",
        "name: light\nextends: default\ngates:\n  governance:\n    - {id: approvals, kind: "
        "approvals, roles: [privacy_officer], says: FG, hint: Ask.}\n",
    )
    assert imported("playbook", "set", light, "--reason", "x", "--allow-weaker").exit_code == 0
    code, said = nl(imported, "approve", LETTER, "--role", "privacy_officer", "--by", "M. de Vries")
    assert code == 0, said
    code, said = nl(imported, "advance", LETTER, "--by", OWNER)
    assert code == 1
    assert (
        "mag niet zelf de poort passeren onder een playbook dat minder vraagt dan het "
        "standaardplaybook (vier-ogenprincipe)"
    ) in said
    code, said = nl(imported, "advance", LETTER, "--by", "rvb")
    assert code == 0, said
    history = imported("--lang", "nl", "history", LETTER, "--json")
    last = json.loads(history.stdout)["events"][-1]
    assert last["kind"] == "override"
    assert last["reason"] == "passed under playbook light, weaker than the default"
    approved = [e for e in json.loads(history.stdout)["events"] if e["kind"] == "approved"]
    assert approved and approved[-1]["actor"] == "M. de Vries"
