"""Plain formulas (``y ~ a + b``, ``y ~ .``, ``C(g)``) parsed and encoded without formulaic.

Importing formulaic (with the parts of scipy it loads) takes about 0.4 s, as long as
importing pandas, which a command-line fit of a small CSV should not pay for a formula
of plain column names.  :func:`parse_simple` recognises formulas made only of column
names (identifiers, bare or backticked), ``C(name)`` factors, ``+``, ``-`` (removing a
term), ``0``/``1``/``-1`` for the intercept and parentheses around sums (the ``(a + b)``
that :func:`linmod.data.formula.expand_dot` writes for ``.``); anything else returns None
and formulaic parses it.  :func:`simple_matrices` then encodes the design as formulaic
does (intercept first, terms in formula order, treatment-coded factors named
``C(g)[T.level]`` with the levels sorted), or returns None when a column is not of a
kind it encodes the same way (formulaic is then used for the whole formula).

The parsed formula and the encoded matrices offer the attributes of formulaic's objects
that :mod:`linmod.data.formula` and the column screening read (``lhs``, ``rhs``, terms
with ``factors`` and their ``expr``, ``model_spec.term_indices``, ...).  Anything else
asked of the model spec (rebuilding the design for new data, saving a model) is
answered by formulaic's own ``ModelSpec``, built on first use from the rows the design
was built from (:class:`SimpleModelSpec`).
"""

from __future__ import annotations

import keyword
import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["SimpleFormula", "SimpleModelSpec", "parse_simple", "simple_matrices"]

_TOKEN = re.compile(
    r"\s*(?:C\(\s*(?P<coded>[A-Za-z_]\w*)\s*\)|`(?P<quoted>[A-Za-z_]\w*)`"
    r"|(?P<name>[A-Za-z_]\w*)|(?P<number>\d+)|(?P<op>[-+()]))"
)
_RESERVED = {"C", "I", "Q", "True", "False", "None"}


class _Method:
    """What formulaic's ``Factor.eval_method`` says of a factor (``.value``)."""

    def __init__(self, value: str) -> None:
        self.value = value


_LOOKUP, _PYTHON, _LITERAL = _Method("lookup"), _Method("python"), _Method("literal")


@dataclass(frozen=True)
class SimpleFactor:
    """One factor of a term: a column name, ``C(name)`` or the intercept's ``1``."""

    expr: str
    column: str | None
    coded: bool

    @property
    def eval_method(self) -> _Method:
        if self.column is None:
            return _LITERAL
        return _PYTHON if self.coded else _LOOKUP

    def __str__(self) -> str:
        return self.expr


@dataclass(frozen=True)
class SimpleTerm:
    """A term of one factor, printed as formulaic prints it."""

    factor: SimpleFactor

    @property
    def factors(self) -> tuple[SimpleFactor, ...]:
        return (self.factor,)

    def __str__(self) -> str:
        return self.factor.expr

    def __repr__(self) -> str:
        return self.factor.expr


class _Side(list[SimpleTerm]):
    """The terms of one side of a formula; ``str`` joins them as formulaic does."""

    def __str__(self) -> str:
        return " + ".join(map(str, self))


_INTERCEPT = SimpleTerm(SimpleFactor("1", None, coded=False))


@dataclass(frozen=True)
class SimpleFormula:
    """A parsed plain formula: ``lhs`` and ``rhs`` as lists of terms (intercept first)."""

    text: str
    lhs: _Side
    rhs: _Side

    @property
    def required_variables(self) -> set[str]:
        return {f.column for t in (*self.lhs, *self.rhs) for f in t.factors if f.column is not None}


def _term(token: re.Match[str]) -> SimpleTerm | None:
    if token["coded"]:
        name = token["coded"]
        if keyword.iskeyword(name):  # not Python: C(Q('class')), by formulaic
            return None
        return SimpleTerm(SimpleFactor(f"C({name})", name, coded=True))
    name = token["quoted"] or token["name"]
    if name is None or keyword.iskeyword(name) or name in _RESERVED:
        return None
    return SimpleTerm(SimpleFactor(name, name, coded=False))


def _tokens(text: str) -> list[re.Match[str]] | None:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if match is None:
            return None
        tokens.append(match)
        position = match.end()
    return tokens


