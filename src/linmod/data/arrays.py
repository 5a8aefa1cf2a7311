"""Designs from arrays and data frames without a formula: ``ols(X, y)``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._lazy import interpreted, njit
from linmod.data.column_types import formula_columns
from linmod.data.design import DataSource, Design, Term
from linmod.data.frames import (
    NEW_DATA_TEXT_FIX,
    RESPONSE_TEXT_FIX,
    check_numeric_response,
    check_numeric_text,
    check_unique_columns,
    features_fix,
    is_frame,
    to_pandas,
    to_pandas_series,
)
from linmod.data.missing import check_policy, describe_rows
from linmod.data.row_names import is_default_index
from linmod.data.term_names import call_on
from linmod.exceptions import InputError
from linmod.linalg.scaling import Magnitudes, column_max_abs

__all__ = ["ArraySpec", "array_design", "design_from_arrays", "fast_array_design"]

Float = NDArray[np.float64]


def _features_frame(x: Any) -> pd.DataFrame:
    if is_frame(x):
        frame = to_pandas(x)
        check_unique_columns(frame)
        frame = formula_columns(frame, list(frame.columns))  # decimals, nullable: float64
        return frame.set_axis([str(c) for c in frame.columns], axis=1)  # not the caller's
    if isinstance(x, pd.Series):
        return x.to_frame(name=str(x.name) if x.name is not None else "x0")
    array = np.asarray(x)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise InputError(
            f"X must be 2-dimensional (n_samples, n_features), got shape {array.shape}"
        )
    frame = pd.DataFrame(array, columns=[f"x{j}" for j in range(array.shape[1])])
    if array.dtype == object:  # numbers as objects are numbers, as in a frame; text stays
        frame = formula_columns(frame, list(frame.columns))
    return frame


#: A text feature is taken for numbers with stray words (named with their rows) when at
#: least this share of its values are numbers; with fewer it is taken for a categorical
#: column, and the message says how to encode it.
_MOSTLY_NUMBERS = 0.5


def _numeric_matrix(frame: pd.DataFrame, new_data: bool = False) -> Float:
    """The features as float64, refusing text (a stray word among numbers is named with
    its row, :func:`~linmod.data.frames.check_numeric_text`) and complex numbers.

    ``new_data``: the rows to predict of a model fitted on numbers, where any word is out
    of place."""
    for column in frame.columns:
        series = frame[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)):
            if new_data:
                check_numeric_text(frame, [column], fix=NEW_DATA_TEXT_FIX)
            else:
                advice = features_fix(column)
                check_numeric_text(frame, [column], mostly=_MOSTLY_NUMBERS, fix=advice)
            raise InputError(
                f"column {column!r} holds non-numeric values ({series.dtype}); encode it, "
                f"or use a formula such as ols('y ~ {call_on('C', column)} + ...', data=df)"
            )
        if pd.api.types.is_complex_dtype(series):
            raise InputError(
                f"column {column!r} holds complex numbers; a regression needs real numbers: "
                "pass the real part (or the modulus) explicitly"
            )
    return np.ascontiguousarray(frame.to_numpy(dtype=float, na_value=np.nan))


def _response(y: Any, n: int) -> tuple[Float, str]:
    y = to_pandas_series(y)
    name = str(getattr(y, "name", None) or "y")
    if is_frame(y):
        frame = to_pandas(y)
        if frame.shape[1] != 1:
            raise InputError(f"y must be one column, got a frame with {frame.shape[1]} columns")
        name, y = str(frame.columns[0]), frame.iloc[:, 0]
    try:
        values = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        values = None
    if values is None:
        check_numeric_response(y, name, RESPONSE_TEXT_FIX)  # a stray word: named, with its row
        raise InputError("y must be numeric; encode a categorical target first")
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise InputError(f"y must be 1-dimensional, got shape {values.shape}")
    if values.shape[0] != n:
        raise InputError(f"X has {n} rows but y has {values.shape[0]}; they must match")
    return values, name


@dataclass(frozen=True)
class ArraySpec:
    """Rebuilds design rows from new arrays or frames with the same features."""

    feature_names: tuple[str, ...]
    intercept: bool
    from_frame: bool

    def new_rows(self, data: Any) -> tuple[Float, NDArray[np.bool_], pd.Index]:
        """Return the design for ``data``, rows with missing values, and row labels."""
        frame = _features_frame(data)
        if self.from_frame and is_frame(data):
            absent = [c for c in self.feature_names if c not in frame.columns]
            if absent:
                raise InputError(f"new data lacks column(s) {', '.join(map(repr, absent))}")
            frame = frame[list(self.feature_names)]
        if frame.shape[1] != len(self.feature_names):
            raise InputError(
                f"new data has {frame.shape[1]} features but the model was fitted on "
                f"{len(self.feature_names)}"
            )
        x = _numeric_matrix(frame, new_data=True)
        if self.intercept:
            x = np.column_stack([np.ones(x.shape[0]), x])
        incomplete = np.asarray(~np.isfinite(x).all(axis=1), dtype=bool)
        return x, incomplete, frame.index


@njit(cache=True)
def _copy_checked(
    x: Float, out: Float, offset: int, maxima: Float, y: Float
) -> tuple[bool, float, bool, float, float]:  # pragma: no cover
    """``out[:, offset:] = x`` (ones in the columns before ``offset``); whether all of
    ``x`` is finite, ``max |y|`` (NaN when ``y`` holds a NaN), whether every ``y``
    equals the first, and the smallest and largest of ``maxima``.

    One pass: each column accumulates ``v * 0`` (NaN once a NaN or an infinity is seen),
    so the loop has no branch and vectorises; ``maxima`` receives ``max |out[:, j]|`` (a
    branch-free ``maxpd``, meaningful when all are finite).
    """
    n, p = x.shape
    nonfinite = np.zeros(p)
    biggest = np.zeros(p)
    y_biggest = 0.0
    y_nan = 0.0
    y_first = y[0]
    y_differs = 0.0
    for i in range(n):
        for k in range(offset):
            out[i, k] = 1.0
        row = x[i]
        copy = out[i, offset:]
        for j in range(p):
            v = row[j]
            copy[j] = v
            nonfinite[j] += v * 0.0
            biggest[j] = max(biggest[j], abs(v))
        value = abs(y[i])
        y_nan += 1.0 if value != value else 0.0
        y_differs += 0.0 if y[i] == y_first else 1.0  # a NaN differs, as in y == y[0]
        y_biggest = max(y_biggest, value)
    for k in range(offset):
        maxima[k] = 1.0  # ones (n > 0)
    for j in range(p):
        maxima[offset + j] = biggest[j]
    smallest_max, largest_max = np.inf, 0.0
    for k in range(offset + p):
        smallest_max = min(smallest_max, maxima[k])
        largest_max = max(largest_max, maxima[k])
    biggest_y = np.nan if y_nan > 0.0 else y_biggest
    finite = bool(np.all(nonfinite == 0.0))
    return finite, biggest_y, y_differs == 0.0, smallest_max, largest_max


def _copy_checked_numpy(
    x: Float, out: Float, offset: int, maxima: Float, y: Float
) -> tuple[bool, float, bool, float, float]:
    """:func:`_copy_checked` in numpy, for a process that has not loaded numba (see
    :func:`linmod._lazy.interpreted`): copies, maxima and comparisons are exact, so the
    results are the same."""
    out[:, :offset] = 1.0
    out[:, offset:] = x
    maxima[:offset] = 1.0
    maxima[offset:] = np.max(np.abs(x), axis=0, initial=0.0)
    finite = bool(np.isfinite(x).all())
    biggest_y = float(np.max(np.abs(y)))  # NaN when y holds one (n > 0)
    constant = bool(np.all(y == y[0]))  # a NaN differs
    return finite, biggest_y, constant, float(maxima.min()), float(maxima.max())


@lru_cache(maxsize=64)
def _array_layout(
    p: int, fit_intercept: bool
) -> tuple[tuple[str, ...], tuple[Term, ...], ArraySpec]:
    """Column names, terms and spec of an array design (all immutable, so shared)."""
    features = tuple(f"x{j}" for j in range(p))
    names = (("Intercept",) if fit_intercept else ()) + features
    terms = tuple(Term(name, (j,)) for j, name in enumerate(names))
    return names, terms, ArraySpec(features, fit_intercept, from_frame=False)


def fast_array_design(x: Any, y: Any, fit_intercept: bool) -> tuple[Design, Magnitudes] | None:
    """A float64 ndarray without missing values: one checked copy (with an intercept), no frames.

    Returns
    -------
    (Design, Magnitudes) or None
        The design, and the largest magnitudes of its columns and response (found in the
        same pass, for :func:`~linmod.solvers.scaled.solve_scaled`); None for any other
        input, which the general path of :func:`design_from_arrays` handles.
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64 and x.ndim == 2):
        return None
    numeric_y = isinstance(y, np.ndarray) and y.dtype.kind in "biuf"  # text: the general path
    values = np.asarray(y, dtype=float) if numeric_y else None
    if values is None or values.ndim != 1 or values.shape[0] != x.shape[0] or x.shape[0] == 0:
        return None
    maxima = np.empty(x.shape[1] + int(fit_intercept))
    values = np.ascontiguousarray(values)
    if fit_intercept:
        matrix = np.empty((x.shape[0], x.shape[1] + 1))
        copy_checked = _copy_checked_numpy if interpreted(*x.shape) else _copy_checked
        finite, y_biggest, constant, smallest, largest = copy_checked(x, matrix, 1, maxima, values)
        column_range: tuple[float, float] | None = (smallest, largest)
    else:  # no copy of a C-ordered X
        matrix = np.ascontiguousarray(x)
        maxima = column_max_abs(matrix)
        finite = bool(np.isfinite(maxima).all())
        y_biggest = float(np.max(np.abs(values)))
        constant = None
        column_range = None
    # y_biggest is NaN or inf when y holds one
    if not (finite and math.isfinite(y_biggest)):
        return None  # the general path says where the bad values are
    names, terms, spec = _array_layout(x.shape[1], fit_intercept)
    design = Design(
        x=matrix,
        y=values,
        column_names=names,
        response_name="y",
        intercept=fit_intercept,
        terms=terms,
        spec=spec,
        numbered_rows=True,  # labels 0 .. n-1 (made when read), none dropped
    )
    return design, Magnitudes(matrix, values, maxima, y_biggest, constant, column_range)


