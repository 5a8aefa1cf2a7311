"""R's ``y ~ .``: every column except the response, expanded before fitting."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.data.formula import expand_dot
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def cars() -> pd.DataFrame:
    return load_dataset("mtcars").drop(columns="model")


def test_dot_fits_every_other_column_like_statsmodels_spelled_out(cars):
    res = linmod.ols("mpg ~ .", data=cars)
    others = [c for c in cars.columns if c != "mpg"]
    ref = smf.ols("mpg ~ " + " + ".join(others), data=cars).fit()
    assert list(res.coef.index) == ["Intercept", *others]
    np.testing.assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res.std_err.to_numpy(), ref.bse.to_numpy(), rtol=1e-10)


def test_dot_with_subtraction_transforms_and_numbers(cars):
    res = linmod.ols("np.log(mpg) ~ . - disp + I(wt * 0.5)", data=cars)
    assert "disp" not in res.coef.index
    assert list(res.coef.index[-1:]) == ["I(wt * 0.5)"]
    assert np.isnan(res.coef["I(wt * 0.5)"])  # aliased with wt, as in R


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("y ~ .", "y ~ (a + `b c`)"),
        ("y ~ . - a", "y ~ (a + `b c`) - a"),
        ("y ~ x.1 + np.log(a)", "y ~ x.1 + np.log(a)"),
        ("y ~ I(a * 0.5)", "y ~ I(a * 0.5)"),
        ("np.log(y) ~ .:a", "np.log(y) ~ (a + `b c`):a"),
        ("y~.", "y ~ (a + `b c`)"),
        # dots inside strings, backticks, {python} code and numbers are not R's dot
        ("y ~ C(a, contr.treatment('.'))", "y ~ C(a, contr.treatment('.'))"),
        ("y ~ `a . b`", "y ~ `a . b`"),
        ("y ~ {'a . b'} + .", "y ~ {'a . b'} + (a + `b c`)"),
        ("y ~ .5 + a", "y ~ .5 + a"),
    ],
)
def test_expand_dot(formula, expected):
    assert expand_dot(formula, ["y", "a", "b c"]) == expected


def test_a_column_name_with_a_backtick_cannot_be_quoted():
    with pytest.raises(InputError, match="contains a backtick"):
        expand_dot("y ~ .", ["y", "x`z"])


def test_dot_without_other_columns_is_explained():
    with pytest.raises(InputError, match="every other column"):
        expand_dot("y ~ .", ["y"])


def test_saved_dot_model_ignores_new_columns(tmp_path, cars):
    linmod.ols("mpg ~ .", data=cars).save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    extended = cars.assign(extra=1.0)
    ref = smf.ols("mpg ~ " + " + ".join(c for c in cars.columns if c != "mpg"), data=cars).fit()
    np.testing.assert_allclose(
        model.predict(extended)["fit"].to_numpy(), ref.fittedvalues.to_numpy(), rtol=1e-10
    )


def test_a_dotted_response_name_is_left_out_of_the_dot():
    # R's stackloss names its response "stack.loss": formulaic reads that as an attribute
    # of "stack", but the column is the response and must not become a predictor.
    assert expand_dot("stack.loss ~ .", ["Air.Flow", "stack.loss"]) == "stack.loss ~ (`Air.Flow`)"
    stackloss = load_dataset("stackloss")
    res = linmod.ols("stack.loss ~ .", data=stackloss)
    rhs = "Q('Air.Flow') + Q('Water.Temp') + Q('Acid.Conc.')"
    ref = smf.ols(f"Q('stack.loss') ~ {rhs}", stackloss).fit()
    np.testing.assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-12)


def test_an_unquoted_response_with_a_space_before_a_dot_gets_the_backtick_hint():
    # 'Total Sales ~ .' said only "Missing operator between `Total` and `Sales`": the
    # response's parse had no columns to name; it now says to write `Total Sales`.
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"Total Sales": rng.normal(size=30), "x": rng.normal(size=30)})
    with pytest.raises(InputError, match=r"write `Total Sales` \(backticks\)"):
        linmod.ols("Total Sales ~ .", data=frame)
    res = linmod.ols("`Total Sales` ~ .", data=frame)  # the hint, followed
    slope = np.polyfit(frame["x"], frame["Total Sales"], 1)[0]  # numpy, independently
    assert res.coef["x"] == pytest.approx(slope, rel=1e-10)
