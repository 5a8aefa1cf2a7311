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

Data already in range are left untouched (no copy, bit-identical fits).  Rescaling is
refused (:class:`~linmod.exceptions.InputError`) when it would not be exact: when a
non-zero value would fall below the normal range of float64 because ``X`` or ``y``
spans more magnitudes than float64 holds, or when the coefficients themselves do not
fit in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = ["SAFE_EXPONENT", "Magnitude", "ldexp", "rescale"]

Float = NDArray[np.float64]

#: Data whose largest magnitude lies within ``2^±SAFE_EXPONENT`` are not rescaled: their
#: squares, and sums of up to ``2^200`` of them, stay normal float64 numbers.
SAFE_EXPONENT = 400
_TINY_EXPONENT = -1022  # the smallest normal float64 is 2^-1022


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
    """

    x_exp: int = 0
    y_exp: int = 0
    standardize: bool = False

    @property
    def l1_exp(self) -> int:
        """Exponent multiplying the L1 penalty of the rescaled problem."""
        return (0 if self.standardize else self.x_exp) + self.y_exp

    @property
    def l2_exp(self) -> int:
        """Exponent multiplying the L2 penalty of the rescaled problem."""
        return 0 if self.standardize else 2 * self.x_exp

    def coefficients(self, coef: Float, intercept: Float) -> tuple[Float, Float]:
        """Coefficients and intercept(s) of the rescaled data, on the original scale.

        Raises
        ------
        InputError
            If a coefficient or intercept is beyond float64's range.
        """
        with np.errstate(over="ignore", under="ignore"):
            coef = np.ldexp(coef, self.x_exp - self.y_exp)
            intercept = np.ldexp(intercept, -self.y_exp)
        if not (np.isfinite(coef).all() and np.isfinite(intercept).all()):
            raise InputError(
                "the fitted coefficients are beyond float64's range (about 1.8e308) on the "
                "scale of the data; rescale X or y (e.g. divide by a power of ten) so that "
                "y / X is representable"
            )
        return coef, intercept

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


def _exponent(values: Float, name: str) -> int:
    """The power of two that brings ``values``' largest magnitude into [0.5, 1), or 0.

    Raises :class:`InputError` when shrinking would push a non-zero value out of the
    normal range, or a non-zero column of a 2-D ``values`` so low that its squares
    underflow.
    """
    if values.size == 0:
        return 0
    magnitudes = np.abs(values)
    largest = float(magnitudes.max())
    if largest == 0.0:
        return 0
    exp = math.frexp(largest)[1]
    if -SAFE_EXPONENT <= exp <= SAFE_EXPONENT:
        return 0
    shift = -exp
    if shift < 0:
        smallest = float(magnitudes[magnitudes != 0].min())
        low = smallest
        if values.ndim == 2:
            column_max = magnitudes.max(axis=0)
            low = float(column_max[column_max != 0].min())
        if (
            math.frexp(smallest)[1] + shift <= _TINY_EXPONENT
            or math.frexp(low)[1] + shift < -SAFE_EXPONENT
        ):
            raise InputError(
                f"{name} spans magnitudes from {smallest:.3g} to {largest:.3g}, more than "
                "float64 can hold together once squared; "
                + (
                    "rescale the columns of X (e.g. divide the largest by a power of ten)"
                    if values.ndim == 2
                    else "drop or rescale the extreme values of y"
                )
                + " before fitting"
            )
    return shift


def rescale(x: Float, y: Float, standardize: bool) -> tuple[Float, Float, Magnitude]:
    """Rescale ``x`` and ``y`` by powers of two when their squares would leave float64.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        Finite design.
    y : ndarray of shape (n,)
        Finite response.
    standardize : bool
        Whether the penalty applies to standardised columns.

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
    x_exp = _exponent(x, "X")
    y_exp = _exponent(y, "y")
    if x_exp:
        x = np.ascontiguousarray(np.ldexp(x, x_exp))
    if y_exp:
        y = np.ascontiguousarray(np.ldexp(y, y_exp))
    return x, y, Magnitude(x_exp, y_exp, bool(standardize))
