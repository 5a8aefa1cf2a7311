"""Cross-validation of the penalised fits on a sparse design (never densified).

* :func:`sparse_enet_cv`: k-fold CV of elastic-net paths, the training rows of each fold
  taken from the CSC matrix (their own implicit centring and scaling, as the dense
  :func:`~linmod.solvers.penalty_cv.enet_cv`), each path on the full data's grid and the
  held-out error from a sparse product;
* :func:`sparse_ridge_loo`: exact leave-one-out (or GCV) errors of ridge from the
  eigendecomposition of the sparse Gram matrix, through the same
  :class:`~linmod.solvers.ridge.RidgeSVD` as the dense fit (its left singular vectors
  ``U = ZV/σ`` are the one dense ``n × rank`` array formed);
* :func:`sparse_ridge_kfold`: k-fold CV of ridge, one Gram eigendecomposition per fold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.sparse_input import sparse_rows
from linmod.exceptions import InputError
from linmod.progress import Progress
from linmod.solvers.penalty_cv import CVCurve
from linmod.solvers.penalty_grid import enet_grid, ridge_grid
from linmod.solvers.ridge import RidgeSVD
from linmod.solvers.sparse_paths import solve_sparse_path
from linmod.solvers.sparse_problem import SparseProblem, sparse_problem
from linmod.solvers.sparse_ridge import SparseRidge
from linmod.solvers.unconverged_folds import warn_unconverged_folds
from linmod.solvers.weighted_problem import unit_mean

__all__ = ["sparse_enet_cv", "sparse_ridge_kfold", "sparse_ridge_loo", "sparse_ridge_svd"]

Float = NDArray[np.float64]
Folds = list[tuple[NDArray[np.intp], NDArray[np.intp]]]


def _test_mse(
    x_test: Any, y_test: Float, weights: Float | None, coefs: Float, problem: SparseProblem
) -> Float:
    """Held-out (weighted) mean squared error of each column of scaled coefficients."""
    beta, intercepts = problem.scaling.to_original(coefs)
    resid = y_test[:, None] - (np.asarray(x_test @ beta) + intercepts)
    if weights is None:
        return np.asarray(np.mean(resid**2, axis=0))
    scaled = weights / np.max(weights)
    return np.asarray(scaled @ (resid**2) / scaled.sum())


def sparse_enet_cv(
    x: Any,
    y: Float,
    folds: Folds,
    l1_ratios: Float,
    grids: list[Float] | None,
    *,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    progress: bool | None = False,
    sample_weight: Float | None = None,
) -> tuple[list[CVCurve], SparseProblem]:
    """K-fold CV of elastic-net paths on a CSC design, for each ``l1_ratio``.

    Parameters are those of :func:`linmod.solvers.penalty_cv.enet_cv`.

    Returns
    -------
    curves : list of CVCurve
    full : SparseProblem
        The full data's problem, for the refit.
    """
    w = sample_weight
    full = sparse_problem(x, y, w, fit_intercept, standardize)
    if grids is None:
        grids = [enet_grid(full.xty, full.n, float(r), n_alphas, eps, positive) for r in l1_ratios]
    errors = [np.empty((g.shape[0], len(folds))) for g in grids]
    stopped = np.zeros(2, dtype=np.int64)  # ran out of max_iter, large-gap fixed points
    bar = Progress("CV folds", enabled=progress, total=len(folds))
    for k, (train, test) in enumerate(folds):
        w_train = None if w is None else w[train]
        problem = sparse_problem(sparse_rows(x, train), y[train], w_train, fit_intercept,
                                 standardize)  # fmt: skip
        x_test = sparse_rows(x, test)
        for grid, l1_ratio, err in zip(grids, l1_ratios, errors, strict=True):
            sol = solve_sparse_path(
                problem, grid, float(l1_ratio), positive=positive, tol=tol,
                max_iter=max_iter, warn=False,
            )  # fmt: skip
            stopped += sol.stopped_early()
            err[:, k] = _test_mse(x_test, y[test], None if w is None else w[test], sol.coefs,
                                  problem)  # fmt: skip
        bar.update(1)
    bar.close()
    warn_unconverged_folds(int(stopped[0]), tol, max_iter, fixed=int(stopped[1]))
    curves = [
        CVCurve(alphas=g, errors=e, l1_ratio=float(r), method="k-fold")
        for g, e, r in zip(grids, errors, l1_ratios, strict=True)
    ]
    return curves, full


def sparse_ridge_svd(problem: SparseProblem, intercept: bool) -> RidgeSVD:
    """The thin SVD of the implicitly centred design from its Gram matrix's eigenpairs.

    ``Z = UΣVᵀ`` with ``Σ² , V`` the eigenpairs of ``ZᵀZ`` above ``p·eps·σ₁²`` and
    ``U = ZV/σ`` (formed by sparse products, ``n × rank``).  The singular values are those
    of the Gram matrix (relative accuracy ``eps·σ₁²/σ_k²`` for each ``σ_k²``).
    """
    solver = SparseRidge(problem)
    if solver.method == "lsqr":
        raise InputError(
            f"leave-one-out ridge on a sparse X needs its Gram matrix, which is not formed "
            f"for {problem.p} features (more than 2000); pass cv=5 (k-fold) instead"
        )
    vals, vecs, _ = solver.eigenpairs()
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    keep = vals > vals.max(initial=0.0) * max(problem.p, 1) * np.finfo(float).eps
    s = np.sqrt(vals[keep])
    v = vecs[:, keep]
    u = np.empty((problem.n, s.size))
    for i in range(s.size):
        u[:, i] = problem.matvec(np.ascontiguousarray(v[:, i])) / s[i]
    return RidgeSVD(u=u, s=s, vt=np.ascontiguousarray(v.T), uty=u.T @ problem.y, y=problem.y,
                    intercept=intercept)  # fmt: skip


def sparse_ridge_loo(
    problem: SparseProblem,
    alphas: Float | None,
    *,
    n_alphas: int,
    fit_intercept: bool,
    gcv: bool,
    weights: Float | None,
) -> tuple[CVCurve, Float, RidgeSVD]:
    """Leave-one-out (or GCV) errors of ridge on a sparse design (see
    :func:`linmod.solvers.penalty_cv.ridge_loo`, whose conventions it follows).

    Returns
    -------
    curve : CVCurve
    residuals : ndarray of shape (n, k)
        ``y_i − ŷ_(−i)``.
    svd : RidgeSVD
    """
    svd = sparse_ridge_svd(problem, fit_intercept)
    if weights is not None:
        from dataclasses import replace

        svd = replace(svd, row_centring=weights / weights.sum())
    grid = ridge_grid(svd.s, n_alphas) if alphas is None else alphas
    residuals = svd.loo_residuals(grid, gcv=gcv)
    if weights is not None:
        residuals /= np.sqrt(weights)[:, None]
    errors = np.square(residuals.T)
    if weights is not None:
        errors *= unit_mean(weights)[None, :]
    method = "gcv" if gcv else "leave-one-out"
    return CVCurve(alphas=grid, errors=errors, l1_ratio=None, method=method), residuals, svd


def sparse_ridge_kfold(
    x: Any,
    y: Float,
    folds: Folds,
    alphas: Float,
    *,
    fit_intercept: bool,
    standardize: bool,
    weights: Float | None,
) -> CVCurve:
    """K-fold CV of ridge on a CSC design: one Gram eigendecomposition per fold."""
    errors = np.empty((alphas.shape[0], len(folds)))
    for k, (train, test) in enumerate(folds):
        w_train = None if weights is None else weights[train]
        problem = sparse_problem(sparse_rows(x, train), y[train], w_train, fit_intercept,
                                 standardize, rescale_weights=False)  # fmt: skip
        solver = SparseRidge(problem)
        coefs = np.column_stack([solver(float(a)) for a in alphas.tolist()])
        w_test = None if weights is None else weights[test]
        errors[:, k] = _test_mse(sparse_rows(x, test), y[test], w_test, coefs, problem)
    return CVCurve(alphas=alphas, errors=errors, l1_ratio=None, method="k-fold")
