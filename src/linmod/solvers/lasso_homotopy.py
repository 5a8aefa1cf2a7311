"""The exact Lasso path by homotopy (LARS with the Lasso modification).

The Lasso solution of ``(1/2n)‖y − Xβ‖² + α‖β‖₁`` (centred data) is piecewise linear in
``α``: between two *knots* the active set ``A`` and the signs ``s`` of its coefficients
are fixed, the correlations of the active columns satisfy ``X_Aᵀ(y − Xβ)/n = α·s`` and
``β_A`` moves along ``d = (X_AᵀX_A)⁻¹s``.  A knot is where an inactive column's
correlation reaches ``±α`` (it enters) or an active coefficient reaches 0 (it leaves).
:func:`lasso_knots` walks from ``α_max = ‖Xᵀy‖∞/n`` down to ``α = 0`` knot by knot
(Efron, Hastie, Johnstone & Tibshirani 2004, section 3.1; Osborne, Presnell & Turlach
2000), exactly as scikit-learn's ``lars_path(method="lasso")`` does, and returns the
knots and the exact coefficients there.

Why knots and not a grid of coordinate-descent solutions
    An information criterion ``n·log(2πσ²) + RSS(α)/σ² + k·df(α)`` is minimised at a
    knot: on the open segment between two knots ``df`` (the number of non-zero
    coefficients) is constant and ``RSS`` is non-increasing as ``α`` decreases, so the
    infimum over the segment is approached at its lower knot, where the coefficients are
    continuous and ``df`` is the same or smaller (a coefficient that leaves is 0 there).
    Computing the knots exactly therefore finds the exact minimiser, which no grid of
    coordinate-descent fits can (it would only bracket it, to the tolerance ``tol``).
    Each step costs one Cholesky solve in the active set and one product ``XᵀX_A d``;
    paths have a few times ``min(n, p)`` knots.

The kernel works on an :class:`~linmod.solvers.penalized_problem.EnetProblem` in either
layout (the Gram matrix when it is stored, else columns ``XᵀX_A`` from the transposed
design); ``positive=True`` follows the non-negative Lasso path (only positive
correlations enter).  Correlations are recomputed from ``β`` at every knot (no drift
from incremental updates); the common correlation ``C = nα`` of the active set is
carried exactly along the path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas_thread
from linmod.solvers.penalized_problem import EnetProblem

__all__ = ["HomotopyPath", "lasso_knots"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class HomotopyPath:
    """The knots of the Lasso path of a centred, scaled problem.

    Attributes
    ----------
    alphas : ndarray of shape (k,)
        The knots in scikit-learn's scaling (``max |Xᵀr|/n``), decreasing, the last 0
        when the path reached the least-squares end.
    coefs : ndarray of shape (p, k)
        Exact coefficients at each knot (exact zeros outside the active set).
    n_steps : int
        Homotopy steps taken.
    complete : bool
        Whether the path reached ``α = 0`` within the allowed steps.
    """

    alphas: Float
    coefs: Float
    n_steps: int
    complete: bool


def _gram_columns(problem: EnetProblem, active: list[int], cache: dict[int, Float]) -> Float:
    """``XᵀX[:, A]`` of the centred, scaled design (each column computed once)."""
    if problem.gram is not None:
        return np.asarray(problem.gram[:, active])
    assert problem.xt is not None
    missing = [j for j in active if j not in cache]
    if missing:
        block = problem.xt @ problem.xt[missing].T
        for k, j in enumerate(missing):
            cache[j] = np.ascontiguousarray(block[:, k])
    return np.column_stack([cache[j] for j in active])


def _correlations(problem: EnetProblem, beta: Float, active: list[int]) -> Float:
    """``Xᵀ(y − Xβ)`` recomputed from ``β`` (only the active coefficients are non-zero)."""
    if not active:
        return problem.xty.copy()
    if problem.gram is not None:
        return np.asarray(problem.xty - problem.gram[:, active] @ beta[active])
    assert problem.xt is not None
    assert problem.y is not None
    resid = problem.y - problem.xt[active].T @ beta[active]
    return np.asarray(problem.xt @ resid)


def _entering_step(
    c: Float, a: Float, big_c: float, blocked: NDArray[np.int8], positive: bool
) -> tuple[float, int]:
    """Smallest ``γ > 0`` at which an inactive correlation ``c_j − γa_j`` reaches ``±(C − γ)``.

    ``blocked`` is 2 for active columns (never), +1 / −1 for a column that has just left
    with that sign (its correlation sits at ``±C``: only the opposite sign can bring it
    back), 0 otherwise.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        up = (big_c - c) / (1.0 - a)
        down = (big_c + c) / (1.0 + a)
    tiny = np.finfo(float).eps * big_c
    allowed_up = (blocked == 0) | (blocked == -1)
    up = np.where((up > tiny) & np.isfinite(up) & allowed_up, up, np.inf)
    allowed_down = ((blocked == 0) | (blocked == 1)) & (not positive)
    down = np.where((down > tiny) & np.isfinite(down) & allowed_down, down, np.inf)
    best = np.minimum(up, down)
    j = int(np.argmin(best)) if best.size else -1
    return (float(best[j]), j) if j >= 0 else (np.inf, -1)


