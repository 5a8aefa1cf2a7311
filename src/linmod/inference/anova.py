"""Analysis-of-variance tables of one fit: sequential (Type I), Type II and Type III.

* Type I is R's ``anova(fit)``: each term's sum of squares after the terms before it,
  from the orthogonal effects ``Q'y`` of the design's QR factorisation.
* Type II and Type III are ``car::Anova(fit, type = 2 / 3)``: Wald tests under the fit's
  covariance (classical, HC, HAC, ...).  Type II tests each term after every term that
  does not contain it (car's conjugate complement of its relatives); Type III tests each
  term's coefficients, intercept included.  Under a classical covariance the F values are
  the sums-of-squares F tests, and the table shows the sums of squares.

Type III of main effects that take part in interactions depends on the coding: with
treatment contrasts it tests each main effect at the reference level of the others.  A
formula fit with categorical factors in interactions is therefore re-coded with
sum-to-zero contrasts (:mod:`linmod.data.contrast_recoding`) first, and the table says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special

from linmod._registry import implementation
from linmod.data.contrast_recoding import sum_coding, treatment_coded_factors
from linmod.data.design import Design, Term
from linmod.exceptions import InputError

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["AnovaTable", "anova_table", "term_factors"]

Float = NDArray[np.float64]
_INTERCEPT_NAMES = ("1", "Intercept")


@dataclass(frozen=True)
class AnovaTable:
    """An analysis-of-variance table.

    Attributes
    ----------
    table : DataFrame
        One row per term and a ``Residuals`` row.  Type I: ``Df``, ``Sum Sq``, ``Mean Sq``,
        ``F value``, ``Pr(>F)`` (R's ``anova``); Types II and III: ``Sum Sq`` (classical
        covariance only), ``Df``, ``F value``, ``Pr(>F)`` (``car::Anova``).
    type : int
        1, 2 or 3.
    response : str
        The response's name.
    cov_type : str
        The covariance of the tests.
    note : str or None
        How the table was computed when that is not obvious (sum contrasts, robust
        covariance).
    """

    table: pd.DataFrame
    type: int
    response: str
    cov_type: str
    note: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """The table as text, in the layout of R's ``anova`` / ``car::Anova`` print-out."""
        text: str = implementation("render_anova")(self)
        return text

    def __str__(self) -> str:
        return self.summary()


def _split_top_level(name: str) -> list[str]:
    parts, depth, start, quoted = [], 0, 0, False
    for i, char in enumerate(name):
        if char == "`":
            quoted = not quoted
        elif quoted:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == ":" and depth == 0:
            parts.append(name[start:i])
            start = i + 1
    parts.append(name[start:])
    return [p.strip() for p in parts]


def term_factors(design: Design) -> list[tuple[Term, frozenset[str]]]:
    """The non-intercept terms of a design, each with the set of factors it multiplies."""
    terms = [t for t in design.terms if t.name not in _INTERCEPT_NAMES]
    if design.formula is None:
        return [(t, frozenset([t.name])) for t in terms]
    return [(t, frozenset(_split_top_level(t.name))) for t in terms]


def _scaled_estimates(res: OLSResults) -> tuple[Float, Float, float]:
    """Coefficients and covariance in units of their standard errors, and the scale σ²."""
    cov = res.cov_params().to_numpy()
    if not np.isfinite(cov).all():
        raise InputError(
            f"the {res.cov_type} covariance of this fit has non-finite entries (e.g. HC3 with "
            "a leverage of 1); an ANOVA table cannot use it"
        )
    return res.solution.coef.copy(), cov, res.sigma**2


