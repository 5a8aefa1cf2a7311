"""Each solver against independent references; rank deficiency; auto's choice."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import linmod
from linmod.exceptions import InputError, NearSingularWarning
from linmod.solvers import LeastSquaresProblem, solve
from linmod.solvers import auto as auto_module

SOLVERS = ["auto", "qr", "cholesky", "svd", "normal"]


def _data(seed=0, n=200, p=5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * np.logspace(0, 3, p)
    y = x @ rng.normal(size=p) + 5.0 + rng.normal(size=n)
    return x, y


@pytest.mark.parametrize("solver", SOLVERS)
def test_every_solver_matches_statsmodels(solver):
    x, y = _data()
    res = linmod.ols(x, y, solver=solver)
    ref = sm.OLS(y, sm.add_constant(x)).fit()
    assert_allclose(res.coef, ref.params, rtol=1e-9)
    assert_allclose(res.std_err, ref.bse, rtol=1e-9)
    assert_allclose(res.r_squared, ref.rsquared, rtol=1e-12)


def test_simple_solver_is_the_closed_form_of_the_lesson():
    # Exercise 1 of the lessons, by hand: b0 = 2.2, b1 = 0.6, y(6) = 5.8, R² = 0.6.
    res = linmod.ols([[1], [2], [3], [4], [5]], [2, 4, 5, 4, 5], solver="simple")
    assert_allclose(res.coef, [2.2, 0.6], rtol=1e-14)
    assert_allclose(res.predict(np.array([[6.0]]))["fit"], [5.8], rtol=1e-14)
    assert_allclose(res.r_squared, 0.6, rtol=1e-14)
    qr = linmod.ols([[1], [2], [3], [4], [5]], [2, 4, 5, 4, 5], solver="qr")
    assert_allclose(res.std_err, qr.std_err, rtol=1e-13)
    with pytest.raises(InputError, match="solver='simple' fits one predictor"):
        linmod.ols(*_data(), solver="simple")


def test_rank_deficient_design_as_in_r():
    x, y = _data(p=3)
    wide = np.column_stack([x, 2.0 * x[:, 1]])
    res = linmod.ols(wide, y)
    assert res.rank == 4
    assert np.isnan(res.coef["x3"])
    assert res.dependencies == ["x3 = 2·x1"]
    narrow = linmod.ols(x, y)
    assert_allclose(res.coef.drop("x3"), narrow.coef, rtol=1e-12)
    assert_allclose(res.std_err.drop("x3"), narrow.std_err, rtol=1e-12)
    assert res.df_resid == narrow.df_resid
    for solver in ("cholesky", "normal"):
        other = linmod.ols(wide, y, solver=solver)
        assert np.isnan(other.coef["x3"])
        assert_allclose(other.coef.drop("x3"), narrow.coef, rtol=1e-9)


def test_svd_gives_the_minimum_norm_solution():
    x, y = _data(p=3)
    wide = np.column_stack([np.ones(len(y)), x, x[:, 0] + x[:, 2]])
    res = linmod.ols(wide, y, fit_intercept=False, solver="svd")
    assert res.rank == 4
    # numpy's lstsq returns the minimum-norm solution in the unscaled metric; ours is
    # minimum-norm in the column-scaled metric, so compare fitted values and the null-space.
    ref, *_ = np.linalg.lstsq(wide, y, rcond=None)
    assert_allclose(res.fitted, wide @ ref, rtol=1e-10)
    assert res.dependencies


def test_zero_column_is_aliased():
    x, y = _data(p=2)
    res = linmod.ols(np.column_stack([x, np.zeros(len(y))]), y)
    assert res.dependencies == ["x2 = 0"]


def test_auto_uses_cholesky_for_large_well_conditioned_designs(monkeypatch):
    x, y = _data(n=400, p=4)
    monkeypatch.setattr(auto_module, "AUTO_SMALL_DESIGN", 10.0)
    assert linmod.ols(x, y).solution.method == "cholesky"
    noise = np.random.default_rng(7).standard_normal(x.shape[0])
    bad = np.column_stack([x, x[:, 0] + 1e-6 * noise])  # full rank, condition ~1e6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        assert linmod.ols(bad, y).solution.method == "qr"
    # Aliased (x0 + 1e-6 x1 lies in the span of x0 and x1): the estimable columns are well
    # conditioned and take the Cholesky path (linmod.solvers.reduced), as QR's numbers.
    aliased = np.column_stack([x, x[:, 0] + 1e-6 * x[:, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res, reference = linmod.ols(aliased, y), linmod.ols(aliased, y, solver="qr")
    assert res.solution.method == "cholesky"
    assert res.rank == reference.rank == 5
    assert_array_equal(res.aliased, reference.aliased)
    assert_allclose(res.coef, reference.coef, rtol=1e-13)
    assert_allclose(res.std_err, reference.std_err, rtol=1e-13)


def test_cholesky_gram_uses_no_copy_and_is_exact_enough():
    x, _ = _data()
    from linmod.linalg.gram import gram

    assert_allclose(gram(x), x.T @ x, rtol=1e-13)


def test_unknown_solver_name():
    x, y = _data()
    problem = LeastSquaresProblem(x=x, y=y, names=tuple(f"x{j}" for j in range(5)))
    with pytest.raises(InputError, match="solver='lu' is not known"):
        solve(problem, "lu")


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), shift=st.floats(-1e3, 1e3), scale=st.floats(1e-3, 1e3))
def test_invariances(seed, shift, scale):
    """Row order, rescaling a column and shifting y change the estimates only as theory says."""
    x, y = _data(seed=seed, n=60, p=3)
    base = linmod.ols(x, y)
    order = np.random.default_rng(seed).permutation(len(y))
    permuted = linmod.ols(x[order], y[order])
    assert_allclose(permuted.coef, base.coef, rtol=1e-12, atol=1e-12)
    assert_allclose(permuted.std_err, base.std_err, rtol=1e-11)

    rescaled = x.copy()
    rescaled[:, 1] *= scale
    scaled_fit = linmod.ols(rescaled, y)
    assert_allclose(scaled_fit.coef["x1"] * scale, base.coef["x1"], rtol=1e-11)
    assert_allclose(scaled_fit.t_values, base.t_values, rtol=1e-9)
    assert_allclose(scaled_fit.fitted, base.fitted, rtol=1e-11, atol=1e-9)

    shifted = linmod.ols(x, y + shift)
    assert_allclose(shifted.coef.iloc[1:], base.coef.iloc[1:], rtol=1e-9, atol=1e-9)
    assert_allclose(
        shifted.coef["Intercept"], base.coef["Intercept"] + shift, rtol=1e-10, atol=1e-8
    )
    assert_allclose(shifted.sigma, base.sigma, rtol=1e-9)
