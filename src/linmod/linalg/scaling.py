"""Exact column scaling by powers of two.

Multiplying a float64 by a power of two changes only its exponent, so scaling the columns
of a design by ``2**k`` (with ``2**k`` close to ``1 / ||column||``) equilibrates it without
changing a single significant bit.  Every solver works on the scaled design and maps the
results back exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from linmod._frozen import quick_init
from linmod._lazy import interpreted, njit

__all__ = [
    "SQRT_HALF",
    "Magnitudes",
    "column_max_abs",
    "column_scales",
    "magnitude_exponent",
    "power_of_two_exponent",
    "power_of_two_scales",
    "scaled_roots",
]


@quick_init
@dataclass(frozen=True, eq=False)
class Magnitudes:
    """``max |x[:, j]|`` for every column and ``max |y|``, with the arrays they are of.

    Attributes
    ----------
    x, y : ndarray
        The design and response measured (held, not copied).
    columns : ndarray of shape (p,)
        ``max |x[:, j]|`` (NaN where a column holds one).
    response : float
        ``max |y|`` (0 for no rows; NaN if ``y`` holds one).
    constant_response : bool or None
        Whether every value of ``y`` equals the first (None: not measured).
    column_range : (float, float) or None
        ``(columns.min(), columns.max())`` when measured with them (None: not measured).
    """

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    columns: NDArray[np.float64]
    response: float
    constant_response: bool | None = None
    column_range: tuple[float, float] | None = None

    def of(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> bool:
        """Whether these are the magnitudes of ``x`` and ``y`` (the same arrays).

        A problem derived from another by ``dataclasses.replace`` with new data keeps
        the old record, which then no longer applies.
        """
        return x is self.x and y is self.y


@njit(cache=True)
def _column_max_abs_kernel(x: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    n, p = x.shape  # pragma: no cover - compiled
    nan = np.zeros(p)  # pragma: no cover - compiled
    for j in range(p):  # pragma: no cover - compiled
        out[j] = 0.0
    for i in range(n):  # pragma: no cover - compiled
        for j in range(p):
            v = abs(x[i, j])
            m = out[j]
            out[j] = v if v > m else m  # branch-free (maxpd): the loop vectorises
            nan[j] += 1.0 if v != v else 0.0
    for j in range(p):  # pragma: no cover - compiled
        if nan[j] > 0.0:
            out[j] = np.nan  # a NaN sticks, as in numpy's max


def column_max_abs(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``max |x[:, j]|`` for every column (0 for no rows), in one compiled pass.

    Equal to ``np.max(np.abs(x), axis=0, initial=0.0)`` (NaN where a column holds one)
    without its ``(n, p)`` temporary: 5-7x faster on the row-major designs of small fits.

    Parameters
    ----------
    x : ndarray of shape (n, p)

    Returns
    -------
    ndarray of shape (p,)
    """
    x = np.asarray(x, dtype=np.float64)
    if not x.flags.c_contiguous or interpreted(*x.shape):
        return np.max(np.abs(x), axis=0, initial=0.0)
    out = np.empty(x.shape[1])
    _column_max_abs_kernel(x, out)
    return out


#: The float64 nearest ``1/sqrt(2)`` (above it).
SQRT_HALF = 0.7071067811865476


