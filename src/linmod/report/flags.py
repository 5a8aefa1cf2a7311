"""The overview's table of problems in the columns (:func:`linmod.overview.column_flags`)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from linmod.report.formatting import esc, table

__all__ = ["flags_table"]

_PROBLEM_NAMES = {
    "identifier": "identifier-like",
    "date": "dates",
    "text_in_numbers": "text in a number column",
    "constant": "constant",
    "duplicate": "duplicated column",
    "case_variants": "case-variant levels",
}


def flags_table(flags: pd.DataFrame, advice: Callable[[str], str] = str) -> str:
    """The problems the overview found in the columns, or a line saying there are none;
    ``advice`` words the details for the interface in use."""
    if flags.empty:
        return (
            '<p class="note" id="column-flags">No column looks like an identifier, a date, '
            "numbers stored as text, a constant or a duplicate, and no levels differ only "
            "in case.</p>"
        )
    rows = [
        [
            esc(row["column"]),
            f'<span class="flag">{esc(_PROBLEM_NAMES.get(row["problem"], row["problem"]))}</span>',
            esc(advice(str(row["detail"])[:1].upper() + str(row["detail"])[1:])),
        ]
        for _, row in flags.iterrows()
    ]
    attrs = [f' data-problem="{esc(row["problem"])}"' for _, row in flags.iterrows()]
    return "<h3>Problems in the columns</h3>" + table(
        ["column", "problem", "detail"],
        rows,
        numeric=[False, False, False],
        caption="What the columns show before any fit: check these before reading a coefficient.",
        css="flags",
        row_attrs=attrs,
    ).replace("<table", '<table id="column-flags"', 1)
