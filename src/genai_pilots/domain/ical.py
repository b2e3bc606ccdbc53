r"""A small iCalendar (RFC 5545) writer: all-day events in one VCALENDAR.

Written here rather than taken from a library: ``pilots due --ical`` needs a dozen properties,
and a runtime dependency for them would cost every install. What RFC 5545 asks of the text is
done here: CRLF line ends (3.1), lines folded at 75 octets without splitting a UTF-8 character
(3.1), and TEXT values escaped (3.3.11: backslash, semicolon, comma, line break). Characters
that hide (a right-to-left override, a control) are written as their escape (``\\u202e``), as
every view does. Pure: no I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from genai_pilots.domain.text import reveal

LINE_OCTETS = 75
PRODID = "-//genai-pilots//pilots due//EN"


@dataclass(frozen=True, slots=True)
class AllDayEvent:
    """One all-day event: a stable UID (the same item keeps it), its day and its text."""

    uid: str
    day: dt.date
    summary: str
    description: str


def escape_text(text: str) -> str:
    r"""A TEXT value: hiding characters revealed, then ``\\ ; ,`` and line breaks escaped."""
    shown = reveal(text).replace("\r\n", "\n").replace("\r", "\n")
    return shown.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets, joined by CRLF and a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def vcalendar(events: Iterable[AllDayEvent], *, stamp: dt.datetime, name: str) -> str:
    """The whole calendar, CRLF-terminated; ``stamp`` (UTC) is every event's DTSTAMP."""
    moment = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{moment}",
            f"DTSTART;VALUE=DATE:{_date(event.day)}",
            f"DTEND;VALUE=DATE:{_date(event.day + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"DESCRIPTION:{escape_text(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
