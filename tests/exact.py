"""Least squares in exact rational arithmetic: an independent reference for fits that
claim the float64 limit (a coefficient within half an ulp of the exact solution)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from numbers import Rational


def exact_least_squares(
    rows: Iterable[Sequence[Rational | float]], y: Iterable[Rational | float]
) -> list[Fraction]:
    """Solve ``X'X b = X'y`` exactly (Gauss-Jordan with row pivoting on fractions).

    ``rows`` are the design's rows; every value (int, float, numpy scalar or Fraction)
    is converted exactly.
    """
    x = [[Fraction(v) for v in row] for row in rows]
    ys = [Fraction(v) for v in y]
    p = len(x[0])
    a = [[sum((r[i] * r[j] for r in x), Fraction(0)) for j in range(p)] for i in range(p)]
    b = [sum((r[i] * v for r, v in zip(x, ys, strict=True)), Fraction(0)) for i in range(p)]
    for col in range(p):
        pivot = next(i for i in range(col, p) if a[i][col] != 0)
        a[col], a[pivot], b[col], b[pivot] = a[pivot], a[col], b[pivot], b[col]
        for i in range(p):
            if i != col and a[i][col] != 0:
                factor = a[i][col] / a[col][col]
                a[i] = [u - factor * v for u, v in zip(a[i], a[col], strict=True)]
                b[i] -= factor * b[col]
    return [b[i] / a[i][i] for i in range(p)]


def exact_inverse_gram(rows: Iterable[Sequence[Rational | float]]) -> list[list[float]]:
    """``(X'X)^-1``, each entry exact then rounded once to float64 (Gauss-Jordan on
    ``[X'X | I]`` in fractions)."""
    x = [[Fraction(v) for v in row] for row in rows]
    p = len(x[0])
    a = [[sum((r[i] * r[j] for r in x), Fraction(0)) for j in range(p)] for i in range(p)]
    m = [a[i] + [Fraction(int(i == j)) for j in range(p)] for i in range(p)]
    for col in range(p):
        pivot = next(i for i in range(col, p) if m[i][col] != 0)
        m[col], m[pivot] = m[pivot], m[col]
        m[col] = [v / m[col][col] for v in m[col]]
        for i in range(p):
            if i != col and m[i][col] != 0:
                m[i] = [u - m[i][col] * v for u, v in zip(m[i], m[col], strict=True)]
    return [[float(m[i][p + j]) for j in range(p)] for i in range(p)]
