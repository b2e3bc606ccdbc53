"""The language of the command line: ``--lang``, and help texts shown in it.

Help texts are written in English (docstrings and ``help=``) and become the catalog's message
ids: ``.ci/catalog.py`` collects them from the built command tree, and ``translate_tree`` shows
them in the chosen language when a command is built. The English stays on each object, so a
tree built once can be shown again in another language (the tests do).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import typer

from genai_pilots import i18n
from genai_pilots.i18n import N_, _

_ENGLISH = "_genai_pilots_english"
_ENV_SUFFIX = re.compile(r"( \\\[env: [A-Z_]+\])$")  # settings.Setting.option_help's tail
# Typer's own words in help pages (its module constants, read when help is drawn)
_TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}


def help_texts(command: Any) -> Iterator[tuple[Any, str, str]]:
    """Every help text of ``command`` and the commands under it: (object, attribute, English).

    A group lists only the commands it has built (the root builds its modules lazily).
    """
    for attribute in ("help", "short_help", "epilog"):
        yield from _text(command, attribute)
    for parameter in command.params:
        yield from _text(parameter, "help")
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


def _text(thing: Any, attribute: str) -> Iterator[tuple[Any, str, str]]:
    english = getattr(thing, _ENGLISH, {})
    text = english.get(attribute, getattr(thing, attribute, None))
    if isinstance(text, str) and text.strip():
        yield thing, attribute, text


given: str | None = None  # ``--lang`` as typed on this run's command line (``take_lang``)


def take_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """``--lang X`` taken out of ``args``, wherever it is: the value, and the other arguments.

    So ``pilots status --lang nl`` works as well as ``pilots --lang nl status``. The value
    never reaches Click: Typer would load pydantic to coerce it (60 ms on every ``--help``).
    Nothing after ``--`` is touched (it is a value, not an option).
    """
    end = args.index("--") if "--" in args else len(args)
    value: str | None = None
    rest: list[str] = []
    index = 0
    while index < end:
        arg = args[index]
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        elif arg == "--lang" and index + 1 < end:
            value = args[index + 1]
            index += 1
        else:
            rest.append(arg)
        index += 1
    return value, [*rest, *args[end:]]


def message_ids(text: str) -> list[str]:
    """The catalog entries of one help text: itself, without the ``[env: ...]`` tail."""
    return [_ENV_SUFFIX.sub("", text)]


def translate_tree(command: Any) -> None:
    """Show ``command``'s help texts, and those under it, in the current language."""
    for thing, attribute, english in list(help_texts(command)):
        thing.__dict__.setdefault(_ENGLISH, {})[attribute] = english
        body, tail = _ENV_SUFFIX.split(english, maxsplit=1)[0], _ENV_SUFFIX.search(english)
        setattr(thing, attribute, _(body) + (tail.group(1) if tail else ""))


def typer_words() -> None:
    """Typer's own words in help pages and error panels, in the current language.

    Importing Typer's help module costs about 150 ms, so this runs only where Typer is about to
    draw help or an error; in English only when an earlier run in the process (the tests)
    changed the words.
    """
    if i18n.current() == "en" and "typer.rich_utils" not in sys.modules:
        return
    from typer import rich_utils

    for name, english in _TYPER_WORDS.items():
        setattr(rich_utils, name, _(english))


def switch(value: str | None) -> str | None:
    """``--lang``'s callback: the language for this run, checked (exit 2 when unknown).

    The value typed never reaches the option (``take_lang`` keeps it in ``given``); the option
    is there to list ``--lang`` in ``--help`` and to report a language we lack, Click's way.
    """
    try:
        i18n.use(i18n.chosen(given))
    except ValueError as exc:
        typer_words()
        raise typer.BadParameter(
            _("{given!r} is not a language here; use nl or en").format(given=str(exc)),
            param_hint="--lang" if given else "GENAI_PILOTS_LANG",
        ) from None
    return value


def english_for_machines(value: bool) -> bool:
    """``--json``'s callback: output for programs is English, messages included."""
    if value:
        i18n.use("en")
    return value
