"""Column dtypes a formula can compute with: numbers as float64, text as text, the rest refused.

Formulas evaluate their terms on the data frame's columns as they are, so an ``int64``
column squared by ``I(x**2)``, ``np.power``, ``np.square``, ``x*x`` or
``poly(x, k, raw=True)`` wraps around silently past 2**63 (x = 4e11 is enough).  Before
any formula sees a frame, the columns it uses are brought to dtypes with one meaning:

* integers (numpy or pandas nullable ``Int64``), nullable ``Float64``, nullable
  ``boolean`` and object columns of Python numbers (``decimal.Decimal`` from Parquet
  decimals, big integers) or of booleans with missing values become float64 (missing
  values NaN), unless the variable is only used as a category (``C(x)``, ``ordinal(x,
  …)``), where the values are labels and keep their type;
* pandas ``string`` columns become object columns, the text dtype every other rule
  knows (a factor, or refused when a numeric column holds a stray word);
* dates, durations and periods are refused with the conversion to make, as they have
  no single numeric meaning.

Fit, streamed and Dask fits, and prediction all go through :func:`formula_columns`, so a
term is computed the same way wherever it is built.
"""

from __future__ import annotations

import ast
import datetime
import decimal
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.term_names import call_on, parse_expression
from linmod.exceptions import InputError

__all__ = [
    "category_only_variables",
    "check_response_not_predictor",
    "formula_columns",
    "formula_frame",
    "formula_terms_of",
    "object_numbers",
    "time_problem",
    "unused_categories",
]

#: Calls whose first argument is a set of labels, not a number.
_CATEGORY_CALLS = frozenset({"C", "ordinal"})


def formula_terms_of(model: Any) -> list[Any]:
    """The terms of a formulaic ``Formula`` or ``ModelSpec``, every side and part of it."""
    if hasattr(model, "terms"):  # a ModelSpec
        return list(model.terms)
    if hasattr(model, "factors"):  # a term
        return [model]
    parts = [getattr(model, side) for side in ("lhs", "rhs") if hasattr(model, side)]
    terms: list[Any] = []
    for part in parts or list(model):  # a two-sided formula, or a list of terms or parts
        terms.extend(formula_terms_of(part))
    return terms


def _names_in(node: ast.AST, names: dict[str, str]) -> set[str]:
    found = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.add(names.get(inner.id, inner.id))
        elif (
            isinstance(inner, ast.Call)
            and ast.unparse(inner.func) == "Q"
            and inner.args
            and isinstance(inner.args[0], ast.Constant)
            and isinstance(inner.args[0].value, str)
        ):
            found.add(inner.args[0].value)
    return found


def _uses(expression: str) -> tuple[set[str], set[str]]:
    """Names ``expression`` uses as labels (inside ``C``/``ordinal``) and as numbers."""
    parsed = parse_expression(expression)
    if parsed is None:  # a bare column name that is not an identifier, e.g. "a b"
        return set(), {expression}
    tree, names = parsed
    labels: set[str] = set()
    label_nodes: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in _CATEGORY_CALLS and node.args:
            labels |= _names_in(node.args[0], names)
            label_nodes |= {id(inner) for inner in ast.walk(node.args[0])}
    numeric = {
        names.get(node.id, node.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and id(node) not in label_nodes
    }
    return labels, numeric


def _variable_uses(model: Any) -> tuple[set[str], set[str]]:
    labels: set[str] = set()
    numeric: set[str] = set()
    for term in formula_terms_of(model):
        for factor in term.factors:
            used_as_label, used_as_number = _uses(str(factor.expr))
            labels |= used_as_label
            numeric |= used_as_number
    return labels, numeric


def category_only_variables(model: Any) -> set[str]:
    """Variables a formula uses only as category labels (``C(g)``, ``ordinal(g, …)``).

    Parameters
    ----------
    model : formulaic Formula or ModelSpec

    Returns
    -------
    set of str
        Names used inside the first argument of ``C`` or ``ordinal`` and nowhere else.
    """
    labels, numeric = _variable_uses(model)
    return labels - numeric


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number | decimal.Decimal) and not isinstance(
        value, bool | np.bool_ | complex | np.complexfloating
    )


