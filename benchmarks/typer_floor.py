"""Baseline: the floor under `pilots validate FILE` — Typer, validate's own parameters, PyYAML.

A Typer app whose only command has exactly the parameters of `pilots validate` and, when run,
imports PyYAML (needed to read any definition) and does nothing else; the process is set up as
`pilots` sets up its own (plugin scan off, no garbage collection at exit). Typer 0.29 checks
parameters with pydantic, so this already pays for importing pydantic. What `pilots validate`
costs beyond this is ours: the definition models, the default playbook, reading and checking.
"""

import functools
import os
import sys
from typing import Any

import typer

from genai_pilots.cli import skip_final_garbage_collection
from genai_pilots.cli.validate import validate

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as `pilots` does
skip_final_garbage_collection()


@functools.wraps(validate)
def validate_nothing(*args: Any, **kwargs: Any) -> None:
    """Same signature as `pilots validate`; reads no file."""
    import yaml  # noqa: F401


app = typer.Typer(pretty_exceptions_enable=False)
app.command("validate")(validate_nothing)
app.command("other")(lambda: None)

if __name__ == "__main__":
    sys.exit(app())
