"""The arrays every diagnostic needs, taken from a fitted model (internal).

Aliased columns (NaN coefficients) carry no information, so diagnostics work with the
estimable columns only: ``k`` below is the rank of the design, not its width.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import linalg

from linmod.data.missing import describe_rows
from linmod.diagnostics.order_keys import text_order_key
from linmod.exceptions import InputError
from linmod.linalg.scaling import column_max_abs, column_scales
from linmod.solvers.scaled import SAFE_EXPONENT

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["FitArrays", "fit_arrays", "ordering", "refuse_uncheckable", "response_exponent"]

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
    scales : ndarray of shape (k,) or None
        Powers of two the columns of ``x`` were multiplied by (``x`` is then the design
        times ``scales`` and ``cov_unscaled`` its ``(X'X)^-1``); None when no column lies
        outside ``2**-SAFE_EXPONENT .. 2**SAFE_EXPONENT`` and ``x`` is the design itself.
        Every test statistic is invariant to scaling a column; values reported in the
        column's own units must divide by ``scales``.
    ssr : float
        Sum of the squares of ``residuals``.
    response_exponent : int
        ``y``, ``residuals`` and ``fitted`` are the response's divided by
        ``2**response_exponent`` (0 unless the response lies outside the safe range);
        values reported in the response's units must multiply by it.
    """

    x: Float
    y: Float
    residuals: Float
    fitted: Float
    names: tuple[str, ...]
    cov_unscaled: Float
    intercept: bool
    kept: NDArray[np.bool_]
    scales: Float | None = None
    ssr: float = float("nan")
    response_exponent: int = 0

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.x.shape[0])

    @property
    def k(self) -> int:
        """Number of estimable coefficients (the rank)."""
        return int(self.x.shape[1])


def fit_arrays(res: OLSResults) -> FitArrays:
    """Collect the estimable design, response, residuals and ``(X'X)^-1`` of ``res``.

    Columns whose magnitudes lie outside ``2**-SAFE_EXPONENT .. 2**SAFE_EXPONENT``
    (about 1e-39 .. 1e38) are multiplied by powers of two (exactly, see
    :func:`linmod.linalg.scaling.column_scales`) so that the squares, cross products
    and ``(X'X)^-1`` the diagnostics form stay within float64's range; the scales are in
    :attr:`FitArrays.scales`.  Other columns, and designs without such columns, are
    left as they are.
    """
    design = res.design
    kept = ~np.asarray(res.solution.aliased, dtype=bool)
    x = design.x if kept.all() else np.ascontiguousarray(design.x[:, kept])
    residuals = np.asarray(res.solution.residuals, dtype=np.float64)
    y = np.asarray(design.y, dtype=np.float64)
    names = tuple(n for n, keep in zip(design.column_names, kept, strict=True) if keep)
    scales = _extreme_scales(x, bool(design.intercept))
    if scales is None:
        cov = np.asarray(res.solution.cov_unscaled)[np.ix_(kept, kept)]
    else:
        x = x * scales
        cov = _scaled_cov(res, kept, scales, x)
    exponent, ssr = response_exponent(res), float("nan")
    if exponent:  # squares of the response's own values would leave float64's range
        y, residuals = np.ldexp(y, -exponent), np.ldexp(residuals, -exponent)
        hi, lo = res._ssr_dd  # divided by 4**res._exponent, which is this exponent
        ssr = float(hi + lo)
    else:
        ssr = float(res.ssr)
    return FitArrays(
        x=x,
        y=y,
        residuals=residuals,
        fitted=y - residuals,
        names=names,
        cov_unscaled=cov,
        intercept=bool(design.intercept),
        kept=kept,
        scales=scales,
        ssr=ssr,
        response_exponent=exponent,
    )


def response_exponent(res: OLSResults) -> int:
    """The power of two the diagnostics divide the response and residuals by: 0 unless
    the response's magnitude lies outside ``2**-SAFE_EXPONENT .. 2**SAFE_EXPONENT``, where
    their squares (residual sums of squares, moments) would leave float64's range."""
    y = np.asarray(res.design.y, dtype=np.float64)
    if y.size == 0 or res.totals is not None:
        return 0
    biggest = float(np.max(np.abs(y)))
    if not np.isfinite(biggest) or biggest == 0 or abs(np.frexp(biggest)[1]) <= SAFE_EXPONENT:
        return 0
    return int(res._exponent)


def _extreme_scales(x: Float, intercept: bool) -> Float | None:
    """Power-of-two scales for the columns of ``x`` outside the safe range (1 for the
    others), or None when there is none."""
    if x.shape[0] == 0 or x.shape[1] == 0:
        return None
    biggest = column_max_abs(x)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(biggest) & (biggest > 0)
    extreme = np.zeros(biggest.shape, dtype=bool)
    extreme[finite] = np.abs(np.frexp(biggest[finite])[1]) > SAFE_EXPONENT
    if intercept:
        extreme[0] = False  # the column of ones
    if not extreme.any():
        return None
    return np.where(extreme, column_scales(x), 1.0)


def _scaled_cov(res: OLSResults, kept: NDArray[np.bool_], scales: Float, x: Float) -> Float:
    """``(X'X)^-1`` of the scaled estimable design ``x`` (``design * scales``).

    From the solver's own scaled inverse when it kept one (``cov_unscaled ==
    s[:, None] * cov_scaled * s[None, :]``, so the scaled design's inverse is
    ``cov_scaled`` times the powers of two ``s / scales`` on both sides, exactly);
    otherwise from a QR factorisation of ``x``.
    """
    solution = res.solution
    if solution.column_scales is not None and solution.cov_scaled is not None:
        ratio = np.frexp(np.asarray(solution.column_scales)[kept])[1] - np.frexp(scales)[1]
        cov_scaled = np.asarray(solution.cov_scaled)[np.ix_(kept, kept)]
        cov = np.ldexp(cov_scaled, ratio[:, None] + ratio[None, :])
        if np.isfinite(cov).all():
            return cov
    r = linalg.qr(x, mode="r", check_finite=False)[0][: x.shape[1]]
    r_inv = linalg.solve_triangular(r, np.eye(x.shape[1]), check_finite=False)
    cov = r_inv @ r_inv.T
    return (cov + cov.T) / 2


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
