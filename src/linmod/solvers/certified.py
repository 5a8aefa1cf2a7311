"""Cholesky of the scaled Gram matrix, refined in double-double and certified a posteriori.

The fast first choice of ``solver="auto"``.  It forms ``X'X`` in one BLAS pass (``syrk``
or ``gemm``, :mod:`linmod.linalg.gram_routine`), scales it by powers of two and factors it
with ``potrf``; the plain solution then takes corrected semi-normal refinement steps
(``b += R^-1 R^-T X'(y - X b)``), residual and gradient formed in double-double in one
compiled pass over ``X`` (:func:`~linmod.linalg.dd_gradient.dd_residual_gradient`).

What makes it safe as a default is the a-posteriori bound.  With ``R'R = S X'X S + E`` the
step contracts the coefficient error by ``rho = ||E|| / sigma_min(R)**2``, with ``||E||``
bounded by ``eta = eps (p + sqrt(n)) sigma_max(R)**2`` (the worst-case rounding in forming
and factoring the Gram matrix), so after a step of size ``delta`` the error left is at
most about ``rho ||delta||``.  The solution is accepted only when that is below half an
ulp of every coefficient (plus ``eps**2`` of the largest, the floor the refined QR
solver also reaches).  The float64 ``(X'X)^-1 = C`` from the factor is accepted as it is
when the first-order bound ``eta' ||c_j||**2 / C_jj`` of its diagonal's relative error is
below :data:`COVARIANCE_TOLERANCE`, with the realistic ``eta' = 2 sqrt(p) eps sigma_max(R)**2``
(rounding errors of the ``p`` terms add like a random walk; on Gaussian designs from
1e3 x 5 to 2e4 x 200 the measured errors were 0.2-0.4 of this bound); otherwise (correlated
columns: mtcars, Longley) each column of ``C`` is refined like a response, to the same
bound (:mod:`linmod.solvers.certified_columns`).  When the refinement cannot be certified
(rank deficiency, an ill-conditioned design, a stalled refinement) the solver returns None
and ``"auto"`` falls back to the refined QR solver.  ``sigma_max(R)**2`` and
``sigma_min(R)**-2`` enter these bounds first as the largest row sums of ``|R'R|`` and
``|(R'R)^-1|`` (upper bounds, :mod:`linmod.solvers.deferred_conditioning`), and as the
singular values of an SVD only when those do not certify.

**Offset columns.**  Beside an intercept, a column whose mean is large next to its spread
(years, temperatures in kelvin, mtcars' ``disp``) makes ``X'X`` ill-conditioned although
the fit is not.  Such designs are factored in shifted coordinates
(:mod:`linmod.solvers.shifted`): ``X = Xc T`` exactly, with ``Xc = [1, Z - 1 s']`` and
``T = [[1, s'], [0, I]]`` for float64 shifts ``s`` (the column means).  Only the
*preconditioner* and the covariance come from ``Xc``; residuals and gradients are still
formed from ``X`` itself in double-double, the gradient is moved to the shifted
coordinates in double-double, and the bounds above are applied in those coordinates, with
``eta`` enlarged by the rounding of ``Z - s`` and the error bound of the intercept by the
weight ``sqrt(d_0**2 + sum (s_j d_j)**2)`` of ``T^-1``.  ``(X'X)^-1 = A'A`` with
``R' A = S T^-T``, so every variance is a sum of squares (no cancellation).  A design not
certified unshifted is retried shifted when a column's mean exceeds half its spread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.linalg import blas, lapack

from linmod._lazy import interpreted
from linmod.linalg.blas_products import (
    column_squares,
    crossprod,
    gram_of,
    symmetric,
    x_times,
    xt_times,
)
from linmod.linalg.dd_gradient import dd_residual_gradient, dd_subtract_inplace, dd_subtract_squares
from linmod.linalg.gram_routine import gram_by_gemm
from linmod.linalg.scaling import magnitude_exponent, power_of_two_exponent, power_of_two_scales
from linmod.solvers.base import LeastSquaresProblem, ResidualSquares, SolverResult
from linmod.solvers.certified_columns import certified_covariance
from linmod.solvers.certified_kernel import (
    COVARIANCE_TO_REFINE,
    NOT_CERTIFIED,
    certified_fit_kernel,
)
from linmod.solvers.deferred_conditioning import DeferredConditioning, Reported, largest_row_sum
from linmod.solvers.shifted import (
    OFFSET_RATIO,
    RESCUE_OFFSET_RATIO,
    OriginalConditioning,
    Shift,
    offset_shift,
    original_bound,
)

__all__ = [
    "COVARIANCE_TOLERANCE",
    "MAX_CONTRACTION",
    "MAX_PASSES",
    "OFFSET_RATIO",
    "CertifiedFactor",
    "certified_factor",
    "certified_solution",
    "gram_of",
    "plain_solution",
    "shifted_retry",
    "solve_certified",
]

#: Largest accepted contraction factor ``rho`` of a refinement step (larger: use QR).
MAX_CONTRACTION = 1.0 / 16.0
#: Largest accepted relative error bound of a diagonal element of (X'X)^-1; a standard
#: error carries half of it, so at least 14 digits, one more than NIST's ceiling.
COVARIANCE_TOLERANCE = 2e-14
#: Largest number of refinement passes.
MAX_PASSES = 3
_PIVOT_TOL = 1e-7
_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class CertifiedFactor:
    """The certified factorisation of a design, shared by every response fitted on it.

    Attributes
    ----------
    factor : ndarray of shape (p, p)
        Upper Cholesky factor of the scaled (and possibly shifted) Gram matrix.
    scales : ndarray of shape (p,)
        The power-of-two column scales.
    shift : Shift or None
        The offset-column shift, if any.
    rho : float
        The bound of the contraction factor of a refinement step.
    weights : ndarray of shape (p,)
        Per-coefficient weights of the error bound.
    cov : ndarray of shape (p, p)
        ``(X'X)^-1`` in float64, certified to :data:`COVARIANCE_TOLERANCE` when
        ``cov_certified``.
    singular, vt : ndarray or None
        Singular values (and, without a shift, right singular vectors) of ``factor``;
        None when the row-sum bounds certified it without them (then ``conditioning``).
    gram : ndarray of shape (p, p)
        ``X'X`` of the original design.
    shifted_x : ndarray of shape (n, p) or None
        The shifted design ``Xc`` when there is a shift (for the plain solutions).
    conditioning : DeferredConditioning or None
        The condition number and weakest direction, found when first read: always with a
        shift (those of the original design), else when the singular values were not
        needed.
    cov_certified : bool
        Whether ``cov`` is certified as it is; if not, the fits refine it
        (:func:`~linmod.solvers.certified_columns.certified_covariance`).
    """

    factor: np.ndarray
    scales: np.ndarray
    shift: Shift | None
    rho: float
    weights: np.ndarray
    cov: np.ndarray
    singular: np.ndarray | None
    vt: np.ndarray | None
    gram: np.ndarray
    shifted_x: np.ndarray | None = None
    conditioning: DeferredConditioning | None = None
    cov_certified: bool = True

    def reported_conditioning(self) -> tuple[Reported[float], Reported[np.ndarray]]:
        """The ``condition_number`` and ``weakest_direction`` of a fit on this factor: of
        the original design's scaled columns, as every other solver reports them."""
        if self.conditioning is not None:  # always with a shift
            return self.conditioning, self.conditioning
        assert self.singular is not None
        assert self.vt is not None
        return float(self.singular[0] / self.singular[-1]), self.vt[-1]


def certified_factor(
    problem: LeastSquaresProblem, gram: np.ndarray | None = None, offset_ratio: float = OFFSET_RATIO
) -> CertifiedFactor | None:
    """Factor the design of ``problem`` and certify ``(X'X)^-1``, or return None.

    Parameters
    ----------
    problem : LeastSquaresProblem
        Only its design is used.
    gram : ndarray of shape (p, p), optional
        ``X'X`` when the caller has formed it (:func:`gram_of`).
    offset_ratio : float
        Columns are shifted by their means when one's ``sum(z**2) / sum((z - mean)**2)``
        exceeds this (:func:`~linmod.solvers.shifted.offset_shift`).

    Returns
    -------
    CertifiedFactor or None
        None when the design is carried in double-double, looks rank deficient, or the
        bounds cannot certify a contracting refinement (``cov_certified`` tells whether
        the float64 ``(X'X)^-1`` is certified too).
    """
    if problem.x_lo is not None:
        return None
    x = problem.x
    n, p = x.shape
    g = gram_of(x) if gram is None else gram
    diag = g.diagonal()
    if not (diag.min(initial=np.inf) > 0 and diag.max(initial=0.0) < np.inf):  # NaN: False
        return None
    shift = offset_shift(g, problem.intercept, offset_ratio)
    xc = x if shift is None else shift.apply(x)
    gc = g if shift is None else gram_of(xc)
    if shift is not None and not gc.diagonal().min() > 0:  # a constant column: aliased
        return None
    scales = power_of_two_scales(np.sqrt(gc.diagonal()))
    gs = gc * scales[:, None] * scales
    factor, info = lapack.dpotrf(gs, lower=0, clean=1)
    if info != 0 or (factor.diagonal() / np.sqrt(gs.diagonal())).min() <= _PIVOT_TOL:
        return None
    inverse, info = lapack.dpotri(factor, lower=0)  # M = (R'R)^-1 = R^-1 R^-T
    if info != 0:  # pragma: no cover - excluded by the pivot test
        return None
    inverse = symmetric(inverse)
    if shift is None:
        # (X'X)^-1 = S M S; W = M S = S^-1 (X'X)^-1 (the powers of two scale exactly).
        cov = inverse * scales[:, None] * scales
        w_mat = cov / scales[:, None]
    else:  # (X'X)^-1 = A'A with R' A = S T^-T; W = R^-1 A
        rhs = shift.inverse_transpose_scaled(scales)
        a_mat, info = lapack.dtrtrs(factor, rhs, lower=0, trans=1)
        w_mat, info_w = lapack.dtrtrs(factor, a_mat, lower=0, trans=0)
        if info != 0 or info_w != 0:  # pragma: no cover - excluded by the pivot test
            return None
        cov = crossprod(a_mat)
    cov_ratio = column_squares(w_mat) / cov.diagonal()
    # First without an SVD: the 2-norms of the symmetric R'R and M are at most their
    # largest row sums, so sigma_max**2 <= big and sigma_min**2 >= small.
    big, small = largest_row_sum(gs), 1.0 / largest_row_sum(inverse)
    rho, cov_certified = _accepted_bounds(n, p, big, small, cov_ratio, _centring(shift, p, big))
    singular = vt = None
    if not cov_certified:  # then with the singular values
        singular, vt = _singular(factor)
        if singular is None:  # pragma: no cover - excluded by the pivot test
            return None
        s_max, s_min = float(singular[0]), float(singular[-1])
        big, small = s_max * s_max, s_min * s_min
        centring = _centring(shift, p, big)
        rho, cov_certified = _accepted_bounds(n, p, big, small, cov_ratio, centring)
    if rho is None:
        return None
    deferred: DeferredConditioning | None = None
    if shift is not None:  # the original design's, when first read
        bound = original_bound(scales, shift.s, g, math.sqrt(big / small))
        deferred = OriginalConditioning(factor, scales, shift, g, bound)
    elif singular is None:
        deferred = DeferredConditioning(factor, math.sqrt(big / small))
    weights = scales if shift is None else shift.error_weights(scales)
    return CertifiedFactor(
        factor, scales, shift, rho, weights, cov, singular, vt, g,
        None if shift is None else xc, deferred, cov_certified,
    )  # fmt: skip


def _centring(shift: Shift | None, p: int, big: float) -> float:
    """The rounding of ``Z - s`` in the scaled Gram matrix: each entry is ``(z - s)(1 + d)``,
    ``|d| <= eps / 2``, which moves it by at most ``eps ||Xc S|| || |Xc S| ||_F <= eps
    sqrt(2p) sigma_max`` (``sigma_max**2 <= big``)."""
    return 0.0 if shift is None else 2.0 * _EPS * math.sqrt(2.0 * p) * math.sqrt(big)


def _singular(factor: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Singular values (None if failed) and ``V'`` of ``factor``, by ``jobz="A"`` as the kernel."""
    _, singular, vt, info = lapack.dgesdd(factor)
    if info != 0 or not singular[-1] > 0.0:  # pragma: no cover - excluded by the pivot test
        return None, vt
    return singular, vt


def _accepted_bounds(
    n: int, p: int, big: float, small: float, cov_ratio: np.ndarray, centring: float
) -> tuple[float | None, bool]:
    """The contraction bound ``rho`` if it passes (else None), and whether the
    covariance bound passes too.

    ``big >= sigma_max(R)**2`` and ``small <= sigma_min(R)**2`` (the exact values, or the
    row-sum bounds); ``cov_ratio[j] = ||w_j||**2 / C_jj``.
    """
    rho = (_EPS * (p + math.sqrt(n)) * big + centring) / small
    if not rho <= MAX_CONTRACTION:
        return None, False
    eta_cov = 2.0 * math.sqrt(p) * _EPS * big + centring
    return rho, bool((eta_cov * cov_ratio).max() <= COVARIANCE_TOLERANCE)


def plain_solution(certified: CertifiedFactor, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The unrefined solution(s) for ``y`` of shape (n,) or (n, k) on a certified factor."""
    factor, scales, shift = certified.factor, certified.scales, certified.shift
    column = scales if y.ndim == 1 else scales[:, None]
    if shift is None:
        return np.asarray(lapack.dpotrs(factor, column * xt_times(x, y), lower=0)[0] * column)
    assert certified.shifted_x is not None
    solved = lapack.dpotrs(factor, column * xt_times(certified.shifted_x, y), lower=0)[0] * column
    return np.asarray(shift.to_original(solved))


def certified_solution(
    certified: CertifiedFactor,
    x: np.ndarray,
    y: np.ndarray,
    start: np.ndarray | None = None,
    y_exponent: int | None = None,
) -> SolverResult | None:
    """Refine the coefficients of one response on a certified factor, or return None.

    Parameters
    ----------
    certified : CertifiedFactor
        From :func:`certified_factor` of this design.
    x : ndarray of shape (n, p)
        The design.
    y : ndarray of shape (n,)
        The response.
    start : ndarray of shape (p,), optional
        The plain solution (solved by the caller, e.g. for many responses at once).
    y_exponent : int, optional
        ``power_of_two_exponent(y)``, when the caller knows it.

    Returns
    -------
    SolverResult or None
        None when the refinement is not certified within its passes.  Its
        ``residual_squares`` is the residual sum of squares, formed in double-double
        along with the last update of the residuals; ``column_scales`` are ones.
    """
    factor, scales, shift, rho = certified.factor, certified.scales, certified.shift, certified.rho
    weights = certified.weights
    p = x.shape[1]
    if start is not None:
        coef_hi = np.array(start, dtype=np.float64)
    else:
        coef_hi = plain_solution(certified, x, y)
    coef_lo = np.zeros(p)
    exponent = power_of_two_exponent(y) if y_exponent is None else y_exponent
    squares = None
    passes = 0
    for passes in range(1, MAX_PASSES + 1):  # noqa: B007 - reported as n_iter
        r_hi, r_lo, g_hi, g_lo = dd_residual_gradient(x, y, coef_hi, coef_lo)
        gradient = g_hi + g_lo if shift is None else shift.gradient(g_hi, g_lo)
        step = lapack.dpotrs(factor, scales * gradient, lower=0)[0]
        left = 2.0 * rho * math.sqrt(blas.ddot(step, step)) * weights  # error left, per coefficient
        step *= scales
        if shift is not None:
            step, rounding = shift.step_to_original(step)
            left[0] += rounding
        dd_subtract_inplace(coef_hi, coef_lo, -step)  # the bits of dd_add(hi, lo, step)
        magnitude = np.abs(coef_hi)
        converged = bool(
            np.all(left <= 0.5 * _EPS * magnitude + _EPS**2 * weights * np.max(magnitude / weights))
        )
        # The residuals at the new coefficients: X delta is tiny, so float64 suffices.
        if converged and abs(exponent) <= 1000:  # and their sum of squares, in the same pass
            squares = dd_subtract_squares(r_hi, r_lo, x_times(x, step), exponent)
        else:
            dd_subtract_inplace(r_hi, r_lo, x_times(x, step))
        if converged:
            break
    else:
        return None
    cov = certified_covariance(certified, x, MAX_PASSES)
    if cov is None:
        return None
    condition, weakest = certified.reported_conditioning()
    residuals = (r_hi, r_lo, y, exponent, squares)
    coef = coef_hi + coef_lo
    return _certified_result(coef, cov, residuals, condition, weakest, passes)


@lru_cache(maxsize=64)
def _full_rank_parts(p: int) -> tuple[np.ndarray, np.ndarray]:
    """``aliased`` (all False) and ``column_scales`` (ones) of a certified fit of ``p``
    columns: read-only, so every fit shares them."""
    aliased, ones = np.zeros(p, dtype=bool), np.ones(p)
    aliased.flags.writeable = ones.flags.writeable = False
    return aliased, ones


def _certified_result(
    coef: np.ndarray,
    cov: np.ndarray,
    residuals: tuple[np.ndarray, np.ndarray, np.ndarray, int, tuple[float, float] | None],
    condition: Reported[float],
    weakest: Reported[np.ndarray],
    passes: int,
) -> SolverResult:
    """The :class:`SolverResult` of a certified fit (interpreted or compiled).

    ``residuals`` is ``(r_hi, r_lo, y, exponent, squares)``, ``squares`` the residual sum
    of squares formed with them (divided by ``4**exponent``) or None.
    """
    r_hi, r_lo, y, exponent, squares = residuals
    p = coef.shape[0]
    aliased, ones = _full_rank_parts(p)
    return SolverResult(
        coef=coef,
        cov_unscaled=cov,
        residuals=r_hi,
        residuals_lo=r_lo,
        rank=p,
        aliased=aliased,
        dependencies=(),
        condition_number=condition,
        weakest_direction=weakest,
        method="cholesky",
        n_iter=passes,
        column_scales=ones,
        cov_scaled=cov,
        residual_squares=None
        if squares is None
        else ResidualSquares(squares[0], squares[1], exponent, r_hi, r_lo, y),
    )


def solve_certified(problem: LeastSquaresProblem) -> SolverResult | None:
    """Solve by Cholesky with double-double refinement, or return None if not certified.

    Parameters
    ----------
    problem : LeastSquaresProblem

    Returns
    -------
    SolverResult or None
        None when the design is carried in double-double, looks rank deficient, or the
        bounds above cannot certify float64-limit coefficients and ``(X'X)^-1`` (to 14
        digits as factored, or refined to the float64 limit); the caller then uses the
        refined QR solver.
    """
    if problem.x_lo is not None:
        return None
    known = problem.magnitudes
    x, y = problem.x, problem.y
    if known is not None and known.of(x, y):
        exponent = magnitude_exponent(known.response)
    else:
        exponent = power_of_two_exponent(y)
    if _compiled_fit_applies(x, y):
        # Read-only views, plain bools and int: the one signature numba compiled (a
        # read-only y from a data frame would otherwise cost a second compile).
        x_read, y_read = x.view(), y.view()
        x_read.flags.writeable = y_read.flags.writeable = False
        outcome = certified_fit_kernel(
            x_read, y_read, bool(problem.intercept), gram_by_gemm(*x.shape), int(exponent),
            _PIVOT_TOL, MAX_CONTRACTION, COVARIANCE_TOLERANCE, MAX_PASSES,
        )  # fmt: skip
        result = _compiled_result(outcome, x, y, exponent)
        if result is not None or outcome[0] != COVARIANCE_TO_REFINE:
            return result
        # (X'X)^-1 not certified by refinement either: the interpreted path decides, as
        # without the kernel (its shifted retry).
    gram = gram_of(x)
    certified = certified_factor(problem, gram)
    result = None if certified is None else certified_solution(certified, x, y, y_exponent=exponent)
    if result is None and (retry := shifted_retry(problem, gram, certified)) is not None:
        result = certified_solution(retry, x, y, y_exponent=exponent)
    return result


def shifted_retry(
    problem: LeastSquaresProblem, gram: np.ndarray, first: CertifiedFactor | None
) -> CertifiedFactor | None:
    """The shifted factor to try after the fit on ``first`` (None: refused) was not
    certified: when ``first`` was unshifted and a column's mean exceeds half its spread
    (:data:`~linmod.solvers.shifted.RESCUE_OFFSET_RATIO`); None otherwise (then QR)."""
    if first is not None and first.shift is not None:
        return None
    if offset_shift(gram, problem.intercept, RESCUE_OFFSET_RATIO) is None:
        return None
    return certified_factor(problem, gram, RESCUE_OFFSET_RATIO)


def _compiled_fit_applies(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether :func:`certified_fit_kernel` takes this fit: numba is loaded (the twins'
    row budget is charged by the double-double passes, not here), and ``x`` and ``y`` are
    C-ordered float64 with a column (the kernel hands their buffers to BLAS as they are)."""
    return (
        not interpreted(0)
        and x.shape[1] > 0
        and x.dtype == np.float64
        and y.dtype == np.float64
        and x.flags.c_contiguous
        and y.flags.c_contiguous
    )


def _compiled_result(
    outcome: tuple, x: np.ndarray, y: np.ndarray, exponent: int
) -> SolverResult | None:
    """The :class:`SolverResult` of :func:`certified_fit_kernel`'s outputs (None when
    not certified), as :func:`certified_solution` builds it."""
    status, passes, shifted, condition, bound, squares_hi, squares_lo, block, r_hi, r_lo, rho = (
        outcome
    )
    if status == NOT_CERTIFIED:
        return None
    sums = (squares_hi, squares_lo) if abs(exponent) <= 1000 else None
    residuals = (r_hi, r_lo, y, exponent, sums)
    p = block.shape[1]
    cov, factor, coef = block[:p], block[p : 2 * p].T, block[3 * p]
    if status == COVARIANCE_TO_REFINE:  # as certified_solution refines it
        scales, shift = block[3 * p + 3], Shift(block[3 * p + 2]) if shifted else None
        weights = scales if shift is None else shift.error_weights(scales)
        gram = block[2 * p : 3 * p]
        parts = CertifiedFactor(
            factor, scales, shift, rho, weights, cov, None, None, gram, cov_certified=False
        )
        refined = certified_covariance(parts, x, MAX_PASSES)
        if refined is None:
            return None
        cov = refined
    if condition == condition:  # the SVD certified it (never with a shift): the values
        return _certified_result(coef, cov, residuals, condition, block[3 * p + 1], passes)
    if not shifted:  # deferred, as certified_factor defers them
        deferred = DeferredConditioning(factor, bound)
        return _certified_result(coef, cov, residuals, deferred, deferred, passes)
    gram, scales, shift = block[2 * p : 3 * p], block[3 * p + 3], Shift(block[3 * p + 2])
    original = OriginalConditioning(factor, scales, shift, gram, bound)
    return _certified_result(coef, cov, residuals, original, original, passes)
