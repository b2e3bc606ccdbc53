"""genai-pilots: an auditable register that moves GenAI pilots in care from proeftuin to practice.

The public Python API is re-exported here lazily, so ``import genai_pilots`` stays as cheap as
``pilots --help``: nothing heavy is imported until a name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "validate_paths": "genai_pilots.services.validation",
    "validate_text": "genai_pilots.domain.validation",
    "PilotDefinition": "genai_pilots.domain.definition",
    "Finding": "genai_pilots.domain.findings",
    "Severity": "genai_pilots.domain.findings",
    "PilotsError": "genai_pilots.errors",
}

if TYPE_CHECKING:
    from genai_pilots.domain.definition import PilotDefinition
    from genai_pilots.domain.findings import Finding, Severity
    from genai_pilots.domain.validation import validate_text
    from genai_pilots.errors import PilotsError
    from genai_pilots.services.validation import validate_paths

__all__ = [
    "Finding",
    "PilotDefinition",
    "PilotsError",
    "Severity",
    "__version__",
    "validate_paths",
    "validate_text",
]


def __getattr__(name: str) -> Any:
    """Import public names on first use (PEP 562)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'genai_pilots' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)
