"""Least squares from a merged R factor (streamed or distributed data).

The same rules as the in-memory solvers: columns scaled by powers of two, aliasing decided
on the scaled factor (``X'X = R'R``, so ``R`` has the column geometry of ``X``), aliased
coefficients NaN, condition number of the scaled estimable design.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.linalg.rank import Dependency, analyse_rank
from linmod.linalg.scaling import power_of_two_scales
from linmod.linalg.tsqr import RFactor
from linmod.solvers.base import embed, embed_square

__all__ = ["FactorSolution", "solve_factor", "solve_ridge_factor"]

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
    scales = power_of_two_scales(np.linalg.norm(r_xx, axis=0))
    analysis = analyse_rank(r_xx * scales, scales)
    kept = analysis.kept
    q, r = analysis.q, analysis.r
    projected = q.T @ z
    coef_scaled = sla.solve_triangular(r, projected, check_finite=False)
    unexplained = z - q @ projected
    ssr = factor.ssr_full_rank + float(unexplained @ unexplained)
    r_inv = sla.solve_triangular(r, np.eye(r.shape[0]), check_finite=False)
    s = scales[kept]
    cov = (r_inv @ r_inv.T) * np.outer(s, s)
    return FactorSolution(
        coef=embed(coef_scaled * s, kept),
        cov_unscaled=embed_square((cov + cov.T) / 2, kept),
        ssr=ssr,
        rank=analysis.rank,
        aliased=~kept,
        dependencies=analysis.dependencies,
        condition_number=analysis.condition_number,
        weakest_direction=analysis.weakest_direction,
    )


def solve_ridge_factor(factor: RFactor, alpha: float, intercept: bool) -> tuple[Float, float]:
    """Ridge coefficients ``argmin ||y - b0 - X b||² + alpha ||b||²`` from a merged factor.

    With the intercept as the first column, Householder QR orthogonalises the other
    columns against it, so the trailing block ``R22`` of the factor satisfies
    ``R22' R22 = Xc' Xc`` and ``R22' z2 = Xc' yc`` for the centred data: the ridge problem
    is the small least-squares problem ``[R22; sqrt(alpha) I] b ~ [z2; 0]``, solved by QR
    (no normal equations).  The intercept follows from the first row, ``r11 b0 + r12 b =
    z1``.  Same objective as scikit-learn's ``Ridge`` (intercept not penalised).

    Parameters
    ----------
    factor : RFactor
        Factor of ``[1, X | y]`` (intercept first) or ``[X | y]``.
    alpha : float
        Penalty, at least 0.
    intercept : bool
        Whether column 0 of the factor is the intercept.

    Returns
    -------
    (coef, intercept) : ndarray of shape (p,) and float
        Slopes (without the intercept) and the intercept (0.0 without one).
    """
    r, z = factor.r_xx, factor.z
    start = 1 if intercept else 0
    r22, z2 = r[start:, start:], z[start:]
    k = r22.shape[0]
    stacked = np.vstack([r22, np.sqrt(alpha) * np.eye(k)])
    rhs = np.concatenate([z2, np.zeros(k)])
    coef = sla.lstsq(stacked, rhs, check_finite=False, lapack_driver="gelsy")[0]
    if not intercept:
        return coef, 0.0
    return coef, float((z[0] - r[0, 1:] @ coef) / r[0, 0])
