"""Residual products of a sparse (CSC) design in double-double: ``A'r`` and ``r'r``.

For ``A = [1 | X]`` (or ``X``) with ``X`` stored by columns, and double-double
coefficients ``b_hi + b_lo``, the residual ``r = y − A b`` is accumulated in
double-double over the stored values only (Dekker's exact products and Knuth's exact
sums, as :mod:`linmod.linalg.dd` does for dense blocks), then ``A'r`` and ``r'r`` are
summed in double-double.  Cost: a few passes over the stored values and over ``n``.
These are the products the corrected semi-normal equations need
(:func:`linmod.solvers.factor.refine_factor_solution`).
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

from linmod.linalg.dd import _two_prod, _two_sum, dd_sum_of_squares
from linmod.linalg.seminormal import ResidualProducts

__all__ = ["sparse_residual_products"]

Float = NDArray[np.float64]
Int = NDArray[np.int64]


@numba.njit(cache=True)
def _residual(
    data: Float,
    indices: Int,
    indptr: Int,
    columns: Int,
    y: Float,
    b0_hi: float,
    b0_lo: float,
    b_hi: Float,
    b_lo: Float,
    r_hi: Float,
    r_lo: Float,
) -> None:  # pragma: no cover - compiled
    """``r = y − b0 − Σ_j x_j b_j`` in double-double, for the columns ``columns``."""  # fmt: skip
    n = y.shape[0]
    for i in range(n):
        s, t = _two_sum(y[i], -b0_hi)
        r_hi[i] = s
        r_lo[i] = t - b0_lo
    for c in range(columns.shape[0]):
        j = columns[c]
        bh = b_hi[c]
        bl = b_lo[c]
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            xv = data[k]
            prod, perr = _two_prod(xv, bh)
            s, t = _two_sum(r_hi[i], -prod)
            r_hi[i] = s
            r_lo[i] += t - perr - xv * bl
    for i in range(n):
        hi, lo = _two_sum(r_hi[i], r_lo[i])
        r_hi[i] = hi
        r_lo[i] = lo


@numba.njit(cache=True)
def _rmatvec(
    data: Float,
    indices: Int,
    indptr: Int,
    columns: Int,
    r_hi: Float,
    r_lo: Float,
    out_hi: Float,
    out_lo: Float,
) -> None:  # pragma: no cover - compiled
    """``x_jᵀr`` in double-double for the columns ``columns``."""  # fmt: skip
    for c in range(columns.shape[0]):
        j = columns[c]
        s = 0.0
        e = 0.0
        for k in range(indptr[j], indptr[j + 1]):
            i = indices[k]
            xv = data[k]
            prod, perr = _two_prod(xv, r_hi[i])
            s, t = _two_sum(s, prod)
            e += t + perr + xv * r_lo[i]
        hi, lo = _two_sum(s, e)
        out_hi[c] = hi
        out_lo[c] = lo


@numba.njit(cache=True)
def _dd_total(r_hi: Float, r_lo: Float) -> tuple[float, float]:  # pragma: no cover - compiled
    s = 0.0
    e = 0.0
    for i in range(r_hi.shape[0]):
        s, t = _two_sum(s, r_hi[i])
        e += t + r_lo[i]
    return _two_sum(s, e)


def sparse_residual_products(
    x: object,
    y: Float,
    intercept: bool,
    kept: NDArray[np.bool_],
    coef_hi: Float,
    coef_lo: Float,
) -> ResidualProducts:
    """``A'r`` and ``r'r`` of ``A = [1 | X]`` (or ``X``) restricted to ``kept``, in double-double.

    Parameters
    ----------
    x : scipy.sparse.csc_array of shape (n, p)
        Canonical, float64 values, int64 indices.
    y : ndarray of shape (n,)
    intercept : bool
        Whether the first column of ``A`` is the column of ones.
    kept : ndarray of bool, shape (p + intercept,)
        The estimable columns of ``A``.
    coef_hi, coef_lo : ndarray of shape (kept.sum(),)
        The coefficients of the kept columns, as a double-double.

    Returns
    -------
    ResidualProducts
    """
    data, indices, indptr = x.data, x.indices, x.indptr  # type: ignore[attr-defined]
    n = y.shape[0]
    first = 1 if intercept else 0
    has_one = bool(intercept and kept[0])
    columns = np.flatnonzero(kept[first:]).astype(np.int64)
    offset = 1 if has_one else 0
    b0_hi = float(coef_hi[0]) if has_one else 0.0
    b0_lo = float(coef_lo[0]) if has_one else 0.0
    b_hi = np.ascontiguousarray(coef_hi[offset:], dtype=np.float64)
    b_lo = np.ascontiguousarray(coef_lo[offset:], dtype=np.float64)
    r_hi = np.empty(n)
    r_lo = np.empty(n)
    _residual(data, indices, indptr, columns, np.ascontiguousarray(y), b0_hi, b0_lo, b_hi, b_lo,
              r_hi, r_lo)  # fmt: skip
    xr_hi = np.empty(columns.shape[0])
    xr_lo = np.empty(columns.shape[0])
    _rmatvec(data, indices, indptr, columns, r_hi, r_lo, xr_hi, xr_lo)
    if has_one:
        s_hi, s_lo = _dd_total(r_hi, r_lo)
        xr_hi = np.concatenate([[s_hi], xr_hi])
        xr_lo = np.concatenate([[s_lo], xr_lo])
    rr_hi, rr_lo = dd_sum_of_squares(r_hi, r_lo)
    return ResidualProducts(xr_hi, xr_lo, np.asarray(rr_hi), np.asarray(rr_lo), n)
