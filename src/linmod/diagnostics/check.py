"""``check(res)``: test every assumption of a linear model and judge each one.

Verdicts weigh an effect size that does not grow with ``n`` together with the p-value, so
that a large sample does not fail everything on negligible departures and a small one
does not pass a large departure just for lack of power:

=================  ====================================  =============  ============
assumption         effect size                           moderate from  large from
=================  ====================================  =============  ============
linearity          RESET partial R^2                     0.02           0.13
independence       |rho| = |1 - DW/2|                    0.1            0.3
homoscedasticity   Breusch-Pagan adjusted auxiliary R^2  0.02           0.13
normality          |skewness|, |excess kurtosis|         0.5, 1         1, 2
multicollinearity  max VIF (GVIF^(1/df))                 5              10
influence          max Cook's distance                   0.5            1
=================  ====================================  =============  ============

(0.02 and 0.13 are Cohen's small and medium f^2 = 0.02 and 0.15 expressed as R^2.)  With
``p < alpha``: large -> violated, moderate -> warning, negligible -> ok (with a note).
With ``p >= alpha``: large -> warning (too little data to be sure), otherwise ok.  VIF > 10
is violated, 5-10 a warning (no test).  Influence is violated when some Cook's distance
reaches 1, a warning when one reaches 0.5 or the Bonferroni outlier test rejects.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from linmod.data.term_names import pasteable
from linmod.diagnostics import collinearity, homoscedasticity, independence, linearity, normality
from linmod.diagnostics._model import refuse_uncheckable
from linmod.diagnostics.influence_check import influence_check
from linmod.diagnostics.order_keys import order_note_of
from linmod.diagnostics.report import AssumptionCheck, AssumptionReport
from linmod.diagnostics.results import TestResult
from linmod.diagnostics.verdicts import (
    R2_BANDS,
    RHO_BANDS,
    adjusted_r2,
    attempt,
    effect_band,
    judge,
    second_opinion,
)
from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas_thread

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["check"]

#: White's auxiliary regression has k(k+1)/2 columns; above this many, check() skips it
#: (Breusch-Pagan covers the linear part) to keep the cost O(n k^2).
WHITE_MAX_COLUMNS = 120

#: Up to this ``n k^2`` check() runs BLAS on one thread: its dozens of small LAPACK calls
#: gain nothing from a second thread, and waking idle OpenBLAS threads made them 10-100x
#: slower on a busy machine (a 66 x 66 SVD: 90 ms of CPU instead of 0.6 ms).
ONE_THREAD_MAX_WORK = 5e7


def _reset_without_df(res: OLSResults) -> str:
    """Why RESET has no degrees of freedom: the fitted values take so few distinct values
    (a model of factors, one binary predictor) that their powers are in the design's span."""
    fitted = np.asarray(res.fitted, dtype=np.float64)  # the response's units, weighted or not
    spread = float(np.max(np.abs(fitted))) or 1.0
    levels = len(np.unique(np.round(fitted / spread, 9)))  # equal up to rounding
    return (
        f"RESET has 0 degrees of freedom and does not apply: the fitted values take only "
        f"{levels} distinct values, so their powers add nothing the design lacks (a model of "
        "categories fits each group's mean: there is no curve to miss)"
    )


def _linearity(res: OLSResults, alpha: float) -> AssumptionCheck:
    notes: list[str] = []
    tests: list[TestResult] = []
    key, note = attempt(linearity.reset, res)
    for fn in (linearity.reset, linearity.harvey_collier, linearity.rainbow):
        result, note = (key, note) if fn is linearity.reset else attempt(fn, res)
        if result is not None:
            tests.append(result)
        if note:
            notes.append(note)
    if key is None:
        return AssumptionCheck(
            "linearity",
            "Linearity",
            "not run",
            {},
            "negligible",
            None,
            tuple(tests),
            "RESET could not be computed",
            notes=tuple(notes),
        )
    no_df = key.df is not None and key.df[0] < 1
    if no_df:
        notes.append(_reset_without_df(res))
    effect = float(key["partial_r2"])
    band = effect_band(effect, R2_BANDS)
    verdict, why = judge(key.p_value, band, alpha)
    reason = (
        f"RESET does not apply (see the note): {why}"
        if no_df
        else f"powers of the fitted values explain {effect:.1%} of the residual variance: {why}"
    )
    verdict, reason = second_opinion(verdict, reason, key, tests, alpha, band)
    remedy = ""
    if verdict != "ok":
        curvature = linearity.curvature_by_term(res)
        top = curvature[curvature["p_value"] < alpha]
        if len(top):
            term, square = str(top.index[0]), f"I({pasteable(top.index[0])}**2)"
            remedy = (
                f"add curvature for {term}: a squared term {square} would explain "
                f"{top['partial_r2'].iloc[0]:.1%} of the residual variance "
                f"(p = {top['p_value'].iloc[0]:.2g}), or a spline; "
            )
        remedy += (
            "if the curvature is in the response (e.g. a multiplicative effect), model "
            "np.log(y) instead; the residuals-vs-fitted plot shows the shape"
        )
    return AssumptionCheck(
        "linearity",
        "Linearity",
        verdict,
        {"partial_r2": effect},
        band,
        key,
        tuple(tests),
        reason,
        remedy,
        None,
        tuple(notes),
    )


