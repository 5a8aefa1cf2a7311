"""The group Lasso's block solve and the rounding it leaves at the float64 limit (numba).

:func:`radius` finds the norm of a block's exact minimiser (see
:mod:`linmod.solvers.group_lasso`).  :func:`at_rounding_limit` decides that block
coordinate descent has gone as far as float64 lets it: the optimality conditions, on a
residual rebuilt in double-double, hold to within what the rounding of one sweep of
block updates can disturb them by.

Why a bound and not only bit-for-bit repeats (:mod:`linmod.solvers.fixed_point`)
    A block update rebuilds ``β_g = Q·f(Qᵀ(X_gᵀr) + ΛQᵀβ_g)`` in the eigenbasis of
    ``G_g = X_gᵀX_g``; the rounding of ``X_gᵀr`` is divided by ``λ_i + λ₂ + κ/t`` in
    each direction, so on correlated columns (standardised NIST Longley: ``λ_min ≈ 0.1``
    against ``‖x_j‖² = 16``; one group of all six columns: far smaller) every update
    moves ``β`` by up to thousands of units in the last place even at the solution.
    Coordinate descent then wanders around the solution instead of settling on a fixed
    point or a short cycle, and the optimality conditions stay above ``tol`` whatever
    the number of epochs: on standardised Longley even the exact solution rounded to
    float64 violates them by ``5e-11`` relative to the penalty.

The bound, to first order in the unit roundoff ``u`` (:func:`block_noise`)
    With ``a_j = Σ_i |x_ij||r_i|``, the gradient ``x_jᵀr`` of a sweep (and the measured
    ``v_j = x_jᵀr − λ₂β_j``) is in error by at most ``e_j = γ_{n+s+2}·a_j + 2u·λ₂|β_j|``
    (``s`` the updates of a sweep, each rounding the residual).  In the eigenbasis
    ``c = Qᵀgrad + ΛQᵀβ`` is then off by ``ε_i = Σ_k|q_ki|e_k + γ_{2m+2}(Σ_k|q_ki·grad_k|
    + λ_iΣ_k|q_ki·β_k|)``.  The exact block map ``c ↦ f`` has the Jacobian
    ``(Λ' + μ(I − uuᵀ))⁻¹`` (``Λ' = Λ + λ₂``, ``μ = κ/t``, ``u = f/t``); by
    Sherman–Morrison its entries are at most ``δ_ij/D_i + μ·a_i a_j/s`` with
    ``D = Λ' + μ``, ``a = |u|/D`` and ``s = Σ u_i²Λ'_i/D_i``, so ``|δf_i| ≤ N_i =
    ε_i/D_i + μa_i(a·ε)/s``, plus the error of the root ``t`` and of the divisions.  The
    residual then moves by at most ``Σ_i √λ_i N_i`` (``‖X_g q_i‖ = √λ_i``) plus
    ``Σ_k ‖x_k‖·γ_{2m+1}Σ_i|q_ki f_i|`` for the change of basis back; summed over the
    groups this is ``S``, and every ``v_j`` moves by at most ``‖x_j‖·S``.  A group whose
    ``‖c‖ + ‖ε‖ ≤ κ`` stays exactly zero and adds nothing.

The stop
    Every group's violation of the optimality conditions (:func:`group_kkt_violation
    <linmod.solvers.group_lasso.group_kkt_violation>`, unscaled) must be at most
    ``B_g = ‖e_g‖ + ‖X_g‖_F·S`` (what measuring it and one sweep of rounding can
    account for), and the duality gap at most what those violations allow:
    ``½ρ²(‖R‖² + λ₂‖β‖²) + Σ_g ‖β_g‖(ρκ_g + B_g)`` with ``ρ = min(1, max_g B_g/κ_g)``
    (the dual scaling ``s ≥ 1 − ρ``; each non-zero group's term is
    ``(1 − s)κ_g‖β_g‖ − sβ_gᵀd_g``), plus the rounding of summing it.  The bound is
    first order, worst case (``γ_n``: tens of times the rounding actually seen) and
    assumes the iterate is near a fixed point; the kernel asks for it only once the
    violation has made no new low for a tenth of the solve (and at least
    :data:`~linmod.solvers.fixed_point.CYCLE` checks), so that a solve still converging
    linearly is not cut short by the bound's slack.  ``tests/solvers/test_group_block.py``
    checks it against block updates computed in exact arithmetic.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit

__all__ = ["U", "at_rounding_limit", "block_noise", "radius"]

Float = NDArray[np.float64]
Ints = NDArray[np.int64]

#: The unit roundoff of float64.
U = float(np.finfo(np.float64).eps) / 2.0


@njit(cache=True)
def _gamma(k: float) -> float:  # pragma: no cover - compiled
    """Higham's ``γ_k = ku/(1 − ku)``."""
    return k * U / (1.0 - k * U)


