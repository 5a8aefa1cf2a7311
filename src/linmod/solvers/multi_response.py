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
from scipy.linalg import lapack

from linmod.linalg.dd import dd_residual
from linmod.linalg.dd_gradient import dd_residual_gradient, dd_subtract_inplace
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
from linmod.solvers.qr import COVARIANCE_REFINE_LIMIT, scaled_rank_analysis
from linmod.solvers.scaled import SAFE_EXPONENT

__all__ = ["SHARED_SOLVERS", "solve_responses"]

Float = NDArray[np.float64]

#: The ``solver=`` names fitted with one shared factorisation; the others loop.
SHARED_SOLVERS = ("auto", "qr")

_EPS = float(np.finfo(np.float64).eps)
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
    """:func:`~linmod.solvers.certified.certified_solution` for every column of ``y``.

    The same steps and bounds, column by column: each response's residual and gradient
    in double-double (one compiled pass over ``X`` per response), its own error bound and
    stopping rule; the float64 parts (the triangular solves of the steps and ``X`` times
    the steps) are taken for all active responses at once.  None if some response is not
    certified within the passes.
    """
    factor, scales, shift, rho = certified.factor, certified.scales, certified.shift, certified.rho
    weights = certified.weights
    n, p = x.shape
    k = y.shape[1]
    coef_hi = np.ascontiguousarray(starts.T)  # (k, p): each response's row contiguous
    coef_lo = np.zeros((k, p))
    r_hi = np.empty((n, k), order="F")  # each response's column contiguous
    r_lo = np.empty((n, k), order="F")
    passes = np.zeros(k, dtype=np.int_)
    active = np.arange(k)
    for step_no in range(1, MAX_PASSES + 1):
        gradients = np.empty((p, active.size))
        for i, j in enumerate(active):
            rh, rl, gh, gl = dd_residual_gradient(x, y[:, j], coef_hi[j], coef_lo[j])
            r_hi[:, j], r_lo[:, j] = rh, rl
            gradients[:, i] = gh + gl if shift is None else shift.gradient(gh, gl)
        steps = lapack.dpotrs(factor, scales[:, None] * gradients, lower=0)[0]
        left = 2.0 * rho * np.sqrt(np.einsum("ij,ij->j", steps, steps)) * weights[:, None]
        steps *= scales[:, None]
        if shift is not None:
            for i in range(active.size):
                steps[:, i], rounding = shift.step_to_original(steps[:, i])
                left[0, i] += rounding
        moved = x @ steps  # the residuals move by X delta: tiny, float64 suffices
        done = np.zeros(active.size, dtype=bool)
        for i, j in enumerate(active):
            dd_subtract_inplace(coef_hi[j], coef_lo[j], -steps[:, i])
            dd_subtract_inplace(r_hi[:, j], r_lo[:, j], moved[:, i])
            magnitude = np.abs(coef_hi[j])
            floor = _EPS**2 * weights * np.max(magnitude / weights)
            done[i] = bool(np.all(left[:, i] <= 0.5 * _EPS * magnitude + floor))
        passes[active] = step_no
        active = active[~done]
        if active.size == 0:
            break
    if active.size:
        return None
    condition, weakest = certified.reported_conditioning()
    return [
        SolverResult(
            coef=coef_hi[j] + coef_lo[j],
            cov_unscaled=certified.cov,
            residuals=r_hi[:, j],
            residuals_lo=r_lo[:, j],
            rank=p,
            aliased=np.zeros(p, dtype=bool),
            dependencies=(),
            condition_number=condition,
            weakest_direction=weakest,
            method="cholesky",
            n_iter=int(passes[j]),
        )
        for j in range(k)
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