def power_of_two_scales(column_norms: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``d`` with ``d[j] = 2**-round(log2(norm[j]))`` (1 for a zero column).

    The rounding is decided exactly, without a logarithm: with ``norm = m * 2**e``
    (``frexp``, ``0.5 <= m < 1``), ``round(log2(norm))`` is ``e - 1`` when
    ``m < 1/sqrt(2)`` and ``e`` otherwise (``log2(m)`` is never exactly ``-0.5``), so
    compiled code (:mod:`linmod.solvers.certified_kernel`) gets the same scales.

    Parameters
    ----------
    column_norms : ndarray of shape (p,)
        Euclidean norms of the design's columns.

    Returns
    -------
    ndarray of shape (p,)
        Powers of two such that ``norm[j] * d[j]`` lies in ``[1/sqrt(2), sqrt(2))``.
    """
    norms = np.asarray(column_norms, dtype=np.float64)
    mantissas, exponents = np.frexp(norms)
    # The float64 nearest 1/sqrt(2) lies above it, so ``m < SQRT_HALF`` iff m < 1/sqrt(2).
    scales = np.ldexp(1.0, (mantissas < SQRT_HALF) - exponents)
    if not norms.min(initial=np.inf) > 0:  # zero (or NaN) columns: scale 1
        scales[~(norms > 0)] = 1.0
    return scales


def power_of_two_exponent(values: NDArray[np.float64]) -> int:
    """Return ``e`` with ``max|values| * 2**-e`` in ``[0.5, 1)`` (0 when all are zero).

    Dividing by ``2**e`` (``np.ldexp(values, -e)``) brings data of any magnitude float64
    can hold to order one exactly, so that squares and sums of squares neither overflow
    (data beyond ~1e154) nor underflow (data below ~1e-154).
    """
    return magnitude_exponent(float(np.max(np.abs(values), initial=0.0)))


def magnitude_exponent(biggest: float) -> int:
    """:func:`power_of_two_exponent` of values whose largest magnitude is ``biggest``."""
    if biggest == 0.0 or not math.isfinite(biggest):
        return 0
    return math.frexp(biggest)[1]


def column_scales(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the power-of-two column scales of ``x`` without squaring its raw values.

    Equal to ``power_of_two_scales(np.linalg.norm(x, axis=0))`` whenever those norms are
    representable, but each column is first brought to order one by its largest entry,
    so that columns beyond ~1e154 (whose squares overflow) or below ~1e-154 (whose
    squares underflow) get their true scale instead of 0 or infinity.

    Parameters
    ----------
    x : ndarray of shape (n, p)

    Returns
    -------
    ndarray of shape (p,)
        Powers of two; ``norm(x[:, j]) * d[j]`` lies in ``[1/sqrt(2), sqrt(2)]`` (for
        subnormal columns ``d[j] = 2**1023``, the largest power of two float64 holds).
    """
    x = np.asarray(x, dtype=np.float64)
    biggest = column_max_abs(x)
    positive = (biggest > 0) & np.isfinite(biggest)
    exponents = np.zeros(biggest.shape, dtype=int)
    exponents[positive] = np.frexp(biggest[positive])[1]
    norms = np.linalg.norm(np.ldexp(x, -exponents), axis=0)
    # round(log2(norm)), decided exactly as in power_of_two_scales (norms lie in [1, sqrt(n)])
    mantissas, inner = np.frexp(norms)
    inner = np.where(positive, inner - (mantissas < SQRT_HALF), 0)
    # subnormal columns (below 2**-1022) get the largest power of two float64 holds
    return np.ldexp(1.0, np.clip(-(exponents + inner), -1022, 1023))


#: Up to this many values :func:`scaled_roots` takes square roots one by one.
_FEW_ROOTS = 32


def scaled_roots(
    values: NDArray[np.float64], exponents: int | NDArray[np.int_]
) -> NDArray[np.float64]:
    """``sqrt(values) * 2**exponents`` (an exact scaling): standard errors from variances
    kept in power-of-two scaled units; overflow gives inf and a negative value NaN,
    without a warning."""
    if isinstance(exponents, int) and values.shape[0] <= _FEW_ROOTS:
        # A few values and one exponent (a small fit's standard errors): math.sqrt and
        # math.ldexp, correctly rounded as numpy's, without np.errstate's context (about
        # half the call).
        e = exponents
        try:
            few = [math.ldexp(math.sqrt(v), e) if v >= 0.0 else math.nan for v in values.tolist()]
        except OverflowError:  # an infinite root: numpy's path below
            pass
        else:
            return np.array(few, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        roots = np.sqrt(values)
        if isinstance(exponents, int) and exponents == 0:
            return roots  # exact as it is
        return np.ldexp(roots, exponents)
