"""Dotted paths into a pilot definition: their syntax, which are known, and the values at one.

``governance.approvals[*].role`` names every approval's role; ``derived.*`` names a value
computed from the definition (see ``gates.context_data``).
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import Field

from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.schema_errors import model_of

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


def named_paths(criterion: Any) -> list[tuple[str, str]]:
    """The field paths a criterion names: (its attribute, the path), ``when`` included."""
    values = vars(criterion)  # not getattr: a name a kind lacks goes through pydantic, slowly
    names = ("field", "numerator", "denominator", "champions", "datasets")
    paths = [(name, values[name]) for name in names if values.get(name) is not None]
    if criterion.when is not None:
        paths.append(("when.field", criterion.when.field))
    return paths
