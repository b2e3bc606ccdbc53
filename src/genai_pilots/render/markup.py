"""Pieces every view shares: escaping user text, styles that can be left out, UTC times."""

from __future__ import annotations

from genai_pilots.domain.audit import format_utc

when = format_utc


def escape(text: str) -> str:
    """Rich's markup escape, imported on first use: piped output never loads Rich."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def tagged(style: str, text: str, markup: bool) -> str:
    """``text`` in ``style`` when drawing with markup, else as it is."""
    return f"[{style}]{text}[/]" if markup else text
