"""Numbers and dates in the notations people type and Dutch spreadsheets write.

A decimal comma (``3,5``) is as good as a decimal point (``3.5``). What could be read two ways is
refused instead of guessed, because a measurement read a thousand times too large or too small
is worse than none:

- a thousands separator (``1.234,5``, ``1,234.5``, ``1.234.567``, ``1 234``) is never accepted;
- a value whose one separator is followed by exactly three digits (``1.234``, ``12,500``) is read
  1234 by one spreadsheet and 1.234 by another. It is taken as a decimal only when the context
  says which separator is the decimal one (``decimal``): on the command line the point, in a CSV
  file what its other values or its delimiter say (see ``measurements.parse_csv``).

Dates are ``YYYY-MM-DD``, or day-month-year with hyphens and a four-digit year as Dutch
spreadsheets write them (``30-11-2026``, ``1-4-2026``). Nothing else: ``11/30/2026`` and
``30-11-26`` are read differently in different countries. A date that does not exist
(``2026-02-30``) is named as such.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from genai_pilots.i18n import N_, _

# The months' names (``calendar.month_name`` in English), shown in the language of the moment.
MONTHS = (
    "",
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


class NotationError(ValueError):
    """A number or date that cannot be read, with what to write instead.

    ``reason`` is the message without the text it is about (``does not exist: ...``).
    """

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written: its value and the decimal separator it used.

    ``ambiguous``: that separator could also have been a thousands separator (``1.234``).
    """

    value: float
    separator: str | None
    ambiguous: bool


_NUMBER = re.compile(r"[+-]?(?:\d+(?:([.,])\d*)?|([.,])\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)
_AMBIGUOUS = re.compile(r"[+-]?[1-9]\d{0,2}[.,]\d{3}\Z", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f'.,]\d{3})+(?:[.,]\d+)?\Z", re.ASCII)
_NON_FINITE = {"inf", "infinity", "nan"}


def read_number(text: str) -> Number:
    """Read ``3.5``, ``3,5``, ``-2``, ``1e3``; ``NotationError`` for anything else."""
    shown = text.strip()
    if shown.lower().lstrip("+-") in _NON_FINITE:
        return Number(float(shown), None, False)  # check_measurement names it as not finite
    match = _NUMBER.match(shown)
    if match is None:
        if _GROUPED.match(shown):
            bare = _ungrouped(shown)
            raise NotationError(
                _("'{text}' has a thousands separator; write it without one ({bare})").format(
                    text=shown, bare=bare
                )
            )
        raise NotationError(_("'{text}' is not a number").format(text=shown))
    separator = match.group(1) or match.group(2)
    value = float(shown.replace(",", "."))
    return Number(value, separator, bool(_AMBIGUOUS.match(shown)))


def _ungrouped(text: str) -> str:
    """``1.234,5`` without its thousands separators: ``1234,5``."""
    return re.sub(r"[ \u00a0\u202f'.,](?=\d{3}(?:\D|$))", "", text, flags=re.ASCII)


def ambiguity(text: str, number: Number, decimal: str | None) -> str | None:
    """Why ``number`` cannot be read when ``decimal`` is the decimal separator, or ``None``."""
    if not number.ambiguous or number.separator == decimal:
        return None
    shown = text.strip()
    whole = shown.replace(",", "").replace(".", "")
    grouped = _("a Dutch thousands point") if number.separator == "." else _("a thousands comma")
    if decimal is None:
        decimal_form = _("{text}0 with four decimals").format(text=shown)
    elif decimal == ",":
        decimal_form = _("{text} with a decimal comma").format(
            text=shown.replace(number.separator or "", decimal)
        )
    else:
        decimal_form = _("{text} with a decimal point").format(
            text=shown.replace(number.separator or "", decimal)
        )
    return _(
        "'{text}' could be {whole} ({grouped}) or a decimal; write {whole} without a "
        "separator, or {decimal_form}"
    ).format(text=shown, whole=whole, grouped=grouped, decimal_form=decimal_form)


def number_advice(text: str) -> str:
    """For text with a comma where a YAML number belongs: what to write instead."""
    shown = text.strip()
    if not _GROUPED.match(shown) and not _NUMBER.match(shown):
        return _("remove the quotes around a number")
    if _AMBIGUOUS.match(shown):  # 1,234: which one was meant?
        written = _("{one} or {other}").format(one=_ungrouped(shown), other=shown.replace(",", "."))
    else:
        written = (_ungrouped(shown) if _GROUPED.match(shown) else shown).replace(",", ".")
    return _(
        "a number in YAML takes a decimal point and no thousands separator: write {written}"
    ).format(written=written)


def command_line_number(text: str) -> float:
    """A value typed on the command line: a decimal point or comma (``3,5``)."""
    number = read_number(text)
    problem = ambiguity(text, number, ".")
    if problem is not None:
        raise NotationError(problem)
    return number.value


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})\Z", re.ASCII)
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.]\d{2}\Z", re.ASCII)
_OTHER_SEPARATOR = re.compile(r"\d{1,4}[/.]\d{1,2}[/.]\d{1,4}\Z", re.ASCII)
_WITH_TIME = re.compile(r"(\S+)[ T]\d{1,2}:\d{2}(?::\d{2})?\Z", re.ASCII)

