"""Recognise data-frame inputs and bring them to pandas (polars without importing it)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from linmod.exceptions import InputError

__all__ = ["is_dask_collection", "is_frame", "to_pandas", "to_pandas_series"]


def _is_polars(obj: Any) -> bool:
    return type(obj).__module__.split(".")[0] == "polars"


def is_dask_collection(obj: Any) -> bool:
    """Whether ``obj`` is a Dask DataFrame, Series or Array (without importing Dask)."""
    module = type(obj).__module__.split(".")[0]
    return module in ("dask", "dask_expr") and hasattr(obj, "to_delayed")


def is_frame(obj: Any) -> bool:
    """Whether ``obj`` is a pandas or polars DataFrame."""
    return isinstance(obj, pd.DataFrame) or (_is_polars(obj) and type(obj).__name__ == "DataFrame")


def to_pandas_series(obj: Any) -> Any:
    """Return a polars Series as a pandas Series; anything else unchanged."""
    if _is_polars(obj) and type(obj).__name__ == "Series":
        return obj.to_pandas()
    return obj


def to_pandas(data: Any) -> pd.DataFrame:
    """Return ``data`` as a pandas DataFrame, keeping column names.

    Accepts pandas and polars DataFrames and mappings of column name to values.
    """
    if isinstance(data, pd.DataFrame):
        return data
    if _is_polars(data):
        if not hasattr(data, "to_pandas"):
            raise InputError(
                f"a polars {type(data).__name__} cannot be used directly; "
                "collect it to a polars DataFrame first"
            )
        try:
            return data.to_pandas()
        except ModuleNotFoundError as error:  # pragma: no cover - depends on environment
            raise InputError(
                "reading a polars DataFrame needs pyarrow: pip install 'linmod[polars]'"
            ) from error
    if isinstance(data, dict):
        return pd.DataFrame(data)
    raise InputError(
        f"data must be a pandas or polars DataFrame or a dict of columns, got {type(data).__name__}"
    )
