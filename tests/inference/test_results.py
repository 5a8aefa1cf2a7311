"""Results object surface: prediction edge cases, rendering, robust options, exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def mtcars():
    return load_dataset("mtcars")


@pytest.fixture(scope="module")
def fit(mtcars):
    return linmod.ols("mpg ~ wt + C(cyl)", data=mtcars)


def test_predict_marks_rows_with_missing_predictors(fit, mtcars):
    new = mtcars.head(3).copy()
    new.loc[new.index[1], "wt"] = np.nan
    table = fit.predict(new, interval="prediction")
    assert table.loc[new.index[1]].isna().all()
    assert table.drop(index=new.index[1]).notna().all().all()
    assert list(table.columns) == ["fit", "lower", "upper"]


def test_predict_rejects_unseen_levels_and_absent_columns(fit, mtcars):
    new = mtcars.head(2).copy()
    new["cyl"] = [4, 5]
    with pytest.raises(InputError, match=r"column 'cyl' has level\(s\) 5 not seen"):
        fit.predict(new)
    with pytest.raises(InputError, match="lacks column"):
        fit.predict(mtcars[["mpg", "cyl"]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval": "credible"}, "interval='credible' is not known"),
        ({"level": 1.5}, "level=1.5 must lie strictly between 0 and 1"),
    ],
)
def test_bad_predict_arguments(fit, kwargs, message):
    with pytest.raises(InputError, match=message):
        fit.predict(**kwargs)


def test_robust_kinds_and_lags_are_validated(fit):
    with pytest.raises(InputError, match="covariance kind 'HC9' is not known"):
        fit.robust("HC9")
    with pytest.raises(InputError, match=r"lags=99 must be an integer in \[0, 31\]"):
        fit.robust("HAC", lags=99)
    with pytest.raises(InputError, match="lags= applies to kind='HAC' only"):
        fit.robust("HC1", lags=2)


def test_default_hac_lags_follow_newey_west_rule(mtcars):
    res = linmod.ols("mpg ~ wt", data=mtcars)
    lags = int(np.floor(4 * (32 / 100) ** (2 / 9)))  # = 3
    ref = smf.ols("mpg ~ wt", data=mtcars).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": False}
    )
    assert_allclose(res.robust("HAC").std_err, ref.bse, rtol=1e-10)
    assert "robust (HAC, lags=3)" in res.robust("HAC").summary()  # the lag used is shown
    assert res.robust("HAC").hac_lags == 3


def test_leverage_without_the_hat_matrix(fit):
    x = fit.design.x
    hat_diagonal = np.diag(x @ np.linalg.pinv(x))
    assert_allclose(fit.leverage, hat_diagonal, rtol=1e-10)


def test_renderings(fit):
    html = fit._repr_html_()
    assert "<table" in html
    assert "mpg ~ wt + C(cyl)" in html
    table = fit.to_frame(level=0.9)
    assert list(table.columns) == ["coef", "std_err", "t_value", "p_value", "lower", "upper"]
    assert "R²=" in repr(fit)
    assert str(fit) == fit.summary()


def test_metrics_properties_match_hand_formulas(fit):
    r = fit.residuals.to_numpy()
    assert_allclose(fit.mse, np.mean(r**2), rtol=1e-14)
    assert_allclose(fit.rmse, np.sqrt(np.mean(r**2)), rtol=1e-14)
    assert_allclose(fit.mae, np.mean(np.abs(r)), rtol=1e-14)


def test_zero_residual_degrees_of_freedom_gives_nan_inference():
    res = linmod.ols([[1.0], [2.0]], [1.0, 3.0])
    assert res.df_resid == 0
    assert np.isnan(res.sigma)
    assert res.std_err.isna().all()
    assert_allclose(res.coef, [-1.0, 2.0], rtol=1e-14)


def test_no_intercept_f_test_is_uncentred(mtcars):
    res = linmod.ols("mpg ~ 0 + wt", data=mtcars)
    ref = sm.OLS(mtcars["mpg"], mtcars[["wt"]]).fit()
    assert_allclose(res.f_statistic, ref.fvalue, rtol=1e-10)
    assert_allclose(res.r_squared, ref.rsquared, rtol=1e-12)


def test_public_names_are_exported():
    for name in linmod.__all__:
        assert hasattr(linmod, name), name
    assert isinstance(linmod.InputError("x"), ValueError)
    assert issubclass(linmod.ConvergenceWarning, linmod.LinmodWarning)


def test_missing_value_indices_survive_in_residuals():
    air = load_dataset("airquality")
    res = linmod.ols("Ozone ~ Wind", data=air, missing="drop")
    assert isinstance(res.residuals.index, pd.Index)
    assert 4 not in res.residuals.index  # row 4 has a missing Ozone


@pytest.mark.parametrize("kind", ["HC0", "HC1", "HC2", "HC3", "HAC"])
def test_a_robust_fit_tests_all_slopes_with_the_robust_wald_f(mtcars, kind):
    # Found in QA: the robust summary printed the classical F next to robust errors.
    # statsmodels' fvalue for a robust fit is the Wald F under that covariance.
    formula = "mpg ~ wt + hp + C(cyl)"
    options = {"maxlags": 3, "use_correction": False} if kind == "HAC" else None
    ref = smf.ols(formula, data=mtcars).fit(cov_type=kind, cov_kwds=options)
    res = linmod.ols(formula, data=mtcars).robust(kind, lags=3 if kind == "HAC" else None)
    assert_allclose(res.f_statistic, ref.fvalue, rtol=1e-10)
    assert_allclose(res.f_p_value, ref.f_pvalue, rtol=1e-8)
    assert f"Wald F ({kind}): {res.f_statistic:.4g} on 4 and 27 DF" in res.summary()
    classical = linmod.ols(formula, data=mtcars)
    assert f"F-statistic: {classical.f_statistic:.4g}" in classical.summary()


@pytest.mark.parametrize(("y_max", "exponent"), [(0.75, 0), (6.0, 3), (2.0**-20, -19)])
def test_std_err_of_unscaled_columns_takes_the_response_exponent(y_max, exponent):
    """Unscaled columns (``cov_scaled is cov_unscaled``): std_err scales by the response's
    power of two alone (none when it is 0), with the bits of the general formula."""
    rng = np.random.default_rng(12)
    x = rng.standard_normal((50, 2))
    y = x @ [0.5, -1.0] + rng.standard_normal(50)
    y = y * (y_max / np.max(np.abs(y)))
    res = linmod.ols(x, y)
    assert res.solution.cov_scaled is res.solution.cov_unscaled
    assert res._exponent == exponent
    exponents, middle = res._cov_parts  # the general form: frexp of every column scale
    expected = np.ldexp(np.sqrt(np.diagonal(middle)), exponents)
    assert np.array_equal(res.std_err.to_numpy(), expected)
    reference = sm.OLS(y, sm.add_constant(x)).fit().bse
    assert_allclose(res.std_err.to_numpy(), reference, rtol=1e-12)


def test_full_rank_fits_share_read_only_aliasing_and_scales():
    rng = np.random.default_rng(13)
    first = linmod.ols(rng.standard_normal((30, 2)), rng.standard_normal(30)).solution
    second = linmod.ols(rng.standard_normal((40, 2)), rng.standard_normal(40)).solution
    assert first.column_scales is second.column_scales
    assert first.aliased is second.aliased
    assert not first.aliased.any()
    assert np.array_equal(first.column_scales, np.ones(3))
    with pytest.raises(ValueError, match="read-only"):
        first.column_scales[1] = 2.0  # would change every other fit's scales


@pytest.mark.parametrize("scale", [1.0, 2.0**-600, 2.0**600])
def test_std_err_is_the_root_of_the_covariance_diagonal(scale):
    """The classical standard errors (taken from the diagonal alone) are the square roots
    of cov_params()'s diagonal, and statsmodels' bse, also where the covariance itself
    under- or overflows."""
    rng = np.random.default_rng(11)
    x = rng.standard_normal((60, 3))
    y = x @ [1.0, -2.0, 0.5] + rng.standard_normal(60)
    res = linmod.ols(x * scale, y * scale)
    exponents, middle = res._cov_parts
    expected = np.ldexp(np.sqrt(np.diagonal(middle)), exponents)
    assert np.array_equal(res.std_err.to_numpy(), expected)
    reference = sm.OLS(y, sm.add_constant(x)).fit().bse  # unscaled: the ratios are exact
    assert_allclose(res.std_err.to_numpy() / [scale, 1.0, 1.0, 1.0], reference, rtol=1e-12)
    if scale == 1.0:
        assert_allclose(res.std_err.to_numpy() ** 2, np.diag(res.cov_params()), rtol=1e-15)


def test_a_fits_tables_share_one_index_that_other_fits_do_not_see(mtcars):
    """The term Index is cached across fits with the same names; each fit gets its own view,
    shared by its tables as a data frame's columns share its index."""
    first = linmod.ols("mpg ~ wt + hp", data=mtcars)
    second = linmod.ols("mpg ~ wt + hp", data=mtcars.iloc[::-1])
    coef, std_err = first.coef, first.std_err
    assert coef.index is std_err.index is first.names
    assert list(coef.index) == ["Intercept", "wt", "hp"]
    assert coef.index.name == "term"
    coef.index.name = "renamed"
    assert first.names.name == "renamed"
    assert second.names is not first.names
    assert second.coef.index.name == "term"
    assert second.std_err.index.name == "term"
    third = linmod.ols("mpg ~ wt + hp", data=mtcars)
    assert third.names.name == "term"
    assert third.t_values.index.name == "term"
