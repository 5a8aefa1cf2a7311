"""``Ridge``, ``Lasso`` and ``ElasticNet`` as scikit-learn estimators.

Objectives are scikit-learn's, with the intercept never penalised:

* Ridge: ``‖y − b − Xβ‖² + α‖β‖²``;
* Lasso: ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁``;
* ElasticNet: ``(1/2n)‖y − b − Xβ‖² + α·l1_ratio‖β‖₁ + α(1 − l1_ratio)/2‖β‖²``.

``standardize=True`` penalises the coefficients of the standardised features (glmnet's
default) and still reports ``coef_`` on the original scale.  The estimators hold no
algebra: they validate, call :mod:`linmod.solvers.ridge` or
:mod:`linmod.solvers.elastic_net`, and store the learned attributes.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.frames import check_feature_frame
from linmod.data.validation import check_finite, check_target, validate_params
from linmod.estimators._saving import SaveMixin
from linmod.estimators.enet_options import PRECOMPUTE_OPTIONS, enet_problem, solve_with_options
from linmod.estimators.sample_weights import kept_rows
from linmod.solvers.bounded_ridge import SKLEARN_RIDGE_SOLVERS, solve_ridge_options
from linmod.solvers.penalized_magnitude import ldexp as _ldexp
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import center_scale
from linmod.solvers.weighted_problem import ridge_weights, weighted_center_scale

__all__ = ["ElasticNet", "Lasso", "RegularizedRegressor", "Ridge", "selection_table"]

Float = NDArray[np.float64]


def selection_table(names: Any, coef: Float) -> pd.DataFrame:
    """Which features a sparse fit kept: ``feature``, ``coef``, ``status``.

    ``status`` is ``"selected"`` for a non-zero coefficient and ``"dropped"`` otherwise
    (the lessons' listing).
    """
    return pd.DataFrame(
        {
            "feature": [str(n) for n in names],
            "coef": coef,
            "status": np.where(coef != 0, "selected", "dropped"),
        }
    )


class RegularizedRegressor(SaveMixin, RegressorMixin, BaseEstimator):
    """Shared validation and prediction of the linear estimators in this package."""

    def _fit_data(self, X: Any, y: Any) -> tuple[Float, Float]:
        """Validate parameters and data; return float64 arrays (C order)."""
        validate_params(self)
        check_target(y)
        check_feature_frame(X)
        x, yv = validate_data(self, X, y, y_numeric=True, dtype=np.float64, ensure_all_finite=False)
        check_finite(x, None, getattr(self, "feature_names_in_", None))
        return np.ascontiguousarray(x), np.ascontiguousarray(yv, dtype=np.float64)

    def _weighted_data(self, X: Any, y: Any, sample_weight: Any) -> tuple[Float, Float, Any]:
        """:meth:`_fit_data`, then the checked weights with zero-weight rows dropped."""
        x, yv = self._fit_data(X, y)
        x, yv, weights, _ = kept_rows(x, yv, sample_weight)
        return x, yv, weights

    def _feature_names(self) -> list[str]:
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{j}" for j in range(self.n_features_in_)]

    def predict(self, X: Any) -> Float:
        """Predict with the fitted coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        x = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False)
        check_finite(x, None, getattr(self, "feature_names_in_", None))
        return np.asarray(x @ self.coef_ + self.intercept_)


