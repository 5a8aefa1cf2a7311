"""Rank-inversion confidence intervals for regression quantiles (quantreg's ``se="rank"``).

Koenker (1994): the interval for coefficient ``j`` is the set of values ``b`` that the
regression rank-score test of ``beta_j = b`` does not reject. Under ``beta_j = b`` the
model is the regression quantile of ``y - b x_j`` on the other columns; its dual solution
(the regression rank scores ``a_i``) gives the statistic

``T(b) = sum_i xt_i (a_i - (1 - q)) / sqrt(q (1 - q) sum_i xt_i^2)``,

with ``xt`` the residual of ``x_j`` regressed (least squares) on the other columns (the
"iid" version, quantreg's default). ``T`` is constant between the values of ``b`` at
which the restricted solution changes basis; walking outwards from the estimate,
interval by interval (each one's ends computed exactly from its basis), finds the first
piece where ``|T|`` exceeds the critical value, and the bound is interpolated linearly
between the two breakpoints around it, as quantreg's ``rq.fit.br(ci = TRUE,
interp = TRUE)``: with ``alpha = 0.1`` and Student's t on ``n - p`` degrees of freedom
by default, as ``summary.rq(se = "rank")``.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special

from linmod.exceptions import InputError
from linmod.solvers.quantile import fit_quantile

__all__ = ["rank_intervals"]

Float = NDArray[np.float64]

_MAX_PIECES = 100_000


def _piece(
    x: Float, y: Float, j: int, q: float, b: float, xt: Float, scale: float
) -> tuple[float, float, float]:
    """The rank-score statistic on the piece containing ``b``, and the piece's ends."""
    others = np.delete(x, j, axis=1)
    solution = fit_quantile(others, y - b * x[:, j], q)
    basis = solution.basis
    r = solution.residuals
    psi = q - (r < 0)
    psi[basis] = 0.0
    lu = sla.lu_factor(others[basis], check_finite=False)
    psi[basis] = -sla.lu_solve(lu, others.T @ psi, trans=1, check_finite=False)
    statistic = float(xt @ psi) / scale
    # residuals move linearly with b while the basis holds: r_i(b') = r_i - (b' - b) c_i
    c = x[:, j] - others @ sla.lu_solve(lu, x[basis, j], check_finite=False)
    c[basis] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = r / c
    nonbasic = np.ones(r.shape[0], dtype=bool)
    nonbasic[basis] = False
    up = steps[nonbasic & (c != 0) & (steps > 0)]
    down = steps[nonbasic & (c != 0) & (steps < 0)]
    high = b + (float(up.min()) if up.size else np.inf)
    low = b + (float(down.max()) if down.size else -np.inf)
    return statistic, low, high


def _bound(
    x: Float, y: Float, j: int, q: float, estimate: float, xt: Float, scale: float,
    cutoff: float, direction: float,
) -> float:  # fmt: skip
    """One end of coefficient ``j``'s interval, walking from the estimate in ``direction``."""
    width = 1e-9 * max(abs(estimate), 1.0)
    b = estimate + direction * width
    starts: list[float] = []  # each piece's end nearest the estimate
    statistics: list[float] = []
    for _ in range(_MAX_PIECES):
        statistic, low, high = _piece(x, y, j, q, b, xt, scale)
        near, far = (low, high) if direction > 0 else (high, low)
        starts.append(near)
        statistics.append(statistic)
        if abs(statistic) > cutoff:
            # quantreg interpolates between this piece's start and the previous piece's
            # start, where |T| was still inside the cut-off.
            if len(statistics) == 1:
                return near
            inside, outside = starts[-2], starts[-1]
            t_in, t_out = statistics[-2], statistic
            if t_out == t_in:
                return outside
            return inside + (outside - inside) * (cutoff - abs(t_in)) / abs(t_out - t_in)
        if not np.isfinite(far):
            return float(direction * np.inf)
        step = max(abs(far) * 1e-12, width * 1e-3)
        b = far + direction * step
    return float(direction * np.inf)


def rank_intervals(x: Float, y: Float, q: float, coef: Float, alpha: float = 0.1) -> Float:
    """Rank-inversion intervals ``(p, 2)`` for every coefficient (quantreg's ``se="rank"``).

    Parameters
    ----------
    x, y : ndarray
        The design (full column rank, at least two columns) and the response.
    q : float
        The quantile level.
    coef : ndarray of shape (p,)
        The fitted coefficients.
    alpha : float, default 0.1
        One minus the coverage (quantreg's default 0.1: 90% intervals).

    Returns
    -------
    ndarray of shape (p, 2)
        Lower and upper bounds (infinite where the test never rejects).
    """
    n, p = x.shape
    if p < 2:
        raise InputError(
            "rank-inversion intervals need at least two columns (quantreg computes none for "
            "a single column); use se='nid', 'iid', 'ker' or 'boot'"
        )
    cutoff = float(-special.stdtrit(n - p, alpha / 2.0))
    bounds = np.empty((p, 2))
    for j in range(p):
        others = np.delete(x, j, axis=1)
        xt = x[:, j] - others @ sla.lstsq(others, x[:, j], check_finite=False)[0]
        scale = float(np.sqrt(q * (1 - q) * float(xt @ xt)))
        for side, direction in ((0, -1.0), (1, 1.0)):
            bounds[j, side] = _bound(x, y, j, q, float(coef[j]), xt, scale, cutoff, direction)
    return bounds
