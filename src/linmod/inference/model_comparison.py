"""Comparing nested fits: F tests (R's ``anova(m1, m2)``) and likelihood ratios (``lrtest``).

Both compare consecutive models in the order given, and both need the models fitted on
the same rows, each model's columns inside the span of the next one's (or the other way
round): otherwise the differences of residual sums of squares or log-likelihoods test
nothing, and the models are refused with the reason.
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

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["ModelComparison", "anova", "lr_test"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class ModelComparison:
    """A table comparing nested models, one row per model.

    Attributes
    ----------
    table : DataFrame
        F tests (``anova``): ``Res.Df``, ``RSS``, ``Df``, ``Sum of Sq``, ``F``, ``Pr(>F)``;
        likelihood ratios (``lr_test``): ``#Df``, ``LogLik``, ``Df``, ``Chisq``,
        ``Pr(>Chisq)``.  Rows are numbered from 1 in the order the models were given.
    test : str
        ``"F"`` or ``"LR"``.
    formulas : tuple of str
        Each model's formula (or ``y ~ X`` with its columns, for array fits).
    """

    table: pd.DataFrame
    test: str
    formulas: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        """The table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """The table as text, in the layout of R's ``anova`` / lmtest's ``lrtest``."""
        text: str = implementation("render_model_comparison")(self)
        return text

    def __str__(self) -> str:
        return self.summary()


def _formula(res: OLSResults) -> str:
    if res.design.formula:
        return res.design.formula
    columns = [str(n) for n in res.names if n != "Intercept"]
    return f"{res.design.response_name} ~ {' + '.join(columns) or '1'}"


def _check_models(models: Sequence[Any], what: str) -> list[OLSResults]:
    from linmod.inference.results import OLSResults  # same layer; the module imports us not

    if len(models) == 1 and isinstance(models[0], (list, tuple)):
        models = list(models[0])
    if len(models) < 2:
        raise InputError(f"{what} compares two or more fits, e.g. {what}(small, large)")
    for i, model in enumerate(models, start=1):
        if not isinstance(model, OLSResults):
            raise InputError(
                f"model {i} is a {type(model).__name__}, not an OLS fit from linmod.ols()"
            )
        model._require_data(f"{what}() (which checks that the models are nested)")
        if model.cov_type != "nonrobust":
            raise InputError(
                f"model {i} uses the {model.cov_type} covariance, but {what}() compares "
                "residual sums of squares or likelihoods, which assume the classical one; "
                "for a robust comparison test the extra terms with "
                "larger.robust(...).wald_test('x2 = 0, x3 = 0')"
            )
    first = models[0]
    for i, model in enumerate(models[1:], start=2):
        _same_rows(first, model, i)
    for i in range(1, len(models)):
        _nested(models[i - 1], models[i], i, i + 1)
    return list(models)


def _same_rows(first: OLSResults, other: OLSResults, i: int) -> None:
    a, b = first.design, other.design
    if a.response_name != b.response_name:
        raise InputError(
            f"model {i} explains {b.response_name!r} but model 1 explains "
            f"{a.response_name!r}; nested models share the response"
        )
    if first.n_obs != other.n_obs:
        raise InputError(
            f"model 1 was fitted on {first.n_obs} rows and model {i} on {other.n_obs} "
            f"(rows dropped for missing values: {a.n_dropped} and {b.n_dropped}); fit both on "
            "the same rows, e.g. drop the incomplete rows of every variable first"
        )
    if not a.row_labels.equals(b.row_labels) or not np.array_equal(a.y, b.y):
        raise InputError(
            f"models 1 and {i} were fitted on different rows (the same number, but other rows "
            "or other response values); fit both on the same data"
        )


def _kept_columns(res: OLSResults) -> Float:
    x = res.design.x[:, res._kept]
    scale = np.max(np.abs(x), axis=0)
    scale[scale == 0] = 1.0
    return x / scale


