"""Text that says nothing, and characters that hide: what counts as empty, what deceives.

Two questions about text a user typed. Is it empty, however it was typed (``is_blank``)? And
does it hold characters a terminal shows as nothing, or that reorder the text around them
(bidirectional overrides and isolates, zero-width spaces and joiners, controls)? Such a name
reads as something else than it is, so ``pilots validate`` warns about them
(``hidden_characters``), and every view shows them as escapes (``reveal``).
"""

from __future__ import annotations

import re
import unicodedata

from genai_pilots.i18n import _, ngettext

# Spaces, controls, formatting marks (zero-width space, BOM) and unassigned code points carry
# no words: a value made only of them is as empty as no value.
_SILENT = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs"})

# Categories that show as nothing or move text around: controls (Cc), format characters (Cf:
# bidirectional overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width space, joiners,
# word joiner, BOM, soft hyphen), line and paragraph separators, surrogates, private use and
# unassigned code points.
_HIDING_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
# Letters and marks that show as nothing (Unicode's default-ignorable code points that are not
# format characters): Hangul fillers, the combining grapheme joiner, variation selectors,
# Mongolian free variation selectors, Khmer inherent vowels, the braille blank.
INVISIBLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2800, 0x3164,
     0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)  # fmt: skip
# A line break and a tab are layout every terminal shows as such; printable ASCII shows as
# itself. Only the other characters need a look (most text has few of them).
_CANDIDATE = re.compile(r"[^\t\n\x20-\x7e]")


_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]")


def is_blank(text: str) -> bool:
    """Whether ``text`` holds no visible character."""
    if _VISIBLE_ASCII.search(text):  # most text: settled without looking at each character
        return False
    return all(unicodedata.category(ch) in _SILENT for ch in text)


def hides(char: str) -> bool:
    """Whether one character shows as nothing, or changes how the text around it shows."""
    if char in "\n\t":
        return False
    return unicodedata.category(char) in _HIDING_CATEGORIES or ord(char) in INVISIBLE


def hidden_characters(text: str) -> list[str]:
    """The characters of ``text`` that hide (each once, in order of appearance)."""
    found = (m.group() for m in _CANDIDATE.finditer(text))
    return list(dict.fromkeys(ch for ch in found if hides(ch)))


def code_point(char: str) -> str:
    """``U+202E (right-to-left override)``: a character named so that it can be read."""
    name = unicodedata.name(char, "") or _("a {category} character").format(
        category=unicodedata.category(char)
    )
    return f"U+{ord(char):04X} ({name.lower()})"


def escape_code(char: str) -> str:
    r"""The escape a view shows instead of a hiding character: ``\u202e``, ``\U000e0100``."""
    number = ord(char)
    return f"\\u{number:04x}" if number <= 0xFFFF else f"\\U{number:08x}"


def _revealed(match: re.Match[str]) -> str:
    char = match.group()
    return escape_code(char) if hides(char) else char


def reveal(text: str) -> str:
    r"""``text`` with every hiding character written as its escape, so it cannot deceive.

    Line breaks and tabs stay; everything else ``hides`` is shown as ``\u202e``. Text
    without such characters comes back as it was.
    """
    return _CANDIDATE.sub(_revealed, text)


def hiding_problem(text: str, pilot: str | None = None) -> str | None:
    """Why ``text`` (a value of ``pilot``) deceives, or ``None``: the warning users see."""
    hidden = hidden_characters(text)
    if not hidden:
        return None
    names = ", ".join(map(code_point, hidden))
    escapes = ", ".join(map(escape_code, hidden))
    if pilot:
        return ngettext(
            "the text of pilot '{pilot}' contains {names}, which shows as nothing or reorders "
            "the text around it, so it reads as something it is not; remove it (views show "
            "{escapes})",
            "the text of pilot '{pilot}' contains {names}, which show as nothing or reorder the "
            "text around them, so it reads as something it is not; remove them (views show "
            "{escapes})",
            len(hidden),
        ).format(pilot=pilot, names=names, escapes=escapes)
    return ngettext(
        "the text contains {names}, which shows as nothing or reorders the text around it, so "
        "it reads as something it is not; remove it (views show {escapes})",
        "the text contains {names}, which show as nothing or reorder the text around them, so "
        "it reads as something it is not; remove them (views show {escapes})",
        len(hidden),
    ).format(names=names, escapes=escapes)
