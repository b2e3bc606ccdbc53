"""Names of certification standards, read strictly: which standard, which part, which edition.

"NEN 7510:2017", "NEN 7510-1:2024" and "nen7510" name NEN 7510; "NEN 75100", "NEN 7510
(aangevraagd)" and "ISO 27001 (NEN 7510 equivalent)" do not. A certificate counts for a
standard a playbook accepts when it is that standard, a part the playbook allows (any, or the
one it names), and the edition the playbook names or a later one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(
    r"^\s*(?P<body>[A-Za-z][A-Za-z/ ]*?)\s*(?P<number>\d{3,6})"
    r"(?:-(?P<part>\d{1,2}))?(?::(?P<year>\d{4}))?\s*$",
    re.ASCII,
)
# Certification against NEN 7510 is against part 1 (the requirements); part 2 is guidance.
CERTIFIABLE_PART = {"NEN7510": 1, "ISOIEC27001": None}
MAX_YEARS_VALID = 3  # a certification cycle: a certificate says so on its face


@dataclass(frozen=True, slots=True)
class Standard:
    """A standard's name, read: body and number (``NEN7510``), part and edition if given."""

    key: str
    part: int | None
    year: int | None

    def accepts(self, held: Standard) -> bool:
        """Whether a certificate of ``held`` meets this (accepted) standard."""
        if held.key != self.key:
            return False
        wanted_part = self.part if self.part is not None else CERTIFIABLE_PART.get(self.key)
        if held.part is not None and wanted_part is not None and held.part != wanted_part:
            return False
        return self.year is None or (held.year is not None and held.year >= self.year)


def parse_standard(text: str) -> Standard | None:
    """The standard a name means, or None when it is not a standard's name and nothing else."""
    found = _NAME.match(text)
    if found is None:
        return None
    body = "".join(ch for ch in found["body"].upper() if ch.isalpha())
    part = int(found["part"]) if found["part"] else None
    year = int(found["year"]) if found["year"] else None
    return Standard(body + found["number"], part, year)
