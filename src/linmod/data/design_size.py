"""The memory bound on a formula's design, checked from the term list before it is built."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from linmod.data.numeric_text import is_text
from linmod.exceptions import InputError

__all__ = ["DEFAULT_DESIGN_BYTES", "check_design_size", "design_memory_limit", "factor_levels"]

#: Default bound on the size of a design (2 GiB).
DEFAULT_DESIGN_BYTES = 2 * 1024**3


def design_memory_limit() -> int:
    """Largest design, in bytes, a formula may build: ``LINMOD_MAX_DESIGN_BYTES`` or 2 GiB."""
    text = os.environ.get("LINMOD_MAX_DESIGN_BYTES", "").strip()
    if not text:
        return DEFAULT_DESIGN_BYTES
    try:
        value = int(float(text))
    except ValueError:
        raise InputError(
            f"LINMOD_MAX_DESIGN_BYTES={text!r} is not a number of bytes, e.g. 4e9"
        ) from None
    if value <= 0:
        raise InputError(f"LINMOD_MAX_DESIGN_BYTES={text!r} must be positive")
    return value


def factor_levels(
    expr: str, frame: pd.DataFrame, coded: Mapping[str, str]
) -> tuple[int | None, str]:
    """The levels of one factor of a term, and the data column behind it.

    Parameters
    ----------
    expr : str
        The factor's expression, e.g. ``"x"``, ``"C(g)"``, ``"np.log(x)"``.
    frame : DataFrame
    coded : mapping
        Factor expression (``"C(x)"``) to the column it wraps.

    Returns
    -------
    levels : int or None
        Distinct values of a categorical column (coded, Categorical or text); None for a
        number, a boolean, or an expression that is not a column.
    column : str
        The data column, or ``expr`` itself when it is not one.
    """
    column = coded.get(expr, expr.strip("`"))
    if column not in frame.columns:
        return None, expr
    series = frame[column]
    dtype = series.dtype
    categorical = expr in coded or isinstance(dtype, pd.CategoricalDtype) or is_text(series)
    if pd.api.types.is_bool_dtype(dtype) or not categorical:
        return None, column
    return int(series.nunique(dropna=True)), column


def _factor_width(expr: str, frame: pd.DataFrame, coded: Mapping[str, str]) -> tuple[int, str]:
    """Columns one factor of a term implies (all its levels), and the data column behind it."""
    levels, column = factor_levels(expr, frame, coded)
    return (1 if levels is None else max(levels, 1)), column


def check_design_size(
    frame: pd.DataFrame, terms: Iterable[Any], coded: Mapping[str, str], limit: int | None = None
) -> None:
    """Refuse a design larger than the memory bound, before it is built.

    Parameters
    ----------
    frame : DataFrame
        The data the design would be built from.
    terms : iterable of formulaic Term
        The right-hand side's terms (each with ``factors`` and their ``expr``).
    coded : mapping
        Factor expression (``"C(x)"``) to the column it wraps.
    limit : int, optional
        Bytes; :func:`design_memory_limit` by default.

    Raises
    ------
    InputError
        Naming the size, the bound, the widest term and its column.
    """
    bound = design_memory_limit() if limit is None else limit
    n = int(frame.shape[0])
    total, widest, width_of, culprit = 0, "", 0, ""
    widths: dict[str, tuple[int, str]] = {}
    for term in terms:
        width, columns = 1, []
        for factor in term.factors:
            key = str(factor.expr)  # (.)^3 of 30 columns: 13,000 factors of 30 columns
            count, column = widths.get(key) or widths.setdefault(
                key, _factor_width(key, frame, coded)
            )
            width *= count
            if count > 1:
                columns.append(column)
        total += width
        if width > width_of:
            widest, width_of, culprit = str(term), width, ", ".join(columns)
    size = float(n) * total * 8.0
    if size > bound and width_of > 1:
        raise InputError(
            f"the design would have {n} rows x {total} columns ({size / 1e9:.1f} GB, more than "
            f"the {bound / 1e9:.1f} GB bound): term {widest!r} alone implies {width_of} columns "
            f"(one per level of {culprit}); remove or recode that column, or raise the bound "
            "(LINMOD_MAX_DESIGN_BYTES, or --max-design-gb on the command line)"
        )
    if size > bound:
        raise InputError(
            f"the design would have {n} rows x {total} columns ({size / 1e9:.1f} GB, more than "
            f"the {bound / 1e9:.1f} GB bound): fit it out of core (chunksize=...), or raise the "
            "bound (LINMOD_MAX_DESIGN_BYTES, or --max-design-gb on the command line)"
        )
