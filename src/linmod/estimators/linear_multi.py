"""``LinearRegression`` with a 2-D ``y``: several responses, as scikit-learn.

scikit-learn's convention: for ``y`` of shape ``(n, k)`` (``k = 1`` included) ``coef_`` has
shape ``(k, n_features)``, ``intercept_`` shape ``(k,)`` and ``predict`` returns
``(n, k)``.  The responses are fitted on one factorisation of the design
(:mod:`linmod.models.multi_ols`); ``results_`` is a
:class:`~linmod.inference.multi_results.MultiOLSResults` (``results_["y0"]`` is the full
inference of one response).  With ``sample_weight`` each response is fitted weighted on
its own (the coefficients are the same; the residual covariance of a weighted fit of
several responses is not given, as R's ``SSD.mlm`` refuses weights).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.frames import is_frame, to_pandas
from linmod.data.multi_response import designs_from_arrays
from linmod.data.weighted_design import weigh_design
from linmod.data.weights import check_weights_type
from linmod.inference.estimability import non_estimable_rows, null_basis, warn_non_estimable
from linmod.inference.multi_results import MultiOLSResults
from linmod.models.multi_ols import fit_multi_designs
from linmod.models.weighted_ols import fit_weighted_design

__all__ = ["fit_several_responses", "predict_several_responses"]


def _response_names(y: Any, k: int) -> list[str]:
    if is_frame(y):
        return [str(c) for c in to_pandas(y).columns]
    return [f"y{j}" for j in range(k)]


def fit_several_responses(
    estimator: Any, x: np.ndarray, y: np.ndarray, y_given: Any, weights: np.ndarray | None
) -> None:
    """Fit ``estimator`` (a ``LinearRegression``) to the columns of a 2-D ``y``.

    Sets ``results_``, ``coef_`` (shape ``(k, n_features)``) and ``intercept_`` (shape
    ``(k,)``; the float 0.0 without an intercept, as scikit-learn).

    Parameters
    ----------
    estimator : LinearRegression
    x : ndarray of shape (n, p)
        The validated features.
    y : ndarray of shape (n, k)
        The validated responses.
    y_given : array-like or DataFrame
        ``y`` as given (a frame's column names name the responses).
    weights : ndarray of shape (n,) or None
        Checked sample weights.
    """
    names = _response_names(y_given, y.shape[1])
    features: Any = x
    if hasattr(estimator, "feature_names_in_"):
        features = pd.DataFrame(x, columns=[str(c) for c in estimator.feature_names_in_])
    designs = designs_from_arrays(
        features, pd.DataFrame(y, columns=names), fit_intercept=estimator.fit_intercept
    )
    if weights is None:
        results = fit_multi_designs(designs, solver=estimator.solver)
    else:
        kind = check_weights_type(estimator.weights_type)
        fits = []
        for design in designs:
            scaled, row_weights = weigh_design(
                design, weights, kind, design.row_labels, name="sample_weight"
            )
            fits.append(fit_weighted_design(scaled, row_weights, solver=estimator.solver))
        results = MultiOLSResults(results=tuple(fits))
    estimator.results_ = results
    coef = np.nan_to_num(np.vstack([r.solution.coef for r in results.results]), nan=0.0)
    if estimator.fit_intercept:
        estimator.intercept_ = coef[:, 0].copy()
        estimator.coef_ = np.ascontiguousarray(coef[:, 1:])
    else:
        estimator.intercept_ = 0.0  # a float, as scikit-learn's
        estimator.coef_ = coef


def predict_several_responses(estimator: Any, x_given: Any) -> np.ndarray:
    """``X coef_' + intercept_`` of shape ``(n, k)``; NaN rows (and a warning) outside the
    estimable space of a rank-deficient fit.

    Parameters
    ----------
    estimator : LinearRegression
        Fitted to a 2-D ``y``.
    x_given : array-like of shape (n, n_features)
    """
    check_is_fitted(estimator)
    x = validate_data(estimator, x_given, reset=False, dtype=np.float64)
    values = np.asarray(x @ estimator.coef_.T + estimator.intercept_)
    if estimator.results_ is None:  # positive=True: no OLS results, every row estimable
        return values
    first = estimator.results_.results[0]
    if first.solution.dependencies:
        full = np.column_stack([np.ones(x.shape[0]), x]) if estimator.fit_intercept else x
        basis = null_basis(first.solution.dependencies, full.shape[1])
        unknown = non_estimable_rows(full, basis)
        warn_non_estimable(unknown, pd.RangeIndex(x.shape[0]), first.dependencies)
        values[unknown] = np.nan
    return values
