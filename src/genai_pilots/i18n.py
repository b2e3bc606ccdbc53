"""The language people read: Dutch or English, with the conventions of each.

Texts are written in English in the code and translated through GNU gettext catalogs
(``locale/nl/LC_MESSAGES/genai_pilots.po``, compiled to ``.mo`` when the package is built).
The language follows ``--lang``, then ``GENAI_PILOTS_LANG``, then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``); English otherwise. Machine formats (``--json``, SARIF,
JUnit, GitHub annotations, files) are English whatever the language: the commands that write
them switch to English first (``machine()``).

This module imports only the standard library: ``pilots --help`` and ``pilots validate`` use it.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "genai_pilots"
LANGUAGES = ("en", "nl")
LOCALE_DIR = Path(__file__).parent / "locale"

_translations: dict[str, _gettext.NullTranslations] = {}
_current = "en"


def _catalog(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``language``; English is the source and needs none."""
    if language not in _translations:
        _translations[language] = (
            _gettext.NullTranslations()
            if language == "en"
            else _gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)
        )
    return _translations[language]


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalog lacks it)."""
    if _current == "en" or not message:
        return message
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the current language."""
    return _catalog(_current).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark ``message`` for translation where it is defined; ``_()`` translates it where shown."""
    return message


def current() -> str:
    """The language in use: ``en`` or ``nl``."""
    return _current


def use(language: str) -> None:
    """Switch the language for the rest of the process (one command, in the CLI)."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _current = language


@contextmanager
def machine() -> Iterator[None]:
    """English for output that programs read, whatever language people read."""
    before = _current
    use("en")
    try:
        yield
    finally:
        use(before)


def language_of(tag: str | None) -> str | None:
    """``nl`` or ``en`` for a language tag (``nl``, ``nl_NL.UTF-8``, ``en-GB``), else ``None``."""
    if not tag:
        return None
    base = tag.strip().lower().replace("-", "_").split(".")[0].split("@")[0].split("_")[0]
    return base if base in LANGUAGES else None


def chosen(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: ``--lang``, then ``GENAI_PILOTS_LANG``, then the locale; else English.

    An option or variable naming a language we do not have is an error for the caller to
    report; a locale we do not have (``de_DE``) quietly means English, as it does for most tools.
    """
    env = os.environ if environ is None else environ
    for given in (option, env.get("GENAI_PILOTS_LANG") or None):
        if given:
            language = language_of(given)
            if language is None:
                raise ValueError(given)
            return language
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if value:  # the first one set decides, as in POSIX
            return language_of(value) or "en"
    return "en"


# Dutch conventions for people (ISO and decimal points stay in machine output and files).
_MONTHS_NL = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


def day(value: dt.date) -> str:
    """A date for people: ``2026-11-30`` in English, ``30 november 2026`` in Dutch."""
    if _current == "nl":
        return f"{value.day} {_MONTHS_NL[value.month - 1]} {value.year}"
    return value.isoformat()


def moment(value: dt.datetime) -> str:
    """A time stamp for people: ``2026-11-30 14:05`` or ``30 november 2026 14:05``."""
    return f"{day(value.date())} {value:%H:%M}"


def week(value: dt.date) -> str:
    """A date with its ISO week, where a review cadence is shown: ``30 november 2026 (week 49)``."""
    if _current == "nl":
        return f"{day(value)} (week {value.isocalendar().week})"
    return day(value)


_DUTCH_MARKS = str.maketrans(",.", ".,")


def number(value: float, spec: str = "") -> str:
    """A number for people: ``spec`` as in ``format``; decimal comma and dot grouping in Dutch."""
    text = format(value, spec)
    if _current != "nl":
        return text
    return text.translate(_DUTCH_MARKS)
