"""Files that are not plain UTF-8 CSV with LF line ends (QA item 9): CR-only line ends,
gzip, UTF-16/UTF-32 with a byte-order mark, workbooks, archives and binary files are read,
or refused in one line naming the file and the fix, never an internal error."""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.data.file_reading import read_table
from linmod.exceptions import InputError

N = 60


@pytest.fixture
def csv_text() -> str:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"y": rng.normal(size=N).round(6), "x1": rng.normal(size=N).round(6)})
    frame["y"] = (frame["y"] + 2 * frame["x1"]).round(6)
    frame["group"] = np.where(np.arange(N) % 2, "Köln", "Zürich")  # not ASCII
    return frame.to_csv(index=False, lineterminator="\n")


def _expected(text: str) -> pd.DataFrame:
    """What pandas reads from the same data as plain UTF-8 text with LF line ends."""
    return pd.read_csv(io.StringIO(text))


def _cli_error(args: list[str], capsys) -> str:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # one line: no second warning, no traceback
    assert "internal error" not in err
    return err


def _cli_fit(args: list[str], capsys) -> str:
    assert main([*args, "--json"]) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def _slope(text: str) -> float:
    frame = _expected(text)
    return float(np.polyfit(frame["x1"], frame["y"], 1)[0])


def test_cr_only_line_ends_are_read(tmp_path, csv_text, capsys):
    """Classic Mac Excel: 'new-line character seen in unquoted field' (an internal error)."""
    path = tmp_path / "cr.csv"
    path.write_bytes(csv_text.replace("\n", "\r").encode())
    pd.testing.assert_frame_equal(read_table(path), _expected(csv_text))
    streamed = linmod.ols("y ~ x1", data=str(path), chunksize=7)
    assert streamed.coef["x1"] == pytest.approx(_slope(csv_text), rel=1e-9)
    out = _cli_fit(["fit", str(path), "-f", "y ~ x1"], capsys)
    assert '"formula": "y ~ x1"' in out


def test_a_cr_only_file_cut_short_is_refused_at_its_last_line(tmp_path, csv_text):
    path = tmp_path / "cr_cut.csv"
    data = csv_text.replace("\n", "\r").encode()
    cut = data.rstrip(b"\r").rsplit(b",", 1)[0]  # the last row loses its last field
    path.write_bytes(cut)
    with pytest.raises(InputError, match=rf"ends in the middle of line {N + 1} .*cut short"):
        read_table(path)


def test_a_stray_carriage_return_in_the_header(tmp_path, csv_text, capsys):
    """nlhdr.csv: 'x\\r1' in an LF file; pandas would split the header there."""
    path = tmp_path / "nlhdr.csv"
    path.write_bytes(csv_text.replace("x1", "x\r1", 1).encode())
    message = r"nlhdr.csv: line 1 holds a carriage return \(CR\) in mid-line.*tr -d"
    with pytest.raises(InputError, match=message):
        read_table(path)
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x1", data=str(path), chunksize=10)
    assert "tr -d '\\r' < nlhdr.csv > fixed.csv" in _cli_error(
        ["fit", str(path), "-f", "y ~ x1"], capsys
    )
    lines = csv_text.split("\n")
    lines[4] = lines[4].replace(",", "\r,", 1)
    path.write_bytes("\n".join(lines).encode())
    with pytest.raises(InputError, match="line 5 holds a carriage return"):
        read_table(path)


def test_a_carriage_return_inside_a_quoted_header_is_kept(tmp_path, csv_text):
    path = tmp_path / "quoted.csv"
    path.write_bytes(csv_text.replace("x1", '"weight\r(kg)"', 1).encode())
    frame = read_table(path)
    assert list(frame.columns) == ["y", "weight\r(kg)", "group"]
    assert len(frame) == N
    from linmod.data.text_format import first_record

    assert first_record('y,"a\rb",c\n1,2,3\n', ",") == ["y", "a\rb", "c"]


def test_crlf_and_a_utf8_byte_order_mark_still_read(tmp_path, csv_text):
    path = tmp_path / "crlf.csv"
    path.write_bytes(codecs.BOM_UTF8 + csv_text.replace("\n", "\r\n").encode())
    pd.testing.assert_frame_equal(read_table(path), _expected(csv_text))


@pytest.mark.parametrize("name", ["base.csv.gz", "base_gz.csv", "base.tsv.gz"])
def test_gzip_files_are_decompressed(tmp_path, csv_text, capsys, name):
    text = csv_text.replace(",", "\t") if ".tsv" in name else csv_text
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()))
    pd.testing.assert_frame_equal(read_table(path), _expected(csv_text))
    streamed = linmod.ols("y ~ x1", data=str(path), chunksize=7)
    assert streamed.coef["x1"] == pytest.approx(_slope(csv_text), rel=1e-9)
    assert '"n_obs": 60' in _cli_fit(["fit", str(path), "-f", "y ~ x1"], capsys)


def test_a_damaged_gzip_file(tmp_path, csv_text, capsys):
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(csv_text.encode())[:-30])
    message = r"cut.csv.gz is gzip-compressed but cannot be decompressed .*compress it again"
    with pytest.raises(InputError, match=message):
        read_table(path)
    _cli_error(["fit", str(path), "-f", "y ~ x1"], capsys)
    empty = tmp_path / "empty.csv.gz"
    empty.write_bytes(gzip.compress(b""))
    with pytest.raises(InputError, match="empty once decompressed"):
        read_table(empty)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path, csv_text, capsys, encoding):
    """Excel's "Unicode text": was "the file looks cut short; restore the whole file"."""
    path = tmp_path / "utf16.csv"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path.write_bytes(bom + csv_text.encode(encoding))
    pd.testing.assert_frame_equal(read_table(path), _expected(csv_text))
    streamed = linmod.ols("y ~ x1", data=str(path), chunksize=7)
    assert streamed.coef["x1"] == pytest.approx(_slope(csv_text), rel=1e-9)
    assert '"n_obs": 60' in _cli_fit(["fit", str(path), "-f", "y ~ x1"], capsys)