def _right_hand_side(text: str) -> _Side | None:
    """Terms of a right-hand side of names, ``C(name)``, ``+``, ``-``, ``0``, ``1`` and
    parentheses around sums of names; None for anything else."""
    tokens = _tokens(text)
    if not tokens:
        return None
    terms: list[SimpleTerm] = []
    intercept, sign, depth, expecting = True, "+", 0, True
    group_sign = "+"
    for token in tokens:
        op = token["op"]
        if expecting:
            if op == "(" and depth == 0:
                depth, group_sign = 1, sign
                continue
            if op == "-" and not terms and intercept and sign == "+" and depth == 0:
                sign = "-"  # a leading "-1"
                continue
            if op is not None:
                return None
            number = token["number"]
            if number is not None:
                if depth or number not in ("0", "1") or (sign == "-" and number == "0"):
                    return None
                intercept = (number == "1") == (sign == "+")
            else:
                term = _term(token)
                if term is None:
                    return None
                if (group_sign if depth else sign) == "+":
                    if term not in terms:
                        terms.append(term)
                elif term in terms:
                    terms.remove(term)
            expecting = False
        elif op == ")" and depth == 1:
            depth = 0
        elif op == "+" or (op == "-" and depth == 0):
            if depth and op == "-":
                return None
            if not depth:
                sign = op
            expecting = True
        else:
            return None
    if expecting or depth:
        return None
    return _Side(([_INTERCEPT] if intercept else []) + terms)


def parse_simple(formula: str) -> SimpleFormula | None:
    """Parse ``formula`` if it is a plain formula (see the module's text), else None."""
    if formula.count("~") != 1:
        return None
    lhs_text, rhs_text = formula.split("~")
    lhs = _tokens(lhs_text)
    if lhs is None or len(lhs) != 1:
        return None
    response = _term(lhs[0])
    if response is None or response.factor.coded:
        return None
    rhs = _right_hand_side(rhs_text)
    if rhs is None:
        return None
    return SimpleFormula(formula, _Side([response]), rhs)


def _levels(series: pd.Series) -> list[Any] | None:
    """The sorted distinct values of a column formulaic treats as a factor the same way."""
    values = series.dropna()
    if series.dtype == np.int64 or series.dtype == np.float64:
        return list(np.unique(values.to_numpy()))
    if series.dtype == object and all(isinstance(v, str) for v in values):
        return sorted(set(values))
    return None


class SimpleModelSpec:
    """The model spec of a design encoded by :func:`simple_matrices`.

    Holds what :mod:`linmod.data.formula` reads (``terms``, ``term_indices``,
    ``variables_by_source``, ``column_names``); any other attribute comes from
    formulaic's ``ModelSpec`` for the same formula, materialised (once, on first use)
    on rows of the same data that hold every level of every factor.
    """

    def __init__(
        self,
        formula: str,
        side: _Side,
        term_indices: dict[SimpleTerm, list[int]],
        column_names: tuple[str, ...],
        rows: pd.DataFrame,
        is_lhs: bool,
    ) -> None:
        self.terms = list(side)
        self.term_indices = term_indices
        self.column_names = column_names
        data = {f.column for t in side for f in t.factors if f.column is not None}
        coded = any(f.coded for t in side for f in t.factors)
        self.variables_by_source = {"data": data, **({"transforms": {"C"}} if coded else {})}
        self._formula, self._rows, self._is_lhs = formula, rows, is_lhs
        self._lock = threading.Lock()
        self._real: Any = None

    def formulaic_spec(self) -> Any:
        """formulaic's ``ModelSpec`` of this side of the formula (built once)."""
        with self._lock:
            if self._real is None:
                from formulaic import model_matrix

                from linmod.data.encoding import FORMULA_CONTEXT

                matrices = model_matrix(
                    self._formula, self._rows, na_action="ignore", context=FORMULA_CONTEXT
                )
                self._real = (matrices.lhs if self._is_lhs else matrices.rhs).model_spec
        return self._real

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.formulaic_spec(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_identity, (self.formulaic_spec(),))


def _identity(value: Any) -> Any:
    return value


