"""Anderson acceleration of coordinate descent (Bertrand & Massias, AISTATS 2021).

Every ``K + 1`` epochs the last iterates ``w_0 … w_K`` (on the working set) are combined
as ``Σ c_k w_k`` with weights minimising the norm of the combined successive differences
(``c ∝ (UUᵀ)⁻¹1``, ``Σc = 1``).  The residual (or gradient), being affine in ``w``, is
extrapolated with the same weights.  The extrapolated point is kept only if it lowers the
objective, so acceleration can never slow convergence down; it pays off on
ill-conditioned problems (strongly correlated features, small penalties), where plain
cyclic coordinate descent crawls.

Compiled with numba (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit

__all__ = ["anderson_step", "anderson_weights", "objective"]

Float = NDArray[np.float64]


@njit(cache=True)
def anderson_weights(hist: Float, m: int, c: Float) -> bool:  # pragma: no cover - compiled
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


@njit(cache=True)
def objective(
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


@njit(cache=True)
def anderson_step(
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
) -> tuple[int, bool]:  # pragma: no cover - compiled
    """Store the iterate; every ``K + 1`` iterates try the extrapolation.

    ``aux`` is affine in ``w``, so the same weights extrapolate it (up to rounding
    amplified by the weights: the caller rebuilds it exactly before trusting a gap).  The
    extrapolated point replaces the iterate only if it lowers the objective (and, with
    ``positive``, stays feasible).  Returns the new number of stored iterates and whether
    an extrapolation was accepted.
    """
    kk = w_hist.shape[0] - 1
    n_aux = aux.shape[0]
    for k in range(m):
        w_hist[stored, k] = w[ws[k]]
    for i in range(n_aux):
        aux_hist[stored, i] = aux[i]
    stored += 1
    if stored <= kk:
        return stored, False
    if not anderson_weights(w_hist, m, coef):
        return 0, False
    for k in range(m):
        v = 0.0
        for t in range(kk):
            v += coef[t] * w_hist[t + 1, k]
        if positive and v < 0.0:
            return 0, False
        w_acc[k] = v
    for i in range(n_aux):
        v = 0.0
        for t in range(kk):
            v += coef[t] * aux_hist[t + 1, i]
        aux_acc[i] = v
    before = objective(gram_layout, w_hist[kk], aux, xty, ws, m, l1, l2)
    after = objective(gram_layout, w_acc, aux_acc, xty, ws, m, l1, l2)
    if after < before:
        for k in range(m):
            w[ws[k]] = w_acc[k]
        for i in range(n_aux):
            aux[i] = aux_acc[i]
        return 0, True
    return 0, False