def _nested(a: OLSResults, b: OLSResults, i: int, j: int) -> None:
    small, large, s, t = (a, b, i, j) if a.rank <= b.rank else (b, a, j, i)
    q, _ = sla.qr(_kept_columns(large), mode="economic", check_finite=False)
    x = _kept_columns(small)
    outside = np.linalg.norm(x - q @ (q.T @ x), axis=0) / np.linalg.norm(x, axis=0)
    bad = np.flatnonzero(outside > 1e-8)
    if bad.size:
        name = np.asarray(small.names)[small._kept][bad[0]]
        raise InputError(
            f"models {i} and {j} are not nested: column {name!r} of model {s} is not a "
            f"combination of model {t}'s columns; these tests compare a model with a larger "
            "one that contains it (for non-nested models compare AIC or use cross-validation)"
        )


def anova(*models: Any) -> ModelComparison:
    """F tests between nested fits, as R's ``anova(m1, m2, ...)``.

    Parameters
    ----------
    *models : OLSResults
        Two or more fits on the same rows, each nested in the next (or containing it).

    Returns
    -------
    ModelComparison
        ``Res.Df``, ``RSS``, ``Df``, ``Sum of Sq``, ``F``, ``Pr(>F)``; the F tests use the
        error variance of the largest model.

    Raises
    ------
    InputError
        For fewer than two fits, fits on different rows or responses, models that are not
        nested (naming the column that is not), robust fits, and fits without held rows.

    Examples
    --------
    >>> import linmod
    >>> cars = linmod.datasets.mtcars()
    >>> small = linmod.ols("mpg ~ wt", data=cars)
    >>> large = linmod.ols("mpg ~ wt + hp", data=cars)
    >>> round(linmod.anova(small, large).table.loc[2, "F"], 4)
    9.4164
    """
    fits = _check_models(models, "anova")
    df = np.array([m.df_resid for m in fits], dtype=float)
    rss = np.array([m.ssr for m in fits])
    big = int(np.argmin(df))
    if df[big] <= 0:
        raise InputError("the largest model has no residual degrees of freedom to test against")
    scale = rss[big] / df[big]
    ddf = np.r_[np.nan, -np.diff(df)]
    dss = np.r_[np.nan, -np.diff(rss)]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(ddf == 0, np.nan, dss / ddf / scale)
        p = special.fdtrc(np.abs(ddf), df[big], f)
    table = pd.DataFrame(
        {"Res.Df": df, "RSS": rss, "Df": ddf, "Sum of Sq": dss, "F": f, "Pr(>F)": p},
        index=pd.RangeIndex(1, len(fits) + 1),
    )
    return ModelComparison(table=table, test="F", formulas=tuple(_formula(m) for m in fits))


def lr_test(*models: Any) -> ModelComparison:
    """Likelihood-ratio tests between nested fits, as ``lmtest::lrtest(m1, m2, ...)``.

    Parameters
    ----------
    *models : OLSResults
        Two or more fits on the same rows, each nested in the next (or containing it).

    Returns
    -------
    ModelComparison
        ``#Df`` (parameters with σ²), ``LogLik``, ``Df``, ``Chisq`` (twice the difference
        of log-likelihoods) and ``Pr(>Chisq)``.

    Raises
    ------
    InputError
        As :func:`anova`.
    """
    fits = _check_models(models, "lr_test")
    df = np.array([m.rank + 1 for m in fits], dtype=float)
    loglik = np.array([m.log_likelihood for m in fits])
    ddf = np.r_[np.nan, np.diff(df)]
    chisq = np.r_[np.nan, 2.0 * np.abs(np.diff(loglik))]
    with np.errstate(invalid="ignore"):
        p = np.where(ddf == 0, np.nan, special.chdtrc(np.abs(ddf), chisq))
    table = pd.DataFrame(
        {"#Df": df, "LogLik": loglik, "Df": ddf, "Chisq": chisq, "Pr(>Chisq)": p},
        index=pd.RangeIndex(1, len(fits) + 1),
    )
    return ModelComparison(table=table, test="LR", formulas=tuple(_formula(m) for m in fits))
