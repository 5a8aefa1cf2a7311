"""The empty rows a spreadsheet export leaves at the end of a CSV, in memory and in chunks.

A spreadsheet saved as CSV often ends with lines such as ``,,,`` (every field empty):
pandas reads them as rows missing in every column.  The in-memory reader leaves them out
with a warning (:func:`without_trailing_blank_rows`); a chunked read does the same
(:func:`without_trailing_blank_chunks`) without reading the file twice: rows that are
blank at a chunk's end are held back until a later row that is not blank shows them to
be inside the data (they are then handed on with the next chunk) or the file ends (they
are then left out, with the in-memory warning).  Empty rows inside the data stay rows
with missing values, as in memory.

When only some columns are read (the model's), a row blank in those may hold values in
others; the rows the end of the file shows to be blank in every column
(:func:`trailing_blank_records`, which reads the file's last lines only) bound what is
left out.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linmod._stack import user_stacklevel
from linmod.exceptions import LinmodWarning

__all__ = [
    "trailing_blank_records",
    "warn_blank_rows",
    "without_trailing_blank_chunks",
    "without_trailing_blank_rows",
]

_TAIL = 1 << 16
_LINE_END = re.compile(r"\r\n|\n|\r")


def warn_blank_rows(name: str | Path, count: int, warned: set[str] | None = None) -> None:
    """Warn that the last ``count`` rows of ``name`` are empty and left out (once per
    fit: not when the message is in ``warned``, the warnings a fit already gave)."""
    message = (
        f"{name}: the last {count} row(s) are empty (every cell blank, as a spreadsheet "
        "export leaves them): left out"
    )
    if warned is not None:
        if message in warned:
            return
        warned.add(message)
    warnings.warn(message, LinmodWarning, stacklevel=user_stacklevel())


def _filled(frame: pd.DataFrame) -> np.ndarray:
    """Which rows of ``frame`` hold at least one value."""
    return np.asarray(frame.notna().any(axis=1).to_numpy(), dtype=bool)


def without_trailing_blank_rows(frame: pd.DataFrame, name: str | Path) -> pd.DataFrame:
    """``frame`` without the rows at its end whose every cell is empty (``,,,,`` lines a
    spreadsheet export leaves after the data), with a warning; they would otherwise be
    missing values in every column."""
    filled = _filled(frame)
    if frame.shape[1] == 0 or filled.all():
        return frame
    keep = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    if keep == len(frame):
        return frame
    warn_blank_rows(name, len(frame) - keep)
    return frame.iloc[:keep]


def _filled_end(frame: pd.DataFrame) -> int:
    """One past the last row of ``frame`` that holds a value (its length when the last
    row does: the usual case, judged from that row alone)."""
    if not len(frame) or not frame.shape[1] or frame.iloc[-1:].notna().to_numpy().any():
        return len(frame)
    filled = _filled(frame)
    return int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0


def without_trailing_blank_chunks(
    frames: Iterator[pd.DataFrame],
    name: str | Path,
    bound: Callable[[], int] | None = None,
    warned: set[str] | None = None,
) -> Iterator[pd.DataFrame]:
    """The frames of a chunked read, less the empty rows at the end of the data.

    Rows blank at the end of a frame are held back: a later frame with a row that is not
    blank gets them in front of its own rows; at the end they are left out, with the
    warning of :func:`without_trailing_blank_rows`.  Frames keep the rows' original
    index labels, so a frame's first label is its first row's position.

    Parameters
    ----------
    frames : iterator of DataFrame
        The chunks as read, in order.
    name : str or Path
        The file, for the warning.
    bound : callable, optional
        When the frames hold only some of the file's columns: the number of records at
        the file's end that are blank in all of them (called only when some rows were held
        back to the end).  At most that many rows are left out; any others held back are
        handed on as a last frame.
    warned : set of str, optional
        The warnings the fit already gave (:func:`warn_blank_rows`).

    Yields
    ------
    DataFrame
    """
    held: pd.DataFrame | None = None
    for frame in frames:
        if held is not None and len(frame):
            frame = pd.concat([held, frame]) if len(held) else frame
            held = None
        end = _filled_end(frame)
        if end < len(frame):
            blank = frame.iloc[end:]
            held = blank if held is None else pd.concat([held, blank])
            frame = frame.iloc[:end]
        if len(frame):
            yield frame
    if held is None or not len(held):
        return
    drop = len(held) if bound is None else min(len(held), bound())
    if drop < len(held):
        yield held.iloc[: len(held) - drop]
    if drop:
        warn_blank_rows(name, drop, warned)


def trailing_blank_records(
    path: Path, separator: str, names: Sequence[str], keywords: Mapping[str, Any]
) -> int:
    """How many records at the end of an uncompressed UTF-8 CSV are blank in every column.

    The file's last lines are read, from the end, until one holds a value: a line of
    separators only is blank; any other is parsed as pandas would read it
    (``keywords``: ``pandas.read_csv``'s, e.g. ``na_values``), so ``NA,NA`` is blank and a
    line of spaces is no record at all (pandas skips it).  The header line is not counted.
    """
    size = path.stat().st_size
    span = _TAIL
    while True:
        with path.open("rb") as stream:
            stream.seek(max(size - span, 0))
            text = stream.read(span).decode("utf-8", errors="replace")
        lines = _LINE_END.split(text)
        whole = span >= size
        lines = lines[1:]  # the header, or a line cut by the block's start
        count = 0
        for line in reversed(lines):
            blank = _blank_line(line, separator, names, keywords)
            if blank is None:
                continue
            if not blank:
                return count
            count += 1
        if whole:
            return count
        span *= 8


def _blank_line(
    line: str, separator: str, names: Sequence[str], keywords: Mapping[str, Any]
) -> bool | None:
    """Whether one line is a blank record (None: not a record, as pandas skips it)."""
    if not line:
        return None
    if not line.strip(separator):
        return True
    try:
        frame = pd.read_csv(
            io.StringIO(line),
            sep=separator,
            header=None,
            names=list(range(max(len(names), 1))),
            dtype=str,
            **keywords,
        )
    except (ValueError, pd.errors.ParserError):
        return False  # not a record of empty fields
    if frame.empty:
        return None
    return not bool(frame.notna().to_numpy().any())
