"""Baseline: only parse each file with libyaml and validate it with pydantic, nothing else.

python benchmarks/baseline_parse_validate.py FILE_OR_DIR...
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from genai_pilots.domain.definition import PilotDefinition


def main() -> int:
    """Parse and validate; exit 1 if any file fails, like a validator would."""
    failed = 0
    for name in sys.argv[1:]:
        path = Path(name)
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            data = yaml.load(file.read_bytes(), Loader=yaml.CSafeLoader)
            try:
                PilotDefinition.model_validate(data)
            except Exception:  # noqa: BLE001 - a baseline counts failures, nothing more
                failed += 1
    print(f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
