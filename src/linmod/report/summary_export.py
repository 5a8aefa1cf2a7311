"""``res.summary(format=...)``: the summary of a fit as Markdown, LaTeX or HTML.

The same numbers as the text summary (:mod:`linmod.report.summary`), with the cells of
R's ``printCoefmat`` (:mod:`linmod.report.coefmat`): the coefficient table, then the fit
statistics (σ, R², F, AIC, BIC), the covariance used and the aliased columns as notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from linmod.report.coefmat import coefficient_cells
from linmod.report.grid import check_format, escape, render_grid
from linmod.report.summary import format_p_value, render_summary

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["render_summary_as"]


def _notes(res: OLSResults) -> list[str]:
    notes = [
        f"Residual standard error: {res.sigma:.4g} on {res.df_resid} degrees of freedom; "
        f"n = {res.n_obs}.",
        f"Multiple R-squared: {res.r_squared:.4g}, adjusted R-squared: {res.adj_r_squared:.4g}.",
    ]
    if np.isfinite(res.f_statistic):
        label = "F-statistic" if res.cov_type == "nonrobust" else f"Wald F ({res.cov_type})"
        notes.append(
            f"{label}: {res.f_statistic:.4g} on {res.df_model} and {res.df_resid} DF, "
            f"p-value: {format_p_value(res.f_p_value)}."
        )
    notes.append(f"AIC: {res.aic:.5g}, BIC: {res.bic:.5g}.")
    if res.cov_type != "nonrobust":
        lag = f", lags={res.hac_lags}" if res.cov_type == "HAC" and res.hac_lags is not None else ""
        notes.append(f"Standard errors: robust ({res.cov_type}{lag}).")
    notes += [f"Aliased: {text}." for text in res.dependencies]
    notes += [f"Note: {note}." for note in res.fit_notes]
    notes.append("Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
    return notes


def render_summary_as(res: OLSResults, format: str = "text") -> str:
    """Return the summary of ``res`` as ``"text"``, ``"markdown"``, ``"latex"`` or ``"html"``."""
    check_format(format)
    if format == "text":
        return render_summary(res)
    table = res.to_frame()
    cells = coefficient_cells(table["coef"], table["std_err"], table["t_value"], table["p_value"])
    rows = [[c.strip() for c in row] for row in cells.rows([str(n) for n in table.index])]
    header = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", ""][: len(rows[0])]
    latex = None
    if len(header) == 6:  # stars as superscripts in LaTeX
        latex = {
            i: [*(escape(c, "latex") for c in row[1:5]), f"$^{{{row[5]}}}$" if row[5] else ""]
            for i, row in enumerate(rows)
        }
    design = res.design
    formula = design.formula or f"{design.response_name} ~ {' + '.join(design.column_names)}"
    return render_grid(
        format, header, rows, notes=_notes(res), caption=f"OLS fit: {formula}", latex_cells=latex
    )
