"""The variance of a new observation, which a prediction interval adds to ``x₀' V x₀``.

A prediction interval is ``fit ± t · sqrt(x₀' V x₀ + pred_var)``: ``V`` is the fit's
covariance of the coefficients (robust if the fit is) and ``pred_var`` the variance of the
new observation's error.  As R's ``predict.lm(pred.var = res.var / weights)``, it is σ̂²
(the residual variance, the same for every row) unless given: a number, or one per new
row (e.g. a variance that grows with a predictor, as a heteroskedastic model says).

A robust covariance protects ``V`` against heteroskedasticity but says nothing about the
variance of one future error: with the default, the interval still assumes it is the
constant σ̂², so linmod warns (R's ``predict.lm`` warns likewise for a weighted fit whose
new observations get no weights).  Every prediction table says what was added in
``table.attrs["pred_var"]``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod._stack import user_stacklevel
from linmod.exceptions import InputError, LinmodWarning

__all__ = [
    "ConstantVarianceWarning",
    "check_new_row_variance",
    "check_pred_var_use",
    "new_observation_variance",
]

Float = NDArray[np.float64]


class ConstantVarianceWarning(LinmodWarning):
    """A prediction interval of a robust fit assumed a constant error variance."""


def check_pred_var_use(pred_var: Any, interval: str | None) -> None:
    """Refuse ``pred_var`` without ``interval="prediction"``, where it would be ignored."""
    if pred_var is not None and interval != "prediction":
        raise InputError(
            "pred_var is the variance of a new observation, used only with "
            f"interval='prediction' (got interval={interval!r})"
        )


def check_new_row_variance(pred_var: Any, weights: Any, interval: str | None) -> None:
    """Refuse ``pred_var`` or ``weights`` (new rows' precision) outside prediction intervals,
    and both at once (``pred_var = σ²/weights``)."""
    check_pred_var_use(pred_var, interval)
    if weights is not None and interval != "prediction":
        raise InputError("weights= gives new rows' precision: it is for interval='prediction'")
    if weights is not None and pred_var is not None:
        raise InputError(
            "give the new rows' pred_var= or their weights= (pred_var = sigma^2 / weights), "
            "not both"
        )


def new_observation_variance(
    pred_var: Any, sigma_scaled: float, exponent: int, cov_type: str, n_new: int
) -> tuple[Float, str]:
    """Return the new-observation variance per row (in units of ``2**(2·exponent)``) and words.

    Parameters
    ----------
    pred_var : None, float or array-like of shape (n_new,)
        Variance of each new observation's error, in squared response units; None for σ̂².
    sigma_scaled : float
        σ̂ in units of ``2**exponent``.
    exponent : int
        The response's power-of-two scale.
    cov_type : str
        The fit's covariance kind; a robust one with ``pred_var=None`` warns.
    n_new : int
        Number of new rows.

    Returns
    -------
    variance : ndarray of shape (n_new,)
    description : str
        What was added, for ``table.attrs["pred_var"]``.

    Raises
    ------
    InputError
        If ``pred_var`` is not a finite number >= 0, or not one per row.
    """
    with np.errstate(over="ignore"):  # sigma^2 of data beyond 1e154 is shown, not formed
        squared = float(np.ldexp(sigma_scaled**2, 2 * exponent))
    shown = (
        f"{squared:.6g}" if np.isfinite(squared) else f"({np.ldexp(sigma_scaled, exponent):.6g})^2"
    )
    if pred_var is None:
        description = f"sigma^2 = {shown}, the residual variance, the same for every row"
        if cov_type != "nonrobust":
            description += f" (the {cov_type} covariance widens only the x0' V x0 part)"
            warnings.warn(
                f"prediction interval of a fit with {cov_type} standard errors: the new "
                f"observation's variance is taken as the constant sigma^2 = {shown} "
                "(only x0' V x0 is robust); pass pred_var= with each new row's error "
                "variance if it is not constant",
                ConstantVarianceWarning,
                stacklevel=user_stacklevel(),
            )
        return np.full(n_new, sigma_scaled**2), description
    try:
        values = np.asarray(pred_var, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            f"pred_var={pred_var!r} is not a number or an array of numbers (the variance of "
            "each new observation)"
        ) from None
    if values.ndim > 1 or (values.ndim == 1 and values.shape[0] != n_new):
        raise InputError(
            f"pred_var has shape {values.shape}: give one variance, or one per new row ({n_new})"
        )
    bad = np.flatnonzero(~(np.isfinite(values) & (values >= 0)).reshape(-1))
    if bad.size:
        where = f" at row {bad[0] + 1}" if values.ndim else ""
        first = float(values.reshape(-1)[bad[0]])
        raise InputError(
            f"pred_var holds {first!r}{where}: a variance must be a finite number >= 0"
        )
    description = (
        f"pred_var = {float(values):.6g}, given" if values.ndim == 0 else "pred_var, given per row"
    )
    per_row = np.broadcast_to(values, (n_new,)).astype(np.float64)
    return np.ldexp(per_row, -2 * exponent), description
