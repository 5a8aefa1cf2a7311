"""Cheap column statistics that decide, before a design is built, what a column can be.

A text column with many distinct values would silently become a factor with one
coefficient per value (on 50,000 rows, a column of IDs or of numbers written ``"43,609"``
asks for a 50,000-column design: tens of gigabytes).  From distinct counts alone, before
formulaic materialises anything:

- an **identifier-like** column (text with nearly all values distinct, at least
  :data:`IDENTIFIER_SHARE` of at least :data:`MIN_ROWS` non-missing values; or an integer
  column named like an ID — ``id``, ``row``, ``index``, ``*_id``, ``Unnamed: 0`` — whose
  values are ``1..n`` or ``0..n-1`` in some order) is left out of ``y ~ .`` with a warning,
  and refused when named as a plain term; ``C(col)`` asks for it anyway;
- a text column with more levels than :func:`level_bound` (the smaller of
  :data:`MAX_LEVELS` = 50 and half the rows) needs ``C(col)`` explicitly;
- text that is numbers written with thousands separators (``"43,609"``) or a decimal
  comma (``"3,14"``) is refused with the read option that fixes it;
- the design's size (rows × columns implied by the terms, counting each factor's dummies
  and interactions, × 8 bytes) is refused above :func:`design_memory_limit` (2 GiB by
  default; ``LINMOD_MAX_DESIGN_BYTES`` or the CLI's ``--max-design-gb`` change it),
  naming the term and column responsible.

Levels that differ only in case or surrounding whitespace (``"North"``, ``"north"``,
``" north"``) are warned about, naming the column and the variants.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from linmod._stack import user_stacklevel
from linmod.data.column_types import object_numbers, time_problem
from linmod.data.column_values import nested_problem, single_value_message, single_value_problem
from linmod.data.frames import RESPONSE_TEXT_FIX, check_numeric_text
from linmod.data.number_notation import notation_problem
from linmod.data.numeric_text import is_text
from linmod.data.read_advice import read_advice
from linmod.data.row_identifiers import MIN_ROWS, integer_identifier, row_identifier_message
from linmod.data.term_names import call_on, coded_column
from linmod.data.text_response import categorical_response_problem
from linmod.exceptions import InputError, LinmodWarning

__all__ = [
    "IDENTIFIER_SHARE",
    "MAX_LEVELS",
    "MIN_ROWS",
    "check_factor_column",
    "check_response_text",
    "dot_exclusions",
    "dot_exclusions_by_levels",
    "dot_single_levels",
    "factor_columns",
    "is_text",
    "level_bound",
    "screen_frame",
    "screen_levels",
    "warn_case_variants",
]

#: Distinct share of the non-missing values from which a text column is an identifier.
IDENTIFIER_SHARE = 0.9
#: Most levels a text column may have as an implicit factor (also bounded by n/2).
MAX_LEVELS = 50
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d*)?$")
_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?"
)
_DATE = re.compile(
    r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$"
    rf"|^\d{{1,2}}[ -]{_MONTH}[ -]\d{{2,4}}$"  # 12 Mar 2026, 12-Mar-26
    rf"|^{_MONTH} \d{{1,2}},? \d{{4}}$",  # Mar 12, 2026; March 12 2026
    re.IGNORECASE,
)
_SAMPLE = 200


def level_bound(n_rows: int) -> int:
    """Most levels an implicit factor may have: ``min(MAX_LEVELS, max(n_rows // 2, 2))``."""
    return min(MAX_LEVELS, max(n_rows // 2, 2))


def _sample(values: Iterable[Any]) -> list[str]:
    out = []
    for value in values:
        if isinstance(value, str):
            out.append(value.strip())
        if len(out) >= _SAMPLE:
            break
    return out


#: At most this many distinct words among numbers read as "numbers with missing-value
#: codes" (``"unknown"``, ``"-"``, ``"?"``) rather than as a text column. A spreadsheet
#: export mixes several (``"n/a"``, ``"-"``, ``"?"``, ``"—"``, ``"missing"``, ``"#N/A"``);
#: with more than three, such a column was called an identifier and left out of ``.``.
_FEW_WORDS = 8


def _missing_codes(column: str, levels: list[Any]) -> str | None:
    """The error for text that is numbers but for a few words, or None.

    A number column with a missing-value code written as a word (``"unknown"``) reads as
    text.  When most of its values are that word, the fit's rule for stray words among
    numbers (:func:`linmod.data.frames.check_numeric_text`) does not apply; as a factor
    it would be one coefficient per number, so the fix named is the read option.
    """
    texts = [v.strip() for v in levels if isinstance(v, str)]
    words = sorted({v for v in texts if not _PLAIN_NUMBER.match(v)})
    if not words or len(words) > _FEW_WORDS or len(texts) - len(words) < 0.9 * len(texts):
        return None
    quoted = ", ".join(repr(w) for w in words)
    return (
        f"column {column!r} holds numbers and {quoted}, so it was read as text "
        f"({len(levels)} distinct values): if {quoted} marks a missing value, "
        f"{read_advice({'na_values': words})}; to fit one coefficient per value, write "
        f"{call_on('C', column)}"
    )


def _looks_like_dates(levels: list[Any]) -> bool:
    sample = _sample(levels)
    return bool(sample) and all(_DATE.match(v) for v in sample)


def _text_problem(
    column: str, levels: list[Any], n_values: int, *, named: bool
) -> tuple[str, str] | None:
    """``(kind, message)`` for a text column used as an implicit factor, or None.

    Kinds: ``"numbers"`` (numbers in another notation, or with missing-value codes: a read
    option is the fix), ``"symbols"`` (numbers with currency or percent signs and the like:
    a conversion is the fix), ``"dates"``, ``"identifier"``, ``"levels"`` (too many levels).
    """
    coded = call_on("C", column)
    notation = notation_problem(column, levels)
    if notation is not None and notation[0] == "symbols":
        return "symbols", notation[1] + (
            f"; or write {coded} to fit one coefficient per value"
            if named
            else f"; until then '.' leaves it out (write '+ {coded}' to include its values as "
            "categories)"
        )
    if notation is not None:
        return notation
    n_levels = len(levels)
    if n_levels > level_bound(n_values):
        codes = _missing_codes(column, levels)
        if codes is not None:
            return "numbers", codes
    dates = _looks_like_dates(levels)
    if dates:
        what = (
            f"column {column!r} holds dates as text ({n_levels} distinct, e.g. "
            f"{_sample(levels)[0]!r}): as a factor it would be one coefficient per date; make "
            f"a number of it (e.g. days since the first) or write {coded} to fit one "
            "coefficient per date"
        )
        if n_levels > level_bound(n_values):
            return "dates", what
    if n_values >= MIN_ROWS and n_levels >= IDENTIFIER_SHARE * n_values:
        return "identifier", (
            f"column {column!r} looks like an identifier ({n_levels} distinct values in "
            f"{n_values} rows): as a factor it would be one coefficient per row; "
            + (
                f"leave it out of the formula, or write {coded} to fit it anyway"
                if named
                else f"'.' leaves it out: write '+ {coded}' to include it"
            )
        )
    bound = level_bound(n_values)
    if n_levels > bound:
        return "levels", (
            f"column {column!r} is text with {n_levels} distinct values, more than the "
            f"{bound} levels an implicit factor may have (at most {MAX_LEVELS} or half the "
            "rows): "
            + (
                f"write {coded} if you mean one coefficient per value, or convert it"
                if named
                else f"'.' leaves it out: write '+ {coded}' to include it"
            )
        )
    return None


def _column_problem(
    frame: pd.DataFrame, column: str, *, named: bool, later: bool = False
) -> tuple[str, str] | None:
    """``(kind, message)`` for a column of ``frame``, or None.  ``later``: ``frame`` is
    the first rows of a source whose whole counts decide later (:func:`dot_exclusions`)."""
    series = frame[column]
    unusable = nested_problem(column, series, named=named) or time_problem(
        column, series, named=named
    )
    if unusable is not None:
        return unusable
    numbers = object_numbers(column, series)  # Parquet decimals in pandas: numbers, not text
    series = series if numbers is None else numbers
    if is_text(series):
        values = series.dropna()
        levels = values.unique().tolist()
        problem = _text_problem(column, levels, len(values), named=named)
        if later and problem is not None and problem[0] in _BY_COUNTS:
            return None if len(levels) <= MAX_LEVELS else problem
        return problem
    if not later and integer_identifier(column, series):
        low, high = int(series.min()), int(series.max())
        return "identifier", row_identifier_message(column, low, high, named=named)
    return None


#: Kinds of text problem that a column's counts decide (its levels, its rows).
_BY_COUNTS = ("identifier", "levels", "dates")


def dot_exclusions(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    empty: bool = True,
    intercept: bool = True,
    later: bool = False,
) -> list[str]:
    """Columns R's ``.`` leaves out, each with a warning: empty columns (a trailing comma's
    ``Unnamed: 3``), identifier-like ones, text with too many levels, numbers written
    with symbols (``"$1,200"``, ``"10%"``: the warning gives the conversion), columns of
    lists, and text with one value on every row (:mod:`linmod.data.column_values`).

    ``empty``: ``frame`` is all the data: leave out columns with no value, and (with
    ``intercept``, the formula keeps its intercept) text with a single value (False when
    ``frame`` is a first chunk).
    ``later``: ``frame`` is the first chunk of a source whose columns are counted over
    all of it afterwards (:func:`dot_exclusions_by_levels`,
    :func:`linmod.data.row_identifiers.dot_row_identifiers`), so what only the counts of
    the whole decide is left to them: integer row identifiers, and text whose first-chunk
    levels (at most :data:`MAX_LEVELS`) are too many or too distinct for that chunk's
    rows.  Text with more levels than an implicit factor may ever have is left out here.
    A column that is numbers in another notation a read option fixes (``"43,609"``) or
    with a word for missing values (``"unknown"``) is not left out: it is refused.

    Raises
    ------
    InputError
        For a text column that is numbers with thousands separators, a decimal comma or
        missing-value words.
    """
    left_out = []
    for column in columns:
        problem = (
            (empty and _empty_column(frame, column))
            or _column_problem(frame, column, named=False, later=later)
            or (_single_value(frame, column) if empty and intercept else None)
        )
        if problem is None:
            continue
        kind, message = problem
        if kind == "numbers":
            raise InputError(message)
        left_out.append(column)
        warnings.warn(message, LinmodWarning, stacklevel=user_stacklevel())
    return left_out


def _single_value(frame: pd.DataFrame, column: str) -> tuple[str, str] | None:
    series = frame[column]
    return single_value_problem(column, series, named=False) if is_text(series) else None


def _empty_column(frame: pd.DataFrame, column: str) -> tuple[str, str] | None:
    series = frame[column]
    if not isinstance(series, pd.Series) or len(series) == 0 or not series.isna().all():
        return None
    return "empty", (
        f"column {column!r} is empty (no value in its {len(series)} rows): '.' leaves it out"
    )


def dot_exclusions_by_levels(
    levels: Mapping[str, list[Any]], counts: Mapping[str, int], columns: Iterable[str]
) -> list[str]:
    """:func:`dot_exclusions` for a streamed source, from levels counted over all of it.

    A column that ``.`` put in, whose levels over the whole source make it
    identifier-like or too many for an implicit factor, though the first chunk did not,
    is left out with the in-memory warning (its counts are those of the whole source).
    Numbers in another notation are not left out (the caller refuses them).
    """
    left_out = []
    for column in columns:
        if column not in levels or column not in counts:
            continue
        problem = _text_problem(column, list(levels[column]), counts[column], named=False)
        if problem is None or problem[0] == "numbers":
            continue
        left_out.append(column)
        warnings.warn(problem[1], LinmodWarning, stacklevel=user_stacklevel())
    return left_out


def dot_single_levels(singles: Mapping[str, str], columns: Iterable[str]) -> list[str]:
    """The columns ``.`` put in that hold one text value over a whole streamed source
    (``singles``: column → value, :func:`linmod.data.column_values.single_levels`), each
    left out with the in-memory warning.  Call only when the formula keeps its intercept.
    """
    left_out = [column for column in columns if column in singles]
    for column in left_out:
        message = single_value_message(column, singles[column], named=False)
        warnings.warn(message, LinmodWarning, stacklevel=user_stacklevel())
    return left_out


def check_factor_column(column: str, levels: list[Any], n_values: int) -> None:
    """Refuse a text column named as a plain term that cannot be a factor as it is.

    Used by streamed fits, whose levels are counted over the whole source.

    Raises
    ------
    InputError
        Naming the column and the fix (``C(col)``, a read option, or leaving it out).
    """
    problem = _text_problem(column, levels, n_values, named=True)
    if problem is not None:
        raise InputError(problem[1])


def screen_levels(
    levels: Mapping[str, list[Any]], counts: Mapping[str, int], plain: Iterable[str]
) -> None:
    """The screen of a streamed source, from levels counted over the whole data.

    Parameters
    ----------
    levels : mapping
        Column → its levels (found by a pass over the data).
    counts : mapping
        Column → its number of non-missing values (text columns).
    plain : iterable of str
        Columns the formula uses as plain terms (not inside ``C(...)``, not declared).

    Raises
    ------
    InputError
        As :func:`check_factor_column`.
    """
    for column in plain:
        if column in levels and column in counts:
            check_factor_column(column, list(levels[column]), counts[column])
    for column, found in levels.items():
        warn_case_variants(column, found)


def check_response_text(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Refuse a text response before formulaic encodes it (one column per distinct value).

    Raises
    ------
    InputError
        Naming the column, an example value, and the read option when the text is
        numbers in another notation.
    """
    for column in columns:
        if column not in frame.columns or not is_text(frame[column]):
            continue
        values = frame[column].dropna()
        if values.empty:
            continue
        levels = values.unique().tolist()
        notation = notation_problem(column, levels)
        if notation is not None:
            raise InputError(notation[1])
        problem = categorical_response_problem(column, values, f"df[{column!r}]", in_formula=True)
        if problem is not None:
            raise InputError(problem)
        check_numeric_text(frame, [column], fix=RESPONSE_TEXT_FIX)  # stray words, by row


def screen_frame(frame: pd.DataFrame, plain: Iterable[str]) -> None:
    """Refuse columns named as plain terms that would explode into dummies.

    Parameters
    ----------
    frame : DataFrame
    plain : iterable of str
        Columns the formula uses other than inside ``C(...)``.
    """
    for column in plain:
        if column in frame.columns:
            problem = _column_problem(frame, column, named=True)
            if problem is not None:
                raise InputError(problem[1])


def factor_columns(terms: Iterable[Any], columns: Iterable[str]) -> tuple[set[str], dict[str, str]]:
    """Columns used as plain terms, and ``C(col)`` factor expressions with their column.

    Parameters
    ----------
    terms : iterable of formulaic Term
    columns : iterable of str
        The data's column names.
    """
    known = {str(c) for c in columns}
    plain: set[str] = set()
    coded: dict[str, str] = {}
    for term in terms:
        for factor in term.factors:
            expr = str(factor.expr)
            if expr in known and str(getattr(factor.eval_method, "value", "")) == "lookup":
                plain.add(expr)
                continue
            column = coded_column(expr)  # C(g), C(`shop name`)
            if column is not None and column in known:
                coded[expr] = column
    return plain, coded


def warn_case_variants(column: str, levels: Iterable[Any]) -> None:
    """Warn when levels differ only in case or surrounding whitespace ("North"/" north")."""
    groups: dict[str, list[str]] = {}
    for level in levels:
        if isinstance(level, str):
            groups.setdefault(level.strip().casefold(), []).append(level)
    clashes = [sorted(v) for v in groups.values() if len(v) > 1]
    if clashes:
        shown = "; ".join(" / ".join(map(repr, v)) for v in clashes[:5])
        more = f" (and {len(clashes) - 5} more groups)" if len(clashes) > 5 else ""
        warnings.warn(
            f"column {column!r} has levels that differ only in case or surrounding spaces: "
            f"{shown}{more}; they are separate levels: clean them if they are one "
            f"(e.g. df[{column!r}].str.strip().str.lower())",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
