"""Fit any problem on exactly scaled data, so that every magnitude float64 holds can be fitted.

Each column of the design (except an intercept) whose largest value lies outside
``2**±SAFE_EXPONENT`` is multiplied by a power of two that brings its norm near one, and
such a response by a power of two that brings its largest value into ``[0.5, 1)``.
Powers of two change only exponents, so the scaled problem has
the same significant bits; its solution maps back exactly:
``coef[j] = coef_s[j] * 2**e_y * d[j]``, ``residuals = residuals_s * 2**e_y`` and
``cov_unscaled = D cov_s D``.  Without it, squares of data beyond ~1e154 overflow (a
column is declared aliased, R² and σ come out NaN) and squares of data below ~1e-154
underflow to zero.

Data inside the safe range is passed on untouched: the solvers that scale their columns
internally (QR, Cholesky, SVD) give the same bits either way, so scaling a column or the
response by ``2**k`` scales their results by exactly ``2**k``; ``solver="normal"`` stays
the textbook unscaled inverse (exactly equivariant under scaling of the response, while
scaling one column may change its pivoting in the last digits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from linmod.linalg.rank import Dependency
from linmod.linalg.scaling import column_max_abs, column_scales, power_of_two_exponent
from linmod.solvers.base import LeastSquaresProblem, SolverResult

__all__ = ["SAFE_EXPONENT", "solve_scaled"]

#: Data whose largest magnitude is within ``2**±SAFE_EXPONENT`` (about 3e±38) is not
#: rescaled: its squares, and the products solvers form from them, stay far from the
#: float64 limits.
SAFE_EXPONENT = 128


#: A magnitude ``m > 0`` is inside the safe range when its ``frexp`` exponent ``e``
#: (``2**(e-1) <= m < 2**e``) has ``|e| <= SAFE_EXPONENT``: ``2**-129 <= m < 2**128``.
_SAFE_LOW = 2.0 ** (-SAFE_EXPONENT - 1)
_SAFE_HIGH = 2.0**SAFE_EXPONENT


def _outside_safe_range(exponents: np.ndarray) -> np.ndarray:
    return np.abs(exponents) > SAFE_EXPONENT


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
    known = problem.magnitudes
    column_range = None
    if known is not None and known.of(problem.x, problem.y):  # from the design's copy
        biggest, y_biggest, column_range = known.columns, known.response, known.column_range
    else:
        biggest = column_max_abs(problem.x)
        y_biggest = float(np.max(np.abs(problem.y), initial=0.0))
    if column_range is None:
        column_range = (biggest.min(initial=_SAFE_LOW), biggest.max(initial=0.0))
    if (
        column_range[1] < _SAFE_HIGH
        and column_range[0] >= _SAFE_LOW
        and (y_biggest == 0.0 or _SAFE_LOW <= y_biggest < _SAFE_HIGH)
    ):  # the usual case, in three reductions: nothing to scale
        result = function(problem)
        if result.column_scales is not None:  # the solver set the identity scaling itself
            return result
        return replace(result, column_scales=np.ones(problem.p), cov_scaled=result.cov_unscaled)
    extreme = (biggest > 0) & _outside_safe_range(np.frexp(biggest)[1])
    y_exponent = power_of_two_exponent(problem.y)
    if not _outside_safe_range(np.array(y_exponent)):
        y_exponent = 0
    if not extreme.any() and y_exponent == 0:
        result = function(problem)
        return replace(result, column_scales=np.ones(problem.p), cov_scaled=result.cov_unscaled)
    # Only columns outside the safe range are scaled (the scales cost a pass of their own).
    scales = np.ones(problem.p)
    if extreme.any():
        scales = np.where(extreme, column_scales(problem.x), 1.0)
    if problem.intercept and problem.p:
        scales[0] = 1.0  # solvers may rely on a column of ones
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
