"""The JSON Schema of a definition as the stable text committed in docs/."""

from __future__ import annotations

import json
from collections.abc import Mapping


def schema_json(schema: Mapping[str, object]) -> str:
    """The schema as stable, indented JSON."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
