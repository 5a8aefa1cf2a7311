"""What the in-memory estimators of other losses share: checked input, fitted attributes.

``QuantileRegressor`` and ``HuberRegressor`` validate ``X``, ``y`` and ``sample_weight`` the
same way and set ``coef_`` and ``intercept_`` from the same coefficient vector.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import _check_sample_weight, validate_data

from linmod.data.arrays import design_from_arrays
from linmod.data.design import Design
from linmod.data.frames import check_feature_frame
from linmod.data.weights import check_weights
from linmod.exceptions import InputError

__all__ = ["checked_design", "set_coefficients"]


def checked_design(
    estimator: Any, X: Any, y: Any, sample_weight: Any, *, strict: bool, what: str
) -> tuple[Design, NDArray[np.float64] | None]:
    """The design of ``X`` and ``y`` and the checked weights (or None) for ``fit``.

    Parameters
    ----------
    estimator
        The estimator being fitted (``fit_intercept``; scikit-learn's feature bookkeeping).
    strict : bool
        Need more samples than parameters (True) or at least as many (False).
    what : str
        The fit, for the message, e.g. ``"a regression quantile"``.
    """
    check_feature_frame(X)
    Xv, yv = validate_data(estimator, X, y, y_numeric=True, dtype=np.float64)
    n_samples, n_params = Xv.shape[0], Xv.shape[1] + int(estimator.fit_intercept)
    if n_samples < n_params + int(strict):
        relation = "not more than" if strict else "fewer than"
        enough = "more samples than" if strict else "at least as many samples as"
        raise InputError(
            f"n_samples={n_samples} is {relation} the {n_params} parameters to estimate: "
            f"{what} needs {enough} parameters; drop features"
        )
    weights = None
    if sample_weight is not None:
        given = _check_sample_weight(sample_weight, Xv, dtype=np.float64, ensure_non_negative=False)
        weights = check_weights(given, n_samples, name="sample_weight")
    features = getattr(estimator, "feature_names_in_", None)
    if features is not None:  # the design's columns (and a dependency) named as the frame's
        Xv = pd.DataFrame(Xv, columns=[str(f) for f in features], copy=False)
    design = design_from_arrays(Xv, yv, fit_intercept=estimator.fit_intercept)
    return design, weights


def set_coefficients(estimator: Any, coef: NDArray[np.float64]) -> None:
    """Set ``intercept_`` and ``coef_`` from a coefficient vector (intercept first)."""
    estimator.intercept_ = np.float64(coef[0]) if estimator.fit_intercept else 0.0
    estimator.coef_ = coef[1:] if estimator.fit_intercept else coef
