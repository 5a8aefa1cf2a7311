"""Reading data files with errors that name the file, what is wrong and where.

Used by the chunked readers of streamed fits (:mod:`linmod.data.chunks`) and by the
command line's in-memory reads (:func:`read_table`).  An empty file, a text file that is
not UTF-8 (a Latin-1 export), a CSV cut short inside its last row (no final newline and
fewer fields than the header; a complete last line without a newline only warns, as
R's ``read.csv`` does), a Parquet file
without its footer or with a damaged page, and Parquet without pyarrow are each an
:class:`InputError` with the file, the position (line and byte offset, or row) and the
fix, not a parser's traceback.  Gzip, UTF-16/UTF-32 (with a byte-order mark) and
CR-only line ends are read; workbooks, archives and binary files are refused saying what
they are (:mod:`linmod.data.text_format`); standard input gets the same checks
(:func:`read_bytes`).
"""

from __future__ import annotations

import codecs
import io
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from linmod._stack import user_stacklevel
from linmod.data.blank_rows import without_trailing_blank_rows
from linmod.data.text_format import (
    TextFormat,
    data_suffix,
    first_record,
    gunzip,
    sniff_bytes,
    sniff_file,
)
from linmod.exceptions import InputError, LinmodWarning

__all__ = [
    "PARQUET_HINT",
    "check_header_names",
    "check_not_empty",
    "check_separator",
    "check_text_file",
    "csv_options",
    "decode_error",
    "default_separator",
    "parquet_error",
    "parquet_module",
    "parser_keywords",
    "read_bytes",
    "read_options",
    "read_table",
]

PARQUET_HINT = "pip install 'linmod[files]'"
_PARQUET = (".parquet", ".pq")
_BLOCK = 1 << 20
#: The CSV read options a user may give (pandas.read_csv's names).
READ_OPTIONS = ("sep", "thousands", "decimal", "na_values")
#: Field separators a header is checked for when it reads as a single column.
_OTHER_SEPARATORS = (";", "\t", "|")
_ACTIVE: dict[str, Any] = {}
_ACTIVE_LOCK = threading.Lock()


