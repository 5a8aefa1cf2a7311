"""What a data file really holds, told from its first bytes, before pandas reads it.

Spreadsheets and old tools write "CSV" in more ways than UTF-8 with ``\\n``: Excel's
"Unicode text" is UTF-16 with a byte-order mark, classic Mac Excel ends lines with a
carriage return alone, a download may be gzip-compressed, and a workbook (``.xlsx``, a
zip archive) or an ``.xls`` file is sometimes given where a CSV was meant.
:func:`sniff_bytes` tells these apart: gzip is decompressed (pandas reads it, given
``compression="gzip"``), a UTF-16/UTF-32 byte-order mark sets the encoding, a workbook,
zip archive, Parquet or other binary file is an :class:`InputError` saying what the file
is and how to make a CSV of it, and so is a lone carriage return in the middle of a
line of a file whose lines end with a line feed (pandas would split the line there).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linmod.exceptions import InputError

__all__ = ["TextFormat", "data_suffix", "first_record", "gunzip", "sniff_bytes", "sniff_file"]

_BLOCK = 1 << 20
_GZIP = b"\x1f\x8b"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and other Office files
_PARQUET = b"PAR1"
# Longest first: UTF-32-LE's mark starts with UTF-16-LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_EXPORT = (
    "export the sheet as CSV (Excel: File > Save As > 'CSV UTF-8'; LibreOffice: "
    "File > Save As > 'Text CSV') and give that file"
)
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class TextFormat:
    """How to read a text data file.

    Attributes
    ----------
    encoding : str or None
        ``"utf-16"`` or ``"utf-32"`` (with a byte-order mark); None for UTF-8.
    compression : str or None
        ``"gzip"`` or None.
    head : str
        The file's first megabyte of text, decoded (undecodable bytes replaced), without
        a byte-order mark.
    """

    encoding: str | None
    compression: str | None
    head: str

    @property
    def plain(self) -> bool:
        """Uncompressed UTF-8 (or ASCII): the bytes on disk are the text."""
        return self.encoding is None and self.compression is None

    def read_keywords(self) -> dict[str, Any]:
        """``encoding=``/``compression=`` for :func:`pandas.read_csv` (empty when plain)."""
        keywords = {"encoding": self.encoding, "compression": self.compression}
        return {key: value for key, value in keywords.items() if value is not None}


def data_suffix(path: Path) -> str:
    """The file type a name gives, lower case, looking past ``.gz``: ``".csv"`` for
    ``data.csv.gz``."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if len(suffixes) > 1 and suffixes[-1] == ".gz":
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def first_record(text: str, separator: str) -> list[str]:
    """The fields of the first CSV record of ``text`` (quotes respected; a quoted field
    may hold line breaks; a line may end with LF, CRLF or CR)."""
    try:
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])
    except csv.Error:  # e.g. a field beyond the csv module's size limit
        lines = text.splitlines()
        return lines[0].split(separator) if lines else []


def _zip_names(data: bytes | Path) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def _refuse_binary(name: str, head: bytes, whole: bytes | Path) -> None:
    """An error saying what a workbook, archive, Parquet or other binary file is."""
    suffix = Path(name).suffix.lower()
    if head.startswith(_ZIP):
        names = _zip_names(whole)
        if suffix in (".xlsx", ".xlsm", ".xltx") or any(n.startswith("xl/") for n in names):
            raise InputError(
                f"{name} is an Excel workbook (.xlsx), not CSV text: {_EXPORT} "
                "(or read it in Python with pandas.read_excel and pass the data frame)"
            )
        if suffix in (".ods",) or "content.xml" in names:
            raise InputError(f"{name} is an OpenDocument spreadsheet, not CSV text: {_EXPORT}")
        inside = f" (it holds {', '.join(names[:3])}{', ...' if len(names) > 3 else ''})"
        raise InputError(
            f"{name} is a zip archive{inside if names else ''}, not CSV text: unzip it "
            "and give the CSV file inside"
        )
    if head.startswith(_OLE):
        raise InputError(f"{name} is an Excel 97-2003 workbook (.xls), not CSV text: {_EXPORT}")
    if head.startswith(_PARQUET):
        raise InputError(
            f"{name} is a Parquet file, not CSV text: give it a .parquet name to read it as one"
        )


