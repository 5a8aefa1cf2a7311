"""scipy's BLAS and LAPACK called from compiled kernels, and the same calls from Python.

A small fit makes a dozen calls on ``p x p`` matrices and ``(n,)`` vectors; from Python
each costs a few microseconds of wrapper overhead, more than the arithmetic.  Compiled
code (:mod:`linmod.solvers.certified_kernel`) calls the routines themselves: scipy's
``cython_blas`` and ``cython_lapack`` export their addresses, which are registered with
LLVM under ``linmod_<routine>`` names (so numba can cache the kernels that call them).

Interpreted code makes the same calls through :mod:`scipy.linalg.blas` and
:mod:`scipy.linalg.lapack`, which wrap the same library (scipy's OpenBLAS; numpy's
``@`` uses another build, whose results may differ in the last bits).  Same routine,
same arguments: the compiled and the interpreted paths give the same bits.

Matrices in the kernels are C-ordered numpy arrays that the routines read as
column-major, so a kernel array ``a`` holds the matrix ``a.T``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import LazyValue, njit

__all__ = [
    "ddot",
    "dgemv_n",
    "dgemv_t",
    "dgesdd_all",
    "dpotrf_upper",
    "dpotri_upper",
    "dpotrs_upper",
    "dsyrk_upper",
    "dtrtrs_upper",
    "gram_rows",
]

Float = NDArray[np.float64]

_ROUTINES = {
    # name: (module, number of pointer arguments)
    "dpotrf": ("cython_lapack", 5),  # uplo n a lda info
    "dpotrs": ("cython_lapack", 8),  # uplo n nrhs a lda b ldb info
    "dpotri": ("cython_lapack", 5),  # uplo n a lda info
    "dgesdd": ("cython_lapack", 14),  # jobz m n a lda s u ldu vt ldvt work lwork iwork info
    "dtrtrs": ("cython_lapack", 10),  # uplo trans diag n nrhs a lda b ldb info
    "dsyrk": ("cython_blas", 10),  # uplo trans n k alpha a lda beta c ldc
    "dgemv": ("cython_blas", 11),  # trans m n alpha a lda x incx beta y incy
    "dgemm": ("cython_blas", 13),  # transa transb m n k alpha a lda b ldb beta c ldc
    "ddot": ("cython_blas", 5),  # n x incx y incy -> double
}


def _external(name: str) -> Any:
    """``types.ExternalFunction`` for scipy's ``name``, its address registered with LLVM."""
    import llvmlite.binding as llvm
    from numba import types
    from numba.extending import get_cython_function_address

    module, count = _ROUTINES[name]
    symbol = f"linmod_{name}"
    llvm.add_symbol(symbol, get_cython_function_address(f"scipy.linalg.{module}", name))
    result = types.float64 if name == "ddot" else types.void
    return types.ExternalFunction(symbol, result(*([types.voidptr] * count)))


_dpotrf: Any = LazyValue(lambda: _external("dpotrf"))
_dpotrs: Any = LazyValue(lambda: _external("dpotrs"))
_dpotri: Any = LazyValue(lambda: _external("dpotri"))
_dgesdd: Any = LazyValue(lambda: _external("dgesdd"))
_dtrtrs: Any = LazyValue(lambda: _external("dtrtrs"))
_dsyrk: Any = LazyValue(lambda: _external("dsyrk"))
_dgemv: Any = LazyValue(lambda: _external("dgemv"))
_dgemm: Any = LazyValue(lambda: _external("dgemm"))
_ddot: Any = LazyValue(lambda: _external("ddot"))

_U, _N, _T, _A = ord("U"), ord("N"), ord("T"), ord("A")


@njit(cache=True, inline="always")
def _chars(first: int, second: int, third: int) -> NDArray[np.uint8]:  # pragma: no cover
    # Fortran CHARACTER arguments, by address (one signature: numba compiles it once).
    out = np.empty(3, np.uint8)
    out[0], out[1], out[2] = first, second, third
    return out


@njit(cache=True, inline="always")
def _ints(first: int, second: int, third: int) -> NDArray[np.int32]:  # pragma: no cover
    # INTEGER arguments (and the INFO output), by address.
    out = np.empty(3, np.int32)
    out[0], out[1], out[2] = first, second, third
    return out


