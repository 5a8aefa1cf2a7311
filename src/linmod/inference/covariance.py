"""Covariance of OLS coefficients: one sandwich, many meats.

``bread @ meat @ bread`` with ``bread = (X'X)^-1``, formed as ``R^-1 (Q' Ω Q) R^-T`` from
the QR factors of the design.  The meats follow sandwich's ``vcovHC`` (HC0-HC5, HC5
with its constant ``k = 0.7``) and ``NeweyWest(prewhite=FALSE, adjust=FALSE)``
(Bartlett-kernel HAC).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.exceptions import InputError, LinmodError

__all__ = [
    "COVARIANCE_KINDS",
    "LEVERAGE_KINDS",
    "CovarianceKind",
    "default_hac_lags",
    "robust_covariance",
    "second_pass_covariance",
]

Float = NDArray[np.float64]
CovarianceKind = Literal["HC0", "HC1", "HC2", "HC3", "HC4", "HC5", "HAC"]
COVARIANCE_KINDS: tuple[str, ...] = ("HC0", "HC1", "HC2", "HC3", "HC4", "HC5", "HAC")
#: Kinds whose weights need the leverages.
LEVERAGE_KINDS: tuple[str, ...] = ("HC2", "HC3", "HC4", "HC5")
#: sandwich's constant ``k`` of HC5 (Cribari-Neto et al. 2007).
HC5_K = 0.7


def _leverage_power(kind: str, leverage: Float, k: int) -> Float | float:
    """The power ``p`` of the weight ``|e| / (1 - h)^p`` (half the exponent of ``e²``)."""
    if kind == "HC2":
        return 0.5
    if kind == "HC3":
        return 1.0
    n = leverage.shape[0]
    ratio = n * leverage / k
    if kind == "HC4":  # omega = e² / (1 - h)^delta, delta = min(4, n h / k)
        return np.minimum(4.0, ratio) / 2
    # HC5: omega = e² / sqrt((1 - h)^delta), delta = min(n h / k, max(4, n k0 max(h) / k))
    delta = np.minimum(ratio, max(4.0, n * HC5_K * float(np.max(leverage)) / k))
    return delta / 4


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
    q: Float,
    r: Float,
    residuals: Float,
    kind: str,
    leverage: Float | None = None,
    lags: int | None = None,
) -> Float:
    """Return a heteroskedasticity (HC) or autocorrelation (HAC) consistent covariance.

    The sandwich is formed from the QR factors of the design, ``X = Q R``:
    ``(X'X)^-1 X' Ω X (X'X)^-1 = R^-1 (Q' Ω Q) R^-T``, with the meat ``Q' Ω Q`` formed
    from the orthonormal ``Q`` and ``R^-1`` applied by triangular solves.  No explicit
    ``(X'X)^-1`` is multiplied, whose rounding errors the outer products would amplify by
    ``cond(X)**2`` (HC standard errors on NIST Longley lost eight digits that way).

    Parameters
    ----------
    q : ndarray of shape (n, k)
        Orthonormal factor of the estimable columns of the design (power-of-two scaled
        columns give the covariance of the equally scaled coefficients).
    r : ndarray of shape (k, k)
        Upper-triangular factor.
    residuals : ndarray of shape (n,)
    kind : {"HC0", "HC1", "HC2", "HC3", "HC4", "HC5", "HAC"}
    leverage : ndarray of shape (n,), optional
        Hat values (the squared row norms of ``q``); required for HC2 to HC5.
    lags : int, optional
        Bartlett-kernel truncation for HAC (default :func:`default_hac_lags`).

    Returns
    -------
    ndarray of shape (k, k)
    """
    n, k = q.shape
    if kind not in COVARIANCE_KINDS:
        raise InputError(
            f"covariance kind {kind!r} is not known; use one of {', '.join(COVARIANCE_KINDS)}"
        )
    if kind == "HAC":
        chosen = default_hac_lags(n) if lags is None else lags
        if not isinstance(chosen, (int, np.integer)) or not 0 <= chosen < n:
            raise InputError(f"lags={lags!r} must be an integer in [0, {n - 1}]")
        meat = _hac_meat(q * residuals[:, None], int(chosen))
        half = sla.solve_triangular(r, meat, check_finite=False)
        cov = sla.solve_triangular(r, half.T, check_finite=False).T
        return (cov + cov.T) / 2
    if lags is not None:
        raise InputError(f"lags= applies to kind='HAC' only, not {kind!r}")
    weights = np.abs(residuals)
    if kind in LEVERAGE_KINDS:
        assert leverage is not None
        power = _leverage_power(kind, leverage, k)
        with np.errstate(divide="ignore", invalid="ignore"):
            weights = weights / (1.0 - leverage) ** power
    # cov = T T' with T = R^-1 (diag(w) Q)': symmetric and positive semidefinite by design.
    with np.errstate(invalid="ignore"):
        t = sla.solve_triangular(r, (q * weights[:, None]).T, check_finite=False)
        cov = t @ t.T
    return cov * (n / (n - k)) if kind == "HC1" else cov


def _meat_key(kind: str, lags: int | None, n: int) -> str:
    if kind not in COVARIANCE_KINDS:
        raise InputError(
            f"covariance kind {kind!r} is not known; use one of {', '.join(COVARIANCE_KINDS)}"
        )
    if kind != "HAC":
        return kind
    return f"HAC({default_hac_lags(n) if lags is None else lags})"


def second_pass_covariance(
    bread: Float, meats: Mapping[str, Float], kind: str, lags: int | None, n: int
) -> Float:
    """Return ``bread @ meat @ bread`` for a fit whose rows are not held.

    Parameters
    ----------
    bread : ndarray of shape (k, k)
        ``(X'X)^-1`` of the estimable columns.
    meats : mapping of str to ndarray
        Meats a second pass over the data computed, keyed ``"HC0"``…``"HC3"``, ``"HAC(L)"``.
    kind : {"HC0", "HC1", "HC2", "HC3", "HAC"}
    lags : int or None
        HAC truncation lag (default :func:`default_hac_lags`).
    n : int
        Number of observations.

    Returns
    -------
    ndarray of shape (k, k)
    """
    key = _meat_key(kind, lags, n)
    if kind in ("HC4", "HC5"):
        raise LinmodError(
            f"robust covariance {kind} of a streamed or distributed fit is not available: its "
            "weights need every leverage (and HC5 the largest) before the meat is summed; "
            "use HC3, or fit the data in memory"
        )
    if key not in meats:
        available = ", ".join(meats) or "none"
        raise LinmodError(
            f"robust covariance {key} of a streamed or distributed fit needs a second "
            f"pass over the data that computes it (computed: {available}); fit with "
            "second_pass=True (and hac_lags= for HAC)"
        )
    inner = bread @ meats[key] @ bread
    return (inner + inner.T) / 2
