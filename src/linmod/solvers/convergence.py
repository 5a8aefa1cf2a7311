"""The warning every coordinate-descent path gives when a penalty did not converge."""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from linmod import exceptions  # ConvergenceWarning (scikit-learn's) made only to warn
from linmod._stack import user_stacklevel

__all__ = ["warn_unconverged"]


def warn_unconverged(
    alphas: NDArray[np.float64],
    gaps: NDArray[np.float64],
    converged: NDArray[np.bool_],
    max_iter: int,
    tol: float,
    *,
    method: str = "coordinate descent",
    also: str = "",
) -> None:
    """Warn (:class:`~linmod.exceptions.ConvergenceWarning`) naming the penalties at which
    the duality gap did not reach ``tol·‖y‖²`` within ``max_iter`` epochs; nothing when
    every penalty converged.

    Parameters
    ----------
    alphas, gaps, converged : ndarray
        The path's penalties, final duality gaps and convergence flags.
    max_iter : int
    tol : float
    method : str
        What stopped, e.g. ``"block coordinate descent"``.
    also : str
        A further stopping condition that was not met, e.g. ``" (and the optimality
        conditions 1e-12)"``.
    """
    if converged.all():
        return
    bad = np.flatnonzero(~converged)
    shown = ", ".join(f"{alphas[j]:.4g}" for j in bad[:5])
    more = f" and {bad.size - 5} more" if bad.size > 5 else ""
    warnings.warn(
        f"{method} stopped after max_iter={max_iter} epochs before the duality gap reached "
        f"tol={tol:g}·‖y‖²{also} at alpha = {shown}{more} (largest gap "
        f"{gaps[bad].max():.3g}); increase max_iter, loosen tol, or standardize the features",
        exceptions.ConvergenceWarning,
        stacklevel=user_stacklevel(),
    )
