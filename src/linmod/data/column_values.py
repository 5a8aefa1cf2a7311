"""Columns whose values a regression cannot use: lists in a cell, or one level only.

* A polars ``List`` or ``Struct`` column (or a pandas column of lists, arrays, dicts)
  holds several values per row, not one number or category: pandas cannot even count
  its distinct values (``TypeError: unhashable type``).
* A text column with the same value on every row is a factor of one level: beside the
  intercept it has no column of its own (formulaic drops it, leaving the term with no
  coefficient and no word said; R's ``lm`` refuses it: "contrasts can be applied only to
  factors with 2 or more levels").

``y ~ .`` leaves such columns out with a warning naming them, as it does other unusable
columns (:func:`linmod.data.column_screening.dot_exclusions`); a formula that names one
is refused with the same explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.simple_formula import parse_simple
from linmod.exceptions import InputError

__all__ = [
    "dot_keeps_intercept",
    "has_intercept",
    "nested_problem",
    "refuse_single_levels",
    "refuse_unusable_values",
    "single_levels",
    "single_value_message",
    "single_value_problem",
]

_NESTED = (list, tuple, dict, set, frozenset, np.ndarray)


def has_intercept(terms: Iterable[Any]) -> bool:
    """Whether a right-hand side's terms include the intercept (the term ``1``)."""
    return any(str(term) == "1" for term in terms)


def nested_problem(column: str, series: pd.Series, *, named: bool) -> tuple[str, str] | None:
    """``("nested", message)`` for a column of lists, arrays or mappings, or None.

    Parameters
    ----------
    column : str
    series : pandas.Series
    named : bool
        The formula names the column (the message then says to leave it out); else
        ``.`` leaves it out.
    """
    if not pd.api.types.is_object_dtype(series.dtype):
        return None
    example = next((v for v in series if isinstance(v, _NESTED)), None)
    if example is None:
        return None
    kind = "array" if isinstance(example, np.ndarray) else type(example).__name__
    shown = example.tolist() if isinstance(example, np.ndarray) else example
    listed = repr(shown) if len(repr(shown)) <= 40 else repr(shown)[:37] + "..."
    return "nested", (
        f"column {column!r} holds {kind} values (e.g. {listed}; a polars List or Struct "
        "column?), several values per row where a regression needs one number or category: "
        + (
            "leave it out of the formula, or make a number of each row first (e.g. "
            f"df[{column!r}].map(len), or one column per element)"
            if named
            else "'.' leaves it out"
        )
    )


def single_value_problem(column: str, series: pd.Series, *, named: bool) -> tuple[str, str] | None:
    """``("single", message)`` for a text column with one value on every row, or None.

    A column with missing values is left to the rules for those (a mostly empty column
    is named with its missing share).  Only meaningful when the formula has an
    intercept (without one, the factor's single column is the intercept and is
    estimated).
    """
    if getattr(series.dtype, "kind", "O") in "biufcmM":  # numbers, times: not text
        return None
    if series.empty or series.isna().any():  # missing values: their own messages
        return None
    first = series.iloc[0]
    if not isinstance(first, str) or not (series == first).all():
        return None
    return "single", single_value_message(column, first, named=named)


def single_value_message(column: str, value: str, *, named: bool) -> str:
    """What is wrong with a text column holding ``value`` on every row, and the fix."""
    return (
        f"column {column!r} has one value, {value!r}, on every row: it cannot be "
        "estimated beside the intercept; "
        + ("leave it out of the formula" if named else "'.' leaves it out")
    )


def single_levels(levels: Mapping[str, Sequence[Any]], incomplete: Iterable[str]) -> dict[str, str]:
    """The text columns of a streamed source with one value on every row, and that value.

    Parameters
    ----------
    levels : mapping
        Column → the distinct values a pass over the whole source found (not declared
        ones: a declared level need not occur).
    incomplete : iterable of str
        Columns with a missing value somewhere (left to the rules for those, as in
        memory).
    """
    skip = set(incomplete)
    return {
        column: found[0]
        for column, found in levels.items()
        if len(found) == 1 and isinstance(found[0], str) and column not in skip
    }


def _own_term_columns(terms: Sequence[Any], coded: Mapping[str, str]) -> list[str]:
    """The columns that are a term of their own (plain or in ``C(...)``) beside the
    intercept: where one value on every row is aliased with it (none without one)."""
    if not has_intercept(terms):
        return []
    return [
        coded.get(str(term.factors[0].expr), str(term.factors[0].expr))
        for term in terms
        if len(term.factors) == 1
    ]


def refuse_single_levels(
    terms: Sequence[Any], coded: Mapping[str, str], singles: Mapping[str, str]
) -> None:
    """:func:`refuse_unusable_values`' rule for a streamed source: refuse a column that is
    a term of its own (plain or in ``C(...)``) beside the intercept and holds one text
    value over all the chunks (``singles``, from :func:`single_levels`).

    Raises
    ------
    InputError
        Naming the column, its value, and the fix.
    """
    for column in _own_term_columns(terms, coded):
        if column in singles:
            raise InputError(single_value_message(column, singles[column], named=True))


def refuse_unusable_values(
    frame: pd.DataFrame, terms: Sequence[Any], named: Iterable[str], coded: Mapping[str, str]
) -> None:
    """Refuse columns a formula names that hold lists, or one text value on every row
    when they are a term of their own (plain or in ``C(...)``) beside the intercept.

    Parameters
    ----------
    frame : DataFrame
    terms : sequence of formulaic Term
        The right-hand side's terms.
    named : iterable of str
        The columns the formula names (response and plain terms).
    coded : mapping
        Factor expression (``"C(x)"``) to the column it wraps.

    Raises
    ------
    InputError
        Naming the column, an example value, and the fix.
    """
    for column in sorted(set(named) | set(coded.values())):
        if column in frame.columns:
            problem = nested_problem(column, frame[column], named=True)
            if problem is not None:
                raise InputError(problem[1])
    for column in _own_term_columns(terms, coded):
        series = frame[column] if column in frame.columns else None
        if series is not None and not isinstance(series.dtype, pd.CategoricalDtype):
            problem = single_value_problem(column, series, named=True)
            if problem is not None:
                raise InputError(problem[1])


def dot_keeps_intercept(rhs: str, dots: Sequence[int]) -> bool:
    """Whether a right-hand side with ``.`` at ``dots`` keeps the intercept (True when
    it cannot be told: the formula's own parse then reports what is wrong)."""
    marked = "".join("__linmod_dot__" if i in dots else char for i, char in enumerate(rhs))
    parsed: Any = parse_simple(f"y ~ {marked}")
    if parsed is None:
        from formulaic import Formula

        try:
            parsed = Formula(f"y ~ {marked}")
        except Exception:  # formulaic's own errors, SyntaxError: the fit reports them
            return True
    return has_intercept(parsed.rhs)
