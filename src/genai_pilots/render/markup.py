r"""Pieces every view shares: escaping user text, styles that can be left out, UTC times.

User text is shown as it is, except characters that would deceive: a bidirectional override,
a zero-width space or a control shows as its escape (``\u202e``), never invisibly
(``domain.text.reveal``). ``escape`` does it for Rich markup, ``plain`` for plain text and
``json_text`` for JSON (as JSON's own escapes, so the data read back is unchanged).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from genai_pilots import i18n
from genai_pilots.domain.audit import utc
from genai_pilots.domain.text import hides, reveal

plain = reveal


def when(moment: dt.datetime) -> str:
    """A moment as people read it: UTC, to the minute (``2026-11-30 14:05``; Dutch in Dutch)."""
    return i18n.moment(utc(moment))


def escape(text: str) -> str:
    """User text for Rich markup: hiding characters revealed, markup escaped.

    Rich's escape is imported on first use: piped output never loads Rich.
    """
    from rich.markup import escape as rich_escape

    return rich_escape(reveal(text))


def tagged(style: str, text: str, markup: bool) -> str:
    """``text`` in ``style`` when drawing with markup, else as it is."""
    return f"[{style}]{text}[/]" if markup else text


_NOT_ASCII = re.compile(r"[^\x00-\x7e]|\x7f")


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not hides(char):
        return char
    number = ord(char)
    if number <= 0xFFFF:
        return f"\\u{number:04x}"
    number -= 0x10000  # a UTF-16 surrogate pair, as JSON writes a character beyond the BMP
    return f"\\u{0xD800 + (number >> 10):04x}\\u{0xDC00 + (number & 0x3FF):04x}"


def json_text(document: Any) -> str:
    r"""``document`` as indented JSON, hiding characters written as JSON escapes.

    They only occur inside strings (``json.dumps`` escapes every other control), so the
    document reads back the same; a terminal or an editor shows ``\u202e``.
    """
    return _NOT_ASCII.sub(_json_escape, json.dumps(document, indent=2, ensure_ascii=False))
