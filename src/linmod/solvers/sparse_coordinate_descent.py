"""Coordinate descent for the elastic net on a sparse design, centred implicitly (numba).

The kernel minimises, for one penalty and a warm start,

    P(w) = ½‖y − Zw‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖²        (w ≥ 0 when ``positive``)

with ``Z = X̃ − v μ̃ᵀ`` the implicitly centred, scaled design of a
:class:`~linmod.solvers.sparse_problem.SparseProblem` (CSC arrays ``data``, ``indices``,
``indptr``): the problem, objective, stopping rule and screening of
:mod:`linmod.solvers.coordinate_descent`, on the stored values only.

Implicit centring
    The residual ``R = y − Zw`` is held as ``R = r + c·v`` with ``r = y − X̃w`` (dense,
    updated only at the stored rows of a column) and the scalar ``c = μ̃ᵀw``.  The
    coordinate gradient is ``Z_jᵀR = X̃_jᵀr − μ̃_j t`` with ``t = vᵀr`` (the terms in
    ``c`` cancel because ``μ̃_j = X̃_jᵀv / vᵀv``), so an update of ``w_j`` costs the
    column's stored values plus O(1): ``r −= δ x̃_j`` on its rows, ``t −= δ X̃_jᵀv``,
    ``c += δ μ̃_j``.  (scikit-learn's sparse solver adds ``δ μ_j`` to all ``n`` residuals
    at every update instead.)  ``t`` is recomputed exactly at every duality-gap
    evaluation, which also computes ``‖R‖²`` from ``r`` and ``c``.

Speed
    Working sets and gap-safe screening exactly as the dense kernels
    (:func:`~linmod.solvers.screening.working_set`,
    :func:`~linmod.solvers.screening.screen_and_rank`): an epoch touches only the
    working set's stored values; the full gradient (one pass over all stored values) is
    formed once per outer iteration.  Along a path the residual, ``c`` and the gradient
    of the previous penalty are reused.  (No Anderson extrapolation: extrapolating the
    dense ``r`` would cost O(n) per epoch, more than a sparse epoch.)

The duality gap is computed over every feature, so ``gap ≤ tol`` certifies the solution
(scikit-learn's ``tol·‖y‖²`` convention) exactly as in the dense kernels; the solve stops
early at the float64 limit as they do (:mod:`linmod.solvers.fixed_point`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.solvers.fixed_point import CYCLE, snapshot, stuck
from linmod.solvers.screening import duality_gap, screen_and_rank, working_set
from linmod.solvers.sparse_problem import SparseProblem

__all__ = ["enet_sparse"]

Float = NDArray[np.float64]
Int = NDArray[np.int64]

#: The inner (working-set) problem is solved to this fraction of the outer gap.
_INNER_FRACTION = 0.3
#: The inner duality gap is evaluated every this many epochs (and on small updates).
_GAP_EVERY = 5


@njit(inline="always", cache=True)
def _threshold(z: float, l1: float, positive: bool) -> float:
    """Soft-thresholding ``sign(z)·max(|z| − l1, 0)`` (one-sided when ``positive``)."""
    if z > l1:
        return z - l1
    if positive or z >= -l1:
        return 0.0
    return z + l1


@njit(cache=True)
def _column_dot(data: Float, indices: Int, indptr: Int, j: int, r: Float) -> float:
    """``X̃_jᵀ r`` over the stored values of column ``j``."""
    s = 0.0
    for k in range(indptr[j], indptr[j + 1]):
        s += data[k] * r[indices[k]]
    return s


@njit(cache=True)
def _update(
    data: Float,
    indices: Int,
    indptr: Int,
    colv: Float,
    mu: Float,
    r: Float,
    state: Float,
    j: int,
    delta: float,
) -> None:  # pragma: no cover - compiled
    """Account for ``w_j += δ``: ``r −= δ x̃_j``, ``t −= δ X̃_jᵀv``, ``c += δ μ̃_j``."""  # fmt: skip
    for k in range(indptr[j], indptr[j + 1]):
        r[indices[k]] -= delta * data[k]
    state[1] -= delta * colv[j]
    state[0] += delta * mu[j]


@njit(cache=True)
def _residual_terms(r: Float, v: Float, state: Float) -> float:  # pragma: no cover - compiled
    """Recompute ``t = vᵀr`` exactly (into ``state[1]``); return ``‖r + c·v‖²``."""
    c = state[0]
    t = 0.0
    s = 0.0
    for i in range(r.shape[0]):
        t += v[i] * r[i]
        e = r[i] + c * v[i]
        s += e * e
    state[1] = t
    return s


@njit(cache=True)
def _rebuild(
    data: Float,
    indices: Int,
    indptr: Int,
    colv: Float,
    mu: Float,
    y: Float,
    v: Float,
    w: Float,
    r: Float,
    state: Float,
) -> None:  # pragma: no cover - compiled
    """Recompute ``r = y − X̃w`` and ``c = μ̃ᵀw`` from the support."""  # fmt: skip
    r[:] = y
    state[0] = 0.0
    state[1] = 0.0
    for j in range(w.shape[0]):
        if w[j] != 0.0:
            _update(data, indices, indptr, colv, mu, r, state, j, w[j])


@njit(cache=True)
def _solve(
    data: Float,
    indices: Int,
    indptr: Int,
    v: Float,
    mu: Float,
    colv: Float,
    norm2: Float,
    y: Float,
    w: Float,
    r: Float,
    state: Float,
    grad: Float,
    l1: float,
    l2: float,
    positive: bool,
    tol: float,
    max_epochs: int,
    p0: int,
    warm: bool,
) -> tuple[float, int]:  # pragma: no cover - compiled
    """The working-set coordinate-descent solver (see the module text)."""  # fmt: skip
    p = w.shape[0]
    for j in range(p):
        if norm2[j] == 0.0 and w[j] != 0.0:
            w[j] = 0.0
            warm = False
    if not warm:
        _rebuild(data, indices, indptr, colv, mu, y, v, w, r, state)
    fresh = warm  # grad matches w
    all_idx = np.arange(p)
    excluded = np.zeros(p, dtype=np.bool_)
    for j in range(p):
        excluded[j] = norm2[j] == 0.0
    score = np.zeros(p)
    ws = np.empty(p, dtype=np.int64)
    xta = np.empty(p)
    gap = np.inf
    epochs = 0
    screen = l1 > 0.0
    stalled = False
    idle = False  # the last inner solve got stuck (fixed_point.stuck)
    fixed = False  # so did a solve over every feature from the exact residual: stop
    snap = np.empty(p)  # w on the working set, for cycles within an inner solve
    outer_snap = np.empty(p)  # all of w, for cycles across inner solves
    outer_age = snapshot(w, all_idx, p, outer_snap)
    while True:
        if idle:  # rebuild the residual exactly before confirming the fixed point
            _rebuild(data, indices, indptr, colv, mu, y, v, w, r, state)
            fresh = False
        r_norm2 = _residual_terms(r, v, state)
        if not fresh:
            t = state[1]
            for j in range(p):
                grad[j] = _column_dot(data, indices, indptr, j, r) - mu[j] * t
        fresh = False
        for j in range(p):
            xta[j] = grad[j] - l2 * w[j]
        gap, dual = duality_gap(xta, all_idx, p, w, r_norm2, l1, l2, positive)
        if gap <= tol or epochs >= max_epochs or stalled or fixed:
            break
        verify = idle  # the residual was rebuilt: sweep every feature to confirm
        idle = False
        if screen:
            zeroed = screen_and_rank(xta, norm2, w, excluded, gap, dual, l1, l2, positive, score)
            verify = verify and zeroed.shape[0] == 0  # zeroing moved w and r
            for j in zeroed:
                _update(data, indices, indptr, colv, mu, r, state, j, -w[j])
                w[j] = 0.0
        nnz = 0
        for j in range(p):
            if w[j] != 0.0:
                nnz += 1
        size = max(p0, nnz + max(p0, nnz // 2)) if screen and not verify else p
        m, full = working_set(w, score, excluded, size, ws)
        if m == 0:
            stalled = True  # everything screened out: w = 0; confirm the gap and stop
            continue
        tol_in = tol if full else max(_INNER_FRACTION * gap, tol)
        age = snapshot(w, ws, m, snap)
        for epoch in range(max_epochs - epochs):
            d_max = 0.0
            w_max = 0.0
            for k in range(m):
                j = ws[k]
                wj = w[j]
                g = _column_dot(data, indices, indptr, j, r) - mu[j] * state[1]
                new = _threshold(g + wj * norm2[j], l1, positive) / (norm2[j] + l2)
                if new != wj:
                    _update(data, indices, indptr, colv, mu, r, state, j, new - wj)
                    w[j] = new
                    d_max = max(d_max, abs(new - wj))
                w_max = max(w_max, abs(new))
            epochs += 1
            repeat, age = stuck(d_max, w, ws, m, snap, age)
            if repeat:  # further sweeps repeat earlier ones: the float64 limit
                fixed = verify and epoch < CYCLE
                idle = not fixed
                break
            if epochs >= max_epochs:
                break
            if epoch % _GAP_EVERY == 0 or d_max <= 1e-3 * w_max or w_max == 0.0:
                r_in = _residual_terms(r, v, state)
                t = state[1]
                for k in range(m):
                    j = ws[k]
                    xta[k] = _column_dot(data, indices, indptr, j, r) - mu[j] * t - l2 * w[j]
                gap_in, _ = duality_gap(xta, ws, m, w, r_in, l1, l2, positive)
                if gap_in <= tol_in:
                    break
        if not (idle or fixed):  # a cycle of inner solves (one sweep each, say)?
            idle, outer_age = stuck(1.0, w, all_idx, p, outer_snap, outer_age)
    return gap, epochs


def enet_sparse(
    problem: SparseProblem,
    w: Float,
    r: Float,
    state: Float,
    grad: Float,
    l1: float,
    l2: float,
    positive: bool,
    tol: float,
    max_epochs: int,
    p0: int,
    warm: bool,
) -> tuple[float, int]:
    """Solve one elastic-net problem on a sparse design by coordinate descent.

    Parameters
    ----------
    problem : SparseProblem
        The implicitly centred, scaled data.
    w : ndarray of shape (p,)
        Warm start on entry, solution on exit.
    r : ndarray of shape (n,)
        On exit ``y − X̃w`` (on entry too when ``warm``).
    state : ndarray of shape (2,)
        ``(c, t)``: on exit ``μ̃ᵀw`` and ``vᵀr`` (on entry too when ``warm``).
    grad : ndarray of shape (p,)
        On exit ``ZᵀR`` at the solution (on entry too when ``warm``).
    l1, l2 : float
        Penalties ``λ₁ ≥ 0`` and ``λ₂ ≥ 0`` (not both zero).
    positive : bool
        Constrain ``w ≥ 0``.
    tol : float
        Absolute duality-gap tolerance.
    max_epochs : int
        Maximum number of sweeps over a working set.
    p0 : int
        Smallest working-set size.
    warm : bool
        Whether ``r``, ``state`` and ``grad`` already match ``w``.

    Returns
    -------
    gap : float
        The duality gap reached.
    epochs : int
        Sweeps performed.
    """
    return _solve(
        problem.data, problem.indices, problem.indptr, problem.v, problem.mu, problem.colv,
        problem.norm2, problem.y, w, r, state, grad, float(l1), float(l2), bool(positive),
        float(tol), int(max_epochs), int(p0), bool(warm),
    )  # fmt: skip
