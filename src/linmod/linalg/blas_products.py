"""``X'X``, ``X'y`` and ``X v`` by scipy's BLAS, as the compiled kernels call them.

The interpreted twins of the certified Cholesky kernels
(:mod:`linmod.solvers.certified_kernel`) must give the kernels' bits; the kernels call
scipy's BLAS (:mod:`linmod.linalg.lapack_calls`), so the twins use these wrappers of the
same routines rather than numpy's ``@`` (which has its own BLAS dispatch), and
:func:`column_squares` the kernel's loop.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.linalg import blas

from linmod.linalg.gram_routine import gram_by_gemm

__all__ = ["column_squares", "crossprod", "gram_of", "symmetric", "x_times", "xt_times"]


def gram_of(x: np.ndarray) -> np.ndarray:
    """``X'X`` for a C-ordered X by scipy's ``dgemm`` or ``dsyrk`` as the kernels choose
    (:mod:`linmod.linalg.gram_routine`), the lower triangle copied from the upper; else
    numpy's."""
    if not x.flags.c_contiguous:
        return np.asarray(x.T @ x)
    if gram_by_gemm(*x.shape):
        return symmetric(blas.dgemm(1.0, x.T, x.T, trans_b=1))
    return symmetric(blas.dsyrk(1.0, x.T))


@lru_cache(maxsize=32)
def _strict_lower(p: int) -> tuple[np.ndarray, np.ndarray]:
    return np.tril_indices(p, -1)


def symmetric(upper: np.ndarray) -> np.ndarray:
    """The symmetric matrix of an upper triangle (the lower one copied, exactly)."""
    full = np.array(upper, order="C")
    lower = _strict_lower(full.shape[0])
    full[lower] = full.T[lower]
    return full


def crossprod(a: np.ndarray) -> np.ndarray:
    """``a.T @ a`` by scipy's ``dsyrk`` (as :mod:`linmod.linalg.lapack_calls`' kernels)."""
    return symmetric(blas.dsyrk(1.0, a, trans=1))


def xt_times(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``X'y``: one scipy ``dgemv`` for a C-ordered X and one response (as the kernels)."""
    if y.ndim == 1 and x.flags.c_contiguous:
        return np.asarray(blas.dgemv(1.0, x.T, y))
    return np.asarray(x.T @ y)


def x_times(x: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``X v`` by scipy's ``dgemv`` for a C-ordered X (as the kernels)."""
    if x.flags.c_contiguous:
        return np.asarray(blas.dgemv(1.0, x.T, v, trans=1))
    return np.asarray(x @ v)


def column_squares(w: np.ndarray) -> np.ndarray:
    """``||w[:, j]||**2`` for each column (the diagonal of ``W'W`` without the rest of
    it), the squares added in order of the row, as the certified kernel's loop adds them."""
    squares = np.zeros(w.shape[1])
    for row in w:
        squares = squares + row * row
    return squares
