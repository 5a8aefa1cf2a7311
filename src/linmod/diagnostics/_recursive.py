"""Recursive residuals by Givens updates of an R factor (internal).

The recursive residual of observation ``t`` is its standardized one-step-ahead prediction
error from the fit to the observations before it,
``w_t = (y_t - x_t' b_{t-1}) / sqrt(1 + x_t' (X_{t-1}'X_{t-1})^-1 x_t)``.
Rotating the row ``[x_t, y_t]`` into the upper-triangular factor ``[R z]`` of the
earlier rows leaves exactly ``w_t`` in the response position, with the sign of the
prediction error when the diagonal of ``R`` is kept positive.  That is O(k^2) work per row,
O(k^2) memory, and backward stable (R's ``harvtest`` uses Sherman-Morrison updates of the
inverse instead, which agree to rounding on well-conditioned data).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["recursive_residuals"]

Float = NDArray[np.float64]


@njit(cache=True)
def _givens_residuals(
    x: Float, y: Float, rel_tol: float
) -> tuple[Float, int]:  # pragma: no cover - compiled
    n, k = x.shape
    r = np.zeros((k, k))
    z = np.zeros(k)
    col_norm2 = np.zeros(k)
    w = np.empty(n)
    start = -1
    row = np.empty(k)
    for t in range(n):
        for j in range(k):
            row[j] = x[t, j]
            col_norm2[j] += x[t, j] * x[t, j]
        yt = y[t]
        full = start >= 0
        for j in range(k):
            a = r[j, j]
            b = row[j]
            if b == 0.0:
                continue
            rho = np.hypot(a, b)
            c = a / rho
            s = b / rho
            r[j, j] = rho
            row[j] = 0.0
            for m in range(j + 1, k):
                rm = r[j, m]
                xm = row[m]
                r[j, m] = c * rm + s * xm
                row[m] = c * xm - s * rm
            zj = z[j]
            z[j] = c * zj + s * yt
            yt = c * yt - s * zj
        if full:
            w[t] = yt
        else:
            ok = True
            for j in range(k):
                if not abs(r[j, j]) > rel_tol * np.sqrt(col_norm2[j]):
                    ok = False
                    break
            if ok:
                start = t + 1
            w[t] = np.nan
    return w, start


def recursive_residuals(x: Float, y: Float, rel_tol: float = 1e-9) -> tuple[Float, int]:
    """Recursive residuals of ``y`` on ``x`` in row order.

    Parameters
    ----------
    x : ndarray of shape (n, k)
    y : ndarray of shape (n,)
    rel_tol : float
        The recursion starts after the first rows whose R factor has every diagonal entry
        above ``rel_tol`` times its column's norm (the first ``k`` rows when they have full
        rank, as in R's ``harvtest`` and ``strucchange::recresid``).

    Returns
    -------
    w : ndarray of shape (n - start,)
        Recursive residuals of the rows ``start, ..., n - 1``.
    start : int
        Index of the first row with a recursive residual (``-1`` if ``x`` never reaches
        full rank).
    """
    xc = np.ascontiguousarray(x, dtype=np.float64)
    yc = np.ascontiguousarray(y, dtype=np.float64)
    w, start = _givens_residuals(xc, yc, rel_tol)
    if start < 0:
        return np.empty(0), -1
    return w[start:], int(start)
