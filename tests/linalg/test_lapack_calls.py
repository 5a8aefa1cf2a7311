"""Each compiled BLAS/LAPACK call gives the bits of scipy's Python wrapper of the routine."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import blas, lapack

from linmod.linalg import lapack_calls

RNG = np.random.default_rng(20261203)


@pytest.fixture(params=[1, 2, 6, 13, 40])
def spd(request):
    p = request.param
    a = RNG.standard_normal((3 * p + 5, p))
    return a.T @ a


def test_dpotrf_upper(spd):
    expected, info = lapack.dpotrf(spd, lower=0, clean=1)
    work = spd.copy()
    assert lapack_calls.dpotrf_upper(work) == info == 0
    assert np.array_equal(work.T, expected)


def test_dpotrf_reports_a_non_positive_pivot():
    work = np.array([[1.0, 2.0], [2.0, 1.0]])
    assert lapack_calls.dpotrf_upper(work) == 2


def test_inverse_solves_and_svd(spd):
    p = spd.shape[0]
    r, _ = lapack.dpotrf(spd, lower=0, clean=1)
    kernel_r = np.ascontiguousarray(r.T)  # column-major R
    inverse, info = lapack.dpotri(r, lower=0)
    work = kernel_r.copy()
    assert lapack_calls.dpotri_upper(work) == info == 0
    assert np.array_equal(np.triu(work.T), inverse)
    assert np.array_equal(work, work.T)
    np.testing.assert_allclose(work @ spd, np.eye(p), atol=1e-9)
    v = RNG.standard_normal(p)
    expected_v = lapack.dpotrs(r, v, lower=0)[0]
    assert lapack_calls.dpotrs_upper(kernel_r, v) == 0
    assert np.array_equal(v, expected_v)
    u_ref, s_ref, vt_ref, info = lapack.dgesdd(r, compute_uv=1)
    s, u, vt = np.empty(p), np.empty((p, p)), np.empty((p, p))
    assert lapack_calls.dgesdd_all(kernel_r, s, u, vt) == info == 0
    assert np.array_equal(s, s_ref)
    assert np.array_equal(vt.T, vt_ref)
    assert np.array_equal(u.T, u_ref)
    assert np.array_equal(kernel_r.T, r)  # the input is left alone


def test_dsyrk_upper_is_the_symmetric_gram(spd):
    p = spd.shape[0]
    a = np.asfortranarray(RNG.standard_normal((p, p)))
    upper = blas.dsyrk(1.0, a, trans=1)
    out = np.zeros((p, p))
    lapack_calls.dsyrk_upper(np.ascontiguousarray(a.T), out)
    assert np.array_equal(np.triu(out.T), upper)
    assert np.array_equal(out, out.T)


@pytest.mark.parametrize(("n", "p"), [(1, 1), (7, 3), (1000, 6), (333, 41)])
def test_matrix_vector_products(n, p):
    x = RNG.standard_normal((n, p))
    y, v = RNG.standard_normal(n), RNG.standard_normal(p)
    out_p, out_n = np.zeros(p), np.zeros(n)
    lapack_calls.dgemv_t(x, y, out_p)
    lapack_calls.dgemv_n(x, v, out_n)
    assert np.array_equal(out_p, blas.dgemv(1.0, x.T, y))
    assert np.array_equal(out_n, blas.dgemv(1.0, x.T, v, trans=1))
    np.testing.assert_allclose(out_p, x.T @ y, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(out_n, x @ v, rtol=1e-12, atol=1e-12)
    assert lapack_calls.ddot(y, y) == blas.ddot(y, y)


def _scipy_gram_upper(x, by_gemm):
    """The upper triangle of ``X'X`` by scipy's wrapper of the routine ``gram_rows`` calls."""
    if by_gemm:
        return np.triu(blas.dgemm(1.0, x.T, x.T, trans_b=1))
    return blas.dsyrk(1.0, x.T)


@pytest.mark.parametrize("by_gemm", [False, True])
@pytest.mark.parametrize(("n", "p"), [(1, 1), (9, 4), (1000, 6), (257, 33), (3, 40)])
def test_gram_rows_is_the_gram_of_a_row_major_design(n, p, by_gemm):
    x = RNG.standard_normal((n, p))
    out = np.zeros((p, p))
    lapack_calls.gram_rows(x, out, by_gemm)
    assert np.array_equal(np.triu(out), _scipy_gram_upper(x, by_gemm))
    assert np.array_equal(out, out.T)
    # Each entry a float64 sum of n products: within n eps sum |x_ik x_jk| of the exact one.
    exact = np.array([[float(np.dot(a.astype(np.longdouble), b)) for b in x.T] for a in x.T])
    bound = n * np.finfo(float).eps * (np.abs(x).T @ np.abs(x))
    assert np.all(np.abs(out - exact) <= bound)


@pytest.mark.parametrize("by_gemm", [False, True])
def test_outputs_are_overwritten_with_beta_zero(by_gemm):
    """beta = 0: whatever the output held (NaN here) must not leak into the result, as the
    kernels pass zeroed buffers only by convention."""
    x = RNG.standard_normal((50, 4))
    v = RNG.standard_normal(4)
    out = np.full(50, np.nan)
    lapack_calls.dgemv_n(x, v, out)
    assert np.array_equal(out, blas.dgemv(1.0, x.T, v, trans=1))
    gram = np.full((4, 4), np.nan)
    lapack_calls.gram_rows(x, gram, by_gemm)
    assert np.array_equal(np.triu(gram), _scipy_gram_upper(x, by_gemm))


def test_column_squares_adds_each_columns_squares_in_row_order():
    # The twin of the certified kernel's ||w_j||**2 loop: exact on small integers, and
    # the rounding of a running sum in row order (not numpy's pairwise sum) otherwise.
    from fractions import Fraction

    from linmod.linalg.blas_products import column_squares

    w = np.array([[1.0, -2.0], [3.0, 0.5], [0.0, 4.0]])
    np.testing.assert_array_equal(column_squares(w), [10.0, 20.25])
    rng = np.random.default_rng(4)
    w = rng.standard_normal((9, 4)) * 10.0 ** rng.integers(-8, 8, size=(9, 4))
    for j in range(4):
        running = 0.0
        for value in w[:, j]:
            running = float(Fraction(running) + Fraction(value * value))  # rounded per add
        assert column_squares(w)[j] == running
