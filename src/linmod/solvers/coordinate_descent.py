"""Coordinate descent for the elastic net, compiled with numba.

The kernels minimise, for one penalty and a warm start,

    P(w) = ½‖y − Xw‖² + λ₁‖w‖₁ + (λ₂/2)‖w‖²        (w ≥ 0 when ``positive``)

on centred (and possibly standardised) data, which is scikit-learn's scaling of the
objective times ``n`` (``λ₁ = n·α·l1_ratio``, ``λ₂ = n·α·(1 − l1_ratio)``).

Stopping rule
    The duality gap ``P(w) − D(θ)`` at the dual point ``θ = R·min(1, λ₁/‖XᵀR − λ₂w‖∞)``
    ("formulation A" of scikit-learn's ``_cd_fast.pyx``; for ``λ₁ = 0`` the dual of
    Dünner et al., "formulation B") must fall below ``tol·‖y‖²``: exactly scikit-learn's
    convention, so ``tol`` means the same in both libraries.  The gap bounds the
    suboptimality ``P(w) − P(w*)`` and is evaluated on *every* feature, so the
    certificate is global.  The solve also stops, before ``max_iter``, at the float64
    limit: when the sweeps stop changing the coefficients or cycle bit for bit, from an
    exactly rebuilt residual, over every feature (:mod:`linmod.solvers.fixed_point`).

Speed
    * Working sets (Massias et al., celer): each outer iteration ranks the features by
      how far they are from violating their optimality condition, solves the problem
      restricted to the support plus the best-ranked candidates (half as many again, at
      least 10) to 0.3 times the current gap, and checks the full gap again
      (:mod:`linmod.solvers.screening`).
    * Gap-safe screening (Fercoq et al. 2015; Ndiaye et al. 2017): features whose dual
      constraint provably stays inactive at the optimum are removed for the rest of the
      solve at this penalty.
    * Anderson acceleration of the coordinate-descent iterates (Bertrand & Massias 2021,
      :mod:`linmod.solvers.anderson`): every ``K + 1`` epochs the last iterates are
      extrapolated and the extrapolation is kept when it lowers the objective by more
      than the rounding error of that decrease; the residual moves with the move made.
    * Along a path the residual and ``XᵀR`` of the previous penalty are reused, so a
      penalty that is already solved costs one pass less.
    * Two data layouts: the residual ``R = y − Xw`` (any shape, ``O(n)`` per coordinate
      update) or, when ``n ≥ p``, the Gram matrix ``G = XᵀX`` with the gradient
      ``q = Xᵀy − Gw`` (``O(p)`` per update, no pass over the data at all).

Accuracy
    The residual (or gradient) is rebuilt from ``w`` at the start, before confirming a
    fixed point, and before a stop whose gap the rounding accumulated by the updates
    could misstate across ``tol`` (bounded as the updates are made,
    :mod:`linmod.solvers.drift`), so a solve stops on ``gap ≤ tol`` only when the gap of
    the exact residual is.  The rebuild is done in double-double and rounded once
    (:func:`linmod.solvers.drift.rebuild`).  On the Gram layout this is what lets the
    solve stop at the float64 limit: ``q`` is the difference of ``Xᵀy`` and ``Gw``, on
    raw NIST Longley up to 1e11 times larger than ``q`` itself, so a float64 rebuild
    moved it by a different rounding error at every bit-level change of ``w``, and the
    confirming sweeps never settled (a Lasso at ``alpha=1e-3``, ``tol=1e-16`` ran to
    ``max_iter``, with or without Anderson).

All arrays are float64 and C-contiguous; the design is passed *transposed* (``xt`` of
shape ``(p, n)``, i.e. the columns of X as contiguous rows) so that each column is a
contiguous vector for the BLAS ``dot``.

References
----------
J. Friedman, T. Hastie, R. Tibshirani, "Regularization paths for generalized linear
models via coordinate descent", J. Stat. Softw. 33 (2010).
O. Fercoq, A. Gramfort, J. Salmon, "Mind the duality gap: safer rules for the Lasso",
ICML 2015.
M. Massias, A. Gramfort, J. Salmon, "Celer: a fast solver for the Lasso with dual
extrapolation", ICML 2018.
Q. Bertrand, M. Massias, "Anderson acceleration of coordinate descent", AISTATS 2021.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.solvers.anderson import anderson_step
from linmod.solvers.drift import EPS, gap_error, gradient_errors, rebuild
from linmod.solvers.fixed_point import CYCLE, snapshot, stuck
from linmod.solvers.screening import duality_gap, screen_and_rank, working_set

__all__ = ["ANDERSON_K", "enet_gram", "enet_residual"]

Float = NDArray[np.float64]

#: Number of past iterates combined by Anderson extrapolation (0 disables it).
ANDERSON_K = 5
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
def _coordinate(
    gram_layout: bool,
    xt: Float,
    gram: Float,
    aux: Float,
    w: Float,
    j: int,
    delta: float,
) -> None:  # pragma: no cover - compiled
    """Account for ``w_j += delta`` in the residual (``R −= δx_j``) or gradient (``q −= δG_j``)."""
    v = gram[j] if gram_layout else xt[j]
    for i in range(aux.shape[0]):
        aux[i] -= delta * v[i]


@njit(cache=True)
def _epoch(
    gram_layout: bool,
    xt: Float,
    gram: Float,
    aux: Float,
    w: Float,
    norm2: Float,
    ws: NDArray[np.int64],
    m: int,
    l1: float,
    l2: float,
    positive: bool,
) -> tuple[float, float, int, float]:  # pragma: no cover - compiled
    """One cyclic sweep over ``ws[:m]``; returns the largest change, the largest |w_j|,
    the number of updates and ``Σ|δ|·‖x_j‖`` over them (for :mod:`~linmod.solvers.drift`)."""
    d_max = 0.0
    w_max = 0.0
    count = 0
    moved = 0.0
    for k in range(m):
        j = ws[k]
        wj = w[j]
        g = aux[j] if gram_layout else np.dot(xt[j], aux)
        new = _threshold(g + wj * norm2[j], l1, positive) / (norm2[j] + l2)
        if new != wj:
            _coordinate(gram_layout, xt, gram, aux, w, j, new - wj)
            w[j] = new
            d_max = max(d_max, abs(new - wj))
            count += 1
            moved += abs(new - wj) * np.sqrt(norm2[j])
        w_max = max(w_max, abs(new))
    return d_max, w_max, count, moved


@njit(cache=True)
def _fit_terms(
    gram_layout: bool,
    aux: Float,
    y: Float,
    xty: Float,
    y_norm2: float,
    w: Float,
    idx: NDArray[np.int64],
    m: int,
) -> float:  # pragma: no cover - compiled
    """``‖R‖²``; on the Gram layout from ``‖y‖²``, ``wᵀXᵀy`` and ``wᵀq`` over the support
    (which ``idx[:m]`` must contain)."""
    if not gram_layout:
        return float(np.dot(aux, aux))
    wc = 0.0
    wq = 0.0
    for k in range(m):
        j = idx[k]
        wc += w[j] * xty[j]
        wq += w[j] * aux[j]
    return max(y_norm2 - wc - wq, 0.0)


@njit(cache=True)
def _solve(
    gram_layout: bool,
    xt: Float,
    y: Float,
    gram: Float,
    xty: Float,
    y_norm2: float,
    w: Float,
    aux: Float,
    grad: Float,
    norm2: Float,
    l1: float,
    l2: float,
    positive: bool,
    tol: float,
    max_epochs: int,
    p0: int,
    anderson: int,
    warm: bool,
    track: Float,
) -> tuple[float, int]:  # pragma: no cover - compiled
    """The working-set coordinate-descent solver for either layout (see the module text).

    ``aux`` is the residual (residual layout) or the gradient ``q`` (Gram layout, where
    ``grad`` aliases it).  ``track`` records how far ``aux`` may have drifted since it
    was last rebuilt (:mod:`linmod.solvers.drift`): updates, ``Σ|δ|·‖x_j‖`` over them,
    and the bound on the residual's entries; read when ``warm``, written on exit.
    """
    p = w.shape[0]
    for j in range(p):
        if norm2[j] == 0.0 and w[j] != 0.0:
            w[j] = 0.0
            warm = False
    fresh = warm
    dirty = not warm  # whether aux must be rebuilt from w
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
    kk = max(anderson, 1)
    w_hist = np.empty((kk + 1, p))
    coef = np.empty(kk)
    w_acc = np.empty(p)
    # Workspace: the low parts of rebuild; X·d (G·d), its magnitude and aux's error bound
    # for anderson_step.
    work = np.empty((3, aux.shape[0]))
    stalled = False
    idle = False  # stuck (fixed_point.stuck): rebuild aux and confirm on every feature
    fixed = False  # stuck again within CYCLE sweeps of that: the float64 limit, stop
    snap = np.empty(p)  # w on the working set, for cycles within an inner solve
    outer_snap = np.empty(p)  # all of w, for cycles across inner solves
    outer_age = snapshot(w, all_idx, p, outer_snap)
    # The drift of aux since it was last rebuilt (here, or on the exit of the solve that
    # left it warm): updates, Σ|δ|·‖x_j‖ over them, and the residual's bound (drift.py).
    count, moved, drift = (track[0], track[1], track[2]) if warm else (0.0, 0.0, 0.0)
    r_big = 0.0
    err = np.empty(p)
    while True:
        if dirty:
            rebuild(gram_layout, xt, y, gram, xty, w, aux, work[0])
            dirty = False
            fresh = False
            count = moved = drift = 0.0
        if not (fresh or gram_layout):
            np.dot(xt, aux, grad)
        fresh = False
        for j in range(p):
            xta[j] = grad[j] - l2 * w[j]
        r_norm2 = _fit_terms(gram_layout, aux, y, xty, y_norm2, w, all_idx, p)
        gap, dual = duality_gap(xta, all_idx, p, w, r_norm2, l1, l2, positive)
        bound = 0.0
        if count > 0.0:
            r2_err = 0.0
            gradient_errors(gram_layout, aux, norm2, count, moved, drift, err)
            if gram_layout:
                for j in range(p):
                    r2_err += abs(w[j]) * err[j]
            else:
                r2_err = drift * (2.0 * np.sqrt(aux.shape[0] * r_norm2) + aux.shape[0] * drift)
            bound = gap_error(xta, all_idx, p, w, r_norm2, r2_err, err, l1, l2, positive)
        if gap + bound <= tol or fixed:
            break
        if gap <= tol or epochs >= max_epochs or stalled:
            # The drift could decide the stop (or misstate the gap reported at a stop):
            # rebuild aux and look again.
            if count == 0.0 or (gap > tol and bound <= 1e-3 * gap):
                break
            dirty = True
            continue
        if not gram_layout:
            r_big = 0.0
            for i in range(aux.shape[0]):
                r_big = max(r_big, abs(aux[i]))
            r_big += drift
        verify = idle  # aux was rebuilt exactly: sweep every feature to confirm
        idle = False
        if screen:
            zeroed = screen_and_rank(xta, norm2, w, excluded, gap, dual, l1, l2, positive, score)
            verify = verify and zeroed.shape[0] == 0  # zeroing moved w and aux
            for j in zeroed:
                _coordinate(gram_layout, xt, gram, aux, w, j, -w[j])
                moved += abs(w[j]) * np.sqrt(norm2[j])
                r_big += abs(w[j]) * np.sqrt(norm2[j])
                drift += EPS * r_big
                count += 1.0
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
        stored = 0
        age = snapshot(w, ws, m, snap)
        for epoch in range(max_epochs - epochs):
            d_max, w_max, n_up, mv = _epoch(
                gram_layout, xt, gram, aux, w, norm2, ws, m, l1, l2, positive
            )
            epochs += 1
            drift += EPS * n_up * (r_big + mv)
            r_big += mv
            count += n_up
            moved += mv
            repeat, age = stuck(d_max, w, ws, m, snap, age)
            if repeat:  # further sweeps repeat earlier ones
                fixed = verify and epoch < CYCLE
                idle = not fixed
                break
            if anderson > 0:
                # An accepted extrapolation moves aux by X·d (G·d) for the move d made,
                # as coordinate updates would; aux is rebuilt only when its drift could
                # decide whether to extrapolate.
                stored, jumped, rebuilt = anderson_step(
                    gram_layout, xt, y, gram, xty, w, aux, ws, m, w_hist, stored, coef,
                    w_acc, work, norm2, (count, moved, drift), l1, l2, positive,
                )  # fmt: skip
                if rebuilt:  # to decide on an exact aux
                    count = moved = drift = 0.0
                if jumped:  # m updates at once, each entry a sum of m terms
                    mv = 0.0
                    for k in range(m):
                        mv += abs(w[ws[k]] - w_hist[kk, k]) * np.sqrt(norm2[ws[k]])
                    drift += EPS * (m + 1) * (r_big + mv)
                    r_big += mv
                    count += m + 1
                    moved += mv
            if epochs >= max_epochs:
                break
            if epoch % _GAP_EVERY == 0 or d_max <= 1e-3 * w_max or w_max == 0.0:
                for k in range(m):
                    j = ws[k]
                    g = aux[j] if gram_layout else np.dot(xt[j], aux)
                    xta[k] = g - l2 * w[j]
                r_norm2 = _fit_terms(gram_layout, aux, y, xty, y_norm2, w, ws, m)
                gap_in, _ = duality_gap(xta, ws, m, w, r_norm2, l1, l2, positive)
                if gap_in <= tol_in:
                    break
        if not (idle or fixed):  # a cycle of inner solves (one sweep each, say)?
            idle, outer_age = stuck(1.0, w, all_idx, p, outer_snap, outer_age)
        dirty = dirty or idle
    track[0] = count
    track[1] = moved
    track[2] = drift
    return gap, epochs


def enet_residual(
    xt: Float,
    y: Float,
    w: Float,
    r: Float,
    grad: Float,
    norm2: Float,
    l1: float,
    l2: float,
    positive: bool,
    tol: float,
    max_epochs: int,
    p0: int,
    anderson: int,
    warm: bool,
    track: Float | None = None,
) -> tuple[float, int]:
    """Solve one elastic-net problem by coordinate descent on the residual.

    Parameters
    ----------
    xt : ndarray of shape (p, n)
        The (centred, scaled) design transposed: row ``j`` is column ``j`` of X.
    y : ndarray of shape (n,)
        The (centred) response.
    w : ndarray of shape (p,)
        Warm start on entry, solution on exit.
    r : ndarray of shape (n,)
        On exit the residual ``y − Xw`` (on entry too when ``warm``).
    grad : ndarray of shape (p,)
        On exit ``XᵀR`` at the solution (on entry too when ``warm``).
    norm2 : ndarray of shape (p,)
        Squared column norms ``‖x_j‖²``.
    l1, l2 : float
        Penalties ``λ₁ ≥ 0`` and ``λ₂ ≥ 0`` (not both zero).
    positive : bool
        Constrain ``w ≥ 0``.
    tol : float
        Absolute duality-gap tolerance (``tol·‖y‖²`` in scikit-learn's terms).
    max_epochs : int
        Maximum number of coordinate-descent sweeps.
    p0 : int
        Smallest working-set size.
    anderson : int
        Number of iterates for Anderson extrapolation (0 = off).
    warm : bool
        Whether ``r`` and ``grad`` already match ``w`` (as they do on exit, so a path
        passes them on and saves one pass over the data per penalty).
    track : ndarray of shape (3,), optional
        How far ``r`` may have drifted from ``y − Xw`` (:mod:`linmod.solvers.drift`):
        written on exit, read on entry when ``warm`` (a path passes it on with ``r``;
        without it a warm ``r`` is taken as exact).

    Returns
    -------
    gap : float
        The duality gap reached.
    epochs : int
        Sweeps performed.
    """
    return _solve(
        False, xt, y, _EMPTY_2D, _EMPTY, 0.0, w, r, grad, norm2, l1, l2, positive, tol,
        max_epochs, p0, anderson, warm, np.zeros(3) if track is None else track,
    )  # fmt: skip


def enet_gram(
    gram: Float,
    xty: Float,
    y_norm2: float,
    w: Float,
    q: Float,
    l1: float,
    l2: float,
    positive: bool,
    tol: float,
    max_epochs: int,
    p0: int,
    anderson: int,
    warm: bool,
    norm2: Float | None = None,
    track: Float | None = None,
) -> tuple[float, int]:
    """Solve one elastic-net problem by coordinate descent on the Gram matrix.

    Parameters
    ----------
    gram : ndarray of shape (p, p)
        ``XᵀX`` of the centred (scaled) design.
    xty : ndarray of shape (p,)
        ``Xᵀy``.
    y_norm2 : float
        ``‖y‖²``.
    w : ndarray of shape (p,)
        Warm start on entry, solution on exit.
    q : ndarray of shape (p,)
        On exit the gradient ``XᵀR = Xᵀy − Gw`` (on entry too when ``warm``).
    l1, l2, positive, tol, max_epochs, p0, anderson, warm, track
        As for :func:`enet_residual` (``track`` for ``q``).
    norm2 : ndarray of shape (p,), optional
        The contiguous diagonal of ``gram``, when the caller solves many penalties on one
        Gram matrix (computed here otherwise).

    Returns
    -------
    gap : float
    epochs : int
    """
    if norm2 is None:
        norm2 = np.ascontiguousarray(np.diag(gram))
    return _solve(
        True, _EMPTY_2D, _EMPTY, gram, xty, y_norm2, w, q, q, norm2, l1, l2, positive, tol,
        max_epochs, p0, anderson, warm, np.zeros(3) if track is None else track,
    )  # fmt: skip


_EMPTY = np.zeros(0)
_EMPTY_2D = np.zeros((0, 0))
