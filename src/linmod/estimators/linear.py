"""``linmod.LinearRegression``: the OLS engine as a scikit-learn estimator."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

from linmod.data.arrays import design_from_arrays
from linmod.data.frames import check_feature_frame
from linmod.data.sparse_input import is_sparse
from linmod.data.validation import check_finite, check_target
from linmod.data.weighted_design import weigh_design
from linmod.data.weights import WEIGHT_TYPES, check_weights, check_weights_type
from linmod.estimators._linear_predict import LinearPredictMixin
from linmod.estimators.linear_multi import fit_several_responses, predict_several_responses
from linmod.estimators.sample_weights import broadcast_weight
from linmod.estimators.sparse_support import SparseInputMixin
from linmod.exceptions import InputError
from linmod.inference.estimability import non_estimable_rows, null_basis, warn_non_estimable
from linmod.inference.results import OLSResults
from linmod.models.ols import fit_design
from linmod.models.weighted_ols import fit_weighted_design
from linmod.solvers.auto import SOLVERS
from linmod.solvers.nnls import positive_least_squares

__all__ = ["LinearRegression"]


class LinearRegression(SparseInputMixin, LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Ordinary least squares with R-grade inference, as a scikit-learn estimator.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to estimate an intercept.
    solver : {"auto", "qr", "cholesky", "svd", "normal", "simple"}, default="auto"
        See :func:`linmod.ols`.
    weights_type : {"precision", "frequency", "sampling"}, default="precision"
        The declared meaning of ``sample_weight`` in :meth:`fit` (see :func:`linmod.ols`);
        the coefficients are the same for all three, the inference is not.
    positive : bool, default=False
        Constrain the coefficients to be non-negative (scikit-learn's NNLS: the intercept
        stays free, :mod:`linmod.solvers.nnls`); ``results_`` is then None (the OLS
        inference does not hold under the constraint).
    copy_X, tol, n_jobs
        scikit-learn's keywords, accepted: ``X`` is never modified in place, the dense
        solvers are direct (scikit-learn uses ``tol`` only for sparse ``X``) and run in
        one process.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        Coefficients, one row per response for a 2-D ``y`` as scikit-learn (0 for
        aliased features, whose estimate is undefined; see ``results_.aliased``).
        ``predict`` gives NaN, with a warning naming the rows, for rows that break the
        dependencies between aliased features (not estimable).
    intercept_ : float or ndarray of shape (n_targets,)
        Intercept (0.0 when ``fit_intercept=False``); one per response for a 2-D ``y``
        with an intercept.
    results_ : OLSResults or MultiOLSResults
        Standard errors, tests, intervals, summary; for a 2-D ``y`` a
        :class:`~linmod.inference.multi_results.MultiOLSResults` (see
        :mod:`linmod.estimators.linear_multi`).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Present when ``X`` had string column names.

    Examples
    --------
    >>> from linmod import LinearRegression
    >>> import numpy as np
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> model = LinearRegression().fit(X, [2, 4, 5, 4, 5])
    >>> round(model.intercept_, 1), model.coef_.round(1)
    (2.2, array([0.6]))
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "fit_intercept": ["boolean"],
        "solver": [StrOptions(set(SOLVERS))],
        "weights_type": [StrOptions(set(WEIGHT_TYPES))],
        "positive": ["boolean"],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        fit_intercept: bool = True,
        solver: str = "auto",
        weights_type: str = "precision",
        positive: bool = False,
        copy_X: bool = True,
        tol: float = 1e-6,
        n_jobs: int | None = None,
    ) -> None:
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.weights_type = weights_type
        self.positive = positive
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LinearRegression:
        """Fit the model.

        Parameters
        ----------
        X : array-like, DataFrame or scipy.sparse matrix of shape (n_samples, n_features)
            A sparse matrix is never densified (:mod:`linmod.estimators.sparse_linear`).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            A 2-D ``y`` fits every column on one factorisation of the design (dense X).
        sample_weight : array-like of shape (n_samples,), optional
            Observation weights, with the meaning ``weights_type`` declares; zero drops
            a sample.  Routed by scikit-learn's metadata routing
            (``set_fit_request(sample_weight=True)``).

        Returns
        -------
        self
        """
        if is_sparse(X):  # the Gram matrix's R factor, refined: estimators/sparse_linear.py
            if self.positive:
                raise InputError(
                    "LinearRegression(positive=True) needs a dense X (non-negative least "
                    "squares is not implemented for scipy.sparse yet): pass X.toarray()"
                )
            # Imported here: the sparse kernels load numba, which a dense fit does not need.
            from linmod.estimators.sparse_linear import fit_linear_sparse

            return fit_linear_sparse(self, X, y, sample_weight)
        self._validate_params()
        check_feature_frame(X)
        check_target(y)  # before scikit-learn's check, to name the rows
        Xv, yv = validate_data(
            self, X, y, y_numeric=True, dtype=np.float64, multi_output=True,
            ensure_all_finite=False,
        )  # fmt: skip
        check_finite(Xv, None, getattr(self, "feature_names_in_", None))  # names the cell
        weights = None
        sample_weight = broadcast_weight(sample_weight, Xv.shape[0])
        if sample_weight is not None:
            weights = check_weights(
                sample_weight, Xv.shape[0], name="sample_weight", weights_type=self.weights_type
            )
        if self.positive:
            return _fit_positive(self, Xv, yv, weights)
        n_samples = Xv.shape[0] if weights is None else int(np.count_nonzero(weights))
        n_params = Xv.shape[1] + int(self.fit_intercept)
        if n_samples < n_params:
            # Checked here (as well as in the engine) to word it in scikit-learn's terms.
            raise InputError(
                f"n_samples={n_samples} is fewer than the {n_params} parameters to estimate "
                f"({Xv.shape[1]} features{' + intercept' if self.fit_intercept else ''}): "
                "least squares needs at least as many samples as parameters; drop features "
                "or use a regularised estimator such as linmod.Ridge"
            )
        if yv.ndim == 2:  # several responses (k = 1 included): coef_ (k, p), as scikit-learn
            fit_several_responses(self, Xv, yv, y, weights)
            return self
        names = (
            [str(c) for c in self.feature_names_in_]
            if hasattr(self, "feature_names_in_")
            else [f"x{j}" for j in range(Xv.shape[1])]
        )
        response = getattr(y, "name", None)  # a named Series keeps its name in summaries
        if response is None and not hasattr(self, "feature_names_in_"):
            # Validated float64 arrays named x0, x1, ...: the frame-free path (same design).
            design = design_from_arrays(Xv, yv, fit_intercept=self.fit_intercept)
        else:
            design = design_from_arrays(
                pd.DataFrame(Xv, columns=names),
                pd.Series(yv, name=str(response) if response is not None else "y"),
                fit_intercept=self.fit_intercept,
            )
        if weights is None:
            self.results_: OLSResults = fit_design(design, solver=self.solver)
        else:
            kind = check_weights_type(self.weights_type)
            scaled, row_weights = weigh_design(
                design,
                weights,
                kind,
                design.row_labels,
                name="sample_weight",
                in_place=self.fit_intercept and self.solver == "auto",  # a new matrix then
                rebuild=lambda: design_from_arrays(Xv, yv, fit_intercept=self.fit_intercept).x,
            )
            self.results_ = fit_weighted_design(scaled, row_weights, solver=self.solver)
        coef = np.nan_to_num(self.results_.solution.coef, nan=0.0)
        if self.fit_intercept:
            self.intercept_ = np.float64(coef[0])
            self.coef_ = coef[1:]
        else:
            self.intercept_ = 0.0
            self.coef_ = coef
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predict with the fitted coefficients; NaN (and a warning) for non-estimable rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
            NaN for a row outside the estimable space of a rank-deficient fit (see
            :mod:`linmod.inference.estimability`).
        """
        if getattr(self, "coef_", np.zeros(0)).ndim == 2:
            return predict_several_responses(self, X)
        if is_sparse(X):
            from linmod.estimators.sparse_linear import predict_linear_sparse

            return predict_linear_sparse(self, X)
        values = super().predict(X)
        results = self.results_
        if results is None or not results.solution.dependencies:
            return values
        x = validate_data(self, X, reset=False, dtype=np.float64)
        if self.fit_intercept:
            x = np.column_stack([np.ones(x.shape[0]), x])
        basis = null_basis(results.solution.dependencies, x.shape[1])
        unknown = non_estimable_rows(x, basis)
        warn_non_estimable(unknown, pd.RangeIndex(x.shape[0]), results.dependencies)
        values[unknown] = np.nan
        return values

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # a 2-D y fits each column (coef_ (k, p))
        return tags

    def save(self, path: Any) -> None:
        """Write the fitted model to ``path`` as versioned JSON (see :mod:`linmod.model_file`);
        a fit of several responses (2-D ``y``) cannot be saved yet."""
        if getattr(self, "coef_", np.zeros(0)).ndim == 2:
            raise InputError(
                "a LinearRegression fitted to several responses (2-D y) cannot be saved yet; "
                "fit and save one model per response"
            )
        super().save(path)


def _fit_positive(estimator: Any, x: np.ndarray, y: np.ndarray, weights: Any) -> Any:
    """``positive=True``: NNLS coefficients; ``results_`` None (no OLS inference).

    A 2-D ``y`` fits each column on its own (as scikit-learn): ``coef_`` (k, p),
    ``intercept_`` (k,).
    """
    if y.ndim == 2:
        fits = [positive_least_squares(x, y[:, j], weights, estimator.fit_intercept)
                for j in range(y.shape[1])]  # fmt: skip
        coef = np.array([c for c, _ in fits]).reshape(y.shape[1], x.shape[1])
        intercept: Any = np.array([b for _, b in fits], dtype=np.float64)
        if not estimator.fit_intercept:
            intercept = 0.0
    else:
        coef, intercept = positive_least_squares(x, y, weights, estimator.fit_intercept)
        intercept = np.float64(intercept) if estimator.fit_intercept else 0.0
    estimator.coef_, estimator.intercept_, estimator.results_ = coef, intercept, None
    return estimator
