"""Anderson acceleration of coordinate descent (Bertrand & Massias, AISTATS 2021).

Every ``K + 1`` epochs the last iterates ``w_0 … w_K`` (on the working set) are combined
as ``Σ c_k w_k`` with weights minimising the norm of the combined successive differences
(``c ∝ (UUᵀ)⁻¹1``, ``Σc = 1``).  The extrapolated point is kept only if it lowers the
objective by more than the rounding error of that decrease (:func:`decrease`), so
acceleration can never slow convergence down, nor keep moving ``w`` by rounding noise
once the sweeps reach the float64 limit.  It pays off on ill-conditioned problems
(strongly correlated features, small penalties), where plain cyclic coordinate descent
crawls.

The decision and the update use the move ``d = ŵ − w`` actually made (``ŵ`` rounded to
float64), not an extrapolation of the residual (or gradient) with the same weights:
that extrapolation describes the unrounded ``ŵ``, and on an ill-conditioned raw design
the rounding of ``ŵ`` alone, multiplied by the Gram matrix, moves the gradient by far
more than the objective changes near the solution (1e-5 against a penalty of 0.016 on
NIST Longley).  Decided on that extrapolation and on the difference of two rounded
objectives, 45 of the 103 extrapolations accepted in 26,000 epochs at ``alpha=1e-3``
raised the objective there, and the extrapolated residual had to be rebuilt after
every jump.  The
residual (or gradient) is updated by ``Xd`` (or ``Gd``), as ``K`` coordinate updates
would, so it stays consistent with ``w``.

The decrease is summed from ``aux``, which over a long solve drifts from the gradient
(residual) its ``w`` defines: by 1e-7 against a penalty of 0.016 after 25,000 epochs
on raw Longley, where an extrapolation then accepted on the drifted gradient raised the
exact objective by 3e-23.  The decision therefore also bounds what the error of ``aux``
can do to the decrease (:func:`aux_error`: the drift bound of
:mod:`linmod.solvers.drift` plus the rounding of the last rebuild); that bound is far
above the drift itself, so when only it stands in the way ``aux`` is rebuilt in
double-double and the decision taken again.

Compiled with numba (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.solvers.drift import gradient_errors, rebuild

__all__ = ["anderson_step", "anderson_weights", "aux_error", "decrease"]

Float = NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)


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
def decrease(
    gram_layout: bool,
    xt: Float,
    gram: Float,
    aux: Float,
    w_old: Float,
    w_new: Float,
    ws: NDArray[np.int64],
    m: int,
    l1: float,
    l2: float,
    u: Float,
    size: Float,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """How much moving from ``w_old`` to ``w_new`` (on ``ws[:m]``) lowers the objective,
    and a bound on the rounding error of that number.

    With ``d = w_new − w_old``, the decrease is summed from the move, never as the
    difference of two objectives (near the solution those agree to far below
    ``eps·‖y‖²``, and their difference is rounding noise).  ``u`` receives how ``aux``
    moves, ``Xd`` (residual layout) or ``Gd`` (Gram layout), and ``size`` the sums
    ``Σₖ|dₖ·vₖ|`` of the magnitudes of its terms; then

    * residual layout (``aux = R``): ``½‖R‖² − ½‖R − u‖² = Σᵢ uᵢ(Rᵢ − ½uᵢ)``;
    * Gram layout (``aux = q = Xᵀy − Gw``): ``dᵀq − ½dᵀGd = Σₖ dₖ(qₖ − ½uₖ)``;

    minus the increase of the penalty, ``Σ λ₁(|ŵⱼ| − |wⱼ|) + ½λ₂dⱼ(ŵⱼ + wⱼ)``.  The error
    bound is the standard forward bound of these sums of products (``γ_N`` times the sum
    of the terms' magnitudes, ``N`` the longest chain of roundings), taking ``aux`` as
    given: with ``d`` along a near-null direction of an ill-conditioned design, ``u``
    cancels to far below its terms, and the bound says by how much.
    """
    pen = 0.0
    mag = 0.0
    for k in range(m):
        a = w_old[k]
        b = w_new[k]
        d = b - a
        pen += l1 * (abs(b) - abs(a)) + 0.5 * l2 * d * (a + b)
        mag += l1 * abs(abs(b) - abs(a)) + 0.5 * l2 * abs(d * (a + b))
    length = aux.shape[0]
    for i in range(length):
        u[i] = 0.0
        size[i] = 0.0
    for k in range(m):
        dk = w_new[k] - w_old[k]
        if dk != 0.0:
            row = gram[ws[k]] if gram_layout else xt[ws[k]]
            for i in range(length):
                v = dk * row[i]
                u[i] += v
                size[i] += abs(v)
    fit = 0.0
    if gram_layout:
        for k in range(m):
            j = ws[k]
            dk = w_new[k] - w_old[k]
            fit += dk * (aux[j] - 0.5 * u[j])
            mag += abs(dk) * (abs(aux[j]) + size[j])
        chain = 2 * m + 4
    else:
        for i in range(length):
            fit += u[i] * (aux[i] - 0.5 * u[i])
            mag += size[i] * (abs(aux[i]) + size[i])
        chain = m + length + 4
    return fit - pen, chain * _EPS * mag


@njit(cache=True)
def aux_error(
    gram_layout: bool,
    base: Float,
    aux: Float,
    w: Float,
    norm2: Float,
    count: float,
    moved: float,
    drift: float,
    err: Float,
) -> None:  # pragma: no cover - compiled
    """Bounds ``err[i]`` on ``|aux_i − exact_i|``: ``aux`` as last rebuilt
    (:func:`~linmod.solvers.drift.rebuild`: ``Dot2``'s ``eps·|exact| + γ²·Σ|terms|``,
    taken at ``aux`` and ``w`` moved back by up to ``moved``) plus the drift of the
    ``count`` updates since (:func:`~linmod.solvers.drift.gradient_errors`).  ``base``
    is ``Xᵀy`` (Gram layout) or ``y``.
    """
    p = w.shape[0]
    terms = 0.0  # Σ‖x_k‖·|w_k|
    for k in range(p):
        if w[k] != 0.0:
            terms += np.sqrt(norm2[k]) * abs(w[k])
    terms += moved
    g = (p + 2) * _EPS / (1.0 - (p + 2) * _EPS)
    g2 = 2.0 * g * g
    if gram_layout:
        gradient_errors(True, aux, norm2, count, moved, 0.0, err)
        for j in range(p):
            col = np.sqrt(norm2[j])
            err[j] += 2.0 * _EPS * (abs(aux[j]) + col * moved) + g2 * (abs(base[j]) + col * terms)
    else:
        for i in range(aux.shape[0]):
            err[i] = (
                drift + 2.0 * _EPS * (abs(aux[i]) + drift + moved) + g2 * (abs(base[i]) + terms)
            )


@njit(cache=True)
def _verdict(
    gram_layout: bool,
    xt: Float,
    gram: Float,
    aux: Float,
    w_old: Float,
    w_new: Float,
    ws: NDArray[np.int64],
    m: int,
    l1: float,
    l2: float,
    u: Float,
    size: Float,
    err: Float,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """:func:`decrease` and its bound, widened by what ``err`` (on ``aux``) can do."""
    gain, error = decrease(gram_layout, xt, gram, aux, w_old, w_new, ws, m, l1, l2, u, size)
    extra = 0.0
    if gram_layout:
        for k in range(m):
            extra += abs(w_new[k] - w_old[k]) * err[ws[k]]
    else:  # |u_i| ≤ (1 + γ_m)·size_i
        for i in range(aux.shape[0]):
            extra += size[i] * err[i]
        extra *= 1.0 + 2.0 * (m + 1) * _EPS
    return gain, error + extra


@njit(cache=True)
def anderson_step(
    gram_layout: bool,
    xt: Float,
    y: Float,
    gram: Float,
    xty: Float,
    w: Float,
    aux: Float,
    ws: NDArray[np.int64],
    m: int,
    w_hist: Float,
    stored: int,
    coef: Float,
    w_acc: Float,
    work: Float,
    norm2: Float,
    drifted: tuple[float, float, float],
    l1: float,
    l2: float,
    positive: bool,
) -> tuple[int, bool, bool]:  # pragma: no cover - compiled
    """Store the iterate; every ``K + 1`` iterates try the extrapolation.

    The extrapolated point replaces the iterate only if it lowers the objective by more
    than the rounding error of that decrease (:func:`decrease`) *plus* what the error of
    ``aux`` itself can do to it (:func:`aux_error`; and, with ``positive``, stays
    feasible); ``aux`` then moves by ``Xd`` (``Gd`` on the Gram layout) for the move
    ``d`` made.  ``drifted`` is ``(count, moved, drift)`` since ``aux`` was last rebuilt
    (:mod:`linmod.solvers.drift`).  ``aux`` drifts from the ``Xᵀy − Gw`` (``y − Xw``)
    its ``w`` defines over a long solve (1e-7 against a penalty of 0.016 after 25,000
    epochs on raw NIST Longley, far more than the decreases near the solution), and
    the bound on that drift is far above the drift itself: when only that bound stands
    in the way, ``aux`` is rebuilt in double-double from ``w`` and the decision is taken
    again.  ``work`` (3 rows, the length of ``aux``) is workspace.  Returns the new
    number of stored iterates, whether an extrapolation was accepted and whether
    ``aux`` was rebuilt (its drift is then zero).
    """
    kk = w_hist.shape[0] - 1
    for k in range(m):
        w_hist[stored, k] = w[ws[k]]
    stored += 1
    if stored <= kk:
        return stored, False, False
    if not anderson_weights(w_hist, m, coef):
        return 0, False, False
    for k in range(m):
        v = 0.0
        for t in range(kk):
            v += coef[t] * w_hist[t + 1, k]
        if positive and v < 0.0:
            return 0, False, False
        w_acc[k] = v
    u, size, err = work[0], work[1], work[2]
    gain, error = decrease(gram_layout, xt, gram, aux, w_hist[kk], w_acc, ws, m, l1, l2, u, size)
    if not gain > error:
        return 0, False, False
    base = xty if gram_layout else y
    count, moved, drift = drifted
    aux_error(gram_layout, base, aux, w, norm2, count, moved, drift, err)
    gain, error = _verdict(
        gram_layout, xt, gram, aux, w_hist[kk], w_acc, ws, m, l1, l2, u, size, err
    )
    rebuilt = False
    if not gain > error:
        rebuild(gram_layout, xt, y, gram, xty, w, aux, u)
        rebuilt = True
        aux_error(gram_layout, base, aux, w, norm2, 0.0, 0.0, 0.0, err)
        gain, error = _verdict(
            gram_layout, xt, gram, aux, w_hist[kk], w_acc, ws, m, l1, l2, u, size, err
        )
        if not gain > error:
            return 0, False, True
    for i in range(aux.shape[0]):
        aux[i] -= u[i]
    for k in range(m):
        w[ws[k]] = w_acc[k]
    return 0, True, rebuilt
