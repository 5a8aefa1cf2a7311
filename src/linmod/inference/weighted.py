"""How every statistic of a weighted fit follows the declared meaning of its weights.

A weighted fit is ordinary least squares on rows scaled by ``sqrt(w)`` (see
:mod:`linmod.data.weighted_design`), so σ, the covariance, t and F tests, hat values,
HC0-HC3 and HAC covariances and the influence measures are those of the scaled rows, as
R's ``lm(weights=)``, ``summary.lm``, ``hatvalues``, ``influence.measures`` and
``sandwich`` compute them.  This module holds what differs from that:

precision (``1/variance``; R's ``lm``, statsmodels' ``WLS``)
    R² and adjusted R² use the weighted total sum of squares about the weighted mean (as
    ``summary.lm``); the log-likelihood adds ``sum(log w)/2`` (as ``logLik.lm``); a
    prediction interval for a new row of weight ``w0`` uses ``σ²/w0`` (as ``predict.lm``).
frequency (a row stands for ``w`` identical rows; Stata's ``fweight``)
    ``n`` is ``sum(w)``, and every statistic equals that of the repeated rows: the
    degrees of freedom, σ, the log-likelihood (without the ``log w`` term), hat values
    ``h_i / w_i`` (each copy's), HC0-HC3 (HC1 with ``n = sum(w)``), influence measures
    (each copy's), prediction intervals (``σ²``).
sampling (inverse-probability weights; Stata's ``pweight``, survey software)
    The coefficients are the weighted least-squares ones; the standard errors are
    sandwich-robust by default, HC1 (``n/(n-k)`` times HC0 with ``n`` the number of rows),
    which is what Stata's ``regress [pweight=w]`` reports (its ``vce(robust)``) and what
    the linearisation variance of survey software reduces to for a simple random sample
    without strata or clusters, with the same small-sample factor.  σ is reported with
    the weights rescaled to mean 1 (as Stata's Root MSE), so it does not depend on the
    weights' arbitrary scale.  There is no likelihood (the log-likelihood, AIC and BIC are
    NaN) and no model of a new row's variance (prediction intervals are refused).
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._stack import user_stacklevel
from linmod.data.weights import check_weights
from linmod.exceptions import InputError, LinmodError, LinmodWarning
from linmod.inference.covariance import robust_covariance
from linmod.linalg.dd import dd_sum_of_squares

if TYPE_CHECKING:
    from linmod.data.weights import DeclaredWeights
    from linmod.inference.results import OLSResults

__all__ = [
    "describe_weights",
    "expanded_rows",
    "frequency_robust",
    "log_likelihood_offset",
    "prediction_weights",
    "raw_residuals",
    "refuse_frequency_hac",
    "residual_quartiles",
    "weighted_tss_dd",
]

Float = NDArray[np.float64]

MEANINGS = {
    "precision": "precision (1/variance, as R's lm)",
    "frequency": "frequency (each row counts w times)",
    "sampling": "sampling (inverse-probability; robust standard errors)",
}


def raw_residuals(res: OLSResults) -> Float:
    """The residuals ``y - X b`` of the unscaled rows (R's ``residuals()``)."""
    assert res.weights is not None
    out: Float = res.solution.residuals / res.weights.sqrt
    return out


def weighted_tss_dd(res: OLSResults) -> tuple[float, float]:
    """Weighted total sum of squares (about the weighted mean with an intercept), scaled.

    ``sum w (y - ybar_w)^2`` as R's ``summary.lm``, in units of ``2**(2 e)``.
    """
    weights = res.weights
    assert weights is not None
    e = res._exponent
    if not res.design.intercept:
        return dd_sum_of_squares(np.ldexp(res.design.y, -e))
    t = np.ldexp(weights.y, -e)
    w = weights.values
    total = float(np.sum(w))
    mean = float(w @ t) / total
    d = weights.sqrt * (t - mean)
    hi, lo = dd_sum_of_squares(d)
    correction = float(weights.sqrt @ d) ** 2 / total  # second pass of the two-pass formula
    return hi, lo - correction


def log_likelihood_offset(weights: DeclaredWeights) -> float:
    """What the weights add to the Gaussian log-likelihood of the scaled rows.

    ``sum(log w)/2`` for precision weights (R's ``logLik.lm``), nothing for frequency
    weights (the repeated rows), NaN for sampling weights (no likelihood).
    """
    if weights.kind == "precision":
        return 0.5 * weights.log_sum
    if weights.kind == "frequency":
        return 0.0
    return float("nan")


def refuse_frequency_hac(kind: str | None) -> None:
    """Refuse a HAC covariance for frequency weights, whose rows have no time order."""
    if kind == "HAC":
        raise InputError(
            "HAC covariances need the rows in time order, which frequency weights (each row "
            "standing for w identical rows) do not have; use HC0-HC3, or expand the rows"
        )


def frequency_robust(
    q: Float,
    r: Float,
    residuals: Float,
    kind: str,
    leverage: Float | None,
    lags: int | None,
    n_total: int,
) -> Float:
    """HC0-HC3 of frequency-weighted rows: those of the repeated rows.

    ``q, r`` factor the scaled design ``sqrt(w) X``; ``residuals`` are the raw residuals
    and ``leverage`` each copy's hat value ``h_i / w_i``: the meat
    ``sum w_i x_i x_i' e_i^2 / (1 - h_i)^a`` is then ``Q' diag(e^2 / (1-h)^a) Q``.
    """
    refuse_frequency_hac(kind)
    base = "HC0" if kind == "HC1" else kind
    cov = robust_covariance(q, r, residuals, base, leverage=leverage, lags=lags)
    if kind == "HC1":
        k = q.shape[1]
        cov = cov * (n_total / (n_total - k))
    return cov


def prediction_weights(
    kind: str | None, fit_weights: Float | None, weights: Any, n_rows: int, new_data: bool
) -> Float:
    """The weight of each predicted row, for the prediction variance ``σ² / w``.

    As R's ``predict.lm``: without new data the fitting weights; for new data ``weights=``
    (default 1, with a warning, as R's).  Frequency weights predict one new row (``w = 1``);
    sampling weights have no model of a new row's variance.

    Parameters
    ----------
    kind : str or None
        The fit's meaning of weights (None: unweighted).
    fit_weights : ndarray or None
        The fitting weights (used when predicting the fitted rows).
    weights : array-like or None
        ``predict(weights=)``.
    n_rows : int
        Rows predicted.
    new_data : bool
        Whether new data were given.
    """
    if kind is None:
        if weights is not None:
            raise InputError("weights= in predict() is for a weighted fit; this one has none")
        return np.ones(n_rows)
    if kind == "sampling":
        raise InputError(
            "prediction intervals need a model of a new row's variance, which sampling "
            "weights do not give; use interval='confidence', or fit with "
            "weights_type='precision'"
        )
    if kind == "frequency":
        if weights is not None:
            raise InputError(
                "weights= in predict() gives new rows' precision weights; with frequency "
                "weights a prediction interval is for one new row: leave weights=None"
            )
        return np.ones(n_rows)
    if weights is None:
        if not new_data and fit_weights is not None:
            return fit_weights
        warnings.warn(
            "assuming constant prediction variance even though the fit is weighted (as R's "
            "predict.lm): pass weights= with one precision weight per new row",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
        return np.ones(n_rows)
    values = check_weights(weights, n_rows, name="weights (of the new rows)")
    if not (values > 0).all():
        raise InputError(
            "weights (of the new rows) must be positive: a zero weight is an infinite "
            "prediction variance"
        )
    return values


def residual_quartiles(res: OLSResults) -> tuple[str, Float]:
    """The summary's residual quartiles, as R's ``summary.lm`` prints them.

    Precision and sampling weights: the weighted residuals ``sqrt(w) e`` ("Weighted
    Residuals", as R).  Frequency weights: the residuals of the repeated rows.
    """
    info = res.weights
    probabilities = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    if info is None or info.kind != "frequency":
        title = "Residuals:" if info is None else "Weighted Residuals:"
        return title, np.quantile(res.solution.residuals, probabilities)
    e = raw_residuals(res)
    order = np.argsort(e, kind="stable")
    values, counts = e[order], np.rint(info.values[order]).astype(np.int64)
    ends = np.cumsum(counts)  # copies 0..ends[i]-1 (0-based) hold values <= values[i]
    position = (ends[-1] - 1) * probabilities  # numpy's default (R's type 7) on the copies
    below = np.floor(position).astype(np.int64)
    upper = np.minimum(below + 1, ends[-1] - 1)
    low_value = values[np.searchsorted(ends, below, side="right")]
    high_value = values[np.searchsorted(ends, upper, side="right")]
    return "Residuals:", low_value + (position - below) * (high_value - low_value)


def describe_weights(res: OLSResults) -> list[str]:
    """The summary's line about the weights: their meaning, column and dropped rows."""
    info = res.declared_weights
    if info is None:
        return []
    source = f" from column {info.column!r}" if info.column else ""
    line = f"Weights: {MEANINGS[info.kind]}{source}"
    if info.kind == "frequency":
        line += f"; n = {res.n_obs} from {info.n_rows} rows"
    if info.n_zero:
        word = "row" if info.n_zero == 1 else "rows"
        line += f"; {info.n_zero} zero-weight {word} dropped from the fit"
    return [line]


def expanded_rows(res: OLSResults) -> tuple[OLSResults, NDArray[np.intp]]:
    """The fit of the repeated rows that frequency weights stand for, without refitting.

    Returns the unweighted results on the repeated rows (same coefficients and
    ``(X'X)^-1``) and the position of each original row's first copy.
    """
    info = res.weights
    assert info is not None
    assert info.kind == "frequency"
    counts = np.rint(info.values).astype(np.int64)
    if int(counts.sum()) > 50_000_000:
        raise LinmodError(
            f"these per-row diagnostics are computed on the {int(counts.sum())} repeated rows "
            "the frequency weights stand for, too many to hold; fit a sample"
        )
    raw = info.raw
    take = np.repeat(np.arange(counts.shape[0]), counts)
    design = replace(
        raw,
        x=np.ascontiguousarray(raw.x[take]),
        y=raw.y[take],
        x_lo=None if raw.x_lo is None else raw.x_lo[take],
        row_labels=pd.Index(raw.row_labels[take]),
    )
    solution = replace(res.solution, residuals=raw_residuals(res)[take], residuals_lo=None)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
    return replace(res, design=design, solution=solution, weights=None), first
