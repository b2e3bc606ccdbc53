"""``pilots db dump | restore | copy``: what moved, in one line, and progress on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from genai_pilots.i18n import N_, _, ngettext, number

if TYPE_CHECKING:
    from genai_pilots.readmodels import ArchiveResult

PROGRESS_FROM = 20_000  # rows; below this it is done before a bar would be worth drawing
_PHASES = {"dump": N_("dumping"), "load": N_("loading"), "verify": N_("verifying every chain")}


def moved(result: ArchiveResult) -> str:
    """Pilots, events (of both chains, as verify counts them) and the other rows moved."""
    pilots = result.counts.get("pilot", 0)
    events = result.counts.get("event", 0) + result.counts.get("register_event", 0)
    others = result.rows - pilots - events
    return _("{pilots}, {events} and {others}").format(
        pilots=ngettext("{n} pilot", "{n} pilots", pilots).format(n=number(pilots, ",")),
        events=ngettext("{n} event", "{n} events", events).format(n=number(events, ",")),
        others=ngettext("{n} other row", "{n} other rows", others).format(n=number(others, ",")),
    )


def checked(result: ArchiveResult) -> str:
    """What was verified on the target before it was committed."""
    if result.checked is None:
        return ""
    pilots, events = result.checked
    return _("; {pilots} pilots, {events} events checked: all chains intact").format(
        pilots=pilots, events=events
    )


@contextmanager
def progress_bar(on_terminal: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress callback drawing on stderr for a large register, or ``None`` off a terminal."""
    if not on_terminal:
        yield None
        return
    from rich.progress import Progress

    from genai_pilots.render.console import stderr

    with Progress(console=stderr(), transient=True) as bar:
        task = bar.add_task("", total=None, visible=False)

        def show(phase: str, done: int, total: int) -> None:
            if total < PROGRESS_FROM:
                return
            description = _(_PHASES[phase])
            bar.update(task, description=description, completed=done, total=total, visible=True)

        yield show
