"""Several fitted models side by side: the numbers of a regression table.

``linmod.table([m1, m2, m3])`` lines up the coefficients of several fits by term name
(as R's ``modelsummary``, ``fixest::etable`` or ``stargazer``): each model's estimate, a
statistic beneath it in parentheses (standard error, t value or confidence interval),
R's significance stars, then the fit statistics (N, R², adjusted R², σ, F, AIC, BIC).
This module holds the numbers as data (:class:`ModelTable`); text, Markdown, LaTeX and
HTML come from :mod:`linmod.report.model_table` through :mod:`linmod._registry`.

OLS fits show the standard errors of their own covariance (a robust fit's table says
which); a penalised fit (ridge, Lasso, elastic net) has no valid standard errors, so it
shows its coefficients only, with N and R², and the table says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linmod._registry import implementation
from linmod.exceptions import InputError, LinmodError
from linmod.inference.prediction import check_level
from linmod.inference.results import OLSResults

__all__ = ["FIT_STATISTICS", "STATISTICS", "ModelTable", "model_table", "table"]

#: What may stand in parentheses under an estimate.
STATISTICS = ("std_err", "t_value", "conf_int")

#: The fit statistics, in the order shown: (row label, OLSResults attribute).
FIT_STATISTICS = (
    ("N", "n_obs"),
    ("R2", "r_squared"),
    ("Adj. R2", "adj_r_squared"),
    ("Sigma", "sigma"),
    ("F", "f_statistic"),
    ("AIC", "aic"),
    ("BIC", "bic"),
)


@dataclass(frozen=True)
class ModelTable:
    """Coefficients and fit statistics of several models, aligned by term.

    Attributes
    ----------
    names : tuple of str
        The column (model) names.
    estimates, std_err, t_value, p_value, lower, upper : DataFrame
        Terms (rows, in order of first appearance) by models; NaN where a model has no such
        term, where it is aliased, or (all but ``estimates``) for a penalised fit.
    present : DataFrame of bool
        Whether each model has each term (an aliased term is present, with NaN estimate).
    fit_statistics : DataFrame
        The rows of :data:`FIT_STATISTICS` by models (NaN where a model has none).
    covariance : tuple of str
        Per model, what its standard errors are: ``"classical"``, a robust kind such as
        ``"HC3"`` or ``"HAC (lags=3)"``, or ``"none (lasso, alpha=0.1)"``.
    statistic : {"std_err", "t_value", "conf_int"}
        What the renderers show in parentheses.
    level : float
        Coverage of ``lower``/``upper``.
    stars : bool
        Whether the renderers add R's significance codes.
    """

    names: tuple[str, ...]
    estimates: pd.DataFrame
    std_err: pd.DataFrame
    t_value: pd.DataFrame
    p_value: pd.DataFrame
    lower: pd.DataFrame
    upper: pd.DataFrame
    present: pd.DataFrame
    fit_statistics: pd.DataFrame
    covariance: tuple[str, ...]
    statistic: str = "std_err"
    level: float = 0.95
    stars: bool = True

    @property
    def terms(self) -> pd.Index:
        """The terms, in order of first appearance across the models."""
        return self.estimates.index

    def render(self, format: str = "text", digits: int = 3) -> str:
        """The table as ``"text"``, ``"markdown"``, ``"latex"`` or ``"html"``.

        Parameters
        ----------
        format : {"text", "markdown", "latex", "html"}
        digits : int
            Decimals of the estimates and statistics (fit statistics: see the renderer).
        """
        text: str = implementation("render_model_table")(self, format, digits)
        return text

    def __str__(self) -> str:
        return self.render("text")

    def _repr_html_(self) -> str:
        return self.render("html")


def _covariance(res: OLSResults) -> str:
    if res.cov_type == "nonrobust":
        return "classical"
    if res.cov_type == "HAC" and res.hac_lags is not None:
        return f"HAC (lags={res.hac_lags})"
    return res.cov_type


def _column(model: Any, level: float) -> tuple[pd.DataFrame, dict[str, float], str]:
    """One model's coefficient frame, fit statistics and covariance label."""
    if isinstance(model, OLSResults):
        frame = model.to_frame(level)
        stats = {label: float(getattr(model, attribute)) for label, attribute in FIT_STATISTICS}
        return frame, stats, _covariance(model)
    penalty = getattr(model, "penalty", None)
    coef = getattr(model, "coef", None)
    if penalty is not None and isinstance(coef, pd.Series):
        frame = pd.DataFrame({"coef": coef.to_numpy(dtype=float)}, index=coef.index)
        for column in ("std_err", "t_value", "p_value", "lower", "upper"):
            frame[column] = np.nan
        stats = {label: np.nan for label, _ in FIT_STATISTICS}
        stats["N"] = float(model.n_obs)
        with contextlib.suppress(LinmodError):  # a streamed fit may lack R²'s sums
            stats["R2"] = float(model.r_squared)
        return frame, stats, f"none ({penalty}, alpha={model.alpha:.4g})"
    raise InputError(
        f"linmod.table() takes fitted models (linmod.ols results, robust or not, or "
        f"ridge/lasso/elastic_net fits), not {type(model).__name__}; for an estimator pass "
        "its .results_"
    )


