"""A text column with one value on every row, in streamed and Dask fits as in memory:
``y ~ .`` leaves it out with a warning, a formula naming it is refused.  One value means
one over ALL the chunks: a column constant in the first chunk that varies later is a
factor like any other."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError, LinmodWarning

RTOL = 1e-10  # streamed against in-memory QR (the streaming tests' tolerance)
N = 40
LEFT_OUT = r"column 'site' has one value, 'north', on every row: .*'\.' leaves it out"
REFUSED = (
    r"column 'site' has one value, 'north', on every row: it cannot be estimated beside "
    r"the intercept; leave it out of the formula"
)


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    return pd.DataFrame(
        {
            "y": rng.normal(size=N),
            "x": rng.normal(size=N),
            "site": ["north"] * N,
            "g": rng.choice(["a", "b", "c"], N),
        }
    )


def _source(tmp_path, frame: pd.DataFrame, kind: str):
    if kind == "csv":
        path = tmp_path / "data.csv"
        frame.to_csv(path, index=False)
        return path
    if kind == "parquet":
        path = tmp_path / "data.parquet"
        frame.to_parquet(path)
        return path
    return [frame.iloc[:15], frame.iloc[15:]]  # a list of frames


SOURCES = [("csv", None), ("csv", 7), ("parquet", None), ("parquet", 7), ("frames", None)]


@pytest.mark.parametrize(("kind", "chunksize"), SOURCES)
def test_dot_leaves_a_one_value_column_out_with_the_in_memory_warning(tmp_path, kind, chunksize):
    frame = _frame()
    options = {} if chunksize is None else {"chunksize": chunksize}
    with pytest.warns(LinmodWarning, match=LEFT_OUT) as record:
        streamed = linmod.ols("y ~ .", data=_source(tmp_path, frame, kind), **options)
    assert sum("'site' has one value" in str(w.message) for w in record) == 1
    # the in-memory fit of the data without the column (it warned alike)
    memory = linmod.ols("y ~ x + g", data=frame.drop(columns="site"))
    assert list(streamed.design.column_names) == list(memory.design.column_names)
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)
    assert_allclose(streamed.std_err, memory.std_err, rtol=RTOL)
    with pytest.warns(LinmodWarning, match=LEFT_OUT):
        assert list(linmod.ols("y ~ .", data=frame).coef.index) == list(memory.coef.index)


@pytest.mark.parametrize(("kind", "chunksize"), SOURCES)
@pytest.mark.parametrize("formula", ["y ~ x + site", "y ~ x + C(site)", "y ~ x + C(site) + g"])
def test_a_named_one_value_column_is_refused_as_in_memory(tmp_path, kind, chunksize, formula):
    frame = _frame()
    options = {} if chunksize is None else {"chunksize": chunksize}
    with pytest.raises(InputError, match=REFUSED):
        linmod.ols(formula, data=frame)
    with pytest.raises(InputError, match=REFUSED):
        linmod.ols(formula, data=_source(tmp_path, frame, kind), **options)


@pytest.mark.parametrize("kind", ["csv", "parquet", "frames"])
@pytest.mark.parametrize("formula", ["y ~ .", "y ~ x + site + g", "y ~ x + C(site) + g"])
def test_a_column_constant_in_the_first_chunk_only_is_a_factor(tmp_path, kind, formula):
    frame = _frame()
    frame.loc[33, "site"] = "south"  # chunks of 7 rows: 'north' only in the first four
    memory = linmod.ols(formula, data=frame)  # warnings are errors: none is expected
    streamed = linmod.ols(formula, data=_source(tmp_path, frame, kind), chunksize=7)
    assert list(streamed.design.column_names) == list(memory.design.column_names)
    assert any("south" in name for name in memory.design.column_names)
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)


def test_without_an_intercept_or_with_a_missing_value_it_is_kept_as_in_memory(tmp_path):
    frame = _frame()
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    for formula in ("y ~ 0 + site + x", "y ~ x + site - 1"):  # its one column is estimated
        memory = linmod.ols(formula, data=frame)
        streamed = linmod.ols(formula, data=path, chunksize=7)
        assert "site[north]" in list(streamed.design.column_names)
        assert_allclose(streamed.coef, memory.coef, rtol=RTOL)
    holes = frame.astype({"site": object})
    holes.loc[30, "site"] = np.nan  # missing values: their own rules, not this one
    holes.to_csv(path, index=False)
    memory = linmod.ols("y ~ x + site", data=holes, missing="drop")
    streamed = linmod.ols("y ~ x + site", data=path, chunksize=7, missing="drop")
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_dask_fit_screens_the_column_over_every_partition(tmp_path, kind):
    pytest.importorskip("dask.dataframe")
    frame = _frame()
    path = str(_source(tmp_path, frame, kind))
    with pytest.warns(LinmodWarning, match=LEFT_OUT):
        fitted = linmod.ols("y ~ .", data=path, engine="dask")
    memory = linmod.ols("y ~ x + g", data=frame)
    assert list(fitted.design.column_names) == list(memory.design.column_names)
    assert_allclose(fitted.coef, memory.coef, rtol=RTOL)
    for formula in ("y ~ x + site", "y ~ x + C(site)"):
        with pytest.raises(InputError, match=REFUSED):
            linmod.ols(formula, data=path, engine="dask")
