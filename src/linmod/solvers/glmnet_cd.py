"""Coordinate descent with per-feature penalties and box constraints (glmnet's options).

Solves, on centred (scaled) data,

    P(w) = ½‖y − Xw‖² + Σ_j [a_j|w_j| + (b_j/2)w_j²]   subject to  l_j ≤ w_j ≤ u_j,

with ``a_j = λ₁v_j`` and ``b_j = λ₂v_j`` (``v`` the normalised penalty factors of
:mod:`linmod.solvers.glmnet_options`).  The coordinate update is glmnet's
(``elnet``): the soft-thresholded, shrunken update clipped into the box,

    w_j ← clip(S(x_jᵀr + ‖x_j‖²w_j, a_j) / (‖x_j‖² + b_j), l_j, u_j),

cycling over all features, then over the active set until it settles, then over all
features again until a full pass changes nothing (glmnet's scheme).

Stopping rule
    The kernel stops a round when no update lowers the objective by more than
    ``thresh`` (glmnet's criterion ``max_j ‖x_j‖²Δw_j² < thresh``).  The driver then
    computes the **duality gap** of the current point (:func:`duality_gap`) and
    accepts it when the gap is below ``tol·‖y − ȳ‖²`` (linmod's and scikit-learn's
    meaning of ``tol``, as for the plain elastic net); otherwise it divides ``thresh``
    by 100 and continues from there.  The gap stays finite with unpenalised features:
    the dual point is the residual projected off the unpenalised columns that need it,
    then scaled into the dual feasible set (see :func:`duality_gap`).

The kernel is plain cyclic coordinate descent (no screening, no extrapolation): the
plain elastic net keeps the accelerated kernels of
:mod:`linmod.solvers.coordinate_descent`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.progress import Progress
from linmod.solvers.convergence import warn_unconverged
from linmod.solvers.glmnet_options import (
    GlmnetOptions,
    InternalOptions,
    bounded_least_squares,
    unpenalized_gradient,
)
from linmod.solvers.penalized_magnitude import ldexp
from linmod.solvers.penalized_problem import EnetProblem

__all__ = ["box_cd", "duality_gap", "options_path"]

Float = NDArray[np.float64]

_EMPTY = np.zeros(0)
_EMPTY_2D = np.zeros((0, 0))


@njit(cache=True)
def _sweep(
    gram_layout: bool,
    xt: Float,
    gram: Float,
    aux: Float,
    w: Float,
    norm2: Float,
    a: Float,
    b: Float,
    lo: Float,
    hi: Float,
    idx: NDArray[np.int64],
    m: int,
) -> float:  # pragma: no cover - compiled
    """One cyclic pass over ``idx[:m]``; returns ``max ‖x_j‖²Δw_j²``."""
    dlx = 0.0
    for k in range(m):
        j = idx[k]
        if norm2[j] == 0.0:
            continue
        wj = w[j]
        g = aux[j] if gram_layout else np.dot(xt[j], aux)
        z = g + norm2[j] * wj
        if z > a[j]:
            new = (z - a[j]) / (norm2[j] + b[j])
        elif z < -a[j]:
            new = (z + a[j]) / (norm2[j] + b[j])
        else:
            new = 0.0
        new = min(max(new, lo[j]), hi[j])
        if new != wj:
            d = new - wj
            v = gram[j] if gram_layout else xt[j]
            for i in range(aux.shape[0]):
                aux[i] -= d * v[i]
            w[j] = new
            dlx = max(dlx, norm2[j] * d * d)
    return dlx


@njit(cache=True)
def _box_cd(
    gram_layout: bool,
    xt: Float,
    gram: Float,
    aux: Float,
    w: Float,
    norm2: Float,
    a: Float,
    b: Float,
    lo: Float,
    hi: Float,
    thresh: float,
    max_epochs: int,
) -> int:  # pragma: no cover - compiled
    p = w.shape[0]
    every = np.arange(p)
    active = np.empty(p, dtype=np.int64)
    epochs = 0
    while epochs < max_epochs:
        dlx = _sweep(gram_layout, xt, gram, aux, w, norm2, a, b, lo, hi, every, p)
        epochs += 1
        if dlx < thresh:
            break
        m = 0
        for j in range(p):
            if w[j] != 0.0:
                active[m] = j
                m += 1
        while epochs < max_epochs:
            dlx = _sweep(gram_layout, xt, gram, aux, w, norm2, a, b, lo, hi, active, m)
            epochs += 1
            if dlx < thresh:
                break
    return epochs


def box_cd(
    problem: EnetProblem,
    w: Float,
    aux: Float,
    a: Float,
    b: Float,
    opts: InternalOptions,
    thresh: float,
    max_epochs: int,
) -> int:
    """Run glmnet's coordinate descent on ``problem`` from ``w`` (updated in place).

    ``aux`` is the residual ``y − Xw`` (residual layout) or the gradient ``Xᵀy − Gw``
    (Gram layout) and is kept consistent with ``w``.  Returns the epochs run.
    """
    if problem.gram is not None:
        return int(
            _box_cd(True, _EMPTY_2D, problem.gram, aux, w, problem.norm2, a, b,
                    opts.lower, opts.upper, thresh, max_epochs)
        )  # fmt: skip
    assert problem.xt is not None
    return int(
        _box_cd(False, problem.xt, _EMPTY_2D, aux, w, problem.norm2, a, b,
                opts.lower, opts.upper, thresh, max_epochs)
    )  # fmt: skip


def _rebuild(problem: EnetProblem, w: Float) -> Float:
    """The residual (residual layout) or gradient (Gram layout) of ``w``, exactly."""
    if problem.gram is not None:
        return np.asarray(problem.xty - problem.gram @ w)
    assert problem.xt is not None
    assert problem.y is not None
    return np.asarray(problem.y - problem.xt.T @ w)


def _conjugate(z: Float, a: Float, b: Float, lo: Float, hi: Float) -> Float:
    """``g_j*(z_j)`` for ``g_j(t) = a_j|t| + b_j t²/2`` on ``[l_j, u_j]`` (finite where the
    caller made ``z`` feasible; an infinite bound with ``z`` past the threshold gives 0)."""
    out = np.zeros_like(z)
    ridge = b > 0
    if ridge.any():
        zz, aa, bb = z[ridge], a[ridge], b[ridge]
        t = np.sign(zz) * np.maximum(np.abs(zz) - aa, 0.0) / bb
        t = np.clip(t, lo[ridge], hi[ridge])
        out[ridge] = zz * t - aa * np.abs(t) - 0.5 * bb * t * t
    lasso = ~ridge
    with np.errstate(invalid="ignore"):
        up = np.where(lasso & (z > a) & np.isfinite(hi), hi * (z - a), 0.0)
        down = np.where(lasso & (z < -a) & np.isfinite(lo), lo * (z + a), 0.0)
    return out + np.nan_to_num(up) + np.nan_to_num(down)


def duality_gap(problem: EnetProblem, w: Float, aux: Float, a: Float, b: Float,
                opts: InternalOptions) -> float:  # fmt: skip
    """The duality gap ``P(w) − D(θ)`` of the boxed, weighted elastic net.

    Written as ``½‖r − θ‖² + Σ_j [g_j(w_j) + g_j*(x_jᵀθ) − w_j x_jᵀθ]`` (non-negative
    Fenchel–Young terms, no cancellation of ``‖y‖²``-sized numbers).  The dual point is
    ``θ = s(r − X_U c)``: ``X_U c`` is the projection of the residual on the columns
    ``U`` of unpenalised features (``a_j = b_j = 0``) whose dual constraint (``x_jᵀθ = 0``
    or one-sided, by their bounds) the residual violates, and ``s ∈ [0, 1]`` scales the
    rest into the feasible set ``x_jᵀθ ≤ a_j`` (``≥ −a_j``) of features with ``b_j = 0``
    and an infinite bound on that side.  At the optimum ``θ = r``, so the gap vanishes.
    """
    lo, hi = opts.lower, opts.upper
    if problem.gram is not None:
        h = aux.copy()
        r_norm2 = max(float(problem.y_norm2 - w @ problem.xty - w @ aux), 0.0)
    else:
        assert problem.xt is not None
        h = problem.xt @ aux
        r_norm2 = float(aux @ aux)
    live = problem.norm2 > 0
    free = (a == 0) & (b == 0) & live
    in_u = np.zeros(w.shape[0], dtype=bool)
    c: Float = np.zeros(0)
    hp: Float = h
    for _ in range(4):
        bad = free & ~in_u & (((hi == np.inf) & (hp > 0)) | ((lo == -np.inf) & (hp < 0)))
        if not bad.any():
            break
        in_u |= bad
        u = np.flatnonzero(in_u)
        if problem.gram is not None:
            g_uu = problem.gram[np.ix_(u, u)]
            c = np.asarray(np.linalg.lstsq(g_uu, h[u], rcond=None)[0], dtype=float)
            hp = np.asarray(h - problem.gram[:, u] @ c)
        else:
            assert problem.xt is not None
            c = np.asarray(np.linalg.lstsq(problem.xt[u].T, aux, rcond=None)[0], dtype=float)
            hp = np.asarray(problem.xt @ (aux - problem.xt[u].T @ c))
    u = np.flatnonzero(in_u)
    hp = np.where(in_u | ~live, 0.0, hp)
    s = 1.0
    lasso = b == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        over = lasso & (hi == np.inf) & (hp > a)
        under = lasso & (lo == -np.inf) & (hp < -a)
        if over.any():
            s = min(s, float(np.min(a[over] / hp[over])))
        if under.any():
            s = min(s, float(np.min(a[under] / -hp[under])))
    z = s * hp
    if problem.gram is not None:
        diff2 = (1 - s) ** 2 * float(r_norm2)
        if u.size:
            cu = float(c @ h[u])
            cgc = float(c @ (problem.gram[np.ix_(u, u)] @ c))
            diff2 += 2 * s * (1 - s) * cu + s * s * cgc
    else:
        assert problem.xt is not None
        theta = aux if not u.size else aux - problem.xt[u].T @ c
        diff = aux - s * theta
        diff2 = float(diff @ diff)
    terms = a * np.abs(w) + 0.5 * b * w * w + _conjugate(z, a, b, lo, hi) - w * z
    return float(0.5 * max(diff2, 0.0) + np.sum(np.maximum(terms, 0.0)))


def options_path(
    problem: EnetProblem,
    alphas: Float,
    l1_ratio: float,
    options: GlmnetOptions,
    *,
    tol: float = 1e-4,
    max_iter: int = 1000,
    coef_init: Float | None = None,
    warn: bool = True,
    progress: bool | None = False,
    l1_exp: int = 0,
    l2_exp: int = 0,
) -> tuple[Float, Float, NDArray[np.int64], NDArray[np.bool_], NDArray[np.bool_]]:
    """Solve the boxed, weighted elastic net at each penalty, warm-started.

    Parameters
    ----------
    problem : EnetProblem
    alphas : ndarray of shape (k,)
        Penalties in scikit-learn's scaling (of the data given; ``l1_exp``/``l2_exp``
        rescale them exactly, as in :func:`linmod.solvers.elastic_net.solve_path`).
    l1_ratio : float
    options : GlmnetOptions
    tol, max_iter, coef_init, warn, progress, l1_exp, l2_exp
        As for :func:`linmod.solvers.elastic_net.solve_path`; ``max_iter`` bounds the
        coordinate-descent epochs per penalty.

    Returns
    -------
    coefs : ndarray of shape (p, k)
        Coefficients of the scaled problem.
    dual_gaps : ndarray of shape (k,)
        In scikit-learn's scaling (divided by ``n``).
    n_iter : ndarray of shape (k,)
    converged : ndarray of bool, shape (k,)
    fixed_point : ndarray of bool, shape (k,)
        Stopped at glmnet's floor (updates below ``eps²·‖y‖²``) with the gap above
        ``tol``: accepted as converged, as glmnet does, since further sweeps only move
        the coefficients by rounding.
    """
    n, p = problem.n, problem.p
    k = alphas.shape[0]
    opts = options.internal(problem)
    coefs = np.zeros((p, k))
    gaps = np.zeros(k)
    iters = np.zeros(k, dtype=np.int64)
    converged = np.ones(k, dtype=bool)
    fixed = np.zeros(k, dtype=bool)
    if coef_init is None:  # start from the fit of the unpenalised features (glmnet's)
        w = unpenalized_gradient(problem, opts)[1]
    else:
        w = np.clip(np.array(coef_init, dtype=float), opts.lower, opts.upper)
    tol_abs = tol * problem.y_norm2
    floor = problem.y_norm2 * np.finfo(float).eps ** 2
    bar = Progress("penalties", enabled=progress, total=k)
    everything = np.arange(p)
    for i, alpha in enumerate(alphas.tolist()):
        bar.update(1)
        l1 = ldexp(float(alpha * l1_ratio * n), l1_exp)
        l2 = ldexp(float(alpha * (1.0 - l1_ratio) * n), l2_exp)
        iters[i] = 1
        if p == 0:
            continue
        with np.errstate(invalid="ignore"):  # inf·0 for an excluded feature
            a = np.where(opts.factor > 0, l1 * opts.factor, 0.0)
            b = np.where(opts.factor > 0, l2 * opts.factor, 0.0)
        if math.isinf(l1) or math.isinf(l2) or not (a.any() or b.any()):
            # Beyond float64 (on rescaled data) the penalised features are 0; without any
            # penalty left the rest is bounded least squares.
            fit = (opts.factor == 0) if (math.isinf(l1) or math.isinf(l2)) else opts.factor >= 0
            live = everything[fit & (problem.norm2 > 0) & (opts.upper > opts.lower)]
            w = np.zeros(p)
            w[live] = bounded_least_squares(problem, live, opts.lower, opts.upper)
            coefs[:, i] = w
            continue
        aux = _rebuild(problem, w)
        thresh = max(tol_abs, floor)
        epochs = 0
        while True:
            epochs += box_cd(problem, w, aux, a, b, opts, thresh, max_iter - epochs)
            aux = _rebuild(problem, w)
            gap = duality_gap(problem, w, aux, a, b, opts)
            if gap <= tol_abs or epochs >= max_iter or thresh <= floor:
                break
            thresh = max(thresh / 100.0, floor)
        coefs[:, i] = w
        gaps[i] = gap / n
        iters[i] = max(epochs, 1)
        converged[i] = gap <= tol_abs or thresh <= floor
        fixed[i] = gap > tol_abs and thresh <= floor
    bar.close()
    if warn:
        warn_unconverged(alphas, gaps, converged, max_iter, tol)
    return coefs, gaps, iters, converged, fixed
