"""``order_by`` given as text: numbers and dates in time order, not by letter."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.stattools import durbin_watson as sm_durbin_watson

import linmod
from linmod.diagnostics.independence import durbin_watson
from linmod.exceptions import InputError


@pytest.fixture
def series() -> pd.DataFrame:
    """AR(1) errors (rho 0.8) over 120 weeks, rows shuffled."""
    rng = np.random.default_rng(31)
    n = 120
    errors = np.zeros(n)
    for t in range(1, n):
        errors[t] = 0.8 * errors[t - 1] + rng.standard_normal()
    x = rng.standard_normal(n)
    weeks = pd.date_range("2023-11-05", periods=n, freq="7D")
    frame = pd.DataFrame({"when": weeks, "x": x, "y": 1.0 + 2.0 * x + errors})
    return frame.sample(frac=1.0, random_state=3).reset_index(drop=True)


def _reference(frame: pd.DataFrame, key: pd.Series) -> float:
    """statsmodels' DW of the residuals sorted by ``key`` (the true time order)."""
    res = linmod.ols("y ~ x", data=frame)
    order = np.argsort(key.to_numpy(), kind="stable")
    return float(sm_durbin_watson(res.residuals.to_numpy()[order]))


@pytest.mark.parametrize("date_format", ["%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y"])
def test_dates_written_as_text_are_ordered_as_dates(series, date_format):
    text = series["when"].dt.strftime(date_format)
    res = linmod.ols("y ~ x", data=series)
    dw = durbin_watson(res, order_by=text).statistic
    assert_allclose(dw, _reference(series, series["when"]), rtol=1e-12)
    assert dw < 1.0  # the autocorrelation is seen (sorted as text, DW was near 2)
    independence = res.check(order_by=text).checks["independence"]  # the key resolved once
    assert_allclose(independence.key_test.statistic, dw, rtol=1e-15)
    assert independence.verdict == "violated"


def test_numbers_written_as_text_are_ordered_as_numbers(series):
    position = series["when"].rank(method="first").astype(int)
    text = position.astype(str)  # "10" would sort before "9" as text
    res = linmod.ols("y ~ x", data=series)
    dw = durbin_watson(res, order_by=text).statistic
    assert_allclose(dw, _reference(series, position), rtol=1e-12)


def test_times_with_offsets_are_ordered_as_instants():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"x": rng.standard_normal(6), "y": rng.standard_normal(6)})
    stamps = [
        "2024-01-02T10:00+01:00",
        "2024-01-02T08:30+00:00",
        "2024-01-02T09:45+00:00",
        "2024-01-02T11:00+02:00",
        "2024-01-02T08:00+00:00",
        "2024-01-02T12:00+00:00",
    ]
    instants = pd.Series(pd.to_datetime(stamps, utc=True))
    res = linmod.ols("y ~ x", data=frame)
    dw = durbin_watson(res, order_by=pd.Series(stamps)).statistic
    assert_allclose(dw, _reference(frame, instants), rtol=1e-12)


def test_dates_that_read_two_ways_are_refused(series):
    early = series["when"][series["when"].dt.day <= 12].head(40)
    frame = series.loc[early.index]
    res = linmod.ols("y ~ x", data=frame)
    with pytest.raises(InputError, match=r"read two ways .*'%m/%d/%Y' or '%d/%m/%Y'"):
        durbin_watson(res, order_by=early.dt.strftime("%m/%d/%Y"))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["Q1", "Q2", "Q3", "Q4"] * 30, "neither numbers nor dates"),
        (["2024-01-01"] * 119 + [None], r"1 missing value\(s\) in the rows fitted \(row 120\)"),
    ],
)
def test_other_text_and_missing_keys_are_refused(series, values, message):
    res = linmod.ols("y ~ x", data=series)
    with pytest.raises(InputError, match=message):
        res.check(order_by=pd.Series(values, dtype=object))


def test_two_digit_years_across_a_century_are_refused_and_within_one_ordered():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"x": rng.standard_normal(4), "y": rng.standard_normal(4)})
    res = linmod.ols("y ~ x", data=frame)
    with pytest.raises(InputError, match="two-digit years that read across a century"):
        durbin_watson(res, order_by=pd.Series(["12/31/67", "01/01/68", "12/31/68", "01/13/69"]))
    stamps = ["06/30/05", "12/31/95", "01/01/00", "03/01/03"]  # 2005, 1995, 2000, 2003
    dw = durbin_watson(res, order_by=pd.Series(stamps)).statistic
    years = pd.Series(pd.to_datetime(stamps, format="%m/%d/%y"))
    assert_allclose(dw, _reference(frame, years), rtol=1e-12)


def test_the_independence_note_names_the_order_the_residuals_are_tested_in():
    # it said "tests the residuals in row order (order_by given)" when they were sorted
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"x": rng.standard_normal(30), "t": rng.permutation(30)})
    frame["y"] = frame["x"] + rng.standard_normal(30)
    res = linmod.ols("y ~ x", data=frame)

    def notes(**order: object) -> tuple[str, ...]:
        return res.check(**order)["independence"].notes

    assert notes(order_by="t")[0] == "tests the residuals ordered by 't'"
    assert notes(order_by=frame["t"].to_numpy())[0] == (
        "tests the residuals in the order order_by gives"
    )
    assert notes()[0].startswith("tests the residuals in row order; meaningful only")


def test_order_by_names_a_data_column_outside_the_model(series):
    # a time column that is not a predictor: the CLI's --order-by took it, check() refused it
    frame = series.copy()
    frame.loc[[4, 9], "x"] = np.nan  # dropped rows: the key follows the rows used
    res = linmod.ols("y ~ x", data=frame, missing="drop")
    kept = frame.dropna()
    import statsmodels.api as sm

    fit = sm.OLS(kept["y"].to_numpy(), sm.add_constant(kept["x"].to_numpy())).fit()
    expected = sm_durbin_watson(fit.resid[np.argsort(kept["when"].to_numpy(), kind="stable")])
    report = res.check(order_by="when")
    assert_allclose(report["independence"].tests[0].statistic, expected, rtol=1e-10)
    assert report["independence"].notes[0] == "tests the residuals ordered by 'when'"
    with pytest.raises(InputError, match="not a column of the design or of the data"):
        res.check(order_by="nope")
