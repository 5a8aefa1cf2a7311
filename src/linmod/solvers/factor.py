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

__all__ = ["FactorSolution", "solve_factor"]

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
