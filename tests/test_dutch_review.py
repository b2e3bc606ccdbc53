"""What a Dutch-speaking reviewer found still English or undated in Dutch output."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import EXAMPLES, Run

SYNTHETIC = EXAMPLES / "synthetic"
PILOT = "opnameplanning-kliniek"


def test_history_says_how_a_pilot_entered_in_dutch(run: Run) -> None:
    assert run("import", EXAMPLES).exit_code == 0
    out = run("--lang", "nl", "history", "ambient-scribe-cardiologie").stdout
    assert "aangemaakt uit" in out and "create from" not in out and "create uit" not in out
    assert "create from" in run("history", "ambient-scribe-cardiologie").stdout


def test_ended_pilots_and_review_cadence_in_dutch(run: Run) -> None:
    imported = run("--lang", "nl", "import", EXAMPLES)
    assert "beëindigd: opgeschaald" in imported.stdout and "scaled" not in imported.stdout
    metrics = run("--lang", "nl", "metrics").stdout
    assert "opgeschaald" in metrics and "stopped" not in metrics
    pilot = "patientvragen-chatbot-thuiszorg"
    assert run("advance", pilot, "--force", "--reason", "demo").exit_code == 0
    reviewed = run("--lang", "nl", "review", pilot, "--note", "gecontroleerd")
    assert "(reviewritme: wekelijks)" in reviewed.stdout
    assert "reviewritme wekelijks, iteratie 0" in run("--lang", "nl", "history", pilot).stdout
    assert "cadence=weekly, iteration=0" in run("history", pilot).stdout


def test_a_stale_synthetic_evaluation_in_dutch(run: Run, tmp_path: Path) -> None:
    synthetic = tmp_path / "synthetisch.csv"
    shutil.copy(SYNTHETIC / "opnames-synthetisch.csv", synthetic)
    assert run("import", SYNTHETIC / f"{PILOT}.yaml").exit_code == 0
    real = SYNTHETIC / "opnames-echt.csv"
    found = run("--lang", "nl", "synth", "evaluate", PILOT, "opnames", "--real", real,
                "--synthetic", SYNTHETIC / "opnames-bsn.csv")  # fmt: skip
    assert "1 BSN (voldoet aan de 11-proef), 1 telefoonnummer" in found.stdout
    assert run("synth", "evaluate", PILOT, "opnames", "--real", real,
               "--synthetic", synthetic).exit_code == 0  # fmt: skip
    synthetic.write_text(synthetic.read_text(encoding="utf-8") + "x,y\n", encoding="utf-8")
    verified = run("--lang", "nl", "synth", "verify", PILOT)
    assert verified.exit_code == 1
    assert verified.stdout.startswith("synthetisch bestand gewijzigd: ")
    gate = run("--lang", "nl", "gate", PILOT).stdout
    assert "synthetisch bestand gewijzigd sinds de evaluatie (gevonden op " in gate
    assert "since it was evaluated" not in gate
    history = " ".join(run("--lang", "nl", "history", PILOT).stdout.split())
    assert "(synthetisch bestand gewijzigd)" in history
    assert "kwaliteit 0,9" in history and "kwaliteit 0.9" not in history
    english = run("gate", PILOT).stdout
    assert "synthetic file changed since it was evaluated (found 20" in english
