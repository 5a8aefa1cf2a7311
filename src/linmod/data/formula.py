"""Designs from Wilkinson formulas (through formulaic) and data frames.

``"price ~ sqft + C(garage) + np.log(age)"``: interactions (``a:b``, ``a*b``), ``0 +`` or
``- 1`` for no intercept, ``y ~ .`` for every other column, treatment coding for ``C(x)``
with a reference level, ``ordinal(x, [levels])`` for ordered categories, and exact
polynomial columns for ``I(x**k)`` / ``poly(x, k, raw=True)``.
"""

from __future__ import annotations

import difflib
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.column_checks import check_dates, check_infinite, check_still_numbers
from linmod.data.column_clashes import refuse_column_name_clashes
from linmod.data.column_screening import (
    check_response_text,
    dot_exclusions,
    factor_columns,
    screen_frame,
    warn_case_variants,
)
from linmod.data.column_types import (
    category_only_variables,
    check_response_not_predictor,
    formula_columns,
    formula_frame,
    unused_categories,
)
from linmod.data.column_values import dot_keeps_intercept, refuse_unusable_values
from linmod.data.design import DataSource, Design, Term
from linmod.data.design_size import check_design_size
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula_hints import backtick_hint, keyword_hint, r_function_hint
from linmod.data.formula_responses import refuse_several_responses
from linmod.data.frames import (
    check_numeric_text,
    check_unique_columns,
    to_pandas,
    with_object_labels,
)
from linmod.data.keyword_names import quote_keyword_factors
from linmod.data.missing import (
    check_droppable,
    check_policy,
    describe_rows,
    incomplete_rows,
    missing_error,
)
from linmod.data.new_levels import check_new_levels
from linmod.data.parameter_count import check_parameter_count
from linmod.data.polynomial import exact_power_columns, r_column_names
from linmod.data.row_names import is_default_index
from linmod.data.simple_formula import SimpleFormula, parse_simple, simple_matrices
from linmod.data.term_names import coded_column, split_sides, term_name
from linmod.data.text_names import refuse_intercept_name, refuse_non_text_names
from linmod.exceptions import InputError

if TYPE_CHECKING:  # formulaic is imported when a formula needs it (0.4 s)
    from formulaic import Formula, ModelSpec

__all__ = [
    "STATEFUL_TRANSFORM",
    "FormulaSpec",
    "check_right_hand_side",
    "coded_variables",
    "design_from_formula",
    "expand_dot",
    "term_name",
]

Float = NDArray[np.float64]
#: Transforms whose output depends on the data they are first applied to (their state):
#: centring, scaling, orthogonal polynomials, splines.
STATEFUL_TRANSFORM = re.compile(
    r"\b(center|scale|standardize|bs|cr|cc|te|hashed)\s*\(|\bpoly\s*\((?![^)]*raw\s*=\s*True)"
)
_NAME_CHARACTER = re.compile(r"[\w.]")
_REMOVED = re.compile(r"-\s*(?:`([^`]+)`|([A-Za-z_][\w.]*))")


def _dot_positions(text: str) -> list[int]:
    """Indices of lone ``.`` operators: outside quotes, backticks and ``{…}`` code, and not
    part of a number or a name such as ``np.log`` or ``x.1``."""
    positions: list[int] = []
    quote: str | None = None
    depth = 0
    for i, char in enumerate(text):
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"`":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "." and depth == 0:
            before = text[i - 1] if i > 0 else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if not _NAME_CHARACTER.match(before) and not _NAME_CHARACTER.match(after):
                positions.append(i)
    return positions


