"""The header line and read options as the file gives them: repeated column names are
refused (pandas would rename them), non-ASCII thousands and decimal marks are read."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.data.file_reading import read_bytes, read_table
from linmod.exceptions import InputError

_ROWS = "1,2,3\n2,3,5\n3,5,4\n4,6,8\n5,8,9\n"


def test_a_repeated_header_name_is_refused_by_every_reader(tmp_path, capsys):
    path = tmp_path / "dup.csv"
    path.write_text("y,x,x\n" + _ROWS)
    message = r"'x' \(columns 2 and 3\).*rename the columns in the file's header"
    with pytest.raises(InputError, match=message):
        read_table(path)
    with pytest.raises(InputError, match=message):
        read_bytes(path.read_bytes(), "standard input")
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ .", data=path, chunksize=2)
    for extra in ([], ["--chunksize", "2"]):
        assert main(["fit", str(path), "-f", "y ~ .", *extra]) == 1
        err = capsys.readouterr().err
        assert "'x' (columns 2 and 3)" in err
        assert "Traceback" not in err


def test_repeated_names_are_told_from_the_header_not_from_pandas_names(tmp_path):
    # A real column named "x.1" is not a copy; a quoted "x" is the name x; ';' files
    # are split at ';' (the comma inside "a,b" is part of one name).
    fine = tmp_path / "fine.csv"
    fine.write_text("y,x,x.1\n" + _ROWS)
    assert list(read_table(fine).columns) == ["y", "x", "x.1"]
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('y,"x",x,y\n' + "1,2,3,4\n")
    with pytest.raises(InputError, match=r"'y' \(columns 1 and 4\); 'x' \(columns 2 and 3\)"):
        read_table(quoted)
    semicolons = tmp_path / "semi.csv"
    semicolons.write_text('y;"a,b";a;b\n1;2;3;4\n')
    assert list(read_table(semicolons, {"sep": ";"}).columns) == ["y", "a,b", "a", "b"]
    semicolons.write_text("y;a;b;a;a\n1;2;3;4;5\n")
    with pytest.raises(InputError, match=r"'a' \(columns 2, 4 and 5\)"):
        read_table(semicolons, {"sep": ";"})
    empty = tmp_path / "empty.csv"  # pandas names each "Unnamed: <position>"
    empty.write_text("y,,\n1,2,3\n")
    assert list(read_table(empty).columns) == ["y", "Unnamed: 1", "Unnamed: 2"]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_a_no_break_space_as_thousands_separator_reads_numbers(tmp_path, space, capsys):
    path = tmp_path / "nbsp.csv"
    values = ["1 234,5", "2 345,5", "3 000,25", "987,5", "12 100,0"]
    expected = [1234.5, 2345.5, 3000.25, 987.5, 12100.0]  # by hand
    body = "".join(f'{i},"{v.replace(" ", space)}"\n' for i, v in enumerate(values, 1))
    path.write_text("y,x\n" + body, encoding="utf-8")
    options = {"thousands": space, "decimal": ","}
    read = read_table(path, options)
    assert pd.api.types.is_float_dtype(read["x"])
    np.testing.assert_allclose(read["x"], expected, rtol=0, atol=0)
    np.testing.assert_allclose(
        read_bytes(path.read_bytes(), "standard input", options)["x"], expected, rtol=0, atol=0
    )
    streamed = linmod.ols("y ~ x", data=path, chunksize=2, read_options=options)
    slope = np.polyfit(expected, [1, 2, 3, 4, 5], 1)[0]
    assert streamed.coef["x"] == pytest.approx(slope, rel=1e-9)
    code = main(["fit", str(path), "-f", "y ~ x", "--thousands", space, "--decimal", ","])
    assert code == 0, capsys.readouterr().err


def test_a_repeated_header_name_is_refused_for_a_dask_fit(tmp_path):
    pytest.importorskip("dask.dataframe")
    from linmod.outofcore.dask_input import read_table as dask_table

    path = tmp_path / "dup.csv"
    path.write_text("y,x,x\n" + _ROWS)
    with pytest.raises(InputError, match=r"'x' \(columns 2 and 3\)"):
        dask_table(path)
    fine = tmp_path / "fine.csv"
    fine.write_text("y,x,x.1\n" + _ROWS)
    assert list(dask_table(fine).columns) == ["y", "x", "x.1"]


def test_blank_rows_a_spreadsheet_leaves_at_the_end_are_left_out(tmp_path, capsys):
    # ",,," lines after the data were rows missing in every column: the fit refused them
    # ("add --missing drop"), naming every column
    path = tmp_path / "export.csv"
    rows = "y,x,\r\n1,1,\r\n3,2,\r\n2,3,\r\n6,4,\r\n,,\r\n,,\r\n"
    path.write_bytes(("\ufeff" + rows).encode("utf-8"))
    with pytest.warns(linmod.exceptions.LinmodWarning, match=r"the last 2 row\(s\) are empty"):
        frame = read_table(path)
    assert frame.shape == (4, 3)
    assert isinstance(frame.index, pd.RangeIndex)
    assert main(["fit", str(path), "-f", "y ~ x", "--json"]) == 0
    coef = [c["coef"] for c in json.loads(capsys.readouterr().out)["coefficients"].values()]
    design = np.column_stack([np.ones(4), [1.0, 2, 3, 4]])
    expected = np.linalg.lstsq(design, np.array([1.0, 3, 2, 6]), rcond=None)[0]
    np.testing.assert_allclose(coef, expected, rtol=1e-12)
    path.write_text("y,x\n1,1\n,\n2,3\n")  # an empty row inside the data stays a row
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_table(path).shape == (3, 2)
