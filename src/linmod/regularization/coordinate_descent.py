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
    certificate is global.

Speed
    * Working sets (Massias et al., celer): each outer iteration ranks the features by
      how far they are from violating their optimality condition, solves the problem
      restricted to the support plus the best-ranked candidates (twice the support) to a
      fraction of the current gap, and checks the full gap again.
    * Gap-safe screening (Fercoq et al. 2015; Ndiaye et al. 2017): features whose dual
      constraint provably stays inactive at the optimum are removed for the rest of the
      solve at this penalty.
    * Anderson acceleration of the coordinate-descent iterates (Bertrand & Massias 2021):
      every ``K + 1`` epochs the last iterates are extrapolated and the extrapolation is
      kept when it lowers the objective.
    * Two data layouts: the residual ``R = y − Xw`` (any shape, ``O(n)`` per coordinate
      update) or, when ``n ≥ p``, the Gram matrix ``G = XᵀX`` with the gradient
      ``q = Xᵀy − Gw`` (``O(p)`` per update, no pass over the data at all).

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

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["ANDERSON_K", "enet_gram", "enet_residual"]

Float = NDArray[np.float64]

#: Number of past iterates combined by Anderson extrapolation (0 disables it).
ANDERSON_K = 5
#: The inner (working-set) problem is solved to this fraction of the outer gap.
_INNER_FRACTION = 0.3
#: The inner duality gap is evaluated every this many epochs (and on small updates).
_GAP_EVERY = 5


@numba.njit(inline="always", cache=True)
def _threshold(z: float, l1: float, positive: bool) -> float:
    """Soft-thresholding ``sign(z)·max(|z| − l1, 0)`` (one-sided when ``positive``)."""
    if z > l1:
        return z - l1
    if positive or z >= -l1:
        return 0.0
    return z + l1


