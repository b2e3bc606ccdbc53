"""Synthetic data evaluated rather than declared (issue 17).

The synthetic-data gate counts evaluations recorded by ``pilots synth evaluate`` on the files
themselves: exact copies and direct identifiers fail it, so do scores under the playbook's
thresholds (per setting too); a file changed since makes its evaluation stale once ``synth
verify`` has seen it; files that do not fit each other are one clear error each; the register
holds scores and hashes, never data, proven by the chain like every other row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from genai_pilots.domain.csvfile import read_table
from genai_pilots.domain.pii import scan_text
from genai_pilots.domain.synthetic import (
    Copies,
    _might_hold_identifier,
    copies,
    infer_kinds,
    scan_identifiers,
    typed,
)
from tests.conftest import ENGINES, EXAMPLES, Run, set_today, sql, write

PILOT = "opnameplanning-kliniek"  # at synthetic-data, one dataset: opnames
FILES = EXAMPLES / "synthetic"
REAL = FILES / "opnames-echt.csv"
GOOD = FILES / "opnames-synthetisch.csv"
COPY = FILES / "opnames-kopie.csv"
LEAK = FILES / "opnames-bsn.csv"
pytestmark = pytest.mark.store

HEADER = "leeftijd;afdeling;opnamedatum;ligduur;notitie\n"


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def small(rows: list[str]) -> str:
    return HEADER + "".join(r + "\n" for r in rows)


def real_rows(n: int = 60) -> list[str]:
    wards = ("Cardiologie", "Geriatrie", "Longziekten")
    return [
        f"{40 + i % 45};{wards[i % 3]};{1 + i % 28}-{1 + i % 12}-2025;{1 + (i * 7) % 30},{i % 10};"
        f"{('geen bijzonderheden', 'thuiszorg geregeld')[i % 2]}"
        for i in range(n)
    ]


def synthetic_rows(n: int = 60) -> list[str]:
    wards = ("Cardiologie", "Geriatrie", "Longziekten")
    return [
        f"{41 + (i * 5) % 45};{wards[(i + 1) % 3]};{1 + (i * 3) % 28}-{1 + (i * 5) % 12}-2025;"
        f"{2 + (i * 11) % 29},{(i + 3) % 10};{('geen bijzonderheden', 'thuiszorg geregeld')[i % 2]}"
        for i in range(n)
    ]


@pytest.fixture
def imported(run: Run) -> Run:
    ok(run("import", FILES / f"{PILOT}.yaml", "--by", "innovatie"))
    return run


def evaluate(run: Run, synthetic: Path, *extra: str, real: Path = REAL) -> Any:
    return run("synth", "evaluate", PILOT, "opnames", "--real", real, "--synthetic", synthetic,
               "--json", *extra)  # fmt: skip


def criterion(run: Run) -> dict[str, Any]:
    result = run("gate", PILOT, "--json")
    assert result.exit_code in (0, 1), result.output
    found = {c["id"]: c for c in json.loads(result.stdout)["criteria"]}
    return found["synthetic-evaluated"]  # type: ignore[no-any-return]


# 1. The domain: exact copies and identifiers, counted exactly


def test_exact_copies_are_counted_over_every_row_after_normalising() -> None:
    real_table = read_table(small(real_rows()).encode(), ())
    kinds = infer_kinds(real_table)
    assert kinds == ["numerical", "categorical", "datetime", "numerical", "categorical"]
    real = typed(real_table, kinds)
    # the same values written another way still count as copies: spaces, case, 3.0 for 3,0
    rows = synthetic_rows()
    rows[5] = "45; longziekten ;6-6-2025;6.5;THUISZORG  geregeld"  # real row 5, rewritten
    rows[7] = real_rows()[7]
    rows[9] = real_rows()[9]
    synthetic = typed(read_table(small(rows).encode(), ()), kinds)
    assert real_rows()[5] == "45;Longziekten;6-6-2025;6,5;thuiszorg geregeld"
    assert copies(real, synthetic).exact == 3
    assert copies(real, typed(read_table(small(synthetic_rows()).encode(), ()), kinds)).exact == 0


def test_a_copy_made_to_look_new_is_still_a_copy() -> None:
    """Red team: a zero-width space, full-width letters, quotes or a full stop made every real
    row count as new."""
    real_table = read_table(small(real_rows()).encode(), ())
    kinds = infer_kinds(real_table)
    real = typed(real_table, kinds)
    disguised = [
        row.replace("bijzonderheden", "bijzonder\u200bheden").replace("geregeld", "geregeld.")
        .replace("Cardiologie", "\uff23ardiologie")
        for row in real_rows()
    ]  # fmt: skip
    synthetic = typed(read_table(small(disguised).encode(), ()), kinds)
    assert copies(real, synthetic).exact == len(disguised)


def test_inf_and_nan_are_no_numbers_and_values_are_no_header(imported: Run, tmp_path: Path) -> None:
    """Red team: ``inf`` in the real file crashed the distance check (exit 3); a file without
    a header line had its first real row stored as column names."""
    lines = REAL.read_text(encoding="utf-8").splitlines(keepends=True)
    infinite = write(
        tmp_path / "echt-inf.csv", "".join([lines[0], "inf" + lines[1][2:], *lines[2:]])
    )
    refused = evaluate(imported, infinite, real=REAL)
    assert refused.exit_code == 2, refused.output
    assert "echt-inf.csv:2: column A" in refused.stderr, refused.stderr
    assert "'inf' is not a number" in refused.stderr
    refused = evaluate(imported, GOOD, real=infinite)  # in the real file it makes text
    assert refused.exit_code != 3, refused.output
    headerless = write(tmp_path / "zonder-kop.csv", "".join(lines[1:]))
    refused = evaluate(imported, GOOD, real=headerless)
    assert refused.exit_code == 2, refused.output
    assert "zonder-kop.csv:1: column A" in refused.stderr
    assert "holds a value ('74'), not a column name" in refused.stderr


def test_a_stream_is_no_dataset_and_a_stale_evaluation_fails_verify_until_renewed(
    imported: Run, tmp_path: Path
) -> None:
    streamed = evaluate(imported, Path("/dev/stdin"))
    assert streamed.exit_code == 2
    assert "names a stream" in streamed.stderr
    copied = write(tmp_path / "synthetisch.csv", GOOD.read_text(encoding="utf-8"))
    ok(evaluate(imported, copied))
    copied.write_text(REAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert imported("synth", "verify", PILOT).exit_code == 1
    copied.write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")  # put back
    again = imported("synth", "verify", PILOT)
    assert again.exit_code == 1, again.output  # the gate still does not count it
    assert "still stale" in again.stdout
    ok(evaluate(imported, copied))
    assert imported("synth", "verify", PILOT).exit_code == 0


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("BSN 111222333", "pii-bsn"),
        ("bel 06-12345678", "pii-phone"),
        ("mail j.jansen@ziekenhuis.example", "pii-email"),
        ("rekening NL91 ABNA 0417 1643 00", "pii-iban"),
    ],
)
def test_every_identifier_the_definition_guard_finds_is_found_in_a_dataset(
    cell: str, code: str
) -> None:
    rows = synthetic_rows(10)
    rows[3] = rows[3].rsplit(";", 1)[0] + ";" + cell
    found = scan_identifiers(read_table(small(rows).encode(), ()))
    assert dict(found.counts) == {code: 1}
    assert found.first[code] == (5, "E (notitie)")  # header on line 1, row 3 on line 5


def test_the_pre_filter_never_hides_what_the_guard_would_find() -> None:
    samples = [
        "111222333", "1112.22.333", "06-12345678", "+31612345678", "a@b.nl",
        "NL91ABNA0417164300", "NO9386011117947", "2025-01-01", "6,5", "-12.25", "Cardiologie",
    ]  # fmt: skip
    for text in samples:
        if any(scan_text(text, ("x",))):
            assert _might_hold_identifier(text), text


# 2. The command: a reasonable set passes, copies and identifiers fail, each with the reason


@pytest.mark.store(fast=ENGINES)
def test_good_copying_and_leaking_files_and_the_gate(imported: Run, store_url: str) -> None:
    assert criterion(imported)["met"] is False
    assert criterion(imported)["detail"] == "opnames: not evaluated"
    good = ok(evaluate(imported, GOOD, "--sensitive", "diagnose"))
    shown = json.loads(good.stdout)
    assert shown["passes"] is True and shown["exact_copies"] == 0 and shown["identifiers"] == 0
    assert shown["synthetic"]["sha256"] == hashlib.sha256(GOOD.read_bytes()).hexdigest()
    assert (shown["real"]["rows"], shown["synthetic"]["rows"], shown["columns"]) == (400, 400, 8)
    assert shown["library"].startswith("sdmetrics ")
    assert shown["scores"]["sensitive"] == ["diagnose"]
    assert shown["scores"]["disclosure_protection"] is not None
    assert criterion(imported)["met"] is True

    copying = evaluate(imported, COPY)
    assert copying.exit_code == 1
    assert "40 exact copies of real rows (at most 0)" in json.loads(copying.stdout)["shortfalls"]
    assert json.loads(copying.stdout)["replaced"] is True
    assert criterion(imported)["met"] is False
    assert "opnames: " in criterion(imported)["detail"]
    assert "40 exact copies of real rows" in criterion(imported)["detail"]

    leaking = imported("synth", "evaluate", PILOT, "opnames", "--real", REAL, "--synthetic", LEAK)
    assert leaking.exit_code == 1
    assert "1 BSN (passes the 11-proef), 1 phone number" in leaking.stdout
    assert "line 43, column H (notitie)" in leaking.stdout
    assert "2 direct identifiers (at most 0)" in leaking.stdout
    assert "111222333" not in leaking.stdout  # the value itself is never shown...
    # ...nor stored: one row per dataset, the history has one event per evaluation
    rows = sql(
        "SELECT dataset, exact_copies, identifiers FROM synthetic_evaluation "
        f"WHERE pilot_id = '{PILOT}'"
    )
    assert [tuple(r) for r in rows] == [("opnames", 0, 2)]
    stored = sql("SELECT CAST(scores AS TEXT), synthetic_location FROM synthetic_evaluation")[0]
    assert "111222333" not in stored[0] and stored[1] == str(LEAK)
    kinds = sql(f"SELECT kind FROM event WHERE pilot_id = '{PILOT}' ORDER BY seq")
    assert [k for (k,) in kinds].count("synthetic-evaluated") == 3
    payloads = sql("SELECT CAST(payload AS TEXT) FROM event WHERE kind = 'synthetic-evaluated'")
    assert all("111222333" not in p for (p,) in payloads)
    assert ok(imported("audit", "verify")).stdout.endswith("all chains intact\n")


# 3. Thresholds and a per-setting override


def playbook(tmp_path: Path, extra: str) -> Path:
    return write(tmp_path / "pb.yaml", "name: strenger\nextends: default\ngates: {}\n" + extra)


def test_the_thresholds_and_a_setting_override(imported: Run, tmp_path: Path) -> None:
    ok(evaluate(imported, GOOD))
    listed = json.loads(ok(imported("synth", "list", PILOT, "--json")).stdout)
    score = listed["evaluations"][0]["quality"]
    assert 0.75 <= score < 0.99  # the default bar: 0.75
    assert criterion(imported)["met"] is True
    kliniek = "settings:\n  kliniek:\n    synthetic-evaluated: {min_quality: 0.99}\n"
    ok(imported("playbook", "set", playbook(tmp_path, kliniek), "--reason", "kliniek strenger"))
    assert criterion(imported)["met"] is True  # the pilot works in thuiszorg
    both = kliniek + "  thuiszorg:\n    synthetic-evaluated: {min_quality: 0.99}\n"
    ok(imported("playbook", "set", playbook(tmp_path, both), "--reason", "thuiszorg ook"))
    found = criterion(imported)
    assert found["met"] is False
    assert found["detail"] == f"opnames: quality {score:.2f} (needs >= 0.99)"
    listed = json.loads(ok(imported("synth", "list", PILOT, "--json")).stdout)
    assert listed["evaluations"][0]["shortfalls"] == [f"quality {score:.2f} (needs >= 0.99)"]
    assert imported("advance", PILOT).exit_code == 1


def test_validate_without_a_register_counts_the_claimed_texts(run: Run, tmp_path: Path) -> None:
    assert run("validate", FILES / f"{PILOT}.yaml").exit_code == 0
    text = (FILES / f"{PILOT}.yaml").read_text(encoding="utf-8")
    unclaimed = write(tmp_path / f"{PILOT}.yaml", "\n".join(
        line for line in text.splitlines() if "privacy_evaluation" not in line
    ).replace("stage: synthetic-data", "stage: bijsturen") + "\n")  # fmt: skip
    result = run("validate", unclaimed)
    assert result.exit_code == 1
    assert "no privacy_evaluation or utility_evaluation for opnames" in result.stdout


# 4. A changed file makes the evaluation stale; a new evaluation replaces it


@pytest.mark.store(fast=ENGINES)
def test_a_changed_file_makes_the_evaluation_stale_until_evaluated_again(
    imported: Run, tmp_path: Path
) -> None:
    synthetic = tmp_path / "synth.csv"
    synthetic.write_bytes(GOOD.read_bytes())
    ok(evaluate(imported, synthetic))
    assert ok(imported("synth", "verify", PILOT)).stdout.endswith("all files unchanged\n")
    synthetic.write_bytes(GOOD.read_bytes() + b"70;M;Geriatrie;1-2-2025;3,5;delier;nee;x\r\n")
    found = imported("synth", "verify", PILOT)
    assert found.exit_code == 1
    assert "synthetic changed: opnameplanning-kliniek opnames" in found.stdout
    assert "marked stale" in found.stdout
    gate = criterion(imported)
    assert gate["met"] is False
    assert gate["detail"].startswith(
        "opnames: stale: synthetic file changed since it was evaluated"
    )
    again = imported("synth", "verify", PILOT)  # reported again, recorded once
    assert again.exit_code == 1 and "marked stale" not in again.stdout
    kinds = [k for (k,) in sql(f"SELECT kind FROM event WHERE pilot_id = '{PILOT}'")]
    assert kinds.count("synthetic-stale") == 1
    ok(evaluate(imported, synthetic))
    assert criterion(imported)["met"] is True
    synthetic.unlink()
    missing = imported("synth", "verify", "--json")
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["evaluations"][0]["files"] == {
        "real": None,
        "synthetic": "missing",
    }
    assert ok(imported("audit", "verify")).stdout.endswith("all chains intact\n")


# 5. Clear failures: one error each, naming the file, exit 2, nothing recorded


@pytest.mark.parametrize(
    ("synthetic", "message"),
    [
        (
            small(synthetic_rows()).replace("notitie", "opmerking"),
            "synth.csv:1: it lacks notitie; it has opmerking that the real file has not",
        ),
        (
            small(synthetic_rows()[:3] + ["50;Geriatrie;1-1-2025;veel;x"]),
            "synth.csv:5: column D (ligduur): 'veel' is not a number, as this column is in",
        ),
        (
            small(synthetic_rows()[:3] + ["50;Geriatrie;gisteren;3;x"]),
            "synth.csv:5: column C (opnamedatum): 'gisteren' is not a date",
        ),
        ("", "synth.csv: it is empty: a dataset needs a header line and rows"),
        (HEADER, "synth.csv: it has a header but no rows"),
        (
            small(synthetic_rows()[:3] + ["50;Geriatrie;1-1-2025"]),
            "synth.csv:5: the row has 3 fields, the header 5",
        ),
    ],
)
def test_files_that_do_not_fit_are_one_clear_error(
    imported: Run, tmp_path: Path, synthetic: str, message: str
) -> None:
    real = write(tmp_path / "real.csv", small(real_rows()))
    path = write(tmp_path / "synth.csv", synthetic)
    result = imported("synth", "evaluate", PILOT, "opnames", "--real", real, "--synthetic", path)
    assert result.exit_code == 2, result.output
    assert message in result.stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in result.output
    assert sql("SELECT count(*) FROM synthetic_evaluation")[0][0] == 0


def test_an_unknown_dataset_or_column_is_refused(imported: Run) -> None:
    other = imported("synth", "evaluate", PILOT, "gesprekken", "--real", REAL, "--synthetic", GOOD)
    assert other.exit_code == 2
    assert f"{PILOT} declares no dataset 'gesprekken' (its synthetic_data.datasets: opnames)" in (
        other.stderr
    )
    column = evaluate(imported, GOOD, "--sensitive", "bsn")
    assert column.exit_code == 2
    assert "--sensitive bsn: not a column of" in column.stderr


def test_a_file_over_the_budget_is_refused(
    imported: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import genai_pilots.domain.synthetic as synthetic

    monkeypatch.setattr(synthetic, "MAX_ROWS", 50)
    result = evaluate(imported, GOOD)
    assert result.exit_code == 2
    assert "opnames-echt.csv:52: it has 400 rows; at most 50 are evaluated" in result.stderr
    monkeypatch.setattr(synthetic, "MAX_BYTES", 1000)
    monkeypatch.setattr("genai_pilots.services.synthetic.MAX_BYTES", 1000)
    result = evaluate(imported, GOOD)
    assert result.exit_code == 2
    assert "opnames-echt.csv: it is larger than the 1,000 bytes" in result.stderr


def test_without_the_extra_it_says_how_to_install_it(
    imported: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sdmetrics", None)
    result = evaluate(imported, GOOD)
    assert result.exit_code == 2
    assert "synth evaluate needs SDMetrics, which is not installed" in result.stderr
    assert "pip install 'genai-pilots[synthetic]'" in result.stderr


# 6. The evaluations are proven by the chain


@pytest.mark.store(fast=ENGINES)
def test_a_direct_edit_of_an_evaluation_is_caught(imported: Run) -> None:
    copying = evaluate(imported, COPY)
    assert copying.exit_code == 1
    sql("UPDATE synthetic_evaluation SET exact_copies = 0, privacy = 0.9")
    for args in (["audit", "verify"], ["db", "check"]):
        result = imported(*args)
        assert result.exit_code == 1
        assert (
            f"broken {PILOT} at event #2: rows of the synthetic_evaluation table were changed"
            in (result.stdout)
        )
    refused = imported("synth", "evaluate", PILOT, "opnames", "--real", REAL, "--synthetic", GOOD)
    assert refused.exit_code == 1
    assert "changed outside genai-pilots" in refused.stderr


# 6. The ways around the gate a red team found: near copies, a metadata file that makes near
#    values look far, switching synthetic data off, a changed declaration, an old evaluation,
#    the real file passed as the synthetic one


def _typed(text: str) -> Any:
    table = read_table(text.encode(), ())
    return typed(table, infer_kinds(read_table(small(real_rows()).encode(), ())))


def test_near_copies_are_rows_equal_to_a_real_row_but_for_one_column() -> None:
    real = _typed(small(real_rows()))
    assert copies(real, _typed(small(synthetic_rows()))) == Copies(0, 0)
    changed = [r.rsplit(";", 1)[0] + ";anders" for r in real_rows()[:7]]  # one column changed
    two = [
        f"99;Geriatrie;{r.split(';', 3)[2]};{r.split(';', 4)[3]};anders" for r in real_rows()[7:9]
    ]
    found = copies(real, _typed(small(changed + two + real_rows()[9:12] + synthetic_rows()[:20])))
    assert found == Copies(exact=3, near=7)  # two columns changed is neither
    narrow = "afdeling;ligduur;notitie\n"  # three columns, one number: not counted
    rows = [";".join(r.split(";")[i] for i in (1, 3, 4)) for r in real_rows()]
    real4 = typed(read_table((narrow + "\n".join(rows)).encode(), ()),
                  infer_kinds(read_table((narrow + "\n".join(rows)).encode(), ())))  # fmt: skip
    assert copies(real4, real4) == Copies(60, None)


def _near_copy_file(tmp_path: Path, changed: int) -> Path:
    """The good synthetic file with its first rows replaced by real rows, one value changed."""
    header, *real = REAL.read_text(encoding="utf-8").splitlines()
    _, *good = GOOD.read_text(encoding="utf-8").splitlines()
    near = [row.rsplit(";", 1)[0] + ";ontslagen naar huis met nazorg" for row in real[:changed]]
    return write(tmp_path / "bijna.csv", "\n".join([header, *near, *good[changed:]]) + "\n")


@pytest.mark.store(fast=ENGINES)
def test_real_rows_with_one_value_changed_fail_the_gate(imported: Run, tmp_path: Path) -> None:
    result = evaluate(imported, _near_copy_file(tmp_path, 40))
    assert result.exit_code == 1
    shown = json.loads(result.stdout)
    assert shown["exact_copies"] == 0 and shown["near_copies"] >= 40
    assert any(f.startswith(f"{shown['near_copies']} near copies of real rows (equal but for one "
                            "column, or with a real row's own numbers and dates;")
               for f in shown["shortfalls"])  # fmt: skip
    assert "near copies of real rows" in criterion(imported)["detail"]
    plain = imported("synth", "list", PILOT)
    assert f"{shown['near_copies']} of 400 synthetic rows (equal to a real row but for one" in (
        " ".join(plain.stdout.split())
    )
    assert criterion(imported)["met"] is False
    ok(evaluate(imported, GOOD))  # one chance near copy in 400 rows is within 1%
    assert criterion(imported)["met"] is True


def test_a_metadata_file_cannot_make_near_values_look_far(imported: Run, tmp_path: Path) -> None:
    names = REAL.read_text(encoding="utf-8").splitlines()[0].split(";")
    categorical = {"columns": {n: {"sdtype": "categorical"} for n in names}}
    metadata = write(tmp_path / "meta.json", json.dumps(categorical))
    plain = json.loads(ok(evaluate(imported, GOOD)).stdout)
    declared = json.loads(evaluate(imported, GOOD, "--metadata", str(metadata)).stdout)
    as_read = declared["scores"]["dcr_as_read"]
    assert as_read == plain["scores"]["dcr_baseline_protection"]  # measured as the values read
    assert declared["privacy"] == min(as_read, declared["scores"]["dcr_baseline_protection"])
    assert "dcr_as_read" not in plain["scores"]


def test_the_real_file_as_the_synthetic_one_is_refused(imported: Run) -> None:
    same = imported("synth", "evaluate", PILOT, "opnames", "--real", REAL, "--synthetic", REAL)
    assert same.exit_code == 2
    assert "hold the same bytes: the synthetic file is the real one; nothing was recorded" in (
        " ".join(same.output.split())
    )
    assert sql("SELECT count(*) FROM synthetic_evaluation")[0][0] == 0


def test_another_real_file_than_before_is_shown_and_recorded(imported: Run, tmp_path: Path) -> None:
    ok(evaluate(imported, GOOD))
    fewer = write(
        tmp_path / "echt.csv", "\n".join(REAL.read_text("utf-8").splitlines()[:-3]) + "\n"
    )
    again = json.loads(ok(evaluate(imported, GOOD, real=fewer)).stdout)
    assert again["real_changed_from"] == hashlib.sha256(REAL.read_bytes()).hexdigest()
    history = ok(imported("history", PILOT)).stdout
    assert "another real file than before" in " ".join(history.split())


def _planning(tmp_path: Path, old: str, new: str) -> Path:
    text = (FILES / f"{PILOT}.yaml").read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path / f"{PILOT}.yaml", text.replace(old, new))


NOT_APPLICABLE = (
    "synthetic_data:\n  applicable: false\n  justification: De planning gebruikt geen "
    "patiëntgegevens.\nbijsturen:"
)


def test_switching_synthetic_data_off_with_datasets_declared_is_an_error(
    run: Run, tmp_path: Path
) -> None:
    flipped = _planning(tmp_path, "  applicable: true\n", "  applicable: false\n")
    result = run("validate", flipped)
    assert result.exit_code == 1
    assert f"{flipped}:52:15: error: synthetic_data.applicable:" in result.stdout
    assert "1 dataset(s) are declared" in result.stdout and "[synthetic-not-applicable]" in (
        result.stdout
    )
    refused = run("import", flipped)
    print(refused.exit_code, refused.output)
    assert refused.exit_code == 1


@pytest.mark.store(fast=ENGINES)
def test_switching_synthetic_data_off_needs_the_fg_not_the_owner(
    imported: Run, tmp_path: Path
) -> None:
    text = (FILES / f"{PILOT}.yaml").read_text(encoding="utf-8")
    start, end = text.index("synthetic_data:"), text.index("bijsturen:")
    off = write(tmp_path / f"{PILOT}.yaml", text[:start] + NOT_APPLICABLE + text[end + 10 :])
    ok(imported("import", off, "--by", "innovatie"))
    found = {c["id"]: c for c in json.loads(imported("gate", PILOT, "--json").stdout)["criteria"]}
    assert found["synthetic-evaluated"]["applies"] is False
    assert found["not-applicable-approved"]["met"] is False
    assert imported("advance", PILOT).exit_code == 1
    owner = imported("approve", PILOT, "--role", "privacy_officer", "--by", "J. Visser")
    assert owner.exit_code != 0
    assert "owner" in owner.output
    assert imported("advance", PILOT, "--by", "J. Visser").exit_code == 1
    fg = imported("approve", PILOT, "--role", "privacy_officer", "--by", "M. de Vries")
    assert fg.exit_code == 0, fg.output
    # the FG agreed to that justification: another one is no longer what was approved
    changed = off.read_text(encoding="utf-8").replace(
        "De planning gebruikt geen patiëntgegevens.", "We gebruiken gewoon de echte data."
    )  # and the file claims the next stage in the same import
    claiming = changed.replace("stage: synthetic-data", "stage: bijsturen")
    assert claiming != changed
    held = ok(imported("import", write(off, claiming), "--by", "innovatie")).output
    assert "the synthetic-data gate is not met in the register (not-applicable-approved)" in held
    assert sql(f"SELECT stage FROM pilot WHERE id = '{PILOT}'") == [("synthetic-data",)]
    history = " ".join(imported("history", PILOT).stdout.split())
    assert (
        "approvals superseded: privacy_officer (M. de Vries) at synthetic-data, as "
        "synthetic_data.justification changed"
    ) in history
    assert imported("advance", PILOT, "--by", "J. Visser").exit_code == 1
    fg = imported("approve", PILOT, "--role", "privacy_officer", "--by", "M. de Vries")
    assert fg.exit_code == 0, fg.output
    ok(imported("advance", PILOT, "--by", "J. Visser"))
    assert ok(imported("audit", "verify")).stdout.endswith("all chains intact\n")


def test_an_evaluation_of_another_declaration_or_over_a_year_old_does_not_count(
    imported: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(evaluate(imported, GOOD))
    assert criterion(imported)["met"] is True
    regenerated = _planning(
        tmp_path, "      method: Per afdeling", "      method: Met een GAN, per afdeling"
    )
    ok(imported("import", regenerated, "--by", "innovatie"))
    found = criterion(imported)
    assert found["met"] is False
    assert (
        "the definition changed the dataset (its name, description, synthetic counterpart or "
        "method) since it was evaluated; evaluate it again" in found["detail"]
    )
    ok(evaluate(imported, GOOD))
    assert criterion(imported)["met"] is True
    evaluated = dt.date.fromisoformat(
        json.loads(imported("synth", "list", PILOT, "--json").stdout)["evaluations"][0][
            "evaluated_at"
        ][:10]
    )
    set_today(monkeypatch, evaluated + dt.timedelta(days=365))
    assert criterion(imported)["met"] is True
    set_today(monkeypatch, evaluated + dt.timedelta(days=366))
    found = criterion(imported)
    assert found["met"] is False
    assert f"evaluated on {evaluated}, more than 365 days ago" in found["detail"]


@pytest.mark.store(fast=ENGINES)
def test_the_owner_cannot_lower_the_synthetic_bar_and_pass(imported: Run, tmp_path: Path) -> None:
    lax = playbook(tmp_path, "settings:\n  thuiszorg:\n    synthetic-evaluated: "
                   "{max_exact_copies: 1000, max_identifiers: 1000}\n")  # fmt: skip
    refused = imported("playbook", "set", lax, "--reason", "sneller", "--by", "J. Visser")
    assert refused.exit_code == 1
    assert "(keeps patient data out of synthetic data)" in refused.output
    ok(imported("playbook", "set", lax, "--reason", "sneller", "--by", "J. Visser",
                "--allow-weaker"))  # fmt: skip
    assert evaluate(imported, LEAK).exit_code == 0  # under the lax playbook it passes...
    owner = imported("advance", PILOT, "--by", "J. Visser")
    assert owner.exit_code == 1  # ...but not for the owner
    assert "cannot pass its gate under a playbook weaker than the default" in owner.output
    ok(imported("advance", PILOT, "--by", "innovatie"))
    status = " ".join(imported("status").stdout.split())
    assert (
        "despite synthetic-evaluated — passed under playbook strenger, weaker than the "
        "default" in status
    )


def test_dates_pandas_cannot_hold_nested_metadata_and_streams_are_refused(
    imported: Run, tmp_path: Path
) -> None:
    header, first, *rest = REAL.read_text(encoding="utf-8").splitlines()
    old = first.split(";")
    for day in ("1-1-0001", "31-12-9999"):
        fields = [*old[:3], day, *old[4:]]
        bad = write(tmp_path / "oud.csv", "\n".join([header, ";".join(fields), *rest]) + "\n")
        result = evaluate(imported, bad)
        assert result.exit_code == 2, result.output
        assert "oud.csv:2: column D (opnamedatum): the date" in result.stderr
        assert "lies outside 1677-09-22 to 2262-04-11" in result.stderr
    deep = write(tmp_path / "meta.json", '{"a":' * 100_000 + "1" + "}" * 100_000)
    nested = evaluate(imported, GOOD, "--metadata", str(deep))
    assert nested.exit_code == 2
    assert "nested too deeply to be metadata; nothing was recorded" in nested.stderr
    stream = imported("synth", "evaluate", PILOT, "opnames", "--real", REAL, "--synthetic",
                      "/dev/stdin", input=GOOD.read_text(encoding="utf-8"))  # fmt: skip
    assert stream.exit_code == 2
    assert "it names a stream" in stream.stderr
    assert sql("SELECT count(*) FROM synthetic_evaluation")[0][0] == 0


def test_an_identifier_is_never_quoted_in_an_error(imported: Run, tmp_path: Path) -> None:
    header, first, *rest = REAL.read_text(encoding="utf-8").splitlines()
    fields = first.split(";")
    row = ";".join(["123.456.782", *fields[1:]])
    leaking = write(tmp_path / "lek.csv", "\n".join([header, row, *rest]) + "\n")
    result = evaluate(imported, leaking)
    assert result.exit_code == 2
    assert "a value that looks like a direct identifier (not shown) is not a number" in (
        result.stderr
    )
    assert "782" not in result.stderr


def test_two_datasets_of_one_name_are_refused(run: Run, tmp_path: Path) -> None:
    text = (FILES / f"{PILOT}.yaml").read_text(encoding="utf-8")
    start = text.index("    - name: opnames")
    entry = text[start : text.index("bijsturen:")]
    twice = write(tmp_path / f"{PILOT}.yaml", text.replace(entry, entry + entry))
    result = run("validate", twice)
    assert result.exit_code == 1
    assert "dataset name 'opnames' is used twice (also dataset 1)" in result.stdout
    assert "[synthetic-duplicate]" in result.stdout


def test_a_pilot_entering_past_the_gate_shows_the_fg_never_agreed(run: Run, tmp_path: Path) -> None:
    """A new pilot enters at the stage its file claims: what it passed on claims is shown."""
    text = (FILES / f"{PILOT}.yaml").read_text(encoding="utf-8")
    start, end = text.index("synthetic_data:"), text.index("bijsturen:")
    late = text[:start] + NOT_APPLICABLE + text[end + 10 :]
    late = late.replace("stage: synthetic-data", "stage: bijsturen")
    ok(run("import", write(tmp_path / f"{PILOT}.yaml", late), "--by", "innovatie"))
    status = " ".join(run("status").stdout.split())
    assert (
        f"approvals not recorded {PILOT}: past its gates without privacy_officer, "
        "information_security_officer, privacy_officer at synthetic-data approving" in status
    )
    shown = json.loads(run("status", "--json").stdout)["pilots"]
    assert [p["unrecorded_approvals"] for p in shown if p["id"] == PILOT] == [
        ["privacy_officer", "information_security_officer", "privacy_officer at synthetic-data"]
    ]


def test_a_real_row_with_its_categories_changed_is_a_near_copy(
    imported: Run, tmp_path: Path
) -> None:
    """Every real patient, sex flipped and note rotated: no column-but-one match, and the
    distance to closest record scores it like honest data; the ages, dates and lengths of stay
    that only one real row has give each one away."""
    header, *rows = REAL.read_text(encoding="utf-8").splitlines()
    notes = sorted({r.split(";")[7] for r in rows})
    flipped = []
    for row in rows:
        f = row.split(";")
        f[1] = {"M": "V", "V": "M"}[f[1]]
        f[7] = notes[(notes.index(f[7]) + 1) % len(notes)]
        flipped.append(";".join(f))
    changed = write(tmp_path / "omgezet.csv", "\n".join([header, *flipped]) + "\n")
    shown = json.loads(evaluate(imported, changed).stdout)
    assert shown["exact_copies"] == 0 and shown["near_copies"] == 400
    assert shown["passes"] is False
    four = [";".join(r.split(";")[i] for i in (0, 3, 4, 5)) for r in (header, *rows)]
    real4 = write(tmp_path / "echt4.csv", "\n".join(four) + "\n")
    other = [f"{x.rsplit(';', 1)[0]};anders" for x in four[1:]]  # the diagnosis changed
    synthetic4 = write(tmp_path / "vier.csv", "\n".join([four[0], *other]) + "\n")
    narrow = json.loads(evaluate(imported, synthetic4, real=real4).stdout)
    assert narrow["near_copies"] == 400 and narrow["passes"] is False


@pytest.mark.store(fast=ENGINES)
def test_clearing_the_near_copy_count_by_sql_is_caught(imported: Run, tmp_path: Path) -> None:
    """The owner who cannot pass the gate edits the count the gate reads; the chain shows it."""
    assert evaluate(imported, _near_copy_file(tmp_path, 40)).exit_code == 1
    sql("UPDATE synthetic_evaluation SET near_copies = 0")
    result = imported("audit", "verify")
    assert result.exit_code == 1
    assert f"broken {PILOT} at event #2: rows of the synthetic_evaluation table were changed" in (
        result.stdout
    )
    assert imported("advance", PILOT).exit_code != 0
    assert sql(f"SELECT stage FROM pilot WHERE id = '{PILOT}'") == [("synthetic-data",)]