def _independence(res: OLSResults, alpha: float, order_by: Any, order_note: str) -> AssumptionCheck:
    notes = [order_note]
    # R's lmtest::dwtest default: one-sided, against positive autocorrelation (labelled).
    key, note = attempt(independence.durbin_watson, res, order_by=order_by)
    if key is not None:
        key = replace(key, name="Durbin-Watson (H1: rho > 0)")
    bg, note2 = attempt(independence.breusch_godfrey, res, order=1, order_by=order_by)
    notes += [n for n in (note, note2) if n]
    if key is not None and float(key["rho"]) < 0:
        notes.append(
            "Durbin-Watson is one-sided (positive autocorrelation, as R's dwtest); "
            "Breusch-Godfrey, two-sided, covers the negative autocorrelation seen here"
        )
    tests = tuple(t for t in (key, bg) if t is not None)
    if key is None:
        return AssumptionCheck(
            "independence",
            "Independence",
            "not run",
            {},
            "negligible",
            None,
            tests,
            "Durbin-Watson could not be computed",
            notes=tuple(notes),
        )
    rho = float(key["rho"])
    band = effect_band(abs(rho), RHO_BANDS)
    verdict, why = judge(key.p_value, band, alpha)
    reason = (
        f"lag-1 residual autocorrelation rho = {rho:.2f} (DW = {key.statistic:.2f}, p "
        f"one-sided against rho > 0, as R's dwtest): {why}"
    )
    verdict, reason = second_opinion(verdict, reason, key, tests, alpha, band)
    remedy = ""
    refit = {"kind": "HAC"}
    if verdict != "ok":
        remedy = (
            "use autocorrelation-robust (HAC, Newey-West) standard errors: "
            "res.robust('HAC') (report.refit()); better, model the dependence (lagged "
            "variables, a trend or season, a time-series model)"
        )
        remedy += (
            "; if the rows come in groups (firms, schools, repeated measures), use "
            "cluster-robust standard errors: res.robust('cluster', groups='firm')"
        )
    return AssumptionCheck(
        "independence",
        "Independence",
        verdict,
        {"rho": rho},
        band,
        key,
        tests,
        reason,
        remedy,
        refit,
        tuple(notes),
    )


def _homoscedasticity(res: OLSResults, alpha: float) -> AssumptionCheck:
    notes: list[str] = []
    key, note = attempt(homoscedasticity.breusch_pagan, res)
    tests = [key] if key is not None else []
    if note:
        notes.append(note)
    k = res.rank
    if k * (k + 1) // 2 <= WHITE_MAX_COLUMNS:
        result, note = attempt(homoscedasticity.white, res)
        tests += [result] if result is not None else []
        notes += [note] if note else []
    else:
        notes.append(
            f"White's test skipped: its auxiliary regression would have {k * (k + 1) // 2} "
            "columns; run linmod.diagnostics.white(res) to compute it anyway"
        )
    result, note = attempt(homoscedasticity.goldfeld_quandt, res, order_by="fitted")
    tests += [result] if result is not None else []
    notes += [note] if note else []
    if key is None:
        return AssumptionCheck(
            "homoscedasticity",
            "Homoscedasticity",
            "not run",
            {},
            "negligible",
            None,
            tuple(tests),
            "Breusch-Pagan could not be computed",
            notes=tuple(notes),
        )
    effect = adjusted_r2(raw := float(key["auxiliary_r2"]), res.n_obs, q := int(key.df[0]))
    band = effect_band(effect, R2_BANDS)
    verdict, why = judge(key.p_value, band, alpha)
    reason = (
        f"the regressors explain {effect:.1%} of the variation of the squared residuals"
        + (f" ({raw:.1%} before adjusting for their {q} degrees of freedom)" if q > 1 else "")
        + f": {why}"
    )
    verdict, reason = second_opinion(verdict, reason, key, tests, alpha, band)
    remedy = ""
    refit = {"kind": "HC3"}
    if verdict != "ok":
        remedy = (
            "use heteroskedasticity-robust HC3 standard errors: res.robust('HC3') (report.refit())"
            ", or wild-bootstrap intervals: res.bootstrap(method='wild')"
        )
        fitted = np.asarray(res.fitted)
        spread = np.abs(np.asarray(res.residuals))
        if np.all(res.design.y > 0) and np.corrcoef(fitted, spread)[0, 1] > 0.2:
            remedy += "; the spread grows with the fitted values, so modelling np.log(y) may fix it"
    return AssumptionCheck(
        "homoscedasticity",
        "Homoscedasticity",
        verdict,
        {"adj_auxiliary_r2": effect},
        band,
        key,
        tuple(tests),
        reason,
        remedy,
        refit,
        tuple(notes),
    )


