"""``RidgeCV``: ridge with the penalty chosen by exact leave-one-out, GCV or k-fold
cross-validation (see :mod:`linmod.estimators.penalized_cv` for the family).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import MultiOutputMixin
from sklearn.utils._param_validation import Interval

from linmod.estimators.cv_search import ridge_search
from linmod.estimators.multi_target import is_multi_target
from linmod.estimators.regularized_base import RegularizedRegressor
from linmod.estimators.ridge_cv_targets import fit_ridge_cv_targets
from linmod.estimators.sample_weights import cv_folds, kept_rows
from linmod.estimators.sparse_fit import sparse_cv_fit
from linmod.estimators.sparse_support import SparseInputMixin
from linmod.linalg.threads import small_work_blas

__all__ = ["RidgeCV"]

Float = NDArray[np.float64]
Index = NDArray[np.intp]


class RidgeCV(MultiOutputMixin, SparseInputMixin, RegularizedRegressor):
    """Ridge regression with the penalty chosen by cross-validation.

    Parameters
    ----------
    alphas : int or array-like, default=100
        Penalties to compare; an integer asks for that many spanning the effective
        degrees of freedom (see :func:`linmod.solvers.penalty_grid.ridge_grid`).
    fit_intercept : bool, default=True
    standardize : bool, default=False
        Penalise standardised coefficients (with ``cv=None`` the scaling of the full data
        is kept for every left-out point).
    cv : None, int, splitter or iterable, default=None
        ``None``: efficient leave-one-out from one SVD (exact: equal to refitting ``n``
        times); otherwise k-fold as in scikit-learn (one SVD per fold).
    gcv : bool, default=False
        With ``cv=None``, use generalised cross-validation (leverages replaced by their
        mean) instead of leave-one-out.
    store_cv_results : bool, default=True
        With ``cv=None``, keep the per-observation errors (``mse_path_``,
        ``loo_residuals_``); False keeps only their mean and standard error per penalty
        (``cv_curve_``), computed in blocks of rows: no ``n × k`` arrays, the same
        choice of penalty, for large ``n``.
    alpha_per_target : bool, default=False
        With a 2-D ``y``, one penalty per response (:mod:`~linmod.estimators.ridge_cv_targets`).
    n_jobs : int or None, default=None (scikit-learn's API: folds run in this process)

    Attributes
    ----------
    alpha_ : float
        Penalty with the smallest mean CV error.
    alpha_1se_ : float
        Largest penalty within one standard error of that minimum.
    alphas_ : ndarray of shape (k,)
        Penalties compared, largest first.
    cv_curve_ : DataFrame
        ``alpha, mean_mse, se_mse, is_min, is_1se, effective_df`` per penalty.
    mse_path_ : ndarray of shape (k, m) or None
        Held-out squared errors: per fold (k-fold) or per observation (leave-one-out;
        None with ``store_cv_results=False``).
    loo_residuals_ : ndarray of shape (n_samples, k) or None
        Leave-one-out residuals ``y_i − ŷ_(−i)`` (``cv=None`` only; None with
        ``store_cv_results=False``).
    best_score_ : float
        Minus the smallest mean CV error (scikit-learn's sign convention).
    coef_ : ndarray of shape (n_features,)
        Refitted on all the data at ``alpha_``.
    intercept_ : float
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.RidgeCV(alphas=[0.1, 1.0, 10.0, 100.0]).fit(X, y)
    >>> model.alpha_ in (0.1, 1.0, 10.0, 100.0), model.alpha_1se_ >= model.alpha_
    (True, True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "alphas": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "cv": ["cv_object"],
        "gcv": ["boolean"],
        "store_cv_results": ["boolean"],
        "alpha_per_target": ["boolean"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        *,
        alphas: Any = 100,
        fit_intercept: bool = True,
        standardize: bool = False,
        cv: Any = None,
        gcv: bool = False,
        store_cv_results: bool = True,
        alpha_per_target: bool = False,
        n_jobs: int | None = None,
    ) -> None:
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.cv = cv
        self.gcv = gcv
        self.store_cv_results = store_cv_results
        self.alpha_per_target = alpha_per_target
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> RidgeCV:
        """Compare the penalties by cross-validation and refit at the best.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Weights of :meth:`Ridge.fit`; each fold's held-out error is weighted by its
            rows' weights (leave-one-out: ``w_i·e_i²``, weights rescaled to mean 1), and
            rows of weight 0 are dropped (``loo_residuals_`` then has the kept rows).
        groups : array-like of shape (n_samples,), optional
            Group labels for a group splitter (``cv=GroupKFold()``); metadata routing too.

        Returns
        -------
        self
        """
        if sparse_cv_fit(self, X, y, sample_weight):  # a sparse X: estimators/sparse_fit.py
            return self
        if is_multi_target(y):
            return fit_ridge_cv_targets(self, X, y, sample_weight)
        x, yv = self._fit_data(X, y)
        n_given = x.shape[0]
        x, yv, w, keep = kept_rows(x, yv, sample_weight)
        with small_work_blas(x.shape):
            return self._fit_arrays(x, yv, w, (keep, n_given, groups))

    def _fit_arrays(self, x: Float, yv: Float, w: Any = None, kept: Any = None) -> RidgeCV:
        split = None if self.cv is None else (lambda xs, ys: cv_folds(self.cv, xs, ys, kept))
        ridge_search(self, x, yv, w, split, names=self._feature_names())
        return self
