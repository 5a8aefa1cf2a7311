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
    res: OLSResults, new: Any, interval: str | None, level: float, weights: Any = None
) -> pd.DataFrame:
    """The table of :meth:`OLSResults.predict`: ``fit`` (and ``lower``, ``upper``)."""
    if interval not in INTERVALS:
        raise InputError(
            f"interval={interval!r} is not known; use None, 'confidence' or 'prediction'"
        )
    level = check_level(level)
    if weights is not None and interval != "prediction":
        raise InputError("weights= gives new rows' precision: it is for interval='prediction'")
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
    if interval is not None:
        # In units of 2**e (the response's scale), so that nothing over- or underflows.
        exponents, middle = res._cov_parts
        cov = middle[np.ix_(kept, kept)]
        xs = np.ldexp(xk, exponents[kept] - res._exponent)
        variance = np.einsum("ij,jk,ik->i", xs, cov, xs)
        if interval == "prediction":
            if res.weights is None and weights is None:
                variance = variance + res._sigma_scaled**2
            else:
                info = res.weights
                w = prediction_weights(
                    None if info is None else info.kind,
                    None if info is None else info.values,
                    weights,
                    x.shape[0],
                    new is not None,
                )
                variance = variance + res._sigma_scaled**2 / w
        quantile = -special.stdtrit(res.df_resid, (1.0 - level) / 2.0)
        half = np.ldexp(quantile * np.sqrt(variance), res._exponent)
        table["lower"] = fit - half
        table["upper"] = fit + half
    table.loc[incomplete] = np.nan
    return table
