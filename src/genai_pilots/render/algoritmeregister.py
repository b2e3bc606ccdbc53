"""Algoritmeregister records as the JSON file that is published, and why records were refused."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from genai_pilots.readmodels import PublicationFinding


def algoritmeregister_json(records: Sequence[dict[str, Any]]) -> str:
    """The records as indented JSON, one file, ending in a newline."""
    return json.dumps(list(records), indent=2, ensure_ascii=False) + "\n"


def finding_lines(findings: Sequence[PublicationFinding]) -> list[str]:
    """One line per broken rule: pilot, field, what is wrong, where to fix it, the rule."""
    return [finding.format() for finding in findings]
