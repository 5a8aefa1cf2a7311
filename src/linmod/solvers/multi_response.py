"""Least squares for several responses on one design: one factorisation, every column refined.

R's ``lm(cbind(y1, y2) ~ x)`` (an "mlm") fits each response by the same design.  Here the
scaled design is factored once (the Householder QR and rank analysis of
:func:`~linmod.solvers.qr.solve_qr`) and every response is refined on that factor by
Björck's augmented-system refinement in double-double, column by column: each column
stops when *its own* correction is below half an ulp of *its own* coefficients, so a
response whose coefficients are tiny next to another's is still refined to the float64
limit (a single stopping rule over the whole matrix would stop it early).  The
corrections of all active columns are solved together (matrix right-hand sides, BLAS 3).
``(X'X)^-1`` is refined once and shared.

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

from linmod.linalg.dd import dd_add, dd_residual, dd_rmatvec, two_sum_arrays
from linmod.linalg.rank import analyse_rank
from linmod.linalg.refine import refine_augmented
from linmod.linalg.scaling import column_max_abs, power_of_two_scales
from linmod.solvers.auto import solve
from linmod.solvers.base import LeastSquaresProblem, SolverResult, embed, embed_square
from linmod.solvers.qr import COVARIANCE_REFINE_LIMIT
from linmod.solvers.scaled import SAFE_EXPONENT

__all__ = ["SHARED_SOLVERS", "refine_columns", "solve_responses"]

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


def refine_columns(
    x_hi: Float, x_lo: Float | None, q: Float, r: Float, y: Float, max_iter: int = 12
) -> tuple[Float, Float, NDArray[np.int_], NDArray[np.bool_]]:
    """Least-squares solutions of ``min ||y[:, j] - X b_j||`` for every column, refined.

    The algorithm of :func:`~linmod.linalg.refine.refine_augmented` (right-hand side
    ``[y; 0]``), with the stopping rule applied to each column on its own.

    Parameters
    ----------
    x_hi, x_lo : ndarray of shape (n, p)
        The (scaled) design as a double-double; ``x_lo`` may be None.
    q, r : ndarray
        Thin Householder QR factors of ``x_hi``.
    y : ndarray of shape (n, k)
        The responses.
    max_iter : int
        Largest number of steps per column.

    Returns
    -------
    coef_hi, coef_lo : ndarray of shape (p, k)
        The solutions as double-doubles.
    n_iter : ndarray of int, shape (k,)
        Steps taken per column.
    converged : ndarray of bool, shape (k,)
        Whether each column's last correction was below rounding level.
    """
    n, k = y.shape
    p = r.shape[0]
    b_hi, b_lo = np.zeros((p, k)), np.zeros((p, k))
    r_hi, r_lo = np.zeros((n, k)), np.zeros((n, k))
    previous = np.full(k, np.inf)
    n_iter = np.zeros(k, dtype=np.int_)
    converged = np.zeros(k, dtype=bool)
    active = np.arange(k)
    for step in range(1, max_iter + 1):
        if active.size == 0:
            break
        y_a, rh, rl = y[:, active], r_hi[:, active], r_lo[:, active]
        bh, bl = b_hi[:, active], b_lo[:, active]
        # f = y - r - X b  and  g = -X' r, in double-double (as refine_augmented).
        rhs_hi, rhs_err = two_sum_arrays(y_a, -rh)
        f_hi, f_lo = dd_residual(x_hi, x_lo, rhs_hi, rhs_err - rl, bh, bl)
        f = f_hi + f_lo
        xr_hi, xr_lo = dd_rmatvec(x_hi, x_lo, rh, rl)
        g_hi, g_err = two_sum_arrays(np.zeros_like(xr_hi), -xr_hi)
        g = g_hi + (g_err - xr_lo)
        h = sla.solve_triangular(r, g, trans="T", check_finite=False)
        d = q.T @ f
        delta_b = sla.solve_triangular(r, d - h, check_finite=False)
        delta_r = f - q @ (d - h)
        b_hi[:, active], b_lo[:, active] = dd_add(bh, bl, delta_b)
        r_hi[:, active], r_lo[:, active] = dd_add(rh, rl, delta_r)
        n_iter[active] = step

        size = np.max(np.abs(delta_b), axis=0, initial=0.0)
        scale = np.max(np.abs(b_hi[:, active]), axis=0, initial=0.0)
        done = (size <= _EPS * scale * 0.5) | (size == 0.0)
        converged[active[done]] = True
        stalled = (size >= previous[active]) if step > 2 else np.zeros(active.size, bool)
        previous[active] = size
        active = active[~(done | stalled)]
    return b_hi, b_lo, n_iter, converged


def _shared_qr(problem: LeastSquaresProblem, y: Float) -> list[SolverResult]:
    x, x_lo = problem.x, problem.x_lo
    scales = power_of_two_scales(np.linalg.norm(x, axis=0))
    xs = x * scales
    xs_lo = None if x_lo is None else x_lo * scales
    analysis = analyse_rank(xs, scales)
    kept = analysis.kept
    if not kept.all():
        xs = np.ascontiguousarray(xs[:, kept])
        xs_lo = None if xs_lo is None else np.ascontiguousarray(xs_lo[:, kept])
    rank = int(kept.sum())
    s = scales[kept]
    coef_hi, coef_lo, n_iter, converged = refine_columns(xs, xs_lo, analysis.q, analysis.r, y)
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
        As :func:`linmod.solvers.solve`; ``"auto"`` and ``"qr"`` share one refined QR
        factorisation (coefficients, residuals and ``(X'X)^-1`` to the float64 limit for
        every response whenever ``cond(scaled X) * eps < 1``).

    Returns
    -------
    list of SolverResult
        One per response, in column order; they share ``cov_unscaled``, ``rank``,
        ``aliased`` and the conditioning.
    """
    y = np.asarray(y, dtype=np.float64)
    shared = (
        solver in SHARED_SOLVERS
        and _inside_safe_range(column_max_abs(problem.x))
        and _inside_safe_range(column_max_abs(np.ascontiguousarray(y)))
    )
    if shared:
        return _shared_qr(problem, y)
    return [
        solve(replace(problem, y=np.ascontiguousarray(y[:, j])), solver) for j in range(y.shape[1])
    ]
