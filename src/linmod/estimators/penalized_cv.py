"""``RidgeCV``, ``LassoCV`` and ``ElasticNetCV``: the penalty chosen by cross-validation.

Each exposes ``alpha_`` (minimum mean CV error, what scikit-learn reports),
``alpha_1se_`` (the largest penalty within one standard error of that minimum, glmnet's
``lambda.1se``) and ``cv_curve_``, a tidy table of the CV curve (mean and standard error
of the held-out MSE at every penalty).  The final model is refitted on all the data at
``alpha_``; ``Lasso(alpha=cv.alpha_1se_)`` gives the sparser 1-SE model.

* ``RidgeCV`` with ``cv=None`` computes exact leave-one-out errors (or generalised
  cross-validation) for every penalty from one SVD; with ``cv=k`` (or any scikit-learn
  splitter) one SVD per fold.
* ``LassoCV``/``ElasticNetCV`` run k-fold CV with scikit-learn's splitters, each fold
  a warm-started path on scikit-learn's grid; on the Gram layout (more samples than
  features) all the folds' Gram matrices come from a single pass over the data.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from linmod.data.validation import check_l1_ratios
from linmod.estimators.cv_options import CV_OPTION_CONSTRAINTS
from linmod.estimators.cv_search import enet_search
from linmod.estimators.glmnet_params import BOUND_CONSTRAINTS, fit_options
from linmod.estimators.regularized_base import (
    RegularizedRegressor,
    selection_table,
)
from linmod.estimators.ridge_cv import RidgeCV
from linmod.estimators.sample_weights import cv_folds, kept_rows
from linmod.estimators.sparse_fit import sparse_cv_fit
from linmod.estimators.sparse_support import SparseInputMixin
from linmod.linalg.threads import small_work_blas

__all__ = ["ElasticNetCV", "LassoCV", "RidgeCV"]

Float = NDArray[np.float64]
Index = NDArray[np.intp]


class ElasticNetCV(SparseInputMixin, RegularizedRegressor):
    """Elastic net with the penalty (and mixing) chosen by k-fold cross-validation.

    Parameters
    ----------
    l1_ratio : float or array-like of floats in [0, 1], default=0.5
        Mixing value(s) to compare.
    alphas : int or array-like, default=100
        An integer asks for scikit-learn's grid of that many penalties per ``l1_ratio``
        (``α_max = ‖Xᵀy‖∞/(n·l1_ratio)`` on the full data down to ``eps·α_max``).
    eps : float, default=1e-3
    fit_intercept : bool, default=True
    standardize : bool, default=False
        Penalise standardised coefficients (each training fold is standardised by its own
        standard deviations, as glmnet does).
    positive : bool, default=False
    cv : int, splitter or iterable, default=5
        As in scikit-learn (an integer means ``KFold`` without shuffling).
    tol : float, default=1e-4
        Duality-gap tolerance relative to ``‖y − ȳ‖²``.
    max_iter : int, default=1000
        Maximum coordinate-descent epochs per penalty.
    progress : bool or None, default=False
        Show a progress bar over the folds on standard error; None shows it only when
        that is a terminal.
    penalty_factor, lower, upper : optional
        As for :class:`ElasticNet` (glmnet's options; ``α_max`` over penalised features).
    n_jobs : int or None, default=None (scikit-learn's API: folds run in this process)
    precompute : bool, "auto" or ndarray of shape (n_features, n_features), default="auto"
        Work on the design (False), on the Gram matrix ``XᵀX`` (True) or on what suits
        the shape ("auto"), in the folds and the final refit.  A Gram matrix given as an
        array is handled as scikit-learn handles it: with ``fit_intercept`` every fold
        computes its own (scikit-learn's ``UserWarning``), without an intercept it is
        refused, as it is not ``XᵀX`` of a training fold
        (:mod:`linmod.estimators.cv_options`).
    copy_X : bool, default=True
        Accepted for scikit-learn's API: ``X`` is never modified in place either way.
    random_state : None, int or RandomState, default=None
        Seed of ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        ``"random"``: the final refit on all the data visits the features in an order
        drawn from ``random_state`` (once per fit, as :class:`ElasticNet` does); the
        folds' paths visit them in order.  The solution is the same to ``tol``.

    Attributes
    ----------
    alpha_ : float
        Penalty with the smallest mean CV error (at ``l1_ratio_``).
    alpha_1se_ : float
        Largest penalty, at ``l1_ratio_``, within one standard error of that minimum.
    l1_ratio_ : float
        The mixing value with the smallest CV error.
    alphas_ : ndarray of shape (k,) or (n_l1_ratio, k) (the latter for automatic grids)
    mse_path_ : ndarray of shape (k, n_folds) or (n_l1_ratio, k, n_folds)
        Held-out MSE of every fold (scikit-learn's layout).
    cv_curve_ : DataFrame
        ``l1_ratio, alpha, mean_mse, se_mse, is_min, is_1se`` per penalty.
    best_score_ : float
        Minus the smallest mean CV error.
    coef_ : ndarray of shape (n_features,)
        Refitted on all the data at ``alpha_`` (and ``l1_ratio_``).
    intercept_ : float
    dual_gap_ : float
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.ElasticNetCV(l1_ratio=[0.5, 1.0], standardize=True).fit(X, y)
    >>> model.alpha_1se_ >= model.alpha_
    True
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "eps": [Interval(Real, 0, 1, closed="right")],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "positive": ["boolean"],
        "cv": ["cv_object"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "progress": ["boolean", None],
        **BOUND_CONSTRAINTS,
        "n_jobs": [Integral, None],
        **CV_OPTION_CONSTRAINTS,
    }

    cv_curve_: pd.DataFrame

    def __init__(
        self,
        *,
        l1_ratio: Any = 0.5,
        alphas: Any = 100,
        eps: float = 1e-3,
        fit_intercept: bool = True,
        standardize: bool = False,
        positive: bool = False,
        cv: Any = 5,
        tol: float = 1e-4,
        max_iter: int = 1000,
        progress: bool | None = False,
        penalty_factor: Any = None,
        lower: Any = None,
        upper: Any = None,
        n_jobs: int | None = None,
        precompute: Any = "auto",
        copy_X: bool = True,
        random_state: Any = None,
        selection: str = "cyclic",
    ) -> None:
        self.l1_ratio = l1_ratio
        self.alphas = alphas
        self.eps = eps
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.cv = cv
        self.tol = tol
        self.max_iter = max_iter
        self.progress = progress
        self.penalty_factor, self.lower, self.upper = penalty_factor, lower, upper
        self.n_jobs = n_jobs
        self.precompute = precompute
        self.copy_X = copy_X
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self) -> Float:
        return check_l1_ratios(self.l1_ratio)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> ElasticNetCV:
        """Cross-validate the paths and refit at the best penalty.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weights of :meth:`ElasticNet.fit` (the grid's ``α_max`` is the weighted one);
            each fold's held-out error is weighted by its rows' weights; rows of weight 0
            are dropped.
        groups : array-like of shape (n_samples,), optional
            Group labels for a group splitter (``cv=GroupKFold()``); metadata routing too.

        Returns
        -------
        self
        """
        if sparse_cv_fit(self, X, y, sample_weight):  # a sparse X: estimators/sparse_fit.py
            return self
        x, yv = self._fit_data(X, y)
        n_given = x.shape[0]
        x, yv, w, keep = kept_rows(x, yv, sample_weight)
        with small_work_blas(x.shape):
            return self._fit_arrays(x, yv, w, (keep, n_given, groups))

    def _fit_arrays(self, x: Float, yv: Float, w: Any = None, kept: Any = None) -> ElasticNetCV:
        enet_search(
            self, x, yv, w, lambda xs, ys: cv_folds(self.cv, xs, ys, kept),
            l1_ratios=self._l1_ratios(), names=self._feature_names(),
            options=lambda p, magnitude: fit_options(self, p, magnitude),
        )  # fmt: skip
        return self

    def selection_table(self) -> pd.DataFrame:
        """Selected and dropped features at ``alpha_``: ``feature``, ``coef``, ``status``.

        (``selection`` is scikit-learn's parameter, the order of the coordinate updates.)
        """
        check_is_fitted(self)
        return selection_table(self._feature_names(), self.coef_)


class LassoCV(ElasticNetCV):
    """Lasso with the penalty chosen by k-fold cross-validation.

    Parameters
    ----------
    alphas, eps, fit_intercept, standardize, positive, cv, tol, max_iter, progress,
    penalty_factor, lower, upper, n_jobs, precompute, copy_X, random_state, selection
        As for :class:`ElasticNetCV` (with ``l1_ratio=1``).

    Attributes
    ----------
    alpha_, alpha_1se_, alphas_, mse_path_, cv_curve_, best_score_, coef_, intercept_,
    dual_gap_, n_iter_, n_features_in_, feature_names_in_
        As for :class:`ElasticNetCV`.

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.LassoCV(standardize=True).fit(X, y)
    >>> model.cv_curve_.columns.tolist()
    ['alpha', 'mean_mse', 'se_mse', 'is_min', 'is_1se']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        key: value
        for key, value in ElasticNetCV._parameter_constraints.items()
        if key != "l1_ratio"
    }

    def __init__(
        self,
        *,
        alphas: Any = 100,
        eps: float = 1e-3,
        fit_intercept: bool = True,
        standardize: bool = False,
        positive: bool = False,
        cv: Any = 5,
        tol: float = 1e-4,
        max_iter: int = 1000,
        progress: bool | None = False,
        penalty_factor: Any = None,
        lower: Any = None,
        upper: Any = None,
        n_jobs: int | None = None,
        precompute: Any = "auto",
        copy_X: bool = True,
        random_state: Any = None,
        selection: str = "cyclic",
    ) -> None:
        self.alphas = alphas
        self.eps = eps
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.positive = positive
        self.cv = cv
        self.tol = tol
        self.max_iter = max_iter
        self.progress = progress
        self.penalty_factor, self.lower, self.upper = penalty_factor, lower, upper
        self.n_jobs = n_jobs
        self.precompute = precompute
        self.copy_X = copy_X
        self.random_state = random_state
        self.selection = selection

    def _l1_ratios(self) -> Float:
        return np.array([1.0])

    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> LassoCV:
        """Cross-validate the Lasso path and refit at the best penalty.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight, groups : array-like of shape (n_samples,), optional
            As for :meth:`ElasticNetCV.fit`.

        Returns
        -------
        self
        """
        super().fit(X, y, sample_weight, groups)
        del self.l1_ratio_
        self.cv_curve_ = self.cv_curve_.drop(columns="l1_ratio")
        return self
