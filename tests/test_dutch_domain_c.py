"""Dutch for people, English for programs: what is due, measurement and incident errors, a broken
audit chain and anchor, synthetic-data errors and verdicts (``--lang nl``; ``--json`` English)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from genai_pilots import i18n
from genai_pilots.domain.anchor import Head, parse_anchor
from genai_pilots.domain.synthetic import EvaluationRecord, Thresholds, shortfalls
from tests.conftest import EXAMPLES, Run, set_today, tamper, write

SCRIBE = "ambient-scribe-cardiologie"
TRIAGE = "triage-huisartsenpost"
LETTER = "ontslagbrief-interne-geneeskunde"
SYNTH = "opnameplanning-kliniek"
START = dt.date(2026, 3, 2)


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def imported(run: Run, examples_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The examples on 2 March 2026, a waiver of the triage gate until the 20th."""
    set_today(monkeypatch, START)
    ok(run("import", examples_copy, "--by", "innovatie"))
    ok(run("waive", TRIAGE, "high-risk-logs", "--until", "2026-03-20", "--reason", "x",
           "--role", "information_security_officer", "--by", "R. Bakker"))  # fmt: skip
    return run


@pytest.mark.store
def test_due_lines_and_within_errors_in_dutch_and_json_in_english(imported: Run) -> None:
    ok(imported("incident", "add", SCRIBE, "--summary", "verkeerde dosering", "--occurred",
                "2026-02-26", "--aware", "2026-02-27", "--serious"))  # fmt: skip
    due = imported("due", "--lang", "nl")
    assert due.exit_code == 1, due.output  # the provider is overdue
    lines = due.stdout.splitlines()
    waiver = next(x for x in lines if "high-risk-logs" in x)
    assert "ontheffing van high-risk-logs verloopt" in waiver
    assert "poort uit governance, verleend door R. Bakker; voldoe aan het criterium of " in waiver
    waiting = next(x for x in lines if LETTER in x)
    assert "wacht op goedkeuring van privacy_officer, information_security_officer" in waiting
    assert "poort uit governance (approvals); in governance sinds 2 maart 2026" in waiting
    late = next(x for x in lines if SCRIBE in x and "aanbieder" in x)
    said = "incident 1: de melding aan de aanbieder (leverancier) van het AI-systeem is te laat"
    assert said in late
    assert "AI-verordening art. 26 lid 5: onverwijld; bekend sinds 27 februari 2026: " in late
    authority = next(x for x in lines if "markttoezichtautoriteit" in x)
    assert "incident 1: melden aan de markttoezichtautoriteit" in authority
    assert "art. 73 lid 2: binnen 15 dagen na kennisname" in authority

    bad = imported("due", "--within", "30m", "--lang", "nl")
    assert bad.exit_code == 2
    assert "--within: '30m' is geen aantal dagen of weken; schrijf bijvoorbeeld 30d, 8w of 30" in (
        bad.stderr
    )
    far = imported("due", "--within", "4000d", "--lang", "nl")
    assert "--within: '4000d' ligt meer dan tien jaar vooruit; schrijf hoogstens 3660d" in (
        far.stderr
    )

    items = json.loads(imported("due", "--lang", "nl", "--json").stdout)["items"]
    by_kind = {(i["kind"], i["key"]): i for i in items}
    assert by_kind[("waiver", "high-risk-logs")]["what"] == "waiver of high-risk-logs expires"
    assert by_kind[("approval", "approvals")]["detail"] == (
        "gate out of governance (approvals); in governance since 2026-03-02"
    )
    assert by_kind[("incident", "1-provider")]["detail"] == (
        "AI Act Art. 26(5): without delay; aware since 2026-02-27: verkeerde dosering"
    )


@pytest.mark.store
def test_measurement_and_incident_errors_in_dutch(imported: Run, tmp_path: Path) -> None:
    future = imported("measure", SCRIBE, "documentatietijd", "13", "--date", "2026-04-01",
                      "--lang", "nl")  # fmt: skip
    assert future.exit_code == 2
    assert (
        f"{SCRIBE}: datum 1 april 2026 ligt in de toekomst (vandaag is het 2 maart 2026); leg de "
        "meting vast als die gedaan is"
    ) in future.stderr
    unknown = imported("measure", SCRIBE, "wachttijd", "13", "--lang", "nl")
    assert unknown.exit_code == 2
    assert "geen KPI 'wachttijd' (KPI's: documentatietijd, tevredenheid-arts, correcties)" in (
        unknown.stderr
    )
    csv = write(tmp_path / "m.csv", "kpi;date;value;setting\ndocumentatietijd;1-3-2026;3;kantine\n")
    row = imported("measure", SCRIBE, "--csv", csv, "--lang", "nl")
    assert row.exit_code == 2
    assert "m.csv:2: kolom D (setting): 'kantine' is niet een van " in row.stderr
    occurred = imported("incident", "add", SCRIBE, "--summary", "x", "--occurred", "2026-03-20",
                        "--lang", "nl")  # fmt: skip
    assert occurred.exit_code == 2
    assert "het kan niet in de toekomst zijn gebeurd (20 maart 2026); geef de dag waarop het " in (
        occurred.stderr
    )
    order = imported("incident", "add", SCRIBE, "--summary", "x", "--occurred", "2026-03-01",
                     "--aware", "2026-02-27", "--lang", "nl")  # fmt: skip
    said = "de kennisname (27 februari 2026) ligt vóór het incident (1 maart 2026); controleer "
    assert said in order.stderr
    english = imported("measure", SCRIBE, "wachttijd", "13", "--lang", "en")
    assert "no KPI 'wachttijd' (KPIs: documentatietijd, tevredenheid-arts, correcties)" in (
        english.stderr
    )


