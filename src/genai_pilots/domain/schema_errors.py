"""Turn pydantic validation errors into findings at ``line:col`` with advice on the fix.

The CLI never sees pydantic: every error is located in the YAML node tree (the nearest node on
the error's path) and rephrased as what to write instead.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from genai_pilots.domain.findings import Finding, Severity, format_path
from genai_pilots.domain.notation import date_advice, number_advice
from genai_pilots.domain.yamlsafe import LoadedYaml, Path

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
}


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """Drop the parts of a pydantic location that are not in the data (union tags)."""
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif last:
            path.append(part)
        # otherwise: a discriminator or union member name, not a key of the file
    return tuple(path)


def _model_at(model: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` (for "did you mean")."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = model_of(field.annotation)
    return current


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The first pydantic model inside a type annotation (through Optional, list, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None or get_args(annotation):
        for arg in get_args(annotation):
            found = model_of(arg)
            if found is not None:
                return found
    return None


def _shown(loaded: LoadedYaml, path: Path, value: Any) -> str:
    text = loaded.source_text.get(path)
    if text is not None and text.strip():
        return text
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _message(error: Any, loaded: LoadedYaml, path: Path, model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return f"required field '{path[-1]}' is missing; add it"
    if kind == "extra_forbidden":
        name = str(path[-1])
        parent = _model_at(model, path[:-1])
        allowed = list(parent.model_fields) if parent else []
        close = difflib.get_close_matches(name, allowed, n=1)
        advice = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        return f"unknown field '{name}'; {advice}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{_shown(loaded, path, value)} is not allowed; use one of {expected}"
    if (
        kind == "string_type"
        and isinstance(value, int | float | bool)
        and path in loaded.source_text
    ):
        text = loaded.source_text[path]
        return f'expected text, got {text}; quote it ("{text}") so it stays exactly as written'
    if kind == "string_type" and hasattr(value, "isoformat"):
        text = loaded.source_text.get(path, str(value))
        return f'expected text, got the date {text}; quote it ("{text}") to keep it as text'
    if kind in _TYPE_WORDS:
        shown = _shown(loaded, path, value)
        advice = ""
        if kind == "date_type" and isinstance(value, str):
            if (wrong := date_advice(value)) is not None:
                return f"expected a date (YYYY-MM-DD), got {shown}, which {wrong}"
        if kind == "bool_type" and isinstance(value, str):
            advice = " (yes/no/on/off are text in YAML 1.2; write true or false)"
        elif kind in {"int_type", "float_type"} and isinstance(value, str):
            bare = value.strip().lower().lstrip("+-")
            if bare in {".nan", ".inf", "nan", "inf", "infinity"}:
                return f"expected a finite number, got {value}"
            advice = " (remove the quotes around a number)"
            if "," in value:
                advice = f" ({number_advice(value)})"
        elif kind == "date_type" and isinstance(value, str):
            advice = " (write the date unquoted, e.g. 2026-03-01)"
        elif kind == "list_type":
            advice = " (write [] for none, or [a, b])"
        elif kind in {"dict_type", "model_type"} and value is None:
            advice = " (fill in its fields, or remove the key)"
        return f"expected {_TYPE_WORDS[kind]}, got {shown}{advice}"
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        shown = _shown(loaded, path, value)
        return f"{shown} is not a valid id; use lower-case letters, digits and hyphens"
    return f"{error['msg']} (got {_shown(loaded, path, value)})"


def schema_findings(
    exc: ValidationError, loaded: LoadedYaml, source: str, model: type[BaseModel]
) -> list[Finding]:
    """One finding per pydantic error, placed at the nearest YAML node of its path."""
    findings = []
    for error in exc.errors(include_url=False):
        path = _data_path(loaded.data, error["loc"])
        on_key = error["type"] == "extra_forbidden"
        line, col = loaded.locate(path, key=on_key)
        findings.append(
            Finding(
                source,
                line,
                col,
                Severity.ERROR,
                format_path(path),
                _message(error, loaded, path, model),
                "schema",
            )
        )
    return findings
