"""Least squares for several responses on one design: one factorisation, every column refined.

R's ``lm(cbind(y1, y2) ~ x)`` (an "mlm") fits each response by the same design.  The
design is factored once and every response is refined on that factor to the float64
limit, as a single-response fit would be:

- ``solver="auto"`` first tries the certified Cholesky factor of
  :mod:`linmod.solvers.certified` (one Gram matrix, ``(X'X)^-1`` certified once); each
  response then takes its own double-double refinement passes and must pass its own
  a-posteriori bound.  If the design or any response is not certified, every response
  takes the refined QR path below (whatever the design's size: single-response
  ``"auto"`` accepts an unrefined Cholesky fit of a large, well-conditioned design; here
  the factorisation is shared, so the refinement is affordable).
- ``solver="qr"``: one scaled Householder QR and rank analysis (as
  :func:`~linmod.solvers.qr.solve_qr`), then Björck's augmented-system refinement in
  double-double for each response on that factor (bit for bit the single-response fit),
  and ``(X'X)^-1`` refined once.

The other solvers (``"cholesky"``, ``"svd"``, ``"normal"``, ``"simple"``, ``"gd"``) and data
outside the range where no rescaling is needed (see :mod:`linmod.solvers.scaled`) are
solved response by response with :func:`linmod.solvers.solve`: the same numbers as
single-response fits, one factorisation per response.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.linalg.dd import dd_residual
from linmod.linalg.refine import refine_augmented
from linmod.linalg.scaling import column_max_abs
from linmod.linalg.threads import small_work_blas
from linmod.solvers.auto import solve
from linmod.solvers.base import LeastSquaresProblem, SolverResult, embed, embed_square
from linmod.solvers.certified import (
    MAX_PASSES,
    CertifiedFactor,
    certified_factor,
    gram_of,
    plain_solution,
    shifted_retry,
)
from linmod.solvers.certified_columns import certified_covariance, refine_columns
from linmod.solvers.qr import COVARIANCE_REFINE_LIMIT, scaled_rank_analysis
from linmod.solvers.scaled import SAFE_EXPONENT

__all__ = ["SHARED_SOLVERS", "solve_responses"]

Float = NDArray[np.float64]

#: The ``solver=`` names fitted with one shared factorisation; the others loop.
SHARED_SOLVERS = ("auto", "qr")

_SAFE_LOW = 2.0 ** (-SAFE_EXPONENT - 1)
_SAFE_HIGH = 2.0**SAFE_EXPONENT


def _inside_safe_range(values: Float) -> bool:
    nonzero = values[values > 0]
    return bool(np.all(np.isfinite(values)) and np.all(nonzero < _SAFE_HIGH)) and bool(
        np.all(nonzero >= _SAFE_LOW)
    )


def _certified_columns(
    certified: CertifiedFactor, x: Float, y: Float, starts: Float
) -> list[SolverResult] | None:
    """:func:`~linmod.solvers.certified.certified_solution` for every column of ``y``
    (:func:`~linmod.solvers.certified_columns.refine_columns`); None if some response,
    or ``(X'X)^-1``, is not certified within the passes."""
    refined = refine_columns(certified, x, y, starts, MAX_PASSES)
    cov = None if refined is None else certified_covariance(certified, x, MAX_PASSES)
    if refined is None or cov is None:
        return None
    condition, weakest = certified.reported_conditioning()
    p = x.shape[1]
    return [
        SolverResult(
            coef=refined.coef_hi[j] + refined.coef_lo[j],
            cov_unscaled=cov,
            residuals=refined.r_hi[:, j],
            residuals_lo=refined.r_lo[:, j],
            rank=p,
            aliased=np.zeros(p, dtype=bool),
            dependencies=(),
            condition_number=condition,
            weakest_direction=weakest,
            method="cholesky",
            n_iter=int(refined.passes[j]),
        )
        for j in range(y.shape[1])
    ]


def _shared_certified(problem: LeastSquaresProblem, y: Float) -> list[SolverResult] | None:
    gram = gram_of(problem.x)
    certified = certified_factor(problem, gram)
    results = _certified_all(certified, problem.x, y)
    if results is None:  # solve_certified's retry
        results = _certified_all(shifted_retry(problem, gram, certified), problem.x, y)
    return results


def _certified_all(
    certified: CertifiedFactor | None, x: Float, y: Float
) -> list[SolverResult] | None:
    if certified is None:
        return None
    starts = plain_solution(certified, x, y)  # all responses in one product
    return _certified_columns(certified, x, y, starts)


def _shared_qr(problem: LeastSquaresProblem, y: Float) -> list[SolverResult]:
    xs, xs_lo, analysis, s = scaled_rank_analysis(problem)
    kept = analysis.kept
    rank = int(kept.sum())
    fits = [
        refine_augmented(xs, xs_lo, analysis.q, analysis.r, y[:, j], None, np.zeros(rank))
        for j in range(y.shape[1])
    ]
    coef_hi = np.column_stack([f.coef_hi for f in fits])
    coef_lo = np.column_stack([f.coef_lo for f in fits])
    n_iter = [f.n_iter for f in fits]
    converged = [f.converged for f in fits]
    res_hi, res_lo = dd_residual(xs, xs_lo, y, None, coef_hi, coef_lo)
    coef = (coef_hi + coef_lo) * s[:, None]

    notes: list[str] = []
    if problem.n * rank * rank <= COVARIANCE_REFINE_LIMIT:
        inverse = refine_augmented(
            xs, xs_lo, analysis.q, analysis.r, np.zeros((problem.n, rank)), None, -np.eye(rank)
        )
        cov_scaled = inverse.coef_hi + inverse.coef_lo
    else:
        r_inv = sla.solve_triangular(analysis.r, np.eye(rank), check_finite=False)
        cov_scaled = r_inv @ r_inv.T
        notes.append("(X'X)^-1 taken from the QR factor without refinement (large design)")
    cov = embed_square((cov_scaled + cov_scaled.T) / 2 * np.outer(s, s), kept)
    results = []
    for j in range(y.shape[1]):
        column_notes = list(notes)
        if not converged[j]:
            column_notes.append(
                f"iterative refinement did not reach rounding level in {n_iter[j]} steps: "
                "the design is too ill-conditioned for full float64 accuracy"
            )
        results.append(
            SolverResult(
                coef=embed(coef[:, j], kept),
                cov_unscaled=cov,
                residuals=np.ascontiguousarray(res_hi[:, j]),
                residuals_lo=np.ascontiguousarray(res_lo[:, j]),
                rank=rank,
                aliased=~kept,
                dependencies=analysis.dependencies,
                condition_number=analysis.condition_number,
                weakest_direction=analysis.weakest_direction,
                method="qr",
                n_iter=int(n_iter[j]),
                notes=tuple(column_notes),
                column_scales=np.ones(problem.p),
                cov_scaled=cov,
            )
        )
    return results


def solve_responses(
    problem: LeastSquaresProblem, y: Float, solver: str = "auto"
) -> list[SolverResult]:
    """Fit every column of ``y`` on the design of ``problem``.

    Parameters
    ----------
    problem : LeastSquaresProblem
        The design (its ``y`` is not used).
    y : ndarray of shape (n, k)
        The responses, one per column.
    solver : str
        As :func:`linmod.solvers.solve`; ``"auto"`` and ``"qr"`` share one factorisation
        (see the module's description): coefficients, residuals and ``(X'X)^-1`` to the
        float64 limit for every response whenever ``cond(scaled X) * eps < 1``.

    Returns
    -------
    list of SolverResult
        One per response, in column order; they share ``cov_unscaled``, ``rank``,
        ``aliased`` and the conditioning.
    """
    y = np.asfortranarray(y, dtype=np.float64)  # each response's column contiguous
    shared = (
        solver in SHARED_SOLVERS
        and _inside_safe_range(column_max_abs(problem.x))
        and _inside_safe_range(np.max(np.abs(y), axis=0, initial=0.0))
    )
    if not shared:
        return [
            solve(replace(problem, y=np.ascontiguousarray(y[:, j])), solver)
            for j in range(y.shape[1])
        ]
    with small_work_blas(problem.x.shape):  # many small calls: a second thread only hurts
        if solver == "auto":
            certified = _shared_certified(problem, y)
            if certified is not None:
                return certified
        return _shared_qr(problem, y)
