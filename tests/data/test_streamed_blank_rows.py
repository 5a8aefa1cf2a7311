"""Streamed fits leave out the empty rows a spreadsheet export leaves at the end of a CSV,
as the in-memory reader does, wherever the chunks split them; empty rows inside the data
stay rows with missing values."""

from __future__ import annotations

import gzip
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.data.blank_rows import trailing_blank_records
from linmod.data.file_reading import read_table
from linmod.exceptions import InputError, LinmodWarning

RTOL = 1e-10  # streamed against in-memory QR (the streaming tests' tolerance)
N = 30
FORMULA = "y ~ x + C(g)"


def _frame(n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame(
        {
            "y": rng.normal(size=n).round(6),
            "x": rng.normal(size=n).round(6),
            "g": rng.choice(["a", "b", "c"], n),
            "note": np.where(np.arange(n) % 2, "ok", "late"),
        }
    )


def _blank(count: int, fields: int = 4) -> str:
    return ("," * (fields - 1) + "\r\n") * count


def _export(tmp_path, frame: pd.DataFrame, tail: str, name: str = "export.csv"):
    path = tmp_path / name
    path.write_text(frame.to_csv(index=False, lineterminator="\r\n") + tail)
    return path


def _message(count: int) -> str:
    return rf"the last {count} row\(s\) are empty \(every cell blank"


def _memory(frame: pd.DataFrame, formula: str = FORMULA, **options):
    return linmod.ols(formula, data=frame, **options)


# chunksize: one chunk; blank rows split over two chunks; a chunk of blank rows only;
# several chunks with the blank rows in the last
@pytest.mark.parametrize("chunksize", [None, 31, 32, N, 7])
# every column read, or some (the others' cells are then read from the file's end)
@pytest.mark.parametrize("formula", [FORMULA, "y ~ x + g + note", "y ~ x", "y ~ ."])
def test_trailing_blank_rows_are_left_out_of_a_streamed_fit(tmp_path, chunksize, formula):
    frame = _frame()
    path = _export(tmp_path, frame, _blank(3))
    options = {} if chunksize is None else {"chunksize": chunksize}
    with pytest.warns(LinmodWarning, match=_message(3)) as record:
        streamed = linmod.ols(formula, data=path, **options)
    assert sum("row(s) are empty" in str(w.message) for w in record) == 1  # once per fit
    memory = _memory(frame, formula)
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)
    assert_allclose(streamed.std_err, memory.std_err, rtol=RTOL)
    assert streamed.n_obs == N
    with pytest.warns(LinmodWarning, match=_message(3)):
        dropped = linmod.ols(formula, data=path, missing="drop", **options)
    assert dropped.design.n_dropped == 0  # the blank rows are not counted as dropped
    assert_allclose(dropped.coef, memory.coef, rtol=RTOL)


def test_the_in_memory_reader_and_the_stream_agree_on_the_same_file(tmp_path):
    path = _export(tmp_path, _frame(), _blank(2))
    with pytest.warns(LinmodWarning, match=_message(2)):
        clean = read_table(path)
    with pytest.warns(LinmodWarning, match=_message(2)):
        streamed = linmod.ols(FORMULA, data=path, chunksize=4)
    assert_allclose(streamed.coef, _memory(clean).coef, rtol=RTOL)


def test_blank_rows_inside_the_data_stay_missing_values(tmp_path):
    frame = _frame()
    text = frame.to_csv(index=False)
    lines = text.splitlines()
    # two empty rows after data row 10, and the export's blank rows at the end
    body = "\n".join([*lines[:11], ",,,", ",,,", *lines[11:]]) + "\n" + _blank(2)
    path = tmp_path / "inside.csv"
    path.write_text(body)
    refused = pytest.raises(InputError, match=r"inside\.csv row 11: column '\w+' is missing")
    with pytest.warns(LinmodWarning, match=_message(2)), refused:
        linmod.ols(FORMULA, data=path, chunksize=11)
    for chunksize in (11, 12, 100):  # held back at a chunk's end, then handed on
        with pytest.warns(LinmodWarning, match=_message(2)):
            streamed = linmod.ols(FORMULA, data=path, chunksize=chunksize, missing="drop")
        assert streamed.design.n_dropped == 2
        assert_allclose(streamed.coef, _memory(frame).coef, rtol=RTOL)


