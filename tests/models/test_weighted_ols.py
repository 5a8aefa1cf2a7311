"""``ols(..., weights=)``: the identities that define each meaning, accuracy, bad input.

- frequency weights: integer weights give exactly the fit of the repeated rows, on every
  statistic;
- precision weights: OLS on rows scaled by sqrt(w) (statsmodels' WLS as the reference);
- zero weights: the fit without those rows;
- NIST Longley with weights against exact rational arithmetic.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError, NearSingularWarning

from ..conftest import NIST_DIR, load_dataset
from .nist import read_nist

FORMULA = "mpg ~ wt + hp + C(cyl)"


@pytest.fixture(scope="module")
def cars() -> pd.DataFrame:
    data = load_dataset("mtcars")
    data["n"] = np.tile([1, 3, 2, 1, 4, 2, 1, 5], 4)
    return data


@pytest.fixture(scope="module")
def pair(cars):
    weighted = linmod.ols(FORMULA, data=cars, weights="n", weights_type="frequency")
    repeated = cars.loc[cars.index.repeat(cars["n"])].drop(columns="n")
    return weighted, linmod.ols(FORMULA, data=repeated)


def test_frequency_weights_equal_repeated_rows_on_every_statistic(pair):
    weighted, repeated = pair
    assert weighted.n_obs == repeated.n_obs
    assert weighted.df_resid == repeated.df_resid
    assert weighted.df_model == repeated.df_model
    for name in ("coef", "std_err", "t_values", "p_values"):
        assert_allclose(getattr(weighted, name), getattr(repeated, name), rtol=1e-12)
    assert_allclose(weighted.conf_int(0.9), repeated.conf_int(0.9), rtol=1e-12)
    assert_allclose(weighted.cov_params(), repeated.cov_params(), rtol=1e-12)
    for name in (
        "sigma", "ssr", "tss", "ess", "r_squared", "adj_r_squared", "f_statistic",
        "f_p_value", "log_likelihood", "aic", "bic", "mse", "rmse", "mae",
    ):  # fmt: skip
        assert_allclose(getattr(weighted, name), getattr(repeated, name), rtol=1e-12)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(
            weighted.robust(kind).cov_params(), repeated.robust(kind).cov_params(), rtol=1e-11
        )
        assert_allclose(
            weighted.robust(kind).f_statistic, repeated.robust(kind).f_statistic, rtol=1e-11
        )


def test_frequency_weights_per_row_measures_are_each_copys(pair, cars):
    weighted, repeated = pair
    first = np.concatenate([[0], np.cumsum(cars["n"].to_numpy())[:-1]])
    assert_allclose(weighted.leverage, repeated.leverage.iloc[first], rtol=1e-12)
    assert_allclose(weighted.residuals, repeated.residuals.iloc[first], rtol=1e-11, atol=1e-13)
    assert_allclose(weighted.fitted, repeated.fitted.iloc[first], rtol=1e-13)
    mine, theirs = weighted.influence(), repeated.influence().iloc[first]
    assert list(mine.index) == list(cars.index)
    assert_allclose(mine.to_numpy(), theirs.to_numpy(), rtol=1e-9, atol=1e-13)


def test_frequency_weights_predictions_and_assumption_tests(pair, cars):
    weighted, repeated = pair
    new = cars.iloc[:6]
    for interval in ("confidence", "prediction"):
        assert_allclose(
            weighted.predict(new, interval=interval),
            repeated.predict(new, interval=interval),
            rtol=1e-12,
        )
    ours = {t.name: t for c in weighted.check().checks.values() for t in c.tests}
    theirs = {t.name: t for c in repeated.check().checks.values() for t in c.tests}
    assert ours.keys() == theirs.keys()
    for name, test in ours.items():
        assert_allclose(test.statistic, theirs[name].statistic, rtol=1e-9, err_msg=name)


def test_frequency_summary_says_the_meaning_and_n(pair):
    weighted, repeated = pair
    text = weighted.summary()
    assert (
        "Weights: frequency (each row counts w times) from column 'n'; n = 76 from 32 rows" in text
    )
    # the residual quartiles are those of the repeated rows
    mine = text.split("Residuals:")[1].splitlines()[2]
    theirs = repeated.summary().split("Residuals:")[1].splitlines()[2]
    assert mine == theirs


def test_frequency_weights_refuse_hac():
    data = load_dataset("mtcars")
    res = linmod.ols("mpg ~ wt", data=data, weights=np.ones(32) * 2, weights_type="frequency")
    with pytest.raises(InputError, match="HAC covariances need the rows in time order"):
        res.robust("HAC")


def test_precision_weights_are_ols_on_sqrt_w_scaled_rows(cars):
    sm = pytest.importorskip("statsmodels.api")
    w = 1.0 / cars["disp"].to_numpy()
    res = linmod.ols("mpg ~ wt + hp", data=cars, weights=w)
    x = sm.add_constant(cars[["wt", "hp"]].to_numpy())
    ref = sm.WLS(cars["mpg"].to_numpy(), x, weights=w).fit()
    assert_allclose(res.coef, ref.params, rtol=1e-12)
    assert_allclose(res.std_err, ref.bse, rtol=1e-12)
    assert_allclose(res.p_values, ref.pvalues, rtol=1e-9)
    assert_allclose(res.conf_int(), ref.conf_int(), rtol=1e-12)
    assert_allclose(res.r_squared, ref.rsquared, rtol=1e-12)
    assert_allclose(res.adj_r_squared, ref.rsquared_adj, rtol=1e-12)
    assert_allclose(res.f_statistic, ref.fvalue, rtol=1e-12)
    assert_allclose(res.log_likelihood, ref.llf, rtol=1e-12)
    assert_allclose(res.aic, ref.aic + 2, rtol=1e-12)  # R's AIC counts sigma; statsmodels not
    assert_allclose(res.sigma**2, ref.scale, rtol=1e-12)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(res.robust(kind).std_err, ref.get_robustcov_results(kind).bse, rtol=1e-9)
    assert_allclose(res.residuals, ref.resid, rtol=1e-10, atol=1e-12)
    assert_allclose(res.solution.residuals, ref.wresid, rtol=1e-10, atol=1e-12)


def test_array_weights_match_a_weights_column(cars):
    w = cars["n"].to_numpy() / 3
    from_column = linmod.ols("mpg ~ wt + hp", data=cars.assign(w=w), weights="w")
    from_array = linmod.ols("mpg ~ wt + hp", data=cars, weights=w)
    from_x = linmod.ols(cars[["wt", "hp"]], cars["mpg"], weights=w)
    assert_allclose(from_column.coef, from_array.coef, rtol=0)
    assert_allclose(from_x.coef.to_numpy(), from_array.coef.to_numpy(), rtol=1e-13)
    assert_allclose(from_x.std_err.to_numpy(), from_array.std_err.to_numpy(), rtol=1e-13)


def test_the_weights_column_is_not_a_predictor_of_dot(cars):
    data = cars[["mpg", "wt", "hp", "n"]]
    res = linmod.ols("mpg ~ .", data=data, weights="n")
    assert list(res.coef.index) == ["Intercept", "wt", "hp"]


def test_zero_weights_drop_their_rows_and_are_counted(cars):
    w = np.ones(32)
    w[[2, 9, 30]] = 0
    res = linmod.ols("mpg ~ wt + hp", data=cars, weights=w)
    ref = linmod.ols("mpg ~ wt + hp", data=cars.drop(index=[2, 9, 30]))
    assert res.n_obs == 29
    assert res.df_resid == 26
    for name in ("coef", "std_err", "p_values"):
        assert_allclose(getattr(res, name), getattr(ref, name), rtol=1e-12)
    for name in ("sigma", "r_squared", "adj_r_squared", "f_statistic", "log_likelihood", "bic"):
        assert_allclose(getattr(res, name), getattr(ref, name), rtol=1e-12)
    assert res.weights.n_zero == 3
    assert list(res.weights.zero_labels) == [2, 9, 30]
    assert "3 zero-weight rows dropped from the fit" in res.summary()


def test_missing_drop_drops_rows_with_a_missing_weight(cars):
    data = cars.assign(w=1.0)
    data.loc[[4, 7], "w"] = np.nan
    data.loc[10, "hp"] = np.nan
    res = linmod.ols("mpg ~ wt + hp", data=data, weights="w", missing="drop")
    assert res.n_obs == 29
    assert list(res.design.dropped_labels) == [4, 7, 10]
    assert "(3 observations deleted due to missingness)" in res.summary()
    with pytest.raises(
        InputError, match=r"weights column 'w' has 2 missing \(NaN\) values in rows 5, 8"
    ):
        linmod.ols("mpg ~ wt + hp", data=data, weights="w")


def test_rows_keep_their_labels(cars):
    data = cars.set_index("model")
    res = linmod.ols("mpg ~ wt", data=data, weights=np.arange(1.0, 33.0))
    assert list(res.residuals.index) == list(data.index)
    res = linmod.ols("mpg ~ wt", data=cars, id="model", weights=np.arange(1.0, 33.0))
    assert res.residuals.index[0] == "Mazda RX4"
    assert "model" not in res.coef.index


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1.0] * 31 + [-1.0], r"weights has 1 negative values in row 32"),
        ([1.0] * 30 + [np.nan, 1.0], r"weights has 1 missing \(NaN\) values in row 31"),
        ([np.inf] + [1.0] * 31, r"weights has 1 infinite values in row 1"),
        ([0.0] * 32, r"weights are all zero"),
        ([1.0] * 31, r"weights has shape \(31,\), but the data has 32 rows"),
        (["a"] * 32, r"weights must be numbers"),
    ],
)
def test_bad_weights_are_refused_naming_the_row(cars, weights, message):
    with pytest.raises(InputError, match=message):
        linmod.ols("mpg ~ wt", data=cars, weights=weights)
    with pytest.raises(InputError, match=message):
        linmod.ols(cars[["wt"]].to_numpy(), cars["mpg"].to_numpy(), weights=weights)


def test_bad_weights_columns_and_meanings(cars):
    with pytest.raises(InputError, match=r"weights column 'model' holds \w+ values, not numbers"):
        linmod.ols("mpg ~ wt", data=cars, weights="model")
    with pytest.raises(InputError, match=r"weights column 'nope' is not a column"):
        linmod.ols("mpg ~ wt", data=cars, weights="nope")
    with pytest.raises(InputError, match=r"weights_type='variance' is not known"):
        linmod.ols("mpg ~ wt", data=cars, weights="n", weights_type="variance")
    with pytest.raises(InputError, match=r"frequency weights must be whole numbers.*row 1\b"):
        linmod.ols("mpg ~ wt", data=cars, weights=[0.5] + [1.0] * 31, weights_type="frequency")
    with pytest.raises(InputError, match=r"weights_type='frequency' needs weights="):
        linmod.ols("mpg ~ wt", data=cars, weights_type="frequency")
    with pytest.raises(InputError, match=r"solver='simple' is the closed form"):
        linmod.ols("mpg ~ wt", data=cars, weights="n", solver="simple")
    with pytest.raises(InputError, match=r"an array of weights cannot follow the chunks"):
        linmod.ols("mpg ~ wt", data=[cars, cars], weights=np.ones(64))


def test_labelled_rows_are_named_by_label(cars):
    data = cars.set_index("model")
    w = np.ones(32)
    w[3] = -2
    with pytest.raises(InputError, match=r"negative values in row Hornet 4 Drive"):
        linmod.ols("mpg ~ wt", data=data, weights=w)


# ---------------------------------------------------------------- float64 limit


def _exact_wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Normal equations X'WX b = X'Wy in exact rational arithmetic."""
    xs = [[Fraction(v) for v in row] for row in x]
    ws, ys = [Fraction(v) for v in w], [Fraction(v) for v in y]
    k, n = x.shape[1], x.shape[0]
    a = [
        [sum(ws[i] * xs[i][r] * xs[i][c] for i in range(n)) for c in range(k)]
        + [sum(ws[i] * xs[i][r] * ys[i] for i in range(n))]
        for r in range(k)
    ]
    for i in range(k):
        for j in range(i + 1, k):
            f = a[j][i] / a[i][i]
            a[j] = [a[j][t] - f * a[i][t] for t in range(k + 1)]
    b = [Fraction(0)] * k
    for i in reversed(range(k)):
        b[i] = (a[i][k] - sum(a[i][t] * b[t] for t in range(i + 1, k))) / a[i][i]
    return np.array([float(v) for v in b])


