"""numpy twins of the compiled double-double kernels, for small data before numba loads.

A command-line fit of a 32-row CSV spends more time importing numba and loading its
cached machine code (~0.5 s) than fitting.  Each function here performs the
floating-point operations of one compiled kernel (:mod:`linmod.linalg.dd`,
:mod:`linmod.linalg.dd_gradient`, :mod:`linmod.linalg.scaling`,
:mod:`linmod.solvers.shifted`) in the same order, vectorised over the loop whose
iterations are independent, so it returns the same bits; the callers choose it through
:func:`linmod._lazy.interpreted` (small inputs, numba not loaded yet).  The compiled
kernels' fused multiply-add (an exact product error) is replaced by Dekker's
split-based TwoProduct, which gives the same exact error when no product or split
overflows or underflows: :func:`products_exact` says whether the data are in that range.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "LANES",
    "add_lanes",
    "column_max_abs",
    "offset",
    "products_exact",
    "residual",
    "residual_gradient",
    "rmatvec",
    "shifted_gradient",
    "squares",
    "subtract",
    "total",
    "two_prod",
    "two_sum",
]

Float = NDArray[np.float64]

#: Lanes of the compiled double-double sums over rows (the gradient of
#: ``dd_gradient._residual_gradient_kernel``, the Gram matrix of ``dd_gram._gram_kernel``,
#: the sums of squares of ``dd._squares_kernel``),
#: and rows of their blocks: row i is added to lane i % LANES of each sum, each lane a
#: compensated (TwoSum) sum, and the lanes are added in order at the end (:func:`add_lanes`).
LANES = 64

_SPLITTER = 134217729.0  # 2**27 + 1, as in linmod.linalg.dd
#: Magnitudes between these keep Dekker's TwoProduct exact for every product of two
#: such numbers (no overflow in the split; exponents summing above -970, so no
#: underflow of the error term: Boldo, "Pitfalls of a full floating-point proof", 2006).
_SMALLEST, _LARGEST = 2.0**-450, 2.0**450


def two_sum(a: Any, b: Any) -> tuple[Any, Any]:
    """Knuth's TwoSum, elementwise (``a + b == s + e`` exactly)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a: Any) -> tuple[Any, Any]:
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def two_prod(a: Any, b: Any) -> tuple[Any, Any]:
    """Dekker's TwoProduct, elementwise (``a * b == p + e`` exactly, in range)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def products_exact(*arrays: Float) -> bool:
    """Whether every nonzero entry is finite and of a magnitude in ``[2**-450, 2**450]``."""
    for a in arrays:
        magnitude = np.abs(a)
        nonzero = magnitude[magnitude != 0]
        if nonzero.size and not (nonzero.min() >= _SMALLEST and nonzero.max() <= _LARGEST):
            return False  # also False for NaN
    return True


def residual(
    x_hi: Float,
    x_lo: Float,
    has_lo: bool,
    y_hi: Float,
    y_lo: Float,
    b_hi: Float,
    b_lo: Float,
    out_hi: Float,
    out_lo: Float,
) -> None:
    """Twin of ``dd._residual_kernel``: ``Y - X B`` in double-double, rows at once."""
    s = y_hi.copy()
    e = y_lo.copy()
    for j in range(x_hi.shape[1]):
        xv = x_hi[:, j : j + 1]
        prod, perr = two_prod(xv, b_hi[j])
        s, t = two_sum(s, -prod)
        e = e + (t - perr - xv * b_lo[j])
        if has_lo:
            e = e - x_lo[:, j : j + 1] * b_hi[j]
    out_hi[...], out_lo[...] = two_sum(s, e)


def rmatvec(
    x_hi: Float,
    x_lo: Float,
    has_lo: bool,
    r_hi: Float,
    r_lo: Float,
    out_hi: Float,
    out_lo: Float,
) -> None:
    """Twin of ``dd._rmatvec_kernel``: ``X' R`` in double-double, one row at a time."""
    acc = out_hi.copy()
    err = np.zeros_like(out_hi)
    for i in range(x_hi.shape[0]):
        xv = x_hi[i][:, None]
        prod, perr = two_prod(xv, r_hi[i])
        acc, t = two_sum(acc, prod)
        err = err + (t + perr + xv * r_lo[i])
        if has_lo:
            err = err + x_lo[i][:, None] * r_hi[i]
    out_hi[...], out_lo[...] = two_sum(acc, err)


