"""Cross-products of the centred design: one symmetric product, centring folded in.

The Gram layout of the elastic-net solvers needs ``X̃ᵀX̃``, ``X̃ᵀỹ`` and ``‖ỹ‖²`` of the
centred data ``X̃ = X − 1x̄ᵀ``, ``ỹ = y − ȳ``.  Centring a copy of ``X`` first would
write ``n·p`` values and read them again; :func:`cross_products` instead

* takes the column sums and ``Xᵀỹ`` in one compiled pass over the rows of ``X``;
* forms ``XᵀX`` with one BLAS ``syrk`` (numpy evaluates ``x.T @ x`` as a symmetric
  rank-k update: half the flops of a general product, measured at the ``gemm`` rate);
* folds the centring in as the rank-one correction ``X̃ᵀX̃ = XᵀX − n·x̄x̄ᵀ``.

Accuracy
    The correction cancels.  With ``κ_j = ‖x_j‖² / ‖x̃_j‖² = 1 + x̄_j²/s_j²`` (``s_j`` the
    column's spread), the rounding error of entry ``(j, k)`` relative to
    ``‖x̃_j‖·‖x̃_k‖`` is about ``u·√(κ_j κ_k)`` times the usual dot-product growth.
    Columns with ``κ_j`` above :data:`KAPPA_MAX` (a large mean next to a small spread,
    or a constant column) get their row and column computed from a centred copy of just
    those columns (``X̃ᵀx̃_B = Xᵀx̃_B − x̄·(1ᵀx̃_B)``, whose error carries only the factor
    ``√κ_k`` of the other column, and ``x̃_Bᵀx̃_B`` directly); if more than a quarter of
    the columns are like that, the whole product is accumulated from centred blocks of
    rows instead (no cancellation at all).

Finiteness
    A NaN or infinity anywhere in a column makes its sum (and its sum of squares) NaN or
    infinite, so :func:`cross_products` reports non-finite data from these statistics
    instead of a separate pass over ``X``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit

__all__ = [
    "KAPPA_MAX",
    "blocked_cross_products",
    "column_sums_and_products",
    "cross_products",
    "ill_centred",
    "subtract_outer",
]

Float = NDArray[np.float64]

#: Largest ``‖x_j‖²/‖x̃_j‖²`` for which the centring is folded into ``XᵀX`` (it costs
#: at most about four decimal digits of the sixteen; the tests ask for six).
KAPPA_MAX = 1e4
#: Above this share of ill-centred columns the product is accumulated from centred blocks.
_MAX_BAD_SHARE = 0.25
#: Rows per block when accumulating centred products (a few MB of doubles).
_BLOCK_ELEMENTS = 1 << 19


@njit(cache=True)
def column_sums_and_products(x: Float, v: Float) -> tuple[Float, Float]:  # pragma: no cover
    """Column sums ``Xᵀ1`` and products ``Xᵀv`` of a C-ordered ``x``, in one pass."""
    n, p = x.shape
    sums = np.zeros(p)
    prods = np.zeros(p)
    for i in range(n):
        vi = v[i]
        row = x[i]
        for j in range(p):
            xij = row[j]
            sums[j] += xij
            prods[j] += vi * xij
    return sums, prods


@njit(cache=True)
def subtract_outer(gram: Float, m: Float, n: float) -> None:  # pragma: no cover - compiled
    """``gram −= n·m mᵀ`` in place."""
    p = m.shape[0]
    for j in range(p):
        a = n * m[j]
        row = gram[j]
        for k in range(p):
            row[k] -= a * m[k]


def blocked_cross_products(
    x: Float, y: Float, x_offset: Float, y_offset: float
) -> tuple[Float, Float, float]:
    """``Σ uuᵀ``, ``Σ uv`` and ``Σ v²`` for ``u = x − x_offset``, ``v = y − y_offset``.

    Accumulated over blocks of centred rows: no cancellation, one extra copy per block.
    """
    n, p = x.shape
    gram = np.zeros((p, p))
    xty = np.zeros(p)
    v = y - y_offset
    rows = max(1, _BLOCK_ELEMENTS // max(p, 1))
    for start in range(0, n, rows):
        block = x[start : start + rows] - x_offset
        gram += block.T @ block
        xty += block.T @ v[start : start + rows]
    return gram, xty, float(v @ v)


def ill_centred(raw_diag: Float, centred_diag: Float) -> NDArray[np.intp]:
    """Columns whose ``κ = raw/centred`` exceeds :data:`KAPPA_MAX` (or is undefined)."""
    with np.errstate(invalid="ignore"):
        fine = centred_diag * KAPPA_MAX > raw_diag
    return np.flatnonzero(~fine)


def _recentre_columns(x: Float, gram: Float, x_offset: Float, cols: NDArray[np.intp]) -> None:
    """Overwrite rows and columns ``cols`` of ``gram`` with exactly centred products."""
    xb = x[:, cols] - x_offset[cols]
    block = x.T @ xb
    block -= np.outer(x_offset, xb.sum(axis=0))
    block[cols] = xb.T @ xb
    gram[:, cols] = block
    gram[cols, :] = block.T


def cross_products(
    x: Float, y: Float, fit_intercept: bool
) -> tuple[Float, Float, float, Float, float]:
    """Gram matrix, ``Xᵀy`` and ``‖y‖²`` of the centred data (or of the raw data).

    Parameters
    ----------
    x : ndarray of shape (n, p), C-contiguous
    y : ndarray of shape (n,)
    fit_intercept : bool
        Centre ``x`` and ``y`` (otherwise the raw products are returned).

    Returns
    -------
    gram : ndarray of shape (p, p), C-contiguous
    xty : ndarray of shape (p,)
    y_norm2 : float
    x_offset : ndarray of shape (p,)
        Column means (zeros without an intercept).
    y_offset : float

    Notes
    -----
    Non-finite data give non-finite ``gram`` diagonal, ``xty`` or ``y_norm2`` (see the
    module text); no warning is raised for them.
    """
    n, p = x.shape
    with np.errstate(invalid="ignore", over="ignore"):
        if not fit_intercept:
            gram = np.ascontiguousarray(x.T @ x)
            return gram, x.T @ y, float(y @ y), np.zeros(p), 0.0
        y_offset = float(y.mean())
        v = y - y_offset
        sums, xtv = column_sums_and_products(x, v)
        x_offset = sums / n
        xty = xtv - x_offset * float(v.sum())
        y_norm2 = float(v @ v)
        if not (np.isfinite(sums).all() and np.isfinite(y_norm2)):
            # Non-finite data: skip the products, keep the statistics non-finite.
            return np.full((p, p), np.nan), xty, y_norm2, x_offset, y_offset
        gram = np.ascontiguousarray(x.T @ x)
        raw_diag = np.diag(gram).copy()
        subtract_outer(gram, x_offset, float(n))
        bad = ill_centred(raw_diag, np.diag(gram))
        if bad.size > _MAX_BAD_SHARE * p:
            gram, xty, y_norm2 = blocked_cross_products(x, y, x_offset, y_offset)
        elif bad.size:
            _recentre_columns(x, gram, x_offset, bad)
    return gram, xty, y_norm2, x_offset, y_offset
