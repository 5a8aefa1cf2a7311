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