def expand_dot(
    formula: str,
    columns: Any,
    frame: pd.DataFrame | None = None,
    *,
    whole: bool = True,
    later: bool = False,
) -> str:
    """Expand R's ``.`` ("every column not in the response") into explicit terms.

    ``"price ~ ."`` on columns ``price, sqft, garage`` becomes ``"price ~ (sqft + garage)"``,
    and ``"y ~ . - x3"`` subtracts from that group; names that are not identifiers are
    backticked. The expanded formula is what the design records (and a saved model
    carries), so new data with extra columns is never pulled in.

    Parameters
    ----------
    formula : str
    columns : iterable of column names
    frame : DataFrame, optional
        The data: identifier-like columns and text with too many levels are then left
        out of ``.``, each with a warning saying how to include it (``C(col)``); see
        :mod:`linmod.data.column_screening`.
    whole : bool
        ``frame`` is all the data, so a column with no value in it is empty and left out
        too; False for the first rows of a streamed or Dask source.
    later : bool
        ``frame`` is the first rows of a source whose columns are screened again on
        counts of all of it, which then decide what those counts alone can (see
        :func:`linmod.data.column_screening.dot_exclusions`).

    Returns
    -------
    str
        ``formula`` itself when it has no ``.`` (and no ``C(class)``, which every fit
        reads as ``C(Q('class'))``: :mod:`linmod.data.keyword_names`).
    """
    formula = quote_keyword_factors(formula)  # C(class): C(Q('class')) on every path
    sides = split_sides(formula)  # `sales~net` ~ .: the first ~ is part of a name
    if sides is None:
        return formula
    lhs, rhs = sides
    dots = _dot_positions(rhs)
    if not dots:
        return formula
    simple = parse_simple(f"{lhs} ~ 1")
    parsed = simple or _parse(lhs.strip() or "0", columns, shown=formula)
    response = parsed.required_variables
    used = {str(variable) for variable in response}
    # A response column named like R's "stack.loss" parses as an attribute of "stack".
    used |= {str(c) for c in columns if lhs.strip() in (str(c), f"`{c}`")}
    others = [str(c) for c in columns if str(c) not in used]
    if frame is not None and others:
        removed = {a or b for a, b in _REMOVED.findall(rhs)}  # "y ~ . - name": not screened
        kept = [c for c in others if c not in removed]
        intercept = dot_keeps_intercept(rhs, dots)
        screened = dot_exclusions(frame, kept, empty=whole, intercept=intercept, later=later)
        left_out = set(screened)
        others = [c for c in others if c not in left_out]
    if not others:
        raise InputError(
            f"formula {formula!r}: '.' means every other column, but the data have none"
        )
    group = "(" + " + ".join(term_name(c) for c in others) + ")"
    starts, ends = [0, *(d + 1 for d in dots)], [*dots, None]
    pieces = [rhs[start:end] for start, end in zip(starts, ends, strict=True)]
    return f"{lhs.rstrip()} ~ " + group.join(pieces).strip()


_UNKNOWN_NAME = re.compile(r"`([^`]+)` is not present in the dataset")


