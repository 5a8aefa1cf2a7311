"""Tests of the independence assumption: Durbin-Watson and Breusch-Godfrey.

Both look at the residuals in the order of the rows (or of ``order_by``), so they test
serial correlation: they are meaningful when that order means something (time, space, a
sequence of measurements), and check nothing for rows in arbitrary order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from linmod.diagnostics._auxiliary import project
from linmod.diagnostics._dw_distribution import dw_eigenvalues, dw_lower_tail
from linmod.diagnostics._model import fit_arrays, ordering
from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError
from linmod.inference import distributions as stats  # scipy.stats' values, not its import

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["breusch_godfrey", "durbin_watson", "residual_acf"]

Float = NDArray[np.float64]
_ALTERNATIVES = {
    "greater": "true autocorrelation is greater than 0",
    "less": "true autocorrelation is less than 0",
    "two-sided": "true autocorrelation is not 0",
}
#: Largest n for which an exact p-value (eigenvalues of an (n-k)-square matrix) is allowed.
EXACT_MAX_N = 3000


def _first_difference(x: Float) -> Float:
    """``A x`` for the Durbin-Watson matrix ``A`` (tridiagonal 1, 2, ..., 2, 1; -1 off)."""
    out = np.empty_like(x)
    out[0] = x[0] - x[1]
    out[-1] = x[-1] - x[-2]
    out[1:-1] = 2.0 * x[1:-1] - x[:-2] - x[2:]
    return out


def _normal_moments(x: Float, bread: Float) -> tuple[float, float]:
    """Mean and variance of DW under the null (Durbin and Watson 1971), O(n k^2)."""
    n, k = x.shape
    ax = _first_difference(x)
    xaxq = (x.T @ ax) @ bread
    p = 2.0 * (n - 1) - float(np.trace(xaxq))
    q = (
        2.0 * (3 * n - 4)
        - 2.0 * float(np.trace((ax.T @ ax) @ bread))
        + float(np.trace(xaxq @ xaxq))
    )
    mean = p / (n - k)
    variance = 2.0 / ((n - k) * (n - k + 2)) * (q - p * mean)
    return mean, variance


def durbin_watson(
    res: OLSResults,
    alternative: str = "greater",
    exact: bool | None = None,
    order_by: Any = None,
) -> TestResult:
    """Durbin-Watson test for first-order autocorrelation (``lmtest::dwtest``).

    Parameters
    ----------
    res : OLSResults
    alternative : {"greater", "two-sided", "less"}
        ``"greater"`` (R's default): positive autocorrelation, the usual worry with
        time-ordered data; ``"less"``: negative; ``"two-sided"``: either
        (``"two.sided"`` is accepted too).
    exact : bool, optional
        ``True``: the exact null distribution given the design (eigenvalues of ``MAM``,
        see :mod:`linmod.diagnostics._dw_distribution`); ``False``: the normal
        approximation with the exact mean and variance of DW.  Default, as R:
        exact when ``n < 100``.
    order_by : None, str or array-like
        Sort key for the observations (default: data order).

    Returns
    -------
    TestResult
        ``statistic`` is DW (about ``2 (1 - rho)``); ``details["rho"]`` is ``1 - DW/2``.
    """
    alternative = "two-sided" if alternative == "two.sided" else alternative
    if alternative not in _ALTERNATIVES:
        raise InputError(
            f"alternative={alternative!r} is not known; use 'greater' (positive "
            "autocorrelation, the default), 'less' or 'two-sided'"
        )
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    x, e = fa.x, fa.residuals
    order = ordering(res, order_by)
    if order is not None:
        x, e = x[order], e[order]
    if n < 3:
        raise InputError(f"the Durbin-Watson test needs at least 3 observations, got {n}")
    dw = float(np.sum(np.diff(e) ** 2) / np.sum(e**2))
    if exact is None:
        exact = n < 100
    if exact:
        if n > EXACT_MAX_N:
            raise InputError(
                f"exact=True needs the eigenvalues of a {n - k}-square matrix; n={n} is "
                f"above {EXACT_MAX_N}; use exact=False (the normal approximation is "
                "accurate at this size)"
            )
        lower, upper = dw_lower_tail(dw, dw_eigenvalues(x))
        distribution = "exact (eigenvalues of MAM, Pan/Imhof)"
    else:
        mean, variance = _normal_moments(x, fa.cov_unscaled)
        sd = float(np.sqrt(variance))
        lower = float(stats.norm.cdf(dw, loc=mean, scale=sd))
        upper = float(stats.norm.sf(dw, loc=mean, scale=sd))
        distribution = "normal approximation (exact mean and variance)"
    if alternative == "greater":
        p_value = lower
    elif alternative == "less":
        p_value = upper
    else:
        p_value = min(1.0, 2.0 * min(lower, upper))
    return TestResult(
        name="Durbin-Watson",
        method="Durbin-Watson test (lmtest::dwtest)",
        null_hypothesis="the errors are not autocorrelated (first order)",
        alternative=_ALTERNATIVES[alternative],
        statistic=dw,
        p_value=float(p_value),
        distribution=distribution,
        statistic_name="DW",
        details={"rho": 1.0 - dw / 2.0, "exact": bool(exact)},
    )


def breusch_godfrey(
    res: OLSResults, order: int = 1, test: str = "chi2", order_by: Any = None
) -> TestResult:
    """Breusch-Godfrey LM test for autocorrelation up to ``order`` (``lmtest::bgtest``).

    Regresses the residuals on the regressors and their own lags ``1..order`` (missing
    starting lags filled with 0, as R's default ``fill = 0``).

    Parameters
    ----------
    res : OLSResults
    order : int
        Highest lag tested.
    test : {"chi2", "F"}
        ``"chi2"``: LM statistic ``n R^2`` (R's default ``type = "Chisq"``);
        ``"F"``: the F form.
    order_by : None, str or array-like
        Sort key for the observations.

    Returns
    -------
    TestResult
    """
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
        raise InputError(f"order={order!r} must be a positive integer (the highest lag)")
    kind = {"chi2": "chi2", "chisq": "chi2", "f": "F"}.get(str(test).lower())
    if kind is None:
        raise InputError(f"test={test!r} is not known; use 'chi2' (the default) or 'F'")
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    order = int(order)
    if n - k - order < 1:
        raise InputError(
            f"order={order} leaves no residual degrees of freedom (n={n}, k={k}); "
            "use a smaller order"
        )
    x, e = fa.x, fa.residuals
    perm = ordering(res, order_by)
    if perm is not None:
        x, e = x[perm], e[perm]
    lags = np.zeros((n, order))
    for lag in range(1, order + 1):
        lags[lag:, lag - 1] = e[:-lag]
    aux = project(np.column_stack([x, lags]), e)
    ssr = float(e @ e)
    if kind == "chi2":
        stat = n * aux.ess / ssr
        df: tuple[float, ...] = (float(order),)
        p_value = float(stats.chi2.sf(stat, order))
        method = f"Breusch-Godfrey LM test for serial correlation of order up to {order}"
    else:
        df2 = n - k - order
        stat = (aux.ess / order) / (aux.rss / df2)
        df = (float(order), float(df2))
        p_value = float(stats.f.sf(stat, order, df2))
        method = f"Breusch-Godfrey F test for serial correlation of order up to {order}"
    return TestResult(
        name="Breusch-Godfrey",
        method=method + " (lmtest::bgtest)",
        null_hypothesis=f"the errors have no autocorrelation at lags 1 to {order}",
        alternative=f"autocorrelation at some lag from 1 to {order}",
        statistic=float(stat),
        p_value=p_value,
        distribution="chi2" if kind == "chi2" else "F",
        df=df,
        statistic_name="LM" if kind == "chi2" else "F",
        details={"auxiliary_r2": aux.ess / ssr},
    )


def residual_acf(res: OLSResults, nlags: int | None = None, order_by: Any = None) -> Float:
    """Autocorrelations of the residuals at lags ``0..nlags`` (as R's ``acf``).

    Parameters
    ----------
    res : OLSResults
    nlags : int, optional
        Default ``min(10 log10(n), n - 1)``, R's default.
    order_by : None, str or array-like
        Sort key for the observations.

    Returns
    -------
    ndarray of shape (nlags + 1,)
    """
    e = np.asarray(res.solution.residuals, dtype=np.float64)
    perm = ordering(res, order_by)
    if perm is not None:
        e = e[perm]
    n = e.shape[0]
    if nlags is None:
        nlags = int(min(np.floor(10.0 * np.log10(n)), n - 1))
    if not 0 <= nlags < n:
        raise InputError(f"nlags={nlags!r} must be an integer in [0, {n - 1}]")
    d = e - e.mean()
    denom = float(d @ d)
    return np.array([float(d[lag:] @ d[: n - lag]) / denom for lag in range(nlags + 1)])
