"""Tables that fit the terminal they are drawn on, whatever its width.

Every table view declares its columns in the order it shows them, each with a *priority*: when
the table is wider than the terminal, flexible columns first give up room down to their
narrowest width (text folds over lines, or is cut with "…", as the column says); then whole
columns are left out, the least important first, until the rest fits. A column of priority 0
(the pilot id, the KPI id, the criterion) is never left out, and never narrower than its
longest id: an id is shown whole, never cut or folded (other text in that column may be).
What was left out is said under the table, so nothing disappears without a word.

The widths are decided here (``fit_widths``, plain arithmetic) and drawn by Rich at render
time, at the width the console (or whatever holds the table) really has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.measure import Measurement

# Columns of a fitted table are separated by three cells: padding, rule, padding
# (``box.SIMPLE_HEAD`` without edges).
GAP = 3


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, how important it is, and how far it may shrink.

    ``priority`` 0 is never left out; higher numbers are left out first. ``narrowest`` is the
    width it may shrink to (its cells fold, or with ``cut`` lose their ends to "…"); ``None``
    means it never shrinks below its content. ``squeeze`` is a last resort: rather than be left
    out, the column shrinks this far (the five-step marker of a stage instead of its name).
    ``widest`` caps how wide it grows. When shrinking, columns give up room in the order of
    ``yields`` (higher first; default: their priority).
    """

    header: str
    priority: int
    narrowest: int | None = None
    widest: int | None = None
    justify: Literal["left", "right"] = "left"
    cut: bool = False  # one line per line of content, cut with "…", instead of folding
    squeeze: int | None = None
    yields: int | None = None


def _header_least(column: Column) -> int:
    """A header folds at its words; in a column that cuts its cells it stays on one line."""
    if column.cut:
        return len(column.header)
    return max((len(word) for word in column.header.split()), default=0)


def fit_widths(natural: Sequence[int], columns: Sequence[Column], width: int) -> list[int | None]:
    """Each column's width in a table at most ``width`` wide, or ``None`` when it is left out.

    ``natural`` is the width each column's content asks for. While the columns do not fit even
    at their narrowest, the least important one is left out (or squeezed, if it may be and
    that is enough). Then columns shrink toward their narrowest, in the order they yield, until
    the table fits. A column is as wide as its header where there is room, and never narrower
    than the header's longest word (than the header, in a column that cuts). When even the
    columns that stay do not fit (an id longer than the terminal), they keep their width.
    """
    wanted = [
        max(min(n, c.widest) if c.widest else n, len(c.header), 1)
        for n, c in zip(natural, columns, strict=True)
    ]
    least = [
        min(w, max(n if c.narrowest is None else min(n, c.narrowest), _header_least(c), 1))
        for n, w, c in zip(natural, wanted, columns, strict=True)
    ]
    kept = list(range(len(columns)))

    def total(widths: Sequence[int]) -> int:
        return sum(widths[i] for i in kept) + GAP * (len(kept) - 1)

    while total(least) > width:
        droppable = [i for i in kept if columns[i].priority > 0]
        if not droppable:
            break
        victim = max(droppable, key=lambda i: (columns[i].priority, i))
        squeeze = columns[victim].squeeze
        if squeeze is not None and total(least) - least[victim] + squeeze <= width:
            least[victim] = min(least[victim], max(squeeze, _header_least(columns[victim])))
            break
        kept.remove(victim)
    widths = list(wanted)
    excess = total(widths) - width

    def order(i: int) -> int:
        yields = columns[i].yields
        return columns[i].priority if yields is None else yields

    for i in sorted(kept, key=order, reverse=True):
        if excess <= 0:
            break
        give = min(excess, widths[i] - least[i])
        widths[i] -= give
        excess -= give
    return [widths[i] if i in kept else None for i in range(len(columns))]


class FittedTable:
    """A table whose columns are chosen and sized for the width it is drawn at.

    Cells are Rich markup or renderables. ``title`` is a line above the table, wrapped to the
    width; under it, a muted line names the columns left out, if any.
    """

    def __init__(self, columns: Sequence[Column], *, title: str | None = None) -> None:
        self.columns = list(columns)
        self.title = title
        self.rows: list[list[RenderableType]] = []

    def add_row(self, *cells: RenderableType) -> None:
        """One row: a cell per column, in the order of ``columns``."""
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))

    def _natural(self, console: Console, options: ConsoleOptions) -> list[int]:
        from rich.measure import Measurement

        unbounded = options.update_width(10_000)
        return [
            max(
                (Measurement.get(console, unbounded, row[i]).maximum for row in self.rows),
                default=0,
            )
            for i in range(len(self.columns))
        ]

    def widths(self, console: Console, options: ConsoleOptions) -> list[int | None]:
        """The width of each column at ``options.max_width`` (``None``: left out)."""
        return fit_widths(self._natural(console, options), self.columns, options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The title, the table at the width it has, and what was left out."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        widths = self.widths(console, options)
        shown = [(i, w) for i, w in enumerate(widths) if w is not None]
        if self.title:
            yield Text.from_markup(self.title)
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for i, w in shown:
            column = self.columns[i]
            table.add_column(
                column.header, width=w, justify=column.justify, no_wrap=column.cut,
                overflow="ellipsis" if column.cut else "fold",
            )  # fmt: skip
        for row in self.rows:
            table.add_row(*(row[i] for i, _ in shown))
        needed = sum(w for _, w in shown) + GAP * (len(shown) - 1)
        yield from table.__rich_console__(
            console, options.update_width(max(options.max_width, needed))
        )
        left_out = [self.columns[i].header for i, w in enumerate(widths) if w is None]
        if left_out:
            from genai_pilots.i18n import _

            yield Text(
                _("(left out at this width: {columns}; a wider terminal shows them)").format(
                    columns=", ".join(left_out)
                ),
                style="muted",
            )


def one_line(markup: str) -> Any:
    """Markup as one line (per line it holds), its end cut with "…" where it does not fit."""
    from rich.text import Text

    text = Text.from_markup(markup, overflow="ellipsis")
    text.no_wrap = True
    return text


def stacked(*markup: str) -> Any:
    """Lines over each other in one cell, each cut with "…" where it does not fit."""
    from rich.console import Group

    return Group(*(one_line(m) for m in markup))


def clamp(text: str, lines: int, *, style: str = "") -> Any:
    """Markup ``text`` wrapped at the width it gets, at most ``lines`` lines, then "…"."""
    return _Clamped(text, lines, style)


class _Clamped:
    def __init__(self, text: str, lines: int, style: str) -> None:
        self.text = text
        self.lines = lines
        self.style = style

    def _text(self) -> Any:
        from rich.text import Text

        return Text.from_markup(self.text, style=self.style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.text import Text

        width = options.max_width
        wrapped = self._text().wrap(console, width, overflow="fold")
        shown = list(wrapped)[: self.lines]
        if len(wrapped) > self.lines:
            last = shown[-1]
            last.rstrip()
            last.truncate(width - 1)
            last.append("…")
        yield Text("\n").join(shown)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self._text())
