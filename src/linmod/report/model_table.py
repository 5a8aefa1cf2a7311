"""Render a :class:`~linmod.inference.model_table.ModelTable` as text, Markdown, LaTeX or HTML.

Each term takes two rows: the estimates with R's significance stars, and under them the
chosen statistic in parentheses (standard errors, t values, or ``[lower, upper]``).  The
fit statistics follow, then a line saying which standard errors each model uses and R's
significance codes.  A term a model does not have is blank; an aliased one is ``NA``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

import pandas as pd

from linmod.exceptions import InputError
from linmod.report.grid import check_format, render_grid

if TYPE_CHECKING:
    from linmod.inference.model_table import ModelTable

__all__ = ["render_model_table"]

_STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, "."))
CODES = "Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"


def stars_for(p: float) -> str:
    """R's significance code of a p-value (``symnum``'s intervals, closed on the right)."""
    if not math.isfinite(p):
        return ""
    return next((mark for bound, mark in _STARS if p <= bound), "")


def number(value: float, digits: int) -> str:
    """A fixed number of decimals; scientific for magnitudes fixed notation would hide."""
    if not math.isfinite(value):
        return "NA" if math.isnan(value) else ("Inf" if value > 0 else "-Inf")
    size = abs(value)
    if value != 0 and (size >= 1e7 or size < 0.5 * 10.0**-digits):
        return f"{value:.{max(digits - 1, 1)}e}"
    return f"{value:.{digits}f}"


def _value(frame: pd.DataFrame, row: str, column: str) -> float:
    return float(cast(float, frame.at[row, column]))


def _statistic(table: ModelTable, term: str, model: str, digits: int) -> str:
    if table.statistic == "conf_int":
        lower, upper = _value(table.lower, term, model), _value(table.upper, term, model)
        if not (math.isfinite(lower) and math.isfinite(upper)):
            return ""
        return f"[{number(lower, digits)}, {number(upper, digits)}]"
    value = _value(getattr(table, table.statistic), term, model)
    return f"({number(value, digits)})" if math.isfinite(value) else ""


def _fit_row(table: ModelTable, label: str, digits: int) -> list[str]:
    cells = [label]
    for model in table.names:
        value = _value(table.fit_statistics, label, model)
        if not math.isfinite(value):
            cells.append("")
        elif label == "N":
            cells.append(f"{int(value)}")
        else:
            cells.append(number(value, digits))
    return cells


def render_model_table(table: ModelTable, format: str = "text", digits: int = 3) -> str:
    """Return the table in ``format`` (``"text"``, ``"markdown"``, ``"latex"``, ``"html"``)."""
    check_format(format)
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 15:
        raise InputError(f"digits={digits!r} must be a whole number from 0 to 15, e.g. 3")
    rows: list[list[str]] = []
    latex: dict[int, list[str]] = {}
    for term in table.terms:
        estimates, marks = [], []
        for model in table.names:
            if not table.present.at[term, model]:
                estimates.append("")
                marks.append("")
                continue
            estimates.append(number(_value(table.estimates, term, model), digits))
            marks.append(stars_for(_value(table.p_value, term, model)) if table.stars else "")
        latex[len(rows)] = [
            e + (f"$^{{{m}}}$" if m else "") for e, m in zip(estimates, marks, strict=True)
        ]
        rows.append([str(term)] + [e + m for e, m in zip(estimates, marks, strict=True)])
        rows.append([""] + [_statistic(table, str(term), m, digits) for m in table.names])
    rule = len(rows)
    for label in table.fit_statistics.index:
        if table.fit_statistics.loc[label].notna().any():
            rows.append(_fit_row(table, str(label), digits))
    rows.append(["Std. errors", *table.covariance])
    what = {
        "std_err": "Standard errors in parentheses",
        "t_value": "t values in parentheses",
        "conf_int": f"{table.level:.0%} confidence intervals in brackets",
    }[table.statistic]
    notes = [what + "."]
    if table.stars:
        notes.append(CODES)
    if any(c.startswith("none") for c in table.covariance):
        notes.append("A penalised fit has no valid standard errors: estimates only.")
    return render_grid(
        format, ["", *table.names], rows, rules=[rule], notes=notes, latex_cells=latex
    )
