"""Column names a formula can name: text only.

A frame read with ``pandas.read_csv(header=None)`` (or built from a NumPy array) has the
integer column names ``0, 1, 2``.  A formula names columns by text, so neither formulaic
nor patsy finds `` `0` `` in such a frame, and pandas' lookup of ``"0"`` raised a bare
``KeyError`` deep inside the fit.  :func:`refuse_non_text_names` refuses it up front, when
the formula names such a column (or uses ``.``, which would take every column), saying how
to rename the columns.  Columns the formula does not use may be named anyhow.
"""

from __future__ import annotations

import re
from typing import Any

from linmod.data.term_names import right_side, split_sides
from linmod.exceptions import InputError

__all__ = ["refuse_intercept_name", "refuse_non_text_names"]

#: Names a formula can mention: backticked, quoted in Q('...'), identifiers and numbers.
_MENTIONED = re.compile(r"`([^`]+)`|Q\(\s*['\"](.+?)['\"]\s*\)|([\w.]+)")
_NUMBER = re.compile(r"[\d.]+(?:[eE][+-]?\d+)?")
_DOT = re.compile(r"(?<![\w.])\.(?![\w.])")


_TERM_ONE = re.compile(r"(?:^|(?<=[~+\-*:^(]))\s*`1`\s*(?=$|[+\-*:)])")
_CALL = re.compile(r"[\w.]\($")


def refuse_intercept_name(columns: Any, formula: str) -> None:
    """Refuse `` `1` `` as a term when the data have a column named ``"1"``.

    formulaic reads `` `1` `` as the intercept even in backticks (R's ``lm`` reads the
    column), so the column would silently be left out of the model.

    Raises
    ------
    InputError
        Saying to write ``Q('1')``.
    """
    if "1" not in {str(c) for c in columns}:
        return
    for match in _TERM_ONE.finditer(formula):
        if not _CALL.search(formula[: match.start()].rstrip()):  # not C(`1`), I(`1`)
            raise InputError(
                f"formula {formula!r} writes `1` for the column '1', but formulaic reads "
                "`1` as the intercept, even in backticks: write Q('1') for the column "
                "(or rename it)"
            )


def _mentioned(formula: str) -> set[str]:
    """Names the formula mentions.  A bare number (``0 + x``, ``x - 1``, ``I(x**2)``) is a
    literal, not the name of a column (backticked or in ``Q()`` it is one), unless the
    response itself is a bare number (``0 ~ 1 + 2``: numbers used as names)."""
    found = _MENTIONED.findall(formula)
    sides = split_sides(formula)  # the first ~ outside backticks and quotes
    numbers_named = sides is not None and bool(_NUMBER.fullmatch(sides[0].strip()))
    return {a or b or c for a, b, c in found if a or b or numbers_named or not _NUMBER.fullmatch(c)}


def refuse_non_text_names(columns: Any, formula: str) -> None:
    """Refuse a formula that names (or takes with ``.``) a column whose name is not text.

    Parameters
    ----------
    columns : iterable
        The data's column names.
    formula : str
        The formula as given (before ``.`` is expanded).

    Raises
    ------
    InputError
        Naming the columns, their type and the two usual renames.
    """
    others = [c for c in columns if not isinstance(c, str)]
    if not others:
        return
    rhs = right_side(formula)
    named = _mentioned(formula)
    used = others if _DOT.search(rhs) else [c for c in others if str(c) in named]
    if not used:
        return
    shown = ", ".join(repr(c) for c in used[:5]) + (", ..." if len(used) > 5 else "")
    kinds = sorted({type(c).__name__ for c in used})
    raise InputError(
        f"the data's column names {shown} are {' and '.join(kinds)}, not text (a frame read "
        "with header=None, or made from an array?): a formula names columns by text; "
        "rename the columns first, e.g. df = df.add_prefix('x') and write x0 ~ x1 + x2 "
        "(not df.columns.astype(str): formulaic reads `1` as the intercept, even in "
        "backticks)"
    )
