"""Recognise data-frame inputs and bring them to pandas (polars without importing it)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from linmod.data.number_notation import notation_error
from linmod.data.row_names import is_default_index, shown_labels
from linmod.data.term_names import call_on
from linmod.exceptions import InputError

__all__ = [
    "check_feature_frame",
    "check_numeric_text",
    "check_unique_columns",
    "is_dask_collection",
    "is_frame",
    "to_pandas",
    "to_pandas_series",
]


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


def check_unique_columns(frame: pd.DataFrame) -> None:
    """Refuse a frame in which two columns share a name (which one would a term mean?)."""
    duplicated = frame.columns[frame.columns.duplicated()].unique()
    if len(duplicated):
        listing = ", ".join(
            f"{name!r} ({int((frame.columns == name).sum())} columns)" for name in duplicated
        )
        raise InputError(
            f"the data has duplicate column names: {listing}; give each column its own name "
            "(e.g. df.columns = [...]) before fitting"
        )


def check_numeric_text(frame: pd.DataFrame, columns: Any, *, mostly: float = 0.0) -> None:
    """Refuse text in columns that are otherwise numbers, naming the column, value and row.

    Parameters
    ----------
    frame : DataFrame
    columns : iterable of str
        Columns to look at; only text (object or string dtype) columns are examined.
    mostly : float
        Complain only when at least this share of the non-missing values are numbers (a
        formula turns a text column into a factor, which a mostly numeric one is not
        meant to be); 0 complains about any text (estimators need numbers).
    """
    for column in columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            continue  # declared categorical
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        values = series.dropna()
        if values.empty:
            continue
        numbers = pd.to_numeric(values, errors="coerce")
        text = numbers.isna().to_numpy()
        if not text.any() or 1.0 - float(text.mean()) < mostly:
            continue
        notation = notation_error(str(column), values[text].unique(), formula=bool(mostly))
        if notation is not None:  # e.g. "(1.23)" among "0.35": say how to read them
            raise notation
        where = shown_labels(values.index[text], is_default_index(frame.index))
        fix = (
            "fix them, or make them missing (NaN) and pass missing='drop', or write "
            f"{call_on('C', column)} if the column is categorical"
            if mostly
            else "features must be numbers: fix them, or encode a categorical column first "
            f"(a formula does it: linmod.ols('y ~ {call_on('C', column)} + ...', data=df))"
        )
        raise InputError(
            f"column {column!r} holds text where numbers are expected: {int(text.sum())} "
            f"value(s) such as {values[text].iloc[0]!r} at row {where[0]}; {fix}"
        )


def check_feature_frame(x: Any) -> None:
    """For estimators: a pandas feature frame with unique names and no text in its columns."""
    if isinstance(x, pd.DataFrame):
        check_unique_columns(x)
        check_numeric_text(x, list(x.columns))


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
