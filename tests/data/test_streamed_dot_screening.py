"""``y ~ .`` leaves identifier-like columns out in streamed and Dask fits, as in memory.

The in-memory fit excludes an identifier-like column from ``.`` with a warning
(:func:`linmod.data.column_screening.dot_exclusions`); a streamed fit (a file read in
chunks, a Parquet file, a list of frames), a Dask fit and ``linmod fit --chunksize``
apply the same rule, with the same message, and fit the same model: an integer row
identifier on the statistics of all the rows, a text column with more distinct values in
its first chunk (partition) than an implicit factor may have on that chunk's.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.exceptions import LinmodWarning

N, CHUNK = 3000, 500
#: The in-memory messages, with the counts of whatever rows were screened.
ROW_ID = r"column 'id' looks like a row identifier \(the integers 1\.\.(\d+), each once\): " + (
    r"'\.' leaves it out: write '\+ I\(id\)' to include it"
)
CODE = (
    r"column 'code' looks like an identifier \((\d+) distinct values in (\d+) rows\): as a "
    r"factor it would be one coefficient per row; '\.' leaves it out: write '\+ C\(code\)' "
    "to include it"
)


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(13)
    x = rng.normal(size=N)
    return pd.DataFrame(
        {
            "id": np.arange(1, N + 1),
            "code": [f"C{i:05d}" for i in rng.permutation(N)],
            "x": x,
            "y": 1.0 + 2.0 * x + rng.normal(size=N),
        }
    )


def _screened(fit) -> tuple[object, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit()
    messages = [str(w.message) for w in caught if issubclass(w.category, LinmodWarning)]
    return res, messages


def _check(messages: list[str], rows: int) -> None:
    """The integer identifier is judged on all the rows (``N``, as in memory); the text one,
    with more levels in ``rows`` first rows than any implicit factor may have, on those."""
    id_message = next(m for m in messages if "'id'" in m)
    code_message = next(m for m in messages if "'code'" in m)
    assert re.fullmatch(ROW_ID, id_message).group(1) == str(N)
    assert re.fullmatch(CODE, code_message).groups() == (str(rows), str(rows))


@pytest.fixture(scope="module")
def in_memory() -> object:
    res, messages = _screened(lambda: linmod.ols("y ~ .", data=_frame()))
    _check(messages, N)
    assert list(res.names) == ["Intercept", "x"]
    return res


@pytest.mark.parametrize("kind", ["csv", "parquet", "frames"])
def test_a_streamed_fit_leaves_identifiers_out_of_the_dot(tmp_path: Path, in_memory, kind):
    frame = _frame()
    if kind == "csv":
        data: object = tmp_path / "ids.csv"
        frame.to_csv(data, index=False)
    elif kind == "parquet":
        pytest.importorskip("pyarrow")
        data = tmp_path / "ids.parquet"
        frame.to_parquet(data, index=False)
    else:
        data = [frame.iloc[i : i + CHUNK] for i in range(0, N, CHUNK)]
    res, messages = _screened(lambda: linmod.ols("y ~ .", data=data, chunksize=CHUNK))
    _check(messages, CHUNK)  # decided on the first chunk
    assert list(res.names) == ["Intercept", "x"]
    np.testing.assert_allclose(res.coef, in_memory.coef, rtol=1e-12)


def test_a_dask_fit_leaves_identifiers_out_of_the_dot(in_memory):
    dd = pytest.importorskip("dask.dataframe")
    ddf = dd.from_pandas(_frame(), npartitions=4)
    res, messages = _screened(lambda: linmod.ols("y ~ .", data=ddf))
    _check(messages, len(ddf.get_partition(0)))  # decided on the first partition
    assert list(res.names) == ["Intercept", "x"]
    np.testing.assert_allclose(res.coef, in_memory.coef, rtol=1e-12)


def test_named_identifiers_are_still_refused_when_streamed(tmp_path: Path):
    data = tmp_path / "ids.csv"
    _frame().to_csv(data, index=False)
    with pytest.raises(linmod.InputError, match="'code' looks like an identifier"):
        linmod.ols("y ~ x + code", data=data, chunksize=CHUNK)


def test_the_command_line_streamed_fit_leaves_them_out(tmp_path: Path, capsys):
    data = tmp_path / "ids.csv"
    _frame().to_csv(data, index=False)
    code = main(["fit", str(data), "--chunksize", str(CHUNK), "-f", "y ~ .", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "'.' leaves it out: write '+ I(id)'" in captured.err
    assert "'code' looks like an identifier" in captured.err
    assert list(json.loads(captured.out)["coefficients"]) == ["Intercept", "x"]


def test_a_column_with_too_many_levels_only_past_the_first_chunk_is_left_out(tmp_path: Path):
    # 'day' has 40 dates in the first 500 rows (under the 50-level bound) but 300 in all:
    # '.' leaves it out with the in-memory warning (counts of the whole file), not refused
    frame = _frame().drop(columns=["id", "code"])
    frame["day"] = [f"2020-{1 + i // 300:02d}-{1 + (i // 12) % 25:02d}" for i in range(N)]
    data = tmp_path / "days.csv"
    frame.to_csv(data, index=False)
    memory, memory_messages = _screened(lambda: linmod.ols("y ~ .", data=frame))
    streamed, messages = _screened(lambda: linmod.ols("y ~ .", data=data, chunksize=CHUNK))
    assert list(streamed.names) == list(memory.names) == ["Intercept", "x"]
    assert [m for m in messages if "'day'" in m] == [m for m in memory_messages if "'day'" in m]
    assert len([m for m in messages if "'day'" in m]) == 1
    np.testing.assert_allclose(streamed.coef, memory.coef, rtol=1e-12)


def test_a_stray_word_in_a_column_the_model_does_not_use_is_not_refused(tmp_path: Path):
    # 'age' is text in the first chunk (one 'unknown') and numbers after it; the model
    # never reads it, so the chunks' schemas of 'age' are none of its concern
    frame = _frame().drop(columns=["code"])
    frame["age"] = [str(20 + i % 50) for i in range(N)]
    frame.loc[7, "age"] = "unknown"
    data = tmp_path / "age.csv"
    frame.to_csv(data, index=False)
    res = linmod.ols("y ~ x", data=data, chunksize=CHUNK)
    np.testing.assert_allclose(res.coef, linmod.ols("y ~ x", data=frame).coef, rtol=1e-12)
