"""Assumption tests of a weighted fit, on the residuals R uses for a weighted ``lm``.

Most tests of :func:`linmod.diagnostics.check` run on the fit of the rows scaled by
``sqrt(w)`` (the weighted residuals ``sqrt(w) e``, the scaled design): Durbin-Watson is
``lmtest::dwtest`` on that scaled regression (lmtest refuses a weighted ``lm``), and
Shapiro-Wilk runs on ``weighted.residuals(fit)``, those ``rstandard`` and ``plot.lm``
use.  Breusch-Pagan is the exception: ``lmtest::bptest`` (0.9-40) on a weighted ``lm``
takes the raw residuals ``e``, ``sigma^2 = sum(w e^2)/n``, regresses ``e^2 - sigma^2`` on
the raw regressors by weighted least squares and reports ``n sum(w f^2) / sum((e^2 -
sigma^2)^2)``; :func:`weighted_breusch_pagan` computes exactly that (on the rows in the
fit: zero-weight rows are dropped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scipy import stats

from linmod.diagnostics._auxiliary import project
from linmod.diagnostics._model import fit_arrays
from linmod.diagnostics.results import TestResult

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["weighted_breusch_pagan"]


def weighted_breusch_pagan(res: OLSResults, studentize: bool = True) -> TestResult:
    """``lmtest::bptest`` of a weighted fit (see the module docstring)."""
    assert res.weights is not None
    fa = fit_arrays(res)  # fa.x is the scaled design sqrt(w) X
    n = fa.n
    s = res.weights.sqrt
    e2 = (fa.residuals / s) ** 2  # squared raw residuals
    w = res.weights.values
    sigma2 = float(w @ e2) / n
    centred = e2 - sigma2
    aux = project(fa.x, s * centred)  # weighted LS of e^2 - sigma^2 on X
    effect = aux.ess / float(centred @ centred)  # the statistic over n: an effect size
    if studentize:
        stat = n * effect
        method = "studentized Breusch-Pagan test on the weighted fit (lmtest::bptest)"
    else:
        aux = project(fa.x, s * (e2 / sigma2 - 1.0))
        stat = 0.5 * aux.ess
        method = "Breusch-Pagan test, original form, on the weighted fit (lmtest::bptest)"
    df = aux.rank - 1
    return TestResult(
        name="Breusch-Pagan",
        method=method,
        null_hypothesis="the error variance is proportional to 1/w (constant after weighting)",
        alternative="the error variance is a linear function of the regressors",
        statistic=float(stat),
        p_value=float(stats.chi2.sf(stat, df)) if df > 0 else 1.0,
        distribution="chi2",
        df=(float(df),),
        statistic_name="BP",
        details={"auxiliary_r2": float(effect), "studentized": studentize},
    )
