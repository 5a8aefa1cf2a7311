"""``res.bootstrap(groups="column")`` with any column of the data, as ``robust("cluster")``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture
def cars() -> pd.DataFrame:
    return load_dataset("mtcars")


@pytest.mark.parametrize("method", ["pairs", "wild"])
def test_a_column_outside_the_design_clusters_as_its_values(cars, method):
    res = linmod.ols("mpg ~ wt + hp", data=cars)
    by_name = res.bootstrap(120, method=method, groups="cyl", seed=3)
    by_values = res.bootstrap(120, method=method, groups=cars["cyl"].to_numpy(), seed=3)
    np.testing.assert_array_equal(np.asarray(by_name.replicates), np.asarray(by_values.replicates))


def test_the_column_follows_the_rows_left_after_dropping(cars):
    data = cars.copy()
    data.loc[[1, 4], "hp"] = np.nan
    res = linmod.ols("mpg ~ wt + hp", data=data, missing="drop")
    by_name = res.bootstrap(80, method="pairs", groups="gear", seed=5)
    kept = data["gear"].drop(index=[1, 4]).to_numpy()
    by_values = res.bootstrap(80, method="pairs", groups=kept, seed=5)
    np.testing.assert_array_equal(np.asarray(by_name.replicates), np.asarray(by_values.replicates))


def test_an_unknown_column_is_named_with_the_columns(cars):
    res = linmod.ols("mpg ~ wt", data=cars)
    with pytest.raises(InputError, match=r"groups='cly': no such column in the data; its columns"):
        res.bootstrap(20, groups="cly")


def test_arrays_have_no_columns_to_name():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2))
    res = linmod.ols(x, x @ [1.0, 2.0] + rng.normal(size=30))
    with pytest.raises(InputError, match="pass the labels instead"):
        res.bootstrap(20, groups="firm")
