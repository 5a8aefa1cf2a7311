"""The group Lasso and group elastic net by block coordinate descent, compiled with numba.

For feature groups ``g`` with weights ``w_g = √|g|`` (:mod:`linmod.solvers.feature_groups`)
the solvers minimise, on centred (and possibly standardised) data,

    (1/2n)‖y − Xβ‖² + α·l1_ratio·Σ_g w_g‖β_g‖₂ + α(1 − l1_ratio)/2·‖β‖²,

scikit-learn's elastic-net scaling with the L1 norm replaced by the group norm (the
intercept is removed by centring, so it is never penalised).  A group is either wholly
zero or wholly non-zero: a factor's dummy columns enter and leave together.  With one
feature per group this is exactly the Lasso / elastic net.

Algorithm
    Block coordinate descent with one *proximal* step per block (skglm's ``GroupLasso``
    solver and Qin, Scheinberg & Goldfarb 2013), the kernel's objective multiplied by
    ``n`` (``λ₁ = n·α·l1_ratio``, ``λ₂ = n·α(1 − l1_ratio)``).  For block ``g`` with
    ``L_g`` the largest eigenvalue of ``X_gᵀX_g``:

        z = β_g + X_gᵀr / L_g,
        β_g ← max(0, 1 − λ₁w_g / (L_g‖z‖)) · L_g z / (L_g + λ₂),

    the exact minimiser of the quadratic upper bound with step ``1/L_g`` plus the
    block's penalty.  The penalty stays on the columns' own (or standardised)
    coefficients: the groups are *not* orthonormalised as grpreg does, which would
    penalise ``‖X_gβ_g‖`` instead and change the objective.  For a group of one column
    ``L_g = ‖x_j‖²`` and the step is exactly the coordinate-descent update of the
    elastic net.

Stopping rule
    The duality gap in scikit-learn's formulation, with the group norm's dual
    ``max_g ‖X_gᵀR − λ₂β_g‖/w_g`` in place of ``‖·‖∞``, must fall below ``tol·‖y‖²``
    (the convention of :mod:`linmod.solvers.coordinate_descent`); it is checked after
    the first epoch and every fifth, on a residual rebuilt exactly from ``β``.
    :func:`group_kkt_violation` checks the optimality conditions afterwards:
    ``‖X_gᵀr − λ₂β_g‖ ≤ λ₁w_g`` for a zero group and
    ``X_gᵀr − λ₂β_g = λ₁w_g·β_g/‖β_g‖`` for a non-zero one.
"""

from __future__ import annotations

import math
import warnings

import numba
import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod._stack import user_stacklevel
from linmod.exceptions import ConvergenceWarning, InputError
from linmod.solvers.elastic_net import PathSolution
from linmod.solvers.feature_groups import FeatureGroups
from linmod.solvers.penalized_magnitude import ldexp
from linmod.solvers.penalized_problem import EnetProblem

__all__ = ["group_alpha_max", "group_kkt_violation", "solve_group_path"]

Float = NDArray[np.float64]
Ints = NDArray[np.int64]

#: The duality gap is evaluated after the first epoch and then every this many epochs.
_GAP_EVERY = 5


@numba.njit(cache=True)
def _rebuild(xt: Float, y: Float, w: Float, resid: Float) -> None:  # pragma: no cover
    """``resid = y − Xw`` exactly (only the non-zero coefficients contribute)."""
    resid[:] = y
    for j in range(w.shape[0]):
        if w[j] != 0.0:
            resid -= w[j] * xt[j]


@numba.njit(cache=True)
def _gap(
    xt: Float,
    y: Float,
    resid: Float,
    w: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    l1: float,
    l2: float,
) -> float:  # pragma: no cover - compiled
    """Duality gap of ``½‖y − Xw‖² + λ₁Σ w_g‖w_g‖ + (λ₂/2)‖w‖²`` at ``w``."""
    r_norm2 = np.dot(resid, resid)
    dual_norm = 0.0
    penalty = 0.0
    w_norm2 = 0.0
    for g in range(starts.shape[0] - 1):
        s2 = 0.0
        b2 = 0.0
        for k in range(starts[g], starts[g + 1]):
            j = order[k]
            v = np.dot(xt[j], resid) - l2 * w[j]
            s2 += v * v
            b2 += w[j] * w[j]
        dual_norm = max(dual_norm, math.sqrt(s2) / weights[g])
        penalty += weights[g] * math.sqrt(b2)
        w_norm2 += b2
    const = l1 / dual_norm if dual_norm > l1 else 1.0
    gap = 0.5 * r_norm2 * (1.0 + const * const) + l1 * penalty - const * np.dot(resid, y)
    return gap + 0.5 * l2 * (1.0 + const * const) * w_norm2


