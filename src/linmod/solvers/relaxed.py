"""The relaxed lasso (glmnet's ``relax=TRUE``): penalised fits blended with refits.

For each penalty the features with a non-zero coefficient (the active set) are refitted
by least squares without any penalty, within the same bounds (glmnet's ``relax.glmnet``
refits with ``lambda = 0`` and the same ``lower.limits``/``upper.limits``), and the
coefficients are blended as

    β(γ) = γ·β_penalised + (1 − γ)·β_refit,

so ``γ = 1`` is the penalised fit and ``γ = 0`` the fully relaxed one (glmnet's
``fit$relaxed``).  The intercept follows, being ``ȳ − x̄ᵀβ`` for each of them.

The refits are made on the centred, scaled problem (least squares does not depend on
the columns' scales, and the bounds are mapped onto it), by minimum-norm least squares,
or by bounded-variable least squares when a bound is finite
(:func:`~linmod.solvers.glmnet_options.bounded_least_squares`).  glmnet skips penalties
whose active set has more than ``n − 3`` features; linmod refits them too (the
minimum-norm solution when the active set exceeds the rank).
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError
from linmod.solvers.glmnet_options import GlmnetOptions, bounded_least_squares
from linmod.solvers.penalized_problem import EnetProblem

__all__ = ["relax_path", "relaxed_coefs"]

Float = NDArray[np.float64]


def relaxed_coefs(
    problem: EnetProblem,
    coefs: Float,
    gamma: float,
    options: GlmnetOptions | None = None,
    positive: bool = False,
) -> Float:
    """Blend each column of ``coefs`` with the least-squares refit on its active set.

    Parameters
    ----------
    problem : EnetProblem
        The centred, scaled problem the coefficients solve.
    coefs : ndarray of shape (p, k)
        Penalised coefficients of the scaled problem, one column per penalty.
    gamma : float in [0, 1]
        Weight of the penalised fit (0: fully relaxed).
    options : GlmnetOptions, optional
        Bounds of the fit (penalty factors play no part in an unpenalised refit).
    positive : bool
        Lower bound 0 when no ``options`` carry the bounds.

    Returns
    -------
    ndarray of shape (p, k)
    """
    p = problem.p
    if options is not None:
        opts = options.internal(problem)
        lower, upper = opts.lower, opts.upper
    else:
        lower = np.full(p, 0.0 if positive else -np.inf)
        upper = np.full(p, np.inf)
    out = np.array(coefs, dtype=float)
    refits: dict[bytes, Float] = {}
    for k in range(coefs.shape[1]):
        active = coefs[:, k] != 0
        key = np.packbits(active).tobytes()
        if key not in refits:
            refit = np.zeros(p)
            columns = np.flatnonzero(active)
            refit[columns] = bounded_least_squares(problem, columns, lower, upper)
            refits[key] = refit
        out[:, k] = gamma * coefs[:, k] + (1.0 - gamma) * refits[key]
    return out


def relax_path(
    problem: EnetProblem,
    coefs: Float,
    relax: bool,
    gamma: float,
    options: GlmnetOptions | None = None,
    positive: bool = False,
) -> Float:
    """``coefs`` relaxed when ``relax`` (``gamma`` checked), unchanged otherwise.

    Raises
    ------
    InputError
        If ``gamma`` is not a number in [0, 1].
    """
    if not relax:
        return coefs
    if isinstance(gamma, bool) or not isinstance(gamma, Real) or not 0.0 <= gamma <= 1.0:
        raise InputError(
            f"gamma={gamma!r} is not valid: give the weight of the penalised fit, a number "
            "in [0, 1] (0 is the fully relaxed fit, 1 the penalised one)"
        )
    return relaxed_coefs(problem, coefs, float(gamma), options, positive)
