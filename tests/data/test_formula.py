"""Formulas, categorical coding, exact polynomial columns, missing values and bad input."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.data.polynomial import parse_power
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture
def houses():
    return linmod.datasets.house_prices(n=200)


def test_formula_matches_statsmodels_with_categoricals_logs_and_interactions(houses):
    formula = "price ~ square_feet * bathrooms + C(garage) + np.log(age + 1)"
    ours = linmod.ols(formula, data=houses)
    theirs = smf.ols(formula, data=houses).fit()
    # statsmodels orders factor columns first; match by name after mapping C(...) labels.
    ref = theirs.params.rename(lambda s: s.replace("[T.", "[T."))
    for name, value in ours.coef.items():
        assert_allclose(value, ref[name], rtol=1e-10, err_msg=name)
    assert_allclose(ours.std_err[list(ref.index)], theirs.bse, rtol=1e-10)


def test_terms_keep_formula_order_and_intercept_first(houses):
    res = linmod.ols("price ~ age + C(garage) + square_feet", data=houses)
    assert list(res.coef.index) == [
        "Intercept",
        "age",
        "C(garage)[T.1]",
        "C(garage)[T.2]",
        "square_feet",
    ]


@pytest.mark.parametrize("formula", ["price ~ 0 + square_feet", "price ~ square_feet - 1"])
def test_no_intercept(houses, formula):
    res = linmod.ols(formula, data=houses)
    assert list(res.coef.index) == ["square_feet"]
    x, y = houses["square_feet"].to_numpy(), houses["price"].to_numpy()
    assert_allclose(res.coef["square_feet"], (x @ y) / (x @ x), rtol=1e-13)
    # R's uncentred R² for models without an intercept
    assert_allclose(res.r_squared, 1 - res.ssr / (y @ y), rtol=1e-13)


def test_reference_level_and_ordinal_coding():
    data = pd.DataFrame(
        {
            "y": [1.0, 2.5, 2.9, 4.2, 5.1, 6.3, 6.8, 8.1],
            "size": list("SMLSMLLM"),
            "g": list("abcabcab"),
        }
    )
    res = linmod.ols("y ~ C(g, contr.treatment('b'))", data=data)
    assert [n.split("[")[1] for n in res.coef.index[1:]] == ["T.a]", "T.c]"]
    means = data.groupby("g")["y"].mean()
    assert_allclose(res.coef.iloc[0], means["b"], rtol=1e-13)

    ordered = linmod.ols('y ~ ordinal(size, ["S", "M", "L"])', data=data)
    codes = data["size"].map({"S": 1, "M": 2, "L": 3}).to_numpy(dtype=float)
    slope = np.polyfit(codes, data["y"], 1)[0]
    assert_allclose(ordered.coef.iloc[1], slope, rtol=1e-12)
    with pytest.raises(InputError, match=r"'XL' are not among the levels"):
        linmod.ordinal(["S", "XL"], ["S", "M", "L"])


def test_polars_frames_keep_column_names(houses):
    frame = pl.from_pandas(houses)
    res = linmod.ols("price ~ square_feet + age", data=frame)
    ref = linmod.ols("price ~ square_feet + age", data=houses)
    assert_allclose(res.coef, ref.coef, rtol=1e-15)
    arrays = linmod.ols(frame.select(["square_feet", "age"]), frame["price"])
    assert list(arrays.coef.index) == ["Intercept", "square_feet", "age"]
    assert_allclose(arrays.coef.to_numpy(), ref.coef.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("I(x ** 3)", ("x", [3])),
        ("np.power(x, 2)", ("x", [2])),
        ("poly(x, 3, raw=True)", ("x", [1, 2, 3])),
        ("I(`my.x` ** 2)", ("my.x", [2])),
        ("poly(x, 3)", None),
        ("I(x ** 0.5)", None),
        ("np.log(x)", None),
    ],
)
def test_power_terms_are_recognised(expression, expected):
    assert parse_power(expression) == expected


def test_polynomial_columns_carry_the_exact_power():
    x = np.array([-3.1415926535, 2.718281828, 7.123456789])
    design = linmod.ols("y ~ I(x**7)", data={"x": x, "y": [1.0, 2.0, 4.0]}).design
    for i, value in enumerate(x):
        exact = Fraction(value) ** 7
        carried = Fraction(design.x[i, 1]) + Fraction(design.x_lo[i, 1])
        assert abs(float((carried - exact) / exact)) < 1e-30


def test_missing_values_raise_by_default_and_name_column_and_rows():
    air = load_dataset("airquality")
    with pytest.raises(InputError, match=r"column 'Ozone' has 37 missing values in rows 5, 10"):
        linmod.ols("Ozone ~ Wind", data=air)


def test_missing_drop_reports_the_count():
    air = load_dataset("airquality")
    res = linmod.ols("Ozone ~ `Solar.R` + Wind", data=air, missing="drop")
    assert res.design.n_dropped == 42
    assert res.n_obs == 111
    assert "(42 observations deleted due to missingness)" in res.summary()


def test_missing_categorical_is_not_silently_encoded():
    data = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 5.0], "g": ["a", None, "b", "a", "b"]})
    with pytest.raises(InputError, match="column 'g' has 1 missing values in row 2"):
        linmod.ols("y ~ C(g)", data=data)
    assert linmod.ols("y ~ C(g)", data=data, missing="drop").n_obs == 4


@pytest.mark.parametrize(
    ("formula", "data", "message"),
    [
        (
            "price ~ sqft",
            {"price": [1.0, 2.0, 3.0], "sq_ft": [1.0, 2.0, 4.0]},
            r"'sqft' is not a column of the data .* did you mean 'sq_ft'",
        ),
        ("~ x", {"x": [1.0, 2.0]}, "has no response"),
        ("y ~ x +", {"x": [1.0, 2.0], "y": [1.0, 2.0]}, "cannot be parsed"),
        (
            "y ~ x",
            {"x": [1.0, np.inf, 3.0], "y": [1.0, 2.0, 3.0]},
            r"'x' has 1 infinite values in row 2",
        ),
        (
            "y ~ np.log(x)",
            {"x": [0.0, 1.0, 2.0], "y": [1.0, 2.0, 4.0]},
            r"'np.log\(x\)' is not finite in row 1",
        ),
        ("y ~ x", {"x": [], "y": []}, "no rows"),
        ("y ~ x", {"x": [1.0, 2.0, 3.0], "y": [2.0, 2.0, 2.0]}, "'y' is constant"),
        (
            "y ~ x + z",
            {"x": [1.0, 2.0], "z": [3.0, 1.0], "y": [1.0, 2.0]},
            r"2 rows but 3 parameters .* \(Ridge or Lasso\)",
        ),
        (
            "g ~ x",
            {"x": [1.0, 2.0, 3.0], "g": ["a", "b", "c"]},
            "the response .g. holds categories, not numbers",
        ),
    ],
)
def test_bad_formula_input(formula, data, message):
    with pytest.raises(InputError, match=message):
        linmod.ols(formula, data=data)


def test_bad_arguments():
    data = {"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 4.0]}
    with pytest.raises(InputError, match="missing='keep' is not known"):
        linmod.ols("y ~ x", data=data, missing="keep")
    with pytest.raises(InputError, match="solver='fast' is not known"):
        linmod.ols("y ~ x", data=data, solver="fast")
    with pytest.raises(InputError, match="a formula needs data="):
        linmod.ols("y ~ x")
    with pytest.raises(InputError, match="on_singular='ignore' is not known"):
        linmod.ols("y ~ x", data=data, on_singular="ignore")


# ------------------------------------------------------ R's spellings in a formula
@pytest.fixture(scope="module")
def mtcars_frame() -> pd.DataFrame:
    from ..conftest import DATA_DIR

    return pd.read_csv(DATA_DIR / "mtcars.csv")


@pytest.mark.parametrize(
    ("formula", "advice"),
    [
        ("mpg ~ factor(cyl)", "for a categorical variable write C(cyl) (R's factor(cyl))"),
        ("mpg ~ wt + as.factor(cyl)", "write C(cyl) (R's as.factor(cyl))"),
        ("mpg ~ ns(wt, 3)", "R's natural spline ns() is cr(wt, df=k) here"),
        ("mpg ~ relevel(factor(cyl), 8)", "write C(x, Treatment(reference=level))"),
        ("mpg ~ offset(wt) + hp", "subtract the offset from the response, write I(mpg - wt) ~ hp"),
    ],
)
def test_r_only_functions_say_how_to_write_them_here(mtcars_frame, formula, advice):
    with pytest.raises(linmod.InputError) as caught:  # not formulaic's NameError/SyntaxError
        linmod.ols(formula, data=mtcars_frame)
    assert advice in str(caught.value)
    assert formula in str(caught.value)


@pytest.mark.parametrize(
    ("formula", "response", "offset", "rest"),
    [
        # a nested call: the hint was cut to 'I(y - np.log) ~ x'
        ("mpg ~ wt + offset(np.log(hp))", "mpg", "np.log(hp)", "wt"),
        (
            "np.log(mpg) ~ offset(np.log(hp)) + wt + C(cyl)",
            "np.log(mpg)",
            "np.log(hp)",
            "wt + C(cyl)",
        ),
        ("mpg ~ offset(hp / 100)", "mpg", "hp / 100", "1"),
    ],
)
def test_the_offset_rewrite_runs_and_is_rs_offset_fit(
    mtcars_frame, formula, response, offset, rest
):
    """The formula offered instead of offset() fits what R's lm(... + offset(...)) fits:
    the coefficients of the response less the offset (statsmodels' OLS on y - offset)."""
    with pytest.raises(linmod.InputError) as caught:
        linmod.ols(formula, data=mtcars_frame)
    rewritten = re.search(r"write (.*?), and add it back", str(caught.value))
    assert rewritten, str(caught.value)
    assert rewritten.group(1) == f"I({response} - {offset}) ~ {rest}"
    res = linmod.ols(rewritten.group(1), data=mtcars_frame)
    env = {"np": np, **{c: mtcars_frame[c] for c in mtcars_frame.columns}}
    adjusted = eval(response, env) - eval(offset, env)
    expected = smf.ols(f"adjusted ~ {rest}", data=mtcars_frame.assign(adjusted=adjusted)).fit()
    expected_coef = expected.params[res.coef.index]  # statsmodels puts factors first
    np.testing.assert_allclose(res.coef.to_numpy(), expected_coef.to_numpy(), rtol=1e-10)


def test_sqrt_and_abs_are_in_the_formula_context_as_in_r(mtcars_frame, tmp_path):
    res = linmod.ols("mpg ~ sqrt(hp) + abs(wt - 3)", data=mtcars_frame)
    assert res.coef.index.tolist() == ["Intercept", "sqrt(hp)", "abs(wt - 3)"]
    design = np.column_stack(
        [np.ones(32), np.sqrt(mtcars_frame["hp"]), np.abs(mtcars_frame["wt"] - 3.0)]
    )
    expected = np.linalg.lstsq(design, mtcars_frame["mpg"], rcond=None)[0]
    assert_allclose(res.coef.to_numpy(), expected, rtol=1e-12)
    res.save(tmp_path / "m.json")  # a saved model evaluates them again when predicting
    loaded = linmod.load(tmp_path / "m.json").predict(mtcars_frame.head(3))
    assert_allclose(loaded["fit"].to_numpy(), design[:3] @ expected, rtol=1e-12)


def test_a_formula_python_cannot_parse_is_an_input_error(mtcars_frame):
    # formulaic hands Python's SyntaxError on (a keyword as a name) through
    with pytest.raises(linmod.InputError, match=r"'mpg ~ lambda\(wt\)' cannot be parsed: "):
        linmod.ols("mpg ~ lambda(wt)", data=mtcars_frame)


def test_streamed_and_dask_fits_say_how_to_write_r_functions_too(mtcars_frame, tmp_path):
    path = tmp_path / "cars.csv"
    mtcars_frame.to_csv(path, index=False)
    advice = "for a categorical variable write C(cyl) (R's factor(cyl))"
    with pytest.raises(linmod.InputError, match=re.escape(advice)):
        linmod.ols("mpg ~ factor(cyl)", data=str(path), chunksize=10)
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_pandas(mtcars_frame.drop(columns="model"), npartitions=2)
    with pytest.raises(linmod.InputError, match=re.escape(advice)):
        linmod.ols("mpg ~ factor(cyl)", data=frame)