def design_from_arrays(
    x: Any, y: Any, fit_intercept: bool = True, missing: str = "raise"
) -> Design:
    """Build a design from a feature matrix (array or frame) and a response.

    Parameters
    ----------
    x : array-like of shape (n, p), or pandas/polars DataFrame
        Features; frame column names become coefficient names, arrays get ``x0, x1, …``.
    y : array-like of shape (n,)
    fit_intercept : bool
        Prepend a column of ones named ``Intercept``.
    missing : {"raise", "drop"}

    Returns
    -------
    Design
    """
    return array_design(x, y, fit_intercept, missing)[0]


def _check_row_labels(x: Any, y: Any) -> None:
    """Refuse a pandas ``X`` and ``y`` whose row labels differ (statsmodels refuses them
    too): rows pair by position, and differing labels mean one side was sorted, filtered
    or sampled on its own, which would pair the wrong rows without a word."""
    labelled = (pd.DataFrame, pd.Series)
    if not (isinstance(x, labelled) and isinstance(y, labelled)):
        return
    if x.index.equals(y.index):
        return

    def first(index: pd.Index) -> str:
        return ", ".join(map(repr, index[:3].tolist())) + (", …" if len(index) > 3 else "")

    same = len(x.index) == len(y.index) and x.index.sort_values().equals(y.index.sort_values())
    raise InputError(
        f"X and y have different row labels (X: {first(x.index)}; y: {first(y.index)})"
        + (", the same labels in another order" if same else "")
        + ": their rows would be paired by position; align them first (y = y.loc[X.index]), "
        "or pass y.to_numpy() if the rows already correspond"
    )


