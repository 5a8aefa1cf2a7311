"""Wald tests and t tests of linear hypotheses ``R b = r`` on a fit's coefficients.

``wald_test`` is car's ``linearHypothesis`` (and statsmodels' ``wald_test``): the
statistic ``W = (R b - r)' (R V R')^-1 (R b - r)`` under the fit's covariance ``V``
(classical, HC, HAC or any other the fit carries), referred to ``F(q, df_resid)`` as
``W / q`` or to ``chi2(q)``.  ``t_test`` is statsmodels' ``t_test`` and multcomp's
``glht``: each constraint on its own, with estimate, standard error, t, p and interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special

from linmod._registry import implementation
from linmod.exceptions import InputError
from linmod.inference.constraints import LinearHypothesis, describe_constraint, parse_hypotheses
from linmod.inference.prediction import check_level

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["TTestResult", "WaldTestResult", "check_hypothesis", "t_test", "wald_test"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class WaldTestResult:
    """A joint test of linear constraints on the coefficients.

    Attributes
    ----------
    statistic : float
        ``F = W / q`` (``distribution == "F"``) or the Wald chi-square ``W``.
    df_num : int
        Number of constraints ``q``.
    df_denom : float
        Residual degrees of freedom of the F form (``inf`` for the chi-square form).
    p_value : float
        Upper-tail probability (from a survival function).
    distribution : str
        ``"F"`` or ``"chi2"``.
    hypotheses : tuple of str
        The null hypothesis, one constraint per entry, in words (``"wt - hp = 0"``).
    matrix : DataFrame
        ``R``: one row per constraint, one column per coefficient.
    rhs : ndarray
        ``r``.
    cov_type : str
        The covariance the test used (``"nonrobust"``, ``"HC3"``, ``"HAC"``, ...).
    """

    statistic: float
    df_num: int
    df_denom: float
    p_value: float
    distribution: str
    hypotheses: tuple[str, ...]
    matrix: pd.DataFrame
    rhs: Float
    cov_type: str

    @property
    def null_hypothesis(self) -> str:
        """The null hypothesis in words: the constraints joined by "and"."""
        return " and ".join(self.hypotheses)

    def to_dict(self) -> dict[str, Any]:
        """The results as plain data (statistic, df, p-value, hypotheses, R and r)."""
        return {
            "statistic": self.statistic,
            "df_num": self.df_num,
            "df_denom": self.df_denom,
            "p_value": self.p_value,
            "distribution": self.distribution,
            "hypotheses": list(self.hypotheses),
            "R": self.matrix.to_numpy().tolist(),
            "r": self.rhs.tolist(),
            "names": list(self.matrix.columns),
            "cov_type": self.cov_type,
        }

    def summary(self) -> str:
        """The test as text, in the layout of car's ``linearHypothesis`` print-out."""
        text: str = implementation("render_wald_test")(self)
        return text

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class TTestResult:
    """Separate t tests of linear combinations of the coefficients.

    Attributes
    ----------
    table : DataFrame
        One row per constraint (indexed by it in words): ``estimate`` (``R b``), ``rhs``
        (``r``), ``std_err``, ``t_value`` (``(R b - r) / se``), ``p_value`` (two-sided),
        ``lower``, ``upper`` (interval for ``R b`` at ``level``).
    df : int
        Degrees of freedom of the t distribution (the residual degrees of freedom).
    level : float
        Coverage of the intervals.
    cov_type : str
        The covariance the standard errors come from.
    matrix : DataFrame
        ``R``.
    """

    table: pd.DataFrame
    df: int
    level: float
    cov_type: str
    matrix: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """The table as text, in the layout of multcomp's ``summary(glht(...))``."""
        text: str = implementation("render_t_test")(self)
        return text

    def __str__(self) -> str:
        return self.summary()


