"""Field-level differences between two versions of a definition, for plans and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from genai_pilots.domain.findings import format_path

_MISSING = object()


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: its path and both values (``None`` when absent)."""

    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form, stored in event payloads."""
        return {"field": self.field, "old": self.old, "new": self.new}


def _flatten(value: Any, path: tuple[str | int, ...], out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _flatten(item, (*path, key), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value):
            _flatten(item, (*path, index), out)
    else:
        out[format_path(path)] = value


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The fields whose values differ, in a stable order."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(old, (), before)
    _flatten(new, (), after)
    changes = []
    for field in sorted(before.keys() | after.keys()):
        a, b = before.get(field, _MISSING), after.get(field, _MISSING)
        if a != b:
            changes.append(
                FieldChange(field, None if a is _MISSING else a, None if b is _MISSING else b)
            )
    return changes
