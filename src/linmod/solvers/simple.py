"""Simple regression in closed form: slope = cov(x, y) / var(x), intercept = ȳ - slope·x̄.

The lessons' first formula.  Uses centred sums (the two-pass algorithm), which is accurate
to about ``cond * eps`` like QR; only for one predictor with an intercept.
"""

from __future__ import annotations

import numpy as np

from linmod.exceptions import InputError
from linmod.linalg.dd import dd_sum
from linmod.solvers.base import LeastSquaresProblem, SolverResult

__all__ = ["solve_simple"]


def solve_simple(problem: LeastSquaresProblem) -> SolverResult:
    """Fit ``y = b0 + b1 x`` by the covariance/variance formulas.

    Parameters
    ----------
    problem : LeastSquaresProblem
        Must have exactly two columns, the first an intercept.

    Returns
    -------
    SolverResult
    """
    if not problem.intercept or problem.p != 2:
        raise InputError(
            f"solver='simple' fits one predictor plus an intercept, but the design has "
            f"{problem.p} columns ({', '.join(problem.names)}); use solver='auto'"
        )
    x = problem.x[:, 1] if problem.x_lo is None else problem.x[:, 1] + problem.x_lo[:, 1]
    y = problem.y
    n = problem.n
    x_mean = dd_sum(x)[0] / n
    y_mean = dd_sum(y)[0] / n
    dx = x - x_mean
    sxx = float(dx @ dx)
    names = problem.names
    if sxx == 0.0:
        raise InputError(
            f"column {names[1]!r} is constant, so the slope is not defined; "
            "a simple regression needs at least two distinct x values"
        )
    slope = float(dx @ (y - y_mean)) / sxx
    intercept = y_mean - slope * x_mean
    cov = np.array([[1.0 / n + x_mean**2 / sxx, -x_mean / sxx], [-x_mean / sxx, 1.0 / sxx]])
    coef = np.array([intercept, slope])
    norm1 = np.sqrt(n)
    xs = np.column_stack([np.ones(n) / norm1, x / np.linalg.norm(x)])
    sv = np.linalg.svd(xs, compute_uv=False)
    return SolverResult(
        coef=coef,
        cov_unscaled=cov,
        residuals=y - (intercept + slope * x),
        rank=2,
        aliased=np.zeros(2, dtype=bool),
        dependencies=(),
        condition_number=float(sv[0] / sv[-1]),
        weakest_direction=np.zeros(2),
        method="simple",
    )
