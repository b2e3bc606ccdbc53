"""The PII guard: definitions describe pilots and must never carry patient data.

A number that passes the BSN 11-proef is an error wherever it stands. IBANs, phone numbers and
e-mail addresses are warnings outside the owner's contact fields, where they belong.

Identifiers are matched by their class, not by one spelling. A number is a run of digit groups
joined by spaces, dots or hyphens (``123 456 782``, ``1234.56.782``, ``12 34 56 782``); eight
digits are a BSN without its leading zero only next to a word that says BSN (``_bsn_spans``).
A phone number may also use slashes and brackets (``020/1234567``, ``(020) 123 4567``), an IBAN
lower case; a no-break space is a space. What reads as a decimal, an amount, a date, a time, a
version or an IP address is not an identifier, so the false alarms stay rare. Digits are ASCII
digits (``re.ASCII``): other scripts' digits are not a BSN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from genai_pilots.domain.findings import Severity
from genai_pilots.i18n import _

# A run of at least eight digits, one space, dot or hyphen at most between two: any number that
# could be a BSN, in any grouping, taken whole (a match never starts or ends inside a number).
_NUMBER = re.compile(r"\d(?:[ .\-]?\d){7,}", re.ASCII)
_GROUP = re.compile(r"\d+", re.ASCII)
_BSN_WORD = re.compile(
    r"(?<![a-z])(?:bsn|burgerservice|sofi(?:nummer|nr)?(?![a-z]))", re.ASCII | re.IGNORECASE
)
_BSN_WORD_REACH = 40
"""How near (in characters) a BSN word must stand to an eight-digit number to make it a BSN."""
_CURRENCY_BEFORE = re.compile(r"(?:[€$£]|\beuro?)\s?$", re.ASCII | re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"\s?(?:€|euro?\b)", re.ASCII | re.IGNORECASE)
# A comma with a short number on its other side is a decimal comma (123.456.782,50, 1,123456782;
# an amount 123.456.782,-); with another long number it separates a list (111222333,123456782).
_DECIMAL_AFTER = re.compile(r",(?:-|\d{1,7}(?!\d))", re.ASCII)
_DECIMAL_BEFORE = re.compile(r"(?<!\d)\d{1,7},$", re.ASCII)

_IBAN = re.compile(
    r"\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", re.ASCII | re.IGNORECASE
)
_IBAN_ACCOUNT_DIGITS = 6
"""Every country's account part holds more digits; words ("ab12 deze week") hold none."""

_PHONE_SEP = r"(?:[\s.]|\s?[-/]\s?)"


def _digits(count: int, first: str = r"\d") -> str:
    return rf"{first}(?:{_PHONE_SEP}?\d){{{count - 1}}}"


# Nine digits after the trunk 0, +31, 0031 or +31 (0), with one separator at most between two;
# or an area code in brackets, (06) to (0172). Not inside a word or a longer number, nor a
# decimal's fraction; not followed by more digits, a decimal part or a time (01-02-2026 10:30).
_PHONE = re.compile(
    r"(?<![\w+])(?<!\d[.,/-])(?:"
    + "|".join(
        [
            rf"(?:\+|00)31{_PHONE_SEP}?(?:\(0\){_PHONE_SEP}?)?{_digits(9, '[1-9]')}",
            rf"0[\s-]?{_digits(9, '[1-9]')}",
            *(rf"\(0[1-9]\d{{{area - 1}}}\){_PHONE_SEP}?{_digits(9 - area)}" for area in (1, 2, 3)),
        ]
    )
    + r")(?!\d|[.:]\d)",
    re.ASCII,
)
_DATE_FIRST = re.compile(r"\d\d([.\-/])\d\d\1(?:19|20)\d\d", re.ASCII)  # 01-02-2026 10 uur
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT = re.compile(r"\d", re.ASCII)
_NO_BREAK_SPACES = ("\u00a0", "\u202f")  # what a word processor puts in "123 456 782"

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
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()) or digits == "000000000":
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


def _numbers(run: re.Match[str]) -> Iterator[tuple[int, int]]:
    """Where the numbers in a run of digit groups stand: the whole run, and groups set apart.

    The whole run is one number when it is one group, or when one kind of separator joins
    groups of two to four digits (``123 456 782``, ``12 34 56 782``; not ``1 22 333 444``,
    ``123 456.782``, ``4877225 04``) other than two joined by a dot (``1234.5672``, a decimal).
    A group of eight or nine digits is also a number of its own where a space or hyphen sets it
    apart (``2024 123456782``), never a dot (``123456782.5`` is a decimal).
    """
    text = run.group()
    groups = list(_GROUP.finditer(text))
    if len(groups) == 1:
        yield run.span()
        return
    separators = {text[g.end()] for g in groups[:-1]}
    decimal = separators == {"."} and len(groups) == 2
    if len(separators) == 1 and not decimal and all(2 <= len(g.group()) <= 4 for g in groups):
        yield run.span()
    for group in groups:
        apart = text[group.start() - 1 : group.start()] != "." and text[group.end() :][:1] != "."
        if len(group.group()) in (8, 9) and apart:
            yield run.start() + group.start(), run.start() + group.end()


