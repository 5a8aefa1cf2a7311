"""Cholesky of the scaled Gram matrix, refined in double-double and certified a posteriori.

The fast first choice of ``solver="auto"``.  It forms ``X'X`` with one BLAS ``syrk`` pass,
scales it by powers of two and factors it with ``potrf``; the plain solution then takes
corrected semi-normal refinement steps (``b += R^-1 R^-T X'(y - X b)``) whose residual and
gradient are formed in double-double in one compiled pass over ``X``
(:func:`~linmod.linalg.dd_gradient.dd_residual_gradient`).

What makes it safe as a default is the a-posteriori bound.  With ``R'R = S X'X S + E`` the
step contracts the coefficient error by ``rho = ||E|| / sigma_min(R)**2``, with ``||E||``
bounded by ``eta = eps (p + sqrt(n)) sigma_max(R)**2`` (the worst-case rounding in forming
and factoring the Gram matrix), so after a step of size ``delta`` the error left is at
most about ``rho ||delta||``.  The solution is accepted only when that is below half an
ulp of every coefficient (plus ``eps**2`` of the largest, the floor the refined QR
solver also reaches).  ``(X'X)^-1 = C`` is accepted only when the first-order bound
``eta' ||c_j||**2 / C_jj`` of its diagonal's relative error is below
:data:`COVARIANCE_TOLERANCE`, with the realistic ``eta' = 2 sqrt(p) eps sigma_max(R)**2``
(rounding errors of the ``p`` terms add like a random walk; on Gaussian designs from
1e3 x 5 to 2e4 x 200 the measured errors were 0.2-0.4 of this bound, and 0.002-0.13 of it
on designs with offset columns, condition numbers 7-500).  Otherwise (rank
deficiency, an ill-conditioned design, a stalled refinement) the solver returns None and
``"auto"`` falls back to the refined QR solver.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import lapack

from linmod.linalg.dd import dd_add
from linmod.linalg.dd_gradient import dd_residual_gradient, dd_subtract_inplace
from linmod.linalg.gram import gram
from linmod.linalg.scaling import power_of_two_scales
from linmod.solvers.base import LeastSquaresProblem, SolverResult

__all__ = ["COVARIANCE_TOLERANCE", "MAX_CONTRACTION", "solve_certified"]

#: Largest accepted contraction factor ``rho`` of a refinement step (larger: use QR).
MAX_CONTRACTION = 1.0 / 16.0
#: Largest accepted relative error bound of a diagonal element of (X'X)^-1; a standard
#: error carries half of it, so at least 14 digits, one more than NIST's ceiling.
COVARIANCE_TOLERANCE = 2e-14
_MAX_PASSES = 3
_PIVOT_TOL = 1e-7
_EPS = float(np.finfo(np.float64).eps)


def solve_certified(problem: LeastSquaresProblem) -> SolverResult | None:
    """Solve by Cholesky with double-double refinement, or return None if not certified.

    Parameters
    ----------
    problem : LeastSquaresProblem

    Returns
    -------
    SolverResult or None
        None when the design is carried in double-double, looks rank deficient, or the
        bounds above cannot certify float64-limit coefficients and 14-digit
        ``(X'X)^-1``; the caller then uses the refined QR solver.
    """
    if problem.x_lo is not None:
        return None
    x, y = problem.x, problem.y
    n, p = x.shape
    g = gram(x)
    diag = np.diag(g)
    if not (np.isfinite(diag).all() and diag.min(initial=np.inf) > 0):
        return None
    scales = power_of_two_scales(np.sqrt(diag))
    gs = g * np.outer(scales, scales)
    factor, info = lapack.dpotrf(gs, lower=0, clean=1)
    if info != 0 or np.min(np.abs(np.diag(factor)) / np.sqrt(np.diag(gs))) <= _PIVOT_TOL:
        return None
    _, singular, vt = np.linalg.svd(factor)
    if singular[-1] == 0.0:  # pragma: no cover - excluded by the pivot test
        return None
    eta = _EPS * (p + np.sqrt(n)) * singular[0] ** 2
    rho = eta / singular[-1] ** 2
    if not rho <= MAX_CONTRACTION:
        return None

    inv, info = lapack.dpotri(factor, lower=0)
    if info != 0:  # pragma: no cover - potri fails only for a singular factor
        return None
    cov_s = np.triu(inv) + np.triu(inv, 1).T
    cov_diag = np.diag(cov_s)
    eta_cov = 2.0 * np.sqrt(p) * _EPS * singular[0] ** 2
    cov_error = eta_cov * np.einsum("ij,ij->j", cov_s, cov_s) / cov_diag
    if not cov_error.max() <= COVARIANCE_TOLERANCE:
        return None

    coef_hi = lapack.dpotrs(factor, scales * (x.T @ y), lower=0)[0] * scales
    coef_lo = np.zeros(p)
    converged = False
    passes = 0
    for passes in range(1, _MAX_PASSES + 1):  # noqa: B007 - reported as n_iter
        r_hi, r_lo, g_hi, g_lo = dd_residual_gradient(x, y, coef_hi, coef_lo)
        delta = lapack.dpotrs(factor, scales * (g_hi + g_lo), lower=0)[0]
        left = 2.0 * rho * float(np.linalg.norm(delta))  # error bound after this step
        delta *= scales
        coef_hi, coef_lo = dd_add(coef_hi, coef_lo, delta)
        # The residuals at the new coefficients: X delta is tiny, so float64 suffices.
        dd_subtract_inplace(r_hi, r_lo, x @ delta)
        magnitude = np.abs(coef_hi) / scales
        if np.all(left <= 0.5 * _EPS * magnitude + _EPS**2 * magnitude.max()):
            converged = True
            break
    if not converged:
        return None
    return SolverResult(
        coef=coef_hi + coef_lo,
        cov_unscaled=cov_s * np.outer(scales, scales),
        residuals=r_hi,
        residuals_lo=r_lo,
        rank=p,
        aliased=np.zeros(p, dtype=bool),
        dependencies=(),
        condition_number=float(singular[0] / singular[-1]),
        weakest_direction=vt[-1],
        method="cholesky",
        n_iter=passes,
    )
