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
from genai_pilots.i18n import N_, _

_TYPE_WORDS = {
    "string_type": N_("text"),
    "int_type": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "bool_type": N_("true or false"),
    "date_type": N_("a date (YYYY-MM-DD)"),
    "list_type": N_("a list"),
    "model_type": N_("a mapping of fields"),
    "dict_type": N_("a mapping of fields"),
    "model_attributes_type": N_("a mapping of fields"),
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
        return _("nothing (an empty value)")
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return repr(value) if isinstance(value, str) else str(value)


def _message(error: Any, loaded: LoadedYaml, path: Path, model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return _("required field '{name}' is missing; add it").format(name=path[-1])
    if kind == "extra_forbidden":
        name = str(path[-1])
        parent = _model_at(model, path[:-1])
        allowed = list(parent.model_fields) if parent else []
        close = difflib.get_close_matches(name, allowed, n=1)
        advice = (
            _("did you mean '{name}'?").format(name=close[0])
            if close
            else _("allowed: {names}").format(names=", ".join(allowed))
        )
        return _("unknown field '{name}'; {advice}").format(name=name, advice=advice)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return _("{value} is not allowed; use one of {expected}").format(
            value=_shown(loaded, path, value), expected=expected
        )
    if (
        kind == "string_type"
        and isinstance(value, int | float | bool)
        and path in loaded.source_text
    ):
        text = loaded.source_text[path]
        return _(
            'expected text, got {text}; quote it ("{text}") so it stays exactly as written'
        ).format(text=text)
    if kind == "string_type" and hasattr(value, "isoformat"):
        text = loaded.source_text.get(path, str(value))
        return _(
            'expected text, got the date {text}; quote it ("{text}") to keep it as text'
        ).format(text=text)
    if kind in _TYPE_WORDS:
        shown = _shown(loaded, path, value)
        advice = ""
        if kind == "date_type" and isinstance(value, str):
            if (wrong := date_advice(value)) is not None:
                return _("expected a date (YYYY-MM-DD), got {shown}, which {wrong}").format(
                    shown=shown, wrong=wrong
                )
        if kind == "bool_type" and isinstance(value, str):
            advice = _(" (yes/no/on/off are text in YAML 1.2; write true or false)")
        elif kind in {"int_type", "float_type"} and isinstance(value, str):
            bare = value.strip().lower().lstrip("+-")
            if bare in {".nan", ".inf", "nan", "inf", "infinity"}:
                return _("expected a finite number, got {value}").format(value=value)
            advice = _(" (remove the quotes around a number)")
            if "," in value:
                advice = f" ({number_advice(value)})"
        elif kind == "date_type" and isinstance(value, str):
            advice = _(" (write the date unquoted, e.g. 2026-03-01)")
        elif kind == "list_type":
            advice = _(" (write [] for none, or [a, b])")
        elif kind in {"dict_type", "model_type"} and value is None:
            advice = _(" (fill in its fields, or remove the key)")
        return _("expected {what}, got {shown}{advice}").format(
            what=_(_TYPE_WORDS[kind]), shown=shown, advice=advice
        )
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        shown = _shown(loaded, path, value)
        return _("{shown} is not a valid id; use lower-case letters, digits and hyphens").format(
            shown=shown
        )
    return _("{message} (got {shown})").format(
        message=error["msg"], shown=_shown(loaded, path, value)
    )


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
