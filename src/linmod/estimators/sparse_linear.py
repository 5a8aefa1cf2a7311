"""``LinearRegression`` on a scipy.sparse ``X``: fit and prediction, never densified.

The fit is :func:`linmod.models.sparse_ols.fit_sparse_ols` (the Gram matrix's R factor,
refined to the float64 limit of the data; ``results_`` holds the inference).  Above
5000 parameters it is LSQR, and ``results_`` is a
:class:`~linmod.models.sparse_ols.SparseLSQRResults` (coefficients and residual norms,
no standard errors).  ``solver`` does not apply (as ``Ridge``'s on sparse data: the
method is chosen by the number of columns); ``sample_weight`` is not available with a
sparse ``X``.
Prediction of a rank-deficient fit gives NaN (with a warning) for rows outside the
estimable space, as on dense data, by R's test computed on the sparse rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.sparse_input import check_sparse_finite
from linmod.estimators.sparse_support import refuse_unhonoured
from linmod.exceptions import InputError
from linmod.inference.estimability import ESTIMABILITY_TOL, null_basis, warn_non_estimable
from linmod.models.sparse_ols import fit_sparse_ols

__all__ = ["fit_linear_sparse", "predict_linear_sparse"]

Float = NDArray[np.float64]


def fit_linear_sparse(estimator: Any, X: Any, y: Any, sample_weight: Any) -> Any:
    """:meth:`linmod.LinearRegression.fit` on a sparse ``X``."""
    estimator._validate_params()
    refuse_unhonoured(estimator)
    if sample_weight is not None:
        raise InputError(
            "sample_weight is not available with a sparse X in LinearRegression; scale the "
            "rows of X and y by sqrt(w), or pass X.toarray()"
        )
    validate_data(estimator, X, y, accept_sparse="csc", y_numeric=True, dtype=np.float64,
                  ensure_all_finite=False)  # fmt: skip
    results = fit_sparse_ols(X, y, fit_intercept=bool(estimator.fit_intercept))
    estimator.results_ = results
    coef = np.nan_to_num(np.asarray(results.coef, dtype=float), nan=0.0)
    if estimator.fit_intercept:
        estimator.intercept_ = np.float64(coef[0])
        estimator.coef_ = coef[1:]
    else:
        estimator.intercept_ = 0.0
        estimator.coef_ = coef
    return estimator


def _non_estimable(x: Any, basis: Float) -> NDArray[np.bool_]:
    """R's ``predict.lm`` test on sparse rows (see
    :func:`linmod.inference.estimability.non_estimable_rows`)."""
    import scipy.sparse as sp

    absolute = abs(x)
    biggest = np.asarray(absolute.max(axis=1).toarray() if sp.issparse(absolute.max(axis=1))
                         else absolute.max(axis=1), dtype=float).ravel()  # fmt: skip
    inverse = np.where(biggest > 0, 1.0 / np.where(biggest > 0, biggest, 1.0), 0.0)
    rows = sp.diags_array(inverse) @ x
    in_null = np.linalg.norm(np.asarray(rows @ basis), axis=1)
    whole = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1), dtype=float).ravel())
    return np.asarray((in_null >= ESTIMABILITY_TOL * whole) & (whole > 0), dtype=bool)


def predict_linear_sparse(estimator: Any, X: Any) -> Float:
    """:meth:`linmod.LinearRegression.predict` on a sparse ``X``."""
    import scipy.sparse as sp

    check_is_fitted(estimator)
    x = validate_data(estimator, X, reset=False, accept_sparse="csr", dtype=np.float64,
                      ensure_all_finite=False)  # fmt: skip
    csc = x.tocsc()
    check_sparse_finite(csc.data, csc.indices, csc.indptr, [f"x{j}" for j in range(x.shape[1])])
    values = np.asarray(x @ estimator.coef_ + estimator.intercept_, dtype=float)
    solution = getattr(estimator.results_, "solution", None)
    if solution is None or not solution.dependencies:
        return values
    full = sp.hstack([np.ones((x.shape[0], 1)), x], format="csr") if estimator.fit_intercept else x
    unknown = _non_estimable(full, null_basis(solution.dependencies, full.shape[1]))
    warn_non_estimable(unknown, pd.RangeIndex(x.shape[0]), estimator.results_.dependencies)
    values[unknown] = np.nan
    return values
