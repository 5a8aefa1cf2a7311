"""Least squares from a merged R factor (streamed or distributed data).

The same rules as the in-memory solvers: columns scaled by powers of two, aliasing decided
on the scaled factor (``X'X = R'R``, so ``R`` has the column geometry of ``X``), aliased
coefficients NaN, condition number of the scaled estimable design.  When the data can be
read again, :func:`refine_factor_solution` corrects the solution by the corrected
semi-normal equations (:mod:`linmod.linalg.seminormal`), one pass over the rows a step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.linalg.dd import dd_add
from linmod.linalg.rank import Dependency, analyse_rank
from linmod.linalg.scaling import column_scales
from linmod.linalg.seminormal import ResidualProducts, seminormal_correction
from linmod.linalg.tsqr import RFactor
from linmod.solvers.base import embed, embed_square

__all__ = [
    "FactorSolution",
    "Refinement",
    "one_pass_error",
    "refine_factor_solution",
    "solve_factor",
]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class FactorSolution:
    """Estimates from an :class:`~linmod.linalg.tsqr.RFactor` (no residuals are held)."""

    coef: Float
    cov_unscaled: Float
    ssr: float
    rank: int
    aliased: NDArray[np.bool_]
    dependencies: tuple[Dependency, ...]
    condition_number: float
    weakest_direction: Float
    r_scaled: Float
    scales: Float
    cov_scaled: Float | None = None


def solve_factor(factor: RFactor) -> FactorSolution:
    """Solve the least-squares problem summarised by ``factor``.

    Parameters
    ----------
    factor : RFactor

    Returns
    -------
    FactorSolution
    """
    r_xx, z = factor.r_xx, factor.z
    scales = column_scales(r_xx)  # no squares of raw values: columns beyond 1e154 too
    analysis = analyse_rank(r_xx * scales, scales)
    kept = analysis.kept
    q, r = analysis.q, analysis.r
    projected = q.T @ z
    coef_scaled = sla.solve_triangular(r, projected, check_finite=False)
    unexplained = z - q @ projected
    ssr = factor.ssr_full_rank + float(unexplained @ unexplained)
    r_inv = sla.solve_triangular(r, np.eye(r.shape[0]), check_finite=False)
    s = scales[kept]
    cov_scaled = r_inv @ r_inv.T
    cov_scaled = (cov_scaled + cov_scaled.T) / 2
    exponents = np.frexp(s)[1] - 1  # s == 2**exponents exactly
    with np.errstate(over="ignore", under="ignore"):  # cov_scaled keeps what float64 can't
        cov = np.ldexp(cov_scaled, exponents[:, None] + exponents[None, :])
    return FactorSolution(
        coef=embed(coef_scaled * s, kept),
        cov_unscaled=embed_square((cov + cov.T) / 2, kept),
        ssr=ssr,
        rank=analysis.rank,
        aliased=~kept,
        dependencies=analysis.dependencies,
        condition_number=analysis.condition_number,
        weakest_direction=analysis.weakest_direction,
        r_scaled=r,
        scales=s,
        cov_scaled=embed_square(cov_scaled, kept),  # finite when cov over/underflows
    )


def one_pass_error(solution: FactorSolution, y_ss: float) -> float:
    """First-order estimate of the largest relative error of a one-pass coefficient.

    A backward-stable QR solution has normwise relative error about
    ``eps · κ · (1 + κ · tan θ)``, where ``κ`` is the scaled design's condition number
    and ``tan θ = ‖r‖ / ‖X b‖`` (Golub & Van Loan, *Matrix Computations*, §5.3.8); the
    ``κ²`` term is what a large residual adds.  In the scaled coefficients ``c = b / s``
    that is an error of up to that times ``max |c|`` in each, so relative to itself
    ``b_j`` may be off by that times ``max |c| / |c_j|``: much more than its rounding
    level when its column contributes little next to the largest (a weak slope beside a
    large intercept).

    Parameters
    ----------
    solution : FactorSolution
    y_ss : float
        ``y'y`` (uncentred).

    Returns
    -------
    float
        The largest estimated relative error of a non-zero coefficient.
    """
    explained = max(y_ss - solution.ssr, np.finfo(float).tiny)
    tan_theta = np.sqrt(max(solution.ssr, 0.0) / explained)
    kappa = solution.condition_number
    normwise = float(np.finfo(float).eps * kappa * (1.0 + kappa * tan_theta))
    scaled = np.abs(solution.coef[~solution.aliased]) / solution.scales
    nonzero = scaled[scaled > 0.0]
    if nonzero.size == 0:
        return normwise
    return normwise * float(np.max(nonzero) / np.min(nonzero))


@dataclass(frozen=True)
class Refinement:
    """How :func:`refine_factor_solution` went.

    Attributes
    ----------
    passes : int
        Passes over the data (each computes the residual products at one solution).
    converged : bool
        Whether the last correction was at rounding level.
    first_correction : float
        Largest relative change of a (non-zero) coefficient made by the first step:
        about the largest relative error of a one-pass coefficient.
    """

    passes: int
    converged: bool
    first_correction: float

    def describe(self) -> str:
        """One line for the fit's notes."""
        if self.passes == 1 and self.converged:
            return (
                "checked by one more pass over the data: the one-pass coefficients were "
                "already at rounding level (residuals in double-double)"
            )
        outcome = "converged" if self.converged else "stopped before rounding level"
        return (
            f"refined by {self.passes} more passes over the data (corrected semi-normal "
            f"equations, residuals in double-double; {outcome}; the first step changed a "
            f"coefficient by up to {self.first_correction:.1e} relative)"
        )


