"""A column with no value in the first chunk of a streamed CSV gets its type from the
chunks that have values, as the in-memory fit reads the whole file.

pandas reads a chunk whose column is empty as float64; the streamed fit took that for the
column's type and called the text of a later chunk "schema drift" (or a word among
numbers).  The levels pass now reads such a column too: text in a later chunk makes it a
text column (a factor, an identifier, ...), numbers keep it numbers.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.exceptions import LinmodWarning

N, CHUNK = 60, 10


def late_text(seed: int = 2) -> pd.DataFrame:
    """``g`` (levels a, b, c) and ``h`` (numbers) with no value in the first 12 rows, so
    in the whole first chunk of 10 (and in the rows Dask types a CSV file from)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=N)
    g = rng.choice(["a", "b", "c"], N).astype(object)
    h = rng.normal(size=N)
    g[:12], h[:12] = None, np.nan
    y = 1.0 + 2.0 * x + (g == "b") - 0.5 * (g == "c") + 0.3 * np.nan_to_num(h)
    return pd.DataFrame({"y": y + rng.normal(size=N), "x": x, "g": g, "h": h})


def reference(formula: str, frame: pd.DataFrame) -> np.ndarray:
    """statsmodels' coefficients on the complete rows, in linmod's order for ``y ~ x + g
    + h`` (Intercept, x, g[T.b], g[T.c], h)."""
    params = smf.ols(formula, data=frame.dropna()).fit().params
    return params[["Intercept", "x", "C(g)[T.b]", "C(g)[T.c]", "h"]].to_numpy()


@pytest.mark.parametrize("formula", ["y ~ .", "y ~ x + g + h"])
def test_text_after_an_empty_first_chunk_is_a_factor(tmp_path: Path, formula):
    frame = late_text()
    path = tmp_path / "late.csv"
    frame.to_csv(path, index=False)
    assert pd.read_csv(path, nrows=CHUNK)["g"].dtype == np.float64  # what the chunk reads
    memory = linmod.ols(formula, data=pd.read_csv(path), missing="drop")
    streamed = linmod.ols(formula, data=path, chunksize=CHUNK, missing="drop")
    assert list(streamed.names) == list(memory.names)
    assert list(streamed.names) == ["Intercept", "x", "g[T.b]", "g[T.c]", "h"]
    np.testing.assert_allclose(streamed.coef, memory.coef, rtol=1e-10)
    expected = reference("y ~ x + C(g) + h", frame)
    np.testing.assert_allclose(streamed.coef.to_numpy(), expected, rtol=1e-9)
    assert streamed.n_obs == memory.n_obs == N - 12


def test_a_text_identifier_after_an_empty_first_chunk_is_left_out_as_in_memory(tmp_path: Path):
    frame = late_text().drop(columns="h")
    frame["ref"] = [None] * 12 + [f"R{i:03d}" for i in range(N - 12)]
    path = tmp_path / "late_ids.csv"
    frame.to_csv(path, index=False)

    def fit(data, **options):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = linmod.ols("y ~ .", data=data, missing="drop", **options)
        return res, [str(w.message) for w in caught if issubclass(w.category, LinmodWarning)]

    memory, memory_messages = fit(pd.read_csv(path))
    streamed, messages = fit(path, chunksize=CHUNK)
    assert messages == memory_messages
    assert messages[0].startswith("column 'ref' looks like an identifier (48 distinct values")
    assert list(streamed.names) == list(memory.names) == ["Intercept", "x", "g[T.b]", "g[T.c]"]
    np.testing.assert_allclose(streamed.coef, memory.coef, rtol=1e-10)


def test_a_word_among_numbers_after_an_empty_first_chunk_is_still_named(tmp_path: Path):
    # 'h' has no value in the first chunk, numbers after it and one '?': as in memory, the
    # word is refused (not taken for a text column, nor called schema drift)
    frame = late_text().astype({"h": object})
    frame.loc[33, "h"] = "?"
    path = tmp_path / "word.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(linmod.InputError, match=r"'h' holds text where numbers are expected"):
        linmod.ols("y ~ x + h", data=pd.read_csv(path), missing="drop")
    with pytest.raises(
        linmod.InputError,
        match=r"word\.csv row 34: column 'h' holds text where numbers are expected: 1 value",
    ):
        linmod.ols("y ~ x + h", data=path, chunksize=CHUNK, missing="drop")
