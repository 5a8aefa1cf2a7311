"""A Categorical column in streamed and Dask fits is coded as in memory (and in R): its
unused categories are left out (``drop.unused.levels``) and its own order of categories
sets the reference level.  Before, a streamed or Dask fit added an all-NaN coefficient for
each unused category and sorted the categories by name, changing the reference level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.data.chunk_encoding import levels_seen

RTOL = 1e-10
ORDER = ["c", "zz", "a", "b"]  # 'zz' is never used


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    n = 120
    g = rng.choice(["a", "b", "c"], n)
    x = rng.standard_normal(n)
    y = pd.Series(g).map({"a": 0.5, "b": 1.5, "c": -1.0}).to_numpy() + x + rng.normal(size=n)
    return pd.DataFrame({"g": pd.Categorical(g, categories=ORDER), "x": x, "y": y})


def _reference(frame: pd.DataFrame) -> np.ndarray:
    """statsmodels with the used levels, in the Categorical's order, declared."""
    fit = smf.ols("y ~ C(g, levels=['c', 'a', 'b']) + x", data=frame.astype({"g": str})).fit()
    return fit.params.to_numpy()


def test_in_memory_fit_is_the_reference(frame) -> None:
    res = linmod.ols("y ~ g + x", data=frame)
    assert res.names.tolist() == ["Intercept", "g[T.a]", "g[T.b]", "x"]
    assert_allclose(res.coef.to_numpy(), _reference(frame), rtol=RTOL)


@pytest.mark.parametrize("source", ["parquet", "parquet chunks", "frames"])
def test_streamed_fit_codes_a_categorical_as_in_memory(frame, tmp_path, source) -> None:
    path = tmp_path / "cat.parquet"
    frame.to_parquet(path, row_group_size=40)
    if source == "frames":
        res = linmod.ols("y ~ g + x", data=[frame.iloc[:50], frame.iloc[50:]], chunksize=30)
    else:
        res = linmod.ols("y ~ g + x", data=str(path), chunksize=25 if "chunks" in source else 10**5)
    assert res.names.tolist() == ["Intercept", "g[T.a]", "g[T.b]", "x"]
    assert_allclose(res.coef.to_numpy(), _reference(frame), rtol=RTOL)


def test_dask_fit_codes_a_categorical_as_in_memory(frame, tmp_path) -> None:
    pytest.importorskip("dask.dataframe")
    path = tmp_path / "cat.parquet"
    frame.to_parquet(path, row_group_size=40)
    res = linmod.ols("y ~ g + x", data=str(path), engine="dask")
    assert res.names.tolist() == ["Intercept", "g[T.a]", "g[T.b]", "x"]
    assert_allclose(res.coef.to_numpy(), _reference(frame), rtol=RTOL)


def test_levels_seen_over_chunks() -> None:
    categorical = pd.Series(pd.Categorical(["b", "c", "b"], categories=["c", "x", "b", "a"]))
    later = pd.Series(pd.Categorical(["a"], categories=["c", "x", "b", "a"]))
    text = pd.Series(["q", "d"])
    counts = [s.value_counts() for s in (categorical, later, text)]
    assert levels_seen(counts) == ["c", "b", "a", "d", "q"]
    assert levels_seen([text.value_counts()]) == ["d", "q"]
