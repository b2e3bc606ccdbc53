"""Text that says nothing: what counts as an empty answer, however it was typed."""

from __future__ import annotations

import unicodedata

# Spaces, controls, formatting marks (zero-width space, BOM) and unassigned code points carry
# no words: a value made only of them is as empty as no value.
_SILENT = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs"})


def is_blank(text: str) -> bool:
    """Whether ``text`` holds no visible character."""
    return all(unicodedata.category(ch) in _SILENT for ch in text)
