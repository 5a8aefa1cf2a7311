"""The group Lasso and group elastic net by block coordinate descent, compiled with numba.

For feature groups ``g`` with weights ``w_g = √|g|`` (:mod:`linmod.solvers.feature_groups`)
the solvers minimise, on centred (and possibly standardised) data,

    (1/2n)‖y − Xβ‖² + α·l1_ratio·Σ_g w_g‖β_g‖₂ + α(1 − l1_ratio)/2·‖β‖²,

scikit-learn's elastic-net scaling with the L1 norm replaced by the group norm (the
intercept is removed by centring, so it is never penalised).  A group is either wholly
zero or wholly non-zero: a factor's dummy columns enter and leave together.  With one
feature per group this is exactly the Lasso / elastic net.

Algorithm
    Block coordinate descent with each block minimised *exactly* (Friedman, Hastie &
    Tibshirani 2010, "A note on the group lasso and a sparse group lasso"), the
    kernel's objective multiplied by ``n`` (``λ₁ = n·α·l1_ratio``,
    ``λ₂ = n·α(1 − l1_ratio)``).  With the other blocks fixed, block ``g`` minimises
    ``½β_gᵀG_gβ_g − b_gᵀβ_g + λ₁w_g‖β_g‖ + (λ₂/2)‖β_g‖²`` with ``G_g = X_gᵀX_g`` and
    ``b_g = X_gᵀr + G_gβ_g``: the minimiser is 0 when ``‖b_g‖ ≤ λ₁w_g``, else
    ``β_g = (G_g + (λ₂ + λ₁w_g/t)I)⁻¹b_g`` where ``t = ‖β_g‖`` is the root of
    ``Σ_i c_i²/((λ_i + λ₂)t + λ₁w_g)² = 1`` (``G_g = QΛQᵀ``, ``c = Qᵀb_g``; the left
    side decreases and is convex in ``t``, so Newton's method from ``t = 0`` converges
    monotonically).  Each group's eigendecomposition is computed once.  A single
    proximal-gradient step per block (skglm's solver, step ``1/λ_max(G_g)``) would
    crawl on a group whose columns have very different scales (raw ``poly()``
    columns, a dummy of a rare level next to a common one); the exact solve does not.
    At a fixed point ``(λ₂ + λ₁w_g/t)β_g = X_gᵀr``: the optimality condition itself,
    whatever the rounding of ``G_g``.  The penalty stays on the columns' own (or
    standardised) coefficients: the groups are *not* orthonormalised as grpreg does,
    which would penalise ``‖X_gβ_g‖`` instead and change the objective.  For a group of
    one column this is exactly the coordinate-descent update of the elastic net.

Stopping rule
    The duality gap of scikit-learn's formulation, with the group norm's dual
    ``max_g ‖X_gᵀR − λ₂β_g‖/w_g`` in place of ``‖·‖∞`` and summed as terms that vanish
    at the optimum (:func:`_gap`), must fall below ``tol·‖y‖²``
    (the convention of :mod:`linmod.solvers.coordinate_descent`).  The gap certifies the
    objective, not the coefficients (an error ``δ`` in ``β`` moves the objective by
    only ``δ²``), so the optimality conditions below must also hold, to
    ``max(tol, KKT_FLOOR)`` relative to each group's penalty ``λ₁w_g``.  Both are
    checked after the first epoch and every fifth, on a residual rebuilt from ``β``.
    :func:`group_kkt_violation` checks the optimality conditions afterwards:
    ``‖X_gᵀr − λ₂β_g‖ ≤ λ₁w_g`` for a zero group and
    ``X_gᵀr − λ₂β_g = λ₁w_g·β_g/‖β_g‖`` for a non-zero one.  Below what float64
    resolves (``tol=1e-15`` on NIST Longley: even the exact solution rounded to float64
    violates the conditions by 5e-11 of the penalty) the solve stops at the float64
    limit instead: a sweep that changes nothing or cycles (:mod:`linmod.solvers.
    fixed_point`), or, once the violation has made no new low for a tenth of the solve,
    a violation and a gap within the rounding of one sweep of block updates
    (:mod:`linmod.solvers.group_block`).  The residual is rebuilt in double-double.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas_thread
from linmod.solvers.convergence import stop_status, warn_unconverged
from linmod.solvers.drift import rebuild
from linmod.solvers.elastic_net import PathSolution
from linmod.solvers.feature_groups import FeatureGroups
from linmod.solvers.fixed_point import CYCLE, snapshot, stuck
from linmod.solvers.group_block import at_rounding_limit, radius
from linmod.solvers.penalized_magnitude import ldexp
from linmod.solvers.penalized_problem import EnetProblem

__all__ = ["KKT_FLOOR", "group_alpha_max", "group_kkt_violation", "solve_group_path"]

Float = NDArray[np.float64]
Ints = NDArray[np.int64]

#: The optimality conditions must hold to ``max(tol, KKT_FLOOR)`` relative to each
#: group's penalty: about where the rounding of ``XᵀR`` leaves them on well-scaled data.
KKT_FLOOR = 1e-12
#: The duality gap is evaluated after the first epoch and then every this many epochs.
_GAP_EVERY = 5


@njit(cache=True)
def _rebuild(xt: Float, y: Float, w: Float, resid: Float, lo: Float) -> None:  # pragma: no cover
    """``resid = y − Xw`` in double-double (``Dot2``, as
    :func:`linmod.solvers.drift.rebuild`), rounded once; ``lo`` is workspace.

    Rounded in float64 instead, at the scale of ``|y| + |X||w|`` (hundreds of units in
    the last place of ``R`` on standardised NIST Longley), the residual changed by a
    different rounding at every bit-level change of ``w``; each block update divides
    that by the group's smallest eigenvalue, so the iterates wandered around the
    solution instead of settling (``linmod.solvers.group_block``).
    """
    rebuild(False, xt, y, xt, y, w, resid, lo)  # the residual layout (gram, xty unused)


@njit(cache=True)
def _gap(
    xt: Float,
    resid: Float,
    w: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    l1: float,
    l2: float,
    xta: Float,
) -> float:  # pragma: no cover - compiled
    """Duality gap of ``½‖y − Xw‖² + λ₁Σ w_g‖w_g‖ + (λ₂/2)‖w‖²`` at ``w``.

    Summed as terms that vanish at the optimum (as
    :func:`linmod.solvers.screening.duality_gap` does for the Lasso), never as the
    difference of the primal and dual objectives, which would lose every digit below
    ``eps·‖y‖²``: with ``v = XᵀR − λ₂w`` and ``s = min(1, λ₁/max_g(‖v_g‖/w_g))``,
    ``½(1 − s)²(‖R‖² + λ₂‖w‖²) + Σ_g (λ₁w_g‖w_g‖ − s·w_gᵀv_g)``.
    """
    dual_norm = 0.0
    w_norm2 = 0.0
    for g in range(starts.shape[0] - 1):
        s2 = 0.0
        for k in range(starts[g], starts[g + 1]):
            j = order[k]
            v = np.dot(xt[j], resid) - l2 * w[j]
            xta[j] = v
            s2 += v * v
            w_norm2 += w[j] * w[j]
        dual_norm = max(dual_norm, math.sqrt(s2) / weights[g])
    scale = l1 / dual_norm if dual_norm > l1 else 1.0
    gap = 0.5 * (1.0 - scale) ** 2 * (np.dot(resid, resid) + l2 * w_norm2)
    for g in range(starts.shape[0] - 1):
        b2 = 0.0
        inner = 0.0
        for k in range(starts[g], starts[g + 1]):
            j = order[k]
            b2 += w[j] * w[j]
            inner += w[j] * xta[j]
        gap += l1 * weights[g] * math.sqrt(b2) - scale * inner
    return gap


@njit(cache=True)
def _kkt(
    w: Float, order: Ints, starts: Ints, weights: Float, l1: float, xta: Float
) -> float:  # pragma: no cover - compiled
    """Largest violation of the optimality conditions relative to ``λ₁w_g``, from
    ``xta = XᵀR − λ₂w`` (see :func:`group_kkt_violation`)."""
    worst = 0.0
    for g in range(starts.shape[0] - 1):
        bound = l1 * weights[g]
        b2 = 0.0
        v2 = 0.0
        for k in range(starts[g], starts[g + 1]):
            j = order[k]
            b2 += w[j] * w[j]
            v2 += xta[j] * xta[j]
        if b2 == 0.0:
            excess = max(0.0, math.sqrt(v2) - bound)
        else:
            norm = math.sqrt(b2)
            d2 = 0.0
            for k in range(starts[g], starts[g + 1]):
                j = order[k]
                d = xta[j] - bound * w[j] / norm
                d2 += d * d
            excess = math.sqrt(d2)
        worst = max(worst, excess / bound)
    return worst


@njit(cache=True)
def _epoch(
    xt: Float,
    resid: Float,
    w: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    vecs: Float,
    vec_starts: Ints,
    lam: Float,
    l1: float,
    l2: float,
    work: Float,
) -> bool:  # pragma: no cover - compiled
    """One cyclic sweep of exact block minimisations over every group; returns whether
    any coefficient changed."""
    changed = False
    for g in range(starts.shape[0] - 1):
        start, stop = starts[g], starts[g + 1]
        m = stop - start
        if lam[stop - 1] <= 0.0:  # every column of the group is constant: it stays at 0
            continue
        q = vecs[vec_starts[g] : vec_starts[g] + m * m].reshape((m, m))
        grad = work[:m]
        coef = work[m : 2 * m]
        c = work[2 * m : 3 * m]
        ev = lam[start:stop]
        for k in range(m):
            j = order[start + k]
            grad[k] = np.dot(xt[j], resid)
            coef[k] = w[j]
        # c = Qᵀ(X_gᵀr) + Λ·Qᵀβ_g, the block's linear term in the eigenbasis
        norm2 = 0.0
        for i in range(m):
            a = 0.0
            b = 0.0
            for k in range(m):
                a += q[k, i] * grad[k]
                b += q[k, i] * coef[k]
            c[i] = a + ev[i] * b
            norm2 += c[i] * c[i]
        kappa = l1 * weights[g]
        if math.sqrt(norm2) <= kappa:
            for i in range(m):
                c[i] = 0.0
        else:
            t = radius(c, ev, l2, kappa)
            for i in range(m):
                c[i] = c[i] * t / ((ev[i] + l2) * t + kappa)
        for k in range(m):
            new = 0.0
            for i in range(m):
                new += q[k, i] * c[i]
            j = order[start + k]
            delta = new - w[j]
            if delta != 0.0:
                w[j] = new
                resid -= delta * xt[j]
                changed = True
    return changed


@njit(cache=True)
def group_enet_residual(
    xt: Float,
    y: Float,
    w: Float,
    resid: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    vecs: Float,
    vec_starts: Ints,
    lam: Float,
    l1: float,
    l2: float,
    tol_abs: float,
    kkt_tol: float,
    max_iter: int,
) -> tuple[float, float, int]:  # pragma: no cover - compiled
    """Minimise ``½‖y − Xw‖² + λ₁Σ w_g‖w_g‖ + (λ₂/2)‖w‖²`` from the warm start ``w``.

    ``xt`` is the transposed design ``(p, n)``; ``resid`` a buffer of length ``n``.
    Stops when the duality gap is at most ``tol_abs`` and the optimality conditions
    hold to ``kkt_tol`` (relative), or at the float64 limit: the sweeps changed no
    coefficient, or cycled, within :data:`~linmod.solvers.fixed_point.CYCLE` sweeps of
    an exact rebuild of the residual, or the violation has stopped improving and is
    within the rounding bound of :func:`~linmod.solvers.group_block.at_rounding_limit`.
    Returns the last gap, the last violation and
    the epochs run.
    """
    size = 0
    for g in range(starts.shape[0] - 1):
        size = max(size, starts[g + 1] - starts[g])
    work = np.empty(3 * size)
    xta = np.empty(w.shape[0])
    lo = np.empty(resid.shape[0])
    _rebuild(xt, y, w, resid, lo)
    gap = math.inf
    kkt = math.inf
    every = np.arange(w.shape[0])
    snap = np.empty(w.shape[0])
    age = snapshot(w, every, w.shape[0], snap)
    confirm = 0  # a stuck sweep up to this epoch, after an exact rebuild, is the limit
    best = math.inf  # the smallest violation of the optimality conditions at a check,
    since = 0  # and the checks since: none in the last tenth of the solve, it has stalled
    for epoch in range(1, max_iter + 1):
        changed = _epoch(xt, resid, w, order, starts, weights, vecs, vec_starts, lam, l1, l2, work)
        repeat, age = stuck(1.0 if changed else 0.0, w, every, w.shape[0], snap, age)
        if repeat and epoch <= confirm:  # the float64 limit (linmod.solvers.fixed_point)
            _rebuild(xt, y, w, resid, lo)
            gap = _gap(xt, resid, w, order, starts, weights, l1, l2, xta)
            return gap, _kkt(w, order, starts, weights, l1, xta), epoch
        if repeat:  # rebuild the residual exactly and confirm
            _rebuild(xt, y, w, resid, lo)
            confirm = epoch + CYCLE
            age = snapshot(w, every, w.shape[0], snap)
        if epoch % _GAP_EVERY == 1 or epoch == max_iter:
            _rebuild(xt, y, w, resid, lo)
            gap = _gap(xt, resid, w, order, starts, weights, l1, l2, xta)
            kkt = _kkt(w, order, starts, weights, l1, xta)
            if gap <= tol_abs and kkt <= kkt_tol:
                return gap, kkt, epoch
            if kkt < best:  # still improving: not stopped by the rounding bound
                best, since = kkt, 0
            since += 1
            if since > max(CYCLE, epoch // (10 * _GAP_EVERY)) and at_rounding_limit(
                xt, resid, w, xta, order, starts, weights, vecs, vec_starts, lam, l1, l2, gap
            ):  # the float64 limit of the block updates (linmod.solvers.group_block)
                return gap, kkt, epoch
    return gap, kkt, max_iter


def _eigen(xt: Float, groups: FeatureGroups) -> tuple[Float, Ints, Float]:
    """Each group's ``X_gᵀX_g = QΛQᵀ``: the ``Q`` stacked flat (row-major), where each
    starts, and the eigenvalues (ascending within a group, aligned with ``order``)."""
    sizes = np.diff(groups.starts)
    vec_starts = np.concatenate([[0], np.cumsum(sizes**2)]).astype(np.int64)
    vecs = np.empty(int(vec_starts[-1]))
    lam = np.empty(int(groups.starts[-1]))
    for g in range(groups.n_groups):
        block = xt[groups.members(g)]
        vals, q = sla.eigh(block @ block.T)
        lam[groups.starts[g] : groups.starts[g + 1]] = np.maximum(vals, 0.0)
        vecs[vec_starts[g] : vec_starts[g + 1]] = q.ravel()
    return vecs, vec_starts, lam


def group_alpha_max(problem: EnetProblem, groups: FeatureGroups, l1_ratio: float = 1.0) -> float:
    """Smallest ``α`` at which every group is zero: ``max_g ‖X_gᵀy‖ / (n·w_g·l1_ratio)``."""
    if groups.n_groups == 0 or l1_ratio == 0.0:
        return 0.0
    norms = np.sqrt(np.bincount(groups.group_of, weights=problem.xty**2))
    return float(np.max(norms / groups.weights)) / (problem.n * l1_ratio)


def solve_group_path(
    problem: EnetProblem,
    alphas: Float,
    l1_ratio: float,
    groups: FeatureGroups,
    *,
    tol: float = 1e-4,
    max_iter: int = 1000,
    warn: bool = True,
    l1_exp: int = 0,
    l2_exp: int = 0,
) -> PathSolution:
    """Solve the group elastic net at each penalty in turn, warm-started.

    Parameters
    ----------
    problem : EnetProblem
        Centred, scaled data in the *residual* layout.
    alphas : ndarray of shape (k,)
        Penalties (scikit-learn's scaling), best in decreasing order.
    l1_ratio : float
        Share of the group penalty, in (0, 1].
    groups : FeatureGroups
    tol, max_iter
        Duality-gap tolerance relative to ``‖y − ȳ‖²`` and the epochs per penalty.
    warn : bool
        One :class:`ConvergenceWarning` for the penalties that did not converge.
    l1_exp, l2_exp : int
        Powers of two multiplying the penalties (data rescaled by
        :func:`linmod.solvers.penalized_magnitude.rescale`).

    Returns
    -------
    PathSolution
    """
    if problem.xt is None or problem.y is None:
        raise InputError("the group Lasso needs the residual layout of the problem")
    n, p = problem.n, problem.p
    k = alphas.shape[0]
    coefs = np.zeros((p, k))
    gaps = np.zeros(k)
    iters = np.ones(k, dtype=np.int64)
    converged = np.ones(k, dtype=bool)
    fixed = np.zeros(k, dtype=bool)
    w = np.zeros(p)
    resid = np.empty(n)
    with small_work_blas_thread():  # one small eigendecomposition per group
        vecs, vec_starts, lam = _eigen(problem.xt, groups)
    tol_abs = tol * problem.y_norm2
    kkt_tol = max(tol, KKT_FLOOR)
    # At and above alpha_max every group is zero (the KKT conditions at w = 0): said
    # outright, as glmnet does, since the block updates' own ‖X_gᵀy‖ may round a hair
    # above the grid's and leave ~1e-17 coefficients in the group that sets alpha_max.
    top = ldexp(group_alpha_max(problem, groups, l1_ratio), -l1_exp)
    for i, alpha in enumerate(alphas.tolist()):
        l1 = ldexp(float(alpha * l1_ratio * n), l1_exp)
        l2 = ldexp(float(alpha * (1.0 - l1_ratio) * n), l2_exp)
        if p == 0:
            continue
        if l1 == 0.0 and l2 == 0.0:  # no penalty: minimum-norm least squares
            w = np.asarray(sla.lstsq(problem.xt.T, problem.y)[0], dtype=float)
        elif math.isinf(l1) or math.isinf(l2) or (groups.n_groups and alpha >= top > 0.0):
            w = np.zeros(p)
        else:
            gap, kkt, epochs = group_enet_residual(
                problem.xt, problem.y, w, resid, groups.order, groups.starts,
                groups.weights, vecs, vec_starts, lam, l1, l2, tol_abs, kkt_tol, int(max_iter),
            )  # fmt: skip
            gaps[i] = gap / n
            iters[i] = epochs
            converged[i], fixed[i] = stop_status(
                gap <= tol_abs and kkt <= kkt_tol, gap, epochs, max_iter, problem.y_norm2
            )
        coefs[:, i] = w
    if warn:
        warn_unconverged(
            alphas, gaps, converged, max_iter, tol, fixed=fixed, gap_scale=problem.y_norm2 / n,
            method="block coordinate descent", also=f" (and the optimality conditions {kkt_tol:g})",
        )  # fmt: skip
    return PathSolution(coefs, gaps, iters, converged, fixed)


def group_kkt_violation(
    problem: EnetProblem,
    coef: Float,
    alpha: float,
    l1_ratio: float,
    groups: FeatureGroups,
    *,
    l1_exp: int = 0,
    l2_exp: int = 0,
) -> float:
    """Largest violation of the optimality conditions, relative to ``λ₁w_g``.

    For a zero group ``max(0, ‖X_gᵀr − λ₂β_g‖ − λ₁w_g)``; for a non-zero one
    ``‖X_gᵀr − λ₂β_g − λ₁w_g·β_g/‖β_g‖‖``; each divided by ``λ₁w_g`` (0 when there is
    no group penalty).
    """
    assert problem.xt is not None
    assert problem.y is not None
    n = problem.n
    l1 = ldexp(float(alpha * l1_ratio * n), l1_exp)
    l2 = ldexp(float(alpha * (1.0 - l1_ratio) * n), l2_exp)
    if not (0.0 < l1 < math.inf) or math.isinf(l2):
        return 0.0
    grad = problem.xt @ (problem.y - problem.xt.T @ coef) - l2 * coef
    worst = 0.0
    for g in range(groups.n_groups):
        idx = groups.members(g)
        bound = l1 * float(groups.weights[g])
        norm = float(np.linalg.norm(coef[idx]))
        if norm == 0.0:
            excess = max(0.0, float(np.linalg.norm(grad[idx])) - bound)
        else:
            excess = float(np.linalg.norm(grad[idx] - bound * coef[idx] / norm))
        worst = max(worst, excess / bound)
    return worst
