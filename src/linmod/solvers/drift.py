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

The Gram layout's ``G`` and ``Xᵀy`` are themselves rounded, by up to ``ρ_jρ_k`` and
``ρ_j·η`` (:class:`GramSource`; the centring folded into
the products cancels on a raw design): :func:`data_error` bounds what that does to the
gap, and where it could matter :func:`data_gradient` evaluates the gap's terms from the
data themselves, in double-double.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.linalg.crossprod import ill_centred
from linmod.linalg.dd import _fma, _two_sum

__all__ = [
    "EPS",
    "GramSource",
    "data_error",
    "data_gradient",
    "gap_error",
    "gradient_errors",
    "gram_data_error",
    "gram_rounding",
    "rebuild",
]

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


@dataclass(frozen=True)
class GramSource:
    """The data a Gram-layout problem was formed from, and a bound on the rounding of its
    products, for evaluating a duality gap from the data themselves.

    ``x``, ``y`` as given (uncentred); whether they were centred, the float64 means and
    scales applied; and, with
    ``G*``, ``c*``, ``‖ỹ‖²`` the exact products of the exactly centred, scaled data,
    ``|G_jk − G*_jk| ≤ ρ_jρ_k``, ``|c_j − c*_j| ≤ ρc_j·η``, ``|y_norm2 − ‖ỹ‖²| ≤
    y_norm2_error`` (:func:`gram_rounding`): on an ill-conditioned raw design this data
    error alone can move the gap of the rounded problem across the tolerance.  ``gram``
    and ``xty`` are the products described: a problem derived with other arrays
    (``dataclasses.replace``, e.g. permuted features) does not use it.
    """

    x: Float
    y: Float
    centred: bool
    x_offset: Float
    y_offset: float
    x_scale: Float
    rho: Float
    rho_c: Float
    eta: float
    y_norm2_error: float
    gram: Float
    xty: Float


def gram_rounding(
    n: int, centred_diag: Float, x_offset: Float, x_scale: Float, y_norm2: float, y_offset: float
) -> tuple[Float, Float, float, float]:
    """``(ρ, ρc, η, y_norm2_error)`` of :class:`GramSource` for products formed by
    :func:`~linmod.linalg.crossprod.cross_products` and scaled by
    :func:`~linmod.solvers.penalized_problem.problem_from_products`.

    With ``γ = (n + 8)·u/(1 − (n + 8)·u)`` and ``‖x_j‖`` the norm of the *uncentred*
    column: the product ``XᵀX`` in any summation order is off by ``γ_n‖x_j‖‖x_k‖``, the
    folded-in centring ``n·m_j m_k`` (float means ``m``, each within ``γ_n‖x_j‖/√n`` of
    the exact ones) by ``2γ_n‖x_j‖‖x_k‖ + 5u‖x_j‖‖x_k‖`` and the scaling by two more
    roundings: at most ``4γ‖x_j‖‖x_k‖/(s_j s_k)`` in all, so ``ρ_j = 2√γ‖x_j‖/s_j``.  A
    column whose ``κ = ‖x_j‖²/‖x̃_j‖²`` is above :data:`~linmod.linalg.crossprod.KAPPA_MAX`
    is centred before its products, which then carry ``‖x̃_j‖`` for ``‖x_j‖`` (here only
    above twice that, clear of where the float64 ``κ`` could fall either side).  ``Xᵀỹ``
    is formed from the uncentred columns (``ρc_j = 2√γ‖x_j‖/s_j``, ``η = 2√(γ·y_norm2)``;
    a constant error in the centred ``y`` is orthogonal to the centred columns);
    ``‖ỹ‖²`` is within ``γ·y_norm2`` and the square of the mean's error,
    ``γ²(y_norm2 + n·ȳ²)``.
    """
    eps = float(np.finfo(np.float64).eps)
    gamma = (n + 8) * eps / max(1.0 - (n + 8) * eps, eps)
    centred2 = np.maximum(centred_diag, 0.0)
    raw2 = centred2 + n * x_offset * x_offset
    rho_c = 2.0 * np.sqrt(gamma * raw2 * (1.0 + 8.0 * gamma)) / x_scale
    rho = rho_c.copy()
    ill = ill_centred(raw2, 2.0 * centred2)
    rho[ill] = 2.0 * np.sqrt(gamma * centred2[ill] * (1.0 + 8.0 * gamma)) / x_scale[ill]
    y_total = y_norm2 + n * y_offset * y_offset
    eta = 2.0 * math.sqrt(gamma * y_norm2)
    return rho, rho_c, eta, gamma * y_norm2 + gamma * gamma * y_total


