"""Double-double ("dd") arithmetic kernels for residuals and cross-products.

A double-double number is an unevaluated sum ``hi + lo`` of two float64 values with
``|lo| <= ulp(hi) / 2``; it carries about 32 significant digits.  linmod uses it only where
the extra precision pays for itself: forming residuals ``y - X b`` and cross-products
``X' r`` inside iterative refinement, and carrying polynomial design columns (``x**10``)
that no float64 can hold exactly.

The kernels use the error-free transformations TwoSum (Knuth) and TwoProduct (Dekker's
splitting; the one-pass refinement kernel of :mod:`linmod.linalg.dd_gradient` uses a fused
multiply-add instead, with the same exact result) and accumulate in the style of the
Ogita-Rump-Oishi ``Dot2`` algorithm: the result is as accurate as if it had been computed
in twice the working precision.  All loops are compiled with numba (imported on first
use); small inputs in a process that has not loaded numba yet run the numpy twins of
:mod:`linmod.linalg.dd_numpy` instead, which give the same bits.

References
----------
T. Ogita, S. M. Rump, S. Oishi, "Accurate sum and dot product", SIAM J. Sci. Comput. 26
(2005) 1955-1988.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import LazyValue, interpreted, njit
from linmod.linalg import dd_numpy

__all__ = [
    "dd_add",
    "dd_centred",
    "dd_power",
    "dd_residual",
    "dd_rmatvec",
    "dd_sum",
    "dd_sum_of_squares",
    "two_sum_arrays",
]

Float = NDArray[np.float64]

_SPLITTER = 134217729.0  # 2**27 + 1, Dekker's splitting constant for float64
_LANES = dd_numpy.LANES


@njit(inline="always", cache=True)
def _two_sum(a: float, b: float) -> tuple[float, float]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _make_llvm_fma() -> Any:
    """``a * b + c`` with one rounding (LLVM's ``llvm.fma.f64``), for compiled kernels.

    ``_fma(a, b, -(a * b))`` is the exact rounding error of the product, as
    :func:`_two_prod` computes it with Dekker's splits, in one instruction on CPUs with
    FMA (and a correctly rounded libm call elsewhere).
    """
    from llvmlite import ir
    from numba.core import cgutils, types
    from numba.extending import intrinsic

    def llvm_fma(typingctx: Any, a: Any, b: Any, c: Any) -> Any:
        signature = types.float64(types.float64, types.float64, types.float64)

        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            double = ir.DoubleType()
            function = cgutils.get_or_insert_function(
                builder.module, ir.FunctionType(double, [double] * 3), "llvm.fma.f64"
            )
            return builder.call(function, args)

        return signature, codegen

    return intrinsic(llvm_fma)


_llvm_fma = LazyValue(_make_llvm_fma)


@njit(inline="always", cache=True)
def _fma(a: float, b: float, c: float) -> float:
    return _llvm_fma(a, b, c)  # type: ignore[operator]  # the intrinsic, when compiled


@njit(inline="always", cache=True)
def _split(a: float) -> tuple[float, float]:
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


@njit(inline="always", cache=True)
def _two_prod(a: float, b: float) -> tuple[float, float]:
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


@njit(cache=True)
def _residual_kernel(
    x_hi: Float,
    x_lo: Float,
    has_lo: bool,
    y_hi: Float,
    y_lo: Float,
    b_hi: Float,
    b_lo: Float,
    out_hi: Float,
    out_lo: Float,
) -> None:  # pragma: no cover - compiled
    n, p = x_hi.shape
    k = y_hi.shape[1]
    for i in range(n):
        for c in range(k):
            s = y_hi[i, c]
            e = y_lo[i, c]
            for j in range(p):
                xv = x_hi[i, j]
                prod, perr = _two_prod(xv, b_hi[j, c])
                s, t = _two_sum(s, -prod)
                e += t - perr - xv * b_lo[j, c]
                if has_lo:
                    e -= x_lo[i, j] * b_hi[j, c]
            hi, lo = _two_sum(s, e)
            out_hi[i, c] = hi
            out_lo[i, c] = lo


@njit(cache=True)
def _rmatvec_kernel(
    x_hi: Float,
    x_lo: Float,
    has_lo: bool,
    r_hi: Float,
    r_lo: Float,
    out_hi: Float,
    out_lo: Float,
) -> None:  # pragma: no cover - compiled
    n, p = x_hi.shape
    k = r_hi.shape[1]
    err = np.zeros((p, k))
    for i in range(n):
        for j in range(p):
            xv = x_hi[i, j]
            for c in range(k):
                prod, perr = _two_prod(xv, r_hi[i, c])
                s, t = _two_sum(out_hi[j, c], prod)
                out_hi[j, c] = s
                err[j, c] += t + perr + xv * r_lo[i, c]
                if has_lo:
                    err[j, c] += x_lo[i, j] * r_hi[i, c]
    for j in range(p):
        for c in range(k):
            hi, lo = _two_sum(out_hi[j, c], err[j, c])
            out_hi[j, c] = hi
            out_lo[j, c] = lo


@njit(cache=True)
def _squares_kernel(
    a_hi: Float, a_lo: Float, has_lo: bool
) -> tuple[float, float]:  # pragma: no cover
    # sum((a_hi + a_lo)**2): element i goes to lane i % _LANES, each lane a compensated
    # sum (the Dot2 steps of _rmatvec_kernel), the lanes added in double-double at the
    # end.  One running sum was a serial chain of TwoSums (6.5 µs for 1000 values); the
    # lanes are independent and the full blocks, a loop of their own with a constant trip
    # count, vectorise.
    n = a_hi.shape[0]
    acc = np.zeros(_LANES)
    err = np.zeros(_LANES)
    full = n - n % _LANES
    for start in range(0, full, _LANES):
        _square_lanes(a_hi, a_lo, has_lo, acc, err, start, _LANES)
    if full < n:
        _square_lanes(a_hi, a_lo, has_lo, acc, err, full, n - full)
    return lanes_total(acc, err, n)


@njit(cache=True, inline="always")
def _square_lanes(
    a_hi: Float, a_lo: Float, has_lo: bool, acc: Float, err: Float, start: int, m: int
) -> None:  # pragma: no cover - compiled
    for i in range(m):
        h = a_hi[start + i]
        low = a_lo[start + i]
        prod, perr = _two_prod(h, h)
        total, t = _two_sum(acc[i], prod)
        acc[i] = total
        err[i] += t + perr + h * low
        if has_lo:
            err[i] += low * h


@njit(cache=True, inline="always")
def lanes_total(acc: Float, err: Float, n: int) -> tuple[float, float]:  # pragma: no cover
    """The first ``min(n, len(acc))`` lanes of compensated sums (``acc`` and their errors
    ``err``) added in order of the lane, in double-double (``dd_numpy.add_lanes``)."""
    total, error = acc[0], err[0]
    for lane in range(1, min(n, acc.shape[0])):
        total, t = _two_sum(total, acc[lane])
        error += t + err[lane]
    return _two_sum(total, error)


@njit(cache=True)
def _sum_kernel(a_hi: Float, a_lo: Float) -> tuple[float, float]:  # pragma: no cover
    s = 0.0
    e = 0.0
    for i in range(a_hi.shape[0]):
        s, t = _two_sum(s, a_hi[i])
        e += t + a_lo[i]
    return _two_sum(s, e)


@njit(cache=True)
def _power_kernel(x: Float, k: int, out_hi: Float, out_lo: Float) -> None:  # pragma: no cover
    for i in range(x.shape[0]):
        hi = 1.0
        lo = 0.0
        for _ in range(k):
            # (hi + lo) * x in double-double
            p, pe = _two_prod(hi, x[i])
            pe += lo * x[i]
            hi, lo = _two_sum(p, pe)
        out_hi[i] = hi
        out_lo[i] = lo


def _as_2d(a: Float) -> Float:
    return a.reshape(a.shape[0], -1)


def dd_residual(
    x_hi: Float,
    x_lo: Float | None,
    y_hi: Float,
    y_lo: Float | None,
    b_hi: Float,
    b_lo: Float | None = None,
) -> tuple[Float, Float]:
    """Return ``Y - X B`` in double-double.

    Parameters
    ----------
    x_hi, x_lo : ndarray of shape (n, p)
        Design matrix as ``x_hi + x_lo`` (``x_lo`` may be None for a float64 design).
    y_hi, y_lo : ndarray of shape (n,) or (n, k)
        Right-hand side(s) as ``y_hi + y_lo``.
    b_hi, b_lo : ndarray of shape (p,) or (p, k)
        Coefficients as ``b_hi + b_lo``.

    Returns
    -------
    (hi, lo) : tuple of ndarray shaped like ``y_hi``
        The residuals, accurate to about 32 digits relative to ``|Y| + |X||B|``.
    """
    shape = y_hi.shape
    yh = np.ascontiguousarray(_as_2d(np.asarray(y_hi, dtype=np.float64)))
    yl = np.zeros_like(yh) if y_lo is None else np.ascontiguousarray(_as_2d(y_lo))
    bh = np.ascontiguousarray(_as_2d(np.asarray(b_hi, dtype=np.float64)))
    bl = np.zeros_like(bh) if b_lo is None else np.ascontiguousarray(_as_2d(b_lo))
    xh = np.ascontiguousarray(x_hi, dtype=np.float64)
    xl = np.zeros((1, 1)) if x_lo is None else np.ascontiguousarray(x_lo, dtype=np.float64)
    out_hi = np.empty_like(yh)
    out_lo = np.empty_like(yh)
    kernel = dd_numpy.residual if interpreted(*xh.shape) else _residual_kernel
    kernel(xh, xl, x_lo is not None, yh, yl, bh, bl, out_hi, out_lo)
    return out_hi.reshape(shape), out_lo.reshape(shape)


def dd_rmatvec(
    x_hi: Float, x_lo: Float | None, r_hi: Float, r_lo: Float | None = None
) -> tuple[Float, Float]:
    """Return ``X' R`` in double-double, for ``R`` of shape (n,) or (n, k)."""
    out_shape = (x_hi.shape[1], *r_hi.shape[1:])
    rh = np.ascontiguousarray(_as_2d(np.asarray(r_hi, dtype=np.float64)))
    rl = np.zeros_like(rh) if r_lo is None else np.ascontiguousarray(_as_2d(r_lo))
    xh = np.ascontiguousarray(x_hi, dtype=np.float64)
    xl = np.zeros((1, 1)) if x_lo is None else np.ascontiguousarray(x_lo, dtype=np.float64)
    out_hi = np.zeros((xh.shape[1], rh.shape[1]))
    out_lo = np.zeros_like(out_hi)
    kernel = dd_numpy.rmatvec if interpreted(*xh.shape) else _rmatvec_kernel
    kernel(xh, xl, x_lo is not None, rh, rl, out_hi, out_lo)
    return out_hi.reshape(out_shape), out_lo.reshape(out_shape)


def dd_sum(a_hi: Float, a_lo: Float | None = None) -> tuple[float, float]:
    """Return the sum of ``a_hi + a_lo`` as a double-double ``(hi, lo)``."""
    ah = np.ascontiguousarray(a_hi, dtype=np.float64).ravel()
    al = np.zeros_like(ah) if a_lo is None else np.ascontiguousarray(a_lo).ravel()
    hi, lo = (dd_numpy.total if interpreted(ah.shape[0]) else _sum_kernel)(ah, al)
    return float(hi), float(lo)


def dd_power(x: Float, k: int) -> tuple[Float, Float]:
    """Return ``x**k`` for integer ``k >= 0`` as a double-double ``(hi, lo)``.

    ``hi`` is within one ulp of the exact power and ``hi + lo`` agrees with it to about
    30 digits, so a polynomial design built from these columns is (to that accuracy) the
    design of the exact powers rather than of their float64 roundings.
    """
    if k < 0:
        raise ValueError(f"dd_power needs a non-negative integer exponent, got {k}")
    xv = np.ascontiguousarray(x, dtype=np.float64).ravel()
    hi = np.empty_like(xv)
    lo = np.empty_like(xv)
    _power_kernel(xv, int(k), hi, lo)
    return hi.reshape(np.shape(x)), lo.reshape(np.shape(x))


def two_sum_arrays(a: Float, b: Float) -> tuple[Float, Float]:
    """Vectorised TwoSum: ``a + b == s + e`` exactly, elementwise."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def dd_add(a_hi: Float, a_lo: Float, b: Float) -> tuple[Float, Float]:
    """Add a float64 array ``b`` to the double-double ``a_hi + a_lo`` and renormalise."""
    s, e = two_sum_arrays(a_hi, b)
    return two_sum_arrays(s, e + a_lo)


def dd_sum_of_squares(a_hi: Float, a_lo: Float | None = None) -> tuple[float, float]:
    """Return ``sum((a_hi + a_lo)**2)`` as a double-double ``(hi, lo)``.

    Accumulated in :data:`~linmod.linalg.dd_numpy.LANES` compensated sums added in
    double-double (as accurate as one running sum, and vectorised).
    """
    hi = np.ascontiguousarray(a_hi, dtype=np.float64).ravel()
    lo = np.zeros_like(hi) if a_lo is None else np.ascontiguousarray(a_lo, dtype=np.float64)
    lo = lo.ravel()
    kernel = dd_numpy.squares if interpreted(hi.shape[0]) else _squares_kernel
    total_hi, total_lo = kernel(hi, lo, a_lo is not None)
    return float(total_hi), float(total_lo)


def dd_centred(y: Float) -> tuple[Float, Float]:
    """Return ``y - mean(y)`` as a double-double, with the mean itself carried in double-double."""
    total_hi, total_lo = dd_sum(y)
    n = y.shape[0]
    mean_hi = total_hi / n
    product, error = dd_numpy.two_prod(mean_hi, float(n))
    mean_lo = ((total_hi - product) - error + total_lo) / n
    centred, centred_err = two_sum_arrays(np.asarray(y, dtype=np.float64), -mean_hi)
    return two_sum_arrays(centred, centred_err - mean_lo)