def _stands_for_something_else(text: str, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` reads as part of a decimal, an amount or a version."""
    before = text[max(0, start - 2) : start]
    return (
        (before[-1:] == "." and not before[:1].isalpha())  # .123456782 (but nr.123456782)
        or _DECIMAL_BEFORE.search(text, max(0, start - 8), start) is not None
        or before[-1:] in ("v", "V")  # v123.456.782
        or _DECIMAL_AFTER.match(text, end) is not None
        or _CURRENCY_BEFORE.search(text, max(0, start - 6), start) is not None
        or _CURRENCY_AFTER.match(text, end) is not None
    )


def _ip_address(number: str) -> bool:
    parts = number.split(".")
    return len(parts) == 4 and all(p == str(int(p)) and int(p) <= 255 for p in parts)


def _reads_as_date(digits: str) -> bool:
    """Whether eight digits read as a date: yyyymmdd or ddmmyyyy, in 1900-2099."""
    for year, month, day in (
        (digits[:4], digits[4:6], digits[6:]),
        (digits[4:], digits[2:4], digits[:2]),
    ):
        if year[:2] in ("19", "20") and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            return True
    return False


def _bsn_word_near(text: str, start: int, end: int, path: tuple[str | int, ...]) -> bool:
    if any(isinstance(name, str) and _BSN_WORD.search(name) for name in path):
        return True
    window = (max(0, start - _BSN_WORD_REACH), end + _BSN_WORD_REACH)
    return _BSN_WORD.search(text, *window) is not None


def _bsn_spans(text: str, path: tuple[str | int, ...] = ()) -> Iterator[tuple[int, int]]:
    """Where ``text`` holds a BSN: nine digits in any grouping that pass the 11-proef.

    Eight digits count too, as the BSN with its leading zero left off (an old sofinummer is
    often written so), but only where a BSN word (``bsn``, ``burgerservicenummer``, ``sofi``,
    ``sofinummer``) stands within ``_BSN_WORD_REACH`` characters of the number or names it in
    ``path`` (a key of the definition, a dataset's column name): one random number in eleven
    passes the 11-proef, and eight-digit numbers (dates, order numbers) are common. Eight
    digits that read as a date never count.

    Not a BSN: a number that is part of a decimal, an amount or a version
    (``_stands_for_something_else``), an IP address, or the digits of a phone number.
    """
    phones: list[tuple[int, int]] | None = None
    for run in _NUMBER.finditer(text):
        for start, end in _numbers(run):
            number = text[start:end]
            digits = "".join(_GROUP.findall(number))
            if len(digits) == 8:
                if _reads_as_date(digits) or not _bsn_word_near(text, start, end, path):
                    continue
                digits = "0" + digits
            if not passes_11_proef(digits) or _ip_address(number):
                continue
            if _stands_for_something_else(text, start, end):
                continue
            if phones is None:
                phones = [m.span() for m in _PHONE.finditer(text)]
            if not any(p < start and end <= q for p, q in phones):  # +31 612345678
                yield start, end


def scan_text(text: str, path: tuple[str | int, ...]) -> Iterator[PiiHit]:
    """Suspected identifiers in one string value.

    The names in ``path`` are read as context: a key or column called ``bsn`` makes an
    eight-digit number in it a BSN (see ``_bsn_spans``).
    """
    has_digit = _DIGIT.search(text) is not None
    has_at = "@" in text
    if not has_digit and not has_at:
        return  # every identifier we look for has a digit or an @: most text has neither
    for space in _NO_BREAK_SPACES:
        if space in text:
            text = text.replace(space, " ")
    if has_digit:
        for _span in _bsn_spans(text, path):
            yield PiiHit(
                path,
                "pii-bsn",
                Severity.ERROR,
                _(
                    "looks like a BSN (passes the 11-proef); remove patient identifiers from "
                    "definitions"
                ),
            )
    if _in_contact(path):
        return
    if has_digit:
        for match in _IBAN.finditer(text):
            if _iban_valid(match.group(1)):
                yield PiiHit(path, "pii-iban", Severity.WARNING, _("looks like an IBAN; remove it"))
                text = text.replace(match.group(1), " ")  # its digits are not also a phone number
        if any(not _DATE_FIRST.match(m.group()) for m in _PHONE.finditer(text)):
            yield PiiHit(
                path,
                "pii-phone",
                Severity.WARNING,
                _("looks like a phone number; personal contact details belong only in owner"),
            )
    if has_at and _EMAIL.search(text):
        yield PiiHit(
            path,
            "pii-email",
            Severity.WARNING,
            _("looks like an e-mail address; personal contact details belong only in owner"),
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
