"""R's coefficient matrix: ``printCoefmat`` and ``format.pval``, cell by cell.

A coefficient table is read down its columns, so R formats each column as a whole:
the estimates and standard errors share one number of decimals (enough to give the
smallest of them ``digits`` significant digits), the t values are rounded to
``digits - 1`` decimals and shown with a common number of decimals, and the p-values
follow ``format.pval`` (a common fixed layout for those above 1e-4, scientific below,
``< 2e-16`` under machine epsilon). :func:`coefficient_cells` reproduces R 4's
``printCoefmat(digits = 4)`` (what ``summary.lm`` prints) string for string, and
:func:`layout_columns` prints a matrix of strings as ``print.default`` does, in blocks
of columns that fit a width instead of cutting any cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "CoefficientCells",
    "coefficient_cells",
    "format_numbers",
    "format_pval",
    "layout_columns",
]

_EPS = float(np.finfo(float).eps)  # R's .Machine$double.eps, the p-value floor
_STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"), (0.1, "."), (1.0, " "))


def _significant(value: float, digits: int) -> tuple[int, int, int]:
    """(exponent, significant digits needed, sign) of ``value`` shown to ``digits`` digits."""
    if value == 0.0:
        return 0, 1, 0
    mantissa, exponent = f"{abs(value):.{digits - 1}e}".split("e")
    return int(exponent), max(1, len(mantissa.replace(".", "").rstrip("0"))), int(value < 0)


def format_numbers(values: ArrayLike, digits: int) -> list[str]:
    """R's ``format(x, digits = digits)``: one common layout for every value.

    Fixed notation with the decimals the value needing most of them requires (each
    value shown to at most ``digits`` significant digits), unless scientific notation
    is narrower, as R's ``formatReal`` decides (``scipen = 0``). Non-finite values are
    written ``NA``, ``NaN``, ``Inf``, ``-Inf``; the result is padded to a common width.
    """
    values = np.asarray(values, dtype=float).ravel().tolist()
    finite = [v for v in values if math.isfinite(v)]
    right = most = fixed_width = sci_width = 0
    if finite:
        parts = [_significant(v, digits) for v in finite]
        negative = max(sign for _, _, sign in parts)
        left = max(max(exp + 1, 1) for exp, _, _ in parts)
        right = max(max(0, sig - exp - 1) for exp, sig, _ in parts)
        most = max(sig for _, sig, _ in parts)
        fixed_width = negative + left + right + (right > 0)
        exponent_width = 3 if max(abs(exp) for exp, _, _ in parts) >= 100 else 2
        sci_width = negative + (most + 1 if most > 1 else most) + 2 + exponent_width
    out = []
    for value in values:
        if math.isnan(value):
            out.append("NA")
        elif math.isinf(value):
            out.append("Inf" if value > 0 else "-Inf")
        elif fixed_width <= sci_width:
            out.append(f"{value:.{right}f}")
        else:
            out.append(f"{value:.{most - 1}e}")
    width = max((len(cell) for cell in out), default=0)
    return [cell.rjust(width) for cell in out]


def format_pval(p_values: ArrayLike, digits: int = 3) -> list[str]:
    """R's ``format.pval(pv, digits, eps = .Machine$double.eps)``.

    Values from 1e-4 up share one fixed layout, smaller ones one scientific layout, and
    those under machine epsilon are written ``< 2e-16`` (``<2e-16`` when the others are
    at most six characters wide); missing values are ``NA``.
    """
    values: list[float] = np.asarray(p_values, dtype=float).ravel().tolist()
    known = [i for i, p in enumerate(values) if not math.isnan(p)]
    out = ["NA"] * len(values)
    tiny = [i for i in known if values[i] < _EPS]
    rest = [i for i in known if values[i] >= _EPS]

    def exponent(p: float) -> int:
        return math.floor(math.log10(p if p > 0 else 1e-50))

    def fixed_layout(p: float) -> bool:  # R 4: 1e-4 <= p gets fixed notation when digits > 1
        return exponent(p) >= -3 or (exponent(p) == -4 and digits > 1)

    fixed = [i for i in rest if fixed_layout(values[i])]
    scientific = [i for i in rest if i not in fixed]
    for group in (fixed, scientific):
        for i, cell in zip(group, format_numbers([values[i] for i in group], digits), strict=True):
            out[i] = cell.strip()
    if tiny:
        small = max(1, digits - 2)
        if rest:
            widest = max(len(out[i]) for i in rest)
            if small > 1 and small + 6 > widest:
                small = max(1, widest - 7)
            sep = "" if small == 1 and widest <= 6 else " "
        else:
            sep = "" if small == 1 else " "
        floor = format_numbers([_EPS], small)[0]
        for i in tiny:
            out[i] = f"<{sep}{floor}"
    return out


def _stars(p: float) -> str:
    """R's ``symnum`` codes (intervals closed on the right, as ``cut``)."""
    if math.isnan(p):
        return ""
    return next(mark for bound, mark in _STARS if p <= bound)