@njit(cache=True)
def radius(c: Float, lam: Float, l2: float, kappa: float) -> float:  # pragma: no cover
    """The root ``t > 0`` of ``Σ c_i²/((λ_i + λ₂)t + κ)² = 1`` (given ``‖c‖ > κ``)."""
    t = 0.0
    for _ in range(200):
        f = -1.0
        slope = 0.0
        for i in range(c.shape[0]):
            d = (lam[i] + l2) * t + kappa
            q = c[i] * c[i] / (d * d)
            f += q
            slope -= 2.0 * q * (lam[i] + l2) / d
        if slope >= 0.0:
            break
        step = f / slope
        if not step < 0.0 or t - step <= t:  # converged, to rounding
            break
        t -= step
    return t


@njit(cache=True)
def block_noise(
    q: Float,
    ev: Float,
    grad: Float,
    coef: Float,
    err: Float,
    norms: Float,
    l2: float,
    kappa: float,
    work: Float,
) -> float:  # pragma: no cover - compiled
    """How far the rounding of one block update (of :func:`linmod.solvers.group_lasso`'s
    ``_epoch``) can move the residual: ``Σ_i √λ_i N_i + Σ_k ‖x_k‖·back_k`` (module text).

    ``q``, ``ev``: the group's eigenvectors (columns) and eigenvalues; ``grad = X_gᵀr``,
    ``coef = β_g``, ``err`` the bounds ``e_k`` on the gradient's error and ``norms`` the
    columns' norms ``‖x_k‖``; ``work`` has room for ``3m``.  ``inf`` when the bound does
    not exist (a direction with no curvature at all).
    """
    m = ev.shape[0]
    c = work[:m]
    ec = work[m : 2 * m]
    f = work[2 * m : 3 * m]
    g = _gamma(2.0 * m + 2.0)
    c2 = 0.0
    e2 = 0.0
    for i in range(m):
        a = 0.0
        b = 0.0
        ea = 0.0
        ma = 0.0
        mb = 0.0
        for k in range(m):
            a += q[k, i] * grad[k]
            b += q[k, i] * coef[k]
            ea += abs(q[k, i]) * err[k]
            ma += abs(q[k, i] * grad[k])
            mb += abs(q[k, i] * coef[k])
        c[i] = a + ev[i] * b
        ec[i] = ea + g * (ma + ev[i] * mb)
        c2 += c[i] * c[i]
        e2 += ec[i] * ec[i]
    norm = math.sqrt(c2)
    if norm + math.sqrt(e2) <= kappa:  # the update is exactly zero, and stays so
        return 0.0
    t = radius(c, ev, l2, kappa) if norm > kappa else 0.0
    # f (the update in the eigenbasis), its direction u, and the Jacobian's bound
    s = 0.0
    dot = 0.0
    fn = 0.0
    if t > 0.0:
        mu = kappa / t
        for i in range(m):
            f[i] = c[i] / (ev[i] + l2 + mu)
            fn += f[i] * f[i]
        fn = math.sqrt(fn)
        for i in range(m):
            d = ev[i] + l2 + mu
            u = f[i] / fn
            s += u * u * (ev[i] + l2) / d
            dot += abs(u) / d * ec[i]
    else:  # a zero group near its threshold: the update leaves along c
        mu = math.inf
        for i in range(m):
            f[i] = 0.0
            u = c[i] / norm
            s += u * u * (ev[i] + l2)
            dot += abs(u) * ec[i]
    if not s > 0.0:
        return math.inf
    # the root t is found to the rounding of evaluating Σ c_i²/d_i² ≈ 1
    slope = 0.0
    if t > 0.0:
        for i in range(m):
            d = (ev[i] + l2) * t + kappa
            slope += 2.0 * c[i] * c[i] * (ev[i] + l2) / (d * d * d)
    dt = _gamma(4.0 * m + 8.0) / slope if slope > 0.0 else 0.0
    total = 0.0
    for i in range(m):
        if t > 0.0:
            d = ev[i] + l2 + mu
            n_i = ec[i] / d + mu * abs(f[i]) / (fn * d) * dot / s
            dd = (ev[i] + l2) * t + kappa
            n_i += abs(c[i]) * kappa / (dd * dd) * dt + _gamma(3.0) * abs(f[i])
        else:
            n_i = abs(c[i]) / norm * dot / s
        total += math.sqrt(max(ev[i], 0.0)) * n_i
    gb = _gamma(2.0 * m + 1.0)
    for k in range(m):
        back = 0.0
        for i in range(m):
            back += abs(q[k, i] * f[i])
        total += norms[k] * gb * back
    return total


