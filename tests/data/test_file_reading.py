"""Files that cannot be read say so by name and position, streamed or in memory (issue 12)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import linmod
from linmod.cli.main import main
from linmod.data.file_reading import read_table
from linmod.exceptions import InputError, LinmodWarning


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"x": rng.normal(size=300).round(6), "y": rng.normal(size=300)})
    frame["y"] += frame["x"]
    return frame


def _streamed(path, formula: str = "y ~ x"):
    return linmod.ols(formula, data=path, chunksize=50)


def _cli(path, capsys, formula: str = "y ~ x", *extra: str) -> str:
    assert main(["fit", str(path), "-f", formula, *extra]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert "internal error" not in err
    return err


def _every_reader(path, capsys, message: str) -> None:
    """Streamed, in memory (read_table), and the CLI both ways: one clear message."""
    with pytest.raises(InputError, match=message):
        _streamed(path)
    with pytest.raises(InputError, match=message):
        read_table(path)
    for extra in ([], ["--chunksize", "50"]):
        assert pd.Series([_cli(path, capsys, "y ~ x", *extra)]).str.contains(message).all()


def test_an_unknown_column_in_a_streamed_formula(tmp_path, frame, capsys):
    for path in (tmp_path / "d.csv", tmp_path / "d.parquet"):
        getattr(frame, f"to_{path.suffix[1:]}")(path, index=False)
        with pytest.raises(InputError, match=r"formula variable 'z' is not a column"):
            _streamed(path, "y ~ x + z")
        err = _cli(path, capsys, "y ~ x + z", "--chunksize", "50")
        assert "formula variable 'z' is not a column" in err


def test_a_header_only_csv(tmp_path, capsys):
    path = tmp_path / "header.csv"
    path.write_text("x,y\n")
    with pytest.raises(InputError, match=r"header\.csv has no rows \(at most a header\)"):
        _streamed(path)
    assert "header.csv has no rows" in _cli(path, capsys, "y ~ x", "--chunksize", "50")
    assert "has no rows" in _cli(path, capsys)


@pytest.mark.parametrize("name", ["empty.csv", "empty.parquet", "empty.tsv"])
def test_an_empty_file(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(b"")
    _every_reader(path, capsys, rf"{name} is empty \(0 bytes\)")


def test_a_csv_cut_in_the_middle_of_a_number(tmp_path, frame, capsys):
    path = tmp_path / "cut.csv"
    frame.to_csv(path, index=False)
    text = path.read_bytes()
    cut = text[: text.index(b"\n", len(text) // 2) + 4]  # three characters into a row
    path.write_bytes(cut)
    line = cut.count(b"\n") + 1
    start = cut.rindex(b"\n") + 1
    where = rf"cut\.csv ends in the middle of line {line} \(bytes {start}-{len(cut) - 1}\)"
    _every_reader(path, capsys, where)


def test_a_latin_1_csv(tmp_path, capsys):
    path = tmp_path / "latin.csv"
    rows = ["x,y,town", "1,2.5,Paris", "2,3.5,Orl\xe9ans", "3,4.0,Nice", "4,6.1,Lyon"]
    data = "\n".join(rows).encode("latin-1") + b"\n"
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    message = rf"latin\.csv is not UTF-8 text: byte 0xe9 at byte offset {offset} \(line 3\)"
    _every_reader(path, capsys, message)
    # Deep in a file (past the first reads of a block): the offset is still exact.
    long = b"x,y\n" + b"".join(b"%d,%d\n" % (i, 2 * i) for i in range(200_000))
    path.write_bytes(long + b"5,caf\xe9\n")
    with pytest.raises(InputError, match=rf"byte offset {len(long) + 5} \(line 200002\)"):
        linmod.ols("y ~ x", data=path, chunksize=100_000)


def test_a_parquet_file_without_its_footer(tmp_path, frame, capsys):
    path = tmp_path / "cut.parquet"
    frame.to_parquet(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    last = len(data) // 2 - 1
    message = rf"cut\.parquet is not a readable Parquet file: its footer .* up to byte {last}\)"
    _every_reader(path, capsys, message)


def test_a_parquet_file_with_a_damaged_row_group(tmp_path, frame, capsys):
    path = tmp_path / "damaged.parquet"
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, row_group_size=100, compression="gzip")
    page = pq.ParquetFile(path).metadata.row_group(2).column(0).data_page_offset
    data = bytearray(path.read_bytes())
    data[page + 40 : page + 240] = bytes(200)  # inside the compressed page of rows 201-300
    path.write_bytes(bytes(data))
    _every_reader(
        path, capsys, r"damaged\.parquet is not a readable Parquet file: the data from row 201"
    )


def test_parquet_without_pyarrow_says_how_to_install_it(tmp_path, frame, capsys, monkeypatch):
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    for name in ("pyarrow", "pyarrow.parquet"):
        monkeypatch.setitem(sys.modules, name, None)  # `import pyarrow` now fails
    message = r"reading .*d\.parquet needs pyarrow: pip install 'linmod\[files\]'"
    with pytest.raises(InputError, match=message):
        _streamed(path)
    with pytest.raises(InputError, match=message):
        read_table(path)
    assert "pip install 'linmod[files]'" in _cli(path, capsys)
    assert "pip install 'linmod[files]'" in _cli(path, capsys, "y ~ x", "--chunksize", "50")


def test_good_files_read_as_pandas_reads_them(tmp_path, frame):
    for path in (tmp_path / "d.csv", tmp_path / "d.tsv", tmp_path / "d.parquet"):
        if path.suffix == ".parquet":
            frame.to_parquet(path)
        else:
            frame.to_csv(path, index=False, sep="\t" if path.suffix == ".tsv" else ",")
        pd.testing.assert_frame_equal(read_table(path), frame)


def test_a_complete_last_line_without_a_newline_warns_as_r_does(tmp_path, frame):
    """R's read.csv reads such a file with "incomplete final line": so does linmod."""
    whole = tmp_path / "whole.csv"
    frame.to_csv(whole, index=False)
    bare = tmp_path / "bare.csv"
    bare.write_bytes(whole.read_bytes().rstrip(b"\n"))
    expected = linmod.ols("y ~ x", data=pd.read_csv(whole))
    line = whole.read_bytes().count(b"\n")
    for fit in (
        lambda: linmod.ols("y ~ x", data=read_table(bare)),
        lambda: linmod.ols("y ~ x", data=bare, chunksize=7),
    ):
        with pytest.warns(LinmodWarning, match=rf"incomplete final line {line} "):
            res = fit()
        np.testing.assert_allclose(res.coef, expected.coef, rtol=1e-13)
        assert res.n_obs == expected.n_obs
