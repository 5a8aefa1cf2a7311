"""Exact power-of-two rescaling of data whose squares leave float64's range.

The penalised solvers square the data (``XᵀX``, ``‖y‖²``, column norms): values beyond
about ``1e154`` overflow and values below about ``1e-154`` underflow there, and a fit on
them returns NaN or zeros.  Multiplying ``X`` by ``2^a`` and ``y`` by ``2^b`` changes no
digit (only the exponents move), and the penalised problem on the rescaled data is the
same problem with rescaled penalties.  With ``β' = β·2^(b−a)`` (the coefficients of the
rescaled data),

    (1/2n)‖y − b₀ − Xβ‖² + λ₁‖β‖₁ + (λ₂/2)‖β‖²
        = 2^(−2b) · [(1/2n)‖y' − b₀' − X'β'‖² + λ₁·2^(a+b)‖β'‖₁ + (λ₂/2)·2^(2a)‖β'‖²],

so the L1 penalty is multiplied by ``2^(a+b)`` and the L2 penalty by ``2^(2a)``.  With
``standardize=True`` the penalised coefficients are those of the standardised columns,
which do not depend on ``a``: then only ``2^b`` enters (``λ₁·2^b``, ``λ₂``).  Ridge's
``‖y − Xβ‖² + α‖β‖²`` is the same with ``α`` in place of ``λ₂``.  Coefficients map back
as ``β = β'·2^(a−b)`` and the intercept as ``b₀ = b₀'·2^(−b)``.

Data already in range are left untouched (no copy, bit-identical fits).  Shrinking can
push values far below the largest (below ``eps²`` of it) out of the normal range, which
changes no digit that a sum with the largest could keep; but a whole column of ``X``
that would fall so low that its squares underflow is refused (unless ``standardize``,
where each column gets its own power of two, since the standardised problem does not
depend on the columns' scales)
(:class:`~linmod.exceptions.InputError`), and so are coefficients, automatic grids or
squared errors beyond float64's range.  A penalty that overflows once rescaled (more
than about ``2^1024`` times the squared scale of the data) zeroes the coefficients,
which are then below ``2^-1000`` of their natural scale ``|y|/|X|``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = ["SAFE_EXPONENT", "Magnitude", "ldexp", "rescale"]

Float = NDArray[np.float64]

#: Data whose largest magnitude lies within ``2^±SAFE_EXPONENT`` are not rescaled: their
#: squares, and sums of up to ``2^200`` of them, stay normal float64 numbers.
SAFE_EXPONENT = 400
#: A column whose largest magnitude falls below this once rescaled is refused: its squares
#: would underflow.
_SQUARE_MIN = 2.0**-SAFE_EXPONENT


@dataclass(frozen=True)
class Magnitude:
    """How the data were rescaled: ``X·2^x_exp`` and ``y·2^y_exp`` (exact).

    Attributes
    ----------
    x_exp, y_exp : int
        Power-of-two exponents applied to ``X`` and ``y`` (0: not rescaled).
    standardize : bool
        Whether the penalty applies to standardised columns (then ``x_exp`` does not
        enter the penalties).
    column_exp : ndarray of int, optional
        With ``standardize``, one exponent per column of ``X`` instead of ``x_exp`` (the
        standardised columns, hence the problem, do not depend on them).
    """

    x_exp: int = 0
    y_exp: int = 0
    standardize: bool = False
    column_exp: NDArray[np.int64] | None = None

    @property
    def rescaled(self) -> bool:
        """Whether anything was rescaled."""
        return bool(self.x_exp or self.y_exp or self.column_exp is not None)

    @property
    def l1_exp(self) -> int:
        """Exponent multiplying the L1 penalty of the rescaled problem."""
        return (0 if self.standardize else self.x_exp) + self.y_exp

    @property
    def l2_exp(self) -> int:
        """Exponent multiplying the L2 penalty of the rescaled problem."""
        return 0 if self.standardize else 2 * self.x_exp

    def automatic_grid(self, grid: Float, exp: int) -> Float:
        """An automatic grid of the rescaled data (penalties scaled by ``2^exp``) in the
        units of the data given.

        Raises
        ------
        InputError
            If those penalties are beyond float64's normal range.
        """
        with np.errstate(over="ignore", under="ignore"):
            out = np.asarray(np.ldexp(grid, -exp))
        tiny = np.finfo(float).tiny
        if not np.isfinite(out).all() or (out[grid > 0] < tiny).any():
            raise InputError(
                "the automatic penalty grid for data of this magnitude is beyond float64's "
                f"range (alpha_max = {grid.max():.3g}·2^{-exp}); pass explicit alphas=[...] "
                "or rescale X and y (e.g. by a power of ten)"
            )
        return out

    def ridge_alphas(self, alphas: Float) -> Float:
        """Ridge penalties ``α`` of the data given as penalties of the rescaled data
        (infinite beyond float64's range, which zeroes the coefficients)."""
        with np.errstate(over="ignore", under="ignore"):
            return np.asarray(np.ldexp(alphas, self.l2_exp))

    def coefficients(self, coef: Float, intercept: Float) -> tuple[Float, Float]:
        """Coefficients and intercept(s) of the rescaled data, on the original scale.

        Raises
        ------
        InputError
            If a coefficient or intercept is beyond float64's range.
        """
        with np.errstate(over="ignore", under="ignore"):
            if self.column_exp is not None:
                shift = self.column_exp if coef.ndim == 1 else self.column_exp[:, None]
                coef = np.ldexp(coef, shift - self.y_exp)
            else:
                coef = np.ldexp(coef, self.x_exp - self.y_exp)
            intercept = np.ldexp(intercept, -self.y_exp)
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
            raise InputError(
                "the fitted coefficients are beyond float64's range (about 1.8e308) on the "
                "scale of the data; rescale X or y (e.g. divide by a power of ten) so that "
                "y / X is representable"
            )
        return coef, intercept

    def squared(self, values: Float, what: str) -> Float:
        """Values in the units of ``y²`` of the rescaled data (squared errors), in the
        units of the data given.

        Raises
        ------
        InputError
            If they are beyond float64's range.
        """
        if self.y_exp == 0:
            return values
        with np.errstate(over="ignore", under="ignore"):
            out = np.asarray(np.ldexp(values, -2 * self.y_exp))
        finite = np.isfinite(values)
        lost = (np.isinf(out) & finite) | ((np.abs(out) < np.finfo(float).tiny) & (values != 0))
        if lost.any():
            raise InputError(
                f"the {what} are beyond float64's range (about 1e-308 to 1.8e308) for y of "
                "this magnitude; rescale y (e.g. by a power of ten) before fitting"
            )
        return out

    def gap(self, gap: Float) -> Float:
        """A duality gap of the rescaled problem in the units of ``y²`` (inf beyond
        float64's range)."""
        with np.errstate(over="ignore", under="ignore"):
            return np.ldexp(gap, -2 * self.y_exp)


def ldexp(value: float, exp: int) -> float:
    """``value·2^exp``, exactly, or infinity beyond float64's range (0 below it)."""
    try:
        return math.ldexp(value, exp)
    except OverflowError:
        return math.inf


def _label(names: Sequence[str] | None, j: int) -> str:
    return repr(str(names[j])) if names is not None else str(j)


def _columns_out_of_range(x: Float) -> bool:
    """Whether some non-zero column's largest magnitude is outside ``2^±SAFE_EXPONENT``."""
    with np.errstate(invalid="ignore"):
        largest = np.maximum(np.max(x, axis=0), -np.min(x, axis=0))
    largest = largest[np.isfinite(largest) & (largest != 0)]
    return bool(
        largest.size
        and (largest.max() >= 2.0**SAFE_EXPONENT or largest.min() < 2.0**-SAFE_EXPONENT)
    )


def _exponent(values: Float, name: str, names: Sequence[str] | None = None) -> int:
    """The power of two that brings ``values``' largest magnitude into [0.5, 1), or 0.

    Raises :class:`InputError` when shrinking would push a non-zero column of a 2-D
    ``values`` so low that its squares underflow.
    """
    if values.size == 0:
        return 0
    largest = max(abs(float(np.max(values))), abs(float(np.min(values))))
    if largest == 0.0 or not math.isfinite(largest):
        return 0  # non-finite data are left to the caller's own check
    exp = math.frexp(largest)[1]
    if -SAFE_EXPONENT <= exp <= SAFE_EXPONENT:
        return 0
    shift = -exp
    if values.ndim == 1 or shift > 0:
        return shift  # values pushed out of the normal range are below eps² of the largest
    column_max = np.max(np.abs(values), axis=0)
    low = np.flatnonzero((column_max != 0) & (np.ldexp(column_max, shift) < _SQUARE_MIN))
    if low.size:
        big, j = int(np.argmax(column_max)), int(low[0])
        raise InputError(
            f"{name}'s column {_label(names, big)} (up to {largest:.3g}) and column "
            f"{_label(names, j)} (up to {column_max[j]:.3g}) are too far apart in magnitude "
            f"for float64 once squared; rescale column {_label(names, big)} (e.g. divide it "
            "by a power of ten) before fitting"
        )
    return shift


def rescale(
    x: Float, y: Float, standardize: bool, names: Sequence[str] | None = None
) -> tuple[Float, Float, Magnitude]:
    """Rescale ``x`` and ``y`` by powers of two when their squares would leave float64.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        Design (data holding NaN or infinity are returned unchanged).
    y : ndarray of shape (n,)
        Response.
    standardize : bool
        Whether the penalty applies to standardised columns.
    names : sequence of str, optional
        Column names for messages.

    Returns
    -------
    x, y : ndarray
        The inputs themselves when in range, rescaled copies otherwise.
    magnitude : Magnitude
        The exponents applied, with the penalty and coefficient factors.

    Raises
    ------
    InputError
        If rescaling cannot be exact (see the module text).
    """
    y_exp = _exponent(y, "y")
    if y_exp:
        y = np.ascontiguousarray(np.ldexp(y, y_exp))
    if standardize and x.ndim == 2 and x.size and _columns_out_of_range(x):
        columns = np.array([_exponent(x[:, j], "X") for j in range(x.shape[1])])
        x = np.ascontiguousarray(np.ldexp(x, columns[None, :]))
        return x, y, Magnitude(0, y_exp, True, columns)
    x_exp = _exponent(x, "X", names)
    if x_exp:
        x = np.ascontiguousarray(np.ldexp(x, x_exp))
    return x, y, Magnitude(x_exp, y_exp, bool(standardize))
