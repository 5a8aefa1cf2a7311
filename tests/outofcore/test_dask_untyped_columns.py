"""A CSV column with no value in the rows Dask types the file from, and text later.

``dask.dataframe.read_csv`` types every column from the first 10 rows: an empty one is
float64, and a later partition holding text failed with Dask's "Mismatched dtypes"
``ValueError``.  linmod's own reading (``engine="dask"``, ``linmod fit --dask``) types
such a column on the whole file, as pandas does in memory; a frame read by the user that
fails this way is refused naming the column and the ``dtype=`` that reads it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.outofcore.dask_input import read_table

from ..data.test_streamed_untyped_columns import late_text, reference

dd = pytest.importorskip("dask.dataframe")

FORMULA = "y ~ x + g + h"


def expected_coef() -> np.ndarray:
    """statsmodels on the complete rows of the file."""
    return reference("y ~ x + C(g) + h", late_text())


@pytest.fixture
def path(tmp_path: Path) -> Path:
    written = tmp_path / "late.csv"
    late_text().to_csv(written, index=False)
    return written


def test_linmod_reads_the_empty_first_rows_as_the_whole_file_types_them(client, path: Path):
    frame = read_table(path, blocksize=path.stat().st_size // 4)
    assert frame.npartitions >= 4
    assert pd.api.types.is_string_dtype(frame["g"].dtype)  # text: a later row holds text
    assert frame["h"].dtype == np.float64  # numbers: every value is one
    memory = linmod.ols(FORMULA, data=pd.read_csv(path), missing="drop")
    res = linmod.ols(FORMULA, data=frame, missing="drop")
    assert list(res.names) == list(memory.names) == ["Intercept", "x", "g[T.b]", "g[T.c]", "h"]
    np.testing.assert_allclose(res.coef, memory.coef, rtol=1e-10)
    np.testing.assert_allclose(res.coef.to_numpy(), expected_coef(), rtol=1e-9)
    engine = linmod.ols(FORMULA, data=str(path), engine="dask", missing="drop")
    np.testing.assert_allclose(engine.coef, memory.coef, rtol=1e-10)


def test_a_frame_dask_typed_from_its_first_rows_is_refused_with_the_dtype_that_reads_it(
    client, path: Path
):
    blocksize = path.stat().st_size // 4
    message = (
        r"column 'g' of the CSV file: Dask typed it float64 from the file's first rows, but "
        r"a later partition holds text \(e\.g\. '[abc]'\); read the file with "
        r"dd\.read_csv\(path, dtype=\{'g': object\}\)"
    )
    with pytest.raises(linmod.InputError, match=message):
        linmod.ols(FORMULA, data=dd.read_csv(path, blocksize=blocksize), missing="drop")
    advised = dd.read_csv(path, blocksize=blocksize, dtype={"g": object})  # the advice
    res = linmod.ols(FORMULA, data=advised, missing="drop")
    np.testing.assert_allclose(res.coef.to_numpy(), expected_coef(), rtol=1e-9)
