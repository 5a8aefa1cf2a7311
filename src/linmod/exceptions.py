"""Exceptions and warnings raised by linmod.

Every error derives from :class:`LinmodError`; errors about what the caller passed in are
:class:`InputError`, which is also a :class:`ValueError` so that generic handlers (and
scikit-learn's estimator checks) recognise them.  Warnings derive from :class:`LinmodWarning`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linmod._lazy import created_on_first_use

if TYPE_CHECKING:
    from sklearn.exceptions import ConvergenceWarning as _SklearnConvergenceWarning

__all__ = [
    "ConvergenceError",
    "ConvergenceWarning",
    "InputError",
    "LinmodError",
    "LinmodWarning",
    "NearSingularWarning",
    "SingularDesignError",
]


class LinmodError(Exception):
    """Root of every exception linmod raises on purpose."""


class InputError(LinmodError, ValueError):
    """The data or an argument cannot be used as given; the message says how to fix it."""


class SingularDesignError(LinmodError, ValueError):
    """The design matrix is rank deficient and ``on_singular="raise"`` was requested."""


class ConvergenceError(LinmodError, RuntimeError):
    """An iterative solver diverged."""


class LinmodWarning(UserWarning):
    """Root of every warning linmod emits."""


class NearSingularWarning(LinmodWarning):
    """The design is ill-conditioned: estimates are accurate but highly sensitive to the data."""


if TYPE_CHECKING:

    class ConvergenceWarning(LinmodWarning, _SklearnConvergenceWarning):
        """An iterative solver stopped before meeting its tolerance."""

else:

    def __dir__() -> list[str]:
        return sorted(set(globals()) | {"ConvergenceWarning"})

    def _convergence_warning() -> type:
        from sklearn.exceptions import ConvergenceWarning as sklearn_warning

        class ConvergenceWarning(LinmodWarning, sklearn_warning):
            """An iterative solver stopped before meeting its tolerance.

            Also a scikit-learn ``ConvergenceWarning``, so existing filters for it apply.
            """

        ConvergenceWarning.__module__ = __name__
        ConvergenceWarning.__qualname__ = "ConvergenceWarning"
        return ConvergenceWarning

    # ConvergenceWarning is also scikit-learn's, so its filters apply; it is created on
    # first use because importing scikit-learn costs half a second that fits, the command
    # line and the diagnostics do not otherwise pay.
    __getattr__ = created_on_first_use(globals(), "ConvergenceWarning", _convergence_warning)
