"""The text summary of a quantile regression, after R's ``summary(rq(...))``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from linmod.report.coefmat import coefficient_cells, format_numbers, layout_columns
from linmod.report.summary import missingness_lines

if TYPE_CHECKING:
    from linmod.inference.quantile_results import QuantRegResults

__all__ = ["render_quantile_summary"]

_SE_WORDS = {
    "nid": "nid (Hendricks-Koenker sandwich, valid under heteroscedasticity)",
    "iid": "iid (Koenker-Bassett, errors identically distributed)",
    "ker": "ker (Powell's kernel sandwich)",
    "boot": "boot (xy-pairs bootstrap, {replications} resamples)",
    "rank": "none; 90% intervals by inverting the rank-score test (quantreg's se='rank')",
}


def render_quantile_summary(res: QuantRegResults) -> str:
    """Return the text summary of a quantile-regression fit."""
    design = res.design
    formula = design.formula or f"{design.response_name} ~ {' + '.join(design.column_names)}"
    what = "least absolute deviations, " if res.q == 0.5 else ""
    lines = [f"Quantile regression ({what}q = {res.q:g}): {formula}"]
    lines.append("  exact solution of the linear program (an optimal vertex, as quantreg's 'br')")
    if res.weights is not None:
        lines.append("  weighted: each row's check loss times its weight")
    if res.nonunique:
        lines.append("  the solution may be nonunique: other coefficients attain the same minimum")
    lines.append("  standard errors: " + _SE_WORDS[res.se].format(replications=res.replications))
    lines += ["", "Coefficients:"]
    if res.se == "rank":  # as summary.rq: the estimates and their 90% intervals
        bounds = res.conf_int(0.90)
        values = format_numbers(
            list(np.concatenate([res.coef.to_numpy(), bounds.to_numpy().ravel(order="F")])), 7
        )
        n = len(res.coef)
        rank_rows = [
            [str(name), values[i], values[n + i], values[2 * n + i]]
            for i, name in enumerate(res.coef.index)
        ]
        lines += layout_columns(["", "Value", "lower bd", "upper bd"], rank_rows)
        return "\n".join([*lines, "---", *_footer(res)])
    table = res.to_frame()
    cells = coefficient_cells(table["coef"], table["std_err"], table["t_value"], table["p_value"])
    rows = cells.rows([str(name) for name in table.index])
    header = ["", "Value", "Std. Error", "t value", "Pr(>|t|)", ""][: len(rows[0])]
    lines += layout_columns(header, rows)
    return "\n".join([*lines, "---", *_footer(res)])


def _footer(res: QuantRegResults) -> list[str]:
    return [
        f"Pseudo R-squared (Koenker-Machado): {res.pseudo_r_squared:.4g};  "
        f"check loss: {res.objective:.6g}",
        f"Observations: {res.n_obs};  residual degrees of freedom: {res.df_resid}",
        *missingness_lines(res.design),
    ]
