"""Opening files as Dask DataFrames, and checking a formula's columns before computing.

Both run on the client and compute nothing: a file is opened by its suffix (Parquet,
CSV or tab-separated text, a directory or glob of Parquet files), and every data
variable of a formula must be a column of the DataFrame before any task is sent.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from formulaic import Formula

from linmod.data.blank_rows import trailing_blank_records, warn_blank_rows
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.file_reading import check_header_names
from linmod.data.formula_hints import r_function_hint
from linmod.data.text_format import sniff_file
from linmod.exceptions import InputError
from linmod.outofcore.cluster import check_timeout, compute

__all__ = ["check_formula_columns", "read_table"]

_PARQUET = (".parquet", ".pq", "")
_TEXT = {".csv": ",", ".txt": ",", ".tsv": "\t", ".tab": "\t"}


def _suffix(path: Any) -> str:
    """The file type of ``path``, a glob (``data/*.parquet``) or a directory (``""``)."""
    text = str(path).rstrip("/\\")
    return PurePosixPath(text.replace("\\", "/")).suffix.lower()


def read_table(path: Any, blocksize: int | str = "default") -> Any:
    """Open ``path`` as a Dask DataFrame, by its suffix.

    A column of a local CSV file with no value in the rows Dask types the file from is
    typed on the whole file (text if some value is text, else numbers), as pandas types
    it reading all of the file; Dask alone would call it float64 and fail on a later
    partition holding text.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.parquet``/``.pq`` file, a directory of Parquet files or a glob of them; a
        ``.csv``/``.txt`` (comma-separated) or ``.tsv``/``.tab`` (tab-separated) file
        or glob of them.
    blocksize : int or "default"
        Bytes of a CSV file per partition (``dask.dataframe.read_csv``'s; its default
        is 64 MB).

    Returns
    -------
    dask.dataframe.DataFrame

    Raises
    ------
    InputError
        Another suffix, or a path that cannot be opened.
    """
    import dask.dataframe as dd

    suffix = _suffix(path)
    if suffix not in _PARQUET and suffix not in _TEXT:
        raise InputError(
            f"{path}: unknown file type {suffix!r} for a Dask fit; use .parquet (a file, "
            "a directory or a glob of them), .csv or .tsv files"
        )
    text = str(path)
    if "://" not in text and not any(c in text for c in "*?[") and not Path(text).exists():
        raise InputError(f"{path}: no such file or directory")
    if suffix in _TEXT and "://" not in text and Path(text).is_file():
        # Dask, as pandas, would rename a repeated "x" to "x.1"
        check_header_names(path, sniff_file(Path(text)).head, _TEXT[suffix])
    try:
        if suffix in _TEXT:
            untyped = _untyped_in_sample(text, _TEXT[suffix])
            sizes = {} if blocksize == "default" else {"blocksize": blocksize}
            frame = dd.read_csv(
                path, sep=_TEXT[suffix], sample_rows=SAMPLE_ROWS,
                dtype={c: object for c in untyped} or None, **sizes,
            )  # fmt: skip
            frame = _typed_over_the_file(frame, untyped)
            return _without_trailing_blank_rows(frame, text, _TEXT[suffix])
        return dd.read_parquet(path)
    except (OSError, ValueError) as error:
        last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
        raise InputError(f"{path}: cannot be opened with Dask: {last[0]}") from None


#: Rows from which Dask types the columns of a CSV file (its ``sample_rows``).
SAMPLE_ROWS = 10


def _untyped_in_sample(path: str, separator: str) -> list[str]:
    """The columns of a local plain CSV file with no value in the rows Dask types it from.

    Dask would type them float64 from those rows alone and fail on a later partition
    holding text; they are read as text instead and typed on the whole file
    (:func:`_typed_over_the_file`), as pandas types them reading all of it.
    """
    file = Path(path)
    if "://" in path or any(c in path for c in "*?[") or not file.is_file():
        return []
    if not sniff_file(file).plain:
        return []
    head = pd.read_csv(file, sep=separator, nrows=SAMPLE_ROWS)
    return [
        str(c)
        for c in head.columns
        if pd.api.types.is_numeric_dtype(head[c]) and head[c].isna().all() and len(head)
    ]


def _words_in(values: pd.Series) -> pd.Series:
    """How many values of a partition's text column are not numbers (as a 1-row Series)."""
    words = values.notna() & pd.to_numeric(values, errors="coerce").isna()
    return pd.Series([int(words.sum())], dtype="int64")


def _as_float(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


def _typed_over_the_file(frame: Any, columns: list[str]) -> Any:
    """``frame`` with each of ``columns`` (read as text) made float64 when every value in
    the file is a number, and left text otherwise: the type pandas gives it reading the
    whole file.  One pass over those columns only."""
    if not columns:
        return frame
    meta = pd.Series(dtype="int64")
    counts = [frame[c].map_partitions(_words_in, meta=meta).sum() for c in columns]
    words = compute(*counts, timeout=check_timeout(None))
    numbers = [c for c, n in zip(columns, words, strict=True) if int(n) == 0]
    if not numbers:
        return frame
    return frame.assign(
        **{c: frame[c].map_partitions(_as_float, meta=(c, "float64")) for c in numbers}
    )


def _without_trailing_blank_rows(frame: Any, path: str, separator: str) -> Any:
    """A Dask frame of one local CSV file without the empty rows at its end.

    As the in-memory and chunked readers do (:mod:`linmod.data.blank_rows`), with the
    same warning: the file's last lines say how many records are blank in every column;
    they are cut from the last partition (and, should a partition boundary fall among
    them, from the partitions before it that hold nothing else).  Globs, remote and
    compressed files are read as they are.
    """
    file = Path(path)
    if "://" in path or any(c in path for c in "*?[") or not file.is_file():
        return frame
    if not sniff_file(file).plain:
        return frame
    names = [str(c) for c in frame.columns]
    blank = trailing_blank_records(file, separator, names, {})
    if not blank:
        return frame
    trim: dict[int, int] = {}  # partition -> rows cut from its end
    remaining, number = blank, frame.npartitions - 1
    while remaining and number >= 0:
        rows = int(frame.partitions[number].shape[0].compute()) if number else remaining
        trim[number] = min(rows, remaining)
        remaining -= trim[number]
        number -= 1
    warn_blank_rows(path, blank)
    return frame.map_partitions(_cut, trim, partition_info=True, meta=frame._meta)


def _cut(part: Any, trim: dict[int, int], partition_info: dict[str, Any] | None = None) -> Any:
    """``part`` less the rows ``trim`` says to cut from the end of its partition."""
    rows = trim.get((partition_info or {}).get("number", -1), 0)
    return part.iloc[: len(part) - rows] if rows else part


def check_formula_columns(formula: Formula, columns: Iterable[Any]) -> None:
    """Refuse a formula that names a variable the data do not have.

    Parameters
    ----------
    formula : formulaic.Formula
    columns : iterable
        The columns of the data.

    Raises
    ------
    InputError
        Naming the first unknown variable, the columns (up to 20) and close matches.
    """
    names = [str(c) for c in columns]
    known = set(names) | set(FORMULA_CONTEXT)
    unknown = sorted(str(v) for v in formula.required_variables if str(v) not in known)
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, names, n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    hint = r_function_hint(str(formula)) or hint  # factor(x), offset(x), ...: R's names
    more = f", … ({len(names)} in all)" if len(names) > 20 else ""
    raise InputError(
        f"formula variable {name!r} is not a column of the data "
        f"(columns: {', '.join(names[:20])}{more}){hint}"
    )
