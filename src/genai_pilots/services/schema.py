"""The JSON Schema of a definition, generated from the pydantic models."""

from __future__ import annotations

from genai_pilots.domain.definition import PilotDefinition


def definition_schema() -> dict[str, object]:
    """The JSON Schema (draft 2020-12) of a pilot definition."""
    schema = PilotDefinition.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
