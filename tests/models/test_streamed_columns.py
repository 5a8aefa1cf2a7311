"""Column types of streamed, penalised out-of-core and Dask fits: the in-memory rules (issue 12).

A word in a column of numbers is refused with the column, the word and its 1-based row
(items 2), wherever it sits; a True/False column is one 0/1 term that predicts (item 10).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError


def _word_frame(n: int = 120, row: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(12)
    frame = pd.DataFrame({"x": rng.normal(size=n).round(4), "y": rng.normal(size=n)})
    frame["x"] = frame["x"].astype(object)
    frame.loc[row, "x"] = "unknown"
    return frame


def _message(where: str) -> str:
    return rf"{where}: column 'x' holds text where numbers are expected: 1 value\(s\) .*'unknown'"


def test_the_in_memory_fit_refuses_the_word():
    with pytest.raises(InputError, match="column 'x' holds text"):
        linmod.ols("y ~ x", data=_word_frame())


@pytest.mark.parametrize("chunksize", [20, 50, 1000])
@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_streamed_fit_refuses_a_word_in_a_numeric_column(tmp_path, suffix, chunksize):
    frame = _word_frame()
    path = tmp_path / f"word.{suffix}"
    if suffix == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.astype({"x": str}).to_parquet(path)  # a text column, as Parquet holds it
    with pytest.raises(InputError, match=_message(r"word\.\w+ row 41")):
        linmod.ols("y ~ x", data=path, chunksize=chunksize)


def test_a_word_after_numeric_chunks_is_refused_with_its_row(tmp_path):
    # The first chunks are all numbers (read as float64); the word comes in the third.
    path = tmp_path / "late.csv"
    _word_frame(row=110).to_csv(path, index=False)
    with pytest.raises(InputError, match=_message(r"late\.csv row 111")):
        linmod.ols("y ~ x", data=path, chunksize=50)
    with pytest.raises(InputError, match=_message(r"late\.csv row 111")):
        linmod.ols("y ~ x", data=path, chunksize=50, second_pass=True)


def test_frames_and_one_shot_iterators_refuse_the_word_too():
    frame = _word_frame()
    numeric = frame.drop(index=40).astype({"x": float})
    chunks = [numeric.iloc[:60], frame.iloc[100:]]  # the word in the second frame's row 1
    chunks[1].loc[100, "x"] = "unknown"
    with pytest.raises(InputError, match=_message("chunk 1 row 61")):
        linmod.ols("y ~ x", data=chunks)
    with pytest.raises(InputError, match=_message("chunk 0 row 41")):
        linmod.ols("y ~ x", data=iter([frame.iloc[:60], frame.iloc[60:]]))


def test_penalised_out_of_core_fits_refuse_the_word(tmp_path):
    path = tmp_path / "word.csv"
    _word_frame().to_csv(path, index=False)
    with pytest.raises(InputError, match=_message(r"word\.csv row 41")):
        linmod.ridge("y ~ x", data=path, alpha=1.0, chunksize=30)
    with pytest.raises(InputError, match=_message(r"word\.csv row 41")):
        linmod.lasso("y ~ x", data=path, alpha="cv", cv=3, chunksize=30)


def test_dask_fits_refuse_the_word():
    dd = pytest.importorskip("dask.dataframe")
    early = dd.from_pandas(_word_frame(), npartitions=3)  # within the first rows
    with pytest.raises(InputError, match=_message("the Dask DataFrame row 41")):
        linmod.ols("y ~ x", data=early)
    late = dd.from_pandas(_word_frame(row=110), npartitions=3)  # partition 2 holds 80..119
    with pytest.raises(InputError, match=_message("partition 2 row 31")):
        linmod.ols("y ~ x", data=late)


def test_words_and_c_stay_factors(tmp_path):
    frame = _word_frame()
    path = tmp_path / "word.csv"
    frame.to_csv(path, index=False)
    asked = linmod.ols("y ~ C(x)", data=path, chunksize=1000)
    assert len(asked.coef) == frame["x"].astype(str).nunique()
    kinds = frame.assign(kind=np.where(np.arange(len(frame)) % 3 == 0, "a", "b")).drop(columns="x")
    kinds.to_csv(path, index=False)
    assert list(linmod.ols("y ~ kind", data=path, chunksize=50).coef.index) == [
        "Intercept",
        "kind[T.b]",
    ]


@pytest.fixture
def flagged() -> pd.DataFrame:
    rng = np.random.default_rng(10)
    frame = pd.DataFrame({"x": rng.normal(size=90), "b": rng.random(90) > 0.5})
    frame["y"] = 1.0 + frame["x"] - 2.0 * frame["b"] + rng.normal(size=90)
    return frame


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_streamed_fit_with_a_bool_column_predicts(tmp_path, flagged, suffix):
    path = tmp_path / f"flags.{suffix}"
    getattr(flagged, f"to_{suffix}")(path, index=False)
    streamed = linmod.ols("y ~ x + b", data=path, chunksize=25)
    memory = linmod.ols("y ~ x + b", data=flagged)
    reference = sm.OLS(flagged["y"], sm.add_constant(flagged[["x", "b"]].astype(float))).fit()
    assert list(streamed.coef.index) == ["Intercept", "x", "b"]
    assert_allclose(streamed.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-12)
    new = flagged.head(7)
    assert_allclose(
        streamed.predict(new).to_numpy(), memory.predict(new).to_numpy(), rtol=1e-12, atol=0
    )
    assert_allclose(
        streamed.predict(new)["fit"],
        reference.predict(sm.add_constant(new[["x", "b"]].astype(float), has_constant="add")),
        rtol=1e-12,
    )
    with pytest.raises(InputError, match="column 'b' has level"):
        streamed.predict(new.assign(b="yes"))


def test_a_missing_flag_in_a_later_chunk_keeps_the_bool_term(tmp_path, flagged):
    # pandas reads a chunk of True/False with a hole as text: still one 0/1 term.
    holed = flagged.astype({"b": object})
    holed.loc[70, "b"] = None
    path = tmp_path / "holed.csv"
    holed.to_csv(path, index=False)
    streamed = linmod.ols("y ~ x + b", data=path, chunksize=25, missing="drop")
    memory = linmod.ols("y ~ x + b", data=flagged.drop(index=70))
    assert list(streamed.coef.index) == ["Intercept", "x", "b"]
    assert_allclose(streamed.coef.to_numpy(), memory.coef.to_numpy(), rtol=1e-12)
    holed.loc[80, "b"] = "maybe"
    holed.to_csv(path, index=False)
    with pytest.raises(
        InputError, match=r"holed.csv row 81: column 'b' holds 'maybe' where True or False"
    ):
        linmod.ols("y ~ x + b", data=path, chunksize=25, missing="drop")


def test_a_dask_fit_with_a_bool_column_predicts(flagged):
    dd = pytest.importorskip("dask.dataframe")
    fitted = linmod.ols("y ~ x + b", data=dd.from_pandas(flagged, npartitions=3))
    memory = linmod.ols("y ~ x + b", data=flagged)
    assert list(fitted.coef.index) == ["Intercept", "x", "b"]
    new = flagged.tail(5)
    assert_allclose(fitted.predict(new).to_numpy(), memory.predict(new).to_numpy(), rtol=1e-12)