@njit(cache=True)
def at_rounding_limit(
    xt: Float,
    resid: Float,
    w: Float,
    xta: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    vecs: Float,
    vec_starts: Ints,
    lam: Float,
    l1: float,
    l2: float,
    gap: float,
) -> bool:  # pragma: no cover - compiled
    """Whether the optimality conditions and the gap at ``w`` are within the rounding of
    a sweep (module text).  ``resid`` must be rebuilt in double-double and ``xta`` hold
    ``XᵀR − λ₂w`` computed from it (:func:`linmod.solvers.group_lasso._gap`)."""
    p, n = xt.shape
    support = 0
    for j in range(p):
        if w[j] != 0.0:
            support += 1
    gn = _gamma(n + support + 2.0)
    err = np.empty(p)
    norms = np.empty(p)
    for j in range(p):
        a = 0.0
        s2 = 0.0
        for i in range(n):
            a += abs(xt[j, i] * resid[i])
            s2 += xt[j, i] * xt[j, i]
        err[j] = gn * a + 2.0 * U * l2 * abs(w[j])
        norms[j] = math.sqrt(s2)
    size = 0
    for g in range(starts.shape[0] - 1):
        size = max(size, starts[g + 1] - starts[g])
    work = np.empty(3 * size)
    grad = np.empty(size)
    coef = np.empty(size)
    e_g = np.empty(size)
    n_g = np.empty(size)
    spread = 0.0  # S: how far one sweep's rounding can move the residual
    for g in range(starts.shape[0] - 1):
        start, stop = starts[g], starts[g + 1]
        m = stop - start
        if lam[stop - 1] <= 0.0:  # constant columns: never updated
            continue
        for k in range(m):
            j = order[start + k]
            grad[k] = xta[j] + l2 * w[j]
            coef[k] = w[j]
            e_g[k] = err[j]
            n_g[k] = norms[j]
        q = vecs[vec_starts[g] : vec_starts[g] + m * m].reshape((m, m))
        spread += block_noise(
            q, lam[start:stop], grad[:m], coef[:m], e_g[:m], n_g[:m], l2, l1 * weights[g], work
        )
    if not math.isfinite(spread):
        return False
    rho = 0.0
    allowed = np.empty(starts.shape[0] - 1)
    for g in range(starts.shape[0] - 1):
        e2 = 0.0
        x2 = 0.0
        for k in range(starts[g], starts[g + 1]):
            j = order[k]
            e2 += err[j] * err[j]
            x2 += norms[j] * norms[j]
        allowed[g] = math.sqrt(e2) + math.sqrt(x2) * spread
        rho = max(rho, allowed[g] / (l1 * weights[g]))
    rho = min(rho, 1.0)
    r2 = 0.0
    for i in range(n):
        r2 += resid[i] * resid[i]
    w2 = 0.0
    for j in range(p):
        w2 += w[j] * w[j]
    bound = 0.5 * rho * rho * (r2 + l2 * w2)
    for g in range(starts.shape[0] - 1):
        kappa = l1 * weights[g]
        b2 = 0.0
        v2 = 0.0
        wv = 0.0
        for k in range(starts[g], starts[g + 1]):
            j = order[k]
            b2 += w[j] * w[j]
            v2 += xta[j] * xta[j]
            wv += abs(w[j] * xta[j])
        norm = math.sqrt(b2)
        if norm == 0.0:
            excess = max(0.0, math.sqrt(v2) - kappa)
        else:
            d2 = 0.0
            for k in range(starts[g], starts[g + 1]):
                j = order[k]
                d = xta[j] - kappa * w[j] / norm
                d2 += d * d
            excess = math.sqrt(d2)
        if excess > allowed[g]:
            return False
        bound += norm * (rho * kappa + allowed[g]) + _gamma(4.0) * (kappa * norm + wv)
    return gap <= bound