def _matrix_form(matrix: Any, rhs: Any, names: Sequence[str]) -> LinearHypothesis:
    p = len(names)
    if isinstance(matrix, pd.DataFrame):
        unknown = [str(c) for c in matrix.columns if str(c) not in names]
        if unknown:
            raise InputError(
                f"hypothesis matrix column {unknown[0]!r} is not a coefficient of the model "
                f"(coefficients: {', '.join(names)})"
            )
        matrix = matrix.reindex(columns=list(names), fill_value=0.0)
    try:
        array = np.atleast_2d(np.asarray(matrix, dtype=float))
    except (TypeError, ValueError):
        raise InputError(
            f"the hypothesis matrix R must be numeric (one row per constraint, {p} columns), "
            f"got {type(matrix).__name__}"
        ) from None
    if array.ndim != 2 or array.shape[1] != p or array.shape[0] == 0:
        raise InputError(
            f"the hypothesis matrix R has shape {array.shape}; it needs one row per constraint "
            f"and one column per coefficient ({p}: {', '.join(names)})"
        )
    if not np.isfinite(array).all():
        raise InputError("the hypothesis matrix R has missing or infinite entries")
    q = array.shape[0]
    values = np.zeros(q) if rhs is None else np.asarray(rhs, dtype=float).reshape(-1)
    if values.shape == (1,) and q > 1:
        values = np.repeat(values, q)
    if values.shape != (q,) or not np.isfinite(values).all():
        raise InputError(
            f"r must hold {q} finite value(s), one per row of R; got {np.shape(rhs)} values"
        )
    empty = np.flatnonzero(~array.any(axis=1))
    if empty.size:
        raise InputError(f"row {empty[0] + 1} of R is all zeros: it constrains no coefficient")
    labels = tuple(describe_constraint(row, v, names) for row, v in zip(array, values, strict=True))
    return LinearHypothesis(array, values, labels)


def check_hypothesis(
    res: OLSResults, hypotheses: Any, rhs: Any = None, *, joint: bool = True
) -> LinearHypothesis:
    """Read a hypothesis (text or ``R``, ``r``) and refuse what cannot be tested.

    Parameters
    ----------
    res : OLSResults
    hypotheses : str, sequence of str, array-like or DataFrame
        Text constraints, or the matrix ``R``.
    rhs : array-like, optional
        ``r`` for the matrix form (default zeros); not allowed with text.
    joint : bool
        Whether the constraints are tested jointly (then they must be linearly independent).

    Returns
    -------
    LinearHypothesis

    Raises
    ------
    InputError
        For unknown names, constraints on aliased coefficients, or (``joint``) redundant or
        inconsistent constraints.
    """
    names = tuple(str(n) for n in res.names)
    if isinstance(hypotheses, (list, tuple)) and len(hypotheses) == 0:
        raise InputError("hypotheses is empty; give constraints such as 'wt = hp, hp = 0'")
    text = isinstance(hypotheses, str) or (
        isinstance(hypotheses, (list, tuple))
        and len(hypotheses) > 0
        and all(isinstance(h, str) for h in hypotheses)
    )
    if text:
        if rhs is not None:
            raise InputError(
                "r= goes with a matrix R; with text, write the value in the constraint ('wt = 1')"
            )
        hypothesis = parse_hypotheses(hypotheses, names)
    else:
        hypothesis = _matrix_form(hypotheses, rhs, names)
    aliased = [names[j] for j in np.flatnonzero(hypothesis.matrix.any(axis=0) & ~res._kept)]
    if aliased:
        raise InputError(
            f"the hypothesis involves aliased coefficient(s) {', '.join(map(repr, aliased))}, "
            "which the data cannot estimate (see res.dependencies); test estimable "
            "combinations only, or drop the aliased column"
        )
    if joint:
        _check_independent(hypothesis)
    return hypothesis


