"""Chunked data sources for out-of-core fits: files, lists of files, iterators of frames.

Parquet is read in record batches through pyarrow (``pip install 'linmod[files]'``), CSV
and TSV in chunks through pandas; an iterable of DataFrames is taken as it comes.  Every
chunk carries where it came from (file and first row) so that errors can name them, and
every chunk after the first is checked against the first one's schema.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.blank_rows import trailing_blank_records, without_trailing_blank_chunks
from linmod.data.file_reading import (
    check_header_names,
    check_not_empty,
    check_text_file,
    csv_options,
    decode_error,
    format_decode_error,
    parquet_error,
    parquet_module,
    parser_keywords,
)
from linmod.data.frames import is_dask_collection, is_frame, to_pandas
from linmod.data.numeric_text import StrayWords, TextTally, numbers_of
from linmod.data.pinned_files import PinnedFiles
from linmod.data.text_format import data_suffix, first_record
from linmod.exceptions import InputError

__all__ = [
    "Batch",
    "Chunk",
    "is_chunked_source",
    "iter_batches",
    "iter_chunks",
    "numeric_parquet_columns",
    "parquet_files",
    "parquet_head",
    "prefetch",
    "untyped_columns",
]

_PARQUET = (".parquet", ".pq")
_TEXT = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": ","}


@dataclass(frozen=True)
class Chunk:
    """A block of rows and where it came from."""

    frame: pd.DataFrame
    source: str
    first_row: int

    def describe_row(self, position: int) -> str:
        """Name 0-based ``position`` of this chunk as ``file row N`` (1-based, no header)."""
        return f"{self.source} row {self.first_row + position + 1}"


@dataclass(frozen=True)
class Batch:
    """A pyarrow record batch of a Parquet file and where it came from (no pandas copy)."""

    batch: Any  # pyarrow.RecordBatch
    source: str
    first_row: int

    def describe_row(self, position: int) -> str:
        """Name 0-based ``position`` of this batch as ``file row N`` (1-based, no header)."""
        return f"{self.source} row {self.first_row + position + 1}"

    def to_chunk(self) -> Chunk:
        """The same rows as a pandas chunk."""
        return Chunk(self.batch.to_pandas(), self.source, self.first_row)


def _is_path(obj: Any) -> bool:
    return isinstance(obj, (str, os.PathLike))


def is_chunked_source(data: Any) -> bool:
    """Whether ``data`` is a file, a list of files or an iterator of frames (not a frame)."""
    if _is_path(data):
        return True
    if is_frame(data) or is_dask_collection(data):
        return False
    if isinstance(data, (dict, bytes, np.ndarray, pd.Series)):
        return False
    if isinstance(data, Sequence):
        return bool(data) and (all(map(_is_path, data)) or all(map(is_frame, data)))
    return isinstance(data, Iterable)


def _parquet_file(path: Path, buffer_size: int = 0) -> Any:
    pq = parquet_module(path)
    check_not_empty(path)
    # pre_buffer=False: read one row group at a time; with pre-buffering pyarrow keeps
    # the file's column chunks in memory (9 GB of RSS for an 8 GB file).
    try:
        return pq.ParquetFile(path, pre_buffer=False, buffer_size=buffer_size)
    except Exception as error:  # ArrowInvalid, OSError: no footer, not Parquet
        raise parquet_error(path, error) from None


def _parquet_batches(path: Path, chunksize: int, columns: list[str] | None) -> Iterator[Batch]:
    row = 0
    batches = _parquet_file(path).iter_batches(batch_size=chunksize, columns=columns)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except InputError:
            raise
        except Exception as error:  # a damaged page or row group
            raise parquet_error(path, error, row) from None
        yield Batch(batch, str(path), row)
        row += batch.num_rows


def _parquet_chunks(path: Path, chunksize: int, columns: list[str] | None) -> Iterator[Chunk]:
    for batch in _parquet_batches(path, chunksize, columns):
        yield batch.to_chunk()


def _as_list(data: Any) -> list[Any]:
    return [data] if _is_path(data) else list(data)


def parquet_files(data: Any) -> Sequence[Path] | None:
    """The paths of ``data`` when it is one or more existing Parquet files, else None."""
    if _is_path(data):
        items: list[Any] = [data]
    elif isinstance(data, Sequence) and not isinstance(data, str) and data:
        items = list(data)
    else:
        return None
    if not all(map(_is_path, items)):
        return None
    paths = [Path(item) for item in items]
    if all(p.suffix.lower() in _PARQUET and p.is_file() for p in paths):
        return data if isinstance(data, PinnedFiles) else paths
    return None


def parquet_head(path: Path, rows: int) -> pd.DataFrame:
    """The first ``rows`` rows of a Parquet file (one small read)."""
    parquet = _parquet_file(path, buffer_size=1 << 16)  # stream pages: not whole columns
    try:
        batch = next(parquet.iter_batches(batch_size=rows), None)
    except Exception as error:  # a damaged first page
        raise parquet_error(path, error, 0) from None
    return parquet.schema_arrow.empty_table().to_pandas() if batch is None else batch.to_pandas()


def numeric_parquet_columns(paths: Sequence[Path], columns: Sequence[str]) -> bool:
    """Whether every file has the first one's columns and ``columns`` are numbers in all.

    Numbers are Arrow integers and floating point (not booleans, decimals or
    dictionaries), the types that convert to float64 exactly as pandas would.  Only the
    files' metadata is read.
    """
    import pyarrow as pa

    first = None
    for path in paths:
        schema = _parquet_file(path).schema_arrow
        if first is None:
            first = schema.names
        if schema.names != first:
            return False
        for column in columns:
            if column not in schema.names:
                return False
            kind = schema.field(column).type
            if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
                return False
    return True


def iter_batches(
    paths: Sequence[Path], chunksize: int = 100_000, columns: list[str] | None = None
) -> Iterator[Batch]:
    """Yield the record batches of Parquet files, ``chunksize`` rows at a time.

    Parameters
    ----------
    paths : sequence of Path
        Parquet files, read one after another.
    chunksize : int
        Rows per batch (a batch never spans two files).
    columns : list of str, optional
        Read only these columns.

    Yields
    ------
    Batch
    """
    if not isinstance(chunksize, int) or isinstance(chunksize, bool) or chunksize < 1:
        raise InputError(f"chunksize={chunksize!r} must be a positive integer")
    for index, path in enumerate(paths):
        yield from _checked(paths, index, _parquet_batches(path, chunksize, columns))


def _checked(paths: Sequence[Path], index: int, items: Iterator[Any]) -> Iterator[Any]:
    """The chunks or batches of file ``index``, checked against its pinned state before
    and after the pass when ``paths`` are :class:`PinnedFiles`."""
    if not isinstance(paths, PinnedFiles):
        yield from items
        return
    paths.check(index)
    rows = 0
    for item in items:
        rows += len(item.frame) if isinstance(item, Chunk) else item.batch.num_rows
        yield item
    paths.check(index, rows)


def _text_chunks(
    path: Path, chunksize: int, columns: list[str] | None, warned: set[str] | None = None
) -> Iterator[Chunk]:
    options = csv_options()  # sep=, thousands=, decimal=, na_values= (read_options)
    separator = options.pop("sep", None) or _TEXT[data_suffix(path)]
    text = check_text_file(path, separator)  # gzip, UTF-16: pandas decompresses, decodes
    check_header_names(path, text.head, separator)  # pandas would rename a second "x"
    keywords = parser_keywords(options)
    # Empty rows at the file's end are left out (as in memory): judged on every column, so
    # a compressed file read for some columns is read whole and cut to them afterwards.
    usecols = columns if text.plain else None
    names = [str(n) for n in first_record(text.head, separator)]
    bound = None
    if columns is not None and text.plain:
        bound = lambda: trailing_blank_records(path, separator, names, keywords)  # noqa: E731
    row = 0
    try:
        with pd.read_csv(
            path,
            sep=separator,
            chunksize=chunksize,
            usecols=usecols,
            **text.read_keywords(),
            **keywords,
        ) as reader:
            frames = without_trailing_blank_chunks(reader, path, bound, warned)
            for frame in frames if usecols is not None else _projected(frames, columns, path):
                row = int(frame.index[0])
                frame.index = pd.RangeIndex(row, row + len(frame))
                yield Chunk(frame, str(path), row)
                row += len(frame)
    except pd.errors.ParserError as error:
        raise InputError(f"{path}: malformed data after row {row}: {error}") from None
    except UnicodeDecodeError as error:
        if not text.plain:
            raise format_decode_error(str(path), text, None, error) from None
        raise decode_error(path, error) from None
    except ValueError as error:
        if "Usecols" in str(error) or "usecols" in str(error):
            raise InputError(f"{path}: {error}") from None
        raise


def _projected(
    frames: Iterable[pd.DataFrame], columns: list[str] | None, path: Path
) -> Iterator[pd.DataFrame]:
    """Chunks read whole, cut to ``columns`` (all when None), as ``usecols=`` would."""
    for frame in frames:
        if columns is not None:
            absent = [c for c in columns if c not in frame.columns]
            if absent:
                raise InputError(
                    f"{path}: Usecols do not match columns, columns expected but not found: "
                    f"{absent}"
                )
            frame = frame[columns]
        yield frame


def _file_chunks(
    path: Path, chunksize: int, columns: list[str] | None, warned: set[str] | None = None
) -> Iterator[Chunk]:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    suffix = data_suffix(path)  # data.csv.gz: gzip-compressed CSV
    if suffix in _PARQUET:
        yield from _parquet_chunks(path, chunksize, columns)
    elif suffix in _TEXT:
        yield from _text_chunks(path, chunksize, columns, warned)
    else:
        raise InputError(f"{path}: unknown file type {suffix!r}; use .parquet, .csv or .tsv files")


def _check_schema(
    chunk: Chunk, reference: Chunk | None, columns: list[str] | None, untyped: set[str]
) -> None:
    """Refuse a chunk whose columns differ from the first chunk's (``reference``), in name
    or kind (numbers or text); ``untyped`` columns (no value in the first chunk) may be
    either (the pass that finds the levels decides)."""
    if reference is None:
        return
    expected = list(reference.frame.columns) if columns is None else columns
    found = list(chunk.frame.columns)
    missing = [c for c in expected if c not in found]
    if missing:
        raise InputError(
            f"{chunk.source}: column(s) {', '.join(map(repr, missing))} present in "
            f"{reference.source} are missing (schema drift between inputs)"
        )
    for column in expected:
        if column in untyped:
            continue  # no value in the first chunk, so no type: the values decide later
        before = reference.frame[column].dtype
        after = chunk.frame[column].dtype
        numeric_before = pd.api.types.is_numeric_dtype(before)
        numeric_after = pd.api.types.is_numeric_dtype(after)
        if pd.api.types.is_bool_dtype(before) and not numeric_after:
            continue  # True/False with a hole reads as text: the encoding checks the values
        if not numeric_before and chunk.frame[column].isna().all():
            continue  # no value in this chunk (pandas reads float64): missing, as in memory
        # A word in a column of numbers, in this chunk or (mostly numbers) in the first?
        if numeric_before and not numeric_after:
            numbers_of(chunk.frame[column], column, chunk.describe_row)
        if numeric_after and not numeric_before:
            tally = TextTally()
            tally.add(reference.frame, [column])
            if tally.mostly_numbers():
                continue  # numbers with a word in the first chunk: refused, every word
                # named, when a model folds the column (a column it does not use is kept)
        if numeric_before != numeric_after:
            raise InputError(
                f"{chunk.source} from row {chunk.first_row + 1}: column {column!r} is {after} but "
                f"was {before} in {reference.source} (schema drift, or a malformed value)"
            )


def untyped_columns(frame: pd.DataFrame) -> set[str]:
    """The columns of ``frame`` (a first chunk) with no value, so no type of their own:
    pandas reads them as float64 whatever later chunks hold."""
    return {
        str(c)
        for c in frame.columns
        if isinstance(frame[c], pd.Series)
        and len(frame) > 0
        and pd.api.types.is_numeric_dtype(frame[c])
        and frame[c].isna().all()
    }


def iter_chunks(
    data: Any, chunksize: int = 100_000, columns: list[str] | None = None
) -> Iterator[Chunk]:
    """Yield the chunks of a file, a list of files or an iterable of DataFrames.

    Parameters
    ----------
    data : path, sequence of paths, or iterable of DataFrames
    chunksize : int
        Rows per chunk read from files.
    columns : list of str, optional
        Read only these columns (Parquet and CSV column projection).

    Yields
    ------
    Chunk
    """
    if not isinstance(chunksize, int) or isinstance(chunksize, bool) or chunksize < 1:
        raise InputError(f"chunksize={chunksize!r} must be a positive integer")
    reference: Chunk | None = None
    if _is_path(data) or (
        isinstance(data, Sequence) and not isinstance(data, str) and all(map(_is_path, data))
    ):
        paths = data if isinstance(data, PinnedFiles) else [Path(p) for p in _as_list(data)]
        warned = paths.warned if isinstance(paths, PinnedFiles) else None
        sources: Iterable[Chunk] = (
            chunk
            for index, path in enumerate(paths)
            for chunk in _checked(paths, index, _file_chunks(path, chunksize, columns, warned))
        )
    else:
        sources = _frame_chunks(data, columns)
    untyped: set[str] = set()
    for chunk in sources:
        try:
            _check_schema(chunk, reference, columns, untyped)
        except StrayWords as error:  # the advice lists the words of every chunk
            raise error.survey.read_on(sources).error() from None
        if reference is None:
            reference, untyped = chunk, untyped_columns(chunk.frame)
        yield chunk


def _frame_chunks(frames: Iterable[Any], columns: list[str] | None) -> Iterator[Chunk]:
    row = 0
    for number, item in enumerate(frames):
        frame = to_pandas(item)
        if columns is not None:
            absent = [c for c in columns if c not in frame.columns]
            if absent:
                raise InputError(f"chunk {number} lacks column(s) {', '.join(map(repr, absent))}")
            frame = frame[columns]
        frame = frame.set_axis(pd.RangeIndex(row, row + len(frame)), axis=0)
        yield Chunk(frame, f"chunk {number}", row)
        row += len(frame)


_DONE = object()


def prefetch(items: Iterator[Any], depth: int = 1) -> Iterator[Any]:
    """Produce ``items`` on a background thread, ``depth`` ahead of the consumer.

    Reading (pyarrow, pandas' parser) and the consumer's BLAS work both release the GIL, so
    the next chunk is read while the current one is folded: the time per chunk becomes
    the larger of the two instead of their sum.  Memory grows by ``depth`` chunks.
    Exceptions raised while producing are re-raised in the consumer.
    """
    buffer: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        buffer.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put(_DONE)
        except BaseException as error:  # handed to the consumer
            buffer.put(error)

    worker = threading.Thread(target=produce, name="linmod-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)