def _normality(res: OLSResults, alpha: float) -> AssumptionCheck:
    notes: list[str] = []
    n = res.n_obs
    tests: list[TestResult] = []
    sw, note = (
        attempt(normality.shapiro_wilk, res)
        if n <= normality.SHAPIRO_MAX_N
        else (None, f"Shapiro-Wilk skipped: n = {n} > {normality.SHAPIRO_MAX_N} (R refuses too)")
    )
    jb, note2 = attempt(normality.jarque_bera, res)
    ad, note3 = attempt(normality.anderson_darling, res)
    tests = [t for t in (sw, jb, ad) if t is not None]
    notes += [x for x in (note, note2, note3) if x]
    key = sw if sw is not None else jb
    skew, kurt = normality.residual_moments(res)
    band = (
        "large"
        if (abs(skew) >= 1 or abs(kurt) >= 2)
        else ("moderate" if (abs(skew) >= 0.5 or abs(kurt) >= 1) else "negligible")
    )
    if key is None:
        return AssumptionCheck(
            "normality",
            "Normality",
            "not run",
            {"skewness": skew, "excess_kurtosis": kurt},
            band,
            None,
            tuple(tests),
            "no normality test could be computed",
            notes=tuple(notes),
        )
    verdict, why = judge(key.p_value, band, alpha)
    reason = f"residual skewness {skew:.2f}, excess kurtosis {kurt:.2f}: {why}"
    verdict, reason = second_opinion(verdict, reason, key, tests, alpha, band)
    remedy = ""
    if verdict != "ok":
        remedy = (
            "look at the Q-Q plot and at the influential observations first (a few "
            "outliers often cause it); "
        )
        if skew > 0.5 and np.all(res.design.y > 0):
            remedy += "the residuals are right-skewed: model np.log(y) in the formula; "
        if n >= 100:
            remedy += (
                f"with n = {n} the coefficient tests and intervals remain approximately "
                "valid (central limit theorem), but prediction intervals do not"
            )
        else:
            remedy += (
                f"with only n = {n} observations the t-based tests and intervals rely on "
                "normal errors: read p-values near alpha with caution, or use bootstrap "
                "intervals, which do not: res.bootstrap()"
            )
    return AssumptionCheck(
        "normality",
        "Normality",
        verdict,
        {"skewness": skew, "excess_kurtosis": kurt},
        band,
        key,
        tuple(tests),
        reason,
        remedy,
        None,
        tuple(notes),
    )


