"""``linmod.ols`` with a scipy.sparse X: the dense fit's numbers, NIST's certified values."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError, NearSingularWarning
from linmod.models.sparse_ols import SparseLSQRResults, fit_sparse_ols

from ..conftest import NIST_DIR
from .nist import lre, read_nist

PROBLEMS = {path.stem: read_nist(path) for path in sorted(NIST_DIR.glob("*.dat"))}


def _data(seed: int = 0, n: int = 400, p: int = 25):
    rng = np.random.default_rng(seed)
    x = sp.random(n, p, density=0.1, random_state=seed, format="csr",
                  data_rvs=lambda k: rng.normal(3.0, 2.0, size=k))  # fmt: skip
    y = x @ rng.normal(size=p) + rng.normal(size=n) + 7.0
    return x, y


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_ols_equals_the_dense_fit_of_the_same_matrix(fit_intercept):
    x, y = _data()
    sparse = linmod.ols(x, y, fit_intercept=fit_intercept)
    dense = linmod.ols(x.toarray(), y, fit_intercept=fit_intercept)
    assert_allclose(sparse.coef, dense.coef, rtol=1e-13)
    assert_allclose(sparse.std_err, dense.std_err, rtol=1e-13)
    assert_allclose(sparse.p_values, dense.p_values, rtol=1e-10)
    assert sparse.sigma == pytest.approx(dense.sigma, rel=1e-13)
    assert sparse.r_squared == pytest.approx(dense.r_squared, rel=1e-13)
    assert sparse.f_statistic == pytest.approx(dense.f_statistic, rel=1e-12)
    assert sparse.aic == pytest.approx(dense.aic, rel=1e-13)
    assert_allclose(sparse.conf_int(), dense.conf_int(), rtol=1e-12)
    assert sparse.solution.method == "sparse-gram"
    assert any("refined" in note for note in sparse.solution.notes)
    assert "Fitted from a sparse X" in str(sparse.summary())


@pytest.mark.parametrize("name", sorted(set(PROBLEMS) - {"Filip"}))
def test_nist_problems_as_csr_reach_the_certified_values(name):
    # Filip's x**10 is not representable (see test_nist.py), and its cond(X)² · eps > 1
    # is beyond any Gram-matrix method: see the next test.
    problem = PROBLEMS[name]
    x, y = problem.design()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res = linmod.ols(sp.csr_array(x), y, fit_intercept=problem.intercept)
    assert lre(res.coef.to_numpy(), problem.coef).min() >= 13
    assert lre(res.std_err.to_numpy(), problem.std_err).min() >= 13
    assert lre(res.sigma, problem.residual_sd).min() >= 13
    assert lre(res.r_squared, problem.r_squared).min() >= 13


def test_filip_warns_that_the_gram_matrix_cannot_reach_float64():
    problem = PROBLEMS["Filip"]
    x, y = problem.design()
    with pytest.warns(NearSingularWarning, match=r"cond\(X\)² · eps = .*X\.toarray\(\)"):
        linmod.ols(sp.csr_array(x), y)


def test_lsqr_above_the_gram_bound_states_its_accuracy():
    x, y = _data(1)
    res = fit_sparse_ols(x, y, gram_max=5)
    dense = linmod.ols(x.toarray(), y)
    assert isinstance(res, SparseLSQRResults)
    assert res.converged
    assert res.method == "lsqr"
    assert_allclose(res.coef, dense.coef, rtol=1e-10)
    assert res.residual_norm == pytest.approx(np.sqrt(dense.ssr), rel=1e-12)
    assert res.gradient_norm < 1e-10 * res.residual_norm * np.sqrt(x.multiply(x).sum() + x.shape[0])
    assert "LSQR converged" in repr(res)


def test_aliased_sparse_columns_are_nan_as_in_the_dense_fit():
    x, y = _data(2)
    x = sp.hstack([x, x[:, [3]] * 2.0, sp.csr_array((x.shape[0], 1))], format="csr")
    sparse = linmod.ols(x, y)
    dense = linmod.ols(x.toarray(), y)
    assert np.isnan(sparse.coef.to_numpy()).tolist() == np.isnan(dense.coef.to_numpy()).tolist()
    assert np.isnan(sparse.coef.to_numpy()).sum() == 2
    assert_allclose(sparse.coef.dropna(), dense.coef.dropna(), rtol=1e-12)


def test_bad_sparse_input_and_options_are_refused():
    x, y = _data(3)
    with pytest.raises(InputError, match="weights= and timeout= are not available"):
        linmod.ols(x, y, weights=np.ones(y.size))
    with pytest.raises(InputError, match="solver='qr' is not available for a sparse X"):
        linmod.ols(x, y, solver="qr")
    with pytest.raises(InputError, match="not available with a sparse X"):
        linmod.ols(x, y, second_pass=True)
    with pytest.raises(InputError, match="needs y"):
        linmod.ols(x)
    with pytest.raises(InputError, match="3 rows but 26 parameters"):
        linmod.ols(x[:3], y[:3])
    with pytest.raises(InputError, match="response is constant"):
        linmod.ols(x, np.full(y.size, 2.0))
    bad = sp.csc_array(x)
    bad.data[bad.indptr[7]] = np.inf
    with pytest.raises(InputError, match="infinity in column 'x7'"):
        linmod.ols(bad, y)
    with pytest.raises(InputError, match="real numbers"):
        linmod.ols(sp.csr_array(x.astype(complex)), y)


@pytest.mark.parametrize("seed", range(6))
def test_an_all_zero_sparse_column_is_aliased_beside_a_collinear_pair(seed):
    # The eigen-split square root left the zero column a rounding-sized column of R,
    # which the rank analysis kept ("x25 = 2·x3 + 40144.9·x26", x26 estimated).
    x, y = _data(seed)
    x = sp.hstack([x, x[:, [3]] * 2.0, sp.csr_array((x.shape[0], 1))], format="csr")
    fit = linmod.ols(x, y)
    p = x.shape[1]
    assert np.flatnonzero(np.isnan(fit.coef.to_numpy())).tolist() == [p - 1, p]
    assert fit.dependencies == [f"x{p - 2} = 2·x3", f"x{p - 1} = 0"]