def test_utf16_tab_text_asks_for_the_tab_separator_then_reads(tmp_path, csv_text, capsys):
    """utf16.txt: the header is now decoded, so --sep tab is the right advice and works."""
    path = tmp_path / "utf16.txt"
    path.write_bytes(csv_text.replace(",", "\t").encode("utf-16"))
    err = _cli_error(["fit", str(path), "-f", "y ~ x1"], capsys)
    assert "the header 'y\\tx1\\tgroup' is one column" in err
    assert "--sep tab" in err
    assert '"n_obs": 60' in _cli_fit(["fit", str(path), "-f", "y ~ x1", "--sep", "tab"], capsys)


def test_utf16_cut_short_or_without_a_byte_order_mark(tmp_path, csv_text):
    path = tmp_path / "odd.csv"
    path.write_bytes(csv_text.encode("utf-16")[:-1])  # half a character at the end
    with pytest.raises(InputError, match=r"odd.csv is UTF-16 text .* damaged or cut short"):
        read_table(path)
    path.write_bytes(csv_text.encode("utf-16-le"))
    with pytest.raises(InputError, match=r"UTF-16 text without a byte-order mark.*utf-16le"):
        read_table(path)


def _workbook(path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")


@pytest.mark.parametrize("name", ["data.xlsx", "data.csv"])
def test_an_excel_workbook_says_how_to_export_csv(tmp_path, capsys, name):
    """Was "not UTF-8 … iconv -f latin1" plus an "incomplete final line" warning."""
    path = tmp_path / name
    _workbook(path)
    message = rf"{name} is an Excel workbook \(.xlsx\), not CSV text: export the sheet as CSV"
    with pytest.raises(InputError, match=message):
        read_table(path)
    err = _cli_error(["fit", str(path), "-f", "y ~ x1"], capsys)
    assert "incomplete final line" not in err
    assert "iconv" not in err


def test_other_binary_files(tmp_path, csv_text):
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("data.csv", csv_text)
    with pytest.raises(InputError, match=r"zip archive \(it holds data.csv\).*unzip it"):
        read_table(archive)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(InputError, match=r"Excel 97-2003 workbook \(.xls\)"):
        read_table(xls)
    parquet = tmp_path / "data.csv"
    _expected(csv_text).to_parquet(parquet)
    with pytest.raises(InputError, match=r"is a Parquet file.*a \.parquet name"):
        read_table(parquet)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match=r"holds NUL bytes \(byte offset 8\).*binary file"):
        read_table(binary)


def test_data_suffix_looks_past_gz():
    from pathlib import Path

    from linmod.data.text_format import data_suffix

    assert data_suffix(Path("a/b.TSV.gz")) == ".tsv"
    assert data_suffix(Path("b.csv")) == ".csv"
    assert data_suffix(Path("b.gz")) == ".gz"
    assert data_suffix(Path("b")) == ""


# ------------------------------------------------------------------ standard input
def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-16"),
        lambda text: gzip.compress(text.encode()),
        lambda text: text.replace("\n", "\r").encode(),
        lambda text: codecs.BOM_UTF8 + text.encode(),
    ],
    ids=["utf16", "gzip", "cr", "utf8-bom"],
)
def test_standard_input_reads_what_a_file_reads(monkeypatch, capsys, csv_text, encode):
    """Was an internal UnicodeEncodeError ("surrogates not allowed") for UTF-16 and gzip."""
    from linmod.data.file_reading import read_bytes

    _stdin(monkeypatch, encode(csv_text))
    out = _cli_fit(["fit", "-", "-f", "y ~ x1"], capsys)
    assert '"n_obs": 60' in out
    pd.testing.assert_frame_equal(read_bytes(encode(csv_text)), _expected(csv_text))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "y,x1\n1,Köln\n".encode("latin-1"),
            r"standard input is not UTF-8 text: byte 0xf6 at byte offset 8 \(line 2\) "
            r"cannot be decoded; convert it to UTF-8 first, e.g. iconv -f latin1 -t utf-8 FILE",
        ),
        (gzip.compress(b"y,x1\n1,2\n")[:-12], "gzip-compressed but cannot be decompressed"),
        (b"", "standard input is empty"),
        (b"y\x00x\x00", "UTF-16 text without a byte-order mark"),
        (b"PK\x05\x06" + bytes(18), "standard input is a zip archive, not CSV text"),
        (b"y;x1;x2\n1;2;3\n", "one column when split at ',' .* sep=';'"),
    ],
    ids=["latin1", "damaged-gzip", "empty", "utf16-no-bom", "zip", "semicolons"],
)
def test_standard_input_errors_are_one_line(monkeypatch, capsys, data, message):
    from linmod.data.file_reading import read_bytes

    _stdin(monkeypatch, data)
    err = _cli_error(["fit", "-", "-f", "y ~ x1"], capsys)
    assert err.startswith("linmod: error: ")
    with pytest.raises(InputError, match=message):
        read_bytes(data)
