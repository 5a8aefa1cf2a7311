"""Least squares needs as many rows as parameters: known from the terms, before a design.

``y ~ (.)^3`` on 2,000 rows of 30 numeric columns asks for 4,526 parameters.  The fit
refuses it (fewer rows than parameters) but only once the design is built: seconds and
hundreds of megabytes (far more with factors).  formulaic's parse already lists the
terms, and the columns' types and levels say how many design columns each term gives at
the least (a number: 1; a factor: its levels less one), so :func:`check_parameter_count`
refuses such a formula first, with the fit's own message.  Penalised fits (Ridge, Lasso)
take more parameters than rows and do not call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from linmod.data.design_size import factor_levels
from linmod.exceptions import InputError

__all__ = ["check_parameter_count", "parameter_floor"]


def _least_columns(expr: str, frame: pd.DataFrame, coded: Mapping[str, str]) -> tuple[int, bool]:
    """Fewest design columns one factor of a term gives, and whether that is exact: 1
    for a numeric column (exact) or another expression (``poly(x, 3)`` gives more), its
    levels less one for a category (treatment coding beside a reference level:
    formulaic's full-rank encoding never gives fewer)."""
    if expr == "1":  # the intercept
        return 1, True
    levels, column = factor_levels(expr, frame, coded)
    if levels is None:
        return 1, column in frame.columns and expr in (column, f"`{column}`")
    return max(levels - 1, 0), False


def _floor(frame: pd.DataFrame, terms: Iterable[Any], coded: Mapping[str, str]) -> tuple[int, bool]:
    widths: dict[str, tuple[int, bool]] = {}
    total, exact = 0, True
    for term in terms:
        width = 1
        for factor in term.factors:
            expr = str(factor.expr)
            if expr not in widths:
                widths[expr] = _least_columns(expr, frame, coded)
            width *= widths[expr][0]
            exact = exact and widths[expr][1]
        total += width
    return total, exact


def parameter_floor(frame: pd.DataFrame, terms: Iterable[Any], coded: Mapping[str, str]) -> int:
    """The fewest columns the design of ``terms`` on ``frame`` can have, before it is built.

    Each term gives the product of its factors' fewest columns (1 for a number, a
    category's levels less one); the intercept gives 1.  Counted from formulaic's term
    list (the parsed formula) and the columns' levels, so ``y ~ (.)^3`` on 30 numeric
    columns is known to need 4,526 parameters without materialising a column.

    Parameters
    ----------
    frame : DataFrame
    terms : iterable of formulaic Term
        The right-hand side's terms.
    coded : mapping
        Factor expression (``"C(x)"``) to the column it wraps.

    Returns
    -------
    int
    """
    return _floor(frame, terms, coded)[0]


def check_parameter_count(
    frame: pd.DataFrame, terms: Iterable[Any], coded: Mapping[str, str]
) -> None:
    """Refuse a least-squares design with more parameters than rows, before building it.

    The rows counted are all the frame's (rows dropped for missing values only lower
    them) and the parameters the fewest the terms can give (:func:`parameter_floor`), so
    only a design the fit would refuse is refused, with the fit's own message ("at
    least" unless every term is numeric columns, whose count is exact).

    Raises
    ------
    InputError
        Naming the rows, the parameters and the first terms.
    """
    terms = list(terms)
    n = int(frame.shape[0])
    p, exact = _floor(frame, terms, coded)
    if p <= n:
        return
    names = ["Intercept" if str(t) == "1" else str(t) for t in terms]
    raise InputError(
        f"{n} rows but {'' if exact else 'at least '}{p} parameters ({', '.join(names[:8])}"
        f"{', …' if len(names) > 8 else ''}): least squares needs at least as many rows as "
        "parameters; drop terms or use a regularised fit (Ridge or Lasso)"
    )
