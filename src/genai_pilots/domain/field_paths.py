"""Dotted paths into a pilot definition: their syntax, which are known, and the values at one.

``governance.approvals[*].role`` names every approval's role; ``derived.*`` names a value
computed from the definition (see ``gates.context_data``).
"""

from __future__ import annotations

import functools
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import Field

from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.schema_errors import model_of
from genai_pilots.i18n import _

FieldPath = Annotated[
    str,
    Field(
        pattern=r"^[a-z_][a-z0-9_]*(?:\[\*\])?(?:\.[a-z_][a-z0-9_]*(?:\[\*\])?)*$",
        description="Dotted path into the definition; [*] means every item of a list.",
    ),
]

# Values computed from a definition that criteria may refer to (see gates.context_data).
DERIVED_FIELDS = (
    "derived.classified",
    "derived.risk_group",
    "derived.risk_class",
    "derived.risk_class_consistent",
    "derived.high_risk",
    "derived.annex_i",
    "derived.annex_iii",
    "derived.transparency",
    "derived.patient_facing",
)


@functools.cache
def _steps(path: str) -> tuple[tuple[str, bool], ...]:
    """(name, fans out) per part of a path: parsed once, since a portfolio judges it often."""
    return tuple((part.removesuffix("[*]"), part.endswith("[*]")) for part in path.split("."))


def resolve_field(data: Any, path: str) -> list[Any] | Any:
    """Values at a dotted path; a ``[*]`` part fans out into a list of values."""
    values: list[Any] = [data]
    fanned = False
    for name, each in _steps(path):
        nxt: list[Any] = []
        for value in values:
            item = value.get(name) if isinstance(value, dict) else None
            if each:
                fanned = True
                nxt.extend(item if isinstance(item, list) else [])
            else:
                nxt.append(item)
        values = nxt
    return values if fanned else values[0]


def known_path(path: str) -> bool:
    """Whether a field path names a field of the definition (or the derived values)."""
    if path.startswith("derived."):
        return path in DERIVED_FIELDS
    model: Any = PilotDefinition
    for part in path.split("."):
        name = part.removesuffix("[*]")
        if model is None or name not in model.model_fields:
            return False
        model = model_of(model.model_fields[name].annotation)
    return True


def number_path_problem(path: str) -> str | None:
    """Why a known field path names no single number (a list, text, a section), if it does not.

    What a ``ratio`` or ``trained`` criterion divides must be one number per pilot.
    """
    if path.startswith("derived.") or "[*]" in path:
        return _(
            "'{path}' is not a number: a ratio divides number fields (e.g. skills.target_users)"
        ).format(path=path)
    model: Any = PilotDefinition
    annotation: Any = None
    for part in path.split("."):
        if model is None or part not in model.model_fields:
            return None  # an unknown path is reported as such
        annotation = model.model_fields[part].annotation
        model = model_of(annotation)
    if model is None and _is_number(annotation):
        return None
    if _is_list(annotation):
        return _(
            "'{path}' is a list: a ratio divides number fields (e.g. skills.target_users)"
        ).format(path=path)
    return _(
        "'{path}' is not a number: a ratio divides number fields (e.g. skills.target_users)"
    ).format(path=path)


def _bare(annotation: Any) -> list[Any]:
    """The types an annotation allows: ``Annotated`` and ``None`` of an optional taken off."""
    if get_origin(annotation) is Annotated:
        return _bare(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return [t for arg in get_args(annotation) for t in _bare(arg) if t is not type(None)]
    return [annotation]


def _is_number(annotation: Any) -> bool:
    types = _bare(annotation)
    return bool(types) and all(t in (int, float) for t in types)


def _is_list(annotation: Any) -> bool:
    return any(
        get_origin(t) in (list, tuple, set, frozenset) or t in (list, tuple)
        for t in _bare(annotation)
    )


def named_paths(criterion: Any) -> list[tuple[str, str]]:
    """The field paths a criterion names: (its attribute, the path), ``when`` included."""
    values = vars(criterion)  # not getattr: a name a kind lacks goes through pydantic, slowly
    names = ("field", "numerator", "denominator", "champions", "datasets")
    paths = [(name, values[name]) for name in names if values.get(name) is not None]
    if criterion.when is not None:
        paths.append(("when.field", criterion.when.field))
    return paths
