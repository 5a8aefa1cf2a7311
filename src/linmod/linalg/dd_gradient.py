"""One compiled pass for a refinement step: ``r = y - X b`` and ``X'r`` in double-double.

Corrected semi-normal refinement (:mod:`linmod.linalg.seminormal`) needs, at the current
coefficients ``b = b_hi + b_lo``, the residuals ``r`` and the gradient ``X'r``, both to
about twice the working precision.  :func:`linmod.linalg.dd.dd_residual` and
:func:`linmod.linalg.dd.dd_rmatvec` compute them in two passes over ``X`` with two
``(n,)`` double-double temporaries in between; this kernel does both for each row while
the row is in cache, so one pass over ``X`` gives the residuals (as ``hi + lo``) and the
gradient.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import interpreted, njit
from linmod.linalg import dd_numpy
from linmod.linalg.dd import _fma, _two_prod, _two_sum, dd_sum_of_squares, lanes_total

__all__ = ["dd_residual_gradient", "dd_subtract_inplace", "dd_subtract_squares"]

Float = NDArray[np.float64]


#: Rows per block of the residual pass (their columns are copied into a (p, 64) buffer),
#: and lanes of the gradient's sums.
_BLOCK = dd_numpy.LANES
#: Up to this many columns a block is copied column by column, and the full blocks take a
#: loop of their own (see the kernel).
_COLUMN_COPY = 16


@njit(cache=True)
def _residual_gradient_kernel(
    x: Float,
    y: Float,
    b_hi: Float,
    b_lo: Float,
    r_hi: Float,
    r_lo: Float,
    g_hi: Float,
    g_lo: Float,
) -> None:  # pragma: no cover - compiled
    n, p = x.shape
    # The gradient is accumulated in _BLOCK lanes per column: row i goes to lane
    # i % _BLOCK, each lane a compensated (TwoSum) sum, and the lanes are added in
    # double-double at the end (_add_lanes).  Rows of a block then update independent
    # lanes, which the compiler vectorises, as the residuals (_block); a single running
    # sum per column was a serial chain and half the kernel's time at 1000 x 6.
    acc = np.zeros((p, _BLOCK))
    err = np.zeros((p, _BLOCK))
    xt = np.empty((p, _BLOCK))
    s = np.empty(_BLOCK)
    e = np.empty(_BLOCK)
    if p <= _COLUMN_COPY:
        # The full blocks in a loop of their own: with _BLOCK a constant trip count there,
        # the compiler vectorises the row loops whole (1000 x 6: 11.6 -> 7.8 µs; 1e5 x 6:
        # 1.0 -> 0.58 ms); wider designs gained nothing.  The same operations in the same
        # order as the rows of the last block (and the wide loop): the same bits.
        full = n - n % _BLOCK
        for start in range(0, full, _BLOCK):
            _copy_columns(x, xt, start, _BLOCK)
            _block(y, b_hi, b_lo, r_hi, r_lo, acc, err, xt, s, e, start, _BLOCK)
        if full < n:
            _copy_columns(x, xt, full, n - full)
            _block(y, b_hi, b_lo, r_hi, r_lo, acc, err, xt, s, e, full, n - full)
    else:
        for start in range(0, n, _BLOCK):
            m = min(_BLOCK, n - start)
            # Row by row beyond _COLUMN_COPY columns (contiguous loads), as measured.
            for i in range(m):
                for j in range(p):
                    xt[j, i] = x[start + i, j]
            _block(y, b_hi, b_lo, r_hi, r_lo, acc, err, xt, s, e, start, m)
    _add_lanes(acc, err, min(n, _BLOCK), g_hi, g_lo)


@njit(cache=True, inline="always")
def _copy_columns(x: Float, xt: Float, start: int, m: int) -> None:  # pragma: no cover
    # Rows start .. start + m - 1 into the columns of xt, column by column: faster up to
    # _COLUMN_COPY columns (contiguous stores); the order changes no arithmetic.
    for j in range(x.shape[1]):
        for i in range(m):
            xt[j, i] = x[start + i, j]


@njit(cache=True, inline="always")
def _block(
    y: Float,
    b_hi: Float,
    b_lo: Float,
    r_hi: Float,
    r_lo: Float,
    acc: Float,
    err: Float,
    xt: Float,
    s: Float,
    e: Float,
    start: int,
    m: int,
) -> None:  # pragma: no cover - compiled
    # Rows start .. start + m - 1, their columns in xt[:, :m]: residuals, then gradient.
    # The rounding error of each product comes from one fused multiply-add (exact, as
    # Dekker's split-based TwoProduct it replaces, for data in solve_scaled's safe range).
    # The residuals of a block are accumulated column by column (for each row in the same
    # order as a row-wise loop, so with the same bits): the inner loops run over rows.
    p = xt.shape[0]
    for i in range(m):
        s[i] = y[start + i]
        e[i] = 0.0
    for j in range(p):
        bj, bloj = b_hi[j], b_lo[j]
        row = xt[j]
        for i in range(m):
            xv = row[i]
            prod = xv * bj
            perr = _fma(xv, bj, -prod)
            total, t = _two_sum(s[i], -prod)
            s[i] = total
            e[i] += t - perr - xv * bloj
    for i in range(m):
        hi, lo = _two_sum(s[i], e[i])
        r_hi[start + i] = hi
        r_lo[start + i] = lo
        s[i] = hi
        e[i] = lo
    for j in range(p):
        row, lanes, lane_err = xt[j], acc[j], err[j]
        for i in range(m):
            xv = row[i]
            prod = xv * s[i]
            perr = _fma(xv, s[i], -prod)
            total, t = _two_sum(lanes[i], prod)
            lanes[i] = total
            lane_err[i] += t + perr + xv * e[i]


@njit(cache=True, inline="always")
def _add_lanes(
    acc: Float, err: Float, lanes: int, g_hi: Float, g_lo: Float
) -> None:  # pragma: no cover - compiled
    # Each column's lanes added in order of the lane, in double-double (dd_numpy's twin:
    # the same operations vectorised over the columns).
    for j in range(acc.shape[0]):
        total, error = acc[j, 0], err[j, 0]
        for lane in range(1, lanes):
            total, t = _two_sum(total, acc[j, lane])
            error += t + err[j, lane]
        g_hi[j], g_lo[j] = _two_sum(total, error)


@njit(cache=True)
def _subtract_kernel(hi: Float, lo: Float, b: Float) -> None:  # pragma: no cover - compiled
    for i in range(hi.shape[0]):
        s, e = _two_sum(hi[i], -b[i])
        hi[i], lo[i] = _two_sum(s, e + lo[i])


@njit(cache=True)
def _subtract_squares_kernel(
    hi: Float, lo: Float, b: Float, scale: float
) -> tuple[float, float]:  # pragma: no cover - compiled
    # _subtract_kernel, then (on each updated element, while it is in a register) the
    # operations of dd._squares_kernel for sum((hi * scale + lo * scale)**2), in its lanes.
    n = hi.shape[0]
    acc = np.zeros(_BLOCK)
    err = np.zeros(_BLOCK)
    full = n - n % _BLOCK
    for start in range(0, full, _BLOCK):
        _subtract_square_lanes(hi, lo, b, scale, acc, err, start, _BLOCK)
    if full < n:
        _subtract_square_lanes(hi, lo, b, scale, acc, err, full, n - full)
    return lanes_total(acc, err, n)


@njit(cache=True, inline="always")
def _subtract_square_lanes(
    hi: Float, lo: Float, b: Float, scale: float, acc: Float, err: Float, start: int, m: int
) -> None:  # pragma: no cover - compiled
    for i in range(m):
        s, e = _two_sum(hi[start + i], -b[start + i])
        h, low = _two_sum(s, e + lo[start + i])
        hi[start + i], lo[start + i] = h, low
        hs = h * scale
        ls = low * scale
        prod, perr = _two_prod(hs, hs)
        total, t = _two_sum(acc[i], prod)
        acc[i] = total
        err[i] += t + perr + hs * ls
        err[i] += ls * hs


def dd_subtract_squares(hi: Float, lo: Float, b: Float, exponent: int) -> tuple[float, float]:
    """:func:`dd_subtract_inplace`, and the sum of squares of the result, in one pass.

    The sum is ``sum((hi + lo)**2)`` of the updated ``hi + lo`` divided by ``2**exponent``
    (so that it neither overflows nor underflows), as a double-double: the same bits as
    ``dd_sum_of_squares(np.ldexp(hi, -exponent), np.ldexp(lo, -exponent))`` after the
    update, without its pass and its two scaled copies.

    Parameters
    ----------
    hi, lo : ndarray of shape (n,)
        C-contiguous float64 arrays, overwritten by ``hi + lo - b``.
    b : ndarray of shape (n,)
    exponent : int
        ``|exponent| <= 1000`` (``2**-exponent`` is then a normal float64).

    Returns
    -------
    (float, float)
        The sum of squares as ``hi + lo``.
    """
    if not abs(exponent) <= 1000:
        raise ValueError(f"exponent {exponent} is out of range (|exponent| <= 1000)")
    b = np.ascontiguousarray(b, dtype=np.float64)
    if interpreted(hi.shape[0]):
        dd_numpy.subtract(hi, lo, b)
        return dd_sum_of_squares(np.ldexp(hi, -exponent), np.ldexp(lo, -exponent))
    total_hi, total_lo = _subtract_squares_kernel(hi, lo, b, float(np.ldexp(1.0, -exponent)))
    return float(total_hi), float(total_lo)


def dd_subtract_inplace(hi: Float, lo: Float, b: Float) -> None:
    """Replace ``hi + lo`` by ``hi + lo - b``, renormalised, in one compiled pass.

    The same operations, in the same order, as ``dd_add(hi, lo, -b)`` of
    :mod:`linmod.linalg.dd` (so the same bits) without its six ``(n,)`` temporaries.

    Parameters
    ----------
    hi, lo : ndarray of shape (n,)
        C-contiguous float64 arrays, overwritten.
    b : ndarray of shape (n,)
    """
    b = np.ascontiguousarray(b, dtype=np.float64)
    (dd_numpy.subtract if interpreted(hi.shape[0]) else _subtract_kernel)(hi, lo, b)


def dd_residual_gradient(
    x: Float, y: Float, b_hi: Float, b_lo: Float
) -> tuple[Float, Float, Float, Float]:
    """Return ``r = y - X b`` and ``X'r`` in double-double, in one pass over ``X``.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        Float64 design, C-contiguous (other layouts are copied).
    y : ndarray of shape (n,)
    b_hi, b_lo : ndarray of shape (p,)
        The coefficients as ``b_hi + b_lo``.

    Returns
    -------
    (r_hi, r_lo, g_hi, g_lo) : tuple of ndarray
        The residuals (shape (n,)) and the gradient ``X'r`` (shape (p,)), each as
        ``hi + lo`` and accurate to about 32 digits relative to ``|y| + |X||b|`` and
        ``|X'||r|`` respectively.
    """
    xc = np.ascontiguousarray(x, dtype=np.float64)
    yc = np.ascontiguousarray(y, dtype=np.float64)
    n, p = xc.shape
    r_hi = np.empty(n)
    r_lo = np.empty(n)
    g_hi = np.zeros(p)
    g_lo = np.zeros(p)
    arguments = (
        xc,
        yc,
        np.ascontiguousarray(b_hi, dtype=np.float64),
        np.ascontiguousarray(b_lo, dtype=np.float64),
        r_hi,
        r_lo,
        g_hi,
        g_lo,
    )
    if (
        interpreted(n, p)
        and dd_numpy.products_exact(xc, arguments[2])
        and dd_numpy.residual_gradient(*arguments)
    ):
        return r_hi, r_lo, g_hi, g_lo
    _residual_gradient_kernel(*arguments)
    return r_hi, r_lo, g_hi, g_lo
