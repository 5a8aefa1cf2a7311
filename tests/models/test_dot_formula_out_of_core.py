"""``y ~ .`` works the same on files, iterators and Dask as in memory."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return linmod.datasets.house_prices(n=300, seed=2)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_streamed_dot_formula_equals_in_memory(tmp_path, houses, suffix):
    path = tmp_path / f"houses{suffix}"
    if suffix == ".csv":
        houses.to_csv(path, index=False)
    else:
        houses.to_parquet(path)
    streamed = linmod.ols("price ~ . - bathrooms", data=str(path), chunksize=70)
    memory = linmod.ols("price ~ square_feet + bedrooms + age + garage", data=houses)
    assert list(streamed.coef.index) == list(memory.coef.index)
    np.testing.assert_allclose(streamed.coef, memory.coef, rtol=1e-10)
    np.testing.assert_allclose(streamed.std_err, memory.std_err, rtol=1e-10)


def test_dask_dot_formula_equals_in_memory(houses):
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_pandas(houses, npartitions=3)
    fitted = linmod.ols("price ~ .", data=frame)
    memory = linmod.ols("price ~ square_feet + bedrooms + bathrooms + age + garage", data=houses)
    np.testing.assert_allclose(fitted.coef, memory.coef, rtol=1e-10)
    np.testing.assert_allclose(fitted.std_err, memory.std_err, rtol=1e-10)
