"""Render an :class:`~linmod.inference.results.OLSResults` as text (R's ``summary.lm``) or HTML."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

from linmod.inference.weighted import describe_weights, residual_quartiles
from linmod.report.coefmat import coefficient_cells, layout_columns

if TYPE_CHECKING:
    from linmod.data.design import Design
    from linmod.inference.results import OLSResults

__all__ = [
    "coefficient_lines",
    "format_p_value",
    "render_summary",
    "render_summary_html",
    "significance_stars",
]

_STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, "."))
_P_FLOOR = 2e-16


def format_p_value(p: float) -> str:
    """Format a p-value as R does: ``< 2e-16`` below machine precision."""
    if not np.isfinite(p):
        return "NA"
    if p < _P_FLOOR:
        return "<2e-16"
    return f"{p:.3g}" if p >= 1e-4 else f"{p:.2e}"


def significance_stars(p: float) -> str:
    """R's significance codes: ``***`` below 0.001, ``**`` 0.01, ``*`` 0.05, ``.`` 0.1."""
    if not np.isfinite(p):
        return ""
    return next((mark for bound, mark in _STARS if p < bound), "")


def coefficient_lines(res: OLSResults, width: int | None = None) -> list[str]:
    """The coefficient matrix as R's ``printCoefmat`` prints it (columns in blocks)."""
    table = res.to_frame()
    cells = coefficient_cells(table["coef"], table["std_err"], table["t_value"], table["p_value"])
    rows = cells.rows([str(name) for name in table.index])
    header = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", ""][: len(rows[0])]
    return layout_columns(header, rows, width)


def missingness_lines(design: Design) -> list[str]:
    """R's note on rows dropped for missing values (none when no row was dropped)."""
    if not design.n_dropped:
        return []
    return [f"  ({design.n_dropped} observations deleted due to missingness)"]


def render_summary(res: OLSResults) -> str:
    """Return the text summary of a fit."""
    design = res.design
    formula = design.formula or f"{design.response_name} ~ {' + '.join(design.column_names)}"
    lines = [f"OLS fit: {formula}", ""]
    if res.has_data:
        title, quartiles = residual_quartiles(res)  # R's "Weighted Residuals" with weights
        lines.append(title)
        labels = ["Min", "1Q", "Median", "3Q", "Max"]
        values = [f"{q:.5g}" for q in quartiles]
        width = max(len(v) for v in values + labels)
        lines.append(" ".join(lab.rjust(width) for lab in labels))
        lines.append(" ".join(v.rjust(width) for v in values))
    else:
        info = res.declared_weights  # frequency weights: n counts the weights, not rows
        rows = res.n_obs if info is None else info.n_rows
        how = "from a sparse X" if res.solution.method == "sparse-gram" else "out of core"
        lines.append(f"Fitted {how}: {rows} rows folded into an R factor")
    lines.append("")
    n_aliased = int(res.solution.aliased.sum())
    if n_aliased and res.solution.method != "svd":
        word = "coefficient" if n_aliased == 1 else "coefficients"
        lines.append(f"Coefficients: ({n_aliased} {word} not defined because of singularities)")
    else:
        lines.append("Coefficients:")
    lines.extend(coefficient_lines(res))
    lines.append("---")
    lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
    if res.cov_type != "nonrobust":
        lag = f", lags={res.hac_lags}" if res.cov_type == "HAC" and res.hac_lags is not None else ""
        kind = f"robust ({res.cov_type}{lag})" if res.clusters is None else res.clusters.describe()
        lines.append(f"Standard errors: {kind}")
    lines.append("")
    lines.append(f"Residual standard error: {res.sigma:.4g} on {res.df_resid} degrees of freedom")
    lines.extend(missingness_lines(design))
    lines.extend(describe_weights(res))
    lines.append(
        f"Multiple R-squared:  {res.r_squared:.4g},\tAdjusted R-squared:  {res.adj_r_squared:.4g}"
    )
    if np.isfinite(res.f_statistic):
        label = "F-statistic" if res.cov_type == "nonrobust" else f"Wald F ({res.cov_type})"
        lines.append(
            f"{label}: {res.f_statistic:.4g} on {res.df_model} and {res.df_resid} DF,  "
            f"p-value: {format_p_value(res.f_p_value)}"
        )
    mae = f"{res.mae:.4g}" if res.has_data or (res.totals and res.totals.abs_residual_sum) else "NA"
    lines.append(f"RMSE: {res.rmse:.4g}   MAE: {mae}   AIC: {res.aic:.5g}   BIC: {res.bic:.5g}")
    lines.append(
        f"Condition number (scaled columns): {res.condition_number:.3g}   "
        f"solver: {res.solver}" + (f" ({res.solution.method})" if res.solver == "auto" else "")
    )
    for text in res.dependencies:
        lines.append(f"Aliased: {text}")
    for note in res.fit_notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def render_summary_html(res: OLSResults) -> str:
    """Return an HTML fragment (coefficient table and fit statistics) for notebooks."""
    table = res.to_frame().to_html(float_format=lambda v: f"{v:.6g}", na_rep="NA")
    stats = (
        f"n = {res.n_obs}, R² = {res.r_squared:.4g}, adjusted R² = {res.adj_r_squared:.4g}, "
        f"σ = {res.sigma:.4g} on {res.df_resid} df"
    )
    for line in describe_weights(res):
        stats += f"; {line}"
    title = html.escape(res.design.formula or res.design.response_name)
    notes = "".join(f"<br>Note: {html.escape(note)}" for note in res.fit_notes)
    return f"<div><strong>OLS: {title}</strong><br>{html.escape(stats)}{notes}{table}</div>"
