"""Generate N realistic pilot definitions, varied from examples/, for benchmarks.

python benchmarks/generate.py 1000 benchmarks/work/defs
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))


def generate(count: int, target: Path, seed: int = 7) -> list[Path]:
    """Write ``count`` valid definitions into ``target``; ids are unique."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    sources = [(p.stem, p.read_text(encoding="utf-8")) for p in EXAMPLES]
    written = []
    for number in range(count):
        stem, text = sources[number % len(sources)]
        new_id = f"{stem}-{number:05d}"
        body = text.replace(f"id: {stem}", f"id: {new_id}", 1)
        # Vary what does not change validity: KPI baselines, names, departments.
        body = body.replace("baseline: 12,", f"baseline: {rng.randint(10, 20)},")
        body = body.replace("baseline: 25,", f"baseline: {rng.randint(20, 40)},")
        body = body.replace("baseline: 140,", f"baseline: {rng.randint(100, 200)},")
        body = body.replace("\nname: ", f"\nname: Pilot {number} — ", 1)
        path = target / f"{new_id}.yaml"
        path.write_text(body.replace("../docs/", "../../../docs/"), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
