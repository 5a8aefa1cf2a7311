"""Words among a column's numbers in a Dask fit: every partition's words, in the advice.

The pass that finds the levels counts the words of the whole column, so the refusal (on
the client for the first rows, or on the worker whose partition holds the first word)
names every word and their count, not those of one partition.  A CSV file Dask typed as
numbers from its first rows fails on the partition with the word; the refusal names the
``dtype=`` that lets the whole column decide, and following both pieces of advice fits
what statsmodels fits.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import linmod

from ..data.test_streamed_stray_words import CHUNK, N, followed, word_count, worded

dd = pytest.importorskip("dask.dataframe")


@pytest.mark.parametrize("where", ["head", "workers"])
def test_a_dask_fit_names_the_words_of_every_partition(client, tmp_path: Path, where):
    # a word in the first rows (refused on the client, building the model) or only in
    # later partitions (refused on whichever worker meets one first)
    path = tmp_path / "worded.csv"
    frame = worded(first_chunk_word=True)
    if where == "workers":
        frame.loc[[3, 25], "x"] = "0.5"  # the first word is now row 51's
    frame.to_csv(path, index=False)
    read = pd.read_csv(path)  # x is text in every partition
    ddf = dd.from_pandas(read, npartitions=N // CHUNK, sort=False)
    with pytest.raises(linmod.InputError) as refused:
        linmod.ols("y ~ x", data=ddf)
    text = str(refused.value)
    count = word_count(path)
    if where == "head":
        assert text.startswith("the Dask DataFrame row 4: column 'x' holds text where ")
    else:
        found = re.match(r"partition (\d) row (\d+): column 'x' holds text where ", text)
        assert found is not None, text
        row = CHUNK * int(found.group(1)) + int(found.group(2)) - 1
        assert row > 25
        assert pd.isna(pd.to_numeric(read["x"][row], errors="coerce"))
    assert f": {count} value(s) such as " in text
    words = sorted(set(read["x"][pd.to_numeric(read["x"], errors="coerce").isna()]))
    assert f"(read the file with na_values={words!r})" in text


def test_a_csv_typed_from_its_first_rows_is_fitted_after_the_advice(client, tmp_path: Path):
    path = tmp_path / "worded.csv"
    worded().to_csv(path, index=False)
    blocksize = path.stat().st_size // 5
    with pytest.raises(linmod.InputError, match=r"dtype=\{'x': object\}"):
        linmod.ols("y ~ x", data=dd.read_csv(path, blocksize=blocksize))
    as_text = dd.read_csv(path, blocksize=blocksize, dtype={"x": object})
    words = ["-", "?", "unknown"]
    with pytest.raises(linmod.InputError) as refused:
        linmod.ols("y ~ x", data=as_text)
    assert f"{word_count(path)} value(s) such as " in str(refused.value)
    assert f"(read the file with na_values={words!r})" in str(refused.value)
    read = dd.read_csv(path, blocksize=blocksize, na_values=words)
    res = linmod.ols("y ~ x", data=read, missing="drop")
    np.testing.assert_allclose(res.coef.to_numpy(), followed(path, words), rtol=1e-9)
