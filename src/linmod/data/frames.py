"""Recognise data-frame inputs and bring them to pandas (polars without importing it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from linmod.data.number_notation import notation_error
from linmod.data.read_advice import read_advice
from linmod.data.row_names import is_default_index, shown_labels
from linmod.data.term_names import call_on
from linmod.data.text_response import categorical_response_problem
from linmod.exceptions import InputError

__all__ = [
    "NEW_DATA_TEXT_FIX",
    "RESPONSE_TEXT_FIX",
    "check_feature_frame",
    "check_numeric_response",
    "check_numeric_text",
    "check_unique_columns",
    "features_fix",
    "is_dask_collection",
    "is_frame",
    "stray_words_fix",
    "to_pandas",
    "to_pandas_series",
    "with_object_labels",
]

#: What to do about a word among the numbers of new data (their rows predict NaN).
NEW_DATA_TEXT_FIX = (
    "the model used it as a number: fix them, or make them missing (NaN) to get a "
    "missing prediction for those rows"
)

#: What to do about a word among the numbers of a response (``ols(X, y)``).
RESPONSE_TEXT_FIX = (
    "the response must be numbers: fix them, or make them missing (NaN) and pass "
    "missing='drop' to leave those rows out"
)

#: Words (with their rows) a message about text among numbers shows.
_SHOWN_WORDS = 3


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


def check_numeric_text(
    frame: pd.DataFrame, columns: Any, *, mostly: float = 0.0, fix: str | None = None
) -> None:
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
    fix : str, optional
        What the message tells the user to do, when the default (for a formula term or
        a feature) does not fit the column, e.g. a response or new data to predict.
    """
    for column in columns:
        series = frame[column]
        dtype = series.dtype  # (an object column's dtype says text: no need to look at values)
        if isinstance(dtype, pd.CategoricalDtype):
            continue  # declared categorical
        if not (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)):
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
        words = values[text]
        first = ~words.duplicated().to_numpy()  # each word once, at its first row
        where = shown_labels(words.index[first], is_default_index(frame.index))
        distinct = words[first]
        advice = fix
        if advice is None:
            advice = stray_words_fix(column, distinct.tolist()) if mostly else features_fix(column)
        advice = advice.replace(_AS_NAN, _made_missing(distinct.tolist()))
        count = int(text.sum())
        shown = ", ".join(
            f"{value!r} at row {row}"
            for value, row in zip(distinct.iloc[:_SHOWN_WORDS], where[:_SHOWN_WORDS], strict=True)
        )
        raise InputError(
            f"column {column!r} holds text where numbers are expected: {count} value(s) such "
            f"as {shown}{', …' if len(distinct) > _SHOWN_WORDS else ''}; {advice}"
        )


#: Most distinct words for which the stray-word message spells out the ``na_values`` list.
_LISTED_WORDS = 8


#: How a fix says "make them missing" before :func:`_made_missing` names the read option.
_AS_NAN = "make them missing (NaN)"


def _made_missing(words: list[Any]) -> str:
    """ "make them missing" with the read option that does it (``na_values=[...]``, or
    ``read_options={'na_values': [...]}`` in a streamed fit, which the command line turns
    into ``--na-values``) when the words are few enough to list."""
    codes = sorted({str(word) for word in words})
    if len(codes) > _LISTED_WORDS:
        return _AS_NAN
    return f"make them missing ({read_advice({'na_values': codes})})"


def stray_words_fix(column: Any, words: list[Any]) -> str:
    """What to do about a few words among a formula term's numbers."""
    return (
        f"fix them, or {_made_missing(words)} and pass missing='drop', or write "
        f"{call_on('C', column)} if the column is categorical"
    )


def features_fix(column: Any) -> str:
    """What to do about text in a feature column: numbers, or a categorical encoded."""
    return (
        "features must be numbers: fix them, or encode a categorical column first "
        f"(a formula does it: linmod.ols('y ~ {call_on('C', column)} + ...', data=df))"
    )


def check_numeric_response(y: Any, name: str, fix: str) -> None:
    """Refuse text in a one-column response (a Series, or a 1-D array of objects or
    strings), naming the value and its row as :func:`check_numeric_text` does.

    Parameters
    ----------
    y : Series or array-like
        The response as given; anything that is not one column of text is left alone.
    name : str
        What to call it in the message (the Series name, or ``"y"``).
    fix : str
        What the user should do (the fitting functions differ: ``missing='drop'``).
    """
    y = to_pandas_series(y)
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            return
        y = y.iloc[:, 0]
    elif not isinstance(y, pd.Series):
        try:
            values = np.asarray(y)
        except (TypeError, ValueError):  # ragged: not one column, the caller says so
            return
        if values.ndim != 1 or values.dtype.kind not in "OUS":
            return
        y = pd.Series(values.astype(object))
    if pd.api.types.is_object_dtype(y) or pd.api.types.is_string_dtype(y):  # else no text
        problem = categorical_response_problem(name, y, "y")
        if problem is not None:
            raise InputError(problem)
        check_numeric_text(y.to_frame(name=name), [name], fix=fix)


def check_feature_frame(x: Any) -> None:
    """For estimators: a pandas feature frame with unique names and no text in its columns."""
    if isinstance(x, pd.DataFrame):
        check_unique_columns(x)
        check_numeric_text(x, list(x.columns))


def with_object_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its column labels as an object Index (the data not copied).

    pandas 3 reads text labels as an Arrow-backed string Index, through which each
    ``frame[column]`` costs about twice as much; a formula fit looks columns up some
    eighty times.
    """
    if frame.columns.dtype == object:
        return frame
    return frame.set_axis(frame.columns.astype(object), axis=1)


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