def refine_factor_solution(
    solution: FactorSolution,
    residual_products: Callable[[NDArray[np.bool_], Float, Float], ResidualProducts],
    max_passes: int = 3,
) -> tuple[FactorSolution, Refinement]:
    """Refine a factor solution with passes over the data.

    Each pass computes ``X'r`` and ``r'r`` at the current coefficients in double-double
    and the correction solves ``R'R d = X'r``.  The steps stop when every coefficient's
    correction is at its own rounding level, after ``max_passes``, or when the largest
    relative correction stops shrinking (then
    ``cond(X)² · eps`` is too close to one for the semi-normal equations, and the
    coefficients with the smallest correction are kept).

    Parameters
    ----------
    solution : FactorSolution
        From :func:`solve_factor`.
    residual_products : callable
        ``residual_products(kept, coef_hi, coef_lo)`` reads the data once and returns
        the merged :class:`~linmod.linalg.seminormal.ResidualProducts` of the estimable
        columns ``X[:, kept]`` at the double-double coefficients ``coef_hi + coef_lo``.
    max_passes : int
        Largest number of passes.

    Returns
    -------
    (FactorSolution, Refinement)
        The refined solution (coefficients and residual sum of squares; the covariance
        is the factor's) and what the refinement did.
    """
    kept = ~solution.aliased
    coef_hi = solution.coef[kept].copy()
    coef_lo = np.zeros_like(coef_hi)
    last_hi, last_lo = coef_hi, coef_lo
    ssr = solution.ssr
    first = previous = np.inf
    converged = False
    passes = 0
    eps = float(np.finfo(float).eps)
    for passes in range(1, max_passes + 1):
        products = residual_products(kept, coef_hi, coef_lo)
        delta = seminormal_correction(solution.r_scaled, solution.scales, products)
        # Compare in the scaled columns, coefficient by coefficient: a small coefficient
        # beside a large one must reach its own rounding level too.
        size = np.abs(delta) / solution.scales
        magnitude = np.abs(coef_hi) / solution.scales
        floor = eps * float(np.max(magnitude, initial=0.0))
        relative = float(np.max(size / (magnitude + floor), initial=0.0)) if floor else 0.0
        if passes == 1:
            nonzero = coef_hi != 0.0
            changes = np.abs(delta[nonzero]) / np.abs(coef_hi[nonzero])
            first = float(np.max(changes, initial=0.0))
        if relative >= previous:
            # Not contracting: cond² · eps is near or above one; keep the previous step.
            coef_hi, coef_lo = last_hi, last_lo
            break
        ssr = products.ssr
        if np.all(size <= 0.5 * eps * magnitude + eps * floor):
            converged = True
            break
        previous = relative
        last_hi, last_lo = coef_hi, coef_lo
        coef_hi, coef_lo = dd_add(coef_hi, coef_lo, delta)
    refined = np.full_like(solution.coef, np.nan)
    refined[kept] = coef_hi + coef_lo
    return (
        replace(solution, coef=refined, ssr=ssr),
        Refinement(passes=passes, converged=converged, first_correction=first),
    )
