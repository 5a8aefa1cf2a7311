"""Standard errors of regression quantiles, as R's ``quantreg::summary.rq``.

``se="iid"``
    Koenker and Bassett (1978): ``q (1 - q) s^2 (X'X)^-1`` with the sparsity ``s`` (the
    reciprocal density of the errors at the quantile) estimated from a local regression
    of the ordered residuals on their ranks, over a Hall-Sheather bandwidth.
``se="nid"``
    Hendricks and Koenker (1992): the sandwich ``q (1 - q) H^-1 (X'X) H^-1``,
    ``H = X' diag(f) X``, with each row's density ``f_i = 2h / x_i'(b(q + h) - b(q - h))``
    from the fits at ``q +- h``: valid when the errors are not identically distributed.
``se="ker"``
    Powell (1991): the same sandwich with ``f`` from a Gaussian kernel on the residuals.
``se="boot"``
    The xy-pairs bootstrap (quantreg's ``bsmethod="xy"``): the covariance of the
    coefficients refitted on resampled rows.

Below 1001 rows quantreg's default is rank-inversion intervals (``se="rank"``, in
:mod:`linmod.inference.quantile_rank`), which give intervals but no standard errors.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special

from linmod._stack import user_stacklevel
from linmod.exceptions import InputError, LinmodWarning
from linmod.solvers.quantile import fit_quantile

__all__ = ["QUANTILE_SE_METHODS", "bandwidth", "quantile_covariance"]

Float = NDArray[np.float64]

QUANTILE_SE_METHODS: tuple[str, ...] = ("rank", "nid", "iid", "ker", "boot")
_EPS = float(np.finfo(float).eps) ** 0.5  # quantreg's eps, .Machine$double.eps^(1/2)


def bandwidth(q: float, n: int, hall_sheather: bool = True, alpha: float = 0.05) -> float:
    """quantreg's ``bandwidth.rq``: Hall-Sheather (default) or Bofinger bandwidth."""
    x0 = special.ndtri(q)
    f0 = np.exp(-0.5 * x0 * x0) / np.sqrt(2.0 * np.pi)
    if hall_sheather:
        z = special.ndtri(1.0 - alpha / 2.0)
        return float(n ** (-1 / 3) * z ** (2 / 3) * (1.5 * f0**2 / (2 * x0**2 + 1)) ** (1 / 3))
    return float(n**-0.2 * (4.5 * f0**4 / (2 * x0**2 + 1) ** 2) ** 0.2)


def _inverse_cross(x: Float) -> Float:
    """``(X'X)^-1`` from the R factor of a QR of ``x`` (as quantreg's backsolve)."""
    r = sla.qr(x, mode="r", check_finite=False)[0][: x.shape[1]]
    r_inv = sla.solve_triangular(r, np.eye(x.shape[1]), check_finite=False)
    return r_inv @ r_inv.T


def _narrowed(q: float, h: float) -> float:
    while q - h < 0 or q + h > 1:
        h /= 2
    return h


def _sandwich(x: Float, f: Float, q: float) -> Float:
    bread = _inverse_cross(np.sqrt(f)[:, None] * x)
    return q * (1 - q) * bread @ (x.T @ x) @ bread


def _iid(x: Float, residuals: Float, q: float) -> Float:
    n, p = x.shape
    zero = int(np.sum(np.abs(residuals) < _EPS))
    h = max(p + 1, int(np.ceil(n * bandwidth(q, n))))
    ranks = np.arange(zero + 1, h + zero + 2)  # R's ir <- (pz + 1):(h + pz + 1), 1-based
    ranks = ranks[ranks <= n]
    by_size = residuals[np.argsort(np.abs(residuals), kind="stable")]
    ordered = np.sort(by_size[ranks - 1])
    position = ranks / (n - p)
    # The sparsity is the slope of the median regression of the ordered residuals on
    # their positions (R: rq(ord.resid ~ xt)$coef[2]).
    design = np.column_stack([np.ones(ranks.size), position])
    sparsity = float(fit_quantile(design, ordered, 0.5).coef[1])
    return sparsity**2 * _inverse_cross(x) * q * (1 - q)


def _nid(x: Float, y: Float, q: float) -> Float:
    n = x.shape[0]
    h = _narrowed(q, bandwidth(q, n))
    high = fit_quantile(x, y, q + h).coef
    low = fit_quantile(x, y, q - h).coef
    spread = x @ (high - low)
    bad = int(np.sum(spread <= 0))
    if bad:
        warnings.warn(
            f"{bad} rows have non-positive density estimates (the fitted quantiles at "
            f"q={q - h:.4g} and q={q + h:.4g} cross there); their weight is set to 0, as "
            "quantreg does",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
    f = np.maximum(0.0, (2 * h) / (spread - _EPS))
    return _sandwich(x, f, q)


def _ker(x: Float, residuals: Float, q: float) -> Float:
    n = x.shape[0]
    h = _narrowed(q, bandwidth(q, n))
    quartiles = np.quantile(residuals, [0.25, 0.75])  # R's quantile type 7
    spread = min(float(np.std(residuals, ddof=1)), float(quartiles[1] - quartiles[0]) / 1.34)
    width = (special.ndtri(q + h) - special.ndtri(q - h)) * spread
    f = np.exp(-0.5 * (residuals / width) ** 2) / np.sqrt(2 * np.pi) / width
    return _sandwich(x, f, q)


def _boot(x: Float, y: Float, q: float, replications: int, seed: int | None) -> Float:
    n, p = x.shape
    rng = np.random.default_rng(seed)
    draws = np.empty((replications, p))
    for b in range(replications):
        # A resample repeats rows: fit each drawn row once with its count as a weight
        # (rho_q(c r) = c rho_q(r)), the same problem without the duplicated rows.
        counts = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(float)
        rows = np.flatnonzero(counts)
        try:
            draws[b] = fit_quantile(x[rows] * counts[rows, None], y[rows] * counts[rows], q).coef
        except InputError:  # a resample whose design is singular: no replicate
            draws[b] = np.nan
    kept = draws[np.all(np.isfinite(draws), axis=1)]
    if kept.shape[0] < 2:
        raise InputError("too few bootstrap resamples had a full-rank design")
    return np.atleast_2d(np.cov(kept, rowvar=False))


def quantile_covariance(
    x: Float,
    y: Float,
    residuals: Float,
    q: float,
    se: str = "nid",
    *,
    replications: int = 200,
    seed: int | None = None,
) -> Float:
    """Covariance of the regression-quantile coefficients.

    Parameters
    ----------
    x, y : ndarray
        The design and response of the fit.
    residuals : ndarray
        The fit's residuals.
    q : float
        The quantile level.
    se : {"nid", "iid", "ker", "boot"}
        The method (see the module docstring).
    replications, seed
        For ``se="boot"``: resamples (quantreg's ``R``, default 200) and the seed.

    Returns
    -------
    ndarray of shape (p, p)
    """
    if se == "iid":
        return _iid(x, residuals, q)
    if se == "nid":
        return _nid(x, y, q)
    if se == "ker":
        return _ker(x, residuals, q)
    if se == "boot":
        return _boot(x, y, q, replications, seed)
    raise InputError(
        f"se={se!r} is not known; use one of {', '.join(map(repr, QUANTILE_SE_METHODS))} "
        "(se='rank' gives intervals without standard errors)"
    )
