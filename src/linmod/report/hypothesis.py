"""Text renderings of hypothesis tests, ANOVA tables and model comparisons.

Numbers are laid out column by column as R prints them (``format`` with 4 significant
digits, ``format.pval`` for p-values, significance stars), through
:mod:`linmod.report.coefmat`.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from linmod.report.coefmat import format_numbers, format_pval, layout_columns

if TYPE_CHECKING:
    from linmod.inference.anova import AnovaTable
    from linmod.inference.hypothesis import TTestResult, WaldTestResult
    from linmod.inference.model_comparison import ModelComparison

__all__ = ["render_anova", "render_model_comparison", "render_t_test", "render_wald_test"]

_LEGEND = "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1"
_STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, "."), (1.0, " "))


def _stars(p: float) -> str:
    if math.isnan(p):
        return ""
    return next(mark for bound, mark in _STARS if p <= bound)


def _covariance(cov_type: str) -> str:
    return "classical" if cov_type == "nonrobust" else cov_type


def _column(values: pd.Series, p_value: bool = False, integer: bool = False) -> list[str]:
    array = values.to_numpy(dtype=float)
    if p_value:
        return format_pval(array)
    if integer:
        return ["" if math.isnan(v) else str(int(v)) for v in array]
    cells = [c.strip() for c in format_numbers(array, 4)]
    return ["" if math.isnan(v) else c for v, c in zip(array, cells, strict=True)]


def _table_lines(table: pd.DataFrame, p_column: str | None, integers: tuple[str, ...]) -> list[str]:
    columns = [
        _column(table[name], p_value=name == p_column, integer=name in integers)
        for name in table.columns
    ]
    header = ["", *map(str, table.columns)]
    rows = [[str(index), *(c[i] for c in columns)] for i, index in enumerate(table.index)]
    if p_column is not None:
        p = table[p_column].to_numpy(dtype=float)
        marks = [_stars(v) for v in p]
        if any(m.strip() for m in marks):
            header.append("")
            rows = [[*row, mark] for row, mark in zip(rows, marks, strict=True)]
            rows = [[c if c != "NA" else "" for c in row] for row in rows]
            return [*layout_columns(header, rows), "---", _LEGEND]
    rows = [[c if c != "NA" else "" for c in row] for row in rows]
    return layout_columns(header, rows)


def render_wald_test(test: WaldTestResult) -> str:
    """The joint test in words and numbers, as car's ``linearHypothesis`` reports it."""
    lines = [f"Linear hypothesis test (Wald, {_covariance(test.cov_type)} covariance)", ""]
    lines += ["Hypothesis:", *(f"  {h}" for h in test.hypotheses), ""]
    statistic = format_numbers([test.statistic], 4)[0].strip()
    p = format_pval([test.p_value])[0]
    if test.distribution == "F":
        lines.append(f"F = {statistic} on {test.df_num} and {test.df_denom:g} DF,  p-value: {p}")
    else:
        lines.append(f"Chisq = {statistic} on {test.df_num} DF,  p-value: {p}")
    return "\n".join(lines)


def render_t_test(test: TTestResult) -> str:
    """The linear combinations, one per row, as multcomp's ``summary(glht(...))``."""
    table = test.table
    frame = pd.DataFrame(
        {
            "Estimate": table["estimate"],
            "Std. Error": table["std_err"],
            "t value": table["t_value"],
            "Pr(>|t|)": table["p_value"],
        },
        index=table.index,
    )
    level = f"{100 * test.level:g}%"
    lines = [
        f"Linear combinations of the coefficients (t tests, {_covariance(test.cov_type)} "
        f"covariance, {test.df} residual DF)",
        "",
        *_table_lines(frame, "Pr(>|t|)", ()),
        "",
        f"{level} confidence intervals:",
    ]
    intervals = pd.DataFrame(
        {"Estimate": table["estimate"], "lower": table["lower"], "upper": table["upper"]},
        index=frame.index,
    )
    lines += _table_lines(intervals, None, ())
    return "\n".join(lines)


def render_anova(anova: AnovaTable) -> str:
    """The ANOVA table as R's ``anova(fit)`` or ``car::Anova(fit, type=)`` prints it."""
    titles = {
        1: "Analysis of Variance Table (sequential, Type I)",
        2: "Anova Table (Type II tests)",
        3: "Anova Table (Type III tests)",
    }
    lines = [titles[anova.type], "", f"Response: {anova.response}"]
    lines += _table_lines(anova.table, "Pr(>F)", ("Df",))
    if anova.note:
        lines += ["", *textwrap.wrap(f"Note: {anova.note}", width=88)]
    return "\n".join(lines)


def render_model_comparison(comparison: ModelComparison) -> str:
    """The comparison as R's ``anova(m1, m2)`` or lmtest's ``lrtest`` prints it."""
    if comparison.test == "F":
        title, p_column, integers = "Analysis of Variance Table", "Pr(>F)", ("Res.Df", "Df")
    else:
        title, p_column, integers = "Likelihood ratio test", "Pr(>Chisq)", ("#Df", "Df")
    lines = [title, ""]
    lines += [f"Model {i}: {f}" for i, f in enumerate(comparison.formulas, start=1)]
    lines += _table_lines(comparison.table, p_column, integers)
    return "\n".join(lines)
