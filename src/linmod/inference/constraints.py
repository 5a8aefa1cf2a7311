"""Linear hypotheses written as text over coefficient names: ``"wt = hp, 2*wt - hp = 1"``.

The text is read as car's ``linearHypothesis`` reads it: constraints separated by commas
(or given as a list), each a linear equation in the coefficients with numeric
multipliers; a constraint without ``=`` means ``= 0``.  Coefficient names are matched
whole and longest first, so names with brackets, commas and operators inside them
(``C(cyl)[T.6]``, ``poly(hp, 2, raw=True)1``, ``C(cyl)[T.6]:wt``) need no quoting;
backticks quote any name.  ``(Intercept)`` is accepted for linmod's ``Intercept``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = ["LinearHypothesis", "describe_constraint", "parse_hypotheses"]

Float = NDArray[np.float64]
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_OPERATORS = "+-*/()=,;"


@dataclass(frozen=True)
class LinearHypothesis:
    """Constraints ``R b = r`` and how each reads in words.

    Attributes
    ----------
    matrix : ndarray of shape (q, p)
        ``R``, one row per constraint, one column per coefficient.
    rhs : ndarray of shape (q,)
        ``r``.
    labels : tuple of str
        Each constraint written out (``"wt - hp = 0"``).
    """

    matrix: Float
    rhs: Float
    labels: tuple[str, ...]


@dataclass
class _Linear:
    """A linear form ``coef @ b + constant``."""

    coef: Float
    constant: float

    @property
    def is_constant(self) -> bool:
        return not np.any(self.coef)


def _unknown(token: str, names: Sequence[str], text: str) -> InputError:
    close = difflib.get_close_matches(token, list(names), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    shown = ", ".join(list(names)[:12]) + (", ..." if len(names) > 12 else "")
    return InputError(
        f"hypothesis {text!r}: {token!r} is not a coefficient of the model "
        f"(coefficients: {shown}){hint}"
    )


def _tokens(text: str, names: Sequence[str]) -> list[tuple[str, object]]:
    """Split ``text`` into ("name", index), ("number", value) and ("op", char) tokens."""
    lookup = {name: i for i, name in enumerate(names)}
    if "Intercept" in lookup:
        lookup.setdefault("(Intercept)", lookup["Intercept"])
    by_length = sorted(lookup, key=len, reverse=True)
    tokens: list[tuple[str, object]] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
            continue
        if char == "`":
            end = text.find("`", i + 1)
            if end < 0:
                raise InputError(f"hypothesis {text!r}: a backtick is not closed")
            name = text[i + 1 : end]
            if name not in lookup:
                raise _unknown(name, names, text)
            tokens.append(("name", lookup[name]))
            i = end + 1
            continue
        matched = next(
            (
                name
                for name in by_length
                if text.startswith(name, i)
                and not (i + len(name) < len(text) and _continues(text[i + len(name)], name))
            ),
            None,
        )
        if matched is not None:
            tokens.append(("name", lookup[matched]))
            i += len(matched)
            continue
        number = _NUMBER.match(text, i)
        if number:
            tokens.append(("number", float(number.group())))
            i = number.end()
            continue
        if char in _OPERATORS:
            tokens.append(("op", char))
            i += 1
            continue
        raise _unknown(_word(text, i), names, text)
    return tokens


def _continues(char: str, name: str) -> bool:
    """Whether ``char`` would extend a name-like match (``wt`` inside ``wt2``)."""
    return (char.isalnum() or char in "_.") and (name[-1].isalnum() or name[-1] in "_.")


def _word(text: str, start: int) -> str:
    """The unknown name at ``start``: up to an operator outside brackets, or a space."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (char.isspace() or char in "+-*/=,;"):
            break
        i += 1
    return text[start:i] or text[start]


