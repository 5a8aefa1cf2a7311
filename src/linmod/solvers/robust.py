"""Robust regression by M-estimation: iteratively reweighted least squares (IRLS).

The estimator minimises ``sum rho(r_i / s)`` for a loss ``rho`` that grows more slowly
than the square, so that outlying rows weigh less. Each IRLS step fits weighted least
squares with the weights ``w_i = psi(u_i) / u_i`` of the current scaled residuals
``u_i = r_i / s``, where ``psi = rho'``; the scale ``s`` is re-estimated before each step.
This is MASS's ``rlm`` step for step (same weight functions, scale estimates, start and
convergence test), so that with ``tol=1e-4, max_iter=20`` it reproduces R's default fit.

Norms (the weight functions of MASS's ``psi.huber``, ``psi.bisquare``, ``psi.hampel``):

``huber`` (k = 1.345)
    convex: a unique minimum, reached from any start (least squares by default);
``bisquare`` (c = 4.685) and ``hampel`` (a, b, c = 2, 4, 8)
    redescending: rows far out get weight 0, the objective has local minima, so the fit
    starts from the least-absolute-deviations line (a robust start).

Scales: ``"mad"`` (the median absolute residual / 0.6745, re-estimated at each step, as
MASS's default) or ``"huber"`` (Huber's proposal 2, MASS's ``scale.est = "Huber"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special

from linmod.exceptions import InputError

__all__ = [
    "NORMS",
    "RobustSolution",
    "check_norm",
    "fit_robust",
    "psi_derivative",
    "robust_weights",
]

Float = NDArray[np.float64]

#: norm -> default tuning constants (MASS's defaults: 95% efficiency at the normal)
NORMS: dict[str, tuple[float, ...]] = {
    "huber": (1.345,),
    "bisquare": (4.685,),
    "hampel": (2.0, 4.0, 8.0),
}
SCALES: tuple[str, ...] = ("mad", "huber")


@dataclass(frozen=True)
class RobustSolution:
    """What IRLS found.

    Attributes
    ----------
    coef : ndarray of shape (p,)
    residuals : ndarray of shape (n,)
        ``y - X coef`` (of the rows as given, before any precision weighting).
    weights : ndarray of shape (n,)
        The final IRLS weights ``psi(u) / u`` (1: a row fully counted; 0: ignored).
    scale : float
        The scale ``s`` of the last step (MASS's ``s``).
    iterations : int
    converged : bool
    history : tuple of float
        The convergence criterion at each step (MASS's ``conv``).
    """

    coef: Float
    residuals: Float
    weights: Float
    scale: float
    iterations: int
    converged: bool
    history: tuple[float, ...]


def check_norm(norm: str, tuning: tuple[float, ...] | float | None) -> tuple[float, ...]:
    """The tuning constants for ``norm`` (its defaults when ``tuning`` is None)."""
    if norm not in NORMS:
        raise InputError(f"norm={norm!r} is not known; use one of {', '.join(map(repr, NORMS))}")
    if tuning is None:
        return NORMS[norm]
    values = (float(tuning),) if np.isscalar(tuning) else tuple(map(float, tuning))  # type: ignore[arg-type]
    if len(values) != len(NORMS[norm]) or not all(v > 0 and np.isfinite(v) for v in values):
        raise InputError(
            f"tuning={tuning!r} does not fit norm={norm!r}: it takes {len(NORMS[norm])} "
            f"positive constant(s), by default {NORMS[norm]}"
        )
    if norm == "hampel" and not values[0] <= values[1] < values[2]:
        raise InputError(f"hampel's constants must satisfy a <= b < c; got {values}")
    return values


def robust_weights(u: Float, norm: str, tuning: tuple[float, ...]) -> Float:
    """The IRLS weights ``psi(u) / u`` of the scaled residuals ``u`` (MASS's ``psi(u)``)."""
    a = np.abs(u)
    if norm == "huber":
        with np.errstate(divide="ignore"):
            return np.minimum(1.0, tuning[0] / a)
    if norm == "bisquare":
        return (1.0 - np.minimum(1.0, np.abs(u / tuning[0])) ** 2) ** 2
    lo, mid, hi = tuning
    clipped = np.minimum(a + 1e-50, hi)
    psi = np.where(
        clipped <= lo, clipped, np.where(clipped <= mid, lo, lo * (hi - clipped) / (hi - mid))
    )
    return psi / clipped


def psi_derivative(u: Float, norm: str, tuning: tuple[float, ...]) -> Float:
    """``psi'(u)`` (MASS's ``psi(u, deriv = 1)``), for the standard errors."""
    if norm == "huber":
        return (np.abs(u) <= tuning[0]).astype(float)
    if norm == "bisquare":
        t = (u / tuning[0]) ** 2
        return np.where(t < 1, (1 - t) * (1 - 5 * t), 0.0)
    lo, mid, hi = tuning
    clipped = np.minimum(np.abs(u) + 1e-50, hi)
    inner = np.where(clipped <= lo, 1.0, np.where(clipped <= mid, 0.0, -lo / (hi - mid)))
    return np.where(np.abs(u) <= hi, inner, 0.0)


def _weighted_fit(x: Float, y: Float, w: Float) -> tuple[Float, Float]:
    """Weighted least squares through a QR of the sqrt(w)-scaled rows (as ``lm.wfit``)."""
    root = np.sqrt(w)
    coef = sla.lstsq(x * root[:, None], y * root, lapack_driver="gelsy", check_finite=False)[0]
    return coef, y - x @ coef


def _huber_proposal_2(k2: float) -> Callable[[Float, float, int], float]:
    theta = 2 * special.ndtr(k2) - 1
    gamma = theta + k2**2 * (1 - theta) - 2 * k2 * np.exp(-0.5 * k2 * k2) / np.sqrt(2 * np.pi)

    def scale(residuals: Float, previous: float, df: int) -> float:
        return float(np.sqrt(np.sum(np.minimum(residuals**2, (k2 * previous) ** 2)) / (df * gamma)))

    return scale


def fit_robust(
    x: Float,
    y: Float,
    start: Float,
    norm: str = "huber",
    tuning: tuple[float, ...] | None = None,
    scale: str = "mad",
    tol: float = 1e-10,
    max_iter: int = 100,
) -> RobustSolution:
    """Fit an M-estimator by IRLS from the coefficients ``start``.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        The design, full column rank.
    y : ndarray of shape (n,)
    start : ndarray of shape (p,)
        Starting coefficients (least squares, or least absolute deviations for the
        redescending norms).
    norm : {"huber", "bisquare", "hampel"}
    tuning : tuple of float, optional
        The norm's constants (default: MASS's).
    scale : {"mad", "huber"}
        How the scale is re-estimated at each step.
    tol, max_iter
        Stop when ``||r_old - r_new|| / ||r_old|| <= tol`` (MASS's test on residuals,
        ``acc``) or after ``max_iter`` steps (MASS's ``maxit``).

    Returns
    -------
    RobustSolution
    """
    constants = check_norm(norm, tuning)
    if scale not in SCALES:
        raise InputError(f"scale={scale!r} is not known; use 'mad' or 'huber'")
    n, p = x.shape
    coef = np.asarray(start, dtype=np.float64)
    residuals = y - x @ coef
    proposal = _huber_proposal_2(1.345) if scale == "huber" else None
    s = float(np.median(np.abs(residuals)) * 1.4826)  # R's mad(resid, center = 0)
    history: list[float] = []
    converged = False
    w = np.ones(n)
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        previous = residuals
        s = (
            float(np.median(np.abs(residuals)) / 0.6745)
            if proposal is None
            else proposal(residuals, s, n - p)
        )
        if s == 0.0:  # a perfect fit of more than half the rows
            converged = True
            break
        w = robust_weights(residuals / s, norm, constants)
        coef, residuals = _weighted_fit(x, y, w)
        delta = float(
            np.sqrt(np.sum((previous - residuals) ** 2) / max(1e-20, float(np.sum(previous**2))))
        )
        history.append(delta)
        if delta <= tol:
            converged = True
            break
    return RobustSolution(
        coef=coef,
        residuals=residuals,
        weights=w,
        scale=s,
        iterations=iteration,
        converged=converged,
        history=tuple(history),
    )
