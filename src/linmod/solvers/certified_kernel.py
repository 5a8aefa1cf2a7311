"""The certified Cholesky fit of one response in one compiled call.

:func:`linmod.solvers.certified.solve_certified` makes some forty numpy and LAPACK calls
on ``p``-vectors and ``p x p`` matrices; on a small design (1000 x 5) their wrappers'
overhead is several times the arithmetic.  Once the compiled kernels are loaded
(:func:`linmod._lazy.interpreted` is False) a design takes this kernel instead: the same
steps, the same scipy BLAS and LAPACK routines with the same arguments
(:mod:`linmod.linalg.lapack_calls`), the same double-double kernels and the same
elementwise operations in the same order, so the same bits, in one call.  That includes
designs with offset columns, factored in shifted coordinates (:mod:`linmod.solvers.shifted`),
and the shifted retry of a design the unshifted fit could not certify.

Several responses keep the interpreted path.
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
    dsyrk_upper,
    dtrtrs_upper,
    gram_rows,
)
from linmod.linalg.scaling import SQRT_HALF
from linmod.solvers.shifted import (
    OFFSET_RATIO,
    RESCUE_OFFSET_RATIO,
    _offset,
    _shifted_gradient_into,
)

__all__ = ["ACCEPTED", "COVARIANCE_TO_REFINE", "NOT_CERTIFIED", "certified_fit_kernel"]

Float = NDArray[np.float64]

#: Status codes of :func:`certified_fit_kernel`: the coefficients certified (and, unless
#: ``COVARIANCE_TO_REFINE``, ``(X'X)^-1`` too), or nothing certified.
ACCEPTED, NOT_CERTIFIED, COVARIANCE_TO_REFINE = 0, 1, 2
_EPS = float(np.finfo(np.float64).eps)


@njit(cache=True)
def certified_fit_kernel(
    x: Float,
    y: Float,
    intercept: bool,
    by_gemm: bool,
    exponent: int,
    pivot_tol: float,
    max_contraction: float,
    cov_tolerance: float,
    max_passes: int,
) -> tuple[Any, ...]:  # pragma: no cover - compiled
    """The steps of ``solve_certified``'s interpreted path for one response.

    ``by_gemm`` is :func:`~linmod.linalg.gram_routine.gram_by_gemm` of ``x``'s shape: the
    BLAS routine that forms ``X'X``, as ``blas_products.gram_of`` chooses it.

    Returns
    -------
    (status, passes, shifted, condition, condition_bound, squares_hi, squares_lo, block,
    r_hi, r_lo, rho)
        ``status`` is :data:`ACCEPTED`, :data:`COVARIANCE_TO_REFINE` (the coefficients are
        certified, the float64 ``(X'X)^-1`` is not: the caller refines it,
        :mod:`linmod.solvers.certified_columns`) or :data:`NOT_CERTIFIED` (the interpreted
        path would return None).  ``rho`` bounds the contraction of a refinement step.
        When accepted, ``squares_hi + squares_lo`` is the residual sum
        of squares (NaN when ``|exponent| > 1000``), ``r_hi + r_lo`` the residuals, and the
        ``(3p + 4, p)`` ``block`` holds, by rows: ``(X'X)^-1``; the transposed scaled
        (shifted) factor ``R``; ``X'X``; ``coef_hi + coef_lo``, rounded; the last row of
        ``V'`` of ``R``'s SVD; the column shifts (zeros unless ``shifted``); the column
        scales.  Without a shift, ``condition`` (``singular[0] / singular[-1]``) and that
        row of ``V'`` are set when the SVD was needed to certify the fit, otherwise NaN
        (the caller defers them, :mod:`linmod.solvers.deferred_conditioning`, with
        ``condition_bound``); with a shift the caller defers those of the original
        design, as the interpreted path, and ``condition_bound`` bounds its condition
        number (``shifted.original_bound``).
    """
    p = x.shape[1]
    g = np.zeros((p, p))  # BLAS outputs start zeroed, as scipy's wrappers pass them
    gram_rows(x, g, by_gemm)  # X'X (symmetric), by the routine gram_of uses
    for j in range(p):
        if not (g[j, j] > 0 and g[j, j] < np.inf):  # as the min and max of the diagonal
            return _failed(g)
    options = (exponent, pivot_tol, max_contraction, cov_tolerance, max_passes)
    shifted = intercept and p >= 2 and _offset(g, OFFSET_RATIO)
    outcome = _fit(x, y, g, shifted, by_gemm, options)
    retry = outcome[0] == NOT_CERTIFIED and not shifted and intercept and p >= 2
    if retry and _offset(g, RESCUE_OFFSET_RATIO):  # certified.solve_certified's retry
        outcome = _fit(x, y, g, True, by_gemm, options)
    return outcome


@njit(cache=True, inline="always")
def _failed(g: Float) -> tuple[Any, ...]:  # pragma: no cover - compiled
    nan, none = np.nan, np.empty(0)
    block = np.empty((0, g.shape[0]))
    return (NOT_CERTIFIED, 0, False, nan, nan, nan, nan, block, none, none, nan)


@njit(cache=True)
def _fit(
    x: Float,
    y: Float,
    g: Float,
    shifted: bool,
    by_gemm: bool,
    options: tuple[int, float, float, float, int],
) -> tuple[Any, ...]:  # pragma: no cover - compiled
    # certified_factor, then certified_solution, for one choice of shift.
    exponent, pivot_tol, max_contraction, cov_tolerance, max_passes = options
    n, p = x.shape
    none = np.empty(0)
    s, gc = none, g
    xc = np.empty((n if shifted else 0, p))  # the shifted design (x itself is read-only)
    if shifted:  # Shift(g[0, 1:] / g[0, 0]): Xc = X - s, its Gram matrix by the same syrk
        s = np.zeros(p)
        for j in range(1, p):
            s[j] = g[0, j] / g[0, 0]
        for i in range(n):
            for j in range(p):
                xc[i, j] = x[i, j] - s[j]
        gc = np.zeros((p, p))
        gram_rows(xc, gc, by_gemm)
        for j in range(p):
            if not gc[j, j] > 0:  # a constant column: aliased
                return _failed(g)
    # power_of_two_scales(np.sqrt(diag)) (its exact rule), the scaled Gram matrix, its factor.
    scales = np.empty(p)
    for j in range(p):
        scales[j] = _power_of_two_scale(math.sqrt(gc[j, j]))
    factor = np.empty((p, p))
    for i in range(p):
        for j in range(p):  # (row j, column i) of the column-major matrix: as numpy's gs
            factor[i, j] = gc[j, i] * scales[j] * scales[i]
    root_diag = np.empty(p)
    for j in range(p):
        root_diag[j] = math.sqrt(factor[j, j])
    big = _largest_row_sum(factor)  # sigma_max(R)**2 = ||R'R||_2 <= its largest row sum
    if dpotrf_upper(factor) != 0:
        return _failed(g)
    smallest_pivot = np.inf
    for j in range(p):
        smallest_pivot = min(smallest_pivot, factor[j, j] / root_diag[j])
    if smallest_pivot <= pivot_tol:
        return _failed(g)
    inverse = factor.copy()  # M = (R'R)^-1
    if dpotri_upper(inverse) != 0:
        return _failed(g)
    small = 1.0 / _largest_row_sum(inverse)  # sigma_min(R)**-2 = ||M||_2 <= that of M
    cov = np.zeros((p, p))
    if not shifted:  # (X'X)^-1 = S M S; W = M S = S^-1 cov (w_mat.T = W, column-major)
        w_mat = np.empty((p, p))
        for i in range(p):
            for j in range(p):
                cov[i, j] = inverse[i, j] * scales[i] * scales[j]
        for i in range(p):
            for j in range(p):
                w_mat[i, j] = cov[i, j] / scales[j]
    else:  # (X'X)^-1 = A'A with R' A = S T^-T; W = R^-1 A
        a_mat = np.zeros((p, p))  # a_mat.T = S T^-T: diag(scales), -scales s down column 0
        for j in range(p):
            a_mat[j, j] = scales[j]
        for j in range(1, p):
            a_mat[0, j] = -scales[j] * s[j]
        if dtrtrs_upper(factor, a_mat, True) != 0:
            return _failed(g)
        w_mat = a_mat.copy()
        if dtrtrs_upper(factor, w_mat, False) != 0:
            return _failed(g)
        dsyrk_upper(a_mat, cov)
    cov_ratio = np.empty(p)
    for j in range(p):  # ||w_j||**2 (w_mat.T = W: its column j is w_mat[j]), k in order
        squares = 0.0
        for k in range(p):
            squares += w_mat[j, k] * w_mat[j, k]
        cov_ratio[j] = squares / cov[j, j]
    condition = np.nan
    weakest = none
    limits = (max_contraction, cov_tolerance)
    centring = _centring(shifted, p, big)
    rho, covariance = _accepted_bounds(n, p, big, small, cov_ratio, centring, limits)
    if not covariance:  # not with the row-sum bounds: with the singular values
        singular = np.empty(p)
        u = np.empty((p, p))
        vt = np.empty((p, p))
        if dgesdd_all(factor, singular, u, vt) != 0 or not singular[p - 1] > 0.0:
            return _failed(g)
        big, small = singular[0] * singular[0], singular[p - 1] * singular[p - 1]
        centring = _centring(shifted, p, big)
        rho, covariance = _accepted_bounds(n, p, big, small, cov_ratio, centring, limits)
        if rho != rho:
            return _failed(g)
        if not shifted:
            condition = singular[0] / singular[p - 1]
            weakest = vt[:, p - 1].copy()  # the last row of V' (vt is column-major)
    weights = scales.copy()  # Shift.error_weights
    if shifted:
        weighted = np.empty(p - 1)
        for j in range(1, p):
            weighted[j - 1] = s[j] * scales[j]
        weights[0] = math.hypot(scales[0], math.sqrt(ddot(weighted, weighted)))
    # The plain solution, then corrected semi-normal refinement in double-double.
    coef_hi = np.zeros(p)
    if shifted:
        dgemv_t(xc, y, coef_hi)
    else:
        dgemv_t(x, y, coef_hi)
    for j in range(p):
        coef_hi[j] = scales[j] * coef_hi[j]
    dpotrs_upper(factor, coef_hi)
    for j in range(p):
        coef_hi[j] = coef_hi[j] * scales[j]
    if shifted:
        coef_hi[0] = coef_hi[0] - ddot(s[1:], coef_hi[1:])  # Shift.to_original
    coef_lo = np.zeros(p)
    r_hi, r_lo = np.empty(n), np.empty(n)
    g_hi, g_lo = np.zeros(p), np.zeros(p)
    step, minus_step, left, gradient = np.empty(p), np.empty(p), np.empty(p), np.empty(p)
    x_step = np.zeros(n)
    squares_hi = squares_lo = np.nan
    for passes in range(1, max_passes + 1):
        g_hi[:] = 0.0
        g_lo[:] = 0.0
        _residual_gradient_kernel(x, y, coef_hi, coef_lo, r_hi, r_lo, g_hi, g_lo)
        if shifted:
            _shifted_gradient_into(g_hi, g_lo, s, gradient)
            for j in range(p):
                step[j] = scales[j] * gradient[j]
        else:
            for j in range(p):
                step[j] = scales[j] * (g_hi[j] + g_lo[j])
        dpotrs_upper(factor, step)
        size = 2.0 * rho * math.sqrt(ddot(step, step))
        for j in range(p):
            left[j] = size * weights[j]
            step[j] *= scales[j]
        if shifted:  # Shift.step_to_original
            spread = ddot(np.abs(s[1:]), np.abs(step[1:]))
            rounding = (p + 1) * _EPS * (abs(step[0]) + spread)
            step[0] = step[0] - ddot(s[1:], step[1:])
            left[0] += rounding
        for j in range(p):
            minus_step[j] = -step[j]
        _subtract_kernel(coef_hi, coef_lo, minus_step)
        ratio = -np.inf
        for j in range(p):
            ratio = max(ratio, abs(coef_hi[j]) / weights[j])
        converged = True
        for j in range(p):
            bound = 0.5 * _EPS * abs(coef_hi[j]) + _EPS**2 * weights[j] * ratio
            converged = converged and left[j] <= bound
        dgemv_n(x, step, x_step)
        if converged and abs(exponent) <= 1000:
            squares_hi, squares_lo = _subtract_squares_kernel(
                r_hi, r_lo, x_step, math.ldexp(1.0, -exponent)
            )
        else:
            _subtract_kernel(r_hi, r_lo, x_step)
        if converged:
            condition_bound = math.sqrt(big / small)
            if shifted:
                condition_bound *= _shift_condition_factor(scales, s, g)
            # One array for the p x p and p-long outputs: each array handed back to Python
            # is boxed on its own (and unpickles its type), which costs more than the copy.
            block = np.empty((3 * p + 4, p))
            block[:p] = cov
            block[p : 2 * p] = factor
            block[2 * p : 3 * p] = g
            for j in range(p):
                block[3 * p, j] = coef_hi[j] + coef_lo[j]
                block[3 * p + 1, j] = weakest[j] if weakest.shape[0] else np.nan
                block[3 * p + 2, j] = s[j] if shifted else 0.0
                block[3 * p + 3, j] = scales[j]
            status = ACCEPTED if covariance else COVARIANCE_TO_REFINE
            return (
                status, passes, shifted, condition, condition_bound, squares_hi, squares_lo,
                block, r_hi, r_lo, rho,
            )  # fmt: skip
    return _failed(g)


@njit(cache=True, inline="always")
def _shift_condition_factor(scales: Float, s: Float, g: Float) -> float:  # pragma: no cover
    # shifted.original_bound's factor ||N||_F ||N^-1||_F (its sums in another order).
    p = scales.shape[0]
    d = np.empty(p)
    for j in range(p):
        d[j] = _power_of_two_scale(math.sqrt(g[j, j]))
    n_squares = inverse_squares = 0.0
    for j in range(p):
        n_squares += (d[j] / scales[j]) ** 2
        inverse_squares += (scales[j] / d[j]) ** 2
    for j in range(1, p):
        n_squares += (s[j] * d[j] / scales[0]) ** 2
        inverse_squares += (s[j] * scales[j] / d[0]) ** 2
    return math.sqrt(n_squares * inverse_squares)


@njit(cache=True, inline="always")
def _power_of_two_scale(norm: float) -> float:  # pragma: no cover - compiled
    # scaling.power_of_two_scales' exact rule for one positive norm.
    m, e = math.frexp(norm)
    return math.ldexp(1.0, -(e - 1) if m < SQRT_HALF else -e)


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
def _centring(shifted: bool, p: int, big: float) -> float:  # pragma: no cover - compiled
    # certified._centring
    return 2.0 * _EPS * math.sqrt(2.0 * p) * math.sqrt(big) if shifted else 0.0


@njit(cache=True, inline="always")
def _accepted_bounds(
    n: int,
    p: int,
    big: float,
    small: float,
    cov_ratio: Float,
    centring: float,
    limits: tuple[float, float],
) -> tuple[float, bool]:  # pragma: no cover - compiled
    # certified._accepted_bounds, NaN for a rho that is not accepted.
    max_contraction, cov_tolerance = limits
    rho = (_EPS * (p + math.sqrt(n)) * big + centring) / small
    if not rho <= max_contraction:
        return np.nan, False
    eta_cov = 2.0 * math.sqrt(p) * _EPS * big + centring
    worst = -np.inf
    for j in range(p):
        worst = max(worst, eta_cov * cov_ratio[j])
    return rho, worst <= cov_tolerance
