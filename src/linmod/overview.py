"""The data overview of the report: what the columns look like, and what is wrong with them.

:func:`data_overview` describes every column of the data (type, role in the model,
missing values, distinct values, range) and the correlations of the numeric columns the
model uses; :func:`column_flags` lists the problems it can see from cheap column
statistics, before anyone reads a coefficient:

* ``identifier``: nearly every value distinct (a name, a code, a row number): as a
  predictor it becomes one coefficient per row;
* ``date``: dates, stored as dates or as text: as text each date becomes a level;
* ``text_in_numbers``: a column of numbers with some text in it (``"n/a"``,
  ``"43,609"``), read as text;
* ``constant``: one value (or none): it cannot explain anything;
* ``duplicate``: the same values as an earlier column;
* ``case_variants``: levels that differ only in case or surrounding spaces
  (``"North"``/``"north "``), counted as different levels.

Results are data: :class:`DataOverview` holds frames, :mod:`linmod.report.sections`
renders them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from linmod.data.number_notation import find_notation
from linmod.data.simple_formula import parse_simple

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["FLAG_PROBLEMS", "DataOverview", "column_flags", "data_overview"]

#: The problems :func:`column_flags` reports, in the order it checks them.
FLAG_PROBLEMS = (
    "identifier", "date", "text_in_numbers", "constant", "duplicate", "case_variants",
)  # fmt: skip
#: Share of distinct values above which a text column is identifier-like.
IDENTIFIER_SHARE = 0.9
#: Fewest non-missing values before a column can look like an identifier.
IDENTIFIER_MIN_ROWS = 10
#: Share of values that must look like dates (or numbers) for the column to be one.
MAJORITY = 0.8
_DATE = re.compile(
    r"\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*\Z"
)
_EXAMPLES = 3


def empty_flags() -> pd.DataFrame:
    """A flags table with no problem in it."""
    return pd.DataFrame({"column": [], "problem": [], "detail": []}, dtype=object)


def _examples(values: Iterable[object]) -> str:
    shown = [repr(str(v)) for v in list(values)[:_EXAMPLES]]
    return ", ".join(shown)


def _text_values(series: pd.Series) -> pd.Series | None:
    """The non-missing values of a text column, as str; None for any other column."""
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return None
    values = series.dropna()
    if not values.map(lambda v: isinstance(v, str)).all():
        return None
    return values.astype(str)


def _identifier(series: pd.Series, text: pd.Series | None, distinct: int) -> str | None:
    values = series.dropna()
    n = len(values)
    if n < IDENTIFIER_MIN_ROWS:
        return None
    if text is not None and distinct >= IDENTIFIER_SHARE * n:
        return (
            f"{distinct:,} distinct values in {n:,} rows (e.g. {_examples(text.unique())}): "
            "as a predictor it would be one coefficient per value; leave it out of the formula"
        )
    if pd.api.types.is_integer_dtype(series) and distinct == n > 1:
        low, high = int(values.min()), int(values.max())
        if high - low + 1 == n:
            return (
                f"the integers {low:,} to {high:,}, each once: a row number or code, not a "
                "measurement"
            )
    return None


def _date(series: pd.Series, text: pd.Series | None) -> str | None:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "dates: use a number derived from them (e.g. the year, or days since a start)"
    if text is None or text.empty:
        return None
    looks = text.map(lambda v: _DATE.match(v) is not None)
    if looks.mean() < MAJORITY:
        return None
    return (
        f"dates written as text (e.g. {_examples(text[looks].unique())}): as text each date "
        "is a level; convert them to a number (e.g. the year) first"
    )


def _text_in_numbers(text: pd.Series | None, name: str) -> str | None:
    """Numbers read as text: in another notation (recognised as
    :func:`linmod.data.number_notation.find_notation` recognises it when fitting), with
    a few words among them, or plain."""
    if text is None or text.empty:
        return None
    notation = find_notation(text.unique())
    if notation is not None and notation.option is None:
        shown = _examples(dict.fromkeys(v.strip() for v in notation.examples))
        return (
            f"a number column read as text, because of {notation.what} ({shown}): convert "
            f"it before fitting, e.g. df[{name!r}] = {notation.conversion(name)}"
        )
    if notation is not None:
        words = set(notation.words)
        is_number = ~text.isin(words)
        stray = text[~is_number] if words else None
    else:
        is_number = pd.to_numeric(text.str.strip(), errors="coerce").notna()
        stray = None if is_number.mean() < MAJORITY or is_number.all() else text[~is_number]
    parts, reads = [], []
    if stray is not None:
        parts.append(f"{len(stray):,} value(s) that are not numbers ({_examples(stray.unique())})")
        markers = [str(v).strip() for v in stray.unique()[:_EXAMPLES]]
        reads.append(f"na_values={markers!r} if they mean missing")
    if notation is not None and notation.option is not None:
        shown = _examples(dict.fromkeys(v.strip() for v in notation.examples))
        parts.append(f"{notation.head} ({shown})")
        reads.append(notation.option)
    if not parts:
        if is_number.all():
            return "numbers stored as text: the column is read as text"
        return None
    return (
        "a number column read as text, because of " + " and ".join(parts)
        + "; read the file with " + " and ".join(reads)
    )  # fmt: skip


def _case_variants(text: pd.Series | None) -> str | None:
    if text is None or text.empty:
        return None
    levels = pd.Series(text.unique())
    key = levels.str.strip().str.casefold()
    clashes = levels[key.duplicated(keep=False)]
    if clashes.empty:
        return None
    groups = clashes.groupby(key[clashes.index].to_numpy()).agg(list)
    shown = "; ".join(" / ".join(repr(v) for v in g) for g in list(groups)[:_EXAMPLES])
    return (
        f"{len(groups):,} level(s) differ only in case or spaces ({shown}): they count as "
        "different levels; clean them (e.g. strip and lower-case) first"
    )


def _duplicates(frame: pd.DataFrame) -> dict[str, str]:
    """Columns equal to an earlier column (same values and missing cells) -> that column."""
    seen: dict[tuple[str, int], list[str]] = {}
    out: dict[str, str] = {}
    for name in frame.columns:
        series = frame[name]
        key = (str(series.dtype), int(pd.util.hash_pandas_object(series, index=False).sum()))
        for earlier in seen.get(key, []):
            if series.equals(frame[earlier]):
                out[name] = earlier
                break
        else:
            seen.setdefault(key, []).append(name)
    return out


def column_flags(frame: pd.DataFrame, distinct: Mapping[str, int] | None = None) -> pd.DataFrame:
    """The problems each column shows, from cheap column statistics.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data, columns named by text.
    distinct : mapping of str to int, optional
        Distinct non-missing values per column, when the caller has counted them (one
        hash of each column, not three, on a million rows).

    Returns
    -------
    pandas.DataFrame
        One row per problem found, in column order and then in :data:`FLAG_PROBLEMS`
        order, with ``column``, ``problem`` and ``detail`` (a sentence with examples and
        what to do); empty when none is found.
    """
    duplicates = _duplicates(frame)
    rows: list[dict[str, str]] = []
    for name in frame.columns:
        series = frame[name]
        text = _text_values(series)
        n_distinct = int(series.nunique()) if distinct is None else distinct[name]
        found = {
            "identifier": _identifier(series, text, n_distinct),
            "date": _date(series, text),
            "text_in_numbers": _text_in_numbers(text, str(name)),
            "constant": (
                f"a single value ({_examples(series.dropna().unique()) or 'all missing'})"
                if n_distinct <= 1
                else None
            ),
            "duplicate": (
                f"the same values as column {duplicates[name]!r}" if name in duplicates else None
            ),
            "case_variants": _case_variants(text),
        }
        if found["date"] is not None or found["text_in_numbers"] is not None:
            found["identifier"] = None  # the more specific diagnosis
        rows.extend(
            {"column": str(name), "problem": key, "detail": detail}
            for key, detail in found.items()
            if detail is not None
        )
    return pd.DataFrame(rows) if rows else empty_flags()


@dataclass(frozen=True)
class DataOverview:
    """What the data look like before any model is fitted.

    Attributes
    ----------
    columns : pandas.DataFrame
        One row per column of the data (index: column name) with ``dtype``, ``role``
        (``"response"``, ``"predictor"``, ``"weights"`` or ``"unused"``), ``n_missing``,
        ``n_unique`` and, for numeric columns, ``min``, ``mean``, ``std``, ``max`` of the
        finite values (NaN otherwise).
    correlations : pandas.DataFrame
        Pearson correlations between the numeric columns the model uses (response first,
        then in the data's column order; columns coded as categorical are left out), over
        the rows the model uses.
    n_rows : int
        Rows in the data.
    n_used : int
        Rows the model uses.
    dropped_rows : pandas.Index
        Labels of rows dropped for missing values (``missing="drop"``).
    missing : str
        The missing-value policy, ``"raise"`` or ``"drop"``.
    flags : pandas.DataFrame
        The problems the columns show (:func:`column_flags`): one row per problem, with
        ``column``, ``problem`` (one of :data:`FLAG_PROBLEMS`) and ``detail``.
    """

    columns: pd.DataFrame
    correlations: pd.DataFrame
    n_rows: int
    n_used: int
    dropped_rows: pd.Index
    missing: str
    flags: pd.DataFrame = field(default_factory=lambda: empty_flags())


def _response_variables(formula: str, response_name: str, columns: pd.Index) -> set[str]:
    simple = parse_simple(formula)  # formulaic (0.4 s to import) only for other formulas
    if simple is not None:
        return {str(c) for c in columns if str(c) == simple.lhs[0].factor.column}
    from formulaic import Formula
    from formulaic.errors import FormulaicError

    try:
        needed = set(Formula(formula).lhs.required_variables)
    except (FormulaicError, AttributeError, ValueError):
        needed = {response_name}
    return {str(c) for c in columns if str(c) in needed}


def _is_numeric(series: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series))


def _numeric_summary(series: pd.Series) -> dict[str, float]:
    nan = float("nan")
    if not _is_numeric(series):
        return {"min": nan, "mean": nan, "std": nan, "max": nan}
    values = series.to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return {"min": nan, "mean": nan, "std": nan, "max": nan}
    return {
        "min": float(values.min()),
        "mean": float(values.mean()),
        "std": float(values.std(ddof=1)) if values.size > 1 else nan,
        "max": float(values.max()),
    }


def data_overview(data: pd.DataFrame, res: OLSResults, formula: str, missing: str) -> DataOverview:
    """Describe the columns of ``data`` and what the fit ``res`` of ``formula`` uses of them."""
    frame = data.rename(columns=str)  # formulas name columns by text
    spec = res.design.spec
    predictors = {str(v) for v in getattr(spec, "variables", ())}
    categorical = {str(v) for v in getattr(spec, "levels", {})}
    response = _response_variables(formula, res.design.response_name, frame.columns)
    weights_column = None if res.weights is None else res.weights.column
    rows = []
    for key in frame.columns:
        series = frame[key]
        role = (
            "response"
            if key in response
            else "predictor"
            if key in predictors
            else "weights"
            if key == weights_column
            else "unused"
        )
        rows.append(
            {
                "dtype": str(series.dtype),
                "role": role,
                "n_missing": int(series.isna().sum()),
                "n_unique": int(series.nunique(dropna=True)),
                **_numeric_summary(series),
            }
        )
    columns = pd.DataFrame(rows, index=pd.Index(list(frame.columns), name="column"))
    used = [c for c in frame.columns if c in response | predictors]
    complete = ~frame[used].isna().any(axis=1).to_numpy() if used else np.ones(len(frame), bool)
    numeric_used = sorted(
        (c for c in used if c not in categorical and _is_numeric(frame[c])),
        key=lambda c: (c not in response, used.index(c)),
    )
    if len(numeric_used) >= 2:
        block = frame.loc[complete, numeric_used].astype(float)
        correlations = block.corr(method="pearson")
    else:
        correlations = pd.DataFrame(index=pd.Index(numeric_used), columns=numeric_used, dtype=float)
    return DataOverview(
        flags=column_flags(frame, dict(zip(columns.index, columns["n_unique"], strict=True))),
        columns=columns,
        correlations=correlations,
        n_rows=len(frame),
        n_used=res.n_obs,
        dropped_rows=res.design.shown_dropped_labels,
        missing=missing,
    )
