"""Predictions of a model read from a file, as those of ``OLSResults.predict``.

A model file holds the coefficients, ``(X'X)^-1``, σ̂, the residual degrees of freedom
and an orthonormal basis of the design's null space, which is all that prediction,
intervals and the estimability check need (:mod:`linmod.model_file`).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import special

from linmod.inference.estimability import non_estimable_rows, warn_non_estimable
from linmod.inference.prediction_variance import check_pred_var_use, new_observation_variance

__all__ = ["saved_prediction_table"]

Float = NDArray[np.float64]


class _Saved(Protocol):
    @property
    def terms(self) -> tuple[str, ...]: ...
    @property
    def coef(self) -> Float: ...
    @property
    def cov_unscaled(self) -> Float | None: ...
    @property
    def sigma(self) -> float: ...
    @property
    def df_resid(self) -> int: ...
    @property
    def null_basis(self) -> Float | None: ...


def _dependencies(basis: Float, terms: tuple[str, ...]) -> list[str]:
    """Each null-space direction in words, e.g. ``"wt2 = 2·wt"`` (solved for its last term)."""
    out = []
    for v in basis.T:
        j = int(np.flatnonzero(np.abs(v) > 1e-9 * np.max(np.abs(v)))[-1])
        others = [
            f"{-c / v[j]:+.6g}·{terms[k]}"
            for k, c in enumerate(v)
            if k != j and abs(c) > 1e-9 * abs(v[j])
        ]
        out.append(f"{terms[j]} = " + (" ".join(others).lstrip("+") if others else "0"))
    return out


def saved_prediction_table(
    model: _Saved,
    x: Float,
    incomplete: NDArray[np.bool_],
    index: pd.Index,
    interval: str | None,
    level: float,
    pred_var: Any,
    *,
    cov: Float | None = None,
    new_variance: Float | None = None,
) -> pd.DataFrame:
    """The prediction table of a saved model for the new design rows ``x``.

    ``cov``: the coefficients' covariance (default ``σ̂² (X'X)^-1``); ``new_variance``: the
    new observations' variance for a weighted model (``σ̂²/w``), in place of ``pred_var``.
    """
    check_pred_var_use(pred_var, interval)
    kept = np.isfinite(model.coef)
    xk = np.where(incomplete[:, None], 0.0, x[:, kept])
    fit = xk @ model.coef[kept]
    table = pd.DataFrame({"fit": fit}, index=index)
    unknown = np.zeros(x.shape[0], dtype=bool)
    if model.null_basis is not None:
        rows = np.where(incomplete[:, None], 0.0, x)
        unknown = non_estimable_rows(rows, model.null_basis) & ~incomplete
        warn_non_estimable(unknown, index, _dependencies(model.null_basis, model.terms))
    if interval is not None:
        assert model.cov_unscaled is not None
        full = model.cov_unscaled * model.sigma**2 if cov is None else cov
        variance = np.einsum("ij,jk,ik->i", xk, full[np.ix_(kept, kept)], xk)
        if interval == "prediction" and new_variance is not None:
            variance = variance + new_variance
            table.attrs["pred_var"] = "sigma^2 / w: the residual variance over each row's weight"
        elif interval == "prediction":
            added, table.attrs["pred_var"] = new_observation_variance(
                pred_var, model.sigma, 0, "nonrobust", x.shape[0]
            )
            variance = variance + added
        quantile = -special.stdtrit(model.df_resid, (1.0 - level) / 2.0)
        half = quantile * np.sqrt(variance)
        table["lower"], table["upper"] = fit - half, fit + half
    table.loc[incomplete | unknown] = np.nan
    return table
