"""Coordinate descent for the elastic net on a sparse design, centred implicitly (numba).

The kernel minimises, for one penalty and a warm start,

    P(w) = ½‖y − Zw‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖²        (w ≥ 0 when ``positive``)

with ``Z = X̃ − v μ̃ᵀ`` the implicitly centred, scaled design of a
:class:`~linmod.solvers.sparse_problem.SparseProblem` (CSC arrays ``data``, ``indices``,
``indptr``): the problem, objective, stopping rule and screening of
:mod:`linmod.solvers.coordinate_descent`, on the stored values only.

Implicit centring
    The residual ``R = y − Zw`` is held as ``R = r + c·v``: ``r`` dense, updated only at
    the stored rows of a column, and the scalar ``c`` the offset accumulated since the
    last duality-gap evaluation.  The coordinate gradient is ``Z_jᵀR = X̃_jᵀr − μ̃_j t``
    with ``t = vᵀr`` (the terms in ``c`` cancel because ``μ̃_j = X̃_jᵀv / vᵀv``), so an
    update of ``w_j`` costs the column's stored values plus O(1): ``r −= δ x̃_j`` on its
    rows, ``t −= δ X̃_jᵀv``, ``c += δ μ̃_j``.  (scikit-learn's sparse solver adds ``δ μ_j``
    to all ``n`` residuals at every update instead.)  Every duality-gap evaluation, a pass
    over ``r`` anyway, folds the offset in (``r += c·v``, ``c = 0``) and recomputes ``t``,
    so ``r`` stays the centred residual: an offset left to grow to ``μ̃ᵀw`` (the size of
    the intercept, 3.5e6 on raw NIST Longley against residuals of 455) rounded every
    update and every gradient at its scale, and the gap stalled at 2e-3·‖y‖².  A column
    with every row stored is centred term by term in the gradient (:func:`_gradient`).
    As in the dense kernels, the residual is rebuilt in double-double (:func:`_rebuild`)
    before confirming a fixed point and before a stop whose gap the rounding accumulated
    by the updates could misstate across ``tol`` (:mod:`linmod.solvers.drift`, the bound
    kept in ``track``), so the solve stops at the float64 limit as they do and its gap
    is that of the exact residual.

Speed
    Working sets and gap-safe screening exactly as the dense kernels
    (:func:`~linmod.solvers.screening.working_set`,
    :func:`~linmod.solvers.screening.screen_and_rank`): an epoch touches only the
    working set's stored values; the full gradient (one pass over all stored values) is
    formed once per outer iteration.  Along a path the residual and the gradient of the
    previous penalty are reused.  (No Anderson extrapolation: extrapolating the
    dense ``r`` would cost O(n) per epoch, more than a sparse epoch.)

The duality gap is computed over every feature, so ``gap ≤ tol`` certifies the solution
(scikit-learn's ``tol·‖y‖²`` convention) exactly as in the dense kernels; the solve stops
early at the float64 limit as they do (:mod:`linmod.solvers.fixed_point`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.linalg.dd import _fma, _two_sum
from linmod.solvers.drift import EPS, gap_error, gradient_errors
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
def _gradient(
    data: Float, indices: Int, indptr: Int, v: Float, mu: Float, j: int, r: Float, t: float
) -> float:  # pragma: no cover - compiled
    """``Z_jᵀR = X̃_jᵀr − μ̃_j t`` over the stored values of column ``j``.

    A column with every row stored is centred term by term, ``Σᵢ (x̃ᵢⱼ − μ̃ⱼvᵢ) rᵢ``
    (equal in exact arithmetic, ``t = vᵀr``): in the uncentred form the terms are as
    large as the column's mean, not its spread (400 times larger for the Year of raw
    NIST Longley), and their rounding, a different one at every bit-level change of
    ``r``, kept the sweeps from settling at the float64 limit.
    """
    s = 0.0
    start = indptr[j]
    stop = indptr[j + 1]
    n = r.shape[0]
    if stop - start == n:  # rows 0 … n − 1 in order (the problem's CSC is canonical)
        m = mu[j]
        col = data[start:stop]
        for i in range(n):
            s += (col[i] - m * v[i]) * r[i]
        return s
    for k in range(start, stop):
        s += data[k] * r[indices[k]]
    return s - mu[j] * t


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
    big: float,
    track: Float,
) -> None:  # pragma: no cover - compiled
    """Account for ``w_j += δ``: ``r −= δ x̃_j``, ``t −= δ X̃_jᵀv``, ``c += δ μ̃_j``; and in
    ``track`` the drift this rounds into ``r`` (``big`` bounds ``|x̃_ij|``; see
    :func:`_track`)."""  # fmt: skip
    for k in range(indptr[j], indptr[j + 1]):
        r[indices[k]] -= delta * data[k]
    state[1] -= delta * colv[j]
    state[0] += delta * mu[j]
    track[1] += abs(delta) * big
    track[0] += EPS * track[1]
    track[2] += abs(delta * mu[j])
    track[3] += 1.0
    track[4] += 1.0


@njit(cache=True)
def _track(r: Float, track: Float) -> None:  # pragma: no cover - compiled
    """Reset ``track`` for an exactly rebuilt ``r``.

    ``track`` bounds how far ``r + c·v`` has drifted from ``y − Zw`` since the rebuild
    (:mod:`linmod.solvers.drift`): ``[drift of any entry, bound on ‖r‖∞, bound on |c|
    since the last fold, updates since the last fold, updates since the rebuild]``.
    """
    big = 0.0
    for i in range(r.shape[0]):
        big = max(big, abs(r[i]))
    track[0] = 0.0
    track[1] = big
    track[2] = 0.0
    track[3] = 0.0
    track[4] = 0.0


@njit(cache=True)
def _residual_terms(
    r: Float, v: Float, state: Float, track: Float
) -> float:  # pragma: no cover - compiled
    """Fold the offset into the residual (``r += c·v``, ``c = 0``), recompute ``t = vᵀr``
    exactly (into ``state[1]``) and return ``‖R‖² = ‖r‖²``.

    Folding keeps ``r`` the centred residual itself: left to accumulate, ``c = μ̃ᵀw`` is
    the size of the intercept (3.5e6 on raw NIST Longley, where ``‖R‖∞`` is 455), ``r``
    holds ``R − c·v``, and every later update of ``r`` and every gradient ``X̃_jᵀr − μ̃_j t``
    is rounded at that scale: the duality gap then stalled at 2e-3·‖y‖².
    """
    c = state[0]
    t = 0.0
    s = 0.0
    v_big = 0.0
    r_big = 0.0
    for i in range(r.shape[0]):
        e = r[i] + c * v[i]
        r[i] = e
        t += v[i] * e
        s += e * e
        v_big = max(v_big, v[i])
        r_big = max(r_big, abs(e))
    state[0] = 0.0
    state[1] = t
    # c carries the rounding of its updates; the fold rounds c·vᵢ and the sum.
    c_big = track[2]
    track[0] += EPS * (track[3] * c_big * v_big + track[1] + 2.0 * c_big * v_big)
    track[1] = r_big + track[0]
    track[2] = 0.0
    track[3] = 0.0
    return s


@njit(cache=True)
def _rebuild(
    data: Float,
    indices: Int,
    indptr: Int,
    mu: Float,
    y: Float,
    v: Float,
    w: Float,
    r: Float,
    state: Float,
    track: Float,
) -> None:  # pragma: no cover - compiled
    """Recompute the centred residual ``R = y − X̃w + v·(μ̃ᵀw)`` into ``r`` (``c = 0``).

    In double-double (Ogita–Rump–Oishi ``Dot2``), rounded once: ``y − X̃w`` and ``v·μ̃ᵀw``
    are each of the size of the intercept and cancel to ``R``, so in float64 the rebuilt
    residual would carry an error of ``eps·|intercept|`` (and, the offset not being exact,
    a different one at every bit-level change of ``w``).  ``state[1]`` receives ``vᵀR``.
    """
    n = r.shape[0]
    lo = np.zeros(n)
    for i in range(n):
        r[i] = y[i]
    c_hi = 0.0
    c_lo = 0.0
    for j in range(w.shape[0]):
        wj = w[j]
        if wj == 0.0:
            continue
        prod = mu[j] * wj
        c_hi, t = _two_sum(c_hi, prod)
        c_lo += t + _fma(mu[j], wj, -prod)
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            prod = data[k] * wj
            err = _fma(data[k], wj, -prod)
            hi, t = _two_sum(r[i], -prod)
            r[i] = hi
            lo[i] += t - err
    if c_hi != 0.0:
        for i in range(n):
            prod = v[i] * c_hi
            err = _fma(v[i], c_hi, -prod)
            hi, t = _two_sum(r[i], prod)
            r[i] = hi
            lo[i] += t + err + v[i] * c_lo
    t = 0.0
    for i in range(n):
        r[i] += lo[i]
        t += v[i] * r[i]
    state[0] = 0.0
    state[1] = t
    _track(r, track)


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
    track = state[2:]  # the drift record (_track), carried along a path with r
    if not warm:
        _rebuild(data, indices, indptr, mu, y, v, w, r, state, track)
    v_big = 0.0
    for i in range(v.shape[0]):
        v_big = max(v_big, v[i])
    big = np.empty(p)  # bounds on |x̃_ij| = |Z_ij + μ̃_j v_i|
    for j in range(p):
        big[j] = np.sqrt(norm2[j]) + abs(mu[j]) * v_big
    err = np.empty(p)
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
    refresh = False
    while True:
        if idle or refresh:  # rebuild before confirming a fixed point, or a stop
            _rebuild(data, indices, indptr, mu, y, v, w, r, state, track)
            fresh = False
            refresh = False
        r_norm2 = _residual_terms(r, v, state, track)
        if not fresh:
            t = state[1]
            for j in range(p):
                grad[j] = _gradient(data, indices, indptr, v, mu, j, r, t)
        fresh = False
        for j in range(p):
            xta[j] = grad[j] - l2 * w[j]
        gap, dual = duality_gap(xta, all_idx, p, w, r_norm2, l1, l2, positive)
        bound = 0.0
        if track[4] > 0.0:  # r was updated since it was rebuilt: it may have drifted
            drift = track[0]
            gradient_errors(False, r, norm2, 0.0, 0.0, drift, err)
            r2_err = drift * (2.0 * np.sqrt(r.shape[0] * r_norm2) + r.shape[0] * drift)
            bound = gap_error(xta, all_idx, p, w, r_norm2, r2_err, err, l1, l2, positive)
        if gap + bound <= tol or fixed:
            break
        if gap <= tol or epochs >= max_epochs or stalled:
            # The drift could decide the stop (on raw NIST Longley it misstated a gap of
            # 1e-6·‖y‖² by 8%), or misstate the gap reported: rebuild r and look again.
            if track[4] == 0.0 or (gap > tol and bound <= 1e-3 * gap):
                break
            refresh = True
            continue
        verify = idle  # the residual was rebuilt: sweep every feature to confirm
        idle = False
        if screen:
            zeroed = screen_and_rank(xta, norm2, w, excluded, gap, dual, l1, l2, positive, score)
            verify = verify and zeroed.shape[0] == 0  # zeroing moved w and r
            for j in zeroed:
                _update(data, indices, indptr, colv, mu, r, state, j, -w[j], big[j], track)
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
                g = _gradient(data, indices, indptr, v, mu, j, r, state[1])
                new = _threshold(g + wj * norm2[j], l1, positive) / (norm2[j] + l2)
                if new != wj:
                    _update(data, indices, indptr, colv, mu, r, state, j, new - wj, big[j], track)
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
                r_in = _residual_terms(r, v, state, track)
                t = state[1]
                for k in range(m):
                    j = ws[k]
                    xta[k] = _gradient(data, indices, indptr, v, mu, j, r, t) - l2 * w[j]
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
        With ``state``, the residual ``R = y − Zw = r + c·v``: on exit ``R`` itself, to
        within the drift recorded in ``state`` (on entry too when ``warm``).
    state : ndarray of shape (7,)
        ``(c, t)`` with ``t = vᵀr`` (on exit ``(0, vᵀR)``), then the bound on how far
        ``r`` has drifted from ``y − Zw`` (:func:`_track`); on entry too when ``warm``.
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
