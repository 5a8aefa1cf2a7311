"""How far an incrementally updated residual (or gradient) can have drifted from the one
its coefficients define, and what that drift can do to a duality gap (numba).

The coordinate-descent kernels update the residual ``R = y − Xw`` (or the gradient
``q = Xᵀy − Gw``) by ``δ·x_j`` (``δ·G_j``) at every coordinate update, each update
rounded.  Over a long solve on an ill-conditioned raw design the accumulated rounding
misstates the duality gap: by 8% at ``tol=1e-6`` for the sparse kernel on NIST Longley.
Rebuilding the residual in double-double before every stop is exact but costs a pass
over the support (and, for the residual layouts, over the data for the gradient), which
on an easy path doubles the cost of a penalty.  The kernels therefore bound the drift
from the updates made since the last rebuild (standard forward bounds, ``O(1)`` per
update) and :func:`gap_error` turns it into a bound on the error of the gap: a solve
stops on ``gap + bound ≤ tol``, and rebuilds and looks again only when the bound could
decide the stop.

With ``u`` updates since the rebuild moving the coefficients by ``Σ|δ|·‖x_j‖``
(``moved``), the residual's entries have drifted by at most
``eps·(u·(‖R‖∞ + moved) + …)`` (each update rounds an entry no larger than
``‖R‖∞ + moved``); a feature's gradient ``Z_jᵀR`` then by that times ``‖Z_j‖₁ ≤
√(n·‖Z_j‖²)``.  On the Gram layout the gradient's own entries drift, by at most
``eps·(u·(|q_j| + ‖x_j‖·moved) + ‖x_j‖·moved)`` (``|G_jk| ≤ ‖x_j‖‖x_k‖``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.linalg.dd import _fma, _two_sum

__all__ = ["EPS", "gap_error", "gradient_errors", "rebuild"]

Float = NDArray[np.float64]

EPS = float(np.finfo(np.float64).eps)


@njit(cache=True)
def gradient_errors(
    gram_layout: bool,
    aux: Float,
    norm2: Float,
    count: float,
    moved: float,
    drift: float,
    err: Float,
) -> None:  # pragma: no cover - compiled
    """Bounds ``err[j]`` on the drift of each feature's gradient (see the module text).

    ``drift`` is the bound on the residual's entries (residual layouts); ``count`` and
    ``moved`` the updates and ``Σ|δ|·‖x_j‖`` since the rebuild (Gram layout).
    """
    root_n = np.sqrt(float(aux.shape[0]))
    for j in range(norm2.shape[0]):
        col = np.sqrt(norm2[j])
        if gram_layout:
            err[j] = EPS * (count * (abs(aux[j]) + col * moved) + col * moved)
        else:
            err[j] = drift * root_n * col


@njit(cache=True)
def gap_error(
    xta: Float,
    idx: NDArray[np.int64],
    m: int,
    w: Float,
    r_norm2: float,
    r2_err: float,
    err: Float,
    l1: float,
    l2: float,
    positive: bool,
) -> float:  # pragma: no cover - compiled
    """A bound on how much :func:`linmod.solvers.screening.duality_gap` can change when
    each ``xta[k]`` moves by up to ``err[idx[k]]`` and ``r_norm2`` by up to ``r2_err``.

    Formulation A, ``Σ(λ₁|w_j| − s·w_j·xta_j) + ½(1 − s)²(‖R‖² + λ₂‖w‖²)`` with
    ``s = min(1, λ₁/max|xta|)``: ``s`` ranges over ``[s_lo, s_hi]`` as the dual norm
    moves by the largest error, and each term is bounded over that range.  Formulation
    B, ``Σ xta_j²/(2λ₂)`` (or ``w_j(λ₂w_j − 2g_j)/2``): term by term.
    """
    if l1 > 0.0:
        dual = 0.0
        e_max = 0.0
        wx = 0.0
        we = 0.0
        w2 = 0.0
        for k in range(m):
            j = idx[k]
            v = xta[k] if positive else abs(xta[k])
            dual = max(dual, v)
            e_max = max(e_max, err[j])
            wx += w[j] * xta[k]
            we += abs(w[j]) * err[j]
            w2 += w[j] * w[j]
        s_lo = l1 / (dual + e_max) if dual + e_max > l1 else 1.0
        s_hi = l1 / (dual - e_max) if dual - e_max > l1 else 1.0
        q = r_norm2 + l2 * w2
        spread = (1.0 - s_lo) ** 2 - (1.0 - s_hi) ** 2
        return (
            s_hi * we
            + (s_hi - s_lo) * (abs(wx) + we)
            + 0.5 * spread * (q + r2_err)
            + 0.5 * (1.0 - s_lo) ** 2 * r2_err
        )
    total = 0.0
    for k in range(m):
        j = idx[k]
        e = err[j]
        total += (2.0 * abs(xta[k]) * e + e * e) / (2.0 * l2) + abs(w[j]) * e
    return total


@njit(cache=True)
def rebuild(
    gram_layout: bool,
    xt: Float,
    y: Float,
    gram: Float,
    xty: Float,
    w: Float,
    aux: Float,
    lo: Float,
) -> None:  # pragma: no cover - compiled
    """Recompute the residual ``y − Xw`` (or gradient ``Xᵀy − Gw``) from the support, in
    double-double (Ogita–Rump–Oishi ``Dot2``): as accurate as if computed in twice the
    working precision, then rounded once.

    In plain float64 the gradient ``Xᵀy − Gw`` of an ill-conditioned raw design is the
    difference of terms up to 1e11 times larger than itself (raw NIST Longley at
    ``alpha=1e-3``): each rebuild then moved it by 1e-4 of the penalty, a different amount
    at every bit-level change of ``w``, so the sweeps confirming a fixed point never
    settled.  Compensated, the rebuilt ``aux`` is a smooth function of ``w`` to ~1 ulp.
    ``lo`` (the length of ``aux``) is workspace.
    """
    base = xty if gram_layout else y
    for i in range(aux.shape[0]):
        aux[i] = base[i]
        lo[i] = 0.0
    for j in range(w.shape[0]):
        wj = w[j]
        if wj != 0.0:
            v = gram[j] if gram_layout else xt[j]
            for i in range(aux.shape[0]):
                prod = v[i] * wj
                err = _fma(v[i], wj, -prod)
                hi, t = _two_sum(aux[i], -prod)
                aux[i] = hi
                lo[i] += t - err
    for i in range(aux.shape[0]):
        aux[i] += lo[i]
