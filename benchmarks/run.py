"""Run the benchmarks: whole processes, timed, compared in one run on one machine.

    python benchmarks/run.py [--runs N] [--work DIR] [--startup]

``--startup`` runs only the start-up targets (``--help`` and ``validate``, in English and
Dutch, against their baselines): a couple of minutes instead of the stores' build.

Uses the ``pilots`` and ``check-jsonschema`` next to this Python; install them first with
``pip install . check-jsonschema`` (a regular, non-editable install, as users have it).
Each command runs once to warm the caches, then N times, round-robin with the others (a slow
spell of the machine hits a command and its baseline alike); the table shows the median.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent


def prepare(*args: str) -> None:
    """Run a preparation script in its own process, so this runner stays small.

    (A child's peak RSS includes the parent it was forked from: a big runner would inflate
    every memory figure.)
    """
    subprocess.run([sys.executable, *args], check=True, env=env())


def env(terminal: bool = False) -> dict[str, str]:
    """The environment of every timed process: byte-code caches allowed, no colour.

    ``terminal`` asks for the output a person at a terminal gets (Rich tables, colour) although
    the output still goes to /dev/null.
    """
    variables = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if terminal:
        return {k: v for k, v in variables.items() if k != "NO_COLOR"} | {
            "FORCE_COLOR": "1", "COLUMNS": "120"
        }  # fmt: skip
    return variables | {"NO_COLOR": "1", "COLUMNS": "160"}


@dataclass
class Command:
    """One benchmarked command and what its runs measured."""

    argv: list[str]
    runs: int
    before: Callable[[], None] | None = None
    terminal: bool = False
    times: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)

    def run_once(self, keep: bool) -> None:
        """Run it once; keep its wall time (s) and peak RSS (MB) unless it only warms caches."""
        if self.before:
            self.before()
        start = time.perf_counter()
        proc = subprocess.Popen(
            self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env(self.terminal)
        )
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"{' '.join(self.argv)} exited {code}: {err}")
        if keep:
            self.times.append(elapsed)
            self.peaks.append(usage.ru_maxrss / 1024)


def run_interleaved(commands: dict[str, Command]) -> dict[str, tuple[float, float]]:
    """Median wall time (s) and largest peak RSS (MB) of each command.

    Runs go round-robin (each command once per round, after a warm-up round), so a slow spell
    of a shared machine hits a command and its baseline alike and their ratio holds.
    """
    for round_ in range(max(c.runs for c in commands.values()) + 1):
        for command in commands.values():
            if round_ <= command.runs:
                command.run_once(keep=round_ > 0)
    return {name: (statistics.median(c.times), max(c.peaks)) for name, c in commands.items()}


STARTUP = {
    "minimal typer --help", "pilots --help", "pilots --help, Dutch", "check-jsonschema, 1 file",
    "pilots validate, 1 file", "pilots validate, 1 file, Dutch",
    "Typer floor: validate's parameters + import yaml", "check-jsonschema, 1000 files",
    "pilots validate, 1000 files", "pilots validate, 1000 files, Dutch",
    "parse + pydantic, 1000 files",
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--startup", action="store_true", help="only --help and validate")
    args = parser.parse_args()
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    python, pilots, checker = sys.executable, str(BIN / "pilots"), str(BIN / "check-jsonschema")
    schema = str(REPO / "docs" / "pilot.schema.json")
    one = str(REPO / "examples" / "ambient-scribe-cardiologie.yaml")

    print("generating definitions and stores (a few minutes) ...", file=sys.stderr)
    prepare(str(HERE / "generate.py"), "1000", str(work / "defs-1000"))
    thousand = sorted((work / "defs-1000").glob("*.yaml"))
    small, large = f"sqlite:///{work / 'p100.db'}", f"sqlite:///{work / 'p10k.db'}"
    report_store = f"sqlite:///{work / 'p1000.db'}"
    if not args.startup:
        prepare(str(HERE / "generate.py"), "10000", str(work / "defs-10000"))
        for url, count, events in ((small, 100, 1_000), (large, 10_000, 100_000),
                                    (report_store, 1_000, 10_000)):  # fmt: skip
            prepare(str(HERE / "fill.py"), url, str(count), str(events))
    fresh = work / "import.db"

    def drop_fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)

    r = args.runs
    half = max(1, r // 2)  # the 10,000-file commands take seconds each
    files = [str(p) for p in thousand]
    commands = {
        "minimal typer --help": Command([python, str(HERE / "minimal_typer.py"), "--help"], r),
        "pilots --help": Command([pilots, "--help"], r),
        "pilots --help, Dutch": Command([pilots, "--lang", "nl", "--help"], r),
        "check-jsonschema, 1 file": Command([checker, "--schemafile", schema, one], r),
        "pilots validate, 1 file": Command([pilots, "validate", one], r),
        "pilots validate, 1 file, Dutch": Command([pilots, "--lang", "nl", "validate", one], r),
        "Typer floor: validate's parameters + import yaml": Command(
            [python, str(HERE / "typer_floor.py"), "validate", one], r
        ),
        "check-jsonschema, 1000 files": Command([checker, "--schemafile", schema, *files], r),
        "pilots validate, 1000 files": Command([pilots, "validate", str(work / "defs-1000")], r),
        "pilots validate, 1000 files, Dutch": Command(
            [pilots, "--lang", "nl", "validate", str(work / "defs-1000")], r
        ),
        "parse + pydantic, 1000 files": Command(
            [python, str(HERE / "baseline_parse_validate.py"), str(work / "defs-1000")], r
        ),
        "parse + pydantic, 10000 files": Command(
            [python, str(HERE / "baseline_parse_validate.py"), str(work / "defs-10000")], half
        ),
        "pilots import, 10000 files": Command(
            [pilots, "import", str(work / "defs-10000"), "--db", f"sqlite:///{fresh}"],
            half,
            before=drop_fresh,
        ),  # fmt: skip
        "import typer, rich, sqlmodel": Command([python, str(HERE / "baseline_imports.py")], r),
        "pilots status, 100 pilots": Command([pilots, "status", "--db", small], r),
        "pilots status, 100 pilots, terminal": Command(
            [pilots, "status", "--db", small], r, terminal=True
        ),
        "pilots status, 10000 pilots / 100000 events": Command(
            [pilots, "status", "--db", large], r
        ),
        "pilots report, 1000 pilots": Command(
            [pilots, "report", "-o", str(work / "report.html"), "--db", report_store], r
        ),
    }
    if args.startup:
        commands = {name: c for name, c in commands.items() if name in STARTUP}
    t = run_interleaved(commands)

    def peak(name: str) -> float:
        return t[name][1] if name in t else math.nan

    def s(name: str) -> float:
        return t[name][0] if name in t else math.nan  # nan: not run (--startup)

    checks = [
        ("`pilots --help` ≤ 1.25 × minimal Typer app",
         s("pilots --help") / s("minimal typer --help"), 1.25),
        ("`pilots --lang nl --help` ≤ 1.25 × minimal Typer app",
         s("pilots --help, Dutch") / s("minimal typer --help"), 1.25),
        ("`validate` 1 file ≤ 0.6 × check-jsonschema",
         s("pilots validate, 1 file") / s("check-jsonschema, 1 file"), 0.6),
        ("`validate` 1 file in Dutch ≤ 0.6 × check-jsonschema",
         s("pilots validate, 1 file, Dutch") / s("check-jsonschema, 1 file"), 0.6),
        ("`validate` 1000 files ≤ 0.2 × check-jsonschema (5× faster)",
         s("pilots validate, 1000 files") / s("check-jsonschema, 1000 files"), 0.2),
        ("`validate` 1000 files in Dutch ≤ 0.2 × check-jsonschema",
         s("pilots validate, 1000 files, Dutch") / s("check-jsonschema, 1000 files"), 0.2),
        ("`validate` 1000 files ≤ 2 × parse + pydantic",
         s("pilots validate, 1000 files") / s("parse + pydantic, 1000 files"), 2.0),
        ("`import` 10000 files ≤ 4 × parse + pydantic",
         s("pilots import, 10000 files") / s("parse + pydantic, 10000 files"), 4.0),
        ("`import` 10000 files peak memory ≤ 250 MB", peak("pilots import, 10000 files"), 250.0),
        ("`status` 100 pilots ≤ 1.5 × importing typer, rich, sqlmodel",
         s("pilots status, 100 pilots") / s("import typer, rich, sqlmodel"), 1.5),
        ("`status` 100 pilots on a terminal ≤ 1.5 × importing typer, rich, sqlmodel",
         s("pilots status, 100 pilots, terminal") / s("import typer, rich, sqlmodel"), 1.5),
        ("`status` 10000 pilots ≤ 2 × `status` 100 pilots",
         s("pilots status, 10000 pilots / 100000 events") / s("pilots status, 100 pilots"), 2.0),
        ("`report` 1000 pilots ≤ 5 s", s("pilots report, 1000 pilots"), 5.0),
    ]  # fmt: skip
    checks = [check for check in checks if not math.isnan(check[1])]
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.platform()}; median of {r} runs\n")  # fmt: skip
    print("| command | median | peak RSS |\n|---|---:|---:|")
    for name, (seconds, most) in t.items():
        print(f"| {name} | {seconds * 1000:.0f} ms | {most:.0f} MB |")
    print("\n| target | measured | limit | met |\n|---|---:|---:|:---:|")
    for label, value, limit in checks:
        print(f"| {label} | {value:.2f} | {limit:g} | {'yes' if value <= limit else '**no**'} |")
    floor = s("Typer floor: validate's parameters + import yaml") / s("check-jsonschema, 1 file")
    print(f"\nThe floor under `validate` on 1 file (Typer with validate's parameters, importing "
          f"PyYAML, reading nothing) is {floor:.2f} × check-jsonschema.")  # fmt: skip


if __name__ == "__main__":
    main()