def _encoding(name: str, head: bytes) -> tuple[str | None, int]:
    """The encoding a byte-order mark announces (None: UTF-8) and the mark's length."""
    for mark, encoding in _BOMS:
        if head.startswith(mark):
            return encoding, len(mark)
    if head.startswith(codecs.BOM_UTF8):
        return None, len(codecs.BOM_UTF8)
    if b"\x00" in head[:4096]:
        sample = head[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if max(even, odd) > len(sample) // 4:
            order = "le" if odd > even else "be"
            raise InputError(
                f"{name} looks like UTF-16 text without a byte-order mark (every other byte "
                f"is zero): convert it to UTF-8, e.g. iconv -f utf-16{order} -t utf-8 "
                f"{_shown(name)} > utf8.csv"
            )
        raise InputError(
            f"{name} holds NUL bytes (byte offset {head.index(0)}): it is a binary file, not "
            "CSV text; give the data as CSV, TSV or Parquet"
        )
    return None, 0


def _shown(name: str) -> str:
    """The file name to put in a suggested command (FILE for standard input)."""
    return "FILE" if name == "standard input" else Path(name).name


def _check_line_ends(name: str, text: str, complete: bool) -> None:
    """Refuse a lone carriage return in mid-line of a file whose lines end with LF."""
    if "\n" not in text or "\r" not in text:
        return
    quotes, counted = 0, 0
    for match in _LONE_CR.finditer(text):
        at = match.start()
        if not complete and at == len(text) - 1:
            return  # a CRLF cut at the end of the sample
        quotes += text.count('"', counted, at)
        counted = at
        if quotes % 2:
            continue  # inside a quoted field: pandas keeps it in the value
        line = text.count("\n", 0, at) + 1
        raise InputError(
            f"{name}: line {line} holds a carriage return (CR) in mid-line, though its lines "
            "end with a line feed: it would split the line in two (a line break typed "
            "in a spreadsheet cell?); remove the stray CRs, e.g. "
            f"tr -d '\\r' < {_shown(name)} > fixed.csv"
        )


def _decode_head(name: str, head: bytes, compression: str | None, complete: bool) -> TextFormat:
    encoding, skip = _encoding(name, head)
    decoder = codecs.getincrementaldecoder(encoding or "utf-8")(errors="replace")
    text = decoder.decode(head, final=complete)
    if encoding is None and skip:
        text = text.removeprefix("\ufeff")
    _check_line_ends(name, text, complete)
    return TextFormat(encoding=encoding, compression=compression, head=text)


def gunzip(name: str, data: bytes) -> bytes:
    """Decompress gzip data in memory, or an error naming the damaged stream."""
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(
            f"{name} is gzip-compressed but cannot be decompressed ({error}): it is damaged "
            "or cut short; compress it again"
        ) from None


def sniff_bytes(name: str, data: bytes) -> TextFormat:
    """The format of data held in memory (e.g. standard input), gzip left compressed.

    Raises
    ------
    InputError
        For a workbook, zip archive, Parquet or binary file, UTF-16 without a byte-order
        mark, damaged gzip data, or a stray carriage return in mid-line.
    """
    _refuse_binary(name, data[:_BLOCK], data)
    if data.startswith(_GZIP):
        inner = gunzip(name, data)
        _refuse_binary(name, inner[:_BLOCK], inner)
        return _decode_head(name, inner[:_BLOCK], "gzip", len(inner) <= _BLOCK)
    return _decode_head(name, data[:_BLOCK], None, len(data) <= _BLOCK)


def sniff_file(path: Path) -> TextFormat:
    """The format of a text data file, from its first megabyte (decompressed if gzip).

    Raises
    ------
    InputError
        As :func:`sniff_bytes`.
    """
    with path.open("rb") as stream:
        head = stream.read(_BLOCK + 1)
    _refuse_binary(str(path), head, path)
    if not head.startswith(_GZIP):
        return _decode_head(str(path), head[:_BLOCK], None, len(head) <= _BLOCK)
    try:
        with gzip.open(path, "rb") as stream:
            inner = stream.read(_BLOCK + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(
            f"{path} is gzip-compressed but cannot be decompressed ({error}): it is damaged "
            "or cut short; compress it again"
        ) from None
    if not inner:
        raise InputError(f"{path} is empty once decompressed: it holds no header and no rows")
    _refuse_binary(str(path), inner, inner)
    return _decode_head(str(path), inner[:_BLOCK], "gzip", len(inner) <= _BLOCK)
