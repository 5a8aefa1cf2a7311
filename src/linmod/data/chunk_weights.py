"""The weights column of streamed and Dask data, read and checked chunk by chunk.

``linmod.ols(formula, data="big.csv", chunksize=..., weights="w")`` reads the column ``w``
with every chunk (it is not a predictor: ``y ~ .`` leaves it out).  Each chunk's weights
are checked as :func:`linmod.data.weights.check_weights` checks weights in memory, but the
message names the file and its 1-based row (or the Dask partition and row): a negative,
infinite or (frequency weights) fractional weight, text in the column, and a missing
weight unless ``missing="drop"``, which drops its row as in memory.  Rows of weight zero
are dropped from the fit and counted; what is left of every row is its weight.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError

__all__ = ["StreamWeights", "check_weights_column", "chunk_weights", "without_weights"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class StreamWeights:
    """Which column holds the weights of streamed or Dask data, and what they mean.

    Attributes
    ----------
    column : str
        The column of the data.
    kind : {"precision", "frequency", "sampling"}
        The declared meaning (:mod:`linmod.data.weights`).
    """

    column: str
    kind: str = "precision"

    @classmethod
    def of(cls, weights: Any, weights_type: str) -> StreamWeights | None:
        """The weights of a streamed or Dask fit (None without), or a clear error."""
        kind = check_weights_type(weights_type)
        if weights is None:
            return None
        if not isinstance(weights, str):
            raise InputError(
                "weights= with streamed or Dask data must name a column of the data "
                "(weights='w'): an array of weights cannot follow the chunks"
            )
        return cls(weights, kind)


def check_weights_column(weights: StreamWeights | None, columns: Iterable[Any], where: str) -> None:
    """Refuse a weights column that the data does not have (before anything is fitted)."""
    if weights is None:
        return
    names = [str(c) for c in columns]
    if weights.column not in names:
        more = ", …" if len(names) > 20 else ""
        raise InputError(
            f"weights column {weights.column!r} is not a column of {where} (columns: "
            f"{', '.join(names[:20])}{more}); pass weights='<column name>'"
        )


def without_weights(columns: Iterable[Any], weights: StreamWeights | None) -> list[Any]:
    """The columns R's ``.`` expands over: all but the weights column."""
    if weights is None:
        return list(columns)
    return [c for c in columns if str(c) != weights.column]


def _numeric(values: pd.Series, name: str, describe_row: Callable[[int], str]) -> Float:
    """The column as float64 (NaN kept), or an error naming the first row with text."""
    if pd.api.types.is_bool_dtype(values) or (
        pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_complex_dtype(values)
    ):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    coerced = pd.to_numeric(values, errors="coerce")
    bad = coerced.isna().to_numpy() & values.notna().to_numpy()
    if bad.any() or pd.api.types.is_complex_dtype(values):
        position = int(np.flatnonzero(bad)[0]) if bad.any() else 0
        raise InputError(
            f"{describe_row(position)}: {name} holds {values.iloc[position]!r}, not a number; "
            "weights must be numeric: fix the value or convert the column"
        )
    return np.asarray(coerced.to_numpy(dtype=np.float64, na_value=np.nan))


def chunk_weights(
    frame: pd.DataFrame,
    weights: StreamWeights,
    missing: str,
    describe_row: Callable[[int], str],
) -> Float:
    """The checked weights of one chunk's rows (NaN: missing, to drop with ``missing="drop"``).

    Parameters
    ----------
    frame : DataFrame
        The chunk, with the weights column.
    weights : StreamWeights
    missing : {"raise", "drop"}
    describe_row : callable
        Names the chunk's 0-based row ``i`` (file and 1-based row) for messages.

    Raises
    ------
    InputError
        Naming the row: text, a negative or infinite weight, a missing one (unless
        ``missing="drop"``) or a fractional frequency weight.
    """
    name = f"weights column {weights.column!r}"
    if weights.column not in frame.columns:
        raise InputError(f"{describe_row(0)}: the chunk has no {name}")
    values = _numeric(frame[weights.column], name, describe_row)
    nan = np.isnan(values)
    if missing != "drop" and nan.any():
        raise InputError(
            f"{describe_row(int(np.flatnonzero(nan)[0]))}: {name} is missing; weights must "
            "be finite and >= 0 (weight 0 drops a row), or pass missing='drop' to drop the row"
        )
    for bad, what in ((np.isinf(values), "infinite"), (values < 0, "negative")):
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{describe_row(position)}: {name} is {what} ({values[position]:g}); weights "
                "must be finite and >= 0 (weight 0 drops a row)"
            )
    if weights.kind == "frequency":
        with np.errstate(invalid="ignore"):
            fractional = ~nan & (values != np.round(values))
        if fractional.any():
            position = int(np.flatnonzero(fractional)[0])
            raise InputError(
                f"{describe_row(position)}: {name} is {values[position]:g}, but frequency "
                "weights must be whole numbers (each row stands for w identical rows); use "
                "weights_type='precision' or 'sampling' for other weights"
            )
    return values