def _object_kind(values: pd.Series) -> str | None:
    """``"number"`` or ``"bool"`` when every present value of an object column is one."""
    present = values.dropna()
    if present.empty:
        return None
    if all(isinstance(v, bool | np.bool_) for v in present):
        return "bool"
    if all(map(_is_number, present)):
        return "number"
    return None


def object_numbers(column: str, series: pd.Series) -> pd.Series | None:
    """An object column of Python numbers (``decimal.Decimal`` from Parquet decimals, big
    integers; missing values as None or NaN) as float64; None for any other column.

    Raises
    ------
    InputError
        For a number too large for float64.
    """
    if not pd.api.types.is_object_dtype(series.dtype) or _object_kind(series) != "number":
        return None
    return _as_float(column, series)


def _as_float(column: str, series: pd.Series) -> pd.Series:
    try:
        with np.errstate(over="raise"):
            values = np.array(
                [np.nan if pd.isna(v) else float(v) for v in series], dtype=np.float64
            )
    except (OverflowError, FloatingPointError):
        raise InputError(
            f"column {column!r} holds a number too large for float64 (about ±1.8e308); "
            "rescale it before fitting"
        ) from None
    return pd.Series(values, index=series.index, name=series.name)


def _time_kind(dtype: Any) -> str | None:
    """What a date-like dtype holds ("dates or times", "durations", …), or None."""
    if isinstance(dtype, pd.PeriodDtype):
        return "periods"
    if isinstance(dtype, pd.IntervalDtype):
        return "intervals"
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa  # an Arrow dtype means pyarrow is there

        kind = dtype.pyarrow_dtype
        if pa.types.is_time(kind):
            return "times of day"
        if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
            return "dates or times"
        if pa.types.is_duration(kind):
            return "durations"
        if pa.types.is_interval(kind):
            return "intervals"
        return None
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "dates or times"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return "durations"
    return None


#: Python objects a column of dates or times holds (Parquet ``date32`` read by pandas,
#: ``datetime.date`` built by hand); ``pd.Timestamp`` is a ``datetime.datetime``.
_TIME_OBJECTS = (datetime.date, datetime.time, datetime.timedelta)
_OBJECT_SAMPLE = 200


def _series_time_kind(series: pd.Series) -> str | None:
    """:func:`_time_kind` of the dtype, or of the values of an object column."""
    kind = _time_kind(series.dtype)
    if kind is not None or not pd.api.types.is_object_dtype(series.dtype):
        return kind
    values = series.dropna().iloc[:_OBJECT_SAMPLE].tolist()
    if not values or not all(isinstance(v, _TIME_OBJECTS) for v in values):
        return None
    if all(isinstance(v, datetime.timedelta) for v in values):
        return "durations"
    if all(isinstance(v, datetime.time) for v in values):
        return "times of day"
    return "dates or times"


