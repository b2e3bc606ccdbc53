"""Time ``pilots synth evaluate`` on 100,000 rows × 20 columns; target: 60 s and 2 GB peak RSS.

    python benchmarks/synth.py [--rows N] [--columns N] [--work DIR]

Writes a real and a synthetic CSV file (mixed numeric, categorical and date columns, Dutch
Excel style: ``;`` and decimal commas) into a temporary directory, imports the example pilot
that declares the dataset ``opnames``, and runs the command once as a user would, in its own
process, reporting wall time and the child's peak resident memory. The files are generated
each run and never committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PILOT = REPO / "examples" / "synthetic" / "opnameplanning-kliniek.yaml"
WARDS = [
    "Cardiologie",
    "Longziekten",
    "Interne geneeskunde",
    "Geriatrie",
    "Neurologie",
    "Chirurgie",
]


def row(r: random.Random) -> list[str]:
    """One admission: 8 numeric, 8 categorical and 4 date columns."""
    age = r.randint(18, 99)
    start = dt.date(2024, 1, 1) + dt.timedelta(days=r.randrange(730))
    numbers = [
        str(age), f"{r.lognormvariate(1.3, 0.6):.1f}".replace(".", ","), str(r.randint(0, 5)),
        f"{r.gauss(120 + age / 3, 15):.0f}", f"{r.gauss(80, 10):.0f}",
        f"{r.gauss(7.5, 1.2):.1f}".replace(".", ","), str(r.randint(0, 12)),
        f"{r.uniform(50, 120):.1f}".replace(".", ","),
    ]  # fmt: skip
    categories = [
        r.choice("MV"), r.choice(WARDS), r.choice(["acuut", "electief", "overplaatsing"]),
        r.choice(["ja", "nee"]), r.choice(["A", "B", "C", "D"]),
        r.choice(["huis", "verpleeghuis", "revalidatie", "overleden"]),
        r.choice([f"ICD-{i}" for i in range(40)]), r.choice(["laag", "midden", "hoog"]),
    ]  # fmt: skip
    dates = [start + dt.timedelta(days=r.randint(0, d)) for d in (0, 3, 10, 30)]
    return numbers + categories + [f"{d.day}-{d.month}-{d.year}" for d in dates]


HEADER = (
    [f"getal_{i}" for i in range(1, 9)] + [f"categorie_{i}" for i in range(1, 9)]
    + [f"datum_{i}" for i in range(1, 5)]
)  # fmt: skip


def header(columns: int) -> list[str]:
    """The first ``columns`` column names: the 20 of one admission, then again, numbered."""
    names = [f"{n}_{turn}" if turn else n for turn in range(3) for n in HEADER]
    return names[:columns]


def write(path: Path, rows: int, seed: int, columns: int = len(HEADER)) -> None:
    """A CSV file of ``rows`` generated admissions (wider: more of each kind of column)."""
    r = random.Random(seed)
    rounds = -(-columns // len(HEADER))
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(";".join(header(columns)) + "\r\n")
        for _ in range(rows):
            values = [v for _ in range(rounds) for v in row(r)]
            handle.write(";".join(values[:columns]) + "\r\n")


def main() -> None:
    """Generate, import, evaluate once; print the numbers."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, default=len(HEADER), choices=range(1, 61),
                        metavar="N")  # fmt: skip
    parser.add_argument("--work", type=Path, default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = options.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        real, synthetic = work / "echt.csv", work / "synthetisch.csv"
        write(real, options.rows, 1, options.columns)
        write(synthetic, options.rows, 2, options.columns)
        pilots = str(Path(sys.executable).parent / "pilots")
        env = os.environ | {"NO_COLOR": "1", "GENAI_PILOTS_HOME": str(work / "home"),
                            "GENAI_PILOTS_DB": f"sqlite:///{work / 'register.db'}"}  # fmt: skip
        subprocess.run([pilots, "import", str(PILOT)], check=True, env=env,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        started = time.perf_counter()
        result = subprocess.run(
            [pilots, "synth", "evaluate", "opnameplanning-kliniek", "opnames", "--real",
             str(real), "--synthetic", str(synthetic), "--sensitive", "categorie_7"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(result.stdout, end="")
        if result.returncode not in (0, 1):
            print(result.stderr, file=sys.stderr)
            raise SystemExit(result.returncode)
        size = real.stat().st_size / 2**20
        print(f"{options.rows:,} rows × {options.columns} columns ({size:.1f} MiB a file): "
              f"{seconds:.1f} s, peak RSS {peak:,.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
