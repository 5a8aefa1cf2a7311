"""Elastic-net and ridge paths on a sparse design (scipy.sparse), never densified.

:func:`solve_sparse_path` is :func:`linmod.solvers.elastic_net.solve_path` for a
:class:`~linmod.solvers.sparse_problem.SparseProblem`: the same conversion of
scikit-learn's ``(α, l1_ratio)`` into ``λ₁ = n·α·l1_ratio`` and ``λ₂ = n·α·(1 − l1_ratio)``,
the same warm starts (the residual, its offset and the gradient carried from one penalty
to the next), the same convergence warning, and the same direct solves of ``α = 0``
(minimum-norm or non-negative least squares) and of a pure ridge penalty
(:class:`~linmod.solvers.sparse_ridge.SparseRidge`).  :func:`sparse_enet_path` and
:func:`sparse_ridge_path` are the bodies of :func:`linmod.enet_path` and
:func:`linmod.ridge_path` for sparse ``X``; they return the fields of a
:class:`~linmod.solvers.paths.RegularizationPath`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.sparse_input import sparse_xy, weighted_rows
from linmod.exceptions import InputError
from linmod.progress import Progress
from linmod.solvers.convergence import stop_status, warn_unconverged
from linmod.solvers.elastic_net import P0, PathSolution
from linmod.solvers.penalty_grid import enet_grid
from linmod.solvers.sparse_coordinate_descent import enet_sparse
from linmod.solvers.sparse_problem import SparseProblem, sparse_problem
from linmod.solvers.sparse_ridge import SparseRidge

__all__ = ["solve_sparse_path", "sparse_enet_path", "sparse_ridge_path"]

Float = NDArray[np.float64]


def solve_sparse_path(
    problem: SparseProblem,
    alphas: Float,
    l1_ratio: float,
    *,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    coef_init: Float | None = None,
    warn: bool = True,
    progress: bool | None = False,
) -> PathSolution:
    """Solve the elastic net at each penalty in turn, each warm-started from the last.

    Parameters are those of :func:`linmod.solvers.elastic_net.solve_path` (the data
    are never rescaled by powers of two here: sparse inputs are refused beyond
    ``2^±400``).

    Returns
    -------
    PathSolution
    """
    n, p = problem.n, problem.p
    k = alphas.shape[0]
    coefs = np.zeros((p, k))
    gaps = np.zeros(k)
    iters = np.zeros(k, dtype=np.int64)
    converged = np.ones(k, dtype=bool)
    fixed = np.zeros(k, dtype=bool)
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=float)
    tol_abs = tol * problem.y_norm2
    grad = np.empty(p)
    resid = np.empty(n)
    state = np.zeros(7)  # (c, t) and the residual's drift record (enet_sparse)
    warm = False
    bar = Progress("penalties", enabled=progress, total=k)
    exact = SparseRidge(problem)
    ridge = l1_ratio == 0.0 and not positive
    for i, alpha in enumerate(alphas.tolist()):
        bar.update(1)
        l1 = float(alpha * l1_ratio * n)
        l2 = float(alpha * (1.0 - l1_ratio) * n)
        iters[i] = 1
        if p == 0:
            continue
        if math.isinf(l1) or math.isinf(l2):
            w = np.zeros(p)
            warm = False
            continue
        if (l1 == 0.0 and l2 == 0.0) or ridge:
            w = exact.nonnegative() if positive else exact(l2)
            coefs[:, i] = w
            warm = False
            continue
        gap, epochs = enet_sparse(
            problem, w, resid, state, grad, l1, l2, positive, tol_abs, max_iter, P0, warm
        )
        warm = True
        coefs[:, i] = w
        gaps[i] = gap / n
        iters[i] = epochs
        converged[i], fixed[i] = stop_status(gap <= tol_abs, gap, epochs, max_iter, problem.y_norm2)
    bar.close()
    if warn:
        warn_unconverged(
            alphas, gaps, converged, max_iter, tol, fixed=fixed, gap_scale=problem.y_norm2 / n
        )
    return PathSolution(coefs, gaps, iters, converged, fixed)


def sparse_names(x: Any) -> tuple[str, ...]:
    """``x0, x1, …`` for the columns of a sparse matrix."""
    return tuple(f"x{j}" for j in range(x.shape[1]))


def sparse_enet_path(
    X: Any,
    y: Any,
    *,
    l1_ratio: float,
    n_alphas: int | None,
    grid: Float | None,
    eps: float,
    fit_intercept: bool,
    standardize: bool,
    positive: bool,
    tol: float,
    max_iter: int,
    progress: bool | None,
    sample_weight: Any,
) -> dict[str, Any]:
    """:func:`linmod.enet_path` on a sparse ``X`` (arguments already checked).

    Returns
    -------
    dict
        The fields of a :class:`~linmod.solvers.paths.RegularizationPath`.
    """
    names = sparse_names(X)
    x, yv = sparse_xy(X, y, names)
    x, yv, w, _ = weighted_rows(x, yv, sample_weight)
    problem = sparse_problem(x, yv, w, bool(fit_intercept), bool(standardize))
    if grid is None:
        assert n_alphas is not None
        grid = enet_grid(problem.xty, problem.n, l1_ratio, n_alphas, eps, bool(positive))
    solution = solve_sparse_path(
        problem, grid, l1_ratio, positive=bool(positive), tol=tol, max_iter=max_iter,
        progress=progress,
    )  # fmt: skip
    coefs, intercepts = problem.scaling.to_original(solution.coefs)
    return {
        "alphas": grid,
        "coefs": coefs,
        "intercepts": np.atleast_1d(intercepts),
        "dual_gaps": solution.dual_gaps,
        "n_iter": solution.n_iter,
        "feature_names": names,
        "penalty": "lasso" if l1_ratio == 1.0 else "elastic_net",
        "l1_ratio": l1_ratio,
    }


def ridge_problem(
    X: Any, y: Any, sample_weight: Any, fit_intercept: bool, standardize: bool
) -> SparseProblem:
    """The sparse problem of ridge's ``Σ w_i r_i² + α‖β‖²`` (weights not rescaled)."""
    x, yv = sparse_xy(X, y, sparse_names(X))
    x, yv, w, _ = weighted_rows(x, yv, sample_weight)
    return sparse_problem(x, yv, w, fit_intercept, standardize, rescale_weights=False)