def check_read_options(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate CSV read options: ``sep``, ``thousands``, ``decimal`` (one character each)
    and ``na_values`` (a string or list of strings also read as missing).

    Raises
    ------
    InputError
        For an unknown option or a value of the wrong kind.
    """
    checked: dict[str, Any] = {}
    for key, value in dict(options or {}).items():
        if key not in READ_OPTIONS:
            raise InputError(
                f"unknown read option {key!r}; the CSV read options are {', '.join(READ_OPTIONS)}"
            )
        if value is None:
            continue
        if key in ("sep", "thousands", "decimal") and (
            not isinstance(value, str) or len(value) != 1
        ):
            raise InputError(f"read option {key}={value!r} must be one character, e.g. ','")
        if key == "na_values":
            value = [value] if isinstance(value, str) else list(value)
            if not all(isinstance(v, str) for v in value):
                raise InputError(f"read option na_values={value!r} must be strings")
        checked[key] = value
    if checked.get("thousands") is not None and checked.get("thousands") == checked.get(
        "decimal", "."
    ):
        raise InputError("read options thousands and decimal cannot be the same character")
    if checked.get("sep") is not None and checked.get("sep") in (
        checked.get("thousands"),
        checked.get("decimal"),
    ):
        raise InputError("read option sep cannot be the thousands or decimal character")
    return checked


@contextmanager
def read_options(options: Mapping[str, Any] | None) -> Iterator[None]:
    """Apply CSV read options to every CSV read (in memory and chunked) inside the block.

    Chunked reads happen on a reader thread, so the options are process-wide while the
    block runs (streamed fits pass ``read_options=`` and need nothing else).
    """
    checked = check_read_options(options)
    with _ACTIVE_LOCK:
        before = dict(_ACTIVE)
        _ACTIVE.update(checked)
    try:
        yield
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.clear()
            _ACTIVE.update(before)


def csv_options() -> dict[str, Any]:
    """The CSV read options in force (keywords for ``pandas.read_csv``)."""
    with _ACTIVE_LOCK:
        return dict(_ACTIVE)


def default_separator(path: Path) -> str:
    """A tab for ``.tsv``/``.tab`` files (also gzip-compressed: ``.tsv.gz``), else a comma."""
    return "\t" if data_suffix(path) in (".tsv", ".tab") else ","


def _describe(separator: str) -> str:
    return "a tab" if separator == "\t" else repr(separator)


def check_separator(path: Path, header: bytes | str, separator: str) -> None:
    """Refuse a header that is one field under ``separator`` but several under another.

    A CSV written with semicolons (common where the decimal mark is a comma: R's
    ``write.csv2``, spreadsheets in many locales) read with commas is one column named
    ``"y;x;z"``; every formula would then fail on a missing column.

    Raises
    ------
    InputError
        Naming the separator found and the read option (``sep=``) that reads the file.
    """
    if _fields(header, separator) != 1:
        return
    for other in _OTHER_SEPARATORS:
        if other != separator and _fields(header, other) > 1:
            text = _text(header).strip().split("\n")[0].split("\r")[0]
            decimal = ", and decimal=',' if its numbers use a decimal comma" if other == ";" else ""
            raise InputError(
                f"{path}: the header {text[:60]!r} is one column when split at "
                f"{_describe(separator)} but its names are separated by {_describe(other)}: "
                f"read the file with sep={other!r}{decimal}"
            )


def check_header_names(name: str | Path, header: bytes | str, separator: str) -> None:
    """Refuse a header that gives two columns the same name.

    pandas renames the second ``x`` of a header ``y,x,x`` to ``x.1`` (and the third to
    ``x.2``), which cannot then be told from a column really named ``x.1``: ``y ~ .``
    would fit both, and the data overview finds no duplicate.  The header's own fields
    are compared (read with the csv module at the same separator, quotes respected),
    not the names pandas makes of them.  Empty names are not compared: pandas names
    each ``Unnamed: <position>``.

    Raises
    ------
    InputError
        Naming each repeated name, its 1-based column positions, and the fix.
    """
    positions: dict[str, list[int]] = {}
    for position, field in enumerate(first_record(_text(header), separator), start=1):
        if field:
            positions.setdefault(field, []).append(position)
    repeated = {field: where for field, where in positions.items() if len(where) > 1}
    if not repeated:
        return
    shown = "; ".join(
        f"{field!r} (columns {', '.join(map(str, where[:-1]))} and {where[-1]})"
        for field, where in list(repeated.items())[:5]
    )
    more = f" and {len(repeated) - 5} more" if len(repeated) > 5 else ""
    first = next(iter(repeated))
    raise InputError(
        f"{name}: the header gives more than one column the same name: {shown}{more}; "
        "pandas would rename "
        f"the copies ({first!r} to {first + '.1'!r}), which cannot be told from a column "
        "really so named: rename the columns in the file's header so that each name is "
        "used once"
    )


def parser_keywords(keywords: Mapping[str, Any]) -> dict[str, Any]:
    """``pandas.read_csv`` keywords with ``engine="python"`` added when a ``thousands`` or
    ``decimal`` character is not ASCII.

    pandas' C parser ignores a thousands separator such as the no-break space (U+00A0)
    or the narrow no-break space (U+202F), and a decimal mark outside ASCII, without a
    word: the numbers stay text.  Its Python parser reads them.  It is slower, so it is
    used only then.
    """
    out = dict(keywords)
    if any(not str(out.get(key) or "").isascii() for key in ("thousands", "decimal")):
        out["engine"] = "python"
    return out


def parquet_module(path: Path) -> Any:
    """``pyarrow.parquet``, or an error saying how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"reading {path} needs pyarrow: {PARQUET_HINT}") from None
    return pq


def check_not_empty(path: Path) -> None:
    """Refuse a file of 0 bytes."""
    if path.stat().st_size == 0:
        raise InputError(f"{path} is empty (0 bytes): it holds no header and no rows")


def _last_line(path: Path, size: int, newline: bytes = b"\n") -> tuple[int, int]:
    """The 1-based number of the file's last line and the byte offset where it starts
    (lines ending with ``newline``: LF, or CR alone in a classic Mac file)."""
    lines, start = 1, 0
    with path.open("rb") as stream:
        offset = 0
        while block := stream.read(_BLOCK):
            found = block.rfind(newline)
            if found >= 0:
                start = offset + found + 1
            lines += block.count(newline)
            offset += len(block)
    return lines, min(start, size)


def _text(line: bytes | str) -> str:
    return line if isinstance(line, str) else line.decode("utf-8", errors="replace")


def _fields(line: bytes | str, separator: str) -> int:
    """The number of fields of the first CSV record of ``line`` (quotes respected; line
    ends LF, CRLF or CR; undecodable bytes kept)."""
    return len(first_record(_text(line), separator))


