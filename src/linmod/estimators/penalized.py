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
from sklearn.base import MultiOutputMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from linmod.data.validation import validate_params
from linmod.estimators.enet_options import PRECOMPUTE_OPTIONS, enet_problem, solve_with_options
from linmod.estimators.glmnet_params import (
    BOUND_CONSTRAINTS,
    RELAX_CONSTRAINTS,
    fit_options,
    refuse_glmnet_options,
    reported_coefs,
)
from linmod.estimators.group_fit import fit_groups
from linmod.estimators.intercept_type import typed_intercept
from linmod.estimators.lasso_ic import fit_by_criterion
from linmod.estimators.multi_target import (
    fit_per_target,
    is_multi_target,
    selection_targets,
)
from linmod.estimators.regularized_base import (
    RegularizedRegressor,
    selection_table,
)
from linmod.estimators.ridge import Ridge
from linmod.estimators.sparse_fit import sparse_fit
from linmod.estimators.sparse_support import SparseInputMixin
from linmod.solvers.penalized_magnitude import rescale

__all__ = ["ElasticNet", "Lasso", "RegularizedRegressor", "Ridge", "selection_table"]

Float = NDArray[np.float64]


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
        "feature_groups": ["array-like", None],
        **BOUND_CONSTRAINTS,
        **RELAX_CONSTRAINTS,
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
        feature_groups: Any = None,
        penalty_factor: Any = None,
        lower: Any = None,
        upper: Any = None,
        relax: bool = False,
        gamma: float = 0.0,
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
        self.feature_groups = feature_groups
        self.penalty_factor = penalty_factor
        self.lower = lower
        self.upper = upper
        self.relax = relax
        self.gamma = gamma
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
        problem = enet_problem(self, x, yv, w, ridge, magnitude)  # the layout of precompute
        solution = solve_with_options(
            self, problem, self.alpha, self._l1_ratio(), magnitude, options
        )
        coef_std = reported_coefs(self, problem, solution.coefs, options)[:, 0]
        coef, intercept = magnitude.coefficients(*problem.scaling.to_original(coef_std))
        self.coef_ = coef
        self.intercept_ = typed_intercept(intercept, self.fit_intercept)
        self.dual_gap_ = float(magnitude.gap(solution.dual_gaps[0]))
        self.n_iter_ = int(solution.n_iter[0])  # 0 if the start met tol (scikit-learn's)
        return self

    def selection_table(self) -> pd.DataFrame:
        """Selected and dropped features: ``feature``, ``coef``, ``status``.

        (``selection`` is scikit-learn's parameter, the order of the coordinate updates.)
        """
        check_is_fitted(self)
        if np.ndim(self.coef_) == 2:
            return selection_targets(self, selection_table)
        return selection_table(self._feature_names(), self.coef_, getattr(self, "groups_", None))


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (the Lasso), by coordinate descent.

    Minimises ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁`` (scikit-learn's ``Lasso``); the intercept
    ``b`` is not penalised.  Coefficients that are exactly zero are "dropped":
    :meth:`selection_table` lists them.

    Parameters
    ----------
    alpha : float or {"aic", "bic"}, default=1.0
        Penalty, ≥ 0 (0 is least squares, solved directly), or the information criterion
        that chooses it on the exact Lasso path, as scikit-learn's ``LassoLarsIC``
        (:mod:`linmod.estimators.lasso_ic`; ``max_iter`` then caps the path's knots).
    fit_intercept, standardize, positive, tol, max_iter, precompute, warm_start, selection, \
random_state, copy_X
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
    >>> model.selection_table()["status"].tolist()
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
        self.feature_groups = feature_groups
        self.noise_variance = noise_variance
        self.penalty_factor = penalty_factor
        self.lower = lower
        self.upper = upper
        self.relax = relax
        self.gamma = gamma
        self.precompute = precompute
        self.warm_start = warm_start
        self.selection = selection
        self.random_state = random_state
        self.copy_X = copy_X

    def _l1_ratio(self) -> float:
        return 1.0
