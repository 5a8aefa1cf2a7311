"""One rule for weights in every in-memory fit (models/row_weights.py).

ols, ridge/lasso/elastic_net, quantreg and rlm check the weights against the rows given
(messages name the row as the user numbers it, even after other rows were dropped), drop a
row whose weight is missing under ``missing="drop"`` (refuse it otherwise), and count it
with the other dropped rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset

FITS = {
    "ols": lambda **kw: linmod.ols(**kw),
    "lasso": lambda **kw: linmod.lasso(alpha=0.05, **kw),
    "ridge": lambda **kw: linmod.ridge(alpha=1.0, **kw),
    "quantreg": lambda **kw: linmod.quantreg(se="iid", **kw),
    "rlm": lambda **kw: linmod.rlm(**kw),
}


@pytest.fixture
def cars() -> pd.DataFrame:
    data = load_dataset("mtcars")[["mpg", "wt", "hp"]].copy()
    data["w"] = np.linspace(0.5, 2.0, len(data))
    data.loc[2, "hp"] = np.nan  # data row 3: incomplete
    return data


def _coef(result):
    return np.asarray(result.coef, dtype=float)


@pytest.mark.parametrize("fit", list(FITS))
def test_bad_weight_names_the_data_row_after_dropped_rows(cars, fit):
    cars.loc[5, "w"] = -1.0
    with pytest.raises(InputError, match=r"negative values in row 6;"):
        FITS[fit](formula_or_x="mpg ~ wt + hp", data=cars, weights="w", missing="drop")


@pytest.mark.parametrize("fit", list(FITS))
def test_missing_weight_drops_its_row_under_missing_drop(cars, fit):
    cars.loc[[5, 9], "w"] = np.nan
    got = FITS[fit](formula_or_x="mpg ~ wt + hp", data=cars, weights="w", missing="drop")
    complete = cars.drop(index=[2, 5, 9])
    expected = FITS[fit](formula_or_x="mpg ~ wt + hp", data=complete, weights="w")
    np.testing.assert_allclose(_coef(got), _coef(expected), rtol=1e-10)
    assert got.design.n_dropped == 3
    assert sorted(got.design.shown_dropped_labels) == [3, 6, 10]


@pytest.mark.parametrize("fit", list(FITS))
def test_missing_weight_is_refused_without_missing_drop(cars, fit):
    cars.loc[2, "hp"] = 100.0
    cars.loc[5, "w"] = np.nan
    with pytest.raises(InputError, match=r"missing \(NaN\) values in row 6"):
        FITS[fit](formula_or_x="mpg ~ wt + hp", data=cars, weights="w")


@pytest.mark.parametrize("fit", ["lasso", "quantreg", "rlm"])
def test_arrays_with_missing_drop_take_their_weights_along(cars, fit):
    x, y = cars[["wt", "hp"]].to_numpy(), cars["mpg"].to_numpy()
    w = cars["w"].to_numpy().copy()
    w[7] = np.nan
    got = FITS[fit](formula_or_x=x, y=y, weights=w, missing="drop")
    keep = np.ones(len(y), bool)
    keep[[2, 7]] = False
    expected = FITS[fit](formula_or_x=x[keep], y=y[keep], weights=w[keep])
    np.testing.assert_allclose(_coef(got), _coef(expected), rtol=1e-10)