def _check_independent(hypothesis: LinearHypothesis) -> None:
    matrix = hypothesis.matrix
    scale = np.max(np.abs(matrix))
    for i in range(1, matrix.shape[0]):
        rank = np.linalg.matrix_rank(matrix[: i + 1], tol=1e-10 * scale * matrix.shape[1])
        if rank <= i:
            previous = matrix[:i]
            weights = sla.lstsq(previous.T, matrix[i], check_finite=False)[0]
            implied = float(weights @ hypothesis.rhs[:i])
            label = hypothesis.labels[i]
            if np.isclose(implied, hypothesis.rhs[i], rtol=1e-10, atol=1e-12):
                raise InputError(
                    f"constraint {i + 1} ({label!r}) is redundant: it follows from the ones "
                    "before it, so R is rank-deficient; drop it"
                )
            raise InputError(
                f"constraint {i + 1} ({label!r}) is inconsistent with the ones before it "
                f"(they imply the value {implied:g}): no coefficients satisfy them all"
            )


def _parts(res: OLSResults, hypothesis: LinearHypothesis) -> tuple[Float, Float]:
    """``R b - r`` and ``R V R'`` for the estimable coefficients."""
    kept = res._kept
    matrix = hypothesis.matrix[:, kept]
    coef = res.solution.coef[kept]
    cov = res.cov_params().to_numpy()[np.ix_(kept, kept)]
    if not np.isfinite(cov).all():
        raise InputError(
            f"the {res.cov_type} covariance of this fit has non-finite entries (e.g. HC3 with "
            "a leverage of 1), so no test can use it; use another covariance"
        )
    return matrix @ coef - hypothesis.rhs, matrix @ cov @ matrix.T


def wald_test(
    res: OLSResults, hypotheses: Any, rhs: Any = None, use_f: bool = True
) -> WaldTestResult:
    """Test linear constraints jointly; see :meth:`OLSResults.wald_test`."""
    hypothesis = check_hypothesis(res, hypotheses, rhs)
    difference, middle = _parts(res, hypothesis)
    q = difference.shape[0]
    try:
        solved = sla.solve(middle, difference, assume_a="pos", check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        raise InputError(
            f"R V R' is singular under the {res.cov_type} covariance: the constraints are "
            "not separately estimable with it; test fewer constraints"
        ) from None
    wald = float(difference @ solved)
    if use_f:
        statistic, df_denom = wald / q, float(res.df_resid)
        p = float(special.fdtrc(q, df_denom, statistic)) if df_denom > 0 else float("nan")
        distribution = "F"
    else:
        statistic, df_denom = wald, float("inf")
        p = float(special.chdtrc(q, statistic))
        distribution = "chi2"
    return WaldTestResult(
        statistic=statistic,
        df_num=q,
        df_denom=df_denom,
        p_value=p,
        distribution=distribution,
        hypotheses=hypothesis.labels,
        matrix=pd.DataFrame(hypothesis.matrix, index=hypothesis.labels, columns=res.names),
        rhs=hypothesis.rhs,
        cov_type=res.cov_type,
    )


def t_test(res: OLSResults, hypotheses: Any, rhs: Any = None, level: float = 0.95) -> TTestResult:
    """Test each linear combination on its own; see :meth:`OLSResults.t_test`."""
    level = check_level(level)
    hypothesis = check_hypothesis(res, hypotheses, rhs, joint=False)
    difference, middle = _parts(res, hypothesis)
    estimate = difference + hypothesis.rhs
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.diag(middle))
        t = difference / se
    df = res.df_resid
    if df > 0:
        p = 2.0 * special.stdtr(df, -np.abs(t))
        quantile = -special.stdtrit(df, (1.0 - level) / 2.0)
    else:
        p, quantile = t * np.nan, np.nan
    table = pd.DataFrame(
        {
            "estimate": estimate,
            "rhs": hypothesis.rhs,
            "std_err": se,
            "t_value": t,
            "p_value": p,
            "lower": estimate - quantile * se,
            "upper": estimate + quantile * se,
        },
        index=pd.Index(hypothesis.labels, name="hypothesis"),
    )
    return TTestResult(
        table=table,
        df=df,
        level=level,
        cov_type=res.cov_type,
        matrix=pd.DataFrame(hypothesis.matrix, index=hypothesis.labels, columns=res.names),
    )
