"""Many least-squares refits at once: the numerical core of the bootstrap.

Every bootstrap of a linear model refits the same design many times, and each refit is a
small change of one factorisation. All functions here work in the orthonormal basis ``Q``
of a thin QR factorisation ``X S = Q R`` of the column-scaled design (``S`` a diagonal of
powers of two), where coefficients are ``gamma = R (beta / S)``:

* **Resampled rows** (the pairs bootstrap) are a frequency-weighted refit with counts
  ``c``: ``gamma_c = (Q' diag(c) Q)^-1 Q' diag(c) y``. For a batch of count vectors both
  products are one matrix product each (the counts matrix times the rows' outer products
  ``q_i q_i'`` and times ``q_i y_i``), done by BLAS; each small ``k x k`` system is then
  solved by a (batched) Cholesky factorisation. In the ``Q`` basis the matrix
  ``Q' diag(c) Q`` is close to ``n I``, so squaring the condition number of ``X`` (the
  usual objection to the normal equations) does not arise: its condition is that of the
  resample relative to the data. A resample whose design is rank deficient (a factor
  level left out, fewer distinct rows than columns) has a Cholesky pivot at rounding
  level; that refit is NaN and reported, as R's ``boot`` stores NA.
* **A fixed design with new responses** (the residual and wild bootstraps) is one
  product: ``gamma = Y* Q`` for all replicate responses at once.
* **Delete-one refits** (the jackknife behind the BCa acceleration) have a closed form:
  ``beta_(i) = beta - (X'X)^-1 x_i e_i / (1 - h_i)``.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

__all__ = [
    "RANK_TOLERANCE",
    "coefficient_map",
    "coefficients_from_basis",
    "delete_one_changes",
    "frequency_weighted_refits",
    "outer_products",
]

Float = NDArray[np.float64]

#: A refit is rank deficient when a squared Cholesky pivot of ``Q' diag(c) Q`` falls below
#: this times ``n`` (the matrix is close to ``n I``): a relative pivot of 1e-5, far above
#: the rounding level (1e-8) at which an exactly singular resample's pivot lands.
RANK_TOLERANCE = 1e-10

#: Above this many bytes the rows' outer products are not stored: each replicate forms its
#: own ``Q' diag(c) Q`` instead (the same flops, in smaller BLAS calls).
_OUTER_PRODUCT_BYTES = 256 * 2**20


def outer_products(q: Float) -> Float | None:
    """The upper triangles of every row's outer product ``q_i q_i'``, one row each.

    Returns None when the ``n x k(k+1)/2`` matrix would exceed 256 MiB.
    """
    n, k = q.shape
    width = k * (k + 1) // 2
    if n * width * 8 > _OUTER_PRODUCT_BYTES:
        return None
    rows, cols = np.triu_indices(k)
    products: Float = np.ascontiguousarray(q[:, rows] * q[:, cols], dtype=np.float64)
    return products


def _grams(q: Float, counts: Float, products: Float | None) -> Float:
    """``Q' diag(c_b) Q`` for every row ``c_b`` of ``counts`` (shape ``(m, k, k)``)."""
    m, k = counts.shape[0], q.shape[1]
    if products is None:
        return np.stack([q.T @ (q * c[:, None]) for c in counts])
    rows, cols = np.triu_indices(k)
    packed = counts @ products
    grams = np.empty((m, k, k))
    grams[:, rows, cols] = packed
    grams[:, cols, rows] = packed
    return grams


def _cholesky_or_nan(gram: Float, scale: float) -> Float | None:
    """The Cholesky factor of one Gram matrix, or None when it is rank deficient."""
    try:
        factor: Float = np.asarray(np.linalg.cholesky(gram), dtype=np.float64)
    except np.linalg.LinAlgError:
        return None
    if np.min(np.diag(factor)) ** 2 < RANK_TOLERANCE * scale:
        return None
    return factor


def frequency_weighted_refits(
    q: Float, y: Float, counts: Float, products: Float | None = None
) -> tuple[Float, NDArray[np.bool_]]:
    """Refit ``y`` on ``Q`` with each row of ``counts`` as frequency weights.

    Parameters
    ----------
    q : ndarray of shape (n, k)
        Orthonormal basis of the design's column space.
    y : ndarray of shape (n,)
        Response.
    counts : ndarray of shape (m, n)
        How often each row appears in each of ``m`` resamples (each row sums to ``n``).
    products : ndarray or None
        :func:`outer_products` of ``q`` (computed once for all batches); None forms
        each Gram matrix separately.

    Returns
    -------
    gamma : ndarray of shape (m, k)
        Coefficients in the ``Q`` basis; NaN rows for rank-deficient resamples.
    ok : ndarray of bool, shape (m,)
        Which refits were of full rank.
    """
    m, k = counts.shape[0], q.shape[1]
    grams = _grams(q, counts, products)
    rhs = counts @ (q * y[:, None])
    scale = counts.sum(axis=1)  # each Gram matrix is close to n I
    ok = np.ones(m, dtype=bool)
    gamma = np.full((m, k), np.nan)
    try:
        factors = np.linalg.cholesky(grams)
        pivots = np.diagonal(factors, axis1=1, axis2=2)
        ok = np.min(pivots, axis=1) ** 2 >= RANK_TOLERANCE * scale
    except np.linalg.LinAlgError:  # one rank-deficient resample fails the whole stack
        factors = np.full((m, k, k), np.nan)
        for b in range(m):
            factor = _cholesky_or_nan(grams[b], float(scale[b]))
            ok[b] = factor is not None
            if factor is not None:
                factors[b] = factor
    if np.any(ok):
        lower = factors[ok]
        half = np.linalg.solve(lower, rhs[ok][:, :, None])
        gamma[ok] = np.linalg.solve(np.swapaxes(lower, 1, 2), half)[:, :, 0]
    return gamma, ok


def coefficient_map(r: Float, scales: Float) -> Float:
    """The ``k x k`` matrix ``M`` with ``beta = gamma @ M`` (``M = R^-T S``), formed once.

    A triangular inverse is as accurate as a solve here, and one small product per block
    avoids a LAPACK call per block (milliseconds of set-up on a busy machine for a few
    microseconds of arithmetic).
    """
    inverse = sla.solve_triangular(r, np.eye(r.shape[0]), lower=False, check_finite=False)
    return np.asarray(inverse.T * scales[None, :], dtype=np.float64)


def coefficients_from_basis(r: Float, scales: Float, gamma: Float) -> Float:
    """Coefficients ``beta = S R^-1 gamma`` for each row of ``gamma`` (NaN rows stay NaN)."""
    return np.asarray(gamma @ coefficient_map(r, scales), dtype=np.float64)


def delete_one_changes(
    q: Float, r: Float, scales: Float, residuals: Float, leverage: Float
) -> Float:
    """``beta - beta_(i)`` for every observation ``i`` left out (shape ``(n, k)``).

    ``beta_(i) = beta - (X'X)^-1 x_i e_i / (1 - h_i)``; with ``X S = Q R`` the product
    ``(X'X)^-1 x_i`` is ``S R^-1 q_i``. Rows of leverage one (the fit without them is
    rank deficient) are NaN.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(leverage < 1.0 - 1e-10, residuals / (1.0 - leverage), np.nan)
    return coefficients_from_basis(r, scales, q * factor[:, None])