def check_text_file(path: Path, separator: str = ",") -> TextFormat:
    """Refuse an empty text file, a workbook, archive or binary file
    (:func:`linmod.data.text_format.sniff_file`), one whose header is split by another
    separator (:func:`check_separator`), or one cut short inside its last row.

    A file whose last line has no newline is read as R's ``read.csv`` reads it, with a
    warning ("incomplete final line"); if that line also has fewer fields than the
    header, the file was cut in the middle of a row and is refused, naming the line and
    its bytes.  (A cut inside the last field of a row cannot be told from a complete
    file: the warning says so.)  Gzip and UTF-16/32 files are not checked for a cut: their
    decompression or decoding fails on one.

    Returns
    -------
    TextFormat
        The file's encoding and compression, for ``pandas.read_csv``.
    """
    check_not_empty(path)
    text = sniff_file(path)
    check_separator(path, text.head, separator)
    if not text.plain:
        return text
    size = path.stat().st_size
    with path.open("rb") as stream:
        stream.seek(size - 1)
        last = stream.read(1)
    if last in (b"\n", b"\r"):
        return text
    newline = b"\r" if "\r" in text.head and "\n" not in text.head else b"\n"
    line, start = _last_line(path, size, newline)
    with path.open("rb") as stream:
        stream.seek(start)
        tail = stream.read(_BLOCK)
    if line > 1 and _fields(tail, separator) < _fields(text.head, separator):
        raise InputError(
            f"{path} ends in the middle of line {line} (bytes {start}-{size - 1}) without a "
            f"final newline, with fewer fields than the header: the file looks cut short; "
            "restore the whole file (or end it with a newline if it is complete)"
        )
    warnings.warn(
        f"{path}: incomplete final line {line} (no newline at the end); it is read as a "
        "complete row, but if the file was cut short its last value may be truncated",
        LinmodWarning,
        stacklevel=user_stacklevel(),
    )
    return text


def format_decode_error(
    name: str, text: TextFormat, data: bytes | None, error: Exception
) -> InputError:
    """Text that its encoding cannot decode (``data``: the decompressed bytes, if known)."""
    unpacked = " once decompressed" if text.compression else ""
    if text.encoding is not None:
        return InputError(
            f"{name} is {text.encoding.upper()} text (it starts with a byte-order mark) but "
            f"cannot be decoded{unpacked} ({error}): it is damaged or cut short; export it "
            f"again, or convert it: iconv -f {text.encoding} -t utf-8 FILE > utf8.csv"
        )
    if isinstance(error, UnicodeDecodeError) and data is not None:
        line = data.count(b"\n", 0, error.start) + 1
        where = (
            f"byte 0x{data[error.start]:02x} at byte offset {error.start}{unpacked} "
            f"(line {line}) cannot be decoded"
        )
    else:
        where = f"it cannot be decoded{unpacked} ({error})"
    if name == "standard input":
        fix = "convert it to UTF-8 first, e.g. iconv -f latin1 -t utf-8 FILE | linmod ... -"
    elif text.compression:
        fix = f"save it as UTF-8, e.g. zcat {Path(name).name} | iconv -f latin1 -t utf-8 > utf8.csv"
    else:
        shown = Path(name).name
        fix = f"save it as UTF-8, e.g. iconv -f latin1 -t utf-8 {shown} > utf8-{shown}"
    return InputError(f"{name} is not UTF-8 text: {where}; {fix}")


