"""Wald and t tests of linear hypotheses: against statsmodels, invariances, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def cars() -> pd.DataFrame:
    return load_dataset("mtcars")


@pytest.fixture(scope="module")
def fit(cars):
    return linmod.ols("mpg ~ wt + hp + C(cyl)", data=cars)


@pytest.fixture(scope="module")
def sm_fit(cars):
    return smf.ols("mpg ~ wt + hp + C(cyl)", data=cars).fit()


# statsmodels orders the columns Intercept, C(cyl)[T.6], C(cyl)[T.8], wt, hp.
SM_ORDER = ["Intercept", "C(cyl)[T.6]", "C(cyl)[T.8]", "wt", "hp"]


@pytest.mark.parametrize("use_f", [True, False])
def test_wald_test_equals_statsmodels(fit, sm_fit, use_f):
    ours = fit.wald_test("wt = hp, C(cyl)[T.8] = 2", use_f=use_f)
    theirs = sm_fit.wald_test("wt = hp, C(cyl)[T.8] = 2", use_f=use_f, scalar=True)
    assert_allclose(ours.statistic, theirs.statistic, rtol=1e-10)
    assert_allclose(ours.p_value, theirs.pvalue, rtol=1e-8)
    assert ours.df_num == 2


def test_robust_wald_test_equals_statsmodels(fit, sm_fit):
    ours = fit.robust("HC3").wald_test("wt = 0, hp = 0")
    theirs = sm_fit.get_robustcov_results("HC3").wald_test("wt = 0, hp = 0", scalar=True)
    assert_allclose(ours.statistic, theirs.statistic, rtol=1e-10)
    assert ours.cov_type == "HC3"


def test_t_test_equals_statsmodels(fit, sm_fit):
    ours = fit.t_test("wt - hp = 0, 2*wt + C(cyl)[T.6] = 1").table
    theirs = sm_fit.t_test("wt - hp = 0, 2*wt + C(cyl)[T.6] = 1")
    assert_allclose(ours["estimate"], np.ravel(theirs.effect), rtol=1e-10)
    assert_allclose(ours["std_err"], np.ravel(theirs.sd), rtol=1e-10)
    assert_allclose(ours["t_value"], np.ravel(theirs.tvalue), rtol=1e-10)
    assert_allclose(ours["p_value"], np.ravel(theirs.pvalue), rtol=1e-8)
    ci = theirs.conf_int()
    assert_allclose(ours[["lower", "upper"]].to_numpy(), ci, rtol=1e-10)


def test_matrix_form_and_data_frame_form(fit):
    by_text = fit.wald_test("wt = hp")
    row = np.zeros(len(fit.names))
    row[list(fit.names).index("wt")], row[list(fit.names).index("hp")] = 1.0, -1.0
    assert_allclose(fit.wald_test(row).statistic, by_text.statistic, rtol=1e-14)
    frame = pd.DataFrame({"hp": [-1.0], "wt": [1.0]})
    assert_allclose(fit.wald_test(frame, [0.0]).statistic, by_text.statistic, rtol=1e-14)


def test_results_as_data(fit):
    test = fit.wald_test("2*wt - hp = 1, hp = 0")
    data = test.to_dict()
    assert data["hypotheses"] == ["2*wt - hp = 1", "hp = 0"]
    assert data["r"] == [1.0, 0.0]
    assert data["R"][0][list(fit.names).index("wt")] == 2.0
    assert test.null_hypothesis == "2*wt - hp = 1 and hp = 0"
    assert test.df_denom == fit.df_resid


def test_names_with_brackets_backticks_and_intercept(fit):
    one = fit.wald_test("`C(cyl)[T.6]` = C(cyl)[T.8]")
    two = fit.wald_test("C(cyl)[T.6] - C(cyl)[T.8] = 0")
    assert_allclose(one.statistic, two.statistic, rtol=1e-14)
    intercept = fit.t_test("(Intercept) = 0").table
    assert_allclose(intercept["t_value"].iloc[0], fit.t_values["Intercept"], rtol=1e-12)


def test_names_with_commas_and_operators(cars):
    res = linmod.ols("mpg ~ poly(hp, 2, raw=True) + wt", data=cars)
    test = res.wald_test("poly(hp, 2, raw=True)1 = 0, poly(hp, 2, raw=True)2 = 0")
    assert test.df_num == 2
    assert test.hypotheses[1] == "poly(hp, 2, raw=True)2 = 0"


def test_text_rendering(fit):
    text = str(fit.robust("HC3").wald_test("wt = hp, hp = 0"))
    assert "HC3 covariance" in text
    assert "wt - hp = 0" in text
    assert "F = 7.928 on 2 and 27 DF" in text
    assert "Chisq =" in str(fit.wald_test("hp = 0", use_f=False))
    t_text = str(fit.t_test("wt - hp = 0"))
    assert "wt - hp = 0" in t_text
    assert "95% confidence intervals" in t_text


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(8, 40),
    p=st.integers(1, 4),
    kind=st.sampled_from(["nonrobust", "HC1", "HC3"]),
)
def test_single_zero_constraint_is_the_squared_t(seed, n, p, kind):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * rng.uniform(0.1, 100.0, size=p)
    y = x @ rng.normal(size=p) + rng.normal(size=n)
    res = linmod.ols(x, y)
    res = res if kind == "nonrobust" else res.robust(kind)
    for name in res.names:
        test = res.wald_test(f"`{name}` = 0")
        assert_allclose(test.statistic, res.t_values[name] ** 2, rtol=1e-9)
        assert_allclose(test.p_value, res.p_values[name], rtol=1e-7, atol=1e-300)
        scaled = res.wald_test(f"-3*`{name}` = 0")  # rescaling a constraint changes nothing
        assert_allclose(scaled.statistic, test.statistic, rtol=1e-9)
    slopes = ", ".join(f"{name} = 0" for name in res.names[1:])
    assert_allclose(res.wald_test(slopes).statistic, res.f_statistic, rtol=1e-8)


# ---------------------------------------------------------------- bad input
def test_unknown_name_suggests_the_closest(fit):
    with pytest.raises(InputError, match=r"'wgt' is not a coefficient.*did you mean 'wt'"):
        fit.wald_test("wgt = 0")
    with pytest.raises(InputError, match=r"'C\(cyl\)\[T\.7\]' is not a coefficient.*C\(cyl\)"):
        fit.wald_test("C(cyl)[T.7] = 0")
    with pytest.raises(InputError, match=r"'cyl6' is not a coefficient"):
        fit.wald_test("`cyl6` = 0")


def test_aliased_coefficient_is_named(cars):
    frame = cars.assign(wt2=2 * cars["wt"])
    res = linmod.ols("mpg ~ wt + wt2 + hp", data=frame)
    assert res.aliased["wt2"]
    with pytest.raises(InputError, match=r"aliased coefficient\(s\) 'wt2'"):
        res.wald_test("wt2 = 0")
    with pytest.raises(InputError, match=r"aliased coefficient\(s\) 'wt2'"):
        res.t_test("wt + wt2 = 0")
    assert np.isfinite(res.wald_test("wt = 0, hp = 0").statistic)


def test_redundant_and_inconsistent_constraints(fit):
    with pytest.raises(InputError, match=r"constraint 3 \('wt = 0'\) is redundant.*rank-deficient"):
        fit.wald_test("wt = hp, hp = 0, wt = 0")
    with pytest.raises(
        InputError, match=r"constraint 2 \('2\*wt = 2'\) is inconsistent.*imply the value 0"
    ):
        fit.wald_test("wt = 0, 2*wt = 2")
    with pytest.raises(InputError, match="redundant"):
        fit.wald_test(np.array([[0, 1, 0, 0, 0], [0, 2, 0, 0, 0]]))
    # Separate t tests need no independence.
    assert fit.t_test("wt = 0, 2*wt = 0").table.shape[0] == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wt * hp = 0", "product of two coefficients is not linear"),
        ("1 / wt = 0", "division is only by a nonzero number"),
        ("wt / 0 = 1", "division is only by a nonzero number"),
        ("(wt + hp = 0", "parenthesis is not closed"),
        ("`wt = 0", "backtick is not closed"),
        ("3 = 3", "involves no coefficient"),
        ("wt = hp = 0", "unexpected '='"),
        ("wt = 0,", "empty constraint"),
        ("wt - = 0", "unexpected '='"),
    ],
)
def test_malformed_text_is_refused(fit, text, message):
    with pytest.raises(InputError, match=message):
        fit.wald_test(text)


def test_bad_matrix_forms(fit):
    with pytest.raises(InputError, match=r"shape \(1, 3\)"):
        fit.wald_test(np.ones(3))
    with pytest.raises(InputError, match="r must hold 2 finite value"):
        fit.wald_test(np.eye(5)[1:3], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="row 1 of R is all zeros"):
        fit.wald_test(np.zeros((1, 5)))
    with pytest.raises(InputError, match="must be numeric"):
        fit.wald_test([["a", "b", "c", "d", "e"]])
    with pytest.raises(InputError, match="missing or infinite"):
        fit.wald_test(np.full((1, 5), np.nan))
    with pytest.raises(InputError, match="column 'weight' is not a coefficient"):
        fit.wald_test(pd.DataFrame({"weight": [1.0]}))
    with pytest.raises(InputError, match="r= goes with a matrix R"):
        fit.wald_test("wt = 0", [1.0])
    with pytest.raises(InputError, match="hypotheses is empty"):
        fit.wald_test([])
    with pytest.raises(InputError, match=r"level=1\.5"):
        fit.t_test("wt = 0", level=1.5)
