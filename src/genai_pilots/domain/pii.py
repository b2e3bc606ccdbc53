"""The PII guard: definitions describe pilots and must never carry patient data.

A number that passes the BSN 11-proef is an error wherever it stands. IBANs, phone numbers and
e-mail addresses are warnings outside the owner's contact fields, where they belong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from genai_pilots.domain.findings import Severity

_BSN = re.compile(r"(?<![\d.])(\d{4}\.?\d{2}\.?\d{3}|\d{9})(?![\d.]?\d)")
_IBAN = re.compile(
    r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", re.ASCII | re.IGNORECASE
)
_IBAN_ACCOUNT_DIGITS = 6
"""Every country's account part holds more digits; words ("ab12 deze week") hold none."""
_PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)[\s-]?(?:\(0\))?[\s-]?[1-9](?:[\s-]?\d){8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

CONTACT_PATHS = (("owner",),)


@dataclass(frozen=True, slots=True)
class PiiHit:
    """A suspected identifier at a path of the loaded data."""

    path: tuple[str | int, ...]
    code: str
    severity: Severity
    message: str


def passes_11_proef(digits: str) -> bool:
    """The BSN 11-proef: weights 9..2 and -1 over nine digits sum to a multiple of 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    if sum(ch.isdigit() for ch in compact[4:]) < _IBAN_ACCOUNT_DIGITS:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _in_contact(path: tuple[str | int, ...]) -> bool:
    return any(path[: len(prefix)] == prefix for prefix in CONTACT_PATHS)


_DIGITS = re.compile(r"\d")


def scan_text(text: str, path: tuple[str | int, ...]) -> Iterator[PiiHit]:
    """Suspected identifiers in one string value."""
    has_digit = _DIGITS.search(text) is not None
    if not has_digit and "@" not in text:
        return  # every identifier we look for has a digit or an @: most text has neither
    for match in _BSN.finditer(text):
        if passes_11_proef(match.group(1).replace(".", "")):
            yield PiiHit(
                path,
                "pii-bsn",
                Severity.ERROR,
                "looks like a BSN (passes the 11-proef); remove patient identifiers from "
                "definitions",
            )
    if _in_contact(path):
        return
    for match in _IBAN.finditer(text):
        if _iban_valid(match.group(1)):
            yield PiiHit(path, "pii-iban", Severity.WARNING, "looks like an IBAN; remove it")
            text = text.replace(match.group(1), " ")  # its digits are not also a phone number
    if _PHONE.search(text):
        yield PiiHit(
            path,
            "pii-phone",
            Severity.WARNING,
            "looks like a phone number; personal contact details belong only in owner",
        )
    if _EMAIL.search(text):
        yield PiiHit(
            path,
            "pii-email",
            Severity.WARNING,
            "looks like an e-mail address; personal contact details belong only in owner",
        )


def scan(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[PiiHit]:
    """Walk loaded YAML data and yield every suspected identifier with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from scan(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from scan(value, (*path, index))
    elif isinstance(data, str):
        yield from scan_text(data, path)
    elif isinstance(data, int) and not isinstance(data, bool):
        yield from scan_text(str(data), path)