class Ridge(RegularizedRegressor):
    """Ridge regression: least squares with an L2 penalty ``α‖β‖²``.

    Minimises ``‖y − b − Xβ‖² + α‖β‖²`` (scikit-learn's ``Ridge``); the intercept ``b``
    is not penalised.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty, ≥ 0 (0 is least squares; the minimum-norm solution if singular).
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    standardize : bool, default=False
        Penalise the coefficients of the standardised features; ``coef_`` is still on
        the original scale.
    solver : {"auto", "cholesky", "svd", "lsqr", "sparse_cg", "lbfgs", "sag", "saga"}, \
default="auto"
        ``"cholesky"`` factors ``XᵀX + αI`` (or ``XXᵀ + αI`` when p > n) and refines
        once; ``"svd"`` uses one SVD; ``"auto"`` is Cholesky for α > 0 (a bounded
        solver with ``positive=True``).  scikit-learn's iterative ``"lsqr"`` and
        ``"sparse_cg"`` run scipy's LSQR and conjugate gradients to ``tol``; ``"lbfgs"``
        is for ``positive=True`` only; ``"sag"``/``"saga"`` are computed exactly by
        ``"cholesky"`` (:mod:`linmod.solvers.bounded_ridge`).

    tol : float, default=1e-4
        Stopping tolerance of ``"lsqr"``, ``"sparse_cg"`` and of ``positive=True`` on
        more than 200 features (the direct solvers have nothing to stop).
    positive : bool, default=False
        Constrain the coefficients to be non-negative (the intercept stays free): the
        augmented system ``[X; √α I]β ≈ [y; 0]`` solved with bounds.
    max_iter : int or None, default=None
        Iteration cap of the iterative solvers (None: scipy's default).
    copy_X : bool, default=True
        Accepted for scikit-learn's API: ``X`` is never modified in place either way.
    random_state : None, int or RandomState, default=None
        Accepted for scikit-learn's API (used there by ``"sag"``/``"saga"``, which are
        computed exactly here).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : ndarray of shape (1,) or None
        Iterations of ``"lsqr"``; None for the other solvers (as in scikit-learn).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Present when ``X`` had string column names.

    Examples
    --------
    >>> import numpy as np, linmod
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> model = linmod.Ridge(alpha=5.0).fit(X, [2.0, 4.0, 5.0, 8.0])
    >>> round(float(model.coef_[0]), 4), round(model.intercept_, 4)
    (0.95, 2.375)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "solver": [StrOptions(set(SKLEARN_RIDGE_SOLVERS))],
        "tol": [Interval(Real, 0, None, closed="left")],
        "positive": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "copy_X": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        standardize: bool = False,
        solver: str = "auto",
        tol: float = 1e-4,
        positive: bool = False,
        max_iter: int | None = None,
        copy_X: bool = True,
        random_state: Any = None,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.solver = solver
        self.tol = tol
        self.positive = positive
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.random_state = random_state

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Ridge:
        """Fit the model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Minimise ``Σ w_i (y_i − b − x_iᵀβ)² + α‖β‖²`` (scikit-learn's convention, the
            weights not rescaled), with weighted means and standard deviations; rows of
            weight 0 are dropped (:mod:`linmod.solvers.weighted_problem`).

        Returns
        -------
        self
        """
        x, yv, w = self._weighted_data(X, y, sample_weight)
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        w, w_exp = ridge_weights(w)  # exact powers of two: Σ w r² stays in range
        if w is None:
            xc, yc, scaling = center_scale(x, yv, self.fit_intercept, self.standardize)
        else:
            xc, yc, scaling = weighted_center_scale(x, yv, w, self.fit_intercept, self.standardize)
        alpha = _ldexp(float(self.alpha), magnitude.l2_exp - w_exp)
        n_iter = None
        if np.isinf(alpha):  # a penalty beyond float64 on the rescaled data
            coef_std = np.zeros(x.shape[1])
        else:
            coef_std, n_iter = solve_ridge_options(
                xc, yc, alpha, solver=self.solver, positive=self.positive,
                tol=float(self.tol), max_iter=self.max_iter,
            )  # fmt: skip
        coef, intercept = magnitude.coefficients(*scaling.to_original(coef_std))
        self.coef_ = coef
        self.intercept_ = float(intercept)
        self.n_iter_ = None if n_iter is None else np.array([n_iter], dtype=np.int32)
        return self


class ElasticNet(RegularizedRegressor):
    """Linear regression with a combined L1 and L2 penalty, by coordinate descent.

    Minimises ``(1/2n)‖y − b − Xβ‖² + α·l1_ratio‖β‖₁ + α(1 − l1_ratio)/2‖β‖²``
    (scikit-learn's ``ElasticNet``); the intercept ``b`` is not penalised.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty, ≥ 0 (0 is least squares, solved directly).
    l1_ratio : float in [0, 1], default=0.5
        Share of the L1 penalty (1 is the Lasso, 0 a ridge penalty).
    fit_intercept : bool, default=True
    standardize : bool, default=False
        Penalise the coefficients of the standardised features (glmnet's default);
        ``coef_`` is still on the original scale.
    positive : bool, default=False
        Constrain the coefficients to be non-negative.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol·‖y − ȳ‖²`` (scikit-learn's convention).
        Not used by a pure ridge penalty (``l1_ratio=0`` without ``positive``), which is
        solved directly (one SVD of the design).
    max_iter : int, default=1000
        Maximum coordinate-descent epochs (passes over the working set of features; a
        scikit-learn epoch passes over all of them, so ``n_iter_`` counts differ).
    precompute : bool, "auto" or ndarray of shape (n_features, n_features), default="auto"
        Work on the design (False), on the Gram matrix ``XᵀX`` (True), on what suits the
        shape ("auto"), or on the Gram matrix given (``XᵀX`` of the centred ``X``, checked
        as scikit-learn checks it).  The solution is the same to ``tol``
        (:mod:`linmod.estimators.enet_options`).
    warm_start : bool, default=False
        Start a refit from the previous ``coef_`` instead of zero.
    selection : {"cyclic", "random"}, default="cyclic"
        Visit the features in order, or in an order drawn from ``random_state`` (once
        per fit).
    random_state : None, int or RandomState, default=None
        Seed of ``selection="random"``.
    copy_X : bool, default=True
        Accepted for scikit-learn's API: ``X`` is never modified in place either way.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    dual_gap_ : float
        Duality gap reached (scikit-learn's scaling; 0 when solved directly; infinite if
        it exceeds float64 for a ``y`` near float64's limit).
    n_iter_ : int
        Coordinate-descent epochs run (0 when the start, e.g. a warm start, already meets
        ``tol``, as in scikit-learn).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.ElasticNet(alpha=0.1, l1_ratio=0.5, standardize=True).fit(X, y)
    >>> model.coef_.shape
    (5,)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "positive": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "precompute": ["boolean", StrOptions(set(PRECOMPUTE_OPTIONS)), "array-like"],
        "warm_start": ["boolean"],
        "selection": [StrOptions({"cyclic", "random"})],
        "random_state": ["random_state"],
        "copy_X": ["boolean"],
    }

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        l1_ratio: float = 0.5,
        fit_intercept: bool = True,
        standardize: bool = False,
        positive: bool = False,
        tol: float = 1e-4,
        max_iter: int = 1000,
        precompute: Any = "auto",
        warm_start: bool = False,
        selection: str = "cyclic",
        random_state: Any = None,
        copy_X: bool = True,
    ) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.tol = tol
        self.max_iter = max_iter
        self.precompute = precompute
        self.warm_start = warm_start
        self.selection = selection
        self.random_state = random_state
        self.copy_X = copy_X

    def _l1_ratio(self) -> float:
        return float(self.l1_ratio)

    def fit(
        self, X: Any, y: Any, sample_weight: Any = None, check_input: bool = True
    ) -> ElasticNet:
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Minimise ``(1/2W) Σ w_i (y_i − b − x_iᵀβ)²`` plus the penalty, ``W = Σ w_i``
            (scikit-learn's and glmnet's convention), with weighted means and standard
            deviations; rows of weight 0 are dropped
            (:mod:`linmod.solvers.weighted_problem`).
        check_input : bool, default=True
            scikit-learn's switch to skip input checks; linmod always checks the input.

        Returns
        -------
        self
        """
        x, yv, w = self._weighted_data(X, y, sample_weight)
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        # A pure ridge penalty is solved exactly from the design (see solve_path).
        ridge = self._l1_ratio() == 0.0 and not self.positive
        problem = enet_problem(self, x, yv, w, ridge, magnitude)  # the layout of precompute
        solution = solve_with_options(self, problem, self.alpha, self._l1_ratio(), magnitude)
        coef, intercept = magnitude.coefficients(*problem.scaling.to_original(solution.coefs[:, 0]))
        self.coef_ = coef
        self.intercept_ = float(intercept)
        self.dual_gap_ = float(magnitude.gap(solution.dual_gaps[0]))
        self.n_iter_ = int(solution.n_iter[0])  # 0 if the start met tol (scikit-learn's)
        return self

    def selection_table(self) -> pd.DataFrame:
        """Selected and dropped features: ``feature``, ``coef``, ``status``.

        (``selection`` is scikit-learn's parameter, the order of the coordinate updates.)
        """
        check_is_fitted(self)
        return selection_table(self._feature_names(), self.coef_)


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (the Lasso), by coordinate descent.

    Minimises ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁`` (scikit-learn's ``Lasso``); the intercept
    ``b`` is not penalised.  Coefficients that are exactly zero are "dropped":
    :meth:`selection_table` lists them.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty, ≥ 0 (0 is least squares, solved directly).
    fit_intercept, standardize, positive, tol, max_iter, precompute, warm_start, selection, \
random_state, copy_X
        As for :class:`ElasticNet`.

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_, feature_names_in_
        As for :class:`ElasticNet`.

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.Lasso(alpha=15000.0, standardize=True).fit(X, y)
    >>> model.selection_table()["status"].tolist()
    ['selected', 'dropped', 'dropped', 'dropped', 'selected']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        key: value for key, value in ElasticNet._parameter_constraints.items() if key != "l1_ratio"
    }

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        standardize: bool = False,
        positive: bool = False,
        tol: float = 1e-4,
        max_iter: int = 1000,
        precompute: Any = "auto",
        warm_start: bool = False,
        selection: str = "cyclic",
        random_state: Any = None,
        copy_X: bool = True,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.tol = tol
        self.max_iter = max_iter
        self.precompute = precompute
        self.warm_start = warm_start
        self.selection = selection
        self.random_state = random_state
        self.copy_X = copy_X

    def _l1_ratio(self) -> float:
        return 1.0
