"""Where the data lives: sources that hand their ``[X | y]`` blocks to a map-reduce.

Every out-of-core fit asks the same question of its data: apply a function to each block
of complete rows and merge the answers.  A :class:`BlockSource` answers it wherever the
rows are: :class:`StreamSource` reads files or an iterator chunk by chunk on this
machine (:mod:`linmod.data.blocks` builds the blocks); the Dask sources
(:mod:`linmod.outofcore.dask_sources`) run the function on the workers, one partition a
task, and merge the answers in a tree.  The statistics a model needs (an R factor, one
factor per CV fold, residual products, second-pass sums) are written once, against this
interface, in :mod:`linmod.outofcore.statistics`; a model fitted out of core declares
which of them it needs and gets files, iterators and Dask alike.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from linmod.data.blocks import (
    BlockBuilder,
    PreparedSource,
    has_intercept,
    is_reiterable,
    prepare_source,
    row_namer,
)
from linmod.data.chunk_weights import StreamWeights
from linmod.data.chunks import Chunk, iter_chunks, prefetch
from linmod.data.design import Design
from linmod.data.pinned_files import pin_files
from linmod.linalg.threads import one_blas_thread
from linmod.progress import Progress

__all__ = ["BlockSource", "BlockView", "StreamSource", "open_stream"]

Float = NDArray[np.float64]
T = TypeVar("T")


@dataclass(frozen=True)
class BlockView:
    """One block of complete rows and where they came from.

    Attributes
    ----------
    block : ndarray of shape (m, p + 1)
        ``[X | y]`` of the chunk's complete rows (Fortran order).
    keep : ndarray of bool
        Which rows of the chunk were complete.
    part : int
        The chunk's (or partition's) index in the source.
    positions : ndarray of int64
        Each complete row's position, the input of the seeded fold hash
        (:func:`linmod.data.row_folds.fold_of_rows`) with ``fold_stream``.
    fold_stream : int
        0 when positions count the whole source; the partition's ``index + 1`` when they
        count rows within a Dask partition.
    label : callable
        Names complete row ``i`` of the block (file and 1-based row) for messages.
    weights : ndarray of shape (m,) or None
        The (positive) weight of each row of the block, for a weighted fit
        (:mod:`linmod.outofcore.weighted_statistics`).
    zero : int
        Rows of the chunk dropped from the fit for a zero weight (not in ``keep``).
    """

    block: Float
    keep: NDArray[np.bool_]
    part: int
    positions: NDArray[np.int64]
    fold_stream: int
    label: Callable[[int], str]
    weights: Float | None = None
    zero: int = 0

    @property
    def dropped(self) -> int:
        """Rows of the chunk dropped as incomplete."""
        return int(self.keep.size - np.count_nonzero(self.keep)) - self.zero


Merge = Callable[[Any, Any, int], Any]


def merge_skipping_none(merge: Merge) -> Merge:
    """``merge`` with None as its identity (a block that contributed nothing)."""

    def merged(left: Any, right: Any, salt: int) -> Any:
        if left is None or right is None:
            return left if right is None else right
        return merge(left, right, salt)

    return merged


class BlockSource(abc.ABC):
    """Data that an out-of-core fit reads block by block, possibly on other machines.

    Attributes
    ----------
    parallel : bool
        Whether blocks are processed concurrently (on Dask workers).  A sequential
        source applies the block function in order on this machine, so it may carry state
        from block to block; a parallel one must not.
    reiterable : bool
        Whether the data can be read more than once (refinement, second passes).
    description : str
        How the data is read, for the summary's notes.
    """

    parallel: bool = False
    reiterable: bool = True
    description: str = ""
    weights: StreamWeights | None = None

    @abc.abstractmethod
    def map_reduce(
        self, per_block: Callable[[BlockView], T | None], merge: Merge, *, what: str
    ) -> T | None:
        """Apply ``per_block`` to every block and merge the results in source order.

        Parameters
        ----------
        per_block : callable
            From a :class:`BlockView` to a partial result, or None for nothing.
        merge : callable
            ``merge(left, right, salt)`` of two partial results (left comes first in the
            source); ``salt`` is a distinct integer per merge, for seeding.
        what : str
            What the pass does, for the progress line.

        Returns
        -------
        The merged result, or None when no block gave one.
        """

    @abc.abstractmethod
    def design(self, n_dropped: int) -> Design:
        """The data-free design of the model (names, terms, prediction spec)."""

    @property
    @abc.abstractmethod
    def intercept(self) -> bool:
        """Whether the design's first column is the intercept."""

    def factor_fast_path(self) -> Any:
        """An R factor of the whole source by a faster route than the blocks, or None."""
        return None

    def head_block(self) -> Float | None:
        """``[X | y]`` of the first rows (for shifts computed before a parallel pass)."""
        return None

    def weighted_factor_fast_path(self) -> Any:
        """The factor, rows dropped and weight sums of a weighted source by a faster
        route than the blocks, or None."""
        return None


