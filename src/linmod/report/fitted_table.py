"""Terminal tables that fit the console's width without cutting a word.

Rich shrinks a table that is too wide by narrowing its widest columns, below the length
of their longest word if need be, and then cuts that word with "…".  A
:class:`FittedTable` instead shares the width itself: every column gets at least its
longest word, the columns marked ``first`` grow to their whole width next, and the other
wrapping columns share what is left, so a cell wraps at spaces (a long right-hand
column over two or three lines) rather than losing characters.  When even the longest
words do not fit side by side, a plain-text layout for that width is printed instead,
its long lines going on below at spaces (:func:`unbroken`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

__all__ = ["FittedColumn", "FittedTable", "share_width", "unbroken"]


def unbroken(text: str, width: int) -> Text:
    """Plain text as a terminal shows it: a line too long goes on below, never cut off.

    A long line is broken at spaces, its continuation indented four spaces further, so
    that no number or word is split across lines (a terminal's own wrap cuts ``0.047``
    into ``0`` and ``.047``); only a word longer than the whole width is split.
    """
    lines = []
    for line in text.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        indent = " " * min(len(line) - len(line.lstrip()) + 4, width // 2)
        lines += textwrap.wrap(
            line, width, subsequent_indent=indent, break_on_hyphens=False, tabsize=4
        )
    return Text("\n".join(lines), no_wrap=True, overflow="ignore")


@dataclass(frozen=True)
class FittedColumn:
    """One column of a :class:`FittedTable`.

    Attributes
    ----------
    header : str
    justify : str
        ``"left"`` or ``"right"``.
    wrap : bool
        Whether its cells may go over several lines (broken at spaces only).
    first : bool
        A wrapping column that gets its whole width before the others grow.
    style : str
        Rich style of the whole column.
    """

    header: str
    justify: str = "left"
    wrap: bool = False
    first: bool = False
    style: str = ""


def _extent(cells: Sequence[Text]) -> tuple[int, int]:
    """The longest word and the longest line of some cells, in terminal cells."""
    lines = [line for cell in cells for line in cell.plain.splitlines()] or [""]
    words = [word for line in lines for word in line.split()] or [""]
    return max(cell_len(word) for word in words), max(cell_len(line) for line in lines)


def share_width(
    minimum: Sequence[int], maximum: Sequence[int], first: Sequence[bool], available: int
) -> list[int] | None:
    """Column widths between each column's minimum and maximum that sum to at most
    ``available``: the minima, then the ``first`` columns up to their maxima, then the
    rest grown evenly; None when the minima alone do not fit."""
    widths = list(minimum)
    spare = available - sum(widths)
    if spare < 0:
        return None
    for i in [i for i, flag in enumerate(first) if flag]:
        grow = min(spare, maximum[i] - widths[i])
        widths[i] += grow
        spare -= grow
    while spare > 0:
        growing = [i for i in range(len(widths)) if widths[i] < maximum[i]]
        if not growing:
            break
        step = max(spare // len(growing), 1)
        for i in growing:
            grow = min(step, maximum[i] - widths[i], spare)
            widths[i] += grow
            spare -= grow
    return widths


class FittedTable:
    """A table whose columns share the console width, or plain text when too narrow.

    Parameters
    ----------
    title : Text
        Printed above the table.
    columns : sequence of FittedColumn
    rows : sequence of sequences of Text or str
    plain : callable
        The plain-text layout for a console width, used when the table cannot fit.
    """

    def __init__(
        self,
        title: Text,
        columns: Sequence[FittedColumn],
        rows: Sequence[Sequence[Text | str]],
        plain: Callable[[int], str],
    ) -> None:
        self.title = title.copy()
        self.title.stylize("table.title")  # italic, as a rich table's own title
        self.columns = list(columns)
        self.rows = [
            [cell if isinstance(cell, Text) else Text(cell) for cell in row] for row in rows
        ]
        self.plain = plain

    def table(self, widths: Sequence[int | None]) -> Table:
        """The rich table with the given column widths (None: its natural width)."""
        table = Table(box=box.SIMPLE_HEAVY, pad_edge=False, show_edge=False, padding=(0, 0, 0, 1))
        for column, width in zip(self.columns, widths, strict=True):
            options: dict[str, Any] = {"justify": column.justify, "width": width}
            if column.style:
                options["style"] = column.style
            table.add_column(column.header, no_wrap=not column.wrap, **options)
        for row in self.rows:
            table.add_row(*row)
        return table

    def widths(self, console: Console, width: int) -> list[int] | None:
        """Each column's width on a console ``width`` cells wide, or None if it cannot fit."""
        extents = [
            _extent([Text(column.header), *(row[i] for row in self.rows)])
            for i, column in enumerate(self.columns)
        ]
        minimum = [
            low if column.wrap else high
            for column, (low, high) in zip(self.columns, extents, strict=True)
        ]
        maximum = [high for _, high in extents]
        ones = self.table([1] * len(self.columns))
        borders = console.measure(ones, options=console.options.update(width=10**4)).maximum
        available = width - (borders - len(self.columns))
        return share_width(minimum, maximum, [c.first for c in self.columns], available)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(console, options.max_width)
        if widths is None:
            yield unbroken(self.plain(options.max_width), options.max_width)
        else:
            yield self.title  # wrapped at the console's width, not the table's
            yield self.table(widths)
            yield Text("")
