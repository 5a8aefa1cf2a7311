"""The text summary of a quantile regression, after R's ``summary(rq(...))``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linmod.report.coefmat import coefficient_cells, layout_columns

if TYPE_CHECKING:
    from linmod.inference.quantile_results import QuantRegResults

__all__ = ["render_quantile_summary"]

_SE_WORDS = {
    "nid": "nid (Hendricks-Koenker sandwich, valid under heteroscedasticity)",
    "iid": "iid (Koenker-Bassett, errors identically distributed)",
    "ker": "ker (Powell's kernel sandwich)",
    "boot": "boot (xy-pairs bootstrap, {replications} resamples)",
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
    table = res.to_frame()
    cells = coefficient_cells(table["coef"], table["std_err"], table["t_value"], table["p_value"])
    rows = cells.rows([str(name) for name in table.index])
    header = ["", "Value", "Std. Error", "t value", "Pr(>|t|)", ""][: len(rows[0])]
    lines += layout_columns(header, rows)
    lines.append("---")
    lines.append(
        f"Pseudo R-squared (Koenker-Machado): {res.pseudo_r_squared:.4g};  "
        f"check loss: {res.objective:.6g}"
    )
    lines.append(f"Observations: {res.n_obs};  residual degrees of freedom: {res.df_resid}")
    return "\n".join(lines)
