"""Baseline: a script that only imports the stack ``pilots status`` is built on."""

import rich  # noqa: F401
import sqlmodel  # noqa: F401
import typer  # noqa: F401
