"""Numbers and small pieces of HTML for the report: formatting only, every string escaped."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "VERDICT_CLASS",
    "badge",
    "esc",
    "fmt_int",
    "fmt_num",
    "fmt_p",
    "table",
]

#: CSS class of each assumption verdict: green, amber, red, grey.
VERDICT_CLASS = {"ok": "pass", "warning": "warn", "violated": "fail", "not run": "skip"}
_VERDICT_TEXT = {"ok": "ok", "warning": "warning", "violated": "violated", "not run": "not run"}
_P_FLOOR = 2e-16
_NUM = ' class="num"'


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def fmt_num(value: Any, digits: int = 6, missing: str = "–") -> str:
    """Format a number with at least ``digits`` significant digits (``missing`` if not finite).

    Magnitudes from 1e-4 up to 1e9 are written in fixed notation (integers keep all their
    digits rather than gaining an exponent), others in scientific notation; trailing
    zeros are dropped.

    Examples
    --------
    >>> fmt_num(142438.0313), fmt_num(-0.0231204, 4), fmt_num(20405.97, 4), fmt_num(3e-9)
    ('142438', '-0.02312', '20406', '3e-9')
    """
    if not _finite(value):
        return missing
    number = float(value)
    if number == 0.0:
        return "0"
    magnitude = math.floor(math.log10(abs(number)))
    if -4 <= magnitude < 9:
        text = f"{number:.{max(digits - 1 - magnitude, 0)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    mantissa, exponent = f"{number:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def fmt_int(value: Any) -> str:
    """Format a count with thin thousands separators (``12 345``)."""
    return f"{int(value):,}".replace(",", "\u2009")


def fmt_p(value: Any) -> str:
    """Format a p-value as R does: ``<2e-16`` below double precision (as HTML,
    ``&lt;2e-16``: the cells are markup), 3 digits otherwise."""
    if not _finite(value):
        return "–"
    p = float(value)
    if p < _P_FLOOR:
        return esc("<2e-16")
    return fmt_num(p, 3) if p >= 1e-4 else fmt_num(p, 2)


def badge(verdict: str) -> str:
    """A coloured verdict badge: ``ok`` green, ``warning`` amber, ``violated`` red."""
    css = VERDICT_CLASS.get(verdict, "skip")
    return f'<span class="badge {css}">{esc(_VERDICT_TEXT.get(verdict, verdict))}</span>'


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Sequence[bool] | None = None,
    caption: str | None = None,
    css: str = "",
    row_attrs: Sequence[str] | None = None,
) -> str:
    """Build a ``<table>`` from cells that are already HTML (escape them first).

    Parameters
    ----------
    header : sequence of str
        Column headings (plain text; escaped here).
    rows : iterable of sequences of str
        Cell markup, one sequence per row.  The first cell of a row is a row heading.
    numeric : sequence of bool, optional
        Which columns hold numbers (right-aligned, tabular digits).
    caption : str, optional
        Plain text; escaped here.
    css : str
        Extra class names for the table.
    row_attrs : sequence of str, optional
        Extra attribute markup for each ``<tr>`` (e.g. ``' class="best"'``).
    """
    numeric = list(numeric) if numeric is not None else [False] * len(header)
    head = "".join(
        f'<th scope="col"{_NUM if is_num else ""}>{esc(h)}</th>'
        for h, is_num in zip(header, numeric, strict=True)
    )
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if j == 0:
                cells.append(f'<th scope="row">{cell}</th>')
            else:
                cells.append(f"<td{_NUM if numeric[j] else ''}>{cell}</td>")
        attrs = row_attrs[i] if row_attrs is not None else ""
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-wrap"><table class="{esc(("data " + css).strip())}">{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