def squares(a_hi: Float, a_lo: Float, has_lo: bool) -> tuple[float, float]:
    """Twin of ``dd._squares_kernel``: ``sum((a_hi + a_lo)**2)`` in :data:`LANES` lanes,
    vectorised over the lanes of each block of elements."""
    acc = np.zeros(LANES)
    err = np.zeros(LANES)
    n = a_hi.shape[0]
    for start in range(0, n, LANES):
        h, low = a_hi[start : start + LANES], a_lo[start : start + LANES]
        m = h.shape[0]
        prod, perr = two_prod(h, h)
        acc[:m], t = two_sum(acc[:m], prod)
        err[:m] = err[:m] + (t + perr + h * low)
        if has_lo:
            err[:m] = err[:m] + low * h
    hi, lo = add_lanes(acc, err, n)
    return float(hi), float(lo)


def total(a_hi: Float, a_lo: Float) -> tuple[float, float]:
    """Twin of ``dd._sum_kernel``: the double-double sum of ``a_hi + a_lo``."""
    s = 0.0
    e = 0.0
    for hi, lo in zip(a_hi.tolist(), a_lo.tolist(), strict=True):
        s, t = two_sum(s, hi)
        e += t + lo
    return two_sum(s, e)


def residual_gradient(
    x: Float,
    y: Float,
    b_hi: Float,
    b_lo: Float,
    r_hi: Float,
    r_lo: Float,
    g_hi: Float,
    g_lo: Float,
) -> bool:
    """Twin of ``dd_gradient._residual_gradient_kernel``.

    Returns False, with the outputs unfinished, when the residuals are out of the range
    of :func:`products_exact` (the caller checks ``x`` and ``b_hi`` first): the compiled
    kernel must then run.
    """
    s = y.copy()
    e = np.zeros_like(y)
    for j in range(x.shape[1]):
        xv = x[:, j]
        prod, perr = two_prod(xv, b_hi[j])
        s, t = two_sum(s, -prod)
        e = e + (t - perr - xv * b_lo[j])
    r_hi[...], r_lo[...] = two_sum(s, e)
    if not products_exact(r_hi):
        return False
    # The kernel's lanes: row i in lane i % LANES.
    n = x.shape[0]
    acc = np.zeros((LANES, x.shape[1]))
    err = np.zeros_like(acc)
    for start in range(0, n, LANES):
        xv = x[start : start + LANES]
        m = xv.shape[0]
        prod, perr = two_prod(xv, r_hi[start : start + m, None])
        acc[:m], t = two_sum(acc[:m], prod)
        err[:m] = err[:m] + (t + perr + xv * r_lo[start : start + m, None])
    g_hi[...], g_lo[...] = add_lanes(acc, err, n)
    return True


def add_lanes(acc: Float, err: Float, n: int) -> tuple[Float, Float]:
    """The lanes (first axis) of compensated sums over ``n`` rows, added in order of the
    lane in double-double: the kernels' ``_add_lanes``, vectorised over the sums."""
    total, error = acc[0], err[0]
    for lane in range(1, min(n, LANES)):
        total, t = two_sum(total, acc[lane])
        error = error + (t + err[lane])
    return two_sum(total, error)


def subtract(hi: Float, lo: Float, b: Float) -> None:
    """Twin of ``dd_gradient._subtract_kernel``: ``hi + lo - b`` in place."""
    s, e = two_sum(hi, -b)
    hi[...], lo[...] = two_sum(s, e + lo)


def shifted_gradient(g_hi: Float, g_lo: Float, s: Float) -> Float:
    """Twin of ``shifted._shifted_gradient``: ``T^-T g`` formed in double-double, for one
    gradient of shape (p,) or for each column of gradients of shape (p, k)."""
    out = np.empty(g_hi.shape)
    shifts = s[1:].reshape(-1, *(1,) * (g_hi.ndim - 1))
    out[0] = g_hi[0] + g_lo[0]
    prod, err = two_prod(shifts, g_hi[0])
    hi, lo = two_sum(g_hi[1:], -prod)
    out[1:] = hi + (lo + (g_lo[1:] - err - shifts * g_lo[0]))
    return out


def offset(g: Float, ratio: float) -> bool:
    """Twin of ``shifted._offset``: some column's squares exceed ``ratio`` x its spread."""
    n = g[0, 0]
    squares = np.diagonal(g)[1:]
    cross = g[0, 1:]
    return bool(np.any(ratio * (squares - cross * (cross / n)) < squares))


def column_max_abs(x: Float) -> Float:
    """Twin of ``scaling._column_max_abs_kernel``: ``max |x[:, j]|`` (NaN sticks)."""
    return np.max(np.abs(x), axis=0, initial=0.0)