def sparse_ridge_path(
    X: Any,
    y: Any,
    *,
    n_alphas: int | None,
    grid: Float | None,
    fit_intercept: bool,
    standardize: bool,
    sample_weight: Any,
) -> dict[str, Any]:
    """:func:`linmod.ridge_path` on a sparse ``X``: one eigendecomposition of the Gram
    matrix (or LSQR per penalty beyond ``SPARSE_GRAM_MAX`` features).

    Returns
    -------
    dict
        The fields of a :class:`~linmod.solvers.paths.RegularizationPath`.
    """
    problem = ridge_problem(X, y, sample_weight, bool(fit_intercept), bool(standardize))
    solver = SparseRidge(problem)
    if grid is None:
        if solver.method == "lsqr":
            raise InputError(
                f"the automatic ridge grid needs the singular values, which are not computed "
                f"for a sparse X with {problem.p} features; pass alphas=[...]"
            )
        from linmod.solvers.penalty_grid import ridge_grid

        assert n_alphas is not None
        grid = ridge_grid(solver.singular_values(), n_alphas)
    coefs_std = np.zeros((problem.p, grid.shape[0]))
    for i, alpha in enumerate(grid.tolist()):
        coefs_std[:, i] = solver(float(alpha))
    coefs, intercepts = problem.scaling.to_original(coefs_std)
    k = grid.shape[0]
    return {
        "alphas": grid,
        "coefs": coefs,
        "intercepts": np.atleast_1d(intercepts),
        "dual_gaps": np.zeros(k),
        "n_iter": np.ones(k, dtype=np.int64),
        "feature_names": sparse_names(X),
        "penalty": "ridge",
        "l1_ratio": 0.0,
    }


def refuse_sparse_options(**options: Any) -> None:
    """Raise when a path option the sparse solvers do not implement is set.

    Raises
    ------
    InputError
        Naming the options given (those not None) and what to do instead.
    """
    given = [name for name, value in options.items() if value is not None]
    if given:
        raise InputError(
            f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} not available with a "
            "sparse X yet; pass X.toarray() (dense) or leave "
            f"{'it' if len(given) == 1 else 'them'} out"
        )