@numba.njit(cache=True)
def _gap(
    xta: Float,
    idx: NDArray[np.int64],
    m: int,
    w: Float,
    r_norm2: float,
    r_y: float,
    l1: float,
    l2: float,
    positive: bool,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Duality gap over the features ``idx[:m]`` with ``xta[k] = X_jᵀR − λ₂w_j``.

    Returns the gap and the dual norm ``max_k xta[k]`` (absolute unless ``positive``).
    """
    w_l1 = 0.0
    w_l2 = 0.0
    dual = 0.0
    sq = 0.0
    for k in range(m):
        j = idx[k]
        wj = w[j]
        w_l1 += abs(wj)
        w_l2 += wj * wj
        v = xta[k]
        a = v if positive else abs(v)
        if a > dual:
            dual = a
        g = v + l2 * wj  # X_jᵀR
        if positive:
            g = max(g, 0.0)
        sq += g * g
    if l1 > 0.0:
        primal = 0.5 * (r_norm2 + l2 * w_l2) + l1 * w_l1
        scale = l1 / dual if dual > l1 else 1.0
        dual_obj = -0.5 * scale * scale * (r_norm2 + l2 * w_l2) + scale * r_y
        return primal - dual_obj, dual
    # Formulation B (ridge penalty only): the dual needs no feasibility scaling.
    return r_norm2 + 0.5 * l2 * w_l2 - r_y + sq / (2.0 * l2), dual


@numba.njit(cache=True)
def _screen_and_rank(
    xta: Float,
    norm2: Float,
    w: Float,
    excluded: NDArray[np.bool_],
    gap: float,
    dual: float,
    l1: float,
    l2: float,
    positive: bool,
    score: Float,
) -> NDArray[np.int64]:  # pragma: no cover - compiled
    """Gap-safe screening; return the features whose coefficient must be zeroed.

    ``score[j]`` receives the distance-like ranking ``(1 − |X_jᵀθ|/λ₁)/‖x_j‖`` used to
    build working sets (small = close to entering the model).
    """
    p = xta.shape[0]
    zeroed = np.empty(p, dtype=np.int64)
    nz = 0
    radius = np.sqrt(2.0 * abs(gap)) / l1
    theta = max(l1, dual)
    for j in range(p):
        if excluded[j]:
            continue
        v = xta[j] / theta
        a = v if positive else abs(v)
        d = (1.0 - a) / np.sqrt(norm2[j] + l2)
        score[j] = d
        if d > radius:
            excluded[j] = True
            if w[j] != 0.0:
                zeroed[nz] = j
                nz += 1
    return zeroed[:nz]


@numba.njit(cache=True)
def _kth_smallest(values: Float, k: int) -> float:  # pragma: no cover - compiled
    """The ``k``-th smallest (0-based) of ``values`` by quickselect (``values`` is reordered)."""
    lo = 0
    hi = values.shape[0] - 1
    while lo < hi:
        pivot = values[(lo + hi) // 2]
        i = lo
        j = hi
        while i <= j:
            while values[i] < pivot:
                i += 1
            while values[j] > pivot:
                j -= 1
            if i <= j:
                tmp = values[i]
                values[i] = values[j]
                values[j] = tmp
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return values[k]
    return values[k]


@numba.njit(cache=True)
def _working_set(
    w: Float,
    score: Float,
    excluded: NDArray[np.bool_],
    size: int,
    ws: NDArray[np.int64],
) -> tuple[int, bool]:  # pragma: no cover - compiled
    """Fill ``ws`` with the support plus the best-ranked other features, in index order.

    Returns the number of features and whether they are all the non-excluded ones.
    """
    p = w.shape[0]
    n_support = 0
    n_cand = 0
    for j in range(p):
        if not excluded[j]:
            if w[j] != 0.0:
                n_support += 1
            else:
                n_cand += 1
    room = size - n_support
    full = room >= n_cand
    cut = np.inf
    if not full and room > 0:
        scores = np.empty(n_cand)
        k = 0
        for j in range(p):
            if not excluded[j] and w[j] == 0.0:
                scores[k] = score[j]
                k += 1
        cut = _kth_smallest(scores, room - 1)
    m = 0
    added = 0
    for j in range(p):
        if excluded[j]:
            continue
        if w[j] != 0.0:
            ws[m] = j
            m += 1
        elif full or (room > 0 and added < room and score[j] <= cut):
            ws[m] = j
            m += 1
            added += 1
    return m, full


@numba.njit(cache=True)
def _anderson_weights(hist: Float, m: int, c: Float) -> bool:  # pragma: no cover - compiled
    """Extrapolation weights from ``K + 1`` stored iterates (``hist[:, :m]``).

    Solves ``(UUᵀ) z = 1`` for the successive differences ``U`` and normalises
    ``c = z / Σz``.  Returns False when the system is numerically singular.
    """
    k = hist.shape[0] - 1
    mat = np.empty((k, k))
    for a in range(k):
        for b in range(a, k):
            s = 0.0
            for t in range(m):
                s += (hist[a + 1, t] - hist[a, t]) * (hist[b + 1, t] - hist[b, t])
            mat[a, b] = s
            mat[b, a] = s
    # Cholesky of the small Gram matrix of differences, then two triangular solves.
    big = 0.0
    for a in range(k):
        big = max(big, mat[a, a])
    if big <= 0.0:
        return False
    for a in range(k):
        for b in range(a + 1):
            s = mat[a, b]
            for t in range(b):
                s -= mat[a, t] * mat[b, t]
            if a == b:
                if s <= 1e-14 * big:
                    return False
                mat[a, a] = np.sqrt(s)
            else:
                mat[a, b] = s / mat[b, b]
    total = 0.0
    for a in range(k):
        s = 1.0
        for t in range(a):
            s -= mat[a, t] * c[t]
        c[a] = s / mat[a, a]
    for a in range(k - 1, -1, -1):
        s = c[a]
        for t in range(a + 1, k):
            s -= mat[t, a] * c[t]
        c[a] = s / mat[a, a]
        total += c[a]
    if total == 0.0 or not np.isfinite(total):
        return False
    for a in range(k):
        c[a] /= total
    return True


@numba.njit(cache=True)
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


@numba.njit(cache=True)
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
) -> tuple[float, float]:  # pragma: no cover - compiled
    """One cyclic sweep over ``ws[:m]``; returns the largest change and largest |w_j|."""
    d_max = 0.0
    w_max = 0.0
    for k in range(m):
        j = ws[k]
        wj = w[j]
        g = aux[j] if gram_layout else np.dot(xt[j], aux)
        new = _threshold(g + wj * norm2[j], l1, positive) / (norm2[j] + l2)
        if new != wj:
            _coordinate(gram_layout, xt, gram, aux, w, j, new - wj)
            w[j] = new
            d_max = max(d_max, abs(new - wj))
        w_max = max(w_max, abs(new))
    return d_max, w_max


@numba.njit(cache=True)
def _fit_terms(
    gram_layout: bool,
    aux: Float,
    y: Float,
    xty: Float,
    y_norm2: float,
    w: Float,
    idx: NDArray[np.int64],
    m: int,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """``(‖R‖², Rᵀy)``; on the Gram layout from ``‖y‖²``, ``wᵀXᵀy`` and ``wᵀq`` over the
    support (which ``idx[:m]`` must contain)."""
    if not gram_layout:
        return np.dot(aux, aux), np.dot(aux, y)
    wc = 0.0
    wq = 0.0
    for k in range(m):
        j = idx[k]
        wc += w[j] * xty[j]
        wq += w[j] * aux[j]
    return max(y_norm2 - wc - wq, 0.0), y_norm2 - wc


@numba.njit(cache=True)
def _objective(
    gram_layout: bool,
    w_ws: Float,
    aux: Float,
    xty: Float,
    ws: NDArray[np.int64],
    m: int,
    l1: float,
    l2: float,
) -> float:  # pragma: no cover - compiled
    """The objective up to a constant, for coefficients ``w_ws`` on ``ws[:m]``.

    Residual layout: ``½‖R‖² + penalty``; Gram layout: ``−½wᵀ(Xᵀy + q) + penalty``
    (``½wᵀGw − wᵀXᵀy`` with ``Gw = Xᵀy − q``).
    """
    s1 = 0.0
    s2 = 0.0
    fit = 0.0
    for k in range(m):
        v = w_ws[k]
        s1 += abs(v)
        s2 += v * v
        if gram_layout:
            fit -= 0.5 * v * (xty[ws[k]] + aux[ws[k]])
    if not gram_layout:
        fit = 0.5 * np.dot(aux, aux)
    return fit + l1 * s1 + 0.5 * l2 * s2


@numba.njit(cache=True)
def _anderson_step(
    gram_layout: bool,
    w: Float,
    aux: Float,
    xty: Float,
    ws: NDArray[np.int64],
    m: int,
    w_hist: Float,
    aux_hist: Float,
    stored: int,
    coef: Float,
    w_acc: Float,
    aux_acc: Float,
    l1: float,
    l2: float,
    positive: bool,
) -> int:  # pragma: no cover - compiled
    """Store the iterate; every ``K + 1`` iterates try the extrapolation.

    ``aux`` is affine in ``w``, so the same weights extrapolate it exactly.  The
    extrapolated point replaces the iterate only if it lowers the objective (and, with
    ``positive``, stays feasible).  Returns the new number of stored iterates.
    """
    kk = w_hist.shape[0] - 1
    n_aux = aux.shape[0]
    for k in range(m):
        w_hist[stored, k] = w[ws[k]]
    for i in range(n_aux):
        aux_hist[stored, i] = aux[i]
    stored += 1
    if stored <= kk:
        return stored
    if not _anderson_weights(w_hist, m, coef):
        return 0
    for k in range(m):
        v = 0.0
        for t in range(kk):
            v += coef[t] * w_hist[t + 1, k]
        if positive and v < 0.0:
            return 0
        w_acc[k] = v
    for i in range(n_aux):
        v = 0.0
        for t in range(kk):
            v += coef[t] * aux_hist[t + 1, i]
        aux_acc[i] = v
    before = _objective(gram_layout, w_hist[kk], aux, xty, ws, m, l1, l2)
    after = _objective(gram_layout, w_acc, aux_acc, xty, ws, m, l1, l2)
    if after < before:
        for k in range(m):
            w[ws[k]] = w_acc[k]
        for i in range(n_aux):
            aux[i] = aux_acc[i]
    return 0


@numba.njit(cache=True)
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
) -> tuple[float, int]:  # pragma: no cover - compiled
    """The working-set coordinate-descent solver for either layout (see the module text).

    ``aux`` is the residual (residual layout) or the gradient ``q`` (Gram layout, where
    ``grad`` aliases it).
    """
    p = w.shape[0]
    if not warm:
        if gram_layout:
            aux[:] = xty
        else:
            aux[:] = y
        for j in range(p):
            if norm2[j] == 0.0:
                w[j] = 0.0
            if w[j] != 0.0:
                _coordinate(gram_layout, xt, gram, aux, w, j, w[j])
    fresh = warm
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
    aux_hist = np.empty((kk + 1, aux.shape[0]))
    coef = np.empty(kk)
    w_acc = np.empty(p)
    aux_acc = np.empty(aux.shape[0])
    stalled = False
    while True:
        if not (fresh or gram_layout):
            np.dot(xt, aux, grad)
        fresh = False
        for j in range(p):
            xta[j] = grad[j] - l2 * w[j]
        r_norm2, r_y = _fit_terms(gram_layout, aux, y, xty, y_norm2, w, all_idx, p)
        gap, dual = _gap(xta, all_idx, p, w, r_norm2, r_y, l1, l2, positive)
        if gap <= tol or epochs >= max_epochs or stalled:
            break
        if screen:
            zeroed = _screen_and_rank(xta, norm2, w, excluded, gap, dual, l1, l2, positive, score)
            for j in zeroed:
                _coordinate(gram_layout, xt, gram, aux, w, j, -w[j])
                w[j] = 0.0
        nnz = 0
        for j in range(p):
            if w[j] != 0.0:
                nnz += 1
        size = max(p0, nnz + max(p0, nnz // 2)) if screen else p
        m, full = _working_set(w, score, excluded, size, ws)
        if m == 0:
            stalled = True  # everything screened out: w = 0; confirm the gap and stop
            continue
        tol_in = tol if full else max(_INNER_FRACTION * gap, tol)
        stored = 0
        for epoch in range(max_epochs - epochs):
            d_max, w_max = _epoch(gram_layout, xt, gram, aux, w, norm2, ws, m, l1, l2, positive)
            epochs += 1
            if anderson > 0:
                stored = _anderson_step(
                    gram_layout, w, aux, xty, ws, m, w_hist, aux_hist, stored, coef,
                    w_acc, aux_acc, l1, l2, positive,
                )  # fmt: skip
            if epochs >= max_epochs:
                break
            if epoch % _GAP_EVERY == 0 or d_max <= 1e-3 * w_max or w_max == 0.0:
                for k in range(m):
                    j = ws[k]
                    g = aux[j] if gram_layout else np.dot(xt[j], aux)
                    xta[k] = g - l2 * w[j]
                r_norm2, r_y = _fit_terms(gram_layout, aux, y, xty, y_norm2, w, ws, m)
                gap_in, _ = _gap(xta, ws, m, w, r_norm2, r_y, l1, l2, positive)
                if gap_in <= tol_in:
                    break
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

    Returns
    -------
    gap : float
        The duality gap reached.
    epochs : int
        Sweeps performed.
    """
    return _solve(
        False, xt, y, _EMPTY_2D, _EMPTY, 0.0, w, r, grad, norm2, l1, l2, positive, tol,
        max_epochs, p0, anderson, warm,
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
    l1, l2, positive, tol, max_epochs, p0, anderson, warm
        As for :func:`enet_residual`.

    Returns
    -------
    gap : float
    epochs : int
    """
    norm2 = np.ascontiguousarray(np.diag(gram))
    return _solve(
        True, _EMPTY_2D, _EMPTY, gram, xty, y_norm2, w, q, q, norm2, l1, l2, positive, tol,
        max_epochs, p0, anderson, warm,
    )  # fmt: skip


_EMPTY = np.zeros(0)
_EMPTY_2D = np.zeros((0, 0))
