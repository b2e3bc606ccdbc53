"""A definition as the register stores it: its JSON, its hash, and rebuilding it from both."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import ValidationError

from genai_pilots.domain.audit import canonical_json
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.errors import CheckFailed
from genai_pilots.i18n import _


def definition_json(definition: PilotDefinition) -> dict[str, Any]:
    """The definition as stored: JSON types, dates as ISO text."""
    return definition.model_dump(mode="json")


def definition_hash(data: dict[str, Any]) -> str:
    """A stable hash of a stored definition: equal files give equal hashes."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


class DamagedDefinition(CheckFailed):
    """A stored definition that no longer validates: the store was changed behind the tool."""


def stored_definition(data: dict[str, Any]) -> PilotDefinition:
    """Rebuild a definition from its stored JSON (already validated when it was stored)."""
    try:
        return PilotDefinition.model_validate(data, strict=False)
    except ValidationError as exc:
        pilot = data.get("id") if isinstance(data, dict) else None
        raise _damaged(pilot, exc) from None


def stored_definition_text(pilot: str, text: str) -> PilotDefinition:
    """Rebuild a definition from its stored JSON text, parsed and checked in one step.

    Twice as fast as decoding the JSON first, for the views that read thousands.
    """
    try:
        return PilotDefinition.model_validate_json(text, strict=False)
    except ValidationError as exc:
        raise _damaged(pilot, exc) from None


def _damaged(pilot: str | None, exc: ValidationError) -> DamagedDefinition:
    return DamagedDefinition(
        _(
            "the stored definition of {pilot} is no longer valid ({problem}): the store was "
            "changed outside genai-pilots"
        ).format(pilot=pilot or _("a pilot"), problem=exc.errors()[0]["msg"]),
        hint=_("`pilots audit verify` names what differs; restore the store from a backup"),
    )


def derived_columns(definition: PilotDefinition) -> dict[str, Any]:
    """The pilot row's columns that derive from its definition (the definition included)."""
    data = definition_json(definition)
    facts = definition.governance.ai_act
    return {
        "definition": data,
        "definition_hash": definition_hash(data),
        "name": definition.name,
        "setting": definition.setting,
        "department": definition.department,
        "owner_name": definition.owner.name,
        "owner_email": definition.owner.email,
        "risk_class": facts.risk_class if facts else None,
    }
