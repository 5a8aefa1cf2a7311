"""Numeric columns of Arrow record batches copied straight into one reusable float64 block.

For a design whose terms are the intercept and plain numeric columns (``y ~ x1 + ... +
x20``, the usual big-data model) the ``[X | y]`` rows of a Parquet batch are one copy
of each column away: no pandas frame, no formula machinery.  The block is Fortran-ordered
(each column is one contiguous copy, and BLAS reads it without transposing) and reused,
and it holds a slice of the batch's rows at a time: a slice of 2**16 rows by 21 columns
(11 MiB) stays in cache between the copy and the Gram matrix that reads it, and a long
stream touches the same memory instead of faulting in a fresh chunk-sized block (on
this machine first-touching 176 MiB took 0.5-0.9 s, as long as reading the chunk).
The values are those pandas would give (Arrow integers and floats convert to float64
the same way), so this path and the general one build identical blocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ColumnBlock"]

Float = NDArray[np.float64]


class ColumnBlock:
    """Fill a reusable ``[X | y]`` block from record batches, column by column.

    Parameters
    ----------
    columns : sequence of str or None
        The block's columns in order: a column name, or None for the intercept (ones).

    Examples
    --------
    >>> import pyarrow as pa
    >>> batch = pa.record_batch({"x": [1.0, 2.0], "y": [3, 4]})
    >>> ColumnBlock([None, "x", "y"]).fill(batch).tolist()
    [[1.0, 1.0, 3.0], [1.0, 2.0, 4.0]]
    """

    #: Rows per slice handed out by :meth:`slices`.
    rows = 1 << 16

    def __init__(self, columns: Sequence[str | None]):
        self.columns = list(columns)
        self._block: Float | None = None

    def columns_of(self, batch: Any) -> list[Any] | None:
        """The batch's numpy columns in block order (None for the intercept), or None.

        None when a column has nulls: those are left to the caller's general path, which
        applies the missing-value policy.  The arrays are views of Arrow's buffers
        (integers are converted later, as they are copied).
        """
        arrays: list[Any] = []
        for name in self.columns:
            if name is None:
                arrays.append(None)
                continue
            column = batch.column(name)
            if column.null_count:
                return None
            arrays.append(column.to_numpy(zero_copy_only=False))
        return arrays

    def fill(self, batch: Any) -> Float | None:
        """The block of all of ``batch``'s rows (a new array), or None if there are nulls.

        Parameters
        ----------
        batch : pyarrow.RecordBatch
            Holds every named column, as integers or floating point.

        Returns
        -------
        ndarray of shape (batch.num_rows, len(columns)), Fortran-ordered, or None
        """
        arrays = self.columns_of(batch)
        if arrays is None:
            return None
        block = np.empty((int(batch.num_rows), len(self.columns)), order="F")
        return self._copy(arrays, 0, block)

    def slices(self, arrays: list[Any], rows: int) -> Iterator[tuple[int, Float]]:
        """Yield ``(start, block)`` for consecutive slices of :attr:`rows` rows.

        Each block is the reused buffer (or, for a short last slice, a small new one)
        and is overwritten by the next: consume it before asking for the next.  NaN and
        infinite values are copied as they are.

        Parameters
        ----------
        arrays : list
            From :meth:`columns_of`.
        rows : int
            Rows in the batch.
        """
        for start in range(0, rows, self.rows):
            stop = min(start + self.rows, rows)
            if stop - start == self.rows:
                if self._block is None:
                    self._block = np.empty((self.rows, len(self.columns)), order="F")
                block = self._block
            else:
                block = np.empty((stop - start, len(self.columns)), order="F")
            yield start, self._copy(arrays, start, block)

    def block(self, rows: int, width: int) -> Float:
        """A Fortran-ordered ``rows x width`` block to fill: the reused buffer when it is a
        full slice of :attr:`rows` rows (overwritten by the next call), else a new one."""
        if rows == self.rows:
            if self._block is None or self._block.shape[1] != width:
                self._block = np.empty((self.rows, width), order="F")
            return self._block
        return np.empty((rows, width), order="F")

    @staticmethod
    def _copy(arrays: list[Any], start: int, block: Float) -> Float:
        stop = start + block.shape[0]
        for j, values in enumerate(arrays):
            if values is None:
                block[:, j] = 1.0
            else:
                block[:, j] = values[start:stop]
        return block