@numba.njit(cache=True)
def _epoch(
    xt: Float,
    resid: Float,
    w: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    lips: Float,
    l1: float,
    l2: float,
    z: Float,
) -> None:  # pragma: no cover - compiled
    """One cyclic sweep of proximal block updates over every group."""
    for g in range(starts.shape[0] - 1):
        lip = lips[g]
        if lip <= 0.0:  # every column of the group is constant: it stays at 0
            continue
        start, stop = starts[g], starts[g + 1]
        norm2 = 0.0
        for k in range(start, stop):
            j = order[k]
            zk = w[j] + np.dot(xt[j], resid) / lip
            z[k - start] = zk
            norm2 += zk * zk
        norm = math.sqrt(norm2)
        threshold = l1 * weights[g] / lip
        shrink = 0.0 if norm <= threshold else (1.0 - threshold / norm) * lip / (lip + l2)
        for k in range(start, stop):
            j = order[k]
            delta = shrink * z[k - start] - w[j]
            if delta != 0.0:
                w[j] += delta
                resid -= delta * xt[j]


@numba.njit(cache=True)
def group_enet_residual(
    xt: Float,
    y: Float,
    w: Float,
    resid: Float,
    order: Ints,
    starts: Ints,
    weights: Float,
    lips: Float,
    l1: float,
    l2: float,
    tol_abs: float,
    max_iter: int,
) -> tuple[float, int]:  # pragma: no cover - compiled
    """Minimise ``½‖y − Xw‖² + λ₁Σ w_g‖w_g‖ + (λ₂/2)‖w‖²`` from the warm start ``w``.

    ``xt`` is the transposed design ``(p, n)``; ``resid`` a buffer of length ``n``.
    Returns the last duality gap and the epochs run.
    """
    size = 0
    for g in range(starts.shape[0] - 1):
        size = max(size, starts[g + 1] - starts[g])
    z = np.empty(size)
    _rebuild(xt, y, w, resid)
    gap = math.inf
    for epoch in range(1, max_iter + 1):
        _epoch(xt, resid, w, order, starts, weights, lips, l1, l2, z)
        if epoch % _GAP_EVERY == 1 or epoch == max_iter:
            _rebuild(xt, y, w, resid)
            gap = _gap(xt, y, resid, w, order, starts, weights, l1, l2)
            if gap <= tol_abs:
                return gap, epoch
    return gap, max_iter


def _lipschitz(xt: Float, groups: FeatureGroups) -> Float:
    """Largest eigenvalue of each group's ``X_gᵀX_g``."""
    out = np.empty(groups.n_groups)
    for g in range(groups.n_groups):
        block = xt[groups.members(g)]
        if block.shape[0] == 1:
            out[g] = float(block[0] @ block[0])
        else:
            out[g] = float(sla.eigvalsh(block @ block.T)[-1])
    return out


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
    w = np.zeros(p)
    resid = np.empty(n)
    lips = _lipschitz(problem.xt, groups)
    tol_abs = tol * problem.y_norm2
    for i, alpha in enumerate(alphas.tolist()):
        l1 = ldexp(float(alpha * l1_ratio * n), l1_exp)
        l2 = ldexp(float(alpha * (1.0 - l1_ratio) * n), l2_exp)
        if p == 0:
            continue
        if l1 == 0.0 and l2 == 0.0:  # no penalty: minimum-norm least squares
            w = np.asarray(sla.lstsq(problem.xt.T, problem.y)[0], dtype=float)
        elif math.isinf(l1) or math.isinf(l2):
            w = np.zeros(p)
        else:
            gap, epochs = group_enet_residual(
                problem.xt,
                problem.y,
                w,
                resid,
                groups.order,
                groups.starts,
                groups.weights,
                lips,
                l1,
                l2,
                tol_abs,
                int(max_iter),
            )
            gaps[i] = gap / n
            iters[i] = epochs
            converged[i] = gap <= tol_abs
        coefs[:, i] = w
    if warn and not converged.all():
        bad = np.flatnonzero(~converged)
        shown = ", ".join(f"{alphas[j]:.4g}" for j in bad[:5])
        more = f" and {bad.size - 5} more" if bad.size > 5 else ""
        warnings.warn(
            f"block coordinate descent stopped after max_iter={max_iter} epochs before the "
            f"duality gap reached tol={tol:g}·‖y‖² at alpha = {shown}{more} (largest gap "
            f"{gaps[bad].max():.3g}); increase max_iter, loosen tol, or standardize the "
            "features",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    return PathSolution(coefs=coefs, dual_gaps=gaps, n_iter=iters, converged=converged)


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
