"""The shared shape of every least-squares solver: a problem in, a frozen result out."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from linmod._frozen import quick_init
from linmod.linalg.rank import Dependency
from linmod.linalg.scaling import Magnitudes
from linmod.solvers.deferred_conditioning import ConditioningField

__all__ = ["LeastSquaresProblem", "ResidualSquares", "SolverResult", "embed", "embed_square"]

Float = NDArray[np.float64]


@quick_init
@dataclass(frozen=True)
class LeastSquaresProblem:
    """A design matrix and response, ready for a solver.

    Attributes
    ----------
    x : ndarray of shape (n, p)
        Design matrix (float64, C-contiguous), including any intercept column.
    y : ndarray of shape (n,)
        Response.
    names : tuple of str
        Column names, used in warnings and dependency descriptions.
    x_lo : ndarray of shape (n, p) or None
        Low-order part when the design is carried in double-double (exact polynomial
        columns); ``x + x_lo`` is the design.
    intercept : bool
        Whether column 0 is an intercept (a column of ones).
    progress : bool or None
        For iterative solvers: show a progress bar (None: only on a terminal).
    magnitudes : Magnitudes or None
        The largest magnitudes of ``x``'s columns and of ``y``, when the caller already
        has them (the checked copy of an array design finds them in the same pass), so
        that :func:`~linmod.solvers.scaled.solve_scaled` needs no pass of its own.
    """

    x: Float
    y: Float
    names: tuple[str, ...]
    x_lo: Float | None = None
    intercept: bool = False
    progress: bool | None = False
    magnitudes: Magnitudes | None = field(default=None, compare=False, repr=False)

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.x.shape[0])

    @property
    def p(self) -> int:
        """Number of columns."""
        return int(self.x.shape[1])


@quick_init
@dataclass(frozen=True, eq=False)
class ResidualSquares:
    """The residual sum of squares a solver formed along with the residuals.

    ``hi + lo`` is ``sum((r_hi + r_lo)**2 * 4**-exponent)`` in double-double, formed with
    the operations of :func:`linmod.linalg.dd.dd_sum_of_squares` on the residuals
    divided by ``2**exponent``, so the same bits; ``exponent`` is
    :func:`~linmod.linalg.scaling.power_of_two_exponent` of ``y``.  It holds the arrays
    it was formed from (``residuals``, ``residuals_lo`` and ``y``): a result whose
    residuals were replaced, or a fit statistic on another response, recognises by
    identity that it does not apply.
    """

    hi: float
    lo: float
    exponent: int
    residuals: Float
    residuals_lo: Float
    y: Float

    def applies_to(self, residuals: Float, residuals_lo: Float | None, y: Float) -> bool:
        """Whether this sum is that of these residual arrays for this response."""
        return residuals is self.residuals and residuals_lo is self.residuals_lo and y is self.y


@quick_init
@dataclass(frozen=True)
class SolverResult:
    """What a solver found.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        Coefficients; NaN for aliased columns (except for the minimum-norm ``svd`` solver).
    cov_unscaled : ndarray of shape (p, p)
        ``(X'X)^-1`` over estimable columns (a pseudo-inverse for ``svd``), NaN elsewhere.
        Multiply by ``sigma**2`` for the covariance of ``coef``.
    residuals : ndarray of shape (n,)
        ``y - X coef``.
    rank : int
        Numerical rank of the design.
    aliased : ndarray of bool, shape (p,)
        Columns that are linear combinations of earlier ones.
    dependencies : tuple of Dependency
        How each aliased column depends on the others.
    condition_number : float
        2-norm condition number of the column-equilibrated estimable design.
    weakest_direction : ndarray of shape (p,)
        Right singular vector of the smallest singular value of that design.  Either may
        be given as a :class:`~linmod.solvers.deferred_conditioning.DeferredConditioning`,
        found when first read (:func:`~linmod.solvers.deferred_conditioning.condition_above`
        compares the condition number with a limit without it when its bound allows).
    method : str
        The algorithm that produced the result (``auto`` resolves to one of the others).
    n_iter : int
        Refinement or optimisation steps taken.
    notes : tuple of str
        Facts about the computation worth showing the user.
    residuals_lo : ndarray of shape (n,) or None
        Low-order part of the residuals when the solver formed them in double-double.
    column_scales, cov_scaled : ndarray or None
        Set by :func:`linmod.solvers.solve`, which fits every problem on power-of-two
        scaled columns: ``cov_unscaled == column_scales[:, None] * cov_scaled *
        column_scales[None, :]`` whenever that product is representable; ``cov_scaled``
        stays finite when it is not (columns beyond ~1e154 or below ~1e-154).
        A solver that ran on the caller's unscaled data may set them itself (ones and
        ``cov_unscaled``), sparing :func:`~linmod.solvers.scaled.solve_scaled` a copy.
    residual_squares : ResidualSquares or None
        The residual sum of squares, when the solver formed it with the residuals.
    """

    coef: Float
    cov_unscaled: Float
    residuals: Float
    rank: int
    aliased: NDArray[np.bool_]
    dependencies: tuple[Dependency, ...]
    method: str
    # Required fields (descriptors without a class-level value), after every other one.
    condition_number: ConditioningField[float] = ConditioningField(0)  # noqa: RUF009
    weakest_direction: ConditioningField[Float] = ConditioningField(1)  # noqa: RUF009
    n_iter: int = 0
    notes: tuple[str, ...] = field(default=())
    residuals_lo: Float | None = None
    column_scales: Float | None = None
    cov_scaled: Float | None = None
    residual_squares: ResidualSquares | None = field(default=None, compare=False, repr=False)


def embed(values: Float, kept: NDArray[np.bool_]) -> Float:
    """Place estimates for the kept columns into a full-length vector, NaN elsewhere."""
    out = np.full(kept.shape[0], np.nan)
    out[kept] = values
    return out


def embed_square(values: Float, kept: NDArray[np.bool_]) -> Float:
    """Place a kept-by-kept matrix into a full p-by-p matrix, NaN elsewhere."""
    p = kept.shape[0]
    out = np.full((p, p), np.nan)
    out[np.ix_(kept, kept)] = values
    return out
