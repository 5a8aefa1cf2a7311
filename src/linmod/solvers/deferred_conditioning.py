"""A certified fit's condition number and weakest direction, found when first read.

The certified Cholesky solver (:mod:`linmod.solvers.certified`) needs the extreme singular
values of its scaled factor ``R`` only to bound the contraction of a refinement step and
the error of ``(X'X)^-1``.  Upper bounds do that for almost every design it accepts,
without an SVD: the 2-norm of a symmetric matrix is at most its largest absolute row sum,
so ``sigma_max(R)**2 = ||R'R||_2`` and ``sigma_min(R)**-2 = ||(R'R)^-1||_2`` are at most
those of ``R'R`` and of ``(R'R)^-1`` (within 1.1x of the singular values on Gaussian
designs).  The SVD (LAPACK ``gesdd``, 18 µs cold on a 6 x 6 factor, a twelfth of a
1000 x 5 fit) is then needed only for what the fit reports: its condition number and the
direction of its near-dependency, which most fits never show.  They are found from the
factor when first read, by the same ``gesdd`` call as before, so with the same bits.

:class:`SolverResult` fields hold either the values or a :class:`DeferredConditioning`;
:class:`ConditioningField` is the dataclass field descriptor that resolves the latter on
first read.  :attr:`DeferredConditioning.bound`, the square root of the product of the two
row-sum bounds, bounds the condition number from above: enough to tell that a fit is not
nearly singular without the SVD (:func:`condition_above`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import lapack

if TYPE_CHECKING:
    from linmod.solvers.base import SolverResult

__all__ = [
    "ConditioningField",
    "DeferredConditioning",
    "Reported",
    "condition_above",
    "largest_row_sum",
]

Float = NDArray[np.float64]
T = TypeVar("T")


class DeferredConditioning:
    """The condition number and weakest direction of an upper factor ``R``, on request.

    Parameters
    ----------
    factor : ndarray of shape (p, p)
        ``R`` (upper triangular, zeros below), as LAPACK ``potrf`` returned it.
    bound : float
        An upper bound of ``sigma_max(R) / sigma_min(R)``.
    """

    __slots__ = ("_factor", "_found", "bound")

    def __init__(self, factor: Float, bound: float) -> None:
        self._factor = factor
        self.bound = bound
        self._found: tuple[float, Float] | None = None

    def found(self) -> tuple[float, Float]:
        """``(sigma_max / sigma_min, last row of V')`` of ``R = U S V'``, computed once
        (two threads may both compute it: the same values)."""
        found = self._found
        if found is None:
            found = self._found = self._compute()
        return found

    def _compute(self) -> tuple[float, Float]:
        _, singular, vt, info = lapack.dgesdd(self._factor)
        if info != 0 or not singular[-1] > 0.0:  # pragma: no cover - certified factors
            return (math.inf, np.full(self._factor.shape[0], np.nan))
        return (float(singular[0] / singular[-1]), vt[-1])

    def __reduce__(self) -> tuple[Any, ...]:
        # A pickle keeps the values (the factor is not part of the result).
        condition, weakest = self.found()
        return (_resolved, (condition, weakest, self.bound))


def _resolved(condition: float, weakest: Float, bound: float) -> DeferredConditioning:
    deferred = DeferredConditioning(np.empty((0, 0)), bound)
    deferred._found = (condition, weakest)
    return deferred


class ConditioningField(Generic[T]):
    """A :class:`~linmod.solvers.base.SolverResult` field holding a value or a
    :class:`DeferredConditioning`, read as the value (``position`` 0: the condition
    number, 1: the weakest direction).

    A data descriptor, as the dataclasses documentation describes for fields: ``__init__``
    (and ``dataclasses.replace``) store through :meth:`__set__`; reading the class
    attribute raises AttributeError, so the field has no default.
    """

    def __init__(self, position: int) -> None:
        self._position = position
        self._attribute = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._attribute = f"_{name}"

    def __get__(self, result: SolverResult | None, owner: type | None = None) -> T:
        if result is None:
            raise AttributeError(self._attribute[1:])  # a required field
        value = result.__dict__[self._attribute]
        if isinstance(value, DeferredConditioning):
            return value.found()[self._position]  # type: ignore[return-value]
        return value

    def __set__(self, result: SolverResult, value: T | DeferredConditioning) -> None:
        result.__dict__[self._attribute] = value


def condition_above(result: SolverResult, limit: float) -> bool:
    """Whether ``result.condition_number > limit``, without an SVD when its bound says no."""
    stored = result.__dict__["_condition_number"]
    if isinstance(stored, DeferredConditioning) and stored.bound <= limit:
        return False
    return bool(result.condition_number > limit)


#: A reported value, or the deferred computation that gives it when first read.
Reported: TypeAlias = T | DeferredConditioning


def largest_row_sum(a: Float) -> float:
    """``max_j sum_k |a[j, k]|`` (the infinity norm, a bound of a symmetric matrix's
    2-norm), each row added left to right as the compiled kernels add (numpy's ``sum``
    adds pairwise, so other bits)."""
    return float(np.add.accumulate(np.abs(a), axis=1)[:, -1].max(initial=0.0))
