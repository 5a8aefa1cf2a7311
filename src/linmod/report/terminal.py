"""Terminal tables (rich) for the command line: render, never compute.

Each function turns an object that linmod has already computed into a ``rich``
renderable: coefficient and fit-statistic tables for an OLS fit, the assumption report
with coloured verdicts, the cross-validated model comparison, a penalty path and any
small data frame. The command line prints them on a terminal; in pipes and files it
prints the plain-text renderings instead (R's summary layout and friends).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from linmod.report.summary import format_p_value, significance_stars

if TYPE_CHECKING:
    from linmod.diagnostics.report import AssumptionReport
    from linmod.inference.results import OLSResults
    from linmod.model_selection import ModelComparison, PenaltyPath

__all__ = [
    "assumption_table",
    "comparison_table",
    "frame_table",
    "path_table",
    "results_tables",
]

_VERDICT_STYLE = {"ok": "bold green", "warning": "bold yellow", "violated": "bold red"}


def _number(value: Any, digits: int = 6) -> str:
    if value is None:
        return "-"
    value = float(value)
    return "-" if not math.isfinite(value) else f"{value:.{digits}g}"


def results_tables(res: OLSResults, level: float = 0.95) -> RenderableType:
    """The coefficient table (with confidence intervals) and the fit statistics.

    Parameters
    ----------
    res : OLSResults
    level : float
        Confidence level of the intervals.

    Returns
    -------
    rich renderable
    """
    tail = 100 * (1 - level) / 2
    table = res.to_frame()
    intervals = res.conf_int(level)
    coefs = Table(
        title=Text(str(res.design.formula)),
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        pad_edge=False,
        padding=(0, 0, 0, 2),
    )
    longest = max((len(str(name)) for name in table.index), default=4)
    coefs.add_column("term", style="bold", no_wrap=True, min_width=min(longest, 40))
    for header in ("estimate", "std. error", "t value", "Pr(>|t|)"):
        coefs.add_column(header, justify="right", no_wrap=True)
    coefs.add_column("", no_wrap=True)
    coefs.add_column(f"{tail:g} %", justify="right", no_wrap=True)
    coefs.add_column(f"{100 - tail:g} %", justify="right", no_wrap=True)
    for name, row in table.iterrows():
        if np.isnan(row["coef"]):
            coefs.add_row(Text(str(name)), "aliased", "", "", "", "", "", "", style="dim")
            continue
        low, high = intervals.to_numpy()[table.index.get_loc(name)]
        coefs.add_row(
            Text(str(name)),
            _number(row["coef"]),
            _number(row["std_err"], 4),
            _number(row["t_value"], 4),
            format_p_value(row["p_value"]),
            significance_stars(row["p_value"]),
            _number(low, 5),
            _number(high, 5),
        )
    stats = Table(box=box.SIMPLE, show_header=False, title="fit", title_justify="left")
    stats.add_column("statistic", style="bold")
    stats.add_column("value", justify="right")
    stats.add_column("statistic", style="bold")
    stats.add_column("value", justify="right")
    pairs = [
        ("observations", f"{res.n_obs:,}"),
        ("residual df", f"{res.df_resid:g}"),
        ("R²", _number(res.r_squared, 5)),
        ("adjusted R²", _number(res.adj_r_squared, 5)),
        ("residual std. error", _number(res.sigma, 5)),
        ("RMSE / MAE", f"{_number(res.rmse, 5)} / {_number(res.mae, 5)}"),
        (
            "F statistic" if res.cov_type == "nonrobust" else f"Wald F ({res.cov_type})",
            _number(res.f_statistic, 5),
        ),
        ("F p-value", format_p_value(res.f_p_value)),
        ("AIC / BIC", f"{_number(res.aic, 6)} / {_number(res.bic, 6)}"),
        ("condition number", _number(res.condition_number, 3)),
        ("solver", res.solution.method),
        ("rows dropped", f"{res.design.n_dropped:,}"),
    ]
    for first, second in zip(pairs[::2], pairs[1::2], strict=True):
        stats.add_row(*first, *second)
    parts: list[RenderableType] = [coefs, stats]
    if res.dependencies:
        parts.append(Text("Aliased: " + "; ".join(res.dependencies), style="yellow"))
    parts.append(Text("Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1", style="dim"))
    return Group(*parts)


def assumption_table(report: AssumptionReport) -> RenderableType:
    """The five assumption checks with coloured verdicts, key tests and remedies."""
    table = Table(
        title=Text(
            f"Assumption checks: {report.model} (n = {report.n_obs}, alpha = {report.alpha:g})"
        ),
        title_justify="left",
        box=box.SIMPLE_HEAVY,
    )
    for header in ("assumption", "verdict", "key test", "p-value", "effect size"):
        table.add_column(header, justify="right" if header == "p-value" else "left")
    for check in report:
        key = check.key_test
        table.add_row(
            Text(check.title),
            Text(check.verdict, style=_VERDICT_STYLE.get(check.verdict, "")),
            Text(f"{key.name}: {key.statistic_text}" if key else "-"),
            format_p_value(key.p_value) if key else "-",
            Text(f"{check.effect_text} ({check.effect_band})" if check.effect else "-"),
        )
    remedies = [
        Text.assemble((f"{check.title}: ", "bold"), check.remedy)
        for check in report
        if check.remedy and check.verdict != "ok"
    ]
    overall = Text.assemble(
        ("Overall: ", "bold"), (report.verdict, _VERDICT_STYLE.get(report.verdict, ""))
    )
    if remedies:
        return Group(table, overall, Text("Remedies", style="bold underline"), *remedies)
    return Group(table, overall)


def comparison_table(comparison: ModelComparison) -> RenderableType:
    """Held-out R², RMSE and MAE (mean ± standard error) per model."""
    table = Table(
        title=Text(
            f"{comparison.n_folds}-fold cross-validation (seed {comparison.seed}, "
            f"n = {comparison.n_obs}): {comparison.formula}"
        ),
        title_justify="left",
        box=box.SIMPLE_HEAVY,
    )
    for header in ("model", "alpha", "R²", "RMSE", "MAE"):
        table.add_column(header, justify="left" if header == "model" else "right")
    best = comparison.best
    for name, row in comparison.to_frame().iterrows():
        table.add_row(
            Text(str(name), style="bold green" if name == best else "bold"),
            _number(row["alpha"], 4),
            f"{row['r2_mean']:.4f} ± {row['r2_se']:.4f}",
            f"{_number(row['rmse_mean'], 5)} ± {_number(row['rmse_se'], 3)}",
            f"{_number(row['mae_mean'], 5)} ± {_number(row['mae_se'], 3)}",
        )
    return Group(table, Text(f"Lowest held-out RMSE: {best}", style="bold"))


def path_table(result: PenaltyPath) -> RenderableType:
    """Coefficients at ``alpha_min`` and ``alpha_1se`` of a penalty path."""
    table = Table(
        title=Text(
            f"{result.penalty} path, {result.path.alphas.size} penalties "
            f"({'standardised' if result.standardized else 'original-scale'} coefficients): "
            f"{result.formula}"
        ),
        title_justify="left",
        box=box.SIMPLE_HEAVY,
    )
    table.add_column("term", style="bold")
    table.add_column(f"alpha_min = {result.alpha_min:.4g}", justify="right")
    table.add_column(f"alpha_1se = {result.alpha_1se:.4g}", justify="right")
    at_min, at_1se = result.coef_at(result.alpha_min), result.coef_at(result.alpha_1se)
    for name in result.path.feature_names:
        dropped = at_1se[name] == 0.0 and result.penalty != "ridge"
        table.add_row(
            Text(name),
            _number(at_min[name]),
            Text("0 (dropped)", style="dim") if dropped else Text(_number(at_1se[name])),
        )
    return table


def frame_table(frame: pd.DataFrame, title: str | None = None) -> RenderableType:
    """Any small data frame as a table (numbers right-aligned, 4 significant digits)."""
    table = Table(
        title=None if title is None else Text(title), title_justify="left", box=box.SIMPLE_HEAVY
    )
    index_name = frame.index.name or ""
    table.add_column(str(index_name), style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for label, row in frame.iterrows():
        cells = [
            _number(value, 4) if isinstance(value, float | np.floating) else str(value)
            for value in row
        ]
        table.add_row(Text(str(label)), *(Text(cell) for cell in cells))
    return table
