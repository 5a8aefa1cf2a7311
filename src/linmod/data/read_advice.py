"""How a message names a CSV read option: as ``pandas.read_csv`` or a streamed fit takes it.

Words among a column's numbers (``"unknown"``, ``"-"``) and numbers in another notation
(``"43,609"``) are fixed by reading the file again with a read option.  A data frame was
read by the user, with ``pandas.read_csv(path, na_values=[...])``; a file that
``linmod.ols(..., data="file.csv", chunksize=...)`` streams is read by linmod, which
takes the same options as ``read_options={"na_values": [...]}``.  Messages built while a
streamed fit of files runs (:func:`streamed_reading`) name the option in that form; the
command line turns either form into its flags (``--na-values``, ``--thousands``).

The flag is process-wide, not per thread: chunks are read (and a word met) on a reader
thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from linmod.data.text_format import data_suffix

__all__ = ["read_advice", "read_options_advised", "streamed_reading", "streaming_text_files"]

_LOCK = threading.Lock()
_STREAMED = [0]  # how many streamed fits of files are running


@contextmanager
def streamed_reading() -> Iterator[None]:
    """While the block runs, read options are advised as ``read_options={...}``."""
    with _LOCK:
        _STREAMED[0] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STREAMED[0] -= 1


#: The suffixes of the files ``read_options=`` applies to (CSV and tab-separated text).
_TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")


def streaming_text_files(data: Any) -> Any:
    """:func:`streamed_reading` when ``data`` is CSV/TSV files (which ``read_options=``
    reads), else a context that changes nothing (Parquet files, frames: read otherwise)."""
    paths = [data] if isinstance(data, (str, os.PathLike)) else data
    if not isinstance(paths, (list, tuple)) or not paths:
        return nullcontext()
    if not all(isinstance(p, (str, os.PathLike)) for p in paths):
        return nullcontext()
    if not all(data_suffix(Path(p)) in _TEXT_SUFFIXES for p in paths):
        return nullcontext()
    return streamed_reading()


def read_options_advised() -> bool:
    """Whether read options are advised as ``read_options={...}`` (a streamed fit runs)."""
    with _LOCK:
        return _STREAMED[0] > 0


def read_advice(options: Mapping[str, Any]) -> str:
    """The words that tell the user to read the file again with ``options``.

    Parameters
    ----------
    options : mapping
        ``pandas.read_csv`` keywords and their values, e.g. ``{"na_values": ["-", "?"]}``
        or ``{"thousands": ".", "decimal": ","}``.

    Returns
    -------
    str
        ``"read the file with na_values=['-', '?']"`` (``"thousands='.' and
        decimal=','"`` for several), or, inside :func:`streamed_reading`,
        ``"pass read_options={'na_values': ['-', '?']}"``.
    """
    if read_options_advised():
        return f"pass read_options={dict(options)!r}"
    return "read the file with " + " and ".join(f"{k}={v!r}" for k, v in options.items())
