"""Cross-validated penalty of the group Lasso: ``linmod.lasso(..., group_terms=True,
alpha="cv" | "1se")``.

:class:`GroupPenaltyCV` follows :class:`linmod.LassoCV`'s recipe with the group penalty
(:mod:`linmod.solvers.group_path`): the grid of ``n_alphas`` penalties from the group
Lasso's ``α_max`` on all the rows down to ``eps·α_max``, one warm-started path per
training fold on that grid, the held-out mean squared error of each fold (weighted by
the held-out rows' weights with ``sample_weight``), and the minimum-error and
one-standard-error choices of :func:`linmod.solvers.penalty_cv.one_se_rule`.  The
folds are those of every other entry point (:func:`~linmod.estimators.penalty_choice.cv_splitter`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.estimators.penalty_choice import cv_splitter
from linmod.solvers.group_path import group_path_fields
from linmod.solvers.penalty_cv import CVCurve

__all__ = ["GroupPenaltyCV"]

Float = NDArray[np.float64]


class GroupPenaltyCV:
    """Choose the group Lasso's (or group elastic net's) ``α`` by k-fold cross-validation.

    Parameters
    ----------
    feature_groups : array-like of shape (n_features,)
        One group id per feature.
    l1_ratio : float, default=1.0
    fit_intercept, standardize : bool
    cv : None, int or splitter
        Through :func:`~linmod.estimators.penalty_choice.cv_splitter` (shuffled, seeded).
    seed : int
    n_alphas : int, default=100
    eps : float, default=1e-3
    tol, max_iter
        As for :class:`linmod.Lasso`.

    Attributes
    ----------
    alphas_ : ndarray of shape (n_alphas,)
    mse_path_ : ndarray of shape (n_alphas, n_folds)
    alpha_ : float
        Minimum mean CV error.
    alpha_1se_ : float
        The largest penalty within one standard error of that minimum.
    cv_curve_ : pandas.DataFrame
    """

    def __init__(
        self,
        feature_groups: Any,
        *,
        l1_ratio: float = 1.0,
        fit_intercept: bool = True,
        standardize: bool = True,
        cv: Any = 5,
        seed: int = 0,
        n_alphas: int = 100,
        eps: float = 1e-3,
        tol: float = 1e-4,
        max_iter: int = 1000,
    ) -> None:
        self.feature_groups = feature_groups
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.cv = cv
        self.seed = seed
        self.n_alphas = n_alphas
        self.eps = eps
        self.tol = tol
        self.max_iter = max_iter

    def _path(self, x: Float, y: Float, alphas: Any, weights: Float | None) -> dict[str, Any]:
        return group_path_fields(
            x, y, self.feature_groups, l1_ratio=self.l1_ratio, alphas=alphas, eps=self.eps,
            fit_intercept=self.fit_intercept, standardize=self.standardize, tol=self.tol,
            max_iter=self.max_iter, sample_weight=weights,
        )  # fmt: skip

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> GroupPenaltyCV:
        """Cross-validate the path; see the class text.

        Returns
        -------
        self
        """
        x = np.asarray(X, dtype=np.float64)
        yv = np.asarray(y, dtype=np.float64)
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        grid = self._path(x, yv, int(self.n_alphas), w)["alphas"]
        splitter = cv_splitter(self.cv, self.seed)
        errors = []
        for train, test in splitter.split(x, yv):
            fold = self._path(x[train], yv[train], grid, None if w is None else w[train])
            resid = yv[test, None] - (x[test] @ fold["coefs"] + fold["intercepts"])
            if w is None:
                errors.append(np.mean(resid**2, axis=0))
            else:
                wt = w[test] / max(float(np.max(w[test], initial=0.0)), np.finfo(float).tiny)
                errors.append(wt @ resid**2 / max(float(wt.sum()), np.finfo(float).tiny))
        curve = CVCurve(alphas=grid, errors=np.column_stack(errors), l1_ratio=None, method="k-fold")
        self.alphas_ = grid
        self.mse_path_ = curve.errors
        self.alpha_ = curve.alpha_min
        self.alpha_1se_ = curve.alpha_1se
        self.cv_curve_ = curve.to_frame()
        return self
