"""Singular value decomposition of the scaled design: the minimum-norm solver.

Accuracy: like QR without refinement (about ``cond * eps``).  On a rank-deficient design it
returns the minimum-norm solution (all coefficients finite) and a pseudo-inverse
covariance, as statsmodels does, rather than R's NaN for aliased columns.  Cost: several
times a QR; use it when the minimum-norm solution is what you want.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from linmod.linalg.rank import RANK_TOL, analyse_rank
from linmod.linalg.scaling import power_of_two_scales
from linmod.solvers.base import LeastSquaresProblem, SolverResult

__all__ = ["solve_svd"]


def solve_svd(problem: LeastSquaresProblem) -> SolverResult:
    """Solve a least-squares problem by the SVD of the column-scaled design.

    Parameters
    ----------
    problem : LeastSquaresProblem

    Returns
    -------
    SolverResult
        Minimum-norm coefficients; ``rank`` counts singular values above
        ``RANK_TOL * largest``.
    """
    x = problem.x if problem.x_lo is None else problem.x + problem.x_lo
    scales = power_of_two_scales(np.linalg.norm(x, axis=0))
    xs = x * scales
    u, sv, vt = sla.svd(xs, full_matrices=False, check_finite=False)
    keep = sv > RANK_TOL * sv[0] if sv.size and sv[0] > 0 else np.zeros_like(sv, dtype=bool)
    rank = int(keep.sum())
    v = vt[keep].T
    coef_s = v @ ((u[:, keep].T @ problem.y) / sv[keep])
    cov_s = (v / sv[keep] ** 2) @ v.T
    residuals = problem.y - xs @ coef_s
    aliased = np.zeros(problem.p, dtype=bool)
    dependencies: tuple = ()
    if rank < problem.p:
        analysis = analyse_rank(xs, scales)
        aliased, dependencies = ~analysis.kept, analysis.dependencies
    cond = float(sv[keep][0] / sv[keep][-1]) if rank else float("inf")
    return SolverResult(
        coef=coef_s * scales,
        cov_unscaled=cov_s * np.outer(scales, scales),
        residuals=residuals,
        rank=rank,
        aliased=aliased,
        dependencies=dependencies,
        condition_number=cond,
        weakest_direction=vt[keep][-1] if rank else np.zeros(problem.p),
        method="svd",
    )
