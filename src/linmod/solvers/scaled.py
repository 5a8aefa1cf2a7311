"""Fit any problem on exactly scaled data, so that every magnitude float64 holds can be fitted.

Each column of the design (except an intercept) is multiplied by a power of two that
brings its norm near one, and the response by a power of two that brings its largest
value into ``[0.5, 1)``.  Powers of two change only exponents, so the scaled problem has
the same significant bits; its solution maps back exactly:
``coef[j] = coef_s[j] * 2**e_y * d[j]``, ``residuals = residuals_s * 2**e_y`` and
``cov_unscaled = D cov_s D``.  Without it, squares of data beyond ~1e154 overflow (a
column is declared aliased, R² and σ come out NaN) and squares of data below ~1e-154
underflow to zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from linmod.linalg.rank import Dependency
from linmod.linalg.scaling import column_scales, power_of_two_exponent
from linmod.solvers.base import LeastSquaresProblem, SolverResult

__all__ = ["solve_scaled"]


def _unscale_dependency(dependency: Dependency, scales: np.ndarray) -> Dependency:
    # x_j d_j = sum c_k x_k d_k  <=>  x_j = sum (c_k d_k / d_j) x_k
    j = dependency.column
    return Dependency(
        j, {k: float(c * (scales[k] / scales[j])) for k, c in dependency.coefficients.items()}
    )


def solve_scaled(
    function: Callable[[LeastSquaresProblem], SolverResult], problem: LeastSquaresProblem
) -> SolverResult:
    """Run ``function`` on the power-of-two scaled ``problem`` and map its result back.

    Parameters
    ----------
    function : callable
        A solver, ``LeastSquaresProblem -> SolverResult``.
    problem : LeastSquaresProblem

    Returns
    -------
    SolverResult
        In the units of ``problem``, with ``column_scales`` and ``cov_scaled`` set.
    """
    scales = column_scales(problem.x)
    if problem.intercept and problem.p:
        scales[0] = 1.0  # solvers may rely on a column of ones
    y_exponent = power_of_two_exponent(problem.y)
    scaled = replace(
        problem,
        x=problem.x * scales,
        x_lo=None if problem.x_lo is None else problem.x_lo * scales,
        y=np.ldexp(problem.y, -y_exponent),
    )
    result = function(scaled)
    cov_scaled = result.cov_unscaled
    exponents = np.frexp(scales)[1] - 1  # scales[j] == 2**exponents[j] exactly
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        cov = np.ldexp(cov_scaled, exponents[:, None] + exponents[None, :])
        coef = np.ldexp(result.coef, exponents + y_exponent)
    lo = result.residuals_lo
    return replace(
        result,
        coef=coef,
        cov_unscaled=cov,
        residuals=np.ldexp(result.residuals, y_exponent),
        residuals_lo=None if lo is None else np.ldexp(lo, y_exponent),
        dependencies=tuple(_unscale_dependency(d, scales) for d in result.dependencies),
        column_scales=scales,
        cov_scaled=cov_scaled,
    )
