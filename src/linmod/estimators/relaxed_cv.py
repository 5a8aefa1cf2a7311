"""``RelaxedLassoCV``: the relaxed lasso with the penalty and ``γ`` chosen by k-fold
cross-validation (glmnet's ``cv.glmnet(relax = TRUE)``).

For every training fold the lasso path is solved once and relaxed for each ``γ``
(:mod:`linmod.solvers.relaxed_cv`); the pair ``(α, γ)`` with the smallest mean CV error
is chosen over all pairs, ties going to the larger penalty and then the larger ``γ``,
and the one-standard-error choice is the largest penalty (then ``γ``) whose mean error is
within one standard error of that minimum: glmnet's rules (``lambda.min``/``gamma.min``,
``lambda.1se``/``gamma.1se``).  The final model is refitted on all the data at
``(alpha_, gamma_)``.
"""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils._param_validation import Interval

from linmod.estimators.cv_options import CV_OPTION_CONSTRAINTS
from linmod.estimators.glmnet_params import fit_options
from linmod.estimators.intercept_type import typed_intercept
from linmod.estimators.penalized_cv import LassoCV
from linmod.estimators.sample_weights import cv_folds
from linmod.exceptions import InputError
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.paths import resolve_alphas
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.relaxed import relaxed_coefs
from linmod.solvers.relaxed_cv import relaxed_lasso_cv

__all__ = ["GLMNET_GAMMAS", "RelaxedLassoCV"]

Float = NDArray[np.float64]

#: cv.glmnet's default ``gamma`` grid.
GLMNET_GAMMAS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: ``LassoCV``'s scikit-learn options that the relaxed search does not take.
CV_OPTIONS = frozenset(CV_OPTION_CONSTRAINTS)


def _check_gammas(values: Any) -> Float:
    try:
        gammas = np.atleast_1d(np.asarray(values, dtype=float))
    except (TypeError, ValueError):
        gammas = np.array([np.nan])
    if gammas.ndim != 1 or gammas.size == 0 or not ((gammas >= 0) & (gammas <= 1)).all():
        raise InputError(
            f"gamma={values!r} is not valid: give the weights of the penalised fit to "
            "compare, numbers in [0, 1] (glmnet's default is 0, 0.25, 0.5, 0.75, 1)"
        )
    return gammas


class RelaxedLassoCV(LassoCV):
    """The relaxed lasso with ``alpha`` and ``gamma`` chosen by cross-validation.

    Parameters
    ----------
    alphas, eps, fit_intercept, standardize, positive, cv, tol, max_iter, progress,
    penalty_factor, lower, upper
        As for :class:`linmod.LassoCV` (``progress`` is not used).
    gamma : float or sequence of float in [0, 1], default=(0, 0.25, 0.5, 0.75, 1)
        Weights of the penalised fit to compare (cv.glmnet's default grid); 1 is the
        lasso itself, 0 the least-squares refit on its active set.
    n_jobs : int or None, default=None
        scikit-learn's API: the folds run in this process.

    Attributes
    ----------
    alpha_, gamma_ : float
        The pair with the smallest mean CV error.
    alpha_1se_, gamma_1se_ : float
        The largest penalty (then ``γ``) within one standard error of that minimum.
    alphas_ : ndarray of shape (k,)
    mse_path_ : ndarray of shape (n_gamma, k, n_folds)
    cv_curve_ : DataFrame
        ``gamma, alpha, mean_mse, se_mse, is_min, is_1se`` per pair.
    best_score_ : float
    coef_, intercept_, dual_gap_, n_iter_, n_features_in_, feature_names_in_
        Of the refit on all the data at ``(alpha_, gamma_)`` (the gap and epochs of its
        penalised part).

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> model = linmod.RelaxedLassoCV(standardize=True).fit(X, y)
    >>> model.gamma_ in (0.0, 0.25, 0.5, 0.75, 1.0), model.alpha_1se_ >= model.alpha_
    (True, True)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **{k: v for k, v in LassoCV._parameter_constraints.items() if k not in CV_OPTIONS},
        "gamma": ["array-like", Interval(Real, 0, 1, closed="both")],
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
        gamma: Any = GLMNET_GAMMAS,
        n_jobs: int | None = None,
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
        self.gamma = gamma
        self.n_jobs = n_jobs

    def _fit_arrays(self, x: Float, yv: Float, w: Any = None, kept: Any = None) -> RelaxedLassoCV:
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        options = fit_options(self, x.shape[1], magnitude)
        gammas = _check_gammas(self.gamma)
        n_alphas, grid = resolve_alphas(self.alphas)
        folds = cv_folds(self.cv, x, yv, kept)
        curves, full = relaxed_lasso_cv(
            x, yv, folds, gammas, grid, n_alphas=n_alphas or 100, eps=float(self.eps),
            fit_intercept=self.fit_intercept, standardize=self.standardize,
            positive=self.positive, tol=float(self.tol), max_iter=int(self.max_iter),
            magnitude=magnitude, sample_weight=w, options=options,
        )  # fmt: skip
        alphas = curves[0].alphas
        mean = np.array([c.mean for c in curves])  # (n_gamma, k)
        se = np.array([c.se for c in curves])
        pairs = [(a, g) for g in range(len(curves)) for a in range(alphas.size)]
        # glmnet's order among ties: the largest penalty, then the largest gamma
        order = sorted(pairs, key=lambda ag: (-alphas[ag[0]], -gammas[ag[1]]))
        best = min(order, key=lambda ag: mean[ag[1], ag[0]])
        bound = mean[best[1], best[0]] + se[best[1], best[0]]
        one_se = next(ag for ag in order if mean[ag[1], ag[0]] <= bound)
        self.alpha_, self.gamma_ = float(alphas[best[0]]), float(gammas[best[1]])
        self.alpha_1se_, self.gamma_1se_ = float(alphas[one_se[0]]), float(gammas[one_se[1]])
        self.best_score_ = -float(mean[best[1], best[0]])
        self.l1_ratio_ = 1.0  # removed by LassoCV.fit
        self.alphas_ = alphas
        self.mse_path_ = np.array([c.errors for c in curves])
        frames = []
        for g, gamma in enumerate(gammas):
            frame = curves[g].to_frame()
            frame["is_min"] = (g == best[1]) & (np.arange(alphas.size) == best[0])
            frame["is_1se"] = (g == one_se[1]) & (np.arange(alphas.size) == one_se[0])
            frame.insert(1, "gamma", gamma)
            frames.append(frame)
        self.cv_curve_ = pd.concat(frames, ignore_index=True)
        refit = solve_path(
            full, alphas[: best[0] + 1], 1.0, positive=self.positive, tol=float(self.tol),
            max_iter=int(self.max_iter), l1_exp=magnitude.l1_exp, l2_exp=magnitude.l2_exp,
            options=options,
        )  # fmt: skip
        coef_std = relaxed_coefs(full, refit.coefs[:, -1:], self.gamma_, options, self.positive)
        coef, intercept = magnitude.coefficients(*full.scaling.to_original(coef_std[:, 0]))
        self.coef_ = coef
        self.intercept_ = typed_intercept(intercept, self.fit_intercept)
        self.dual_gap_ = float(magnitude.gap(refit.dual_gaps[-1]))
        self.n_iter_ = max(1, int(refit.n_iter[-1]))
        return self
