"""``X'X`` in double-double, and products with it: the refinement of ``(X'X)^-1``.

:func:`~linmod.solvers.certified_columns.certified_covariance` refines each column ``c``
of ``(X'X)^-1`` from its gradient ``e_j - X'X c``, which must be formed to about twice
the working precision.  Formed from ``X`` (``X'(X c)`` in double-double) that costs two
double-double products per element of ``X`` and per column, ``2 n p**2`` in all; formed
from ``X'X`` in double-double (:func:`dd_gram`, ``n p (p + 1) / 2`` exact products, once)
each pass costs only ``p**3`` (:func:`dd_gram_times`), and is as accurate: the Gram
matrix is off by about ``n eps**2 |X|'|X|``, the product by ``p eps**2 |X'X| |c|``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import interpreted, njit
from linmod.linalg import dd_numpy
from linmod.linalg.dd import _fma, _two_sum

__all__ = ["dd_gram", "dd_gram_times"]

Float = NDArray[np.float64]


#: Rows per block (and lanes of each sum, :data:`linmod.linalg.dd_numpy.LANES`).
_BLOCK = dd_numpy.LANES


@njit(cache=True)
def _gram_kernel(x: Float, g_hi: Float, g_lo: Float) -> None:  # pragma: no cover - compiled
    # Each sum of the upper triangle in _BLOCK lanes (row i in lane i % _BLOCK): a block's
    # columns are copied side by side, and its rows then update independent lanes, which
    # the compiler vectorises (one running sum per pair was a serial chain: 1.6-1.8 ns
    # per pair and row, against 0.4-0.6 now).
    n, p = x.shape
    acc = np.zeros((p, p, _BLOCK))
    err = np.zeros((p, p, _BLOCK))
    xt = np.empty((p, _BLOCK))
    for start in range(0, n, _BLOCK):
        m = min(_BLOCK, n - start)
        for j in range(p):
            for i in range(m):
                xt[j, i] = x[start + i, j]
        for j in range(p):
            a = xt[j]
            for k in range(j, p):
                b, lanes, lane_err = xt[k], acc[j, k], err[j, k]
                for i in range(m):
                    prod = a[i] * b[i]
                    perr = _fma(a[i], b[i], -prod)
                    total, t = _two_sum(lanes[i], prod)
                    lanes[i] = total
                    lane_err[i] += t + perr
    used = min(n, _BLOCK)
    for j in range(p):
        for k in range(j, p):  # the lanes in order (dd_numpy.add_lanes)
            total, error = acc[j, k, 0], err[j, k, 0]
            for lane in range(1, used):
                total, t = _two_sum(total, acc[j, k, lane])
                error += t + err[j, k, lane]
            hi, lo = _two_sum(total, error)
            g_hi[j, k] = hi
            g_hi[k, j] = hi
            g_lo[j, k] = lo
            g_lo[k, j] = lo


def _gram_twin(x: Float, g_hi: Float, g_lo: Float) -> None:
    """numpy twin of :func:`_gram_kernel` (the same operations for each pair ``j <= k``,
    vectorised over the lanes and pairs; Dekker's TwoProduct for the fused multiply-add)."""
    n, p = x.shape
    acc = np.zeros((_BLOCK, p, p))
    err = np.zeros((_BLOCK, p, p))
    for start in range(0, n, _BLOCK):
        rows = x[start : start + _BLOCK]
        m = rows.shape[0]
        prod, perr = dd_numpy.two_prod(rows[:, :, None], rows[:, None, :])
        acc[:m], t = dd_numpy.two_sum(acc[:m], prod)
        err[:m] = err[:m] + (t + perr)
    hi, lo = dd_numpy.add_lanes(acc, err, n)
    upper = np.triu(np.ones((p, p), dtype=bool))
    g_hi[...] = np.where(upper, hi, hi.T)
    g_lo[...] = np.where(upper, lo, lo.T)


def dd_gram(x: Float) -> tuple[Float, Float]:
    """``X'X`` as a double-double ``(hi, lo)``, symmetric, from exact products.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        Float64 design (in the range where products are exact: the scaled data of
        :mod:`linmod.solvers.scaled`).

    Returns
    -------
    (hi, lo) : tuple of ndarray of shape (p, p)
    """
    xc = np.ascontiguousarray(x, dtype=np.float64)
    n, p = xc.shape
    g_hi = np.empty((p, p))
    g_lo = np.empty((p, p))
    if interpreted(n, p) and dd_numpy.products_exact(xc):
        _gram_twin(xc, g_hi, g_lo)
    else:
        _gram_kernel(xc, g_hi, g_lo)
    return g_hi, g_lo


@njit(cache=True)
def _gram_times_kernel(
    g_hi: Float, g_lo: Float, c_hi: Float, c_lo: Float, out_hi: Float, out_lo: Float
) -> None:  # pragma: no cover - compiled
    k, p = c_hi.shape
    for r in range(k):
        for j in range(p):
            s = 0.0
            e = 0.0
            for m in range(p):  # the twin's order: term m of every sum in turn
                gh = g_hi[m, j]
                gl = g_lo[m, j]
                ch = c_hi[r, m]
                prod = gh * ch
                perr = _fma(gh, ch, -prod)
                s, t = _two_sum(s, -prod)
                e = e + (t - perr - (gh * c_lo[r, m] + gl * ch))
            out_hi[r, j], out_lo[r, j] = _two_sum(s, e)


def _gram_times_twin(
    g_hi: Float, g_lo: Float, c_hi: Float, c_lo: Float, out_hi: Float, out_lo: Float
) -> None:
    """numpy twin of :func:`_gram_times_kernel`, vectorised over the sums."""
    s = np.zeros(c_hi.shape)
    e = np.zeros(c_hi.shape)
    for m in range(g_hi.shape[0]):  # term m of every sum: G[m, :] (= G[:, m])
        gh, gl = g_hi[m][None, :], g_lo[m][None, :]
        ch, cl = c_hi[:, m][:, None], c_lo[:, m][:, None]
        prod, perr = dd_numpy.two_prod(gh, ch)
        s, t = dd_numpy.two_sum(s, -prod)
        e = e + (t - perr - (gh * cl + gl * ch))
    out_hi[...], out_lo[...] = dd_numpy.two_sum(s, e)


def dd_gram_times(g_hi: Float, g_lo: Float, c_hi: Float, c_lo: Float) -> tuple[Float, Float] | None:
    """``-G c`` in double-double for each row ``c`` of ``c_hi + c_lo`` (``G`` symmetric).

    Parameters
    ----------
    g_hi, g_lo : ndarray of shape (p, p)
        ``G`` as a double-double (:func:`dd_gram`).
    c_hi, c_lo : ndarray of shape (k, p)

    Returns
    -------
    (hi, lo) : tuple of ndarray of shape (k, p), or None
        None when an entry is outside the range where Dekker's TwoProduct is exact.
    """
    if not dd_numpy.products_exact(g_hi, c_hi):  # (the twin's TwoProduct would not be)
        return None
    out_hi = np.empty(c_hi.shape)
    out_lo = np.empty(c_hi.shape)
    kernel = _gram_times_twin if interpreted(0) else _gram_times_kernel
    kernel(g_hi, g_lo, np.ascontiguousarray(c_hi), np.ascontiguousarray(c_lo), out_hi, out_lo)
    return out_hi, out_lo