DATE_FORMS = "YYYY-MM-DD or D-M-YYYY"


def read_date(text: str) -> dt.date:
    """Read ``2026-11-30`` or ``30-11-2026``; ``NotationError`` saying what to write otherwise."""
    shown = text.strip()
    if match := _ISO.match(shown):
        year, month, day = (int(part) for part in match.groups())
        return existing_date(shown, year, month, day)
    if match := _DAY_FIRST.match(shown):
        day, month, year = (int(part) for part in match.groups())
        return existing_date(shown, year, month, day)
    if not shown:
        raise NotationError(_("no date; write it as YYYY-MM-DD"))
    if _WITH_TIME.match(shown):
        raise NotationError(
            _("'{text}' holds a time; write the day only, as YYYY-MM-DD").format(text=shown)
        )
    if _TWO_DIGIT_YEAR.match(shown):
        raise NotationError(
            _("'{text}' has a two-digit year; write it as YYYY-MM-DD").format(text=shown)
        )
    if _OTHER_SEPARATOR.match(shown):
        raise NotationError(
            _(
                "'{text}' is read differently in different countries; write it as YYYY-MM-DD "
                "(or D-M-YYYY with hyphens, as Dutch spreadsheets do)"
            ).format(text=shown)
        )
    raise NotationError(_("'{text}' is not a date; write it as YYYY-MM-DD").format(text=shown))


def is_day_first(text: str) -> bool:
    """Whether a date is written day-first (``30-11-2026``)."""
    return bool(_DAY_FIRST.match(text.strip()))


def existing_date(shown: str, year: int, month: int, day: int) -> dt.date:
    """The day, or a ``NotationError`` that says why it does not exist."""
    reason = None
    if not 1 <= month <= 12:
        reason = _("does not exist: there is no month {month}").format(month=month)
    elif year < dt.MINYEAR:
        reason = _("does not exist: there is no year {year}").format(year=year)
    elif not 1 <= day <= (days := calendar.monthrange(year, month)[1]):
        reason = _("does not exist: {month} {year} has {days} days").format(
            month=_(MONTHS[month]), year=year, days=days
        )
    if reason is not None:
        raise NotationError(_("'{text}' {reason}").format(text=shown, reason=reason), reason)
    return dt.date(year, month, day)


def date_advice(text: str) -> str | None:
    """For text written where a YAML date belongs: what is wrong with it as a date, or ``None``.

    Said of the text (``does not exist: ...``, ``is day-first; write 2026-03-01``). A definition
    file takes ``YYYY-MM-DD`` only (YAML's own dates): a day-first date gets the same day
    written that way as its advice, an impossible one says it does not exist. Text that looks
    like no date at all gets ``None``: the caller's own advice fits it better.
    """
    shown = text.strip()
    try:
        day = read_date(shown)
    except NotationError as exc:
        return exc.reason if _ISO.match(shown) or _DAY_FIRST.match(shown) else None
    if _DAY_FIRST.match(shown):
        return _("is day-first; write it as {day}").format(day=day.isoformat())
    if shown != day.isoformat():
        return _("is not YYYY-MM-DD; write it as {day}").format(day=day.isoformat())
    return None