def model_table(
    models: Sequence[Any] | Any,
    names: Sequence[str] | None = None,
    statistic: str = "std_err",
    level: float = 0.95,
    stars: bool = True,
) -> ModelTable:
    """Line up several fitted models by term: coefficients, statistics, fit statistics.

    Parameters
    ----------
    models : sequence of fitted models, or a dict name -> model
        :func:`linmod.ols` results (any covariance) and penalised fits
        (:func:`linmod.ridge`, :func:`linmod.lasso`, :func:`linmod.elastic_net`: estimates
        only). A single model is accepted too.
    names : sequence of str, optional
        Column headings; default ``"(1)"``, ``"(2)"``, ... (or the dict's keys).
    statistic : {"std_err", "t_value", "conf_int"}
        What goes in parentheses under each estimate.
    level : float
        Coverage of the intervals for ``statistic="conf_int"``.
    stars : bool
        Add R's significance codes (``***`` p < 0.001, ``**`` 0.01, ``*`` 0.05, ``.`` 0.1).

    Returns
    -------
    ModelTable
        ``print(table)`` for text, ``table.render("markdown" | "latex" | "html")``.

    Raises
    ------
    InputError
        For no models, an unknown ``statistic``, names that do not match the models, or an
        object that is not a fitted model.
    """
    if isinstance(models, dict):
        names = [str(k) for k in models] if names is None else names
        models = list(models.values())
    elif not isinstance(models, Sequence) or isinstance(models, str):
        models = [models]
    models = list(models)
    if not models:
        raise InputError("linmod.table() needs at least one fitted model, e.g. table([m1, m2])")
    if statistic not in STATISTICS:
        raise InputError(
            f"statistic={statistic!r} is not known; use 'std_err', 't_value' or 'conf_int'"
        )
    level = check_level(level)
    labels = [f"({i + 1})" for i in range(len(models))] if names is None else list(names)
    if len(labels) != len(models) or len(set(labels)) != len(labels):
        raise InputError(
            f"names={list(labels)!r} must give {len(models)} different names, one per model"
        )
    columns = [_column(model, level) for model in models]
    terms: list[str] = []
    for frame, _, _ in columns:
        terms.extend(str(t) for t in frame.index if str(t) not in terms)
    index = pd.Index(terms, name="term")

    def wide(field: str) -> pd.DataFrame:
        data = {
            label: pd.Series(frame[field].to_numpy(), index=[str(t) for t in frame.index])
            for label, (frame, _, _) in zip(labels, columns, strict=True)
        }
        return pd.DataFrame(data, index=index, columns=labels).reindex(index)

    statistics = pd.DataFrame(
        {label: stats for label, (_, stats, _) in zip(labels, columns, strict=True)},
        index=[label for label, _ in FIT_STATISTICS],
        columns=labels,
    )
    return ModelTable(
        names=tuple(labels),
        estimates=wide("coef"),
        std_err=wide("std_err"),
        t_value=wide("t_value"),
        p_value=wide("p_value"),
        lower=wide("lower"),
        upper=wide("upper"),
        present=pd.DataFrame(
            {
                label: index.isin([str(t) for t in frame.index])
                for label, (frame, _, _) in zip(labels, columns, strict=True)
            },
            index=index,
        ),
        fit_statistics=statistics,
        covariance=tuple(label for _, _, label in columns),
        statistic=statistic,
        level=level,
        stars=stars,
    )


#: ``linmod.table``: the public name of :func:`model_table`.
table = model_table