def _materialize(formula: Formula | SimpleFormula, text: str, frame: pd.DataFrame) -> Any:
    if isinstance(formula, SimpleFormula):  # formulaic only when it encodes differently
        matrices = simple_matrices(formula, frame)
        if matrices is not None:
            return matrices
    from formulaic import model_matrix
    from formulaic.errors import FormulaicError

    if isinstance(formula, SimpleFormula):
        formula = _parse(text, frame.columns)
    try:
        # Non-finite results (log of zero) are reported, with their rows, by the caller.
        with np.errstate(all="ignore"):
            return model_matrix(formula, frame, na_action="ignore", context=FORMULA_CONTEXT)
    except (AttributeError, TypeError, ValueError):
        # What the formula's columns may hold that formulaic cannot use: said plainly.
        named = [c for c in frame.columns.unique() if str(c) in formula.required_variables]
        check_unique_columns(frame[named] if named else frame.iloc[:, :0])
        check_dates(frame, named)
        raise
    except FormulaicError as error:
        match = _UNKNOWN_NAME.search(str(error))
        if match:
            name = match.group(1)
            close = difflib.get_close_matches(name, [str(c) for c in frame.columns], n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            hint = backtick_hint(text, frame.columns) or hint
            raise InputError(
                f"formula variable {name!r} is not a column of the data "
                f"(columns: {', '.join(map(str, frame.columns[:20]))}){hint}"
            ) from None
        hint = backtick_hint(text, frame.columns) + r_function_hint(text)
        raise InputError(f"cannot use formula {text!r}: {error}{hint}") from None


def _data_variables(spec: ModelSpec) -> set[str]:
    return set(spec.variables_by_source.get("data", set()))


def coded_variables(spec: ModelSpec) -> set[str]:
    """Variables wrapped in ``C(...)``: categorical whatever their dtype."""
    coded = set()
    for term in spec.terms:
        for factor in term.factors:
            column = coded_column(str(factor.expr))  # C(g), C(`shop name`)
            if column is not None:
                coded.add(column)
    return coded


def _categorical_levels(
    frame: pd.DataFrame, columns: set[str], coded: set[str]
) -> dict[str, set[Any]]:
    levels = {}
    for column in columns:
        series = frame[column]
        dtype = series.dtype
        text = not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        if text or column in coded:
            values = series.unique()
            levels[column] = set(values[~pd.isna(values)].tolist())
    return levels


@dataclass(frozen=True)
class FormulaSpec:
    """Rebuilds the right-hand side of a formula for new data."""

    model_spec: ModelSpec
    variables: tuple[str, ...]
    levels: dict[str, set[Any]]

    def new_rows(self, data: Any) -> tuple[Float, NDArray[np.bool_], pd.Index]:
        """Return the design for ``data``, rows with missing predictors, and row labels.

        Raises
        ------
        InputError
            If a needed column is absent or a categorical value was not seen when fitting.
        """
        frame = to_pandas(data)
        absent = [v for v in self.variables if v not in frame.columns]
        if absent:
            raise InputError(
                f"new data lacks column(s) {', '.join(map(repr, absent))} needed by the model"
            )
        missing = frame[list(self.variables)].isna().any(axis=1).to_numpy()
        frame = check_new_levels(frame, self.levels)  # and missing levels filled
        complex_columns = [v for v in self.variables if pd.api.types.is_complex_dtype(frame[v])]
        if complex_columns:
            raise InputError(
                f"column {complex_columns[0]!r} holds complex numbers; the model was fitted "
                "on real numbers: pass the real part (or the modulus) explicitly"
            )
        # Computed as when fitting: integers as float64 (no wrap-around), text as text.
        frame = formula_columns(frame, self.variables, category_only_variables(self.model_spec))
        from formulaic.errors import DataMismatchWarning, FormulaicError

        check_still_numbers(frame, [v for v in self.variables if v not in self.levels])
        with warnings.catch_warnings():
            # Missing rows are masked below; any other data mismatch formulaic notices
            # (it would encode the value as zeros) is an error.
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", DataMismatchWarning)
            try:
                matrix = self.model_spec.get_model_matrix(
                    frame, context=FORMULA_CONTEXT, na_action="ignore"
                )
            except DataMismatchWarning as mismatch:
                raise InputError(f"new data does not match the fitted model: {mismatch}") from None
            except (
                FormulaicError,
                ArithmeticError,
                AttributeError,
                TypeError,
                ValueError,
            ) as error:
                first = _ANSI.sub("", str(error)).strip().splitlines()
                shown = ", ".join(map(repr, self.variables[:8]))
                more = " ..." if len(self.variables) > 8 else ""
                raise InputError(
                    f"the model's formula cannot be evaluated on the new data: "
                    f"{type(error).__name__}: {first[0] if first else 'no message'}; check "
                    f"that the columns {shown}{more} have the values and types they had when "
                    "fitting"
                ) from None
        x = np.ascontiguousarray(np.asarray(matrix, dtype=float))
        return x, missing | ~np.isfinite(x).all(axis=1), frame.index


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _screen(frame: pd.DataFrame, parsed: Formula | SimpleFormula) -> None:
    """Refuse, from cheap column statistics, designs that would explode into dummies."""
    plain, coded = factor_columns(parsed.rhs, frame.columns)
    if frame.columns.is_unique:
        response = factor_columns(parsed.lhs, frame.columns)[0]
        refuse_unusable_values(frame, parsed.rhs, response | plain, coded)  # lists, one value
        check_response_text(frame, sorted(response))
        check_numeric_text(frame, sorted(plain), mostly=0.8)  # a stray word: its own message
        screen_frame(frame, sorted(plain))
        check_design_size(frame, parsed.rhs, coded)
        for column in sorted(plain | set(coded.values())):
            series = frame[column]
            if not pd.api.types.is_numeric_dtype(series):
                warn_case_variants(column, series.dropna().unique().tolist())


def formula_error(
    formula: str, error: Exception, what: str = "formula", columns: Any = ()
) -> InputError:
    """The error for a formula formulaic cannot parse, without its terminal colour codes."""
    lines = _ANSI.sub("", str(error)).replace("⧛", "[").replace("⧚", "]").splitlines()
    lines = [line.strip() for line in lines if line.strip()]
    text = lines[0].rstrip(".") + (f" (at {lines[1]})" if len(lines) > 1 else "") if lines else ""
    text = error.msg if isinstance(error, SyntaxError) and error.msg else text  # Python's parse
    hints = backtick_hint(formula, columns) + r_function_hint(formula) + keyword_hint(formula)
    return InputError(f"{what} {formula!r} cannot be parsed: {text}{hints}")


def _parse(formula: str, columns: Any, shown: str | None = None) -> Formula:
    """formulaic's parse of ``formula``, its errors as :func:`formula_error` (of ``shown``)."""
    from formulaic import Formula
    from formulaic.errors import FormulaicError

    try:
        return Formula(formula)
    except (FormulaicError, SyntaxError) as error:  # SyntaxError: R's dotted names
        raise formula_error(shown or formula, error, columns=columns) from None


def check_right_hand_side(parsed: Formula | SimpleFormula, formula: str) -> None:
    """Refuse a formula whose right-hand side has no term at all (``y ~ 0``, ``y ~ -1``).

    Called right after parsing, before any data is read, by every fit that takes a formula.

    Raises
    ------
    InputError
        If the formula keeps neither an intercept nor a predictor.
    """
    if hasattr(parsed, "rhs") and len(parsed.rhs) == 0:
        response = str(parsed.lhs).strip() or "y"
        raise InputError(
            f"formula {formula!r} has nothing on its right-hand side (no intercept and no "
            f"predictor), so there is no model to fit; write e.g. '{response} ~ 1' for the "
            f"mean alone or '{response} ~ x1 + x2'"
        )


def design_from_formula(
    formula: str,
    data: Any,
    missing: str = "raise",
    *,
    screen: bool = True,
    least_squares: bool = False,
) -> Design:
    """Build a design from a formula and a data frame.

    Parameters
    ----------
    formula : str
        A two-sided formula, e.g. ``"price ~ sqft + C(garage)"``.
    data : pandas or polars DataFrame, or dict of columns
    missing : {"raise", "drop"}
        What to do with rows that have a missing value in a variable the formula uses.
    screen : bool
        Screen the columns first (:mod:`linmod.data.column_screening`); False for a
        subset of data already screened (a cross-validation fold, whose smaller row
        count would move the bounds).
    least_squares : bool
        Refuse more parameters than rows from the term list, before building the design
        (:mod:`linmod.data.parameter_count`); False for penalised fits, which allow it.

    Returns
    -------
    Design
    """
    check_policy(missing)
    refuse_several_responses(formula)  # only ols fits several (data/multi_response.py)
    frame = with_object_labels(to_pandas(data))
    n_rows = frame.shape[0]
    numbered = is_default_index(frame.index)  # rows are then shown by 1-based number
    if frame.shape[0] == 0:
        raise InputError("data has no rows; a regression needs observations")
    refuse_non_text_names(frame.columns, formula)  # header=None: 0, 1, 2
    refuse_intercept_name(frame.columns, formula)  # `1` is the intercept to formulaic
    formula = expand_dot(formula, frame.columns, frame if screen else None)
    parsed = parse_simple(formula) or _parse(formula, frame.columns)
    if not hasattr(parsed, "lhs") or not str(parsed.lhs).strip():
        raise InputError(f"formula {formula!r} has no response; write it as 'y ~ x1 + x2'")
    check_right_hand_side(parsed, formula)
    # Integers as float64 (I(x**2) never wraps around), nullable and decimal columns as
    # numbers, pandas strings as text; dates and durations refused.
    frame = formula_frame(frame, parsed)
    if screen:
        _screen(frame, parsed)
    # A lower bound from every row's levels: with rows to drop it is not one (a level seen
    # only in incomplete rows); the fit's own count then decides.
    complete = missing == "raise" or not frame.isna().to_numpy().any()
    if screen and least_squares and complete and frame.columns.is_unique:
        check_parameter_count(frame, parsed.rhs, factor_columns(parsed.rhs, frame.columns)[1])

    matrices = _materialize(parsed, formula, frame)
    rhs_vars = _data_variables(matrices.rhs.model_spec)
    lhs_vars = _data_variables(matrices.lhs.model_spec)
    check_response_not_predictor(lhs_vars, rhs_vars)
    used = sorted(lhs_vars | rhs_vars)
    if not frame.columns.is_unique:  # which "x" would it be?
        check_unique_columns(frame.loc[:, frame.columns.isin(used)])
    complex_columns = [c for c in used if getattr(frame[c].dtype, "kind", "") == "c"]
    if complex_columns:
        raise InputError(
            f"column {complex_columns[0]!r} holds complex numbers; a regression needs real "
            "numbers: pass the real part (or the modulus) explicitly"
        )
    # A stray word in a numeric column would silently make it a factor: refuse it, unless
    # the formula asks for a factor with C(...).
    check_numeric_text(
        frame, sorted(set(used) - coded_variables(matrices.rhs.model_spec)), mostly=0.8
    )
    check_infinite(frame, used)
    incomplete = incomplete_rows(frame, used)
    dropped = frame.index[:0]
    if incomplete.any():
        if missing == "raise":
            raise missing_error(frame, used, lhs_vars)
        check_droppable(frame, used, lhs_vars)  # empty columns refused, sparse ones warned
        dropped = frame.index[incomplete]
        frame = frame.loc[~incomplete]
        if frame.shape[0] == 0:
            raise InputError(f"every row has a missing value in {', '.join(used)}")
        matrices = _materialize(parsed, formula, frame)
    unused = unused_categories(frame, used)
    if unused:  # R's model.frame(drop.unused.levels = TRUE), as lm fits
        frame = frame.assign(**{c: frame[c].cat.remove_unused_categories() for c in unused})
        matrices = _materialize(parsed, formula, frame)

    lhs, rhs = matrices.lhs, matrices.rhs
    refuse_column_name_clashes(rhs.model_spec)
    if lhs.shape[1] != 1:
        raise InputError(
            f"the response {str(parsed.lhs)!r} must be one numeric column, "
            f"but it encodes to {lhs.shape[1]} columns (is it categorical?)"
        )
    y = np.asarray(lhs, dtype=float)[:, 0].copy()
    x = np.ascontiguousarray(np.asarray(rhs, dtype=float))
    names = r_column_names(tuple(str(c) for c in rhs.columns), rhs.model_spec.term_indices)
    bad = ~np.isfinite(np.column_stack([y, x]))  # the response (transformed) and the terms
    if bad.any():
        column = int(np.flatnonzero(bad.any(axis=0))[0])
        what = f"term {names[column - 1]!r}" if column else f"the response {str(parsed.lhs)!r}"
        rows = describe_rows(frame.index[bad[:, column]], numbered)
        raise InputError(
            f"{what} is not finite in {rows} (e.g. log of zero); filter or transform them"
        )

    spec = rhs.model_spec
    terms = tuple(
        Term(str(term), tuple(int(i) for i in indices))
        for term, indices in spec.term_indices.items()
    )
    x_lo = exact_power_columns(x, terms, frame)
    return Design(
        x=x,
        y=y,
        column_names=names,
        response_name=str(lhs.columns[0]),
        intercept=bool(names and names[0] == "Intercept"),
        terms=terms,
        spec=FormulaSpec(
            spec,
            tuple(sorted(rhs_vars)),
            _categorical_levels(frame, rhs_vars, coded_variables(spec)),
        ),
        x_lo=x_lo,
        row_labels=frame.index,
        dropped_labels=dropped,
        formula=formula,
        numbered_rows=numbered,
        # the data as given (not a converted copy), for columns the model does not use
        source=DataSource(data, np.flatnonzero(~incomplete) if len(dropped) else None, n_rows),
    )
