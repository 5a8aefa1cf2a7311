"""Sparse X in the path functions: scikit-learn's numbers, the dense fit's numbers, any format."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn.linear_model import enet_path as sk_enet_path
from sklearn.linear_model import lasso_path as sk_lasso_path

import linmod
from linmod.data.sparse_input import as_csc
from linmod.exceptions import InputError
from linmod.solvers.sparse_problem import sparse_problem
from linmod.solvers.sparse_ridge import SparseRidge


def _data(seed: int = 0, n: int = 120, p: int = 25, density: float = 0.15):
    rng = np.random.default_rng(seed)
    x = sp.random(n, p, density=density, random_state=seed, format="csr",
                  data_rvs=lambda k: rng.uniform(0.5, 3.0, size=k))  # fmt: skip
    beta = np.zeros(p)
    beta[:6] = rng.normal(scale=2.0, size=6)
    y = x @ beta + 0.3 * rng.normal(size=n) + 4.0
    return x, y


def test_lasso_path_matches_scikit_learn_on_the_same_sparse_matrix():
    x, y = _data()
    ours = linmod.lasso_path(x, y, alphas=15, fit_intercept=False, tol=1e-14, max_iter=100_000)
    alphas, coefs, _ = sk_lasso_path(x, y, alphas=ours.alphas, tol=1e-14, max_iter=100_000)
    assert_allclose(ours.alphas, alphas, rtol=0)
    assert_allclose(ours.coefs, coefs, rtol=1e-9, atol=1e-11)


def test_enet_path_matches_scikit_learn_positive():
    x, y = _data(1)
    ours = linmod.enet_path(x, y, l1_ratio=0.4, alphas=8, fit_intercept=False, positive=True,
                            tol=1e-14, max_iter=100_000)  # fmt: skip
    _, coefs, _ = sk_enet_path(x, y, l1_ratio=0.4, alphas=ours.alphas, positive=True,
                               tol=1e-14, max_iter=100_000)  # fmt: skip
    assert (ours.coefs >= 0).all()
    assert_allclose(ours.coefs, coefs, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_lasso_path_equals_the_dense_path(standardize, fit_intercept):
    x, y = _data(2)
    kw = {"alphas": 12, "tol": 1e-14, "max_iter": 100_000, "standardize": standardize,
          "fit_intercept": fit_intercept}  # fmt: skip
    sparse, dense = linmod.lasso_path(x, y, **kw), linmod.lasso_path(x.toarray(), y, **kw)
    assert_allclose(sparse.alphas, dense.alphas, rtol=1e-14)
    assert_allclose(sparse.coefs, dense.coefs, rtol=1e-9, atol=1e-11)
    assert_allclose(sparse.intercepts, dense.intercepts, rtol=1e-9, atol=1e-11)
    assert (sparse.coefs[:, 0] == 0).all()  # alpha_max zeroes every coefficient


def test_weighted_standardized_enet_path_equals_the_dense_path():
    x, y = _data(3)
    w = np.random.default_rng(3).uniform(0.2, 3.0, size=y.size)
    w[:5] = 0.0  # zero weights drop their rows
    kw = {"l1_ratio": 0.7, "alphas": 10, "tol": 1e-14, "max_iter": 100_000,
          "standardize": True, "sample_weight": w}  # fmt: skip
    sparse, dense = linmod.enet_path(x, y, **kw), linmod.enet_path(x.toarray(), y, **kw)
    assert_allclose(sparse.alphas, dense.alphas, rtol=1e-13)
    assert_allclose(sparse.coefs, dense.coefs, rtol=1e-9, atol=1e-11)
    assert_allclose(sparse.intercepts, dense.intercepts, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("weighted", [False, True])
def test_sparse_ridge_path_equals_the_dense_path(weighted):
    x, y = _data(4)
    w = np.random.default_rng(4).uniform(0.2, 3.0, size=y.size) if weighted else None
    for alphas in ([30.0, 1.0, 1e-3, 0.0], 7):
        sparse = linmod.ridge_path(x, y, alphas=alphas, sample_weight=w, standardize=True)
        dense = linmod.ridge_path(x.toarray(), y, alphas=alphas, sample_weight=w, standardize=True)
        assert_allclose(sparse.alphas, dense.alphas, rtol=1e-12)
        assert_allclose(sparse.coefs, dense.coefs, rtol=1e-11, atol=1e-12)
        assert_allclose(sparse.intercepts, dense.intercepts, rtol=1e-11)


def test_lsqr_ridge_agrees_with_the_gram_solution():
    x, y = _data(5)
    problem = sparse_problem(as_csc(x), y, None, True, False)
    gram, lsqr = SparseRidge(problem), SparseRidge(problem, gram_max=0)
    assert (gram.method, lsqr.method) == ("gram-eigh", "lsqr")
    for lam in (10.0, 0.1):
        assert_allclose(lsqr(lam), gram(lam), rtol=1e-10, atol=1e-12)


FORMATS = ["csr", "csc", "coo", "lil", "dok", "bsr"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_sparse_format_gives_the_same_path(fmt):
    x, y = _data(6)
    reference = linmod.lasso_path(x.tocsr(), y, alphas=6, tol=1e-12)
    other = linmod.lasso_path(sp.csr_matrix(x).asformat(fmt), y, alphas=6, tol=1e-12)
    assert_allclose(other.coefs, reference.coefs, rtol=0, atol=0)


def test_integer_matrix_explicit_zeros_empty_column_and_zero_rows():
    rng = np.random.default_rng(7)
    dense = rng.integers(0, 4, size=(60, 6)) * (rng.uniform(size=(60, 6)) < 0.4)
    dense[:, 2] = 0  # an empty column
    dense[10:15] = 0  # all-zero rows
    y = dense @ np.array([1.0, -2.0, 0.0, 0.5, 3.0, -1.0]) + rng.normal(size=60)
    x = sp.csr_array(dense)  # int64 values
    indptr = np.append(x.indptr[:-1], x.indptr[-1] + 1)  # the last row gains one entry
    with_zeros = sp.csr_array((np.append(x.data, 0), np.append(x.indices, 2), indptr), x.shape)
    assert with_zeros.nnz == x.nnz + 1  # one explicitly stored zero, in the empty column
    for matrix in (x, with_zeros):
        path = linmod.lasso_path(matrix, y, alphas=5, tol=1e-13, standardize=True)
        dense_path = linmod.lasso_path(dense.astype(float), y, alphas=5, tol=1e-13,
                                       standardize=True)  # fmt: skip
        assert_allclose(path.coefs, dense_path.coefs, rtol=1e-9, atol=1e-11)
        assert (path.coefs[2] == 0).all()


def test_nan_in_the_sparse_values_is_refused_naming_the_column_and_row():
    x, y = _data(8)
    x = sp.csc_array(x)
    x.data[x.indptr[3]] = np.nan  # first stored value of column 3
    row = int(x.indices[x.indptr[3]]) + 1
    with pytest.raises(InputError, match=rf"NaN in column 'x3', row {row}\)"):
        linmod.lasso_path(x, y)
    with pytest.raises(InputError, match="column 'x3'"):
        linmod.ridge_path(x, y, alphas=[1.0])


def test_bad_response_and_magnitudes_are_refused():
    x, y = _data(9)
    with pytest.raises(InputError, match="has 120 rows but y has 119"):
        linmod.lasso_path(x, y[:-1])
    y_bad = y.copy()
    y_bad[4] = np.inf
    with pytest.raises(InputError, match=r"row\(s\) 5\)"):
        linmod.lasso_path(x, y_bad)
    with pytest.raises(InputError, match="rescale it"):
        linmod.lasso_path(x * 1e200, y)


def test_the_automatic_ridge_grid_needs_the_gram_matrix():
    x, y = _data(10)
    from linmod.solvers import sparse_paths

    original = sparse_paths.SparseRidge.__init__.__defaults__
    try:
        sparse_paths.SparseRidge.__init__.__defaults__ = (0,)
        with pytest.raises(InputError, match="pass alphas"):
            linmod.ridge_path(x, y)
    finally:
        sparse_paths.SparseRidge.__init__.__defaults__ = original


@pytest.mark.parametrize(
    "option",
    [
        {"penalty_factor": np.ones(12)},
        {"lower": -1.0},
        {"upper": 1.0},
        {"relax": True},
        {"feature_groups": np.arange(12) // 3},
    ],
)
def test_dense_only_path_options_are_refused_on_sparse_x(option):
    """Options the sparse kernel does not implement are refused, never ignored."""
    x = sp.random(40, 12, density=0.3, random_state=2, format="csc")
    y = np.random.default_rng(2).normal(size=40)
    with pytest.raises(InputError, match=f"{next(iter(option))} is not available with a sparse X"):
        linmod.lasso_path(x, y, **option)