class _Parser:
    """Recursive descent over one constraint's tokens: sums of (scaled) names and numbers."""

    def __init__(self, tokens: list[tuple[str, object]], p: int, text: str) -> None:
        self.tokens, self.p, self.text, self.at = tokens, p, text, 0

    def _peek(self) -> tuple[str, object] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _fail(self, what: str) -> InputError:
        return InputError(
            f"hypothesis {self.text!r}: {what}; write linear constraints such as "
            "'wt = hp', '2*wt - hp = 1' or 'hp = 0'"
        )

    def expression(self) -> _Linear:
        value = self.product()
        while (token := self._peek()) is not None and token in (("op", "+"), ("op", "-")):
            self.at += 1
            right = self.product()
            sign = 1.0 if token[1] == "+" else -1.0
            value = _Linear(value.coef + sign * right.coef, value.constant + sign * right.constant)
        return value

    def product(self) -> _Linear:
        value = self.unary()
        while (token := self._peek()) is not None and token in (("op", "*"), ("op", "/")):
            self.at += 1
            right = self.unary()
            if token[1] == "*":
                if not (value.is_constant or right.is_constant):
                    raise self._fail("a product of two coefficients is not linear")
                scale, other = (value, right) if value.is_constant else (right, value)
                value = _Linear(scale.constant * other.coef, scale.constant * other.constant)
            else:
                if not right.is_constant or right.constant == 0:
                    raise self._fail("division is only by a nonzero number")
                value = _Linear(value.coef / right.constant, value.constant / right.constant)
        return value

    def unary(self) -> _Linear:
        token = self._peek()
        if token is None:
            raise self._fail("an expression ends too early")
        self.at += 1
        kind, value = token
        if token in (("op", "-"), ("op", "+")):
            inner = self.unary()
            sign = -1.0 if value == "-" else 1.0
            return _Linear(sign * inner.coef, sign * inner.constant)
        if kind == "number":
            assert isinstance(value, float)
            return _Linear(np.zeros(self.p), value)
        if kind == "name":
            assert isinstance(value, int)
            coef = np.zeros(self.p)
            coef[value] = 1.0
            return _Linear(coef, 0.0)
        if token == ("op", "("):
            inner = self.expression()
            if self._peek() != ("op", ")"):
                raise self._fail("a parenthesis is not closed")
            self.at += 1
            return inner
        raise self._fail(f"unexpected {value!r}")

    def constraint(self) -> tuple[Float, float]:
        left = self.expression()
        right = _Linear(np.zeros(self.p), 0.0)
        if self._peek() == ("op", "="):
            self.at += 1
            right = self.expression()
        if self._peek() is not None:
            raise self._fail(f"unexpected {self._peek()[1]!r}")  # type: ignore[index]
        coef = left.coef - right.coef
        if not np.any(coef):
            raise self._fail("the constraint involves no coefficient")
        return coef, right.constant - left.constant


def _split(tokens: list[tuple[str, object]]) -> list[list[tuple[str, object]]]:
    groups: list[list[tuple[str, object]]] = [[]]
    depth = 0
    for token in tokens:
        if token == ("op", "("):
            depth += 1
        elif token == ("op", ")"):
            depth -= 1
        if depth == 0 and token in (("op", ","), ("op", ";")):
            groups.append([])
        else:
            groups[-1].append(token)
    return groups


def describe_constraint(coef: Float, rhs: float, names: Sequence[str]) -> str:
    parts: list[str] = []
    for j in np.flatnonzero(coef):
        value = float(coef[j])
        size = abs(value)
        term = names[int(j)] if size == 1 else f"{size:g}*{names[int(j)]}"
        if not parts:
            parts.append(term if value > 0 else f"-{term}")
        else:
            parts.append(("+ " if value > 0 else "- ") + term)
    return f"{' '.join(parts)} = {rhs:g}"


def parse_hypotheses(hypotheses: str | Sequence[str], names: Sequence[str]) -> LinearHypothesis:
    """Read constraints written over coefficient names.

    Parameters
    ----------
    hypotheses : str or sequence of str
        ``"wt = hp, hp = 0"`` or ``["wt = hp", "hp = 0"]``.
    names : sequence of str
        The model's coefficient names.

    Returns
    -------
    LinearHypothesis

    Raises
    ------
    InputError
        For an unknown name (the closest names are suggested), a non-linear term, or a
        constraint that involves no coefficient.
    """
    texts = [hypotheses] if isinstance(hypotheses, str) else list(hypotheses)
    if not texts or not all(isinstance(t, str) for t in texts):
        raise InputError(
            f"hypotheses must be a string or a list of strings such as 'wt = hp', "
            f"got {hypotheses!r}"
        )
    rows: list[Float] = []
    rhs: list[float] = []
    for text in texts:
        for group in _split(_tokens(text, names)):
            if not group:
                raise InputError(f"hypothesis {text!r} has an empty constraint")
            coef, value = _Parser(group, len(names), text).constraint()
            rows.append(coef)
            rhs.append(value)
    matrix = np.vstack(rows)
    values = np.asarray(rhs, dtype=float)
    labels = tuple(
        describe_constraint(row, v, names) for row, v in zip(matrix, values, strict=True)
    )
    return LinearHypothesis(matrix, values, labels)
