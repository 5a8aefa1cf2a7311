"""Tests of constant error variance: Breusch-Pagan, White and Goldfeld-Quandt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from linmod.diagnostics._auxiliary import project, project_blocks
from linmod.diagnostics._model import fit_arrays, ordering
from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError
from linmod.inference import distributions as stats  # scipy.stats' values, not its import

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["breusch_pagan", "goldfeld_quandt", "white"]

Float = NDArray[np.float64]
_GQ_ALTERNATIVES = {
    "greater": "the variance increases from the first segment to the second",
    "less": "the variance decreases from the first segment to the second",
    "two-sided": "the variance differs between the two segments",
}


def breusch_pagan(res: OLSResults, studentize: bool = True) -> TestResult:
    """Breusch-Pagan test that the error variance does not depend on the regressors.

    Parameters
    ----------
    res : OLSResults
    studentize : bool
        ``True`` (default): Koenker's (1981) studentized form, ``n R^2`` of the regression
        of the squared residuals on the regressors, robust to non-normal errors.
        ``False``: the original form (half the explained sum of squares of
        ``e^2 / sigma^2 - 1``), valid only under normal errors.  Both as
        ``lmtest::bptest``.

    Returns
    -------
    TestResult
        Chi-squared statistic, ``df`` = number of regressors besides the intercept;
        ``details["auxiliary_r2"]`` is the R^2 of the auxiliary regression, an effect
        size that does not grow with ``n``.
    """
    fa = fit_arrays(res)
    n = fa.n
    weights = getattr(res, "weights", None)
    if weights is None:
        e2 = fa.residuals**2
        sigma2 = float(np.sum(e2)) / n
        centred = e2 - sigma2
        aux = project(fa.x, centred)
        null = "the error variance is constant (does not depend on the regressors)"
        on = ""
    else:
        # lmtest's bptest on a weighted lm: the raw residuals e (fa.residuals is sqrt(w) e),
        # sigma^2 = sum(w e^2) / n, and e^2 - sigma^2 regressed on the raw regressors by
        # weighted least squares, i.e. sqrt(w)(e^2 - sigma^2) on the scaled design fa.x.
        e2 = (fa.residuals / weights.sqrt) ** 2
        sigma2 = float(weights.values @ e2) / n
        centred = e2 - sigma2
        aux = project(fa.x, weights.sqrt * centred)
        null = "the error variance is proportional to 1/w (constant after weighting)"
        on = " on the weighted fit"
    # One projection serves both forms: e^2/sigma^2 - 1 is the centred e^2 over sigma^2.
    aux_r2 = aux.ess / float(centred @ centred)
    if studentize:
        stat = n * aux_r2
        method = f"studentized Breusch-Pagan test{on} (Koenker 1981; lmtest::bptest)"
    else:
        stat = 0.5 * aux.ess / sigma2**2
        method = f"Breusch-Pagan test, original form{on} (lmtest::bptest, studentize=FALSE)"
    df = aux.rank - 1
    return TestResult(
        name="Breusch-Pagan",
        method=method,
        null_hypothesis=null,
        alternative="the error variance is a linear function of the regressors",
        statistic=float(stat),
        p_value=float(stats.chi2.sf(stat, df)) if df > 0 else 1.0,
        distribution="chi2",
        df=(float(df),),
        statistic_name="BP",
        details={"auxiliary_r2": float(aux_r2), "studentized": studentize},
    )


def white(res: OLSResults, block_rows: int = 0) -> TestResult:
    """White's general test for heteroskedasticity (as ``statsmodels``' ``het_white``).

    Regresses the squared residuals on the regressors, their squares and their cross
    products (all ``x_i x_j`` with ``i <= j`` of the design, including the intercept
    column, duplicates absorbed by the rank); LM = ``n R^2``, chi-squared with
    ``rank - 1`` degrees of freedom.  The auxiliary design has ``k (k + 1) / 2`` columns:
    it is built in row blocks, so memory stays at one block however large ``n`` is.

    Parameters
    ----------
    res : OLSResults
    block_rows : int
        Rows per block (0: about 8 MB per block).

    Returns
    -------
    TestResult
        ``details`` also holds the F form (``f_statistic``, ``f_p_value``) and the
        auxiliary R^2.
    """
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    x = fa.x
    e2 = fa.residuals**2
    left, right = np.triu_indices(k)
    q = left.shape[0]
    rows = block_rows if block_rows > 0 else max(4 * (q + 1), (1 << 20) // (q + 1))

    def blocks(target: Float) -> Iterator[tuple[Float, Float]]:
        for start in range(0, n, rows):
            xb = x[start : start + rows]
            yield xb[:, left] * xb[:, right], target[start : start + rows]

    # statsmodels decides the rank with numpy.linalg.matrix_rank (unscaled singular
    # values, tolerance max(n, q) * eps relative to the largest).  With an intercept the
    # constant is among the products, so projecting the centred e^2 gives the centred R^2
    # without subtracting sums of squares.
    tol = max(n, q) * np.finfo(np.float64).eps
    target = e2 - float(np.mean(e2)) if fa.intercept else e2
    aux = project_blocks(blocks(target), rank_tol=tol, scaled=False)
    r2 = aux.ess / float(target @ target)
    stat = n * r2
    df_model = aux.rank - 1
    df_resid = n - aux.rank
    if df_model < 1 or df_resid < 1:
        raise InputError(
            f"White's test needs more observations than the {aux.rank} independent "
            f"squares and cross products of the {k} regressors (n={n}); use "
            "breusch_pagan(res) instead"
        )
    f_stat = (r2 / df_model) / ((1.0 - r2) / df_resid)
    return TestResult(
        name="White",
        method="White's test: squared residuals on regressors, squares and cross products "
        "(statsmodels het_white)",
        null_hypothesis="the error variance is constant",
        alternative="the error variance depends on the regressors, their squares or cross products",
        statistic=float(stat),
        p_value=float(stats.chi2.sf(stat, df_model)),
        distribution="chi2",
        df=(float(df_model),),
        statistic_name="LM",
        details={
            "auxiliary_r2": float(r2),
            "f_statistic": float(f_stat),
            "f_p_value": float(stats.f.sf(f_stat, df_model, df_resid)),
            "auxiliary_columns": q,
        },
    )


def goldfeld_quandt(
    res: OLSResults,
    point: float = 0.5,
    fraction: float = 0.0,
    alternative: str = "greater",
    order_by: Any = None,
) -> TestResult:
    """Goldfeld-Quandt test comparing the residual variance of two segments.

    As ``lmtest::gqtest``: the observations (in data order, or sorted by ``order_by``)
    are split at ``point`` with a central ``fraction`` omitted; the model is fitted to each
    segment and F = (RSS2 / df2) / (RSS1 / df1).

    Parameters
    ----------
    res : OLSResults
    point : float
        Split point, as a fraction of ``n`` (at most 1) or an observation number.
    fraction : float
        Share (below 1) or number of central observations to omit.
    alternative : {"greater", "two-sided", "less"}
        ``"greater"`` (R's default): the variance increases along the ordering.
    order_by : None, str or array-like
        Sort key, typically the regressor the variance is suspected to grow with.

    Returns
    -------
    TestResult
        F statistic with ``df = (n - point2 + 1 - k, point1 - k)``.
    """
    alternative = "two-sided" if alternative == "two.sided" else alternative
    if alternative not in _GQ_ALTERNATIVES:
        raise InputError(
            f"alternative={alternative!r} is not known; use 'greater' (the default), "
            "'less' or 'two-sided'"
        )
    if point <= 0 or fraction < 0:
        raise InputError(f"point={point!r} must be positive and fraction={fraction!r} non-negative")
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    if point > 1:
        omit = np.floor(fraction * n) if fraction < 1 else fraction
        point1 = int(point - np.ceil(omit / 2))
        point2 = int(point + np.ceil(omit / 2 + 0.01))
    else:
        share = fraction / n if fraction >= 1 else fraction
        point1 = int(np.floor((point - share / 2) * n))
        point2 = int(np.ceil((point + share / 2) * n + 0.01))
    if point2 > n - k or point1 <= k:
        raise InputError(
            f"point={point!r}, fraction={fraction!r} leave segments of {point1} and "
            f"{n - point2 + 1} observations, but each needs more than k={k} (R's gqtest "
            "would return a statistic with 0 degrees of freedom); move the "
            "split point or omit fewer central observations"
        )
    x, y = fa.x, fa.y
    perm = ordering(res, order_by)
    if perm is not None:
        x, y = x[perm], y[perm]
    first = project(x[:point1], y[:point1])
    second = project(x[point2 - 1 :], y[point2 - 1 :])
    df1 = n - point2 + 1 - k
    df2 = point1 - k
    stat = (second.rss / df1) / (first.rss / df2)
    lower = float(stats.f.cdf(stat, df1, df2))
    upper = float(stats.f.sf(stat, df1, df2))
    p_value = {"greater": upper, "less": lower, "two-sided": min(1.0, 2 * min(lower, upper))}
    return TestResult(
        name="Goldfeld-Quandt",
        method="Goldfeld-Quandt F test (lmtest::gqtest)",
        null_hypothesis="the error variance is the same in both segments",
        alternative=_GQ_ALTERNATIVES[alternative],
        statistic=float(stat),
        p_value=p_value[alternative],
        distribution="F",
        df=(float(df1), float(df2)),
        statistic_name="GQ",
        details={"variance_ratio": float(stat), "point1": point1, "point2": point2},
    )