@njit(cache=True)
def data_error(
    xta: Float,
    w: Float,
    r_norm2: float,
    rho: Float,
    rho_c: Float,
    eta: float,
    y_norm2_error: float,
    l1: float,
    l2: float,
    positive: bool,
) -> float:  # pragma: no cover - compiled
    """A bound on how far the gap of ``w`` on the rounded products (``xta = Xᵀy − Gw −
    λ₂w`` and ``r_norm2 = ‖y‖² − 2wᵀXᵀy + wᵀGw``) can be from its gap on the exact ones.

    ``q_j = c_j − Σ_k G_jk w_k`` is off by at most ``ρc_j·η + ρ_j·Σ_k ρ_k|w_k|`` and
    ``‖R‖²`` by ``y_norm2_error + Σ_j |w_j|(2ρc_j·η + ρ_j·Σ_k ρ_k|w_k|)``; :func:`gap_error`
    turns these into a bound on the gap.
    """
    p = w.shape[0]
    rw = 0.0
    for j in range(p):
        rw += rho[j] * abs(w[j])
    err = np.empty(p)
    r2_err = y_norm2_error
    for j in range(p):
        err[j] = rho_c[j] * eta + rho[j] * rw
        r2_err += abs(w[j]) * (2.0 * rho_c[j] * eta + rho[j] * rw)
    return gap_error(xta, np.arange(p), p, w, r_norm2, r2_err, err, l1, l2, positive)


@njit(cache=True)
def gram_data_error(
    q: Float,
    w: Float,
    xty: Float,
    y_norm2: float,
    rho: Float,
    rho_c: Float,
    eta: float,
    y_norm2_error: float,
    l1: float,
    l2: float,
    positive: bool,
) -> float:  # pragma: no cover - compiled
    """:func:`data_error` at the Gram layout's gradient ``q`` (one compiled call: it is
    made after every solve)."""
    p = w.shape[0]
    xta = np.empty(p)
    wc = 0.0
    wq = 0.0
    for j in range(p):
        xta[j] = q[j] - l2 * w[j]
        wc += w[j] * xty[j]
        wq += w[j] * q[j]
    r_norm2 = max(y_norm2 - wc - wq, 0.0)
    return data_error(xta, w, r_norm2, rho, rho_c, eta, y_norm2_error, l1, l2, positive)


@njit(cache=True)
def data_gradient(
    x: Float, y: Float, x_offset: Float, y_offset: float, beta: Float, centre: bool, grad: Float
) -> float:  # pragma: no cover - compiled
    """``grad = X̃ᵀR`` for ``R = ỹ − X̃β`` (``X̃ = X − 1·x_offsetᵀ``, ``ỹ = y − y_offset``,
    ``x`` of shape ``(n, p)`` row-major), and return ``‖R‖²``: the residual and the
    gradient accumulated in double-double, one pass over the rows for each.

    With ``centre`` the residual is made to sum to zero (in double-double): the
    residual of the exactly centred data, whatever the rounding of the float64 means
    (a shift of the means or of ``y`` moves every residual by the same amount), so that
    ``X̃ᵀR`` is the gradient of the exactly centred problem.
    """
    n, p = x.shape
    support = np.flatnonzero(beta)
    hi = np.empty(n)
    lo = np.empty(n)
    s_hi = 0.0
    s_lo = 0.0
    for i in range(n):
        row = x[i]
        a = y[i] - y_offset
        e = 0.0
        for c in support:
            t = row[c] - x_offset[c]
            prod = t * beta[c]
            a, s = _two_sum(a, -prod)
            e += s - _fma(t, beta[c], -prod)
        hi[i] = a
        lo[i] = e
        s_hi, s = _two_sum(s_hi, a)
        s_lo += s + e
    mean = (s_hi + s_lo) / n if centre and n > 0 else 0.0
    r_norm2 = 0.0
    for i in range(n):
        hi[i], s = _two_sum(hi[i], -mean)
        lo[i] += s
        r = hi[i] + lo[i]
        r_norm2 += r * r
    g_lo = np.zeros(p)
    for j in range(p):
        grad[j] = 0.0
    for i in range(n):
        row = x[i]
        r_hi = hi[i]
        r_lo = lo[i]
        for j in range(p):
            t = row[j] - x_offset[j]
            prod = t * r_hi
            grad[j], s = _two_sum(grad[j], prod)
            g_lo[j] += s + _fma(t, r_hi, -prod) + t * r_lo
    for j in range(p):
        grad[j] += g_lo[j]
    return r_norm2
