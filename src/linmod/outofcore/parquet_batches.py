"""The fast path of a plain design on Parquet: record batches folded without pandas.

Parquet files whose model is the intercept and numeric columns (``y ~ x1 + ... + x20``,
the usual big-data model) are read as record batches on a background thread and their
columns copied straight into a reused, cache-sized float64 block
(:mod:`linmod.data.column_block`), with BLAS on one thread beside the reader.  A batch
with nulls or non-finite values goes through pandas and
:meth:`linmod.data.blocks.BlockBuilder.blocks`, which applies the missing-value policy
and names the row, so both paths drop, count and report the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from linmod.data.blocks import BlockBuilder
from linmod.data.chunks import Batch, iter_batches, numeric_parquet_columns, prefetch
from linmod.data.column_block import ColumnBlock
from linmod.linalg.threads import one_blas_thread
from linmod.linalg.tsqr import RFactor
from linmod.progress import Progress

if TYPE_CHECKING:
    from linmod.outofcore.sources import StreamSource

__all__ = ["fold_batches", "fold_plain_parquet"]


def fold_plain_parquet(source: StreamSource, progress: bool | None) -> tuple[RFactor, int] | None:
    """The R factor of a plain design on Parquet files and the rows dropped, or None.

    None when the source is not Parquet, the design is not plain, or a column is not
    stored as numbers: the general path then builds the blocks.
    """
    stream = source.builder
    files = source.prepared.files
    if files is None or stream.plain is None or not numeric_parquet_columns(files, stream.used):
        return None
    before = stream.n_dropped
    meter = Progress("rows folded", enabled=progress)
    with one_blas_thread():
        batches = prefetch(iter_batches(files, source.chunksize, columns=stream.used))
        factor = fold_batches(stream, batches, meter)
    meter.close()
    if factor is None:
        return None
    return factor, stream.n_dropped - before


def fold_batches(
    stream: BlockBuilder, batches: Iterator[Batch], meter: Progress | None = None
) -> RFactor | None:
    """Fold Parquet record batches of a plain design into the R factor of ``[X | y]``.

    Each batch's columns are copied straight into one reusable block, a slice of
    :attr:`ColumnBlock.rows` rows at a time, and folded by :meth:`RFactor.from_blocks`
    (one Gram matrix per slice, which is also the finiteness check).

    Parameters
    ----------
    stream : BlockBuilder
        With the plain spec adopted (``stream.plain`` set).
    batches : iterator of Batch
    meter : Progress, optional
        Counts the rows read.

    Returns
    -------
    RFactor or None
        None when there were no batches.
    """
    assert stream.plain is not None
    buffer = ColumnBlock(stream.plain)
    factor: RFactor | None = None
    for batch in batches:
        folded = _fold_batch(buffer, batch)
        if folded is None:  # nulls or non-finite values: pandas and the general path
            folded = RFactor.empty(len(stream.plain) - 1)
            for _, general, _ in stream.blocks(iter([batch.to_chunk()])):
                folded = RFactor.from_augmented(general)
        factor = folded if factor is None else factor.merge(folded)
        if meter is not None:
            meter.update(batch.batch.num_rows)
    return factor


def _fold_batch(buffer: ColumnBlock, batch: Batch) -> RFactor | None:
    """The R factor of one batch, slice by slice, or None if it needs the general path."""
    arrays = buffer.columns_of(batch.batch)
    if arrays is None:
        return None
    slices = (block for _, block in buffer.slices(arrays, batch.batch.num_rows))
    return RFactor.from_blocks(slices)