class SimpleMatrix:
    """One side's encoded matrix: ``columns``, ``shape``, ``model_spec``, ``__array__``."""

    def __init__(self, values: NDArray[np.float64], model_spec: SimpleModelSpec) -> None:
        self.values = values
        self.model_spec = model_spec
        self.columns = pd.Index(list(model_spec.column_names))
        self.shape = values.shape

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        return self.values if dtype is None else self.values.astype(dtype, copy=False)


@dataclass(frozen=True)
class SimpleMatrices:
    """``lhs`` and ``rhs`` of an encoded plain formula."""

    lhs: SimpleMatrix
    rhs: SimpleMatrix


def _covering_rows(frame: pd.DataFrame, columns: list[str], coded: list[str]) -> pd.DataFrame:
    """``columns`` of a few rows of ``frame`` holding every level of every factor in
    ``coded`` (the first row without)."""
    keep = {0}
    positions = np.arange(frame.shape[0])
    for column in coded:
        values = frame[column].to_numpy()
        present = ~pd.isna(values)
        _, first = np.unique(values[present], return_index=True)
        keep |= set(positions[present][first].tolist())
    located: Any = [frame.columns.get_loc(column) for column in columns]  # unique: ints
    return frame.take(located, axis=1).take(sorted(keep))


def simple_matrices(parsed: SimpleFormula, frame: pd.DataFrame) -> SimpleMatrices | None:
    """Encode a plain formula on ``frame`` (columns as :func:`formula_frame` leaves them).

    Returns None, for formulaic to encode the formula, unless every column exists once,
    the response is float64, plain terms are float64 or text (a factor, as in formulaic),
    each ``C()`` factor is int64, float64 or text, no column is both a ``C()`` factor and
    a plain term, and a formula without intercept has no factor (formulaic then codes the
    first factor in full).
    """
    factors = [t.factor for t in (*parsed.lhs, *parsed.rhs) if t.factor.column is not None]
    columns = [f.column for f in factors if f.column is not None]
    if frame.shape[0] == 0 or not frame.columns.is_unique or not set(columns) <= set(frame):
        return None
    coded = [f.column for f in factors if f.coded and f.column is not None]
    plain = [f.column for f in factors if not f.coded]
    if set(coded) & set(plain) or len(set(coded)) != len(coded):
        return None
    # text columns as plain terms are factors too (formulaic names them "g[T.level]")
    text = [c for c in plain if frame[c].dtype == object and c != parsed.lhs[0].factor.column]
    if any(frame[c].dtype != np.float64 for c in plain if c not in text):
        return None
    levels = {c: _levels(frame[c]) for c in coded + text}
    if any(v is None for v in levels.values()):
        return None
    if levels and parsed.rhs[:1] != [_INTERCEPT]:
        return None
    n = frame.shape[0]
    blocks: list[NDArray[np.float64]] = []
    names: list[str] = []
    indices: dict[SimpleTerm, list[int]] = {}
    for term in parsed.rhs:
        factor, start = term.factor, len(names)
        if factor.column is None:
            blocks.append(np.ones((n, 1)))
            names.append("Intercept")
        elif factor.column in levels:
            values = frame[factor.column].to_numpy()
            shown = levels[factor.column] or []
            blocks.extend((values == level).astype(np.float64)[:, None] for level in shown[1:])
            names.extend(f"{factor.expr}[T.{level}]" for level in shown[1:])
        else:
            blocks.append(frame[factor.column].to_numpy(dtype=np.float64)[:, None])
            names.append(factor.expr)
        indices[term] = list(range(start, len(names)))
    x = np.hstack(blocks) if blocks else np.empty((n, 0))
    rows = _covering_rows(frame, list(dict.fromkeys(columns)), [*levels])
    rhs_spec = SimpleModelSpec(parsed.text, parsed.rhs, indices, tuple(names), rows, False)
    response = parsed.lhs[0]
    lhs_spec = SimpleModelSpec(
        parsed.text, parsed.lhs, {response: [0]}, (response.factor.expr,), rows, True
    )
    y = frame[response.factor.expr].to_numpy(dtype=np.float64)[:, None]
    return SimpleMatrices(SimpleMatrix(y, lhs_spec), SimpleMatrix(x, rhs_spec))
