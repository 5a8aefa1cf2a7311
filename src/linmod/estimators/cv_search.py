"""The cross-validated choice of a penalty on arrays, without scikit-learn.

:func:`enet_search` and :func:`ridge_search` are the fits of ``ElasticNetCV``/``LassoCV``
and ``RidgeCV`` on validated arrays: the estimators call them after scikit-learn's
checks.  :class:`PenaltySearch` calls them directly, with linmod's default choice
(:mod:`linmod.estimators.penalty_choice`: standardised columns, shuffled seeded folds from
:func:`kfold_indices`, ridge by exact leave-one-out), so a caller that only needs the
chosen penalty and the fitted coefficients (the cross-validated model comparison behind
the report) pays neither for scikit-learn's import (half a second) nor for its
per-fit validation.  The same data give the same bits either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.estimators.intercept_type import typed_intercept
from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.glmnet_options import GlmnetOptions
from linmod.solvers.paths import resolve_alphas
from linmod.solvers.penalized_magnitude import Magnitude, rescale
from linmod.solvers.penalized_problem import make_problem
from linmod.solvers.penalty_cv import (
    CVCurve,
    enet_cv,
    ridge_kfold,
    ridge_loo,
    ridge_loo_summary,
    summarised_curve,
)
from linmod.solvers.penalty_grid import ridge_grid
from linmod.solvers.weighted_problem import (
    kept_rows,
    ridge_decomposition,
    ridge_weights,
    weighted_problem,
)

__all__ = [
    "PenaltySearch",
    "enet_search",
    "kfold_indices",
    "ridge_search",
    "store_choice",
    "store_enet_choice",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]
Folds = list[tuple[Index, Index]]
#: ``split(x, y)``: the (train, test) pairs of the rows of ``x``.
Splitter = Callable[[Float, Float], Folds]
#: ``options(p, magnitude)``: penalty factors and bounds for ``p`` features, or None.
Options = Callable[[int, Magnitude], GlmnetOptions | None]


def kfold_indices(n: int, k: int, seed: int) -> Folds:
    """scikit-learn's ``KFold(k, shuffle=True, random_state=seed).split`` of ``n`` rows.

    The rows are shuffled by ``numpy.random.RandomState(seed)``; the first ``n % k``
    folds hold one row more than the others; each test and training set is in increasing
    row order (as scikit-learn returns them).

    Parameters
    ----------
    n : int
        Rows (at least ``k``).
    k : int
        Folds (at least 2).
    seed : int
        Seed of the shuffle (an integer ≥ 0).

    Returns
    -------
    list of (train, test) index arrays
    """
    if k < 2 or n < k:
        raise InputError(f"{k} folds need at least {k} rows; the data have {n}: use fewer folds")
    order = np.arange(n)
    np.random.RandomState(seed).shuffle(order)
    sizes = np.full(k, n // k, dtype=int)
    sizes[: n % k] += 1
    rows = np.arange(n)
    folds = []
    start = 0
    for size in sizes:
        held_out = np.zeros(n, dtype=bool)
        held_out[order[start : start + size]] = True
        folds.append((rows[~held_out], rows[held_out]))
        start += size
    return folds


def store_choice(target: Any, curve: CVCurve) -> None:
    """Set ``alpha_``, ``alpha_1se_`` and ``best_score_`` from a cross-validation curve."""
    i_min, i_1se = curve.indices
    target.alpha_ = float(curve.alphas[i_min])
    target.alpha_1se_ = float(curve.alphas[i_1se])
    target.best_score_ = -float(curve.mean[i_min])


def store_enet_choice(
    target: Any, curves: list[CVCurve], l1_ratios: Any, *, given_grid: bool
) -> CVCurve:
    """Set an elastic-net search's fitted attributes from its curves (one per ``l1_ratio``).

    ``alpha_``, ``alpha_1se_``, ``best_score_`` and ``l1_ratio_`` at the smallest mean CV
    error; ``alphas_`` and ``mse_path_`` in scikit-learn's layout (one row per
    ``l1_ratio``, a single grid 1-D: one ratio, or penalties the user gave); the tidy
    ``cv_curve_``.  Returns the chosen ratio's curve.
    """
    best = int(np.argmin([np.nanmin(c.mean) for c in curves]))
    curve = curves[best]
    store_choice(target, curve)
    target.l1_ratio_ = float(l1_ratios[best])
    alphas = np.array([c.alphas for c in curves])
    errors = np.array([c.errors for c in curves])
    target.alphas_ = alphas[0] if len(curves) == 1 or given_grid else alphas
    target.mse_path_ = errors[0] if len(curves) == 1 else errors
    target.cv_curve_ = pd.concat([c.to_frame() for c in curves], ignore_index=True)
    return curve


def enet_search(
    target: Any,
    x: Float,
    yv: Float,
    w: Float | None,
    split: Splitter,
    *,
    l1_ratios: Float,
    names: list[str],
    options: Options | None = None,
) -> None:
    """``ElasticNetCV``'s fit: cross-validate the paths and refit at the best penalty.

    Parameters
    ----------
    target : object
        Read for the settings (``alphas``, ``eps``, ``fit_intercept``, ``standardize``,
        ``positive``, ``tol``, ``max_iter``, ``progress``, and if present ``precompute``,
        ``selection``, ``random_state``, as ``ElasticNetCV`` names them,
        :mod:`linmod.estimators.cv_options`); given the fitted attributes (``alpha_``,
        ``alpha_1se_``, ``best_score_``, ``l1_ratio_``, ``alphas_``, ``mse_path_``,
        ``cv_curve_``, ``coef_``, ``intercept_``, ``dual_gap_``, ``n_iter_``).
    x, yv : ndarray
        Finite float64 data (C order), rows of weight zero already dropped.
    w : ndarray or None
        Positive weights of the rows.
    split : callable
        ``split(x, y)`` gives the folds (called on the rescaled data).
    l1_ratios : ndarray
        Mixing values to compare.
    names : list of str
        Feature names, for the messages.
    options : callable, optional
        ``options(p, magnitude)``: penalty factors and bounds (None: none).
    """
    x, yv, magnitude = rescale(x, yv, target.standardize, names)
    glmnet = None if options is None else options(x.shape[1], magnitude)
    n_alphas, grid = resolve_alphas(target.alphas)
    if grid is None and (l1_ratios == 0).any():
        raise InputError(
            "l1_ratio=0 has no automatic penalty grid (a ridge penalty never zeroes a "
            "coefficient); pass alphas=[...] or use RidgeCV"
        )
    folds = split(x, yv)
    precompute, order, layout = getattr(target, "precompute", "auto"), None, None
    if not isinstance(precompute, str):  # True, False or a Gram matrix: cv_options.py
        from linmod.estimators.cv_options import fold_layout

        layout = fold_layout(target, x, w, folds, magnitude)
    result = enet_cv(
        x, yv, folds, l1_ratios, None if grid is None else [grid] * len(l1_ratios),
        n_alphas=n_alphas or 100, eps=float(target.eps), fit_intercept=target.fit_intercept,
        standardize=target.standardize, positive=target.positive, tol=float(target.tol),
        max_iter=int(target.max_iter), progress=target.progress, magnitude=magnitude,
        sample_weight=w, options=glmnet, gram=layout,
    )  # fmt: skip
    curve = store_enet_choice(target, result.curves, l1_ratios, given_grid=grid is not None)
    i_min = curve.indices[0]
    full = result.full
    if not isinstance(precompute, str):  # the layout asked for (a Gram matrix checked)
        from linmod.estimators.enet_options import enet_problem

        ridge = target.l1_ratio_ == 0.0 and not target.positive
        full = enet_problem(target, x, yv, w, ridge, magnitude)
    elif target.l1_ratio_ == 0.0 and not target.positive and full.gram is not None:
        # A pure ridge penalty is solved exactly from the design (see solve_path).
        full = (
            make_problem(x, yv, target.fit_intercept, target.standardize, gram=False)
            if w is None
            else weighted_problem(x, yv, w, target.fit_intercept, target.standardize, False)
        )
    problem = full
    if getattr(target, "selection", "cyclic") == "random":  # an order drawn once per fit
        from linmod.estimators.enet_options import permuted, random_order

        order = random_order(target, full.p, glmnet)
        problem = full if order is None else permuted(full, order)
    refit = solve_path(
        problem, curve.alphas[: i_min + 1], target.l1_ratio_, positive=target.positive,
        tol=float(target.tol), max_iter=int(target.max_iter), l1_exp=magnitude.l1_exp,
        l2_exp=magnitude.l2_exp, options=glmnet,
    )  # fmt: skip
    coef_std = refit.coefs[:, -1]
    if order is not None:
        coef_std = np.empty_like(coef_std)
        coef_std[order] = refit.coefs[:, -1]
    coef, intercept = magnitude.coefficients(*full.scaling.to_original(coef_std))
    target.coef_ = coef
    target.intercept_ = typed_intercept(intercept, target.fit_intercept)
    target.dual_gap_ = float(magnitude.gap(refit.dual_gaps[-1]))
    target.n_iter_ = max(1, int(refit.n_iter[-1]))


def ridge_search(
    target: Any,
    x: Float,
    yv: Float,
    w: Float | None,
    split: Splitter | None,
    *,
    names: list[str],
) -> None:
    """``RidgeCV``'s fit: compare the penalties by cross-validation and refit at the best.

    Parameters
    ----------
    target : object
        Read for the settings (``alphas``, ``fit_intercept``, ``standardize``, ``gcv``,
        ``store_cv_results``, as ``RidgeCV`` names them); given the fitted attributes
        (``alpha_``, ``alpha_1se_``, ``best_score_``, ``alphas_``, ``mse_path_``,
        ``loo_residuals_``, ``cv_curve_``, ``coef_``, ``intercept_``).
    x, yv, w : ndarray
        As for :func:`enet_search`.
    split : callable or None
        ``split(x, y)`` gives the folds; None: exact leave-one-out (or GCV).
    names : list of str
        Feature names, for the messages.
    """
    x, yv, magnitude = rescale(x, yv, target.standardize, names)
    w, w_exp = ridge_weights(w)  # penalties of the rescaled weights: alpha·2^-w_exp
    n_alphas, grid = resolve_alphas(target.alphas)
    with np.errstate(over="ignore", under="ignore"):
        scaled = None if grid is None else np.ldexp(magnitude.ridge_alphas(grid), -w_exp)
    target.loo_residuals_ = None
    if split is None and not target.store_cv_results and w is None:
        if x.shape[0] < 2:
            raise InputError(f"leave-one-out needs at least 2 samples (n_samples={x.shape[0]})")
        curve, svd, scaling = ridge_loo_summary(
            x, yv, scaled, n_alphas=n_alphas or 100, fit_intercept=target.fit_intercept,
            standardize=target.standardize, gcv=target.gcv,
        )  # fmt: skip
    elif split is None:
        if x.shape[0] < 2:
            raise InputError(f"leave-one-out needs at least 2 samples (n_samples={x.shape[0]})")
        curve, residuals, svd, scaling = ridge_loo(
            x, yv, scaled, n_alphas=n_alphas or 100, fit_intercept=target.fit_intercept,
            standardize=target.standardize, gcv=target.gcv, sample_weight=w,
        )  # fmt: skip
        with np.errstate(over="ignore", under="ignore"):
            target.loo_residuals_ = np.ldexp(residuals, -magnitude.y_exp)
    else:
        folds = split(x, yv)
        svd, scaling = ridge_decomposition(x, yv, w, target.fit_intercept, target.standardize)
        if scaled is None:
            scaled = ridge_grid(svd.s, n_alphas or 100)
        curve = ridge_kfold(
            x, yv, folds, scaled, fit_intercept=target.fit_intercept,
            standardize=target.standardize, sample_weight=w,
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
    store_choice(target, curve)
    target.alphas_ = curve.alphas
    target.mse_path_ = curve.errors if curve.errors.shape[1] else None
    target.cv_curve_ = curve.to_frame(effective_df=svd.effective_df(scaled))
    i_min = curve.indices[0]
    coef, intercept = magnitude.coefficients(
        *scaling.to_original(svd.coefs(scaled[i_min : i_min + 1])[:, 0])
    )
    target.coef_ = coef
    target.intercept_ = typed_intercept(intercept, target.fit_intercept)


class PenaltySearch:
    """A penalty chosen by cross-validation as every linmod entry point chooses it, fitted
    without an estimator (and without scikit-learn).

    The settings and, after :meth:`fit`, the fitted attributes have the names and values
    of the estimator that :func:`linmod.estimators.penalty_choice.penalty_searcher` makes
    for the same penalty, intercept, folds and seed: ``RidgeCV(standardize=True,
    cv=None, store_cv_results=False)`` or ``LassoCV``/``ElasticNetCV(standardize=True,
    cv=KFold(folds, shuffle=True, random_state=seed))``.

    Parameters
    ----------
    penalty : {"ridge", "lasso", "elastic_net"}
    fit_intercept : bool, default=True
    folds : int or None, default=5
        Shuffled folds of the kept rows (:func:`kfold_indices`); None (ridge only):
        exact leave-one-out.
    seed : int, default=0
    standardize : bool, default=True
    alphas, eps, tol, max_iter, positive, progress, l1_ratio, gcv, store_cv_results
        As for the estimators (their defaults).

    Attributes
    ----------
    alpha_, alpha_1se_, best_score_, alphas_, mse_path_, cv_curve_, coef_, intercept_
        As for the estimators (``dual_gap_`` and ``n_iter_`` for the Lasso and the
        elastic net, ``l1_ratio_`` for the elastic net, ``loo_residuals_`` for ridge).
    """

    alpha_: float
    alpha_1se_: float
    best_score_: float
    alphas_: Float
    mse_path_: Float | None
    cv_curve_: pd.DataFrame
    coef_: Float
    intercept_: Any
    l1_ratio_: float

    def __init__(
        self,
        penalty: str,
        *,
        fit_intercept: bool = True,
        folds: int | None = 5,
        seed: int = 0,
        standardize: bool = True,
        alphas: Any = 100,
        eps: float = 1e-3,
        tol: float = 1e-4,
        max_iter: int = 1000,
        positive: bool = False,
        progress: bool | None = False,
        l1_ratio: float = 0.5,
        gcv: bool = False,
        store_cv_results: bool = False,
    ) -> None:
        self.penalty = penalty
        self.fit_intercept = fit_intercept
        self.folds = folds
        self.seed = seed
        self.standardize = standardize
        self.alphas = alphas
        self.eps = eps
        self.tol = tol
        self.max_iter = max_iter
        self.positive = positive
        self.progress = progress
        self.l1_ratio = l1_ratio
        self.gcv = gcv
        self.store_cv_results = store_cv_results

    def __repr__(self) -> str:
        return (
            f"PenaltySearch({self.penalty!r}, fit_intercept={self.fit_intercept}, "
            f"folds={self.folds}, seed={self.seed})"
        )

    def fit(self, x: Any, y: Any, sample_weight: Any = None) -> PenaltySearch:
        """Cross-validate on the finite float64 matrix ``x`` and refit at the best penalty.

        Parameters
        ----------
        x : ndarray of shape (n_samples, n_features)
            A validated model matrix (finite, float64).
        y : ndarray of shape (n_samples,)
        sample_weight : ndarray of shape (n_samples,), optional
            Observation weights (rows of weight zero are dropped before the folds).

        Returns
        -------
        self
        """
        if self.penalty not in ("ridge", "lasso", "elastic_net"):
            raise InputError(
                f"penalty={self.penalty!r} is not valid: choose from "
                "['lasso', 'ridge', 'elastic_net']"
            )
        xv = np.ascontiguousarray(x, dtype=np.float64)
        yv = np.ascontiguousarray(y, dtype=np.float64)
        xv, yv, w, _ = kept_rows(xv, yv, sample_weight)
        names = [f"x{j}" for j in range(xv.shape[1])]
        k, seed = self.folds, self.seed
        split = None if k is None else (lambda a, _b: kfold_indices(a.shape[0], k, seed))
        with small_work_blas(xv.shape):
            if self.penalty == "ridge":
                ridge_search(self, xv, yv, w, split, names=names)
            elif split is None:
                raise InputError(f"penalty={self.penalty!r} needs a number of folds")
            else:
                ratios = np.array([1.0 if self.penalty == "lasso" else float(self.l1_ratio)])
                enet_search(self, xv, yv, w, split, l1_ratios=ratios, names=names)
        if self.penalty == "lasso":  # as LassoCV: no mixing value to report
            del self.l1_ratio_
            self.cv_curve_ = self.cv_curve_.drop(columns="l1_ratio")
        return self
