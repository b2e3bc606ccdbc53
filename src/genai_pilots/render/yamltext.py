"""Definitions as YAML text that our own loader reads back to the same values."""

from __future__ import annotations

from typing import Any

import yaml

from genai_pilots import __version__
from genai_pilots.domain.yamlsafe import FLOAT_PATTERN


class _Dumper(yaml.SafeDumper):
    """Safe dumping; strings that YAML could mistake for other types are quoted."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
# Our loader reads YAML 1.2 floats such as 1e3 that YAML 1.1 sees as text: quote those too.
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", FLOAT_PATTERN, list("-+0123456789."))


def definition_yaml(data: dict[str, Any], *, source: str = "the genai-pilots register") -> str:
    """One definition file: a header comment, then the fields in definition order."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return f"# Exported from {source} by pilots {__version__}.\n{body}"