def _multicollinearity(res: OLSResults) -> AssumptionCheck:
    table = collinearity.gvif(res)
    cond = collinearity.condition_number(res)
    notes: list[str] = []
    flags = res.solution.aliased
    aliased = [str(name) for name, flag in zip(res.names, flags, strict=True) if flag]
    if aliased:
        # Exact dependencies: the VIFs of the estimable columns cannot show them.
        return AssumptionCheck(
            "multicollinearity",
            "No multicollinearity",
            "violated",
            {"max_vif": float("inf"), "condition_number": cond},
            "large",
            None,
            (),
            "perfect multicollinearity: " + "; ".join(res.dependencies),
            f"{', '.join(aliased)} {'is' if len(aliased) == 1 else 'are'} an exact linear "
            "combination of other terms, so the coefficient is not estimable (NA, as in R): "
            "drop the redundant term(s) or rebuild the variables that duplicate each other",
            None,
            (f"condition number of the estimable columns {cond:.3g}",),
        )
    finite = table["vif_equivalent"].dropna()
    if finite.empty:
        return AssumptionCheck(
            "multicollinearity",
            "No multicollinearity",
            "ok",
            {"max_vif": 1.0, "condition_number": cond},
            "negligible",
            None,
            (),
            "fewer than two terms: nothing to be collinear with",
            notes=(f"condition number {cond:.3g}",),
        )
    worst = str(finite.idxmax())
    max_vif = float(finite.max())
    verdict = "violated" if max_vif > 10 else ("warning" if max_vif > 5 else "ok")
    band = "large" if max_vif > 10 else ("moderate" if max_vif > 5 else "negligible")
    listing = ", ".join(f"{t} {v:.3g}" for t, v in finite.sort_values(ascending=False).items())
    reason = (
        f"largest VIF {max_vif:.3g} ({worst}, {collinearity.vif_band(max_vif)}; bands "
        f"{collinearity.BAND_TEXT}); VIFs: {listing}"
    )
    if cond > 30:
        notes.append(
            f"condition number {cond:.3g} > 30 (scaled design, intercept included): a "
            "near-dependency that may involve the constant; centring the predictors helps"
        )
    if not res.design.intercept:
        notes.append("no intercept: VIFs are computed as car::vif does but are hard to read")
    remedy = ""
    if verdict != "ok":
        high = [str(t) for t, v in finite.items() if v > 5]
        structural = [t for t in high if ":" in t or "**" in t or "poly(" in t]
        remedy = (
            f"{', '.join(high)} share most of their information with other terms: drop or "
            "merge the redundant ones (or combine them into one index), or fit a Ridge "
            "regression (linmod.ridge); the coefficients stay unbiased, only their "
            "standard errors are inflated, so predictions are unaffected"
        )
        if structural:
            remedy += (
                f"; {', '.join(structural)} are collinear by construction: centre the "
                "variables before forming interactions or powers"
            )
    return AssumptionCheck(
        "multicollinearity",
        "No multicollinearity",
        verdict,
        {"max_vif": max_vif, "condition_number": cond},
        band,
        None,
        (),
        reason,
        remedy,
        None,
        tuple(notes),
    )


def check(res: OLSResults, alpha: float = 0.05, order_by: Any = None) -> AssumptionReport:
    """Check the five assumptions of a linear model, plus influential observations.

    Runs RESET, Harvey-Collier and Rainbow (linearity), Durbin-Watson and
    Breusch-Godfrey (independence), Breusch-Pagan, White and Goldfeld-Quandt
    (homoscedasticity), Shapiro-Wilk, Jarque-Bera and Anderson-Darling (normality),
    variance inflation factors and the condition number (multicollinearity), and Cook's
    distance with the Bonferroni outlier test (influence), and judges each assumption
    (see the module docstring for the rules).  Never forms an n x n matrix: the cost is
    O(n k^2) time and O(n k) memory.

    Parameters
    ----------
    res : OLSResults
        A fitted model.
    alpha : float
        Significance level for the verdicts.
    order_by : None, str or array-like
        Order of the observations for the independence tests (default: row order).

    Returns
    -------
    AssumptionReport
    """
    if not 0.0 < alpha < 1.0:
        raise InputError(f"alpha={alpha!r} must lie strictly between 0 and 1, e.g. 0.05")
    if res.df_resid < 3:
        raise InputError(
            f"checking assumptions needs at least 3 residual degrees of freedom; the fit "
            f"has n={res.n_obs} and rank {res.rank}"
        )
    order_note = order_note_of(order_by)
    order_by = refuse_uncheckable(res, order_by)  # errors, not notes; the key, resolved
    threads = (
        small_work_blas_thread()
        if res.n_obs * res.rank**2 <= ONE_THREAD_MAX_WORK
        else contextlib.nullcontext()
    )
    with threads:
        checks = [
            _linearity(res, alpha),
            _independence(res, alpha, order_by, order_note),
            _homoscedasticity(res, alpha),
            _normality(res, alpha),
            _multicollinearity(res),
            influence_check(res, alpha),
        ]
    model = res.design.formula or f"{res.design.response_name} ~ {res.rank} columns"
    return AssumptionReport(
        checks={c.assumption: c for c in checks},
        model=model,
        n_obs=res.n_obs,
        alpha=alpha,
        results=res,
    )
