"""The textbook normal equation ``b = inv(X'X) X'y``, kept for teaching.

This is the formula of the lessons, computed literally: form ``X'X``, invert it, multiply.
It squares the condition number, so it loses about ``2 * log10(cond(X))`` digits; it warns
when that leaves fewer than eight.  Use it to see why the other solvers exist.
"""

from __future__ import annotations

import warnings

import numpy as np

from linmod._stack import user_stacklevel
from linmod.exceptions import NearSingularWarning
from linmod.linalg.rank import analyse_rank
from linmod.linalg.scaling import power_of_two_scales
from linmod.solvers.base import LeastSquaresProblem, SolverResult, embed, embed_square

__all__ = ["solve_normal"]

_DIGITS_WARNING = 8.0


def solve_normal(problem: LeastSquaresProblem) -> SolverResult:
    """Solve by explicitly inverting ``X'X`` (aliased columns removed first).

    Parameters
    ----------
    problem : LeastSquaresProblem

    Returns
    -------
    SolverResult
    """
    x = problem.x if problem.x_lo is None else problem.x + problem.x_lo
    scales = power_of_two_scales(np.linalg.norm(x, axis=0))
    analysis = analyse_rank(x * scales, scales)
    kept = analysis.kept
    xk = x[:, kept]
    xtx = xk.T @ xk
    cond_xtx = float(np.linalg.cond(xtx))
    digits = 15.95 - np.log10(cond_xtx) if np.isfinite(cond_xtx) else 0.0
    if digits < _DIGITS_WARNING:
        warnings.warn(
            f"the normal equation squares the condition number: cond(X'X) = {cond_xtx:.3g}, "
            f"so only about {max(digits, 0.0):.0f} digits of the coefficients can be trusted; "
            "use solver='qr' (or 'auto') for an accurate fit",
            NearSingularWarning,
            stacklevel=user_stacklevel(),
        )
    inverse: np.ndarray = np.linalg.inv(xtx)
    coef = inverse @ xk.T @ problem.y
    return SolverResult(
        coef=embed(coef, kept),
        cov_unscaled=embed_square(inverse, kept),
        residuals=problem.y - xk @ coef,
        rank=analysis.rank,
        aliased=~kept,
        dependencies=analysis.dependencies,
        condition_number=analysis.condition_number,
        weakest_direction=analysis.weakest_direction,
        method="normal",
    )
