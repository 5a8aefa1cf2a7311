"""Data of any magnitude float64 holds: scaling X or y by 2**k scales the fit exactly.

Issue 12, item 4: a predictor >= 1e154 was declared aliased (its squared norm overflowed),
a response >= 1e155 gave NaN R², σ and standard errors, and data <= 1e-200 raised
ZeroDivisionError.  Multiplying by a power of two is exact in float64, so the expected fit
of the scaled data follows by hand from the statsmodels fit of the unscaled data.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import linmod

_RNG = np.random.default_rng(12)
_N = 40
_X = _RNG.normal(size=(_N, 2)) * [1.0, 3.0] + [0.5, -2.0]
_Y = 1.0 + _X @ [2.0, -0.7] + _RNG.normal(size=_N)
_REF = sm.OLS(_Y, sm.add_constant(_X)).fit()
_REF_HC3 = _REF.get_robustcov_results("HC3")


def _fit(kx: int, ky: int, solver: str = "auto") -> linmod.OLSResults:
    x = _X.copy()
    x[:, 1] = np.ldexp(x[:, 1], kx)  # one column scaled, the other left alone
    return linmod.ols(x, np.ldexp(_Y, ky), solver=solver)


def _check(res: linmod.OLSResults, kx: int, ky: int) -> None:
    expected = np.ldexp(_REF.params, [ky, ky, ky - kx])
    assert_allclose(res.coef.to_numpy(), expected, rtol=1e-12)
    assert_allclose(res.std_err.to_numpy(), np.ldexp(_REF.bse, [ky, ky, ky - kx]), rtol=1e-12)
    assert_allclose(res.t_values.to_numpy(), _REF.tvalues, rtol=1e-12)
    assert_allclose(res.p_values.to_numpy(), _REF.pvalues, rtol=1e-9)
    assert_allclose(res.r_squared, _REF.rsquared, rtol=1e-13)
    assert_allclose(res.adj_r_squared, _REF.rsquared_adj, rtol=1e-13)
    assert_allclose(res.f_statistic, _REF.fvalue, rtol=1e-12)
    assert_allclose(res.sigma, np.ldexp(np.sqrt(_REF.scale), ky), rtol=1e-13)
    assert_allclose(res.log_likelihood, _REF.llf - _N * ky * np.log(2.0), rtol=1e-12)
    assert_allclose(res.rmse, np.ldexp(np.sqrt(_REF.ssr / _N), ky), rtol=1e-13)
    assert not res.aliased.any()
    robust = res.robust("HC3")
    assert_allclose(
        robust.std_err.to_numpy(), np.ldexp(_REF_HC3.bse, [ky, ky, ky - kx]), rtol=1e-11
    )
    assert_allclose(robust.t_values.to_numpy(), _REF_HC3.tvalues, rtol=1e-11)


@settings(max_examples=80, deadline=None)
@given(
    kx=st.integers(-1000, 1000),
    ky=st.integers(-1000, 1000),
    solver=st.sampled_from(["auto", "qr", "cholesky", "svd"]),
)
def test_power_of_two_scaling_of_a_column_and_the_response_scales_the_fit_exactly(kx, ky, solver):
    # the slope of the scaled column is 2**(ky - kx) times the unscaled one: keep it (and
    # its standard error) a normal float64
    if abs(ky - kx) > 1000:
        ky = kx + int(np.sign(ky - kx)) * 1000
    res = _fit(kx, ky, solver)
    _check(res, kx, ky)
    # exactly: the same significant bits as the unscaled fit, only the exponents change
    base = _fit(0, 0, solver)
    assert_array_equal(res.coef.to_numpy(), np.ldexp(base.coef.to_numpy(), [ky, ky, ky - kx]))
    assert_array_equal(res.t_values.to_numpy(), base.t_values.to_numpy())
    assert res.r_squared == base.r_squared


@pytest.mark.parametrize("solver", ["qr", "cholesky", "svd", "normal"])
@pytest.mark.parametrize(("kx", "ky"), [(520, 0), (0, 520), (-700, 0), (0, -700), (-700, -700)])
def test_every_solver_fits_huge_and_tiny_data(solver, kx, ky):
    _check(_fit(kx, ky, solver), kx, ky)


@pytest.mark.parametrize(("kx", "ky"), [(520, 0), (0, 520), (-700, -700), (1000, 1000)])
def test_simple_regression_of_huge_and_tiny_data(kx, ky):
    x, y = np.ldexp(_X[:, 1], kx), np.ldexp(_Y, ky)
    res = linmod.ols(x[:, None], y, solver="simple")
    ref = sm.OLS(_Y, sm.add_constant(_X[:, 1])).fit()
    assert_allclose(res.coef.to_numpy(), np.ldexp(ref.params, [ky, ky - kx]), rtol=1e-12)
    assert_allclose(res.t_values.to_numpy(), ref.tvalues, rtol=1e-12)
    assert_allclose(res.r_squared, ref.rsquared, rtol=1e-13)


def test_the_reported_inputs_fit_with_the_right_r_squared():
    # the review's three inputs: a predictor >= 1e154, a response >= 1e155, data <= 1e-200
    x = _X[:, 1]
    ref = sm.OLS(_Y, sm.add_constant(x)).fit()
    for xs, ys in [(x * 1e154, _Y), (x, _Y * 1e155), (x * 1e-200, _Y * 1e-200)]:
        res = linmod.ols(xs[:, None], ys)
        assert_allclose(res.r_squared, ref.rsquared, rtol=1e-12)
        assert np.isfinite(res.sigma)
        assert np.all(np.isfinite(res.std_err))
        assert_allclose(res.t_values.to_numpy(), ref.tvalues, rtol=1e-12)


def test_summary_and_intervals_of_huge_data():
    res = _fit(0, 1000)
    text = res.summary()
    assert "nan" not in text.lower()
    assert "inf" not in text.lower()
    assert f"{_REF.rsquared:.4g}" in text
    new = _X[:3].copy()
    table = res.predict(new, interval="prediction")
    ref = _REF.get_prediction(sm.add_constant(_X[:3], has_constant="add")).summary_frame(0.05)
    assert_allclose(table["fit"], np.ldexp(ref["mean"].to_numpy(), 1000), rtol=1e-12)
    assert_allclose(table["lower"], np.ldexp(ref["obs_ci_lower"].to_numpy(), 1000), rtol=1e-12)
    assert_allclose(table["upper"], np.ldexp(ref["obs_ci_upper"].to_numpy(), 1000), rtol=1e-12)


def test_a_sum_of_squares_beyond_float64_is_infinite_but_the_statistics_are_not():
    res = _fit(0, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert res.ssr == np.inf  # ~2**2000: not a float64, and said so
        assert_allclose(res.r_squared, _REF.rsquared, rtol=1e-13)


def test_dependencies_of_huge_columns_are_in_original_units():
    x = np.column_stack([_X[:, 0] * 1e200, _X[:, 0] * 3e200])
    res = linmod.ols(x, _Y)
    assert res.aliased.tolist() == [False, False, True]
    assert res.dependencies == ["x1 = 3·x0"]


@pytest.mark.parametrize("kx", [520, 1000, -520, -1000])
@pytest.mark.parametrize("source", ["frames", "csv", "parquet"])
def test_a_streamed_fit_of_a_huge_or_tiny_predictor_is_exact(kx, source, tmp_path):
    # files are read again to refine (double-double products of huge or tiny columns)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": _X[:, 0], "b": np.ldexp(_X[:, 1], kx), "y": _Y})
    data: object = iter([frame.iloc[:20], frame.iloc[20:]])
    if source == "csv":
        data = tmp_path / "huge.csv"
        frame.to_csv(data, index=False, float_format="%.17g")
    elif source == "parquet":
        pytest.importorskip("pyarrow")
        data = tmp_path / "huge.parquet"
        frame.to_parquet(data)
    res = linmod.ols("y ~ a + b", data=data, chunksize=16)
    assert not res.aliased.any()
    assert_allclose(res.coef.to_numpy(), np.ldexp(_REF.params, [0, 0, -kx]), rtol=1e-12)
    assert_allclose(res.std_err.to_numpy(), np.ldexp(_REF.bse, [0, 0, -kx]), rtol=1e-12)
    assert_allclose(res.r_squared, _REF.rsquared, rtol=1e-13)


@pytest.mark.parametrize(("ky", "words"), [(520, "large"), (-520, "small"), (-1000, "small")])
def test_a_streamed_fit_of_a_huge_or_tiny_response_is_refused_by_name(ky, words, tmp_path):
    # its sum of squares is kept as one float64: beyond ~1e154 it overflowed (an
    # OverflowError), below ~1e-154 it underflowed (a wrong "constant response")
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"x": _X[:, 1], "price": np.ldexp(_Y, ky)})
    path = tmp_path / "prices.csv"
    frame.to_csv(path, index=False, float_format="%.17g")
    for data in (iter([frame.iloc[:20], frame.iloc[20:]]), path):
        with pytest.raises(linmod.exceptions.InputError, match=rf"'price'.*so {words}.*in memory"):
            linmod.ols("price ~ x", data=data, chunksize=16)


@pytest.mark.parametrize(
    ("magnitude", "scaled"),
    [
        (np.nextafter(2.0**128, 0), False),  # frexp exponent 128: inside the safe range
        (2.0**128, True),  # exponent 129
        (2.0**-129, False),  # exponent -128
        (np.nextafter(2.0**-129, 0), True),  # exponent -129
    ],
)
def test_the_safe_range_boundaries_decide_scaling_of_a_column_and_the_response(magnitude, scaled):
    # The quick in-range test of solve_scaled must agree with the frexp-exponent rule
    # exactly at the edges of 2**±SAFE_EXPONENT (the scales are powers of two, so a fit is
    # the same either way: only whether scaling ran is visible, in column_scales).
    from linmod.solvers import LeastSquaresProblem, solve

    rng = np.random.default_rng(4)
    column = rng.uniform(0.25, 1.0, 30)
    column[3] = 1.0
    x = np.column_stack([np.ones(30), rng.standard_normal(30), magnitude * column])
    y = rng.standard_normal(30)
    problem = LeastSquaresProblem(x=x, y=y, names=("Intercept", "a", "b"), intercept=True)
    result = solve(problem)
    assert bool(result.column_scales[2] != 1.0) is scaled
    response = LeastSquaresProblem(
        x=x[:, :2], y=magnitude * column, names=("Intercept", "a"), intercept=True
    )
    fit = solve(response)
    expected = linmod.ols(x[:, 1:2], column).coef.to_numpy() * magnitude
    assert_allclose(fit.coef, expected, rtol=1e-15)
    assert bool(fit.cov_scaled is not fit.cov_unscaled) is scaled


@pytest.mark.parametrize(
    ("magnitude", "scaled"),
    [
        (np.nextafter(2.0**128, 0), False),
        (2.0**128, True),
        (2.0**-129, False),
        (np.nextafter(2.0**-129, 0), True),
    ],
)
def test_the_magnitudes_of_the_designs_copy_decide_scaling_as_a_pass_of_its_own(magnitude, scaled):
    # ols(X, y) on a float64 array finds the column and response maxima in the design's
    # checked copy and hands them to solve_scaled, which must decide exactly as its own
    # pass does at the edges of the safe range.
    import pandas as pd

    rng = np.random.default_rng(4)
    column = rng.uniform(0.25, 1.0, 30)
    column[3] = 1.0
    x = np.column_stack([rng.standard_normal(30), magnitude * column])
    y = rng.standard_normal(30)
    res = linmod.ols(x, y)
    assert bool(res.solution.column_scales[2] != 1.0) is scaled
    reference = linmod.ols(pd.DataFrame(x, columns=["x0", "x1"]), y)  # no magnitudes
    assert_allclose(res.coef.to_numpy(), reference.coef.to_numpy(), rtol=0, atol=0)
    fit = linmod.ols(x[:, :1], magnitude * column)
    assert bool(fit.solution.cov_scaled is not fit.solution.cov_unscaled) is scaled
    expected = linmod.ols(x[:, :1], column).coef.to_numpy() * magnitude
    assert_allclose(fit.coef.to_numpy(), expected, rtol=1e-15)


def test_magnitudes_of_other_arrays_are_ignored():
    # A problem derived by dataclasses.replace keeps the record of the old arrays: it
    # must not decide the new data's scaling (here a column beyond 2**128).
    from dataclasses import replace

    from linmod.data.arrays import fast_array_design
    from linmod.solvers import LeastSquaresProblem, solve

    rng = np.random.default_rng(8)
    x = rng.standard_normal((40, 2))
    y = x @ np.array([1.0, -0.5]) + rng.standard_normal(40)
    design, magnitudes = fast_array_design(x, y, fit_intercept=True)
    assert magnitudes.of(design.x, design.y)
    assert_allclose(magnitudes.columns, np.max(np.abs(design.x), axis=0), rtol=0, atol=0)
    assert magnitudes.response == np.max(np.abs(y))
    problem = LeastSquaresProblem(
        x=design.x, y=design.y, names=design.column_names, intercept=True, magnitudes=magnitudes
    )
    huge = replace(problem, x=design.x * np.array([1.0, 1.0, 2.0**300]))
    assert not huge.magnitudes.of(huge.x, huge.y)
    result = solve(huge)
    assert result.column_scales[2] != 1.0  # measured, so scaled
    assert_allclose(result.coef[2] * 2.0**300, solve(problem).coef[2], rtol=1e-15)
