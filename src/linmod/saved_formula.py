"""Rebuild a saved formula's design for new data, as the fit that saved it did.

A model file keeps, besides the formula, the levels seen for each categorical column and
the categories formulaic encoded for each categorical factor (``"categories"``, by
factor, in formulaic's order, unused categories of a pandas ``Categorical`` included).
:func:`saved_categories` writes them from a fit, :func:`formula_spec` turns a checked file
spec back into the :class:`~linmod.data.formula.FormulaSpec` an in-memory fit predicts
with (formulaic's model spec with that encoder state), so a loaded model encodes a bool
column, an unused level or numeric levels like ``C(n)`` with 9 and 10 exactly as when
fitting.  :func:`check_no_text` refuses text in a column the model used as a number
before any arithmetic could repeat it.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from formulaic import Formula, ModelSpec
from formulaic.parser.types import Factor

from linmod.data.formula import FormulaSpec
from linmod.data.formula_bounds import bounded_terms
from linmod.data.frames import NEW_DATA_TEXT_FIX, check_numeric_text
from linmod.data.term_names import right_side
from linmod.exceptions import InputError

__all__ = ["check_no_text", "file_categories", "formula_spec", "saved_categories"]

#: What ``pandas.api.types.infer_dtype`` says of an object column holding only numbers.
_NUMERIC_KINDS = frozenset(
    {"integer", "floating", "mixed-integer-float", "decimal", "boolean", "empty", "complex"}
)


def _scalar(value: Any, where: str) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str | bool | int | float) and value == value:
        return value
    raise InputError(
        f"the level {value!r} ({type(value).__name__}) of {where!r} cannot be saved in a "
        "model file, which holds text, numbers and true/false: convert the column"
    )


def saved_categories(model_spec: ModelSpec) -> dict[str, list[Any]]:
    """The categories formulaic encoded for each categorical factor of a fit."""
    return {
        str(expression): [_scalar(v, str(expression)) for v in state["categories"]]
        for expression, (kind, state) in model_spec.encoder_state.items()
        if kind is Factor.Kind.CATEGORICAL and "categories" in state
    }


def file_categories(spec: Mapping[str, Any]) -> dict[str, Sequence[Any]]:
    """The categories of a checked file spec (from its levels for older files)."""
    if "categories" in spec:
        return dict(spec["categories"])
    # Files written before "categories": C(column) and bare text columns used the levels.
    levels = spec["levels"]
    categories: dict[str, Sequence[Any]] = {}
    for term in bounded_terms(right_side(spec["formula"])):  # never a large expansion
        for factor in term.factors:
            expression = str(factor.expr)
            column = expression
            try:
                node = ast.parse(expression, mode="eval").body
            except (SyntaxError, RecursionError, MemoryError):
                continue  # refused by the allow-list next
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "C" and node.args:
                column = ast.unparse(node.args[0])
            elif not all(isinstance(v, str) for v in levels.get(column, [0])):
                continue
            if column in levels:
                categories[expression] = list(levels[column])
    return categories


def formula_spec(spec: Mapping[str, Any]) -> FormulaSpec:
    """The design builder of a checked (and allow-listed) file spec."""
    state = {
        expression: (Factor.Kind.CATEGORICAL, {"categories": list(values)})
        for expression, values in file_categories(spec).items()
    }
    model_spec = ModelSpec(
        formula=Formula(right_side(spec["formula"])),
        materializer="pandas",
        ensure_full_rank=True,
        na_action="ignore",
        output="pandas",
        encoder_state=state,
    )
    levels = {column: set(values) for column, values in spec["levels"].items()}
    return FormulaSpec(model_spec, tuple(spec["variables"]), levels)


def check_no_text(frame: pd.DataFrame, spec: Mapping[str, Any]) -> None:
    """Refuse text in a column the model used as a number (arithmetic would repeat it).

    Raises
    ------
    InputError
        Naming the column, and the words among its numbers with their rows.
    """
    for column in spec["variables"]:
        if column in spec["levels"] or column not in frame.columns:
            continue
        series = frame[column]
        if isinstance(series, pd.DataFrame) or pd.api.types.is_numeric_dtype(series):
            continue
        if pd.api.types.infer_dtype(series, skipna=True) not in _NUMERIC_KINDS:
            # A stray word among numbers: named, with its row (not the column's first value).
            check_numeric_text(frame, [column], fix=NEW_DATA_TEXT_FIX)
            raise InputError(
                f"column {column!r} holds {series.dtype} values such as "
                f"{series.dropna().iloc[0]!r}, but the model used it as a number: convert it "
                f"to numbers, e.g. pd.to_numeric(df[{column!r}])"
            )
