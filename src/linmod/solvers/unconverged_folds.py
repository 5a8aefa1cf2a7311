"""The warning for cross-validation fits that stopped before their tolerance, once per search.

A penalty search warns when coordinate descent stopped at ``max_iter`` for some (fold,
alpha) pairs.  A caller that runs many searches (:func:`linmod.cross_validate_models`
searches the penalty again inside every outer fold) counts them with
:class:`UnconvergedTally` and warns once with the total, instead of once per search.
"""

from __future__ import annotations

import warnings
from collections import Counter
from contextvars import ContextVar, Token

from linmod import exceptions  # ConvergenceWarning (scikit-learn's) made only to warn
from linmod._stack import user_stacklevel

__all__ = ["UnconvergedTally", "warn_unconverged_folds"]

_ACTIVE: ContextVar[UnconvergedTally | None] = ContextVar("linmod_unconverged", default=None)


def _warn(pairs: int, tol: float, max_iter: int, where: str) -> None:
    warnings.warn(
        f"coordinate descent did not reach tol={tol:g} within max_iter={max_iter} "
        f"epochs at {pairs} (fold, alpha) pairs of {where}; increase max_iter or loosen tol",
        exceptions.ConvergenceWarning,
        stacklevel=user_stacklevel(),
    )


def warn_unconverged_folds(unconverged: int, tol: float, max_iter: int) -> None:
    """Warn (for the caller's caller) when some (fold, alpha) fits stopped early; inside an
    :class:`UnconvergedTally`, count them for its one warning instead."""
    if not unconverged:
        return
    tally = _ACTIVE.get()
    if tally is not None:
        tally.pairs[(tol, max_iter)] += unconverged
        return
    _warn(unconverged, tol, max_iter, "the cross-validation")


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
        self.pairs: Counter[tuple[float, int]] = Counter()
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
        for (tol, max_iter), pairs in self.pairs.items():
            _warn(pairs, tol, max_iter, where)
        self.pairs.clear()
