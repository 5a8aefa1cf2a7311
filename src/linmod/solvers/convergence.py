"""How a coordinate-descent solve stopped, and the warning every path gives when one did
not converge.

The kernels stop when the duality gap reaches ``tol·‖y‖²``, after ``max_iter`` epochs,
or at a *fixed point*: a sweep over every feature, on an exactly rebuilt residual (or
gradient), that changed no coefficient bit for bit.  Every further sweep would repeat
it, so the iterate is as far as coordinate descent gets in float64; a ``tol`` below
what float64 resolves on an ill-conditioned design (``tol=1e-15`` on NIST Longley)
used to spin until ``max_iter`` there.  A fixed point counts as converged when its gap
is at most :data:`FIXED_POINT_RTOL`·‖y‖² (see there); otherwise it is reported as a
fixed point, never with the advice to raise ``max_iter``, which cannot help.
"""

from __future__ import annotations

import warnings

import numpy as np
from numpy.typing import NDArray

from linmod import exceptions  # ConvergenceWarning (scikit-learn's) made only to warn
from linmod._stack import user_stacklevel

__all__ = ["FIXED_POINT_ADVICE", "FIXED_POINT_RTOL", "stop_status", "warn_unconverged"]

#: A fixed point whose duality gap is at most this fraction of ``‖y − ȳ‖²`` (the scale
#: of ``tol``, twice the objective at ``w = 0``) is accepted as converged: the gap then
#: certifies the objective to a hundredth of the default ``tol=1e-4``, and the rest is
#: rounding (on NIST Longley a change of one unit in the last place of the exact
#: coefficients already moves the relative gap by 1e-13 to 1e-10).  A larger gap at a
#: fixed point means float64 cannot represent the solution to ``tol`` at all.
FIXED_POINT_RTOL = 1e-6
#: What to do about a fixed point with a large gap (more epochs cannot help).
FIXED_POINT_ADVICE = (
    "float64 cannot resolve the solution on this design; standardize the features or "
    "remove near-collinear columns"
)


def stop_status(
    met: bool, gap: float, epochs: int, max_iter: int, y_norm2: float
) -> tuple[bool, bool]:
    """Classify one solve: ``(converged, fixed_point)``.

    Parameters
    ----------
    met : bool
        Whether the stopping criterion (``gap ≤ tol·‖y‖²``, and any other) was met.
    gap : float
        The duality gap reached (the kernels' scale, that of ``y_norm2``).
    epochs : int
        Epochs run; a kernel stops before ``max_iter`` without meeting its criterion
        only at a fixed point.
    max_iter : int
    y_norm2 : float
        ``‖y − ȳ‖²``.

    Returns
    -------
    converged : bool
        The criterion was met, or a fixed point was reached with
        ``gap ≤ FIXED_POINT_RTOL·‖y‖²``.
    fixed_point : bool
        The solve stopped at a fixed point without meeting the criterion.
    """
    fixed = not met and epochs < max_iter
    return met or (fixed and gap <= FIXED_POINT_RTOL * y_norm2), fixed


def warn_unconverged(
    alphas: NDArray[np.float64],
    gaps: NDArray[np.float64],
    converged: NDArray[np.bool_],
    max_iter: int,
    tol: float,
    *,
    fixed: NDArray[np.bool_] | None = None,
    gap_scale: float = 1.0,
    method: str = "coordinate descent",
    also: str = "",
) -> None:
    """Warn (:class:`~linmod.exceptions.ConvergenceWarning`) naming the penalties at which
    the duality gap did not reach ``tol·‖y‖²`` within ``max_iter`` epochs, and (in a
    second warning) those that stopped at a fixed point with a gap above
    :data:`FIXED_POINT_RTOL`; nothing when every penalty converged.

    Parameters
    ----------
    alphas, gaps, converged : ndarray
        The path's penalties, final duality gaps and convergence flags.
    max_iter : int
    tol : float
    fixed : ndarray of bool, optional
        Which penalties stopped at a fixed point (see :func:`stop_status`).
    gap_scale : float
        ``‖y − ȳ‖²`` in the scale of ``gaps`` (the gaps relative to it are reported).
    method : str
        What stopped, e.g. ``"block coordinate descent"``.
    also : str
        A further stopping condition that was not met, e.g. ``" (and the optimality
        conditions 1e-12)"``.
    """
    if converged.all():
        return
    at_fixed = np.zeros_like(converged) if fixed is None else fixed
    bad = np.flatnonzero(~converged & ~at_fixed)
    if bad.size:
        warnings.warn(
            f"{method} stopped after max_iter={max_iter} epochs before the duality gap "
            f"reached tol={tol:g}·‖y‖²{also} at alpha = {_listed(alphas, bad)} (largest gap "
            f"{gaps[bad].max():.3g}); increase max_iter, loosen tol, or standardize the "
            "features",
            exceptions.ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    stuck = np.flatnonzero(~converged & at_fixed)
    if stuck.size:
        worst = float(gaps[stuck].max())
        warnings.warn(
            f"{method} reached a floating-point fixed point (a sweep over every feature "
            f"changed no coefficient, so more epochs cannot help) at alpha = "
            f"{_listed(alphas, stuck)} with the duality gap still {worst:.3g} "
            f"({worst / gap_scale:.3g}·‖y‖², above tol={tol:g}{also} and above the "
            f"{FIXED_POINT_RTOL:g}·‖y‖² accepted at a fixed point): {FIXED_POINT_ADVICE}",
            exceptions.ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )


def _listed(alphas: NDArray[np.float64], idx: NDArray[np.intp]) -> str:
    """The first five penalties of ``idx``, and how many more."""
    shown = ", ".join(f"{alphas[j]:.4g}" for j in idx[:5])
    return shown + (f" and {idx.size - 5} more" if idx.size > 5 else "")