def array_design(
    x: Any, y: Any, fit_intercept: bool = True, missing: str = "raise"
) -> tuple[Design, Magnitudes | None]:
    """:func:`design_from_arrays`, with the magnitudes :func:`fast_array_design` found.

    Returns
    -------
    (Design, Magnitudes or None)
        The magnitudes are None when the input took the general path (frames, other
        dtypes, missing values).
    """
    check_policy(missing)
    fast = fast_array_design(x, y, fit_intercept)
    if fast is not None:
        return fast
    frame = _features_frame(x)
    _check_row_labels(x, y)
    matrix = _numeric_matrix(frame)
    values, response_name = _response(y, matrix.shape[0])
    if matrix.shape[0] == 0:
        raise InputError("X has no rows; a regression needs observations")
    if np.isinf(matrix).any() or np.isinf(values).any():
        where = np.asarray(np.isinf(matrix).any(axis=0), dtype=bool)
        bad = [str(c) for c in frame.columns[where]]
        bad += ["y"] if np.isinf(values).any() else []
        raise InputError(f"infinite values in {', '.join(bad)}; replace or remove them")
    incomplete = np.isnan(matrix).any(axis=1) | np.isnan(values)
    numbered = is_default_index(frame.index)
    dropped = frame.index[:0]
    if incomplete.any():
        if missing == "raise":
            parts = [
                f"column {c!r} has {int(np.isnan(matrix[:, j]).sum())} missing values in "
                f"{describe_rows(frame.index[np.isnan(matrix[:, j])], numbered)}"
                for j, c in enumerate(frame.columns)
                if np.isnan(matrix[:, j]).any()
            ]
            if np.isnan(values).any():
                parts.append(
                    f"y has {int(np.isnan(values).sum())} missing values in "
                    f"{describe_rows(frame.index[np.isnan(values)], numbered)}"
                )
            raise InputError("; ".join(parts) + "; pass missing='drop' to drop incomplete rows")
        dropped = frame.index[incomplete]
        matrix, values = matrix[~incomplete], values[~incomplete]
        frame = frame.loc[~incomplete]
        if matrix.shape[0] == 0:
            raise InputError("every row has a missing value")
    features = tuple(str(c) for c in frame.columns)
    if fit_intercept and "Intercept" in features:
        raise InputError(
            "column 'Intercept' clashes with the intercept that fit_intercept=True adds; "
            "rename the column, or drop it and keep fit_intercept=True"
        )
    names = (("Intercept",) if fit_intercept else ()) + features
    if fit_intercept:
        matrix = np.column_stack([np.ones(matrix.shape[0]), matrix])
    terms = tuple(Term(name, (j,)) for j, name in enumerate(names))
    general = Design(
        x=np.ascontiguousarray(matrix),
        y=np.ascontiguousarray(values),
        column_names=names,
        response_name=response_name,
        intercept=fit_intercept,
        terms=terms,
        spec=ArraySpec(features, fit_intercept, is_frame(x)),
        row_labels=frame.index,
        dropped_labels=dropped,
        numbered_rows=numbered,
        source=DataSource(None, np.flatnonzero(~incomplete), len(incomplete))
        if len(dropped)
        else None,
    )
    return general, None