@dataclass(frozen=True)
class CoefficientCells:
    """The strings of a coefficient table, column by column, as R prints them."""

    estimate: list[str]
    std_error: list[str]
    t_value: list[str]
    p_value: list[str]
    stars: list[str]  # empty strings when no p-value is below 0.1 (R then omits them)

    def rows(self, names: Sequence[str]) -> list[list[str]]:
        """One list of cells per term: name, estimate, std. error, t, p[, stars]."""
        columns = [self.estimate, self.std_error, self.t_value, self.p_value]
        if any(self.stars):
            columns.append(self.stars)
        return [[str(name), *cells] for name, *cells in zip(names, *columns, strict=True)]


def coefficient_cells(
    estimate: ArrayLike,
    std_error: ArrayLike,
    t_value: ArrayLike,
    p_value: ArrayLike,
    digits: int = 4,
) -> CoefficientCells:
    """Format a coefficient table as R's ``printCoefmat(digits = digits)``.

    Parameters
    ----------
    estimate, std_error, t_value, p_value : array-like of float
        The columns; NaN (an aliased coefficient) is printed ``NA``.
    digits : int
        R's ``digits``; ``summary.lm`` prints with 4.

    Returns
    -------
    CoefficientCells
    """
    both = np.column_stack([estimate, std_error]).astype(float)
    magnitudes = np.abs(both[np.isfinite(both) & (both != 0)])
    smallest = 1 + math.floor(math.log10(magnitudes.min())) if magnitudes.size else 1
    rounded = _round(both, max(1, digits - smallest))
    flat = format_numbers(list(rounded.ravel(order="F")), digits)
    n = both.shape[0]
    cells = [flat[:n], flat[n:]]
    for column in range(2):  # R's fix for a non-zero number shown as zero
        for i, value in enumerate(both[:, column]):
            if math.isfinite(value) and value != 0 and float(cells[column][i]) == 0:
                cells[column][i] = format_numbers([value], max(1, digits - 1))[0]
    tests = np.round(np.asarray(t_value, dtype=float), max(1, min(5, digits - 1)))
    t_cells = format_numbers(list(tests), digits)
    p_cells = format_pval(p_value, max(1, min(5, digits - 1)))
    p_list: list[float] = np.asarray(p_value, dtype=float).ravel().tolist()
    shown = any(p < 0.1 for p in p_list if not math.isnan(p))
    stars = [_stars(p) for p in p_list] if shown else [""] * n
    width = max((len(s) for s in stars), default=0)
    return CoefficientCells(cells[0], cells[1], t_cells, p_cells, [s.ljust(width) for s in stars])


def _round(values: np.ndarray, decimals: int) -> np.ndarray:
    """``np.round`` that keeps a finite value its scaling by ``10**decimals`` overflows.

    A table holding both 1e-300 and 1e298 asks for 305 decimals; numpy multiplies by
    10**305 and turns 1e298 into infinity, where R's ``round`` returns it unchanged
    (rounding so far below its last significant digit changes nothing).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        rounded = np.round(values, decimals)
    lost = np.isfinite(values) & ~np.isfinite(rounded)
    return np.where(lost, values, rounded)


def layout_columns(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None
) -> list[str]:
    """Print a table of strings as R's ``print.default`` prints a character matrix.

    The first column (row names) is left-aligned, the others right-aligned under their
    headers, one space apart; when the lines would be wider than ``width``, the columns
    are printed in successive blocks, each repeating the row names, so that no cell is
    ever cut. Trailing spaces are removed.
    """
    table = [list(header), *map(list, rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    blocks: list[list[int]] = [[]]
    used = widths[0]
    for i in range(1, len(header)):
        if width is not None and blocks[-1] and used + 1 + widths[i] > width:
            blocks.append([])
            used = widths[0]
        blocks[-1].append(i)
        used += 1 + widths[i]
    lines: list[str] = []
    for block in blocks:
        for row in table:
            cells = [row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in block]
            lines.append(" ".join(cells).rstrip())
    return lines
