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

from linmod.estimators.intercept_type import typed_intercept
from linmod.estimators.multi_target import is_multi_target
from linmod.estimators.regularized_base import RegularizedRegressor, store_choice
from linmod.estimators.ridge_cv_targets import fit_ridge_cv_targets
from linmod.estimators.sample_weights import cv_folds, kept_rows
from linmod.estimators.sparse_fit import SparseInputMixin, sparse_cv_fit
from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas
from linmod.solvers.paths import resolve_alphas
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalty_cv import (
    CVCurve,
    ridge_kfold,
    ridge_loo,
    ridge_loo_summary,
    summarised_curve,
)
from linmod.solvers.penalty_grid import ridge_grid
from linmod.solvers.weighted_problem import (
    ridge_decomposition,
    ridge_weights,
)

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
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        w, w_exp = ridge_weights(w)  # penalties of the rescaled weights: alpha·2^-w_exp
        n_alphas, grid = resolve_alphas(self.alphas)
        with np.errstate(over="ignore", under="ignore"):
            scaled = None if grid is None else np.ldexp(magnitude.ridge_alphas(grid), -w_exp)
        self.loo_residuals_ = None
        if self.cv is None and not self.store_cv_results and w is None:
            if x.shape[0] < 2:
                raise InputError(f"leave-one-out needs at least 2 samples (n_samples={x.shape[0]})")
            curve, svd, scaling = ridge_loo_summary(
                x, yv, scaled, n_alphas=n_alphas or 100, fit_intercept=self.fit_intercept,
                standardize=self.standardize, gcv=self.gcv,
            )  # fmt: skip
        elif self.cv is None:
            if x.shape[0] < 2:
                raise InputError(f"leave-one-out needs at least 2 samples (n_samples={x.shape[0]})")
            curve, residuals, svd, scaling = ridge_loo(
                x, yv, scaled, n_alphas=n_alphas or 100, fit_intercept=self.fit_intercept,
                standardize=self.standardize, gcv=self.gcv, sample_weight=w,
            )  # fmt: skip
            with np.errstate(over="ignore", under="ignore"):
                self.loo_residuals_ = np.ldexp(residuals, -magnitude.y_exp)
        else:
            folds = cv_folds(self.cv, x, yv, kept)
            svd, scaling = ridge_decomposition(x, yv, w, self.fit_intercept, self.standardize)
            if scaled is None:
                scaled = ridge_grid(svd.s, n_alphas or 100)
            curve = ridge_kfold(
                x, yv, folds, scaled, fit_intercept=self.fit_intercept,
                standardize=self.standardize, sample_weight=w,
            )  # fmt: skip
        scaled = curve.alphas
        exp = magnitude.l2_exp - w_exp
        if (magnitude.rescaled or w_exp) and not curve.errors.shape[1]:  # summarised
            curve = summarised_curve(
                magnitude.automatic_grid(scaled, exp) if grid is None else grid,
                magnitude.squared(curve.mean, "cross-validation errors"),
                magnitude.squared(curve.se, "cross-validation errors"), curve.method,
            )  # fmt: skip
        elif magnitude.rescaled or w_exp:  # the curve in the units of the data given
            curve = CVCurve(
                alphas=magnitude.automatic_grid(scaled, exp) if grid is None else grid,
                errors=magnitude.squared(curve.errors, "cross-validation errors"),
                l1_ratio=None,
                method=curve.method,
            )
        store_choice(self, curve)
        self.alphas_ = curve.alphas
        self.mse_path_ = curve.errors if curve.errors.shape[1] else None
        self.cv_curve_ = curve.to_frame(effective_df=svd.effective_df(scaled))
        i_min = curve.indices[0]
        coef, intercept = magnitude.coefficients(
            *scaling.to_original(svd.coefs(scaled[i_min : i_min + 1])[:, 0])
        )
        self.coef_ = coef
        self.intercept_ = typed_intercept(intercept, self.fit_intercept)
        return self