def lasso_knots(
    problem: EnetProblem,
    *,
    positive: bool = False,
    max_steps: int = 500,
    rank: int | None = None,
) -> HomotopyPath:
    """Every knot of the Lasso path, from ``α_max`` down to ``α = 0``.

    Parameters
    ----------
    problem : EnetProblem
        Centred (and possibly standardised) data in either layout.
    positive : bool, default=False
        Follow the path of the non-negative Lasso.
    max_steps : int, default=500
        Largest number of homotopy steps (scikit-learn's ``LassoLarsIC(max_iter=500)``).
    rank : int, optional
        Largest number of columns that can be active together (``min(n − 1, p)`` for
        centred data); the path stops adding columns there.

    Returns
    -------
    HomotopyPath
        With ``complete=False`` when ``max_steps`` ran out before ``α = 0``.

    Raises
    ------
    InputError
        When an entering column is an exact linear combination of the active ones (its
        Lasso path is not unique).

    Notes
    -----
    Each step makes a few small LAPACK calls (a Cholesky factorisation of the active
    Gram block and two solves): they run on one BLAS thread
    (:func:`linmod.linalg.threads.small_work_blas_thread`), since waking spinning
    OpenBLAS threads made them a thousand times slower on a loaded machine.
    """
    with small_work_blas_thread():
        return _knots(problem, positive, max_steps, rank)


def _knots(problem: EnetProblem, positive: bool, max_steps: int, rank: int | None) -> HomotopyPath:
    """:func:`lasso_knots` itself."""
    n, p = problem.n, problem.p
    limit = min(p, n) if rank is None else min(rank, p)
    beta = np.zeros(p)
    c = problem.xty.copy()
    big_c = float(max(c.max(initial=0.0), 0.0) if positive else np.abs(c).max(initial=0.0))
    alphas = [big_c / n]
    coefs = [beta.copy()]
    active: list[int] = []
    signs: list[float] = []
    blocked = np.zeros(p, dtype=np.int8)  # see _entering_step
    cache: dict[int, Float] = {}
    steps = 0
    complete = big_c == 0.0
    if not complete and limit > 0:
        j = int(np.argmax(c if positive else np.abs(c)))
        active.append(j)
        signs.append(1.0 if c[j] > 0 else -1.0)
    while not complete and steps < max_steps and active:
        steps += 1
        g_cols = _gram_columns(problem, active, cache)
        g_aa = g_cols[active]
        try:
            factor = sla.cho_factor(g_aa, lower=True, check_finite=False)
        except sla.LinAlgError:
            raise InputError(
                "the Lasso path is not unique: a column entering the active set is a linear "
                "combination of the active ones; remove duplicated or collinear columns"
            ) from None
        s = np.array(signs)
        d = sla.cho_solve(factor, s, check_finite=False)
        if not np.all(np.isfinite(d)) or np.min(np.abs(np.diag(factor[0]))) <= (
            np.sqrt(np.finfo(float).eps) * np.sqrt(np.max(np.diag(g_aa)))
        ):
            raise InputError(
                "the Lasso path is not unique: a column entering the active set is (nearly) "
                "a linear combination of the active ones; remove duplicated or collinear "
                "columns"
            )
        a = g_cols @ d
        blocked[active] = 2
        gamma_in, j_in = (np.inf, -1)
        if len(active) < limit:
            gamma_in, j_in = _entering_step(c, a, big_c, blocked, positive)
        beta_a = beta[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            hit = -beta_a / d
        hit = np.where(hit > 0, hit, np.inf)
        k_out = int(np.argmin(hit))
        gamma_out = float(hit[k_out])
        gamma = min(big_c, gamma_in, gamma_out)
        beta[active] = beta_a + gamma * d
        blocked[:] = 0
        if gamma >= big_c:  # the least-squares end: α = 0
            big_c = 0.0
            complete = True
        else:
            big_c -= gamma
            if gamma_out <= gamma_in:
                j_out = active.pop(k_out)
                blocked[j_out] = 1 if signs.pop(k_out) > 0 else -1
                beta[j_out] = 0.0
            else:
                c_in = c[j_in] - gamma * a[j_in]
                active.append(j_in)
                signs.append(1.0 if c_in > 0 else -1.0)
        alphas.append(big_c / n)
        coefs.append(beta.copy())
        c = _correlations(problem, beta, active)
    return HomotopyPath(
        alphas=np.asarray(alphas),
        coefs=np.column_stack(coefs),
        n_steps=steps,
        complete=complete or not active,
    )
