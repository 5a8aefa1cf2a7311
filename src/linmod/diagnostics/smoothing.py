"""Scatterplot smoothing for the residual plots: LOWESS, exact or on quantile bins.

:func:`lowess` is Cleveland's (1979) locally weighted linear regression with tricube
weights and bisquare robustness iterations, the algorithm of R's ``lowess`` (used by
``plot.lm``'s ``panel.smooth``) with ``delta = 0``.  It costs O(n * f n), so
:func:`smooth` applies it to all points only up to :data:`EXACT_MAX_N` and otherwise to
the means of equal-count quantile bins of ``x``, which gives the same curve to within the
bin width at any ``n``.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["EXACT_MAX_N", "lowess", "smooth"]

Float = NDArray[np.float64]
#: Up to this many points :func:`smooth` runs LOWESS on the points themselves.
EXACT_MAX_N = 2000
_BINS = 400


@njit(cache=True)
def _fit_point(
    x: Float, y: Float, rw: Float, i: int, left: int, right: int, h: float
) -> float:  # pragma: no cover - compiled
    xi = x[i]
    h9 = 0.999 * h
    h1 = 0.001 * h
    total = 0.0
    n = x.shape[0]
    w = np.zeros(right - left + 1)
    # neighbours may extend beyond the window when tied with its edges
    lo = left
    while lo > 0 and x[lo - 1] == x[left]:
        lo -= 1
    hi = right
    while hi < n - 1 and x[hi + 1] == x[right]:
        hi += 1
    w = np.zeros(hi - lo + 1)
    for j in range(lo, hi + 1):
        r = abs(x[j] - xi)
        if r <= h9:
            if r <= h1 or h == 0.0:
                wj = 1.0
            else:
                q = r / h
                q = 1.0 - q * q * q
                wj = q * q * q
            wj *= rw[j]
            w[j - lo] = wj
            total += wj
    if total <= 0.0:
        return np.nan
    a = 0.0
    for j in range(lo, hi + 1):
        w[j - lo] /= total
        a += w[j - lo] * x[j]
    fitted = 0.0
    if h > 0.0:
        c = 0.0
        for j in range(lo, hi + 1):
            d = x[j] - a
            c += w[j - lo] * d * d
        if np.sqrt(c) > 0.001 * (x[n - 1] - x[0]):
            b = (xi - a) / c
            for j in range(lo, hi + 1):
                w[j - lo] *= b * (x[j] - a) + 1.0
    for j in range(lo, hi + 1):
        fitted += w[j - lo] * y[j]
    return fitted


@njit(cache=True)
def _lowess_sorted(x: Float, y: Float, f: float, iterations: int) -> Float:  # pragma: no cover
    n = x.shape[0]
    ns = max(min(int(f * n + 1e-7), n), 2)
    fitted = np.empty(n)
    rw = np.ones(n)
    for iteration in range(iterations + 1):
        left = 0
        right = ns - 1
        for i in range(n):
            while right < n - 1 and x[i] - x[left] > x[right + 1] - x[i]:
                left += 1
                right += 1
            h = max(x[i] - x[left], x[right] - x[i])
            fitted[i] = _fit_point(x, y, rw, i, left, right, h)
        if iteration == iterations:
            break
        resid = np.abs(y - fitted)
        cmad = 6.0 * np.median(resid)
        if cmad < 1e-7 * np.mean(np.abs(y)):
            break
        c9 = 0.999 * cmad
        c1 = 0.001 * cmad
        for i in range(n):
            r = resid[i]
            if r <= c1:
                rw[i] = 1.0
            elif r <= c9:
                u = r / cmad
                u = 1.0 - u * u
                rw[i] = u * u
            else:
                rw[i] = 0.0
    return fitted


def lowess(x: Float, y: Float, f: float = 2.0 / 3.0, iterations: int = 3) -> tuple[Float, Float]:
    """LOWESS smooth of ``y`` against ``x``.

    Parameters
    ----------
    x, y : ndarray of shape (n,)
    f : float
        Share of the points in each local fit (R's default 2/3).
    iterations : int
        Robustness iterations (R's default 3).

    Returns
    -------
    x_sorted, fitted : ndarray of shape (n,)
        The sorted ``x`` and the smoothed values at them.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    order = np.argsort(x, kind="stable")
    xs, ys = np.ascontiguousarray(x[order]), np.ascontiguousarray(y[order])
    return xs, _lowess_sorted(xs, ys, float(f), int(iterations))


def smooth(x: Float, y: Float, f: float = 2.0 / 3.0, iterations: int = 3) -> tuple[Float, Float]:
    """The smoother drawn on residual plots: :func:`lowess`, on quantile-bin means if large.

    Returns
    -------
    x, fitted : ndarray
        Points of the smooth curve, ``x`` increasing.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = x.shape[0]
    if n <= EXACT_MAX_N:
        return lowess(x, y, f, iterations)
    order = np.argsort(x, kind="stable")
    edges = np.linspace(0, n, _BINS + 1).astype(np.int64)
    xs, ys = x[order], y[order]
    counts = np.diff(edges)
    x_means = np.add.reduceat(xs, edges[:-1]) / counts
    y_means = np.add.reduceat(ys, edges[:-1]) / counts
    return lowess(x_means, y_means, f, iterations)
