"""Exact polynomial columns: recompute ``I(x**k)`` and ``poly(x, k, raw=True)`` in double-double.

A float64 copy of ``x**10`` is already wrong in its 16th digit, which caps any solver at
about 7.6 correct digits on a degree-10 design such as NIST's Filip.  Terms recognised
here are rebuilt as double-double columns (``hi + lo``), so the model fitted is that of
the exact powers of the data.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.design import Term
from linmod.data.term_names import parse_expression
from linmod.linalg.dd import dd_power

__all__ = ["exact_power_columns", "parse_power", "r_column_names"]

Float = NDArray[np.float64]


def _int_literal(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and node.value >= 0:
        return int(node.value)
    return None


def parse_power(expression: str) -> tuple[str, list[int]] | None:
    """Recognise a power term and return ``(variable, exponents per column)``.

    ``"I(x ** 3)"`` and ``"np.power(x, 3)"`` give ``("x", [3])``;
    ``"poly(x, 3, raw=True)"`` gives ``("x", [1, 2, 3])``.  Anything else gives None.
    """
    parsed = parse_expression(expression)
    if parsed is None:
        return None
    tree, names = parsed[0].body, parsed[1]

    def variable(node: ast.expr) -> str | None:
        return names.get(node.id, node.id) if isinstance(node, ast.Name) else None

    if not isinstance(tree, ast.Call):
        return None
    func = ast.unparse(tree.func)
    if func == "I" and len(tree.args) == 1 and isinstance(tree.args[0], ast.BinOp):
        inner = tree.args[0]
        if isinstance(inner.op, ast.Pow):
            name, power = variable(inner.left), _int_literal(inner.right)
            if name is not None and power is not None:
                return name, [power]
    if func in ("np.power", "numpy.power") and len(tree.args) == 2:
        name, power = variable(tree.args[0]), _int_literal(tree.args[1])
        if name is not None and power is not None:
            return name, [power]
    if func == "poly" and tree.args:
        keywords = {k.arg: k.value for k in tree.keywords}
        raw = keywords.get("raw")
        degree_node = tree.args[1] if len(tree.args) > 1 else keywords.get("degree")
        name = variable(tree.args[0])
        degree = _int_literal(degree_node) if degree_node is not None else 1
        if (
            name is not None
            and degree is not None
            and isinstance(raw, ast.Constant)
            and raw.value is True
        ):
            return name, list(range(1, degree + 1))
    return None


def exact_power_columns(x: Float, terms: tuple[Term, ...], frame: pd.DataFrame) -> Float | None:
    """Replace recognised power columns of ``x`` by exact double-double values.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        The float64 design; modified in place where a power column is recognised (the
        high part of the exact power is within an ulp of formulaic's value).
    terms : tuple of Term
        Terms and the columns they own.
    frame : DataFrame
        The rows of data the design was built from.

    Returns
    -------
    ndarray or None
        The low-order parts (zero elsewhere), or None when no column was recognised.
    """
    x_lo: Float | None = None
    for term in terms:
        parsed = parse_power(term.name)
        if parsed is None:
            continue
        name, powers = parsed
        if name not in frame.columns or len(powers) != len(term.columns):
            continue
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        for column, power in zip(term.columns, powers, strict=True):
            hi, lo = dd_power(values, power)
            if not np.allclose(hi, x[:, column], rtol=1e-12, atol=0.0):
                break  # not the plain power we think it is: keep formulaic's column
            if x_lo is None:
                x_lo = np.zeros_like(x)
            x[:, column] = hi
            x_lo[:, column] = lo
    return x_lo


def r_column_names(names: tuple[str, ...], term_indices: Mapping[Any, Any]) -> tuple[str, ...]:
    """Name the columns of ``poly(...)`` terms as R does: the term, then 1, 2, ...

    formulaic names the columns of ``poly(x, 3, raw=True)`` ``[0]`` to ``[2]`` and those
    of the orthogonal ``poly(x, 3)`` ``[1]`` to ``[3]``; R names both ``poly(x, 3)1`` to
    ``poly(x, 3)3`` (the degree of each column).

    Parameters
    ----------
    names : tuple of str
        formulaic's column names.
    term_indices : mapping
        Term -> the positions of its columns (``ModelSpec.term_indices``).

    Returns
    -------
    tuple of str
    """
    renamed = list(names)
    for term, indices in term_indices.items():
        text = str(term)
        if not text.startswith("poly("):
            continue
        for degree, column in enumerate(indices, start=1):
            if renamed[column].startswith(f"{text}["):
                renamed[column] = f"{text}{degree}"
    return tuple(renamed)
