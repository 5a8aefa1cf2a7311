"""Least squares in exact rational arithmetic: an independent reference for fits that
claim the float64 limit (a coefficient within half an ulp of the exact solution)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from numbers import Rational


def exact_normal_equations(
    rows: Iterable[Sequence[Rational | float]], y: Iterable[Rational | float] | None = None
) -> tuple[list[Fraction], list[list[Fraction]]]:
    """The exact solution of ``X'X b = X'y`` (empty without ``y``) and ``(X'X)^-1``.

    Gauss-Jordan with row pivoting on ``[X'X | X'y | I]`` in fractions; ``rows`` are the
    design's rows, every value (int, float, numpy scalar or Fraction) converted exactly.
    """
    x = [[Fraction(v) for v in row] for row in rows]
    ys = None if y is None else [Fraction(v) for v in y]
    p = len(x[0])
    a = [[sum((r[i] * r[j] for r in x), Fraction(0)) for j in range(p)] for i in range(p)]
    b = (
        []
        if ys is None
        else [sum((r[i] * v for r, v in zip(x, ys, strict=True)), Fraction(0)) for i in range(p)]
    )
    width = 1 if ys is not None else 0
    m = [a[i] + b[i : i + 1] + [Fraction(int(i == j)) for j in range(p)] for i in range(p)]
    for col in range(p):
        pivot = next(i for i in range(col, p) if m[i][col] != 0)
        m[col], m[pivot] = m[pivot], m[col]
        m[col] = [v / m[col][col] for v in m[col]]
        for i in range(p):
            if i != col and m[i][col] != 0:
                m[i] = [u - m[i][col] * v for u, v in zip(m[i], m[col], strict=True)]
    coef = [m[i][p] for i in range(p)] if width else []
    inverse = [m[i][p + width :] for i in range(p)]
    return coef, inverse


def exact_least_squares(
    rows: Iterable[Sequence[Rational | float]], y: Iterable[Rational | float]
) -> list[Fraction]:
    """Solve ``X'X b = X'y`` exactly."""
    return exact_normal_equations(rows, y)[0]


def exact_inverse_gram(rows: Iterable[Sequence[Rational | float]]) -> list[list[float]]:
    """``(X'X)^-1``, each entry exact then rounded once to float64."""
    return [[float(v) for v in row] for row in exact_normal_equations(rows)[1]]
