"""Covariance of OLS coefficients: one sandwich, many meats.

``bread @ meat @ bread`` with ``bread = (X'X)^-1``.  The meats follow sandwich's
``vcovHC`` (HC0-HC3) and ``NeweyWest(prewhite=FALSE, adjust=FALSE)`` (Bartlett-kernel HAC).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = ["COVARIANCE_KINDS", "CovarianceKind", "default_hac_lags", "robust_covariance"]

Float = NDArray[np.float64]
CovarianceKind = Literal["HC0", "HC1", "HC2", "HC3", "HAC"]
COVARIANCE_KINDS: tuple[str, ...] = ("HC0", "HC1", "HC2", "HC3", "HAC")


def default_hac_lags(n: int) -> int:
    """Newey and West's (1994) rule of thumb ``floor(4 * (n / 100) ** (2 / 9))``."""
    return int(np.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))


def _hac_meat(scores: Float, lags: int) -> Float:
    meat = scores.T @ scores
    for lag in range(1, lags + 1):
        weight = 1.0 - lag / (lags + 1.0)
        cross = scores[lag:].T @ scores[:-lag]
        meat += weight * (cross + cross.T)
    return meat


def robust_covariance(
    x: Float,
    residuals: Float,
    bread: Float,
    kind: str,
    leverage: Float | None = None,
    lags: int | None = None,
) -> Float:
    """Return a heteroskedasticity (HC) or autocorrelation (HAC) consistent covariance.

    Parameters
    ----------
    x : ndarray of shape (n, k)
        The estimable columns of the design.
    residuals : ndarray of shape (n,)
    bread : ndarray of shape (k, k)
        ``(X'X)^-1`` for those columns.
    kind : {"HC0", "HC1", "HC2", "HC3", "HAC"}
    leverage : ndarray of shape (n,), optional
        Hat values; required for HC2 and HC3.
    lags : int, optional
        Bartlett-kernel truncation for HAC (default :func:`default_hac_lags`).

    Returns
    -------
    ndarray of shape (k, k)
    """
    n, k = x.shape
    if kind not in COVARIANCE_KINDS:
        raise InputError(
            f"covariance kind {kind!r} is not known; use one of {', '.join(COVARIANCE_KINDS)}"
        )
    if kind == "HAC":
        chosen = default_hac_lags(n) if lags is None else lags
        if not isinstance(chosen, (int, np.integer)) or not 0 <= chosen < n:
            raise InputError(f"lags={lags!r} must be an integer in [0, {n - 1}]")
        meat = _hac_meat(x * residuals[:, None], int(chosen))
    else:
        if lags is not None:
            raise InputError(f"lags= applies to kind='HAC' only, not {kind!r}")
        squared = residuals**2
        if kind == "HC1":
            squared = squared * n / (n - k)
        elif kind in ("HC2", "HC3"):
            assert leverage is not None
            power = 1.0 if kind == "HC2" else 2.0
            with np.errstate(divide="ignore", invalid="ignore"):
                squared = squared / (1.0 - leverage) ** power
        meat = (x * squared[:, None]).T @ x
    cov = bread @ meat @ bread
    return (cov + cov.T) / 2