@pytest.mark.store
def test_a_broken_chain_and_anchor_in_dutch_and_json_in_english(
    imported: Run, tmp_path: Path
) -> None:
    path = tmp_path / "pilots.anchor.json"
    ok(imported("audit", "anchor", "-o", path))
    anchor = parse_anchor(path.read_text(encoding="utf-8"))
    forged = type(anchor)(anchor.created, {**anchor.heads, LETTER: Head(1, "0" * 64)})
    other = write(tmp_path / "forged.anchor.json", forged.as_json())
    moved = imported("audit", "verify", "--anchor", other, "--lang", "nl")
    assert moved.exit_code == 1, moved.output
    assert (
        f"{LETTER} bij gebeurtenis #1: dit is niet de gebeurtenis die op 2 maart 2026 09:00 UTC is "
        "verankerd: de geschiedenis tot aan het anker is herschreven"
    ) in moved.stdout
    edited = write(tmp_path / "edited.anchor.json", other.read_text().replace("0" * 64, "1" * 64))
    refused = imported("audit", "verify", "--anchor", edited, "--lang", "nl")
    assert refused.exit_code == 2
    assert "de root-hash past niet bij de inhoud: het bestand is bewerkt" in refused.stderr
    junk = imported("audit", "verify", "--anchor", write(tmp_path / "x.json", "{}"), "--lang", "nl")
    assert 'geen ankerbestand: er staat niet "format": "genai-pilots-anchor/1" in' in junk.stderr

    tamper(f"UPDATE event SET reason = 'anders' WHERE pilot_id = '{TRIAGE}' AND seq = 1")
    broken = imported("audit", "verify", "--lang", "nl")
    assert broken.exit_code == 1
    assert (
        f"{TRIAGE} bij gebeurtenis #1: de inhoud is gewijzigd nadat de gebeurtenis was vastgelegd"
    ) in broken.stdout
    data = json.loads(imported("audit", "verify", "--lang", "nl", "--json").stdout)
    assert data["broken"] == [
        {"pilot": TRIAGE, "event": 1, "problem": "its content was changed after it was recorded"}
    ]


@pytest.mark.store
def test_synthetic_file_errors_in_dutch_at_the_same_place(run: Run, tmp_path: Path) -> None:
    ok(run("import", EXAMPLES / "synthetic" / f"{SYNTH}.yaml", "--by", "innovatie"))
    header = "leeftijd;afdeling;opnamedatum;ligduur;notitie"
    rows = [f"{40 + i};Geriatrie;{i + 1}-1-2025;{i + 2};geen" for i in range(3)]
    real = write(tmp_path / "real.csv", "\n".join([header, *rows, "61;Longziekten;1-2-2025;5;"]))
    cases = {
        header + "\n": "synth.csv: het heeft een kopregel maar geen rijen",
        "a;a\n1;2\n": "synth.csv:1: kolom B: de kolomnaam 'a' komt twee keer voor",
        "\n".join([header, *rows, "50;Geriatrie;1-1-2025;veel;x"]): "synth.csv:5: kolom D "
        "(ligduur): 'veel' is geen getal, terwijl deze kolom in real.csv uit getallen bestaat",
        "\n".join([header.replace("notitie", "opmerking"), *rows]): "synth.csv:1: het mist "
        "notitie; het heeft opmerking, die het echte bestand niet heeft (beide bestanden moeten "
        "dezelfde kolommen hebben)",
    }
    for text, says in cases.items():
        path = write(tmp_path / "synth.csv", text)
        result = run("synth", "evaluate", SYNTH, "opnames", "--real", real, "--synthetic", path,
                     "--lang", "nl")  # fmt: skip
        assert result.exit_code == 2, result.output
        assert says in result.stderr.replace(str(tmp_path) + "/", ""), result.stderr


def test_shortfalls_give_dutch_numbers_and_dates() -> None:
    record = EvaluationRecord("opnames", 0.5, 0.95, 2, 0, near_copies=30, synthetic_rows=1000,
                              declared="x", evaluated_on=dt.date(2025, 1, 15))  # fmt: skip
    limits = Thresholds(0.8, 0.9, 0, 0)
    try:
        i18n.use("nl")
        dutch = shortfalls(record, limits, declared="x", today=dt.date(2026, 3, 2))
    finally:
        i18n.use("en")
    assert dutch == [
        "geëvalueerd op 15 januari 2025, meer dan 365 dagen geleden",
        "kwaliteit 0,50 (minimaal 0,80 nodig)",
        "2 exacte kopieën van echte rijen (hoogstens 0)",
        "30 bijna-kopieën van echte rijen (gelijk op één kolom na, of met de eigen getallen en "
        "datums van een echte rij; 3,0% van de synthetische rijen, hoogstens 1,0%)",
    ]
    english = shortfalls(record, limits, declared="x", today=dt.date(2026, 3, 2))
    assert english[1:2] == ["quality 0.50 (needs >= 0.80)"]
    assert "3.0% of the synthetic rows, at most 1.0%)" in english[3]
