"""Bad inputs raise InputError naming the problem; hand-derived values; result objects."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import linmod
from linmod import diagnostics as dg
from linmod.diagnostics._dw_distribution import (
    _imhof_positive,
    _pan_positive,
    dw_eigenvalues,
    dw_lower_tail,
)
from linmod.diagnostics.linearity import curvature_by_term

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def mtcars_fit():
    return linmod.ols("mpg ~ wt + hp", data=load_dataset("mtcars"))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda r: dg.reset(r, powers=()), "powers"),
        (lambda r: dg.reset(r, powers=(1, 2)), "powers"),
        (lambda r: dg.reset(r, powers=(2, 2)), "powers"),
        (lambda r: dg.reset(r, powers=(2.5,)), "powers"),
        (lambda r: dg.rainbow(r, fraction=0.0), "fraction"),
        (lambda r: dg.rainbow(r, fraction=1.5), "fraction"),
        (lambda r: dg.rainbow(r, fraction=0.05), "increase fraction"),
        (lambda r: dg.rainbow(r, order_by="nope"), "not a column"),
        (lambda r: dg.harvey_collier(r, order_by=np.arange(3)), "one value per observation"),
        (
            lambda r: dg.harvey_collier(r, order_by=np.full(32, np.nan)),
            r"order_by has 32 missing value\(s\) in the rows fitted \(rows 1, 2, 3",
        ),
        (lambda r: dg.durbin_watson(r, alternative="bigger"), "alternative"),
        (lambda r: dg.breusch_godfrey(r, order=0), "order"),
        (lambda r: dg.breusch_godfrey(r, order=1.5), "order"),
        (lambda r: dg.breusch_godfrey(r, order=True), "order"),
        (lambda r: dg.breusch_godfrey(r, order=29), "smaller order"),
        (lambda r: dg.breusch_godfrey(r, test="LR"), "test="),
        (lambda r: dg.goldfeld_quandt(r, alternative="up"), "alternative"),
        (lambda r: dg.goldfeld_quandt(r, point=0), "point"),
        (lambda r: dg.goldfeld_quandt(r, fraction=-1), "fraction"),
        (lambda r: dg.goldfeld_quandt(r, point=0.05), "move the split point"),
        (lambda r: dg.outlier_test(r, cutoff=1.0), "cutoff"),
        (lambda r: dg.residual_acf(r, nlags=32), "nlags"),
        (lambda r: dg.check(r, alpha=0), "alpha"),
        (lambda r: dg.added_variable_data(r, columns=["nope"]), "not estimable"),
    ],
)
def test_bad_arguments(mtcars_fit, call, match):
    with pytest.raises(linmod.InputError, match=match):
        call(mtcars_fit)


def test_sample_size_limits():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6001, 2))
    big = linmod.ols(x, x @ [1.0, 2.0] + rng.normal(size=6001))
    with pytest.raises(linmod.InputError, match="jarque_bera"):
        dg.shapiro_wilk(big)
    with pytest.raises(linmod.InputError, match="exact=False"):
        dg.durbin_watson(big, exact=True)
    tiny = linmod.ols(np.arange(6.0)[:, None], np.array([1.0, 3.0, 2.0, 5.0, 4.0, 6.0]))
    with pytest.raises(linmod.InputError, match="at least 8"):
        dg.anderson_darling(tiny)
    with pytest.raises(linmod.InputError, match="3 recursive residuals"):
        dg.harvey_collier(linmod.ols(np.arange(4.0)[:, None], np.array([1.0, 3.0, 2.0, 5.0])))
    few = linmod.ols(np.arange(4.0)[:, None], np.array([1.0, 3.0, 2.0, 5.0]))
    with pytest.raises(linmod.InputError, match="residual degrees of freedom"):
        dg.check(few)
    with pytest.raises(linmod.InputError, match="2 residual degrees of freedom"):
        dg.influence(linmod.ols(np.arange(3.0)[:, None], np.array([1.0, 3.0, 2.0])))


def test_white_needs_more_rows_than_products():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 4))
    res = linmod.ols(x, x.sum(axis=1) + rng.normal(size=12))
    with pytest.raises(linmod.InputError, match="breusch_pagan"):
        dg.white(res)


def test_durbin_watson_by_hand():
    # DW = sum(diff(e)^2) / sum(e^2) and rho = 1 - DW/2 from the definition.
    data = load_dataset("cars")
    res = linmod.ols("dist ~ speed", data=data)
    e = res.residuals.to_numpy()
    result = dg.durbin_watson(res)
    expected = np.sum(np.diff(e) ** 2) / np.sum(e**2)
    assert_allclose(result.statistic, expected, rtol=1e-14)
    assert_allclose(result["rho"], 1 - expected / 2, rtol=1e-14)
    assert result.alternative == "true autocorrelation is greater than 0"
    assert dg.durbin_watson(res, alternative="two.sided").p_value == pytest.approx(
        2 * min(result.p_value, 1 - result.p_value), rel=1e-12
    )


def test_dw_distribution_pan_and_imhof_agree():
    # Two independent evaluations of the same exact distribution.
    res = linmod.ols("mpg ~ wt + hp", data=load_dataset("mtcars"))
    ev = dw_eigenvalues(res.design.x)
    for d in (0.9, 1.36, 2.0, 2.6):
        assert_allclose(_pan_positive(d - ev, 128), _imhof_positive(d - ev), atol=1e-12)
        lower, upper = dw_lower_tail(d, ev)
        assert_allclose(lower + upper, 1.0, rtol=1e-15)


def test_dw_exact_at_large_n_uses_a_stable_evaluation():
    # n = 111 has ~50 eigenvalues on each side of d: the 64/128-node Pan sums disagree
    # there and the Imhof integral is used; it must stay a probability close to the
    # normal approximation.
    res = linmod.ols(
        "Ozone ~ `Solar.R` + Wind + Temp", data=load_dataset("airquality"), missing="drop"
    )
    exact = dg.durbin_watson(res, exact=True)
    approx = dg.durbin_watson(res, exact=False)
    assert 0.0 < exact.p_value < 1.0
    assert exact.p_value == pytest.approx(approx.p_value, abs=0.02)


def test_p_values_use_survival_functions():
    # A huge BP statistic: 1 - cdf would give exactly 0.
    rng = np.random.default_rng(1)
    x = rng.uniform(1, 10, size=4000)
    y = 2 * x + rng.normal(size=4000) * x**2
    res = linmod.ols(x[:, None], y)
    bp = dg.breusch_pagan(res)
    assert bp.statistic > 200
    assert 0.0 < bp.p_value == pytest.approx(stats.chi2.sf(bp.statistic, 1), rel=1e-12)


def test_curvature_by_term_finds_the_curved_predictor():
    rng = np.random.default_rng(5)
    x1, x2 = rng.normal(size=(2, 300))
    y = x1 + 0.8 * x2**2 + rng.normal(size=300) * 0.3
    import pandas as pd

    res = linmod.ols("y ~ x1 + x2", data=pd.DataFrame({"y": y, "x1": x1, "x2": x2}))
    table = curvature_by_term(res)
    assert table.index[0] == "x2"
    # Adding x2**2 for real gives the same F (hand derivation of the one-column F test).
    full = linmod.ols("y ~ x1 + x2 + I(x2**2)", data=pd.DataFrame({"y": y, "x1": x1, "x2": x2}))
    f = (res.ssr - full.ssr) / (full.ssr / full.df_resid)
    assert_allclose(table.loc["x2", "f_statistic"], f, rtol=1e-8)


def test_test_result_is_self_describing(mtcars_fit):
    result = dg.breusch_godfrey(mtcars_fit, order=2, test="F")
    assert result.distribution == "F"
    assert result.df == (2.0, 27.0)
    assert "H0: the errors have no autocorrelation" in str(result)
    assert "F(2, 27)" in repr(result)
    assert "<b>" in result._repr_html_()
    as_dict = result.to_dict()
    assert json.loads(json.dumps(as_dict)) == as_dict
    assert result["auxiliary_r2"] == as_dict["details"]["auxiliary_r2"]
    assert result["statistic"] == result.statistic


def test_aliased_columns_are_ignored():
    data = load_dataset("mtcars")
    aliased = linmod.ols("mpg ~ wt + I(2*wt) + hp", data=data)
    plain = linmod.ols("mpg ~ wt + hp", data=data)
    for fn in (dg.reset, dg.breusch_pagan, dg.durbin_watson, dg.harvey_collier):
        assert_allclose(fn(aliased).statistic, fn(plain).statistic, rtol=1e-9)
    assert np.isnan(dg.vif(aliased)["I(2 * wt)"]) or np.isnan(dg.vif(aliased).iloc[1])
    table = dg.influence(aliased)
    assert_allclose(table["cooks_distance"], dg.influence(plain)["cooks_distance"], rtol=1e-9)


def test_leverage_one_gives_nan_like_r():
    # The only observation at its factor level is fitted exactly (h = 1).
    import pandas as pd

    data = pd.DataFrame(
        {
            "y": [1.0, 2.0, 3.5, 2.0, 5.0, 4.0],
            "g": ["a", "a", "a", "b", "b", "c"],
            "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.5],
        }
    )
    res = linmod.ols("y ~ x + C(g)", data=data)
    table = dg.influence(res)
    assert table["leverage"].iloc[5] == 1.0
    assert np.isnan(table["studentized_residual"].iloc[5])
    assert np.isnan(table["cooks_distance"].iloc[5])
    assert np.isfinite(table["cooks_distance"].iloc[:5]).all()


def test_columns_whose_squares_leave_float64_are_checked_without_numpy_overflow_noise():
    # A column near 1e300 and one near 1e-300: the fit is right, but check() squared them
    # (RESET on 0 degrees of freedom, Breusch-Pagan on 1 instead of 3, Durbin-Watson's p
    # NaN) with eight numpy RuntimeWarnings and nothing naming the columns. Now the checks
    # scale such columns by powers of two themselves: no warning, and RESET matches
    # statsmodels on the columns rescaled by hand (tests/diagnostics/test_extreme_columns.py
    # compares every statistic).
    import warnings

    import pandas as pd

    sm_diag = pytest.importorskip("statsmodels.stats.diagnostic")
    smf = pytest.importorskip("statsmodels.formula.api")
    rng = np.random.default_rng(9)
    x = rng.normal(50, 10, 200)
    frame = pd.DataFrame(
        {"big": rng.normal(size=200) * 1e300, "small": rng.normal(size=200) * 1e-300, "x": x}
    )
    frame["y"] = x + rng.normal(size=200)
    res = linmod.ols("y ~ big + small + x", data=frame)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = res.check().to_frame()
    assert not caught, [str(w.message) for w in caught]
    scaled = frame.assign(big=frame["big"] / 1e300, small=frame["small"] * 1e300)
    reset = table[table["test"] == "RESET"].iloc[0]
    ref = sm_diag.linear_reset(smf.ols("y ~ big + small + x", scaled).fit(), power=3, use_f=True)
    assert reset["statistic"] == pytest.approx(float(np.squeeze(ref.statistic)), rel=1e-8)
