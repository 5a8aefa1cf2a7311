"""The warning for cross-validation fits that stopped before their tolerance, once per search.

A penalty search warns when coordinate descent stopped at ``max_iter`` for some (fold,
alpha) pairs, or at a floating-point fixed point with a large duality gap
(:mod:`linmod.solvers.convergence`).  A caller that runs many searches
(:func:`linmod.cross_validate_models` searches the penalty again inside every outer fold)
counts them with :class:`UnconvergedTally` and warns once with the total, instead of once
per search.
"""

from __future__ import annotations

import warnings
from collections import Counter
from contextvars import ContextVar, Token

from linmod import exceptions  # ConvergenceWarning (scikit-learn's) made only to warn
from linmod._stack import user_stacklevel
from linmod.solvers.convergence import FIXED_POINT_ADVICE, FIXED_POINT_RTOL

__all__ = ["UnconvergedTally", "warn_unconverged_folds"]

_ACTIVE: ContextVar[UnconvergedTally | None] = ContextVar("linmod_unconverged", default=None)


def _warn(pairs: int, tol: float, max_iter: int, where: str, fixed: bool = False) -> None:
    if fixed:
        text = (
            f"coordinate descent reached a floating-point fixed point (a sweep changed no "
            f"coefficient) with the duality gap above tol={tol:g} and above "
            f"{FIXED_POINT_RTOL:g}·‖y‖² at {pairs} (fold, alpha) pairs of {where}: "
            f"{FIXED_POINT_ADVICE}"
        )
    else:
        text = (
            f"coordinate descent did not reach tol={tol:g} within max_iter={max_iter} "
            f"epochs at {pairs} (fold, alpha) pairs of {where}; increase max_iter or loosen tol"
        )
    warnings.warn(text, exceptions.ConvergenceWarning, stacklevel=user_stacklevel())


def warn_unconverged_folds(unconverged: int, tol: float, max_iter: int, fixed: int = 0) -> None:
    """Warn (for the caller's caller) when some (fold, alpha) fits stopped early; inside an
    :class:`UnconvergedTally`, count them for its one warning instead.

    ``unconverged`` fits ran out of ``max_iter`` epochs; ``fixed`` stopped at a fixed
    point with a large gap (:meth:`linmod.solvers.elastic_net.PathSolution.stopped_early`).
    """
    tally = _ACTIVE.get()
    for count, at_fixed in ((unconverged, False), (fixed, True)):
        if not count:
            continue
        if tally is not None:
            tally.pairs[(tol, max_iter, at_fixed)] += count
        else:
            _warn(count, tol, max_iter, "the cross-validation", at_fixed)


class UnconvergedTally:
    """A context in which penalty searches count their unconverged fits instead of warning.

    Examples
    --------
    >>> tally = UnconvergedTally()
    >>> with tally:
    ...     pass  # several searches
    >>> tally.warn("lasso's penalty searches")  # one warning, if any fit stopped early
    """

    def __init__(self) -> None:
        self.pairs: Counter[tuple[float, int, bool]] = Counter()
        self._token: Token[UnconvergedTally | None] | None = None

    def __enter__(self) -> UnconvergedTally:
        self._token = _ACTIVE.set(self)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._token is not None
        _ACTIVE.reset(self._token)
        self._token = None

    def warn(self, where: str) -> None:
        """One warning per (tol, max_iter) with the fits counted, described as ``where``."""
        for (tol, max_iter, fixed), pairs in self.pairs.items():
            _warn(pairs, tol, max_iter, where, fixed)
        self.pairs.clear()