@pytest.mark.parametrize("solver", ["auto", "qr"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_longley_with_weights_reaches_the_float64_limit(solver, seed):
    problem = read_nist(NIST_DIR / "Longley.dat")
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 10.0, len(problem.data)).round(3)  # sqrt(w) is not exact
    x, y = problem.design()
    exact = _exact_wls(np.column_stack([np.ones(len(y)), x]), y, w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res = linmod.ols(problem.formula, data=problem.data, weights=w, solver=solver)
    assert_allclose(res.coef.to_numpy(), exact, rtol=3e-14)  # 13.5 digits or more


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_the_callers_data_are_never_scaled(cars, fit_intercept):
    x = cars[["wt", "hp"]].to_numpy()
    y = cars["mpg"].to_numpy()
    frame, x0, y0 = cars.copy(), x.copy(), y.copy()
    w = np.linspace(0.5, 2.0, 32)
    res = linmod.ols(x, y, weights=w, fit_intercept=fit_intercept)
    linmod.ols("mpg ~ wt + hp", data=cars, weights=w)
    linmod.LinearRegression(fit_intercept=fit_intercept).fit(x, y, sample_weight=w)
    assert np.array_equal(x, x0)
    assert np.array_equal(y, y0)
    pd.testing.assert_frame_equal(cars, frame)
    # the raw rows come back exactly (rebuilt, not divided by sqrt(w))
    assert np.array_equal(res.weights.raw.x[:, -2:], x0)
    assert_allclose(res.predict()["fit"], res.fitted, rtol=1e-15)
