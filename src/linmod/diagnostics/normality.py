"""Tests of normal errors: Shapiro-Wilk, Jarque-Bera and Anderson-Darling.

All three look at the raw residuals, as ``shapiro.test(residuals(fit))`` does in R.
Residuals are not independent and not quite homoscedastic even when the errors are, but
with ``n`` well above ``k`` the effect on these tests is negligible.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from linmod.diagnostics._model import response_exponent
from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError
from linmod.inference import distributions as stats  # scipy.stats' values, not its import

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["anderson_darling", "jarque_bera", "residual_moments", "shapiro_wilk"]

Float = NDArray[np.float64]
#: R's shapiro.test accepts 3 to 5000 observations; beyond that scipy's p-value is an
#: extrapolation of Royston's approximation.
SHAPIRO_MAX_N = 5000
_NULL = "the errors are normally distributed"


def _residuals(res: OLSResults) -> Float:
    """The residuals (divided by a power of two when their squares would leave float64's
    range: every statistic here is invariant to their scale)."""
    residuals = np.asarray(res.solution.residuals, dtype=np.float64)
    exponent = response_exponent(res)
    return np.ldexp(residuals, -exponent) if exponent else residuals


def residual_moments(res: OLSResults) -> tuple[float, float]:
    """Skewness and excess kurtosis of the residuals (moment estimators, biased).

    Both are effect sizes that do not grow with ``n``: 0 and 0 for normal errors.
    """
    e = _residuals(res)
    d = e - e.mean()
    m2 = float(np.mean(d**2))
    skew = float(np.mean(d**3)) / m2**1.5
    kurt = float(np.mean(d**4)) / m2**2 - 3.0
    return skew, kurt


def _poly(coefficients: tuple[float, ...], x: float) -> float:
    value = 0.0
    for c in reversed(coefficients):
        value = value * x + c
    return value


_C1 = (0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056)
_C2 = (0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633)
_C3 = (0.544, -0.39978, 0.025054, -6.714e-4)
_C4 = (1.3822, -0.77857, 0.062767, -0.0020322)
_C5 = (-1.5861, -0.31082, -0.083751, 0.0038915)
_C6 = (-0.4803, -0.082676, 0.0030302)
_G = (-2.273, 0.459)


def _swilk(x: Float) -> tuple[float, float]:
    """W and its p-value for sorted ``x`` by Royston's (1995) algorithm AS R94.

    Carried out entirely in double precision, as R's ``swilk.c``; scipy's port keeps some
    single-precision steps and differs from R by up to ~2e-8 in the p-value.
    """
    n = x.shape[0]
    half = n // 2
    if n == 3:
        a = np.array([np.sqrt(0.5)])
    else:
        m = stats.norm.ppf((np.arange(1, half + 1) - 0.375) / (n + 0.25))
        summ2 = 2.0 * float(m @ m)
        ssumm2 = np.sqrt(summ2)
        rsn = 1.0 / np.sqrt(n)
        a1 = _poly(_C1, rsn) - m[0] / ssumm2
        a = -m / 1.0
        if n > 5:
            a2 = -m[1] / ssumm2 + _poly(_C2, rsn)
            fac = np.sqrt(
                (summ2 - 2.0 * m[0] ** 2 - 2.0 * m[1] ** 2) / (1.0 - 2.0 * a1**2 - 2.0 * a2**2)
            )
            a = m / -fac
            a[0], a[1] = a1, a2
        else:
            fac = np.sqrt((summ2 - 2.0 * m[0] ** 2) / (1.0 - 2.0 * a1**2))
            a = m / -fac
            a[0] = a1
    # Full antisymmetric coefficient vector: -a_1, ..., -a_h, (0), a_h, ..., a_1 with
    # a_1 = a[0] > 0 for the largest order statistic.
    coef = np.zeros(n)
    coef[:half] = -a
    coef[n - half :] = a[::-1]
    xs = x / (x[-1] - x[0])
    da = coef - coef.mean()
    dx = xs - xs.mean()
    ssa, ssx, sax = float(da @ da), float(dx @ dx), float(da @ dx)
    ssassx = np.sqrt(ssa * ssx)
    w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx)  # 1 - W without cancellation
    w = 1.0 - w1
    if n == 3:
        p = 6.0 / np.pi * (np.arcsin(np.sqrt(w)) - np.pi / 3.0)
        return w, max(float(p), 0.0)
    y = np.log(w1)
    if n <= 11:
        gamma = _poly(_G, n)
        if y >= gamma:
            return w, 1e-99
        y = -np.log(gamma - y)
        mean, sd = _poly(_C3, n), np.exp(_poly(_C4, n))
    else:
        log_n = np.log(n)
        mean, sd = _poly(_C5, log_n), np.exp(_poly(_C6, log_n))
    return w, float(stats.norm.sf(y, loc=mean, scale=sd))


def shapiro_wilk(res: OLSResults) -> TestResult:
    """Shapiro-Wilk test of the residuals, as R's ``shapiro.test``.

    Royston's (1995) algorithm AS R94, the one behind both R's ``shapiro.test`` and
    ``scipy.stats.shapiro``, here computed in double precision throughout so that it
    agrees with R to rounding (scipy agrees to about 1e-8).

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    TestResult
        ``W`` statistic (1 for perfectly normal-looking residuals) and Royston's p-value.

    Raises
    ------
    InputError
        If ``n`` is below 3 or above 5000 (R refuses those too; use
        :func:`jarque_bera` or :func:`anderson_darling` for large samples).
    """
    e = _residuals(res)
    n = e.shape[0]
    if not 3 <= n <= SHAPIRO_MAX_N:
        raise InputError(
            f"Shapiro-Wilk needs 3 to {SHAPIRO_MAX_N} residuals, the fit has {n}; use "
            "jarque_bera(res) or anderson_darling(res), which have no upper limit"
        )
    if np.ptp(e) == 0:
        raise InputError("the residuals are all equal; Shapiro-Wilk is undefined")
    w, p = _swilk(np.sort(e))
    return TestResult(
        name="Shapiro-Wilk",
        method="Shapiro-Wilk normality test of the residuals (Royston's AS R94, as R's "
        "shapiro.test)",
        null_hypothesis=_NULL,
        alternative="the errors are not normally distributed",
        statistic=float(w),
        p_value=float(p),
        distribution="Royston (1995) approximation",
        statistic_name="W",
    )


def jarque_bera(res: OLSResults) -> TestResult:
    """Jarque-Bera test from the residual skewness and kurtosis (as ``statsmodels``).

    ``JB = n / 6 (S^2 + K^2 / 4)`` with ``S`` the skewness and ``K`` the excess kurtosis,
    asymptotically chi-squared with 2 degrees of freedom.

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    TestResult
        ``details`` holds ``skewness`` and ``excess_kurtosis``.
    """
    n = res.n_obs
    if n < 3:
        raise InputError(f"Jarque-Bera needs at least 3 residuals, the fit has {n}")
    skew, kurt = residual_moments(res)
    stat = n / 6.0 * (skew**2 + kurt**2 / 4.0)
    return TestResult(
        name="Jarque-Bera",
        method="Jarque-Bera test of the residuals (statsmodels jarque_bera)",
        null_hypothesis=_NULL + " (skewness 0 and excess kurtosis 0)",
        alternative="the residual skewness or kurtosis differs from the normal's",
        statistic=float(stat),
        p_value=float(stats.chi2.sf(stat, 2)),
        distribution="chi2",
        df=(2.0,),
        statistic_name="JB",
        details={"skewness": skew, "excess_kurtosis": kurt},
    )


def _ad_p_value(a2: float) -> float:
    """D'Agostino and Stephens' (1986) p-value for the adjusted statistic (nortest)."""
    if a2 < 0.2:
        return float(-np.expm1(-13.436 + 101.14 * a2 - 223.73 * a2**2))
    if a2 < 0.34:
        return float(-np.expm1(-8.318 + 42.796 * a2 - 59.938 * a2**2))
    if a2 < 0.6:
        return float(np.exp(0.9177 - 4.279 * a2 - 1.38 * a2**2))
    if a2 < 10:
        return float(np.exp(1.2937 - 5.709 * a2 + 0.0186 * a2**2))
    return 3.7e-24


def anderson_darling(res: OLSResults) -> TestResult:
    """Anderson-Darling test of normality with estimated mean and variance.

    As R's ``nortest::ad.test``: ``A^2`` from the standardized residuals, its
    small-sample adjustment ``A^2 (1 + 0.75/n + 2.25/n^2)`` and the piecewise p-value of
    D'Agostino and Stephens (1986, table 4.9).  More sensitive to the tails than
    Shapiro-Wilk, and usable at any ``n``.

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    TestResult
        ``statistic`` is ``A^2``; ``details["adjusted_statistic"]`` the adjusted one.
    """
    e = np.sort(_residuals(res))
    n = e.shape[0]
    if n < 8:
        raise InputError(f"Anderson-Darling needs at least 8 residuals, the fit has {n}")
    sd = float(np.std(e, ddof=1))
    if sd == 0:
        raise InputError("the residuals are all equal; Anderson-Darling is undefined")
    w = (e - e.mean()) / sd
    log_cdf = stats.norm.logcdf(w)
    log_sf = stats.norm.logsf(w)
    weights = 2.0 * np.arange(1, n + 1) - 1.0
    a2 = float(-n - np.mean(weights * (log_cdf + log_sf[::-1])))
    adjusted = a2 * (1.0 + 0.75 / n + 2.25 / n**2)
    return TestResult(
        name="Anderson-Darling",
        method="Anderson-Darling normality test of the residuals (nortest::ad.test)",
        null_hypothesis=_NULL,
        alternative="the errors are not normally distributed",
        statistic=a2,
        p_value=_ad_p_value(adjusted),
        distribution="D'Agostino-Stephens approximation",
        statistic_name="A",
        details={"adjusted_statistic": adjusted},
    )