def _is_object(series: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(series.dtype)


def time_problem(column: str, series: pd.Series, *, named: bool) -> tuple[str, str] | None:
    """``("dates", message)`` for a column of dates, times or durations, or None.

    A regression cannot use them as they are; the message gives the conversion to a number
    and (``named`` False, for ``y ~ .``) says that ``.`` leaves the column out.
    """
    if not isinstance(series, pd.Series):  # repeated column names: said elsewhere
        return None
    kind = _series_time_kind(series)
    if kind is None:
        return None
    plain = f"df[{column!r}]"
    arrow = isinstance(series.dtype, pd.ArrowDtype)
    if kind == "dates or times":
        # Python dates and Arrow date32 have no .dt: as datetime64 first
        when = f"pd.to_datetime({plain})" if arrow or _is_object(series) else plain
        fix = (
            f"make a number of them, e.g. days since the first, {plain} = "
            f"({when} - {when}.min()).dt.days"
        )
    elif kind == "durations":
        span = f"pd.to_timedelta({plain})" if arrow or _is_object(series) else plain
        fix = (
            "make a number of them in the unit you mean, e.g. days, "
            f"{plain} = {span}.dt.total_seconds() / 86400"
        )
    elif kind == "times of day":
        fix = (
            "make a number of them, e.g. hours after midnight, "
            f"{plain} = pd.to_timedelta({plain}.astype(str)).dt.total_seconds() / 3600"
        )
    else:
        fix = f"make a number of them, or write {call_on('C', column)} to use them as categories"
    shown = "Python objects" if pd.api.types.is_object_dtype(series.dtype) else series.dtype
    return "dates", (
        f"column {column!r} holds {kind} ({shown}), which a regression cannot use as they "
        + (f"are: {fix}" if named else f"are, so '.' leaves it out: {fix}, and add it")
    )


def _refuse_time(column: str, series: pd.Series) -> None:
    problem = time_problem(column, series, named=True)
    if problem is not None:
        raise InputError(problem[1])


def _float_series(series: pd.Series) -> pd.Series:
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.Series(values, index=series.index, name=series.name)


def _column(column: str, series: pd.Series, label_only: bool) -> pd.Series:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return series
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return series.astype(object).where(series.notna(), None)  # text, as object columns
    if label_only:
        return series
    _refuse_time(column, series)
    if dtype == np.float64 or dtype == np.bool_:
        return series  # as they have always been (numpy bools are 0/1 to formulaic)
    if pd.api.types.is_bool_dtype(dtype):  # nullable or Arrow booleans: 0/1 too, NaN if missing
        return _float_series(series)
    if pd.api.types.is_numeric_dtype(dtype) and getattr(dtype, "kind", "") != "c":
        # integers (numpy, nullable, Arrow), float32, nullable Float64, Arrow decimals
        return _float_series(series)
    if pd.api.types.is_object_dtype(dtype) and _object_kind(series) is not None:
        return _as_float(column, series)
    return series


def formula_columns(
    frame: pd.DataFrame, columns: Iterable[str], label_only: Iterable[str] = ()
) -> pd.DataFrame:
    """Return ``frame`` with ``columns`` in the dtypes a formula computes with.

    Parameters
    ----------
    frame : DataFrame
    columns : iterable of str
        The variables the formula uses (others are left alone, whatever their type).
    label_only : iterable of str
        Variables used only as category labels: integers and numbers-as-objects keep
        their type (``C(year)`` names its levels 2020, 2021, not 2020.0).

    Returns
    -------
    DataFrame
        ``frame`` itself when nothing changes, else a shallow copy with the new columns.

    Raises
    ------
    InputError
        For dates, durations, periods and intervals outside ``C(...)``, and for numbers
        too large for float64.
    """
    keep = set(label_only)
    changed: dict[str, pd.Series] = {}
    for column in dict.fromkeys(columns):
        series = frame[column] if column in frame.columns else None
        if not isinstance(series, pd.Series):
            continue  # absent, or a duplicated name: reported by the callers
        converted = _column(str(column), series, column in keep)
        if converted is not series:
            changed[column] = converted
    if not changed:
        return frame
    frame = frame.copy(deep=False)
    for column, series in changed.items():
        frame[column] = series
    return frame


def formula_frame(frame: pd.DataFrame, model: Any) -> pd.DataFrame:
    """:func:`formula_columns` for the variables of a formulaic ``Formula`` or ``ModelSpec``."""
    labels, numeric = _variable_uses(model)
    # formulaic's own list misses the variables of some transforms, e.g. poly(x, 2, raw=True)
    variables = labels | numeric | {str(v) for v in model.required_variables}
    return formula_columns(frame, sorted(variables), labels - numeric)


def check_response_not_predictor(response: Iterable[str], predictors: Iterable[str]) -> None:
    """Refuse a formula whose response is also one of its predictors (R² would be 1).

    Raises
    ------
    InputError
        Naming the column, e.g. for ``y ~ x + y``.
    """
    both = sorted(set(response) & set(predictors))
    if both:
        listing = ", ".join(map(repr, both))
        raise InputError(
            f"column(s) {listing} are the response and cannot also be predictors (the fit "
            "would explain the response by itself); remove them from the right-hand side"
        )


def unused_categories(frame: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The pandas Categorical columns among ``columns`` with a category no row holds.

    A frame filtered after a column was made Categorical keeps every category; as a factor
    an absent category would be a column of zeros (or, as the reference level, the base
    every other level is compared with, though no row has it).  R's ``lm`` drops unused
    levels before it builds the design, and so does linmod.
    """
    out = []
    for column in columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()
            seen = np.unique(codes[codes >= 0])
            if len(seen) < len(series.cat.categories):
                out.append(column)
    return out