def test_a_row_with_a_value_in_a_column_the_model_does_not_read_is_not_blank(tmp_path):
    # The model reads y, x, g; the row ",,,late" holds a value in 'note': in memory it is
    # a row missing y, x and g, not an empty one, so only the row after it is left out.
    frame = _frame()
    path = _export(tmp_path, frame, ",,,late\r\n" + _blank(1))
    with pytest.warns(LinmodWarning, match=_message(1)):
        clean = read_table(path)
    assert len(clean) == N + 1
    for chunksize in (N, N + 1, 5):
        refused = pytest.raises(InputError, match=rf"row {N + 1}: column '\w+' is missing")
        with pytest.warns(LinmodWarning, match=_message(1)), refused:
            linmod.ols(FORMULA, data=path, chunksize=chunksize)
        with pytest.warns(LinmodWarning, match=_message(1)):
            streamed = linmod.ols(FORMULA, data=path, chunksize=chunksize, missing="drop")
        assert streamed.design.n_dropped == 1
        assert_allclose(streamed.coef, _memory(frame).coef, rtol=RTOL)


def test_na_cells_count_as_blank_and_a_file_of_blank_rows_has_no_rows(tmp_path):
    frame = _frame()
    path = _export(tmp_path, frame, "NA,,,\r\n,,,NA\r\n")  # missing in every column
    with pytest.warns(LinmodWarning, match=_message(2)):
        streamed = linmod.ols(FORMULA, data=path, chunksize=8)
    assert_allclose(streamed.coef, _memory(frame).coef, rtol=RTOL)
    empty = tmp_path / "empty.csv"
    empty.write_text("y,x,g,note\n,,,\n,,,\n")
    no_rows = pytest.raises(InputError, match="has no rows")
    with pytest.warns(LinmodWarning, match=_message(2)), no_rows:
        linmod.ols(FORMULA, data=empty)


def test_a_gzip_export_read_for_some_columns(tmp_path):
    frame = _frame()
    path = tmp_path / "export.csv.gz"
    text = frame.to_csv(index=False) + ",,,late\n" + _blank(2)
    path.write_bytes(gzip.compress(text.encode()))
    with pytest.warns(LinmodWarning, match=_message(2)):
        streamed = linmod.ols(FORMULA, data=path, chunksize=9, missing="drop")
    assert streamed.design.n_dropped == 1
    assert_allclose(streamed.coef, _memory(frame).coef, rtol=RTOL)


def test_the_command_line_streams_the_export(tmp_path, capsys):
    frame = _frame()
    path = _export(tmp_path, frame, _blank(3))
    args = ["fit", str(path), "-f", FORMULA, "--chunksize", "31", "--json"]
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(args) == 0
    captured = capsys.readouterr()
    assert "the last 3 row(s) are empty" in captured.err
    coef = [c["coef"] for c in json.loads(captured.out)["coefficients"].values()]
    assert_allclose(coef, _memory(frame).coef, rtol=RTOL)


@pytest.mark.parametrize(
    "text",
    [
        "y,x,g\n1,2,a\n,,\n   \n,\nNA,,\n",  # a line of spaces is no record (pandas skips it)
        "y,x,g\r1,2,a\r,,\r,,",  # CR line ends, no final newline
        'y,x,g\n1,2,a\n"",,\n,,b\n,,\n',  # a value in the one-but-last row
        "y,x,g\n,,\n,,\n",  # nothing but blank rows
        "y,x,g\n1,2,a\n",
    ],
)
def test_the_end_of_the_file_is_counted_as_pandas_reads_it(tmp_path, text):
    path = tmp_path / "tail.csv"
    path.write_bytes(text.encode())
    filled = pd.read_csv(path).notna().any(axis=1).to_numpy()
    expected = len(filled) - (int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0)
    assert trailing_blank_records(path, ",", ["y", "x", "g"], {}) == expected