@njit(cache=True, inline="always")
def _doubles(alpha: float, beta: float) -> Float:  # pragma: no cover - compiled
    out = np.empty(2)
    out[0], out[1] = alpha, beta
    return out


@njit(cache=True, inline="always")
def dpotrf_upper(a: Float) -> int:  # pragma: no cover - compiled
    """Cholesky factor of the symmetric ``a`` in place (``lapack.dpotrf(a, lower=0,
    clean=1)``): afterwards ``a.T`` is the upper factor ``R`` (zeros below); the info."""
    p = a.shape[0]
    c = _chars(_U, 0, 0)
    i = _ints(p, 0, 0)
    _dpotrf(c.ctypes, i.ctypes, a.ctypes, i.ctypes, i[1:].ctypes)
    for j in range(p):
        for k in range(j + 1, p):
            a[j, k] = 0.0  # row k > j of column j
    return int(i[1])


@njit(cache=True, inline="always")
def dpotrs_upper(r: Float, b: Float) -> int:  # pragma: no cover - compiled
    """Solve ``R'R x = b`` in place for a vector ``b`` (``lapack.dpotrs(R, b, lower=0)``);
    ``r.T`` is ``R`` as :func:`dpotrf_upper` leaves it."""
    p = r.shape[0]
    c = _chars(_U, 0, 0)
    i = _ints(p, 1, 0)
    _dpotrs(c.ctypes, i.ctypes, i[1:].ctypes, r.ctypes, i.ctypes, b.ctypes, i.ctypes, i[2:].ctypes)
    return int(i[2])


@njit(cache=True, inline="always")
def dpotri_upper(r: Float) -> int:  # pragma: no cover - compiled
    """``(R'R)^-1`` in place of ``r.T = R`` (``lapack.dpotri(R, lower=0)``), both
    triangles (the lower one copied from the upper); the info."""
    p = r.shape[0]
    c = _chars(_U, 0, 0)
    i = _ints(p, 0, 0)
    _dpotri(c.ctypes, i.ctypes, r.ctypes, i.ctypes, i[1:].ctypes)
    for j in range(p):
        for k in range(j + 1, p):
            r[j, k] = r[k, j]  # (row k, column j) of the column-major matrix
    return int(i[1])


@njit(cache=True, inline="always")
def dtrtrs_upper(r: Float, b: Float, transpose: bool) -> int:  # pragma: no cover - compiled
    """Solve ``op(R) X = B`` in place for the ``p x p`` matrix ``B = b.T``
    (``lapack.dtrtrs(R, B, lower=0, trans=int(transpose))``); ``r.T`` is ``R``; the info."""
    p = r.shape[0]
    c = _chars(_U, _T if transpose else _N, _N)
    i = _ints(p, b.shape[0], 0)
    _dtrtrs(
        c.ctypes, c[1:].ctypes, c[2:].ctypes, i.ctypes, i[1:].ctypes, r.ctypes, i.ctypes,
        b.ctypes, i.ctypes, i[2:].ctypes,
    )  # fmt: skip
    return int(i[2])


@njit(cache=True, inline="always")
def dgesdd_all(
    r: Float, singular: Float, u: Float, vt: Float
) -> int:  # pragma: no cover - compiled
    """Singular values and vectors of the ``p x p`` matrix ``r.T`` (``lapack.dgesdd(R)``,
    ``jobz="A"``, with that wrapper's default workspace); ``r`` is left unchanged and
    ``vt.T`` holds ``V'``."""
    p = r.shape[0]
    a = r.copy()
    c = _chars(_A, 0, 0)
    lwork = max(4 * p * p + p + 9 * p, 1)
    i = _ints(p, lwork, 0)
    work = np.empty(lwork)
    iwork = np.empty(8 * p, np.int32)
    _dgesdd(
        c.ctypes, i.ctypes, i.ctypes, a.ctypes, i.ctypes, singular.ctypes, u.ctypes, i.ctypes,
        vt.ctypes, i.ctypes, work.ctypes, i[1:].ctypes, iwork.ctypes, i[2:].ctypes,
    )  # fmt: skip
    return int(i[2])


