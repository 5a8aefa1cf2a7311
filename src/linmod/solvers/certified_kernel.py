"""The certified Cholesky fit of one response in one compiled call.

:func:`linmod.solvers.certified.solve_certified` makes some forty numpy and LAPACK calls
on ``p``-vectors and ``p x p`` matrices; on a small design (1000 x 5) their wrappers'
overhead is several times the arithmetic.  Once the compiled kernels are loaded
(:func:`linmod._lazy.interpreted` is False) an unshifted design takes this kernel
instead: the same steps, the same scipy BLAS and LAPACK routines with the same arguments
(:mod:`linmod.linalg.lapack_calls`), the same double-double kernels and the same
elementwise operations in the same order, so the same bits, in one call.

Designs with offset columns (factored in shifted coordinates) and several responses keep
the interpreted path.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit
from linmod.linalg.dd_gradient import (
    _residual_gradient_kernel,
    _subtract_kernel,
    _subtract_squares_kernel,
)
from linmod.linalg.lapack_calls import (
    ddot,
    dgemv_n,
    dgemv_t,
    dgesdd_all,
    dpotrf_upper,
    dpotri_upper,
    dpotrs_upper,
    dsyrk_rows,
    dsyrk_upper,
)
from linmod.linalg.scaling import SQRT_HALF
from linmod.solvers.shifted import OFFSET_RATIO, _offset

__all__ = ["ACCEPTED", "NOT_CERTIFIED", "SHIFTED", "certified_fit_kernel"]

Float = NDArray[np.float64]

#: Status codes of :func:`certified_fit_kernel`.
ACCEPTED, NOT_CERTIFIED, SHIFTED = 0, 1, 2
_EPS = float(np.finfo(np.float64).eps)


@njit(cache=True)
def certified_fit_kernel(
    x: Float,
    y: Float,
    intercept: bool,
    exponent: int,
    pivot_tol: float,
    max_contraction: float,
    cov_tolerance: float,
    max_passes: int,
) -> tuple[Any, ...]:  # pragma: no cover - compiled
    """The steps of ``certified_factor`` and ``certified_solution`` for one response.

    Returns
    -------
    (status, passes, condition, weakest, matrix, coef, r_hi, r_lo, squares_hi, squares_lo,
    factor, condition_bound)
        ``status`` is :data:`ACCEPTED`, :data:`NOT_CERTIFIED` (the interpreted path would
        return None) or :data:`SHIFTED` (an offset column); for these two ``matrix`` is
        ``X'X``, from which the interpreted path goes on.  When accepted, ``matrix`` is
        ``(X'X)^-1``, ``coef`` is ``coef_hi + coef_lo``, rounded, ``squares_hi +
        squares_lo`` the residual sum of squares (NaN when ``|exponent| > 1000``),
        ``factor.T`` the scaled factor ``R`` and ``condition_bound`` an upper bound of its
        condition number.  ``condition`` is ``singular[0] / singular[-1]`` and ``weakest``
        the last row of ``V'`` of ``R``'s SVD when the SVD was needed to certify the fit;
        otherwise NaN and empty, and the caller defers them
        (:mod:`linmod.solvers.deferred_conditioning`).  Only what the caller keeps is
        returned: each array handed back to Python costs a conversion.
    """
    n, p = x.shape
    g = np.zeros((p, p))  # BLAS outputs start zeroed, as scipy's wrappers pass them
    dsyrk_rows(x, g)  # X'X (symmetric)
    empty = np.empty((0, 0))
    none = np.empty(0)
    fail = (NOT_CERTIFIED, 0, np.nan, none, g, none, none, none, np.nan, np.nan, empty, np.nan)
    diag_min, diag_max = np.inf, 0.0
    for j in range(p):
        if g[j, j] != g[j, j]:  # NaN: numpy's min and max would be NaN
            return fail
        diag_min = min(diag_min, g[j, j])
        diag_max = max(diag_max, g[j, j])
    if not (diag_min > 0 and diag_max < np.inf):
        return fail
    if intercept and p >= 2 and _offset(g, OFFSET_RATIO):
        return (SHIFTED, 0, np.nan, none, g, none, none, none, np.nan, np.nan, empty, np.nan)
    # power_of_two_scales(np.sqrt(diag)) (its exact rule), the scaled Gram matrix, its factor.
    scales = np.empty(p)
    for j in range(p):
        m, e = math.frexp(math.sqrt(g[j, j]))
        scales[j] = math.ldexp(1.0, -(e - 1) if m < SQRT_HALF else -e)
    factor = np.empty((p, p))
    for i in range(p):
        for j in range(p):  # (row j, column i) of the column-major matrix: as numpy's gs
            factor[i, j] = g[j, i] * scales[j] * scales[i]
    root_diag = np.empty(p)
    for j in range(p):
        root_diag[j] = math.sqrt(factor[j, j])
    big = _largest_row_sum(factor)  # sigma_max(R)**2 = ||R'R||_2 <= its largest row sum
    if dpotrf_upper(factor) != 0:
        return fail
    smallest_pivot = np.inf
    for j in range(p):
        smallest_pivot = min(smallest_pivot, factor[j, j] / root_diag[j])
    if smallest_pivot <= pivot_tol:
        return fail
    # (X'X)^-1 = S M S with M = (R'R)^-1; W = M S = S^-1 cov bounds cov's errors.
    cov = factor.copy()
    if dpotri_upper(cov) != 0:
        return fail
    small = 1.0 / _largest_row_sum(cov)  # sigma_min(R)**-2 = ||M||_2 <= that of M
    for i in range(p):
        for j in range(p):
            cov[i, j] = cov[i, j] * scales[i] * scales[j]
    w_mat = np.empty((p, p))  # w_mat.T = W (column-major)
    for i in range(p):
        for j in range(p):
            w_mat[i, j] = cov[i, j] / scales[j]
    w_squares = np.zeros((p, p))
    dsyrk_upper(w_mat, w_squares)
    cov_ratio = np.empty(p)
    for j in range(p):
        cov_ratio[j] = w_squares[j, j] / cov[j, j]
    condition = np.nan
    weakest = none
    rho = _accepted_bounds(n, p, big, small, cov_ratio, max_contraction, cov_tolerance)
    if rho != rho:  # not with the row-sum bounds: with the singular values
        singular = np.empty(p)
        u = np.empty((p, p))
        vt = np.empty((p, p))
        if dgesdd_all(factor, singular, u, vt) != 0 or not singular[p - 1] > 0.0:
            return fail
        s_max, s_min = singular[0], singular[p - 1]
        rho = _accepted_bounds(
            n, p, s_max * s_max, s_min * s_min, cov_ratio, max_contraction, cov_tolerance
        )
        if rho != rho:
            return fail
        condition = s_max / s_min
        weakest = vt[:, p - 1].copy()  # the last row of V' (vt is column-major)
        big, small = s_max * s_max, s_min * s_min
    # The plain solution, then corrected semi-normal refinement in double-double.
    coef_hi = np.zeros(p)
    dgemv_t(x, y, coef_hi)
    for j in range(p):
        coef_hi[j] = scales[j] * coef_hi[j]
    dpotrs_upper(factor, coef_hi)
    for j in range(p):
        coef_hi[j] = coef_hi[j] * scales[j]
    coef_lo = np.zeros(p)
    r_hi, r_lo = np.empty(n), np.empty(n)
    g_hi, g_lo = np.zeros(p), np.zeros(p)
    step, minus_step, left = np.empty(p), np.empty(p), np.empty(p)
    x_step = np.zeros(n)
    squares_hi = squares_lo = np.nan
    for passes in range(1, max_passes + 1):
        g_hi[:] = 0.0
        g_lo[:] = 0.0
        _residual_gradient_kernel(x, y, coef_hi, coef_lo, r_hi, r_lo, g_hi, g_lo)
        for j in range(p):
            step[j] = scales[j] * (g_hi[j] + g_lo[j])
        dpotrs_upper(factor, step)
        size = 2.0 * rho * math.sqrt(ddot(step, step))
        for j in range(p):
            left[j] = size * scales[j]
            step[j] *= scales[j]
            minus_step[j] = -step[j]
        _subtract_kernel(coef_hi, coef_lo, minus_step)
        ratio = -np.inf
        for j in range(p):
            ratio = max(ratio, abs(coef_hi[j]) / scales[j])
        converged = True
        for j in range(p):
            bound = 0.5 * _EPS * abs(coef_hi[j]) + _EPS**2 * scales[j] * ratio
            converged = converged and left[j] <= bound
        dgemv_n(x, step, x_step)
        if converged and abs(exponent) <= 1000:
            squares_hi, squares_lo = _subtract_squares_kernel(
                r_hi, r_lo, x_step, math.ldexp(1.0, -exponent)
            )
        else:
            _subtract_kernel(r_hi, r_lo, x_step)
        if converged:
            coef = coef_hi + coef_lo
            condition_bound = math.sqrt(big / small)
            return (
                ACCEPTED, passes, condition, weakest, cov, coef, r_hi, r_lo, squares_hi,
                squares_lo, factor, condition_bound,
            )  # fmt: skip
    return fail


@njit(cache=True, inline="always")
def _largest_row_sum(a: Float) -> float:  # pragma: no cover - compiled
    # deferred_conditioning.largest_row_sum: each row's |a[j, k]| added in order of k.
    largest = 0.0
    for j in range(a.shape[0]):
        total = 0.0
        for k in range(a.shape[1]):
            total += abs(a[j, k])
        largest = max(largest, total)
    return largest


@njit(cache=True, inline="always")
def _accepted_bounds(
    n: int,
    p: int,
    big: float,
    small: float,
    cov_ratio: Float,
    max_contraction: float,
    cov_tolerance: float,
) -> float:  # pragma: no cover - compiled
    # certified._accepted_bounds (no shift), NaN for None.
    rho = (_EPS * (p + math.sqrt(n)) * big + 0.0) / small
    if not rho <= max_contraction:
        return np.nan
    eta_cov = 2.0 * math.sqrt(p) * _EPS * big + 0.0
    worst = -np.inf
    for j in range(p):
        worst = max(worst, eta_cov * cov_ratio[j])
    if not worst <= cov_tolerance:
        return np.nan
    return rho
