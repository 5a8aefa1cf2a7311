"""Predictions of an OLS fit, with confidence and prediction intervals.

Intervals are computed in units of ``2**e`` (the response's power-of-two scale) so that
nothing over- or underflows for data of any magnitude float64 holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import special

from linmod.exceptions import InputError
from linmod.inference.estimability import non_estimable_rows, null_basis, warn_non_estimable
from linmod.inference.prediction_variance import check_new_row_variance, new_observation_variance
from linmod.inference.weighted import prediction_weights

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["INTERVALS", "check_level", "prediction_table"]

INTERVALS = (None, "confidence", "prediction")


def check_level(level: float) -> float:
    """The interval's coverage, refused unless strictly between 0 and 1."""
    if not 0.0 < level < 1.0:
        raise InputError(f"level={level!r} must lie strictly between 0 and 1, e.g. 0.95")
    return float(level)


def prediction_table(
    res: OLSResults,
    new: Any,
    interval: str | None,
    level: float,
    pred_var: Any = None,
    weights: Any = None,
) -> pd.DataFrame:
    """The table of :meth:`OLSResults.predict`: ``fit`` (and ``lower``, ``upper``).

    Rows outside the estimable space of a rank-deficient fit are NaN, with a warning
    (:mod:`linmod.inference.estimability`); a prediction interval adds ``pred_var``
    (default σ̂², or σ̂²/w for a fit with precision weights,
    :mod:`linmod.inference.prediction_variance`) and says so in ``table.attrs["pred_var"]``.
    """
    if interval not in INTERVALS:
        raise InputError(
            f"interval={interval!r} is not known; use None, 'confidence' or 'prediction'"
        )
    level = check_level(level)
    check_new_row_variance(pred_var, weights, interval)
    if new is None:
        res._require_data("predict() without new data")
        x, incomplete, index = (
            res.design.x if res.weights is None else res.weights.raw.x,
            np.zeros(res.n_obs, dtype=bool),
            res.design.row_labels,
        )
    else:
        x, incomplete, index = res.design.spec.new_rows(new)
    kept = res._kept
    xk = np.where(incomplete[:, None], 0.0, x[:, kept])
    fit = xk @ res.solution.coef[kept]
    table = pd.DataFrame({"fit": fit}, index=index)
    basis = null_basis(res.solution.dependencies, x.shape[1])
    unknown = non_estimable_rows(np.where(incomplete[:, None], 0.0, x), basis) & ~incomplete
    warn_non_estimable(unknown, index, res.dependencies)
    if interval is not None:
        # In units of 2**e (the response's scale), so that nothing over- or underflows.
        exponents, middle = res._cov_parts
        cov = middle[np.ix_(kept, kept)]
        xs = np.ldexp(xk, exponents[kept] - res._exponent)
        variance = np.einsum("ij,jk,ik->i", xs, cov, xs)
        if interval == "prediction":
            info = res.declared_weights  # also a streamed fit's, which holds no rows
            if pred_var is None and (info is not None or weights is not None):
                w = prediction_weights(
                    None if info is None else info.kind,
                    None if res.weights is None else res.weights.values,
                    weights,
                    x.shape[0],
                    new is not None,
                )
                variance = variance + res._sigma_scaled**2 / w
                table.attrs["pred_var"] = (
                    "sigma^2 / w: the residual variance over each row's weight"
                )
            else:
                added, table.attrs["pred_var"] = new_observation_variance(
                    pred_var, res._sigma_scaled, res._exponent, res.cov_type, x.shape[0]
                )
                variance = variance + added
        quantile = -special.stdtrit(res.df_resid, (1.0 - level) / 2.0)
        half = np.ldexp(quantile * np.sqrt(variance), res._exponent)
        table["lower"] = fit - half
        table["upper"] = fit + half
    table.loc[incomplete | unknown] = np.nan
    return table
