"""Frames a formula cannot use as they are: clear errors (or warnings), never a raw
KeyError or TypeError from pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError, LinmodWarning


@pytest.fixture
def numbered() -> pd.DataFrame:
    """A frame as read_csv(header=None) gives it: columns 0, 1, 2."""
    return pd.DataFrame(np.random.default_rng(3).normal(size=(20, 3)))


@pytest.mark.parametrize("formula", ["`0` ~ `1` + `2`", "`0` ~ .", "Q('0') ~ Q('1')", "0 ~ 1 + 2"])
def test_integer_column_names_are_refused_with_the_rename(numbered, formula):
    with pytest.raises(InputError, match=r"column names 0, 1.* are int, not text") as caught:
        linmod.ols(formula, data=numbered)
    assert "df = df.add_prefix('x') and write x0 ~ x1 + x2" in str(caught.value)
    with pytest.raises(InputError, match=r"are int, not text"):
        linmod.ols(formula, data=numbered, chunksize=5)


def test_integer_names_renamed_as_the_message_says_fit(numbered):
    fit = linmod.ols("x0 ~ x1 + x2", data=numbered.add_prefix("x"))
    x = np.column_stack([np.ones(20), numbered[[1, 2]]])
    expected = np.linalg.lstsq(x, numbered[0], rcond=None)[0]
    np.testing.assert_allclose(fit.coef.to_numpy(), expected, rtol=1e-10)
    # A frame whose unused columns are not named by text still fits.
    mixed = numbered.rename(columns={0: "y", 1: "x"})
    assert list(linmod.ols("y ~ x", data=mixed).coef.index) == ["Intercept", "x"]


@pytest.fixture
def with_lists():
    pl = pytest.importorskip("polars")
    rng = np.random.default_rng(5)
    x = rng.normal(size=8)
    lists = pl.Series("l", [[1, 2], [3], [4], [5, 6], [7], [8, 9], [1], [2]])
    return pl.DataFrame({"y": 2 * x + rng.normal(size=8), "x": x}).with_columns(lists)


def test_a_polars_list_column_is_left_out_of_dot_with_a_warning(with_lists):
    with pytest.warns(linmod.LinmodWarning, match=r"column 'l' holds array values.*leaves it out"):
        fit = linmod.ols("y ~ .", data=with_lists)
    frame = with_lists.to_pandas()
    x = np.column_stack([np.ones(8), frame["x"]])
    expected = np.linalg.lstsq(x, frame["y"], rcond=None)[0]
    np.testing.assert_allclose(fit.coef.to_numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("formula", ["y ~ x + l", "y ~ C(l)", "l ~ x"])
def test_a_polars_list_column_named_in_a_formula_is_refused(with_lists, formula):
    with pytest.raises(InputError, match=r"column 'l' holds array values \(e\.g\. \[1, 2\]"):
        linmod.ols(formula, data=with_lists)


@pytest.fixture
def one_site() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    x = rng.normal(size=20)
    return pd.DataFrame({"y": x + rng.normal(size=20), "x": x, "site": ["A"] * 20})


def test_a_text_column_with_one_value_is_left_out_of_dot_with_a_warning(one_site):
    message = (
        r"column 'site' has one value, 'A', on every row: it cannot be estimated beside "
        r"the intercept; '\.' leaves it out"
    )
    with pytest.warns(linmod.LinmodWarning, match=message):
        fit = linmod.ols("y ~ .", data=one_site)
    assert fit.design.formula == "y ~ (x)"
    x = np.column_stack([np.ones(20), one_site["x"]])
    expected = np.linalg.lstsq(x, one_site["y"], rcond=None)[0]
    np.testing.assert_allclose(fit.coef.to_numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("formula", ["y ~ x + site", "y ~ x + C(site)", "y ~ site * x"])
def test_a_text_column_with_one_value_named_in_a_formula_is_refused(one_site, formula):
    with pytest.raises(InputError, match=r"'site' has one value, 'A'.*leave it out of the formula"):
        linmod.ols(formula, data=one_site)


def test_without_an_intercept_a_one_value_column_is_the_constant(one_site):
    # Its single dummy is then the column of ones, estimated as R's lm(y ~ 0 + site + x)
    # estimates it.
    x = np.column_stack([np.ones(20), one_site["x"]])
    expected = np.linalg.lstsq(x, one_site["y"], rcond=None)[0]
    for formula in ("y ~ 0 + site + x", "y ~ 0 + ."):
        coef = linmod.ols(formula, data=one_site).coef
        assert coef["x"] == pytest.approx(expected[1], rel=1e-10)
        assert coef.drop("x").to_numpy() == pytest.approx([expected[0]], rel=1e-10)


@pytest.fixture
def tilde() -> pd.DataFrame:
    rng = np.random.default_rng(13)
    x = rng.normal(size=30)
    return pd.DataFrame({"sales~net": 1 + 2 * x + rng.normal(size=30), "x": x, "a~b": x**2})


def test_a_response_with_a_tilde_in_its_name_fits_with_dot(tilde, tmp_path, capsys):
    import statsmodels.api as sm

    reference = sm.OLS(tilde["sales~net"], sm.add_constant(tilde[["x", "a~b"]])).fit()
    fit = linmod.ols("`sales~net` ~ .", data=tilde)
    assert fit.design.formula == "`sales~net` ~ (x + `a~b`)"
    np.testing.assert_allclose(fit.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10)
    path = tmp_path / "model.json"
    fit.save(path)  # the saved formula's right-hand side starts after the name
    predicted = linmod.load(path).predict(tilde.head(3))
    np.testing.assert_allclose(np.ravel(predicted), reference.fittedvalues[:3], rtol=1e-10)
    data = tmp_path / "tilde.csv"
    tilde.to_csv(data, index=False)
    assert main(["fit", str(data), "-f", "`sales~net` ~ .", "--json"]) == 0
    assert '"a~b"' in capsys.readouterr().out


@pytest.fixture
def column_one() -> pd.DataFrame:
    rng = np.random.default_rng(17)
    frame = pd.DataFrame(rng.normal(size=(25, 2)), columns=["1", "x"])
    return frame.assign(y=1 + frame["1"] - frame["x"] + rng.normal(size=25))


def test_a_column_named_1_is_in_dot_not_the_intercept(column_one, tmp_path):
    # formulaic reads `1` as the intercept even in backticks: '.' writes Q('1').
    import statsmodels.api as sm

    reference = sm.OLS(column_one["y"], sm.add_constant(column_one[["1", "x"]])).fit()
    fit = linmod.ols("y ~ .", data=column_one)
    assert fit.design.formula == "y ~ (Q('1') + x)"
    np.testing.assert_allclose(fit.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10)
    path = tmp_path / "one.json"
    fit.save(path)
    predicted = np.ravel(linmod.load(path).predict(column_one.head(3)))
    np.testing.assert_allclose(predicted, reference.fittedvalues[:3], rtol=1e-10)


@pytest.mark.parametrize("formula", ["y ~ x + `1`", "y ~ `1`", "y ~ (`1` + x)^2"])
def test_a_backticked_1_naming_a_column_is_refused(column_one, formula):
    with pytest.raises(InputError, match=r"formulaic reads `1` as the intercept.*write Q\('1'\)"):
        linmod.ols(formula, data=column_one)
    assert list(linmod.ols("y ~ x + I(`1` ** 2)", data=column_one).coef.index) == [
        "Intercept",
        "x",
        "I(`1` ** 2)",
    ]


def _dated(n: int = 40) -> pd.DataFrame:
    import datetime

    rng = np.random.default_rng(12)
    frame = pd.DataFrame(
        {
            "when": pd.date_range("2022-01-01", periods=n, freq="D"),
            "day": [datetime.date(2022, 1, 1) + datetime.timedelta(days=i) for i in range(n)],
            "took": pd.to_timedelta(rng.integers(1, 100, n), unit="min"),
            "x": rng.normal(size=n),
        }
    )
    frame["y"] = 2.0 * frame["x"] + rng.normal(size=n)
    return frame


def test_dot_leaves_out_date_and_duration_columns_with_a_warning():
    # datetime64 and timedelta64 columns stopped y ~ . with an error; Python dates (Parquet
    # date32 read by pandas) were taken for an identifier-like text column
    frame = _dated()
    with pytest.warns(LinmodWarning) as caught:
        fit = linmod.ols("y ~ .", data=frame)
    said = " ".join(str(w.message) for w in caught)
    for column in ("when", "day", "took"):
        assert f"column {column!r} holds" in said
    assert "holds dates or times (Python objects)" in said
    assert "so '.' leaves it out" in said
    reference = smf.ols("y ~ x", data=frame).fit()
    assert_allclose(fit.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-12)


def test_a_named_column_of_python_dates_is_refused_with_a_conversion_that_works():
    frame = _dated()
    with pytest.raises(InputError, match=r"holds dates or times \(Python objects\)") as error:
        linmod.ols("y ~ day + x", data=frame)
    conversion = str(error.value).split("e.g. days since the first, ")[1]
    df = frame.copy()
    exec(conversion, {"pd": pd, "df": df})  # the fix the message gives
    assert df["day"].tolist() == list(range(40))
    linmod.ols("y ~ day + x", data=df)


@pytest.mark.parametrize("formula", ["y ~ 0 + x", "y ~ x - 1", "y ~ I(x**2)", "y ~ x + 1"])
def test_numbers_in_a_formula_are_not_integer_column_names(formula):
    # a bare 0, 1 or 2 was taken for the integer-named columns 0 and 1 and refused
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"y": rng.normal(size=10), "x": rng.normal(size=10), 0: 1.0, 1: 2.0})
    fit = linmod.ols(formula, data=frame)
    reference = smf.ols(formula, data=frame.drop(columns=[0, 1])).fit()
    assert_allclose(fit.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-12)
