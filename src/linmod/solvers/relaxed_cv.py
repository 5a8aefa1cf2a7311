"""Cross-validation of the relaxed lasso over penalties and ``γ`` (glmnet's
``cv.glmnet(relax = TRUE)``).

Each training fold is solved once along the penalty grid (warm-started coordinate
descent, with penalty factors and bounds when given); each fold's path is then relaxed
for every ``γ`` (:func:`linmod.solvers.relaxed.relaxed_coefs`: one least-squares refit
per distinct active set, shared by all ``γ``) and scored on the held-out rows.  The
result is one CV curve per ``γ`` on the same grid.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from linmod.solvers.elastic_net import solve_path
from linmod.solvers.glmnet_options import GlmnetOptions, automatic_grid
from linmod.solvers.penalized_magnitude import Magnitude
from linmod.solvers.penalized_problem import EnetProblem, make_problem
from linmod.solvers.penalty_cv import CVCurve
from linmod.solvers.relaxed import relaxed_coefs
from linmod.solvers.unconverged_folds import warn_unconverged_folds
from linmod.solvers.weighted_problem import weighted_problem, weighted_test_mse

__all__ = ["relaxed_lasso_cv"]

Float = NDArray[np.float64]
Index = NDArray[np.intp]


def relaxed_lasso_cv(
    x: Float,
    y: Float,
    folds: Sequence[tuple[Index, Index]],
    gammas: Float,
    grid: Float | None,
    *,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    magnitude: Magnitude | None = None,
    sample_weight: Float | None = None,
    options: GlmnetOptions | None = None,
) -> tuple[list[CVCurve], EnetProblem]:
    """K-fold CV errors of the relaxed lasso for every ``γ`` and penalty.

    Parameters
    ----------
    x, y : ndarray
        Data (validated, finite; rescaled as ``magnitude`` says).
    folds : sequence of (train, test) index arrays
    gammas : ndarray
        Weights of the penalised fit to compare, in [0, 1].
    grid : ndarray or None
        Penalties (largest first), or None for the automatic grid of ``n_alphas``
        values on the full data (over the penalised features when ``options`` has
        penalty factors).
    n_alphas, eps, fit_intercept, standardize, positive, tol, max_iter, sample_weight
        As for :func:`linmod.solvers.penalty_cv.enet_cv`.
    magnitude : Magnitude, optional
    options : GlmnetOptions, optional
        Penalty factors and bounds.

    Returns
    -------
    curves : list of CVCurve
        One per ``γ`` (``l1_ratio`` 1), in the order given.
    full : EnetProblem
        The full-data problem, for the refit.
    """
    magnitude = Magnitude() if magnitude is None else magnitude
    w = sample_weight

    def problem_of(rows: Index | slice) -> EnetProblem:
        if w is None:
            return make_problem(x[rows], y[rows], fit_intercept, standardize)
        return weighted_problem(x[rows], y[rows], w[rows], fit_intercept, standardize)

    full = problem_of(slice(None))
    if grid is None:
        top = automatic_grid(full, options, 1.0, n_alphas, eps, positive)
        grid = magnitude.automatic_grid(top, magnitude.l1_exp)
    errors = np.empty((gammas.shape[0], grid.shape[0], len(folds)))
    stopped = np.zeros(2, dtype=np.int64)  # ran out of max_iter, large-gap fixed points
    for k, (train, test) in enumerate(folds):
        problem = problem_of(np.asarray(train))
        sol = solve_path(
            problem, grid, 1.0, positive=positive, tol=tol, max_iter=max_iter, warn=False,
            l1_exp=magnitude.l1_exp, l2_exp=magnitude.l2_exp, options=options,
        )  # fmt: skip
        stopped += sol.stopped_early()
        x_test, y_test = x[test], y[test]
        w_test = None if w is None else w[test]
        for g, gamma in enumerate(gammas.tolist()):
            coefs = relaxed_coefs(problem, sol.coefs, gamma, options, positive)
            errors[g, :, k] = weighted_test_mse(x_test, y_test, w_test, coefs, problem.scaling)
    warn_unconverged_folds(int(stopped[0]), tol, max_iter, fixed=int(stopped[1]))
    curves = [
        CVCurve(
            alphas=grid,
            errors=magnitude.squared(errors[g], "cross-validation errors"),
            l1_ratio=1.0,
            method="k-fold",
        )
        for g in range(gammas.shape[0])
    ]
    return curves, full