def _wald_f(coef: Float, cov: Float, rows: Float) -> tuple[float, int]:
    """``W / q`` for ``rows @ b = 0``, in standardised units for accuracy."""
    scale = np.sqrt(np.diag(cov))
    scale[scale == 0] = 1.0
    standard = rows * scale  # rows @ b == (rows * scale) @ (b / scale)
    b = coef / scale
    middle = cov / np.outer(scale, scale)
    difference = standard @ b
    inner = standard @ middle @ standard.T
    try:
        solved = sla.solve(inner, difference, assume_a="pos", check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        raise InputError(
            "the covariance of a term's coefficients is singular, so the term cannot be "
            "tested with it; use another covariance"
        ) from None
    return float(difference @ solved) / rows.shape[0], rows.shape[0]


def _type_two_rows(
    term: Term, factors: frozenset[str], terms: list[tuple[Term, frozenset[str]]], cov: Float
) -> Float:
    p = cov.shape[0]
    identity = np.eye(p)
    relatives = [
        i for other, f in terms if other is not term and factors < f for i in other.columns
    ]
    both = identity[relatives + list(term.columns)]
    if not relatives:
        return both
    # car's ConjComp(H1', H2', V): the combinations of H2's rows V-orthogonal to H1's, found
    # in units of the standard errors (the correlation matrix) for accuracy.
    scale = np.sqrt(np.diag(cov))
    scale[scale == 0] = 1.0
    correlation = cov / np.outer(scale, scale)
    cross = correlation[np.ix_(relatives + list(term.columns), relatives)]
    q, r = sla.qr(cross)
    rank = int(np.sum(np.abs(np.diag(r)) > 1e-12 * max(1.0, np.abs(r).max())))
    rows = (q[:, rank:].T @ both) / scale
    return rows[np.any(rows != 0, axis=1)]


def _refuse_aliased(res: OLSResults, kind: int) -> None:
    if not res._kept.all():
        aliased = [str(n) for n, k in zip(res.names, res._kept, strict=True) if not k]
        raise InputError(
            f"a Type {'II' if kind == 2 else 'III'} table needs every coefficient estimable, "
            f"and {', '.join(map(repr, aliased))} are aliased (see res.dependencies); drop "
            "the aliased terms and refit (car::Anova refuses such fits too)"
        )


def _sequential(res: OLSResults) -> pd.DataFrame:
    res._require_data("a sequential (Type I) ANOVA table")
    kept = res._kept
    x = res.design.x[:, kept]
    scales = np.max(np.abs(x), axis=0)
    scales[scales == 0] = 1.0
    q, _ = sla.qr(x / scales, mode="economic", check_finite=False)
    exponent = res._exponent
    effects = q.T @ np.ldexp(res.design.y, -exponent)
    positions = np.cumsum(kept) - 1
    sigma2 = res.sigma**2
    rows = {}
    for term, _ in term_factors(res.design):
        owned = [positions[c] for c in term.columns if kept[c]]
        if not owned:
            continue
        ss = float(np.ldexp(np.sum(effects[owned] ** 2), 2 * exponent))
        rows[term.name] = (len(owned), ss)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["Df", "Sum Sq"])
    table["Mean Sq"] = table["Sum Sq"] / table["Df"]
    table["F value"] = table["Mean Sq"] / sigma2
    table["Pr(>F)"] = special.fdtrc(table["Df"], res.df_resid, table["F value"])
    residuals = pd.DataFrame(
        {"Df": [res.df_resid], "Sum Sq": [res.ssr], "Mean Sq": [sigma2]}, index=["Residuals"]
    )
    return pd.concat([table, residuals])


def _needs_sum_coding(res: OLSResults) -> bool:
    categorical = set(treatment_coded_factors(res.design))
    return any(
        len(factors) > 1 and factors & categorical for _, factors in term_factors(res.design)
    )


def _tests(res: OLSResults, kind: int) -> tuple[pd.DataFrame, str | None]:
    _refuse_aliased(res, kind)
    coef, cov, sigma2 = _scaled_estimates(res)
    terms = term_factors(res.design)
    note = None
    named: list[tuple[str, Float]] = []
    if kind == 2:
        named = [(t.name, _type_two_rows(t, f, terms, cov)) for t, f in terms]
    else:
        columns = {t.name: t.columns for t in res.design.terms}
        if _needs_sum_coding(res):
            coding = sum_coding(res.design)
            coef, cov = coding.matrix @ coef, coding.matrix @ cov @ coding.matrix.T
            columns = coding.terms
            note = (
                "Type III tests with sum-to-zero contrasts for "
                f"{', '.join(coding.factors)}: under interactions, treatment contrasts would "
                "test each main effect at the reference level of the others; linmod re-coded "
                "them (as options(contrasts = c('contr.sum', 'contr.poly')) in R)"
            )
        identity = np.eye(coef.shape[0])
        for term in res.design.terms:
            label = "Intercept" if term.name in _INTERCEPT_NAMES else term.name
            named.append((label, identity[list(columns[term.name])]))
    rows = {}
    for name, hypothesis in named:
        if hypothesis.shape[0] == 0:
            continue
        f, df = _wald_f(coef, cov, hypothesis)
        rows[name] = (f * df * sigma2, df, f)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["Sum Sq", "Df", "F value"])
    table["Pr(>F)"] = special.fdtrc(table["Df"], res.df_resid, table["F value"])
    residuals = pd.DataFrame({"Sum Sq": [res.ssr], "Df": [res.df_resid]}, index=["Residuals"])
    table = pd.concat([table, residuals])
    if res.cov_type != "nonrobust":
        table = table.drop(columns="Sum Sq")
        robust = (
            f"Wald F tests under the {res.cov_type} covariance (car::Anova(fit, vcov. = ...)); "
            "sums of squares do not apply"
        )
        note = robust if note is None else f"{note}. {robust}"
    return table, note


def anova_table(res: OLSResults, type: Any = 1) -> AnovaTable:
    """The ANOVA table of a fit; see :meth:`OLSResults.anova`."""
    if isinstance(type, bool) or type not in (1, 2, 3, "I", "II", "III"):
        raise InputError(f"type={type!r} is not known; use 1 (sequential), 2 or 3")
    kind = {"I": 1, "II": 2, "III": 3}.get(type, type)
    if res.df_resid <= 0:
        raise InputError(
            "the fit has no residual degrees of freedom, so there is no error variance to "
            "test the terms against"
        )
    if kind == 1:
        if res.cov_type != "nonrobust":
            raise InputError(
                f"sequential (Type I) sums of squares assume the classical covariance, and "
                f"this fit uses {res.cov_type}; use type=2 or type=3, which use it (as "
                "car::Anova(fit, vcov. = ...))"
            )
        table, note = _sequential(res), None
    else:
        table, note = _tests(res, int(kind))
    table["Df"] = table["Df"].astype(int)
    return AnovaTable(
        table=table,
        type=int(kind),
        response=res.design.response_name,
        cov_type=res.cov_type,
        note=note,
    )