def read_bytes(
    data: bytes, name: str = "standard input", options: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Read CSV data held in memory (standard input) with the checks of :func:`read_table`.

    Gzip data is decompressed and UTF-16/UTF-32 with a byte-order mark decoded; a
    workbook, archive or binary data, text that is not UTF-8 and a header split by
    another separator are each an :class:`InputError` naming ``name`` and the fix.
    """
    keywords = csv_options() | check_read_options(options)
    separator = keywords.pop("sep", None) or ","
    if not data.strip():
        raise InputError(f"{name} is empty: it holds no header and no rows")
    text = sniff_bytes(name, data)
    if text.compression:
        data = gunzip(name, data)
    try:
        decoded = data.decode(text.encoding or "utf-8-sig")
    except UnicodeDecodeError as error:
        raise format_decode_error(name, text, data, error) from None
    check_separator(Path(name), text.head, separator)
    check_header_names(name, text.head, separator)
    try:
        frame = pd.read_csv(
            io.StringIO(decoded, newline=""), sep=separator, **parser_keywords(keywords)
        )
    except pd.errors.EmptyDataError:
        raise InputError(f"{name} holds no columns: give a header line and rows") from None
    except pd.errors.ParserError as error:
        raise InputError(f"{name}: malformed data: {' '.join(str(error).split())}") from None
    return without_trailing_blank_rows(frame, name)


def decode_error(path: Path, error: UnicodeDecodeError) -> InputError:
    """Where a text file stops being UTF-8, as an error naming the byte, offset and line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            try:
                decoder.decode(block, final=len(block) < _BLOCK)
            except UnicodeDecodeError as bad:
                # The decoder keeps an incomplete sequence from the previous block.
                carried = bad.object[: bad.start]
                position = offset + len(carried) - (len(bad.object) - len(block))
                line += carried.count(b"\n")
                byte = bad.object[bad.start]
                return InputError(
                    f"{path} is not UTF-8 text: byte 0x{byte:02x} at byte offset {position} "
                    f"(line {line}) cannot be decoded; save the file as UTF-8, e.g. "
                    f"iconv -f latin1 -t utf-8 {path.name} > utf8-{path.name}"
                )
            offset += len(block)
            line += block.count(b"\n")
    return InputError(f"{path} is not UTF-8 text ({error.reason}); save the file as UTF-8")


def parquet_error(path: Path, error: Exception, row: int | None = None) -> InputError:
    """A Parquet file pyarrow cannot read: truncated, damaged or not Parquet at all."""
    size = path.stat().st_size if path.exists() else 0
    if row is None:
        where = f"its footer (the file's last bytes, up to byte {max(size - 1, 0)})"
    else:
        where = f"the data from row {row + 1}"
    detail = " ".join(str(error).split())
    return InputError(
        f"{path} is not a readable Parquet file: {where} is damaged or missing (truncated "
        f"or corrupt file: {detail}); write it again"
    )


def _read_parquet(path: Path) -> pd.DataFrame:
    pq = parquet_module(path)
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow's ArrowInvalid, OSError, ...
        raise parquet_error(path, error) from None
    import pyarrow as pa

    tables, row = [], 0
    for group in range(parquet.num_row_groups):  # one at a time: a damaged one is located
        try:
            tables.append(parquet.read_row_group(group))
        except Exception as error:
            raise parquet_error(path, error, row) from None
        row += tables[-1].num_rows
    if not tables:
        return parquet.schema_arrow.empty_table().to_pandas()
    return pa.concat_tables(tables).to_pandas()


def read_table(path: str | Path, options: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Read a whole CSV, TSV or Parquet file into memory, with clear errors.

    Parameters
    ----------
    path : str or Path
        ``.parquet``/``.pq`` (pyarrow), ``.tsv``/``.tab`` (tabs), anything else as CSV;
        gzip-compressed and UTF-16/UTF-32 text (with a byte-order mark) is read too.
    options : mapping, optional
        CSV read options (:func:`check_read_options`): ``sep=";"`` splits fields at
        semicolons (default: tabs for ``.tsv``/``.tab``, else commas), ``thousands=","`` reads
        ``"43,609"`` as 43609, ``decimal=","`` reads ``"3,14"`` as 3.14, ``na_values``
        adds strings read as missing (empty cells and ``NA`` already are).

    Raises
    ------
    InputError
        If the file is empty, cut short, not UTF-8, malformed, or Parquet that cannot be
        read (or pyarrow is missing).
    """
    file = Path(path)
    check_not_empty(file)
    if file.suffix.lower() in _PARQUET:
        return _read_parquet(file)
    keywords = csv_options() | check_read_options(options)
    separator = keywords.pop("sep", None) or default_separator(file)
    text = check_text_file(file, separator)
    if not text.plain:  # gzip, UTF-16: decompressed or decoded in memory
        return read_bytes(file.read_bytes(), str(file), {"sep": separator, **keywords})
    check_header_names(file, text.head, separator)
    try:
        frame = pd.read_csv(file, sep=separator, **parser_keywords(keywords))
    except UnicodeDecodeError as error:
        raise decode_error(file, error) from None
    except pd.errors.ParserError as error:
        raise InputError(f"{file}: malformed data: {' '.join(str(error).split())}") from None
    return without_trailing_blank_rows(frame, file)
