"""Regression metrics: R², adjusted R², MSE, RMSE, MAE, MAPE (scikit-learn's definitions)."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np
from numpy.typing import NDArray

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


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error ``mean((y - ŷ)²)``."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean((a - b) ** 2))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error ``mean(|y - ŷ|)``."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean(np.abs(a - b)))


def mape(y_true: Any, y_pred: Any) -> float:
    """Mean absolute percentage error as a fraction, ``mean(|y - ŷ| / max(|y|, eps))``."""
    a, b = _pair(y_true, y_pred)
    return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a), np.finfo(float).eps)))


def r2(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``.

    As in scikit-learn, a constant ``y_true`` gives 1.0 for a perfect prediction and 0.0
    otherwise.
    """
    a, b = _pair(y_true, y_pred)
    ss_res = float(np.sum((a - b) ** 2))
    ss_tot = float(np.sum((a - a.mean()) ** 2))
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