@njit(cache=True, inline="always")
def _dsyrk_symmetric(
    a: Float, rows: int, depth: int, transpose: bool, out: Float
) -> None:  # pragma: no cover - compiled
    # C = op(A) op(A)' of the column-major (lda = rows of A) A, upper triangle, then copied
    # to the lower one: (row k, column j) of the column-major ``out`` is out[j, k].
    c = _chars(_U, _T if transpose else _N, 0)
    i = _ints(rows, depth, a.shape[1])
    d = _doubles(1.0, 0.0)
    _dsyrk(
        c.ctypes, c[1:].ctypes, i.ctypes, i[1:].ctypes, d.ctypes, a.ctypes, i[2:].ctypes,
        d[1:].ctypes, out.ctypes, i.ctypes,
    )  # fmt: skip
    _lower_from_upper(out)


@njit(cache=True, inline="always")
def _lower_from_upper(out: Float) -> None:  # pragma: no cover - compiled
    # (row k, column j) of the column-major ``out`` is out[j, k]: the strict lower
    # triangle takes the upper one's values, as blas_products.symmetric.
    for j in range(out.shape[0]):
        for k in range(j + 1, out.shape[0]):
            out[j, k] = out[k, j]


@njit(cache=True, inline="always")
def dsyrk_upper(a: Float, out: Float) -> None:  # pragma: no cover - compiled
    """``out.T = A'A`` of the ``p x p`` matrix ``A = a.T``, both triangles
    (``blas.dsyrk(1.0, A, trans=1)``, then the lower triangle copied from the upper)."""
    p = a.shape[0]
    _dsyrk_symmetric(a, p, p, True, out)


@njit(cache=True, inline="always")
def gram_rows(x: Float, out: Float, by_gemm: bool) -> None:  # pragma: no cover - compiled
    """``out = X'X`` of a C-ordered ``X`` of shape (n, p), both triangles, the lower one
    copied from the upper: ``blas.dgemm(1.0, X.T, X.T, trans_b=1)`` when ``by_gemm``
    (see :mod:`linmod.linalg.gram_routine`), else ``blas.dsyrk(1.0, X.T)``."""
    n, p = x.shape
    if not by_gemm:
        _dsyrk_symmetric(x, p, n, False, out)
        return
    # X' is the column-major p x n matrix at x's buffer (lda = p): C = X' (X')'.
    c = _chars(_N, _T, 0)
    i = _ints(p, n, 0)
    d = _doubles(1.0, 0.0)
    _dgemm(
        c.ctypes, c[1:].ctypes, i.ctypes, i.ctypes, i[1:].ctypes, d.ctypes, x.ctypes, i.ctypes,
        x.ctypes, i.ctypes, d[1:].ctypes, out.ctypes, i.ctypes,
    )  # fmt: skip
    _lower_from_upper(out)


@njit(cache=True, inline="always")
def _dgemv_rows(x: Float, v: Float, out: Float, transpose: bool) -> None:  # pragma: no cover
    # A C-ordered X (n, p) is the column-major p x n matrix X' (lda = p): op = "N" gives
    # X'v, op = "T" gives X v.
    n, p = x.shape
    c = _chars(_T if transpose else _N, 0, 0)
    i = _ints(p, n, 1)
    d = _doubles(1.0, 0.0)
    _dgemv(
        c.ctypes, i.ctypes, i[1:].ctypes, d.ctypes, x.ctypes, i.ctypes, v.ctypes, i[2:].ctypes,
        d[1:].ctypes, out.ctypes, i[2:].ctypes,
    )  # fmt: skip


@njit(cache=True, inline="always")
def dgemv_t(x: Float, v: Float, out: Float) -> None:  # pragma: no cover - compiled
    """``out = X'v`` for a C-ordered ``X`` of shape (n, p) (``blas.dgemv(1.0, X.T, v)``)."""
    _dgemv_rows(x, v, out, False)


@njit(cache=True, inline="always")
def dgemv_n(x: Float, v: Float, out: Float) -> None:  # pragma: no cover - compiled
    """``out = X v`` for a C-ordered ``X`` of shape (n, p) (``blas.dgemv(1.0, X.T, v,
    trans=1)``)."""
    _dgemv_rows(x, v, out, True)


@njit(cache=True, inline="always")
def ddot(v: Float, w: Float) -> float:  # pragma: no cover - compiled
    """``v @ w`` (``blas.ddot(v, w)``)."""
    i = _ints(v.shape[0], 1, 0)
    return _ddot(i.ctypes, v.ctypes, i[1:].ctypes, w.ctypes, i[1:].ctypes)
