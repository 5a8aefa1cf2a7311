"""``Ridge``, ``Lasso`` and ``ElasticNet`` as scikit-learn estimators.

Objectives are scikit-learn's, with the intercept never penalised:

* Ridge: ``‖y − b − Xβ‖² + α‖β‖²``;
* Lasso: ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁``;
* ElasticNet: ``(1/2n)‖y − b − Xβ‖² + α·l1_ratio‖β‖₁ + α(1 − l1_ratio)/2‖β‖²``.

``standardize=True`` penalises the coefficients of the standardised features (glmnet's
default) and still reports ``coef_`` on the original scale.  The estimators hold no
algebra: they validate, call :mod:`linmod.solvers.ridge` or
:mod:`linmod.solvers.elastic_net`, and store the learned attributes.  A 2-D ``y`` fits
every column, with scikit-learn's shapes (:mod:`linmod.estimators.multi_target`).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.frames import check_feature_frame
from linmod.data.validation import check_finite, check_target, validate_params
from linmod.estimators._saving import SaveMixin
from linmod.estimators.glmnet_params import (
    BOUND_CONSTRAINTS,
    RELAX_CONSTRAINTS,
    fit_options,
    refuse_glmnet_options,
    reported_coefs,
)
from linmod.estimators.group_fit import fit_groups
from linmod.estimators.lasso_ic import fit_by_criterion
from linmod.estimators.multi_target import (
    fit_per_target,
    fit_ridge_targets,
    is_multi_target,
    refuse_multi_target,
    selection_targets,
)
from linmod.estimators.sample_weights import kept_rows
from linmod.estimators.sparse_fit import SparseInputMixin, sparse_fit
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.penalized_magnitude import ldexp as _ldexp
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import center_scale, make_problem
from linmod.solvers.ridge import RIDGE_SOLVERS, solve_ridge
from linmod.solvers.weighted_problem import (
    ridge_weights,
    weighted_center_scale,
    weighted_problem,
)

__all__ = ["ElasticNet", "Lasso", "RegularizedRegressor", "Ridge", "selection_table"]

Float = NDArray[np.float64]


def selection_table(names: Any, coef: Float, groups: Any = None) -> pd.DataFrame:
    """Which features a sparse fit kept: ``feature``, ``coef``, ``status``.

    ``status`` is ``"selected"`` for a non-zero coefficient and ``"dropped"`` otherwise
    (the lessons' listing).  With ``groups`` (one id per feature, a group-penalised fit)
    a ``group`` column follows ``feature``, and a group is selected as a whole.
    """
    table = pd.DataFrame(
        {
            "feature": [str(n) for n in names],
            "coef": coef,
            "status": np.where(coef != 0, "selected", "dropped"),
        }
    )
    if groups is not None:
        table.insert(1, "group", [str(g) for g in groups])
    return table


class RegularizedRegressor(SaveMixin, RegressorMixin, BaseEstimator):
    """Shared validation and prediction of the linear estimators in this package."""

    def _fit_data(self, X: Any, y: Any) -> tuple[Float, Float]:
        """Validate parameters and data; return float64 arrays (C order)."""
        validate_params(self)
        refuse_multi_target(self, y)
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
        return np.asarray(x @ self.coef_.T + self.intercept_)


class Ridge(MultiOutputMixin, SparseInputMixin, RegularizedRegressor):
    """Ridge regression: least squares with an L2 penalty ``α‖β‖²``.

    Minimises ``‖y − b − Xβ‖² + α‖β‖²`` (scikit-learn's ``Ridge``); the intercept ``b``
    is not penalised.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Penalty, ≥ 0 (0 is least squares; the minimum-norm solution if singular); an
        array gives each column of a 2-D ``y`` its own (scikit-learn's).
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    standardize : bool, default=False
        Penalise the coefficients of the standardised features; ``coef_`` is still on
        the original scale.
    solver : {"auto", "cholesky", "svd"}, default="auto"
        ``"cholesky"`` factors ``XᵀX + αI`` (or ``XXᵀ + αI`` when p > n) and refines
        once; ``"svd"`` uses one SVD; ``"auto"`` is Cholesky for α > 0.  A scipy.sparse
        ``X`` is never densified (``solver`` does not apply): up to 2000 features the
        exact solution from the p × p Gram matrix of the implicitly centred design
        (relative error about ``eps·(σ₁² + α)/(σ_p² + α)``), beyond LSQR with
        ``atol = btol = 1e-14`` (about ``1e-14·cond``); ``sparse_solver_`` says which
        (:mod:`linmod.solvers.sparse_ridge`).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
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
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "solver": [StrOptions(set(RIDGE_SOLVERS))],
    }

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        standardize: bool = False,
        solver: str = "auto",
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.solver = solver

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
        if sparse_fit(self, X, y, sample_weight):  # a sparse X: estimators/sparse_fit.py
            return self
        if is_multi_target(y) or np.ndim(self.alpha) > 0:
            return fit_ridge_targets(self, X, y, sample_weight)
        x, yv, w = self._weighted_data(X, y, sample_weight)
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        w, w_exp = ridge_weights(w)  # exact powers of two: Σ w r² stays in range
        if w is None:
            xc, yc, scaling = center_scale(x, yv, self.fit_intercept, self.standardize)
        else:
            xc, yc, scaling = weighted_center_scale(x, yv, w, self.fit_intercept, self.standardize)
        alpha = _ldexp(float(self.alpha), magnitude.l2_exp - w_exp)
        if np.isinf(alpha):  # a penalty beyond float64 on the rescaled data
            coef_std = np.zeros(x.shape[1])
        else:
            coef_std = solve_ridge(xc, yc, alpha, self.solver)
        coef, intercept = magnitude.coefficients(*scaling.to_original(coef_std))
        self.coef_ = coef
        self.intercept_ = float(intercept)
        return self


class ElasticNet(MultiOutputMixin, SparseInputMixin, RegularizedRegressor):
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
        Maximum coordinate-descent epochs.
    feature_groups : array-like of shape (n_features,), optional
        One group id per feature: the group elastic net, ``Σ_g √|g|·‖β_g‖₂`` in place of
        ``‖β‖₁``, so a group's features are selected or dropped together
        (:mod:`linmod.estimators.group_fit`; then also ``groups_`` and
        ``kkt_violation_``).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    dual_gap_ : float
        Duality gap reached (scikit-learn's scaling; 0 when solved directly; infinite if
        it exceeds float64 for a ``y`` near float64's limit).
    n_iter_ : int
        Coordinate-descent epochs run.
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
        "feature_groups": ["array-like", None],
        **BOUND_CONSTRAINTS,
        **RELAX_CONSTRAINTS,
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
        feature_groups: Any = None,
        penalty_factor: Any = None,
        lower: Any = None,
        upper: Any = None,
        relax: bool = False,
        gamma: float = 0.0,
    ) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.tol = tol
        self.max_iter = max_iter
        self.feature_groups = feature_groups
        self.penalty_factor = penalty_factor
        self.lower = lower
        self.upper = upper
        self.relax = relax
        self.gamma = gamma

    def _l1_ratio(self) -> float:
        return float(self.l1_ratio)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ElasticNet:
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

        Returns
        -------
        self
        """
        if is_multi_target(y):
            return fit_per_target(self, X, y, sample_weight)
        if sparse_fit(self, X, y, sample_weight):  # a sparse X: estimators/sparse_fit.py
            return self
        if getattr(self, "feature_groups", None) is not None:  # the group Lasso
            validate_params(self)
            refuse_glmnet_options(self, "the group Lasso (feature_groups=)")
            return fit_groups(self, X, y, sample_weight)
        if isinstance(self.alpha, str):  # "aic" / "bic": LassoLarsIC's choice
            validate_params(self)
            refuse_glmnet_options(self, f"alpha={self.alpha!r}", ", or give alpha a number")
            return fit_by_criterion(self, X, y, sample_weight)
        x, yv, w = self._weighted_data(X, y, sample_weight)
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        options = fit_options(self, x.shape[1], magnitude)  # penalty_factor, lower, upper
        # A pure ridge penalty is solved exactly from the design (see solve_path).
        ridge = self._l1_ratio() == 0.0 and not self.positive
        layout = False if ridge else None
        if w is None:
            problem = make_problem(x, yv, self.fit_intercept, self.standardize, layout)
        else:
            problem = weighted_problem(x, yv, w, self.fit_intercept, self.standardize, layout)
        solution = solve_path(
            problem,
            np.array([float(self.alpha)]),
            self._l1_ratio(),
            positive=self.positive,
            tol=float(self.tol),
            max_iter=int(self.max_iter),
            l1_exp=magnitude.l1_exp,
            l2_exp=magnitude.l2_exp,
            options=options,
        )
        coef_std = reported_coefs(self, problem, solution.coefs, options)[:, 0]
        coef, intercept = magnitude.coefficients(*problem.scaling.to_original(coef_std))
        self.coef_ = coef
        self.intercept_ = float(intercept)
        self.dual_gap_ = float(magnitude.gap(solution.dual_gaps[0]))
        self.n_iter_ = max(1, int(solution.n_iter[0]))
        return self

    def selection(self) -> pd.DataFrame:
        """Selected and dropped features: ``feature``, ``coef``, ``status``."""
        check_is_fitted(self)
        if np.ndim(self.coef_) == 2:
            return selection_targets(self, selection_table)
        return selection_table(self._feature_names(), self.coef_, getattr(self, "groups_", None))


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (the Lasso), by coordinate descent.

    Minimises ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁`` (scikit-learn's ``Lasso``); the intercept
    ``b`` is not penalised.  Coefficients that are exactly zero are "dropped":
    :meth:`selection` lists them.

    Parameters
    ----------
    alpha : float or {"aic", "bic"}, default=1.0
        Penalty, ≥ 0 (0 is least squares, solved directly), or the information criterion
        that chooses it on the exact Lasso path, as scikit-learn's ``LassoLarsIC``
        (:mod:`linmod.estimators.lasso_ic`; ``max_iter`` then caps the path's knots).
    fit_intercept, standardize, positive, tol, max_iter, feature_groups
        As for :class:`ElasticNet`.
    noise_variance : float, optional
        For ``alpha="aic"``/``"bic"``: the noise variance σ² of the criterion; by default
        estimated from the least-squares fit (which needs ``n > p + fit_intercept``).

    Attributes
    ----------
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_, feature_names_in_
        As for :class:`ElasticNet`.
    alpha_, alphas_, criterion_, noise_variance_
        With ``alpha="aic"``/``"bic"``: the chosen penalty, the knots of the path, the
        criterion at each knot and σ² (``LassoLarsIC``'s attributes).

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.Lasso(alpha=15000.0, standardize=True).fit(X, y)
    >>> model.selection()["status"].tolist()
    ['selected', 'dropped', 'dropped', 'dropped', 'selected']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        key: value for key, value in ElasticNet._parameter_constraints.items() if key != "l1_ratio"
    } | {
        "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({"aic", "bic"})],
        "noise_variance": [Interval(Real, 0, None, closed="neither"), None],
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
        feature_groups: Any = None,
        noise_variance: float | None = None,
        penalty_factor: Any = None,
        lower: Any = None,
        upper: Any = None,
        relax: bool = False,
        gamma: float = 0.0,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.tol = tol
        self.max_iter = max_iter
        self.feature_groups = feature_groups
        self.noise_variance = noise_variance
        self.penalty_factor = penalty_factor
        self.lower = lower
        self.upper = upper
        self.relax = relax
        self.gamma = gamma

    def _l1_ratio(self) -> float:
        return 1.0
