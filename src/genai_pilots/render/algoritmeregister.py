"""Algoritmeregister records as the JSON file that is published."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any


def algoritmeregister_json(records: Sequence[dict[str, Any]]) -> str:
    """The records as indented JSON, one file, ending in a newline."""
    return json.dumps(list(records), indent=2, ensure_ascii=False) + "\n"
