"""Influence measures of each observation and the Bonferroni outlier test.

Everything is computed from a thin QR factorization ``X = QR`` in O(n k^2) time and
O(n k) memory: hat values are the squared row norms of ``Q`` (never the diagonal of an
n x n hat matrix), and ``(X'X)^-1 x_i = R^-1 q_i``.  Unlike ``x_i' (X'X)^-1 x_i`` this
keeps full accuracy on ill-conditioned designs (Longley: 13 digits instead of 8).
Definitions follow R's ``influence.measures``, ``rstandard``, ``rstudent``,
``cooks.distance``, ``dffits`` and ``covratio``; the outlier test follows
``car::outlierTest``.  Observations with leverage 1 (fitted exactly whatever their
response, e.g. the only member of a factor level) get NaN where a measure divides by
``1 - h``, as in R.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import linalg

from linmod.diagnostics._model import fit_arrays
from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError
from linmod.inference import distributions as stats  # scipy.stats' values, not its import

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["InfluenceMeasures", "influence", "influence_measures", "outlier_test"]

Float = NDArray[np.float64]
_ONE = 1.0 - 10.0 * np.finfo(np.float64).eps  # R: hat values above this are taken as 1


@dataclass(frozen=True)
class InfluenceMeasures:
    """Per-observation influence measures except DFBETAS (which is ``n x k``).

    Attributes
    ----------
    leverage, standardized, studentized, cooks_distance, dffits, covratio, sigma_loo :
        ndarray of shape (n,)
        Hat values, internally and externally studentized residuals, Cook's distance,
        DFFITS, covariance ratio and the leave-one-out residual standard error.
    k : int
        Number of estimable coefficients.
    df_resid : int
        ``n - k``.
    """

    leverage: Float
    standardized: Float
    studentized: Float
    cooks_distance: Float
    dffits: Float
    covratio: Float
    sigma_loo: Float
    k: int
    df_resid: int


def _thin_qr(x: Float) -> tuple[Float, Float]:
    q, r = linalg.qr(x, mode="economic", check_finite=False)
    return q, r


def influence_measures(res: OLSResults) -> InfluenceMeasures:
    """Compute the per-observation influence measures (no DFBETAS), O(n k^2).

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    InfluenceMeasures
    """
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    df = n - k
    if df < 2:
        raise InputError(
            f"influence measures need at least 2 residual degrees of freedom; the fit has "
            f"n={n} observations and k={k} coefficients"
        )
    h = res.leverage.to_numpy().copy()
    h[h > _ONE] = 1.0
    e = fa.residuals
    ssr = fa.ssr  # of fa.residuals: divided by 4**fa.response_exponent with them
    sigma = np.sqrt(ssr / df)
    with np.errstate(divide="ignore", invalid="ignore"):
        one_minus_h = 1.0 - h
        exact = one_minus_h == 0
        standardized = e / (sigma * np.sqrt(one_minus_h))
        loo_ss = ssr - e**2 / one_minus_h
        sigma_loo = np.sqrt(np.maximum(loo_ss, 0.0) / (df - 1))
        sigma_loo[exact] = np.sqrt(ssr / (df - 1))
        studentized = e / (sigma_loo * np.sqrt(one_minus_h))
        cooks = (standardized**2) * h / (k * one_minus_h)
        dffits = studentized * np.sqrt(h / one_minus_h)
        covratio = (sigma_loo / sigma) ** (2 * k) / one_minus_h
    for values in (standardized, studentized, cooks, dffits, covratio):
        values[exact] = np.nan
    if fa.response_exponent:  # sigma_loo in the response's units (the others have none)
        sigma_loo = np.ldexp(sigma_loo, fa.response_exponent)
    return InfluenceMeasures(
        leverage=h,
        standardized=standardized,
        studentized=studentized,
        cooks_distance=cooks,
        dffits=dffits,
        covratio=covratio,
        sigma_loo=sigma_loo,
        k=k,
        df_resid=df,
    )


def influence(res: OLSResults) -> pd.DataFrame:
    """All influence measures, one row per observation (R's ``influence.measures``).

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    DataFrame
        Indexed by the row labels of the fit, with columns ``leverage``,
        ``standardized_residual`` (``rstandard``), ``studentized_residual``
        (``rstudent``, leave-one-out), ``cooks_distance``, ``dffits``, ``covratio`` and one
        ``dfbeta_<coefficient>`` per estimable coefficient.  The ``dfbeta_`` columns hold
        the *scaled* change (DFBETAS: change in the coefficient when the row is left out,
        divided by its leave-one-out standard error), like the ``dfb.`` columns of
        ``influence.measures``.  Uses O(n k) memory for DFBETAS.
    """
    fa = fit_arrays(res)
    m = influence_measures(res)
    q, r = _thin_qr(fa.x)
    r_inv = linalg.solve_triangular(r, np.eye(fa.k), check_finite=False)
    # Row i of q @ r_inv.T is (X'X)^-1 x_i; the row norms of r_inv give diag (X'X)^-1.
    change = q @ r_inv.T
    with np.errstate(divide="ignore", invalid="ignore"):
        residuals = np.asarray(res.solution.residuals, dtype=np.float64)  # m.sigma_loo's units
        scale = residuals / (1.0 - m.leverage) / m.sigma_loo
        dfbetas = change * scale[:, None]
        dfbetas /= np.sqrt(np.einsum("ij,ij->i", r_inv, r_inv))[None, :]
    dfbetas[m.leverage >= 1.0] = np.nan
    table = pd.DataFrame(
        {
            "leverage": m.leverage,
            "standardized_residual": m.standardized,
            "studentized_residual": m.studentized,
            "cooks_distance": m.cooks_distance,
            "dffits": m.dffits,
            "covratio": m.covratio,
        },
        index=res.design.row_labels,
    )
    for j, name in enumerate(fa.names):
        table[f"dfbeta_{name}"] = dfbetas[:, j]
    return table


def outlier_test(res: OLSResults, cutoff: float = 0.05, n_max: int = 10) -> TestResult:
    """Bonferroni test for the most extreme studentized residual (``car::outlierTest``).

    Each studentized residual is t-distributed with ``n - k - 1`` df under the null; the
    largest in absolute value is tested with the Bonferroni-adjusted p-value
    ``n * 2 * t.sf(|t|)`` (capped at 1 here; R prints values above 1 as ">1").

    Parameters
    ----------
    res : OLSResults
    cutoff : float
        Observations whose Bonferroni p-value is at most ``cutoff`` are listed in
        ``details["flagged"]``.
    n_max : int
        List at most this many.

    Returns
    -------
    TestResult
        ``statistic`` is the largest ``|studentized residual|``; ``details`` has the row
        label (``observation``), the unadjusted p-value and the flagged observations with
        their studentized residual and Bonferroni p-value.
    """
    if not 0.0 < cutoff < 1.0:
        raise InputError(f"cutoff={cutoff!r} must lie strictly between 0 and 1, e.g. 0.05")
    m = influence_measures(res)
    t = m.studentized
    valid = np.isfinite(t)
    n = int(valid.sum())
    df = m.df_resid - 1
    labels = np.asarray(res.design.shown_row_labels)[valid]
    abs_t = np.abs(t[valid])
    unadjusted = 2.0 * stats.t.sf(abs_t, df)
    bonferroni = n * unadjusted
    worst = int(np.argmax(abs_t))
    order = np.argsort(bonferroni, kind="stable")
    flagged = [
        {
            "observation": labels[i].item() if hasattr(labels[i], "item") else labels[i],
            "studentized_residual": float(t[valid][i]),
            "p_value": float(unadjusted[i]),
            "bonferroni_p_value": float(bonferroni[i]),
        }
        for i in order[:n_max]
        if bonferroni[i] <= cutoff
    ]
    label = labels[worst]
    return TestResult(
        name="Bonferroni outlier test",
        method="Bonferroni outlier test on the largest |studentized residual| (car::outlierTest)",
        null_hypothesis="no observation is an outlier (all studentized residuals are "
        f"t-distributed with {df} df)",
        alternative="the observation with the largest |studentized residual| is an outlier",
        statistic=float(abs_t[worst]),
        p_value=float(min(1.0, bonferroni[worst])),
        distribution="t, Bonferroni-adjusted",
        df=(float(df),),
        statistic_name="|t|",
        details={
            "observation": label.item() if hasattr(label, "item") else label,
            "p_value_unadjusted": float(unadjusted[worst]),
            "bonferroni_p_value_raw": float(bonferroni[worst]),
            "n_tested": n,
            "flagged": flagged,
        },
    )
