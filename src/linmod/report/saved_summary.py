"""Render a loaded model (:class:`~linmod.model_file.SavedModel`) as R's ``summary.lm``.

A model file holds the coefficients, ``(X'X)^-1``, σ, the residual degrees of freedom, R²
and n, but no data: the summary shows the coefficient table and the fit statistics
those numbers give, and says that it comes from a saved model (no residual quantiles).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
from scipy import stats

from linmod.models.saved_weights import describe_saved_weights
from linmod.report.summary import coefficient_lines, format_p_value

if TYPE_CHECKING:
    from linmod.model_file import SavedModel

__all__ = ["render_saved_summary"]


def _f_test(model: SavedModel) -> tuple[float, int, float]:
    """The overall F statistic, its numerator df and p-value, from the saved R²."""
    intercept = model.terms[:1] == ("Intercept",)
    df_model = int(np.isfinite(model.coef).sum()) - (1 if intercept else 0)
    if df_model <= 0 or model.df_resid <= 0 or not np.isfinite(model.r_squared):
        return np.nan, df_model, np.nan
    r2 = model.r_squared
    f = (r2 / df_model) / ((1.0 - r2) / model.df_resid) if r2 < 1.0 else np.inf
    return f, df_model, float(stats.f.sf(f, df_model, model.df_resid))


def render_saved_summary(model: SavedModel) -> str:
    """Return the text summary of a loaded model.

    Parameters
    ----------
    model : SavedModel

    Returns
    -------
    str
    """
    spec = model.spec
    if spec["type"] == "formula":
        formula = spec["formula"]
    else:
        formula = f"{model.response} ~ {' + '.join(spec['features'])}"
    if model.kind != "ols":
        lines = [f"Saved {model.estimator} model (read from a model file): {formula}", ""]
        lines.append("Coefficients (a penalised or iterative fit: no standard errors):")
        width = max(len(t) for t in model.terms)
        lines += [
            f"{term.ljust(width)}  {value:.6g}"
            for term, value in zip(model.terms, model.coef, strict=True)
        ]
        return "\n".join(lines)
    lines = [
        f"Saved OLS model (read from a model file): {formula}",
        "  numbers as saved; the file holds no data, so no residual quantiles",
        "",
    ]
    n_aliased = int((~np.isfinite(model.coef)).sum())
    if n_aliased:
        word = "coefficient" if n_aliased == 1 else "coefficients"
        lines.append(f"Coefficients: ({n_aliased} {word} not defined because of singularities)")
    else:
        lines.append("Coefficients:")
    # The same table as OLSResults.summary(): it reads only to_frame(), which both have.
    lines.extend(coefficient_lines(cast(Any, model)))
    lines.append("---")
    lines.append("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
    lines.append("")
    lines.append(
        f"Residual standard error: {model.sigma:.4g} on {model.df_resid} degrees of freedom"
    )
    lines.extend(describe_saved_weights(model))
    lines.append(
        f"Multiple R-squared:  {model.r_squared:.4g},\t"
        f"Adjusted R-squared:  {model.adj_r_squared:.4g}"
    )
    f, df_model, p = _f_test(model)
    if np.isfinite(f):
        lines.append(
            f"F-statistic: {f:.4g} on {df_model} and {model.df_resid} DF,  "
            f"p-value: {format_p_value(p)}"
        )
    lines.append(f"Observations: {model.n_obs}")
    return "\n".join(lines)
