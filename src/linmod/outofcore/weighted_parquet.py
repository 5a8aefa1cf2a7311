"""The fast path of a plain weighted design on Parquet: record batches scaled and folded.

As :mod:`linmod.outofcore.parquet_batches` for an unweighted fit: the columns of ``[X | y]``
and the weights column are copied straight from each record batch into a reused block; the
rows with a positive weight are scaled by ``sqrt(w)`` in place and folded into the R
factor, and their weights into :class:`~linmod.outofcore.weighted_statistics.WeightSums`.
A batch with nulls, non-finite values or a weight that is negative (or, as a frequency
weight, not whole) goes through pandas and
:meth:`linmod.data.blocks.BlockBuilder.weighted_blocks`, which applies the missing-value
policy and names the row, so both paths drop, count and report the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.blocks import BlockBuilder
from linmod.data.chunks import Batch, iter_batches, numeric_parquet_columns, prefetch
from linmod.data.column_block import ColumnBlock
from linmod.linalg.threads import one_blas_thread
from linmod.linalg.tsqr import RFactor
from linmod.outofcore.weight_sums import WeightSums, scaled_rows
from linmod.progress import Progress

if TYPE_CHECKING:
    from linmod.outofcore.sources import StreamSource

__all__ = ["fold_weighted_parquet"]

Folded = tuple[RFactor, WeightSums]


def fold_weighted_parquet(source: StreamSource, progress: bool | None) -> Any:
    """``(factor, dropped, sums)`` of a plain weighted design on Parquet files, or None.

    None when the source is not Parquet, the design is not plain, or a column (the
    weights' too) is not stored as numbers: the general path then builds the blocks.
    """
    stream = source.builder
    files = source.prepared.files
    weights = stream.weights
    if weights is None or files is None or stream.plain is None:
        return None
    columns = sorted({*stream.used, weights.column})
    if not numeric_parquet_columns(files, columns):
        return None
    before = stream.n_dropped
    meter = Progress("rows folded", enabled=progress)
    with one_blas_thread():
        batches = prefetch(iter_batches(files, source.chunksize, columns=columns))
        folded = _fold(stream, batches, meter)
    meter.close()
    if folded is None:
        return None
    factor, sums = folded
    return factor, stream.n_dropped - before, sums


def _merge(left: Folded | None, right: Folded) -> Folded:
    if left is None:
        return right
    return left[0].merge(right[0]), left[1].merge(right[1])


def _fold(stream: BlockBuilder, batches: Iterator[Batch], meter: Progress) -> Folded | None:
    assert stream.plain is not None
    assert stream.weights is not None
    buffer = ColumnBlock([*stream.plain, stream.weights.column])
    whole = stream.weights.kind == "frequency"
    total: Folded | None = None
    for batch in batches:
        folded = _fold_batch(buffer, batch, whole)
        if folded is None:  # nulls, non-finite values or bad weights: the general path
            folded = _general(stream, batch)
        total = _merge(total, folded)
        meter.update(batch.batch.num_rows)
    return total


def _general(stream: BlockBuilder, batch: Batch) -> Folded:
    """The factor and sums of one batch by the general path (which names a bad row)."""
    folded: Folded | None = None
    chunk = batch.to_chunk()
    for _, block, _, w, zero in stream.weighted_blocks(iter([chunk])):
        assert w is not None
        part = (
            RFactor.from_augmented(scaled_rows(block, w)),
            WeightSums.of_block(block[:, -1], w, zero),
        )
        folded = _merge(folded, part)
    assert folded is not None
    return folded


def _fold_batch(buffer: ColumnBlock, batch: Batch, whole: bool) -> Folded | None:
    """The factor and sums of one batch, slice by slice, or None for the general path.

    Each column is copied into the reused block already multiplied by ``sqrt(w)`` (one
    pass, as the unweighted copy); the intercept column is ``sqrt(w)`` itself.
    """
    arrays = buffer.columns_of(batch.batch)
    if arrays is None:
        return None
    *columns, weights = arrays
    rows = int(batch.batch.num_rows)
    folded: Folded | None = None
    for start in range(0, rows, buffer.rows):
        stop = min(start + buffer.rows, rows)
        w = np.asarray(weights[start:stop], dtype=np.float64)
        low, high = (w.min(), w.max()) if w.size else (1.0, 1.0)
        if not (low >= 0 and np.isfinite(high)) or (whole and (w != np.round(w)).any()):
            return None  # NaN, infinite, negative or fractional: the general path names it
        keep = w > 0 if low == 0 else None
        if keep is not None:
            w = w[keep]
        s = np.sqrt(w)
        block = buffer.block(w.size, len(columns))
        for j, values in enumerate(columns):
            if values is None:
                block[:, j] = s
                continue
            part = values[start:stop] if keep is None else values[start:stop][keep]
            np.multiply(part, s, out=block[:, j])
        y = columns[-1][start:stop] if keep is None else columns[-1][start:stop][keep]
        sums = WeightSums.of_block(np.asarray(y, dtype=np.float64), w, rows_zero(keep))
        factor = RFactor.from_blocks([block])
        if factor is None:  # a value is not finite: the general path names it
            return None
        folded = _merge(folded, (factor, sums))
    return folded


def rows_zero(keep: NDArray[np.bool_] | None) -> int:
    """Rows of a slice dropped for a zero weight."""
    return 0 if keep is None else int(keep.size - np.count_nonzero(keep))