class StreamSource(BlockSource):
    """Files (CSV, TSV, Parquet), lists of frames or an iterator of frames, read in chunks.

    Blocks are processed in order on this machine with BLAS on one thread, beside a
    reader thread that prefetches the next chunk.  The first pass reuses the chunks read
    while preparing the model; later passes read the data again (files and lists only).
    """

    parallel = False

    def __init__(
        self, prepared: PreparedSource, data: Any, chunksize: int, progress: bool | None
    ) -> None:
        self.prepared = prepared
        self.data = data
        self.chunksize = chunksize
        self.progress = progress
        self.reiterable = is_reiterable(data)
        self.description = f"streamed in chunks of {chunksize} rows"
        self.weights = prepared.stream.weights
        self._passes = 0

    @property
    def builder(self) -> BlockBuilder:
        """The block builder (its model spec is complete after the first pass)."""
        return self.prepared.stream

    @property
    def intercept(self) -> bool:
        return has_intercept(self.builder)

    def _chunks(self) -> Iterator[Chunk]:
        pending, self.prepared.chunks = self.prepared.chunks, None
        if pending is not None:
            return pending
        columns = self.builder.used or self.prepared.columns
        if self.weights is not None and self.weights.column not in columns:
            columns = [*columns, self.weights.column]
        return iter_chunks(self.data, self.chunksize, columns=columns)

    def map_reduce(
        self, per_block: Callable[[BlockView], T | None], merge: Merge, *, what: str
    ) -> T | None:
        # the first pass builds the model spec in the builder itself; later passes copy it
        builder = self.builder if self._passes == 0 else replace(self.builder, n_dropped=0)
        self._passes += 1
        merged = merge_skipping_none(merge)
        meter = Progress(what, enabled=self.progress)
        total: T | None = None
        offset = 0
        with one_blas_thread():
            blocks = builder.weighted_blocks(prefetch(self._chunks()))
            for part, (chunk, block, keep, weights, zero) in enumerate(blocks):
                rows = np.flatnonzero(keep)
                view = BlockView(
                    block=block,
                    keep=keep,
                    part=part,
                    positions=offset + rows,
                    fold_stream=0,
                    label=row_namer(chunk, rows),
                    weights=weights,
                    zero=zero,
                )
                total = merged(total, per_block(view), part)
                offset += len(chunk.frame)
                meter.update(len(chunk.frame))
        meter.close()
        return total

    def design(self, n_dropped: int) -> Design:
        design = self.prepared.design()
        return replace(design, dropped_count=n_dropped)

    def factor_fast_path(self) -> Any:
        """Fold Parquet record batches straight into the factor when the design is plain."""
        from linmod.outofcore.parquet_batches import fold_plain_parquet

        if self._passes or self.weights is not None:
            return None
        folded = fold_plain_parquet(self, self.progress)
        if folded is not None:
            self._passes += 1
        return folded

    def weighted_factor_fast_path(self) -> Any:
        """Fold Parquet record batches of a plain weighted design straight into the factor."""
        from linmod.outofcore.weighted_parquet import fold_weighted_parquet

        if self._passes or self.weights is None:
            return None
        folded = fold_weighted_parquet(self, self.progress)
        if folded is not None:
            self._passes += 1
        return folded


def open_stream(
    formula: str,
    data: Any,
    *,
    chunksize: int = 100_000,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    progress: bool | None = None,
    weights: StreamWeights | None = None,
) -> StreamSource:
    """Open files, a list of frames or an iterator of frames as a :class:`StreamSource`.

    The formula is parsed on the first rows and categorical levels are found (or taken
    from ``levels``) before any block is built; see :func:`linmod.data.blocks.prepare_source`.
    Files are pinned first (:func:`linmod.data.pinned_files.pin_files`): a pass that finds
    one changed since the first read fails, naming it.  ``weights`` names a weights column,
    read with every chunk (:mod:`linmod.data.chunk_weights`).
    """
    data = pin_files(data)  # every pass checks that the files did not change
    prepared = prepare_source(formula, data, chunksize, missing, levels, weights)
    return StreamSource(prepared, data, chunksize, progress)


def parquet_paths(source: StreamSource) -> Sequence[Path] | None:
    """The Parquet files of a stream source, or None for other sources."""
    return source.prepared.files
