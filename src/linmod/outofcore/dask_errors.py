"""Dask's error for a CSV column typed from its first rows, in linmod's words.

``dask.dataframe.read_csv`` types each column from the first rows of the file (its
``sample_rows``, 10 by default) and fails on a later partition whose values do not fit
that type: a column of numbers with a word further down (``"unknown"``, ``"-"``), or a
text column whose first rows are empty, raise a ``ValueError`` with a table of the
columns ("Mismatched dtypes found in `pd.read_csv`").  A fit reading such a frame says
which column it is, what Dask read it as and what a later partition holds, and how to
read the file so that the whole column decides its type, as it does in memory.
"""

from __future__ import annotations

import re

from linmod.exceptions import InputError

__all__ = ["dtype_mismatch_error"]

_MISMATCH = "Mismatched dtypes found in `pd.read_csv`"
_ROW = re.compile(r"^\|\s*(.+?)\s*\|\s*(\S+)\s*\|\s*(\S+)\s*\|\s*$", re.MULTILINE)
_VALUE = re.compile(r"could not convert string to float: ('(?:[^'\\]|\\.)*'|\"[^\"]*\")")


def dtype_mismatch_error(error: BaseException) -> InputError | None:
    """The error naming the column(s) and the fix for Dask's type mismatch, or None when
    ``error`` is another error."""
    text = str(error)
    if not isinstance(error, ValueError) or _MISMATCH not in text:
        return None
    rows = [m.groups() for m in _ROW.finditer(text) if m.group(1) != "Column"]
    if not rows:
        return None
    names = [name for name, _, _ in rows]
    expected = rows[0][2]
    value = _VALUE.search(text)
    example = f" (e.g. {value.group(1)})" if value else ""
    listing = ", ".join(map(repr, names))
    types = ", ".join(f"{name!r}: object" for name in names)
    several = len(names) > 1
    return InputError(
        f"column{'s' if several else ''} {listing} of the CSV file: Dask typed "
        f"{'them' if several else 'it'} "
        f"{expected} from the file's first rows, but a later partition holds text{example}; "
        f"read the file with dd.read_csv(path, dtype={{{types}}}) so that the whole column "
        "decides (text, or numbers whose stray words linmod names with the na_values that "
        "make them missing), or stream it with chunksize= instead of Dask"
    )
