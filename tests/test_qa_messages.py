"""Messages for inputs a user gets wrong, found in QA: each names the column and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError, LinmodError

from .conftest import load_dataset


@pytest.fixture(scope="module")
def mtcars():
    return load_dataset("mtcars")


def test_prediction_with_a_missing_category_is_a_missing_prediction(mtcars):
    fit = linmod.ols("mpg ~ wt + C(cyl)", data=mtcars)
    new = pd.DataFrame({"wt": [3.0, 2.0], "cyl": [np.nan, 4]})
    predicted = fit.predict(new)["fit"].to_numpy()
    assert np.isnan(predicted[0])
    expected = fit.predict(pd.DataFrame({"wt": [2.0], "cyl": [4]}))["fit"].iloc[0]
    assert predicted[1] == pytest.approx(expected, rel=1e-14)


def test_a_category_of_another_type_says_so(mtcars):
    fit = linmod.ols("mpg ~ wt + C(cyl)", data=mtcars)
    with pytest.raises(
        InputError, match=r"column 'cyl' has '6' \(str\) where the model saw 4, 6, 8"
    ):
        fit.predict(pd.DataFrame({"wt": [3.0], "cyl": ["6"]}))
    with pytest.raises(InputError, match=r"level\(s\) 5 not seen when fitting \(known: 4, 6, 8\)"):
        fit.predict(pd.DataFrame({"wt": [3.0], "cyl": [5]}))


def test_a_formula_parse_error_has_no_terminal_colour_codes(mtcars):
    with pytest.raises(InputError, match=r"cannot be parsed") as caught:
        linmod.ols("mpg ~ wt +", data=mtcars)
    assert "\x1b" not in str(caught.value)
    assert "mpg ~ wt [+]" in str(caught.value)


def test_an_empty_column_is_named(mtcars):
    data = mtcars.assign(z=np.nan)
    with pytest.raises(InputError, match=r"column\(s\) 'z' have no values at all"):
        linmod.ols("mpg ~ wt + z", data=data, missing="drop")


def test_a_date_column_asks_for_a_number(mtcars):
    data = mtcars.assign(day=pd.date_range("2020-01-01", periods=len(mtcars)))
    with pytest.raises(InputError, match=r"column 'day' holds dates .*\.dt\.days"):
        linmod.ols("mpg ~ wt + day", data=data)
    as_number = data.assign(day=(data["day"] - data["day"].min()).dt.days)
    assert "day" in linmod.ols("mpg ~ wt + day", data=as_number).coef.index


def test_check_on_a_second_pass_fit_points_to_its_diagnostics(tmp_path, mtcars):
    path = tmp_path / "m.csv"
    mtcars.to_csv(path, index=False)
    fit = linmod.ols("mpg ~ wt", data=path, chunksize=10, second_pass=True)
    with pytest.raises(
        LinmodError, match=r"second pass has the residual statistics: \.diagnostics"
    ):
        fit.check()
    once = linmod.ols("mpg ~ wt", data=path, chunksize=10)
    with pytest.raises(LinmodError, match="fit with second_pass=True"):
        once.check()


@pytest.mark.parametrize("fit", [linmod.ols, linmod.lasso, linmod.ridge, linmod.elastic_net])
def test_levels_for_in_memory_data_are_refused_not_ignored(mtcars, fit):
    with pytest.raises(InputError, match=r"levels= is for streamed or Dask data.*C\(x, levels"):
        fit("mpg ~ wt + C(cyl)", data=mtcars, levels={"cyl": [8, 6, 4]})


def test_missing_values_of_categorical_and_bool_columns_predict_nan():
    # Found in review: a pandas Categorical without the fill level raised a pandas
    # TypeError, and a bool column with None a formulaic encoding error.
    rng = np.random.default_rng(1)
    n = 60
    data = pd.DataFrame(
        {"g": rng.choice(["a", "b", "c"], n), "x": rng.normal(size=n), "flag": rng.random(n) > 0.5}
    )
    data["y"] = data.x + (data.g == "b") * 2 + data.flag + rng.normal(size=n) * 0.1
    fit = linmod.ols("y ~ g + x + flag", data=data)
    categories = data.iloc[:4].copy()
    categories["g"] = pd.Categorical(["b", "c", "b", None], categories=["b", "c"])
    predicted = fit.predict(categories)["fit"].to_numpy()
    plain = categories.iloc[:3].assign(g=["b", "c", "b"])
    assert np.isnan(predicted[3])
    assert np.allclose(predicted[:3], fit.predict(plain)["fit"].to_numpy(), rtol=1e-14)
    flags = data.iloc[:4].copy()
    flags["flag"] = flags["flag"].astype(object)
    flags.loc[flags.index[1], "flag"] = None
    predicted = fit.predict(flags)["fit"].to_numpy()
    complete = fit.predict(data.iloc[:4])["fit"].to_numpy()
    assert np.isnan(predicted[1])
    assert np.allclose(predicted[[0, 2, 3]], complete[[0, 2, 3]], rtol=1e-14)


def test_formulas_do_not_trip_over_unused_columns():
    # Found in review: checks by name matched unused columns (a date named like a word
    # of the formula, an unused duplicated name, a pandas categorical of text).
    rng = np.random.default_rng(7)
    n = 30
    data = pd.DataFrame(
        {"y": rng.normal(size=n), "x": rng.uniform(1, 2, n), "g": rng.choice(["day", "night"], n)}
    )
    dated = data.assign(log=pd.date_range("2020-01-01", periods=n), day=pd.Timestamp(0))
    assert "np.log(x)" in linmod.ols("y ~ np.log(x)", data=dated).coef.index
    assert len(linmod.ols("y ~ C(g, levels=['night', 'day'])", data=dated).coef) == 2
    noted = pd.concat([data, pd.DataFrame({"note": ["a"] * n, "note2": ["b"] * n})], axis=1)
    noted.columns = [*data.columns, "note", "note"]
    assert list(linmod.ols("y ~ x", data=noted).coef.index) == ["Intercept", "x"]
    zips = data.assign(zip=pd.Categorical(rng.choice(["02139", "10001", "n/a"], n)))
    assert len(linmod.ols("y ~ zip", data=zips).coef) == 3
