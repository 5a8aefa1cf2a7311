"""Regression metrics: R², adjusted R², MSE, RMSE, MAE, MAPE (scikit-learn's definitions).

Each takes an optional ``sample_weight`` (one non-negative weight per value) and then
gives scikit-learn's weighted version: weighted means of the squared, absolute or relative
errors, and for R² the weighted residual sum of squares over the weighted total sum of
squares about the weighted mean.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.weights import check_weights
from linmod.exceptions import InputError

__all__ = ["adjusted_r2", "mae", "mape", "mse", "r2", "rmse"]


def _pair(y_true: Any, y_pred: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    a = np.asarray(y_true, dtype=float).ravel()
    b = np.asarray(y_pred, dtype=float).ravel()
    if a.shape != b.shape:
        raise InputError(f"y_true has {a.size} values but y_pred has {b.size}; they must match")
    if a.size == 0:
        raise InputError("metrics need at least one value")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise InputError("y_true and y_pred must be finite (found NaN or inf)")
    return a, b


def _weights(sample_weight: Any, n: int) -> NDArray[np.float64] | None:
    """The checked ``sample_weight`` (None: every value weighs the same)."""
    if sample_weight is None:
        return None
    w = check_weights(sample_weight, n, name="sample_weight")
    if not (w > 0).any():
        raise InputError("sample_weight is zero for every value: there is nothing to score")
    return w


def mse(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    """Mean squared error ``mean((y - ŷ)²)`` (weighted mean with ``sample_weight``)."""
    a, b = _pair(y_true, y_pred)
    return float(np.average((a - b) ** 2, weights=_weights(sample_weight, a.size)))


def rmse(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    """Root mean squared error (of the weighted mean with ``sample_weight``)."""
    return float(np.sqrt(mse(y_true, y_pred, sample_weight)))


def mae(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    """Mean absolute error ``mean(|y - ŷ|)`` (weighted mean with ``sample_weight``)."""
    a, b = _pair(y_true, y_pred)
    return float(np.average(np.abs(a - b), weights=_weights(sample_weight, a.size)))


def mape(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    """Mean absolute percentage error as a fraction, ``mean(|y - ŷ| / max(|y|, eps))``."""
    a, b = _pair(y_true, y_pred)
    relative = np.abs(a - b) / np.maximum(np.abs(a), np.finfo(float).eps)
    return float(np.average(relative, weights=_weights(sample_weight, a.size)))


def r2(y_true: Any, y_pred: Any, sample_weight: Any = None) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``.

    As in scikit-learn, a constant ``y_true`` gives 1.0 for a perfect prediction and 0.0
    otherwise.  With ``sample_weight`` both sums are weighted and ``SS_tot`` is taken about
    the weighted mean (R's weighted R² and scikit-learn's ``r2_score``).
    """
    a, b = _pair(y_true, y_pred)
    w = _weights(sample_weight, a.size)
    if w is None:
        ss_res = float(np.sum((a - b) ** 2))
        ss_tot = float(np.sum((a - a.mean()) ** 2))
    else:
        ss_res = float(np.sum(w * (a - b) ** 2))
        ss_tot = float(np.sum(w * (a - np.average(a, weights=w)) ** 2))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot


def adjusted_r2(y_true: Any, y_pred: Any, n_features: int) -> float:
    """Adjusted R² ``1 - (1 - R²)(n - 1)/(n - p - 1)`` for ``p = n_features`` (plus intercept)."""
    a, b = _pair(y_true, y_pred)
    n = a.size
    if isinstance(n_features, bool | np.bool_) or not isinstance(n_features, Integral):
        raise InputError(f"n_features must be an integer, got {n_features!r}")
    if not 0 <= n_features < n - 1:
        raise InputError(f"n_features={n_features} must be at least 0 and below n - 1 = {n - 1}")
    return 1.0 - (1.0 - r2(a, b)) * (n - 1) / (n - n_features - 1)
