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
    "open_store": "genai_pilots.services.transactions",
    "import_paths": "genai_pilots.services.importing",
    "advance": "genai_pilots.services.lifecycle",
    "create_pilot": "genai_pilots.services.lifecycle",
    "set_paused": "genai_pilots.services.lifecycle",
    "portfolio": "genai_pilots.services.portfolio",
    "pilot_detail": "genai_pilots.services.portfolio",
    "history": "genai_pilots.services.portfolio",
    "export_pilots": "genai_pilots.services.exporting",
    "load_playbook": "genai_pilots.services.playbooks",
    "add_training": "genai_pilots.services.training",
    "import_training": "genai_pilots.services.training",
    "remove_training": "genai_pilots.services.training",
    "training_of": "genai_pilots.services.training",
}

if TYPE_CHECKING:
    from genai_pilots.domain.definition import PilotDefinition
    from genai_pilots.domain.findings import Finding, Severity
    from genai_pilots.domain.validation import validate_text
    from genai_pilots.errors import PilotsError
    from genai_pilots.services.exporting import export_pilots
    from genai_pilots.services.importing import import_paths
    from genai_pilots.services.lifecycle import advance, create_pilot, set_paused
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.portfolio import history, pilot_detail, portfolio
    from genai_pilots.services.training import (
        add_training,
        import_training,
        remove_training,
        training_of,
    )
    from genai_pilots.services.transactions import open_store
    from genai_pilots.services.validation import validate_paths

__all__ = [
    "Finding",
    "PilotDefinition",
    "PilotsError",
    "Severity",
    "__version__",
    "add_training",
    "advance",
    "create_pilot",
    "export_pilots",
    "history",
    "import_paths",
    "import_training",
    "load_playbook",
    "open_store",
    "pilot_detail",
    "portfolio",
    "remove_training",
    "set_paused",
    "training_of",
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
