"""The arrays every diagnostic needs, taken from a fitted model (internal).

Aliased columns (NaN coefficients) carry no information, so diagnostics work with the
estimable columns only: ``k`` below is the rank of the design, not its width.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.missing import describe_rows
from linmod.diagnostics.order_keys import text_order_key
from linmod.exceptions import InputError, LinmodWarning

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["FitArrays", "extreme_columns", "fit_arrays", "ordering", "refuse_uncheckable"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class FitArrays:
    """Views of a fit restricted to its estimable columns.

    Attributes
    ----------
    x : ndarray of shape (n, k)
        Estimable design columns (the design itself, not a copy, when none is aliased).
    y, residuals, fitted : ndarray of shape (n,)
    names : tuple of str
        Names of the columns of ``x``.
    cov_unscaled : ndarray of shape (k, k)
        ``(X'X)^-1`` of those columns.
    intercept : bool
        Whether the model has an intercept (column 0).
    kept : ndarray of bool, shape (p,)
        Which design columns are estimable.
    """

    x: Float
    y: Float
    residuals: Float
    fitted: Float
    names: tuple[str, ...]
    cov_unscaled: Float
    intercept: bool
    kept: NDArray[np.bool_]

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.x.shape[0])

    @property
    def k(self) -> int:
        """Number of estimable coefficients (the rank)."""
        return int(self.x.shape[1])


def fit_arrays(res: OLSResults) -> FitArrays:
    """Collect the estimable design, response, residuals and ``(X'X)^-1`` of ``res``."""
    design = res.design
    kept = ~np.asarray(res.solution.aliased, dtype=bool)
    x = design.x if kept.all() else np.ascontiguousarray(design.x[:, kept])
    residuals = np.asarray(res.solution.residuals, dtype=np.float64)
    y = np.asarray(design.y, dtype=np.float64)
    names = tuple(n for n, keep in zip(design.column_names, kept, strict=True) if keep)
    cov = np.asarray(res.solution.cov_unscaled)[np.ix_(kept, kept)]
    return FitArrays(
        x=x,
        y=y,
        residuals=residuals,
        fitted=y - residuals,
        names=names,
        cov_unscaled=cov,
        intercept=bool(design.intercept),
        kept=kept,
    )


def ordering(
    res: OLSResults, order_by: Any, parameter: str = "order_by"
) -> NDArray[np.intp] | None:
    """Row permutation that sorts the observations by ``order_by`` (stable, as R's ``order``).

    Parameters
    ----------
    res : OLSResults
    order_by : None, str or array-like of shape (n,)
        ``None`` keeps the data order; a string names a design column (e.g. ``"wt"``),
        ``"fitted"`` or a column of the data a formula was fitted on (e.g. a date that is
        not in the model); an array gives one sort key per observation used in the fit.
    parameter : str
        Name of the argument, for error messages.

    Returns
    -------
    ndarray of int or None
        ``None`` when the data order is kept.
    """
    if order_by is None:
        return None
    names = res.design.column_names
    if isinstance(order_by, str) and order_by == "fitted":
        key = res.design.y - res.solution.residuals
    elif isinstance(order_by, str) and order_by in names:
        key = res.design.x[:, names.index(order_by)]
    else:
        what = f"{parameter}={order_by!r}" if isinstance(order_by, str) else parameter
        if isinstance(order_by, str):
            column = _data_column(res, order_by, parameter)
            if column is None:
                raise InputError(
                    f"{parameter}={order_by!r} is not a column of the design or of the data; "
                    f"use one of {', '.join(map(repr, names))}, 'fitted', a column of the data "
                    "the formula was fitted on, or pass an array with one value per observation"
                )
            order_by = column
        values = order_by.to_numpy() if isinstance(order_by, (pd.Series, pd.Index)) else order_by
        key = np.asarray(values)
        if key.ndim != 1 or key.shape[0] != res.n_obs:
            raise InputError(
                f"{parameter} must have one value per observation used in the fit "
                f"({res.n_obs}), got an array of shape {key.shape}"
            )
        absent = pd.isna(key) if key.dtype.kind in "fcOM" else None
        if absent is not None and absent.any():
            rows = describe_rows(res.design.row_labels[absent], res.design.numbered_rows)
            raise InputError(
                f"{what} has {int(absent.sum())} missing value(s) in the rows fitted ({rows}); "
                "fill them or order by another column"
            )
        if key.dtype.kind in "OUS":  # numbers or dates as text: in their own order
            text_key = text_order_key(key, parameter)
            key = key if text_key is None else text_key
    return np.argsort(key, kind="stable")


def _data_column(res: OLSResults, name: str, parameter: str) -> pd.Series | None:
    """Column ``name`` of the data a formula was fitted on, for the rows used (None when
    the fit has no such data or the data no such column)."""
    source = res.design.source
    if source is None or source.frame is None:
        return None
    frame = source.frame
    if name not in {str(c) for c in (frame.columns if hasattr(frame, "columns") else frame)}:
        return None
    from linmod.inference.cluster import used_labels  # cluster labels: the same lookup

    return used_labels(res.design, name, parameter)[0]


def refuse_uncheckable(res: OLSResults, order_by: Any) -> NDArray[np.intp] | None:
    """Refuse what would make every assumption check meaningless: an ``order_by`` that
    cannot order the rows, or an essentially perfect fit (residuals at rounding level,
    R's "essentially perfect fit"), whose checks would test rounding, not the errors.

    Returns
    -------
    ndarray of int or None
        ``order_by`` resolved once, as each row's rank (the tests sort by it again
        without parsing text dates or names a second time); None for the row order.

    Raises
    ------
    InputError
    """
    order = ordering(res, order_by)
    if res.essentially_perfect:
        raise InputError(
            f"the fit of {res.design.response_name!r} is essentially perfect (residual "
            f"standard error {res.sigma:.3g}, at rounding level): the assumption checks would "
            "test rounding, not the model's errors; is the response, or a copy of it, among "
            "the predictors?"
        )
    if order is None:
        return None
    ranks = np.empty_like(order)
    ranks[order] = np.arange(order.shape[0])  # argsort(ranks) is order again (distinct)
    return ranks


#: Magnitudes beyond which a column's squares (and cross products) leave float64's range.
_SQUARE_SAFE = (1e-150, 1e150)


def extreme_columns(res: OLSResults) -> bool:
    """Warn, and return True, when a design column's values square out of float64's range.

    The fit scales its columns and is not affected; the assumption checks square and
    multiply the raw columns (RESET's and White's auxiliary designs, Breusch-Pagan,
    Durbin-Watson's exact p-value, VIFs), so a column near 1e300 overflows and one near
    1e-300 underflows to zero, and their statistics are wrong (RESET on 0 degrees of
    freedom, Breusch-Pagan without the column, a missing p-value).
    """
    fa = fit_arrays(res)
    if fa.n == 0:
        return False
    with np.errstate(all="ignore"):
        biggest = np.nanmax(np.abs(fa.x), axis=0)
    low, high = _SQUARE_SAFE
    bad = [
        f"{name!r} (values up to {value:.0e})"
        for name, value in zip(fa.names, biggest, strict=True)
        if np.isfinite(value) and value > 0 and not low <= value <= high
    ]
    if not bad:
        return False
    warnings.warn(
        f"column(s) {', '.join(bad)} lie outside 1e-150..1e150, where the squares the "
        "assumption checks take leave float64's range: their tests (RESET, Breusch-Pagan, "
        "White, Durbin-Watson's p-value, VIFs) are unreliable; rescale the column(s) (e.g. "
        "divide by a power of ten) and refit to check them (the coefficients are not affected)",
        LinmodWarning,
        stacklevel=3,
    )
    return True
