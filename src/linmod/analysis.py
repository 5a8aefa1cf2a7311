"""``linmod.analyse``: every computation behind the regression report, in one object.

:func:`analyse` fits the model once and gathers what a full analysis needs: a data
overview, the coefficient table with confidence intervals, fit statistics, the assumption
report, the most influential rows, a cross-validated comparison of OLS, Ridge and Lasso,
and the Lasso regularization path.  The result, :class:`Analysis`, holds computed
objects only; :mod:`linmod.report.html` turns it into an HTML page without computing
anything further.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from linmod.data.formula_responses import refuse_several_responses
from linmod.data.frames import to_pandas
from linmod.data.row_names import set_id_column
from linmod.diagnostics.added_variable import added_variable_columns
from linmod.exceptions import InputError
from linmod.model_selection.comparison import ModelComparison, compare_on_design
from linmod.model_selection.penalty_path import path_from_search
from linmod.models.multi_ols import single_response
from linmod.models.ols import ols
from linmod.models.row_weights import formula_design_weights
from linmod.overview import DataOverview, data_overview
from linmod.solvers.paths import RegularizationPath

if TYPE_CHECKING:
    from linmod.diagnostics.report import AssumptionReport
    from linmod.inference.results import OLSResults

__all__ = [
    "Analysis",
    "DataOverview",
    "FitStatistics",
    "InfluenceSummary",
    "LassoPathSummary",
    "analyse",
]

#: Rows listed in the influence table (largest Cook's distance first).
TOP_INFLUENTIAL = 10
#: Added-variable plots in the report (the coefficients with the largest |t|).
ADDED_VARIABLE_PLOTS = 6


@dataclass(frozen=True)
class FitStatistics:
    """Goodness of fit and the facts of the fit, as reported by R's ``summary.lm``.

    Attributes
    ----------
    n_obs, n_params, rank, df_model, df_resid : int
        Observations, coefficients, estimable coefficients, model and residual degrees of
        freedom.
    r_squared, adj_r_squared : float
        R² (uncentred without an intercept) and adjusted R².
    sigma : float
        Residual standard error.
    f_statistic, f_p_value : float
        Overall F test of every non-intercept coefficient being zero.
    log_likelihood, aic, bic : float
    rmse, mae : float
        In-sample root mean squared and mean absolute residual.
    condition_number : float
        Of the design with columns scaled to unit length.
    solver : str
        The solver that ran.
    cov_type : str
        Covariance of the coefficient table (``"nonrobust"``; ``"HC1"`` for sampling
        weights).
    intercept : bool
    weights : str or None
        What the weights of a weighted fit mean, where they come from and the rows they
        dropped (the summary's line), None without weights.
    """

    n_obs: int
    n_params: int
    rank: int
    df_model: int
    df_resid: int
    r_squared: float
    adj_r_squared: float
    sigma: float
    f_statistic: float
    f_p_value: float
    log_likelihood: float
    aic: float
    bic: float
    rmse: float
    mae: float
    condition_number: float
    solver: str
    cov_type: str
    intercept: bool
    weights: str | None = None


@dataclass(frozen=True)
class InfluenceSummary:
    """The rows with the most influence on the fit.

    Attributes
    ----------
    table : pandas.DataFrame
        At most :data:`TOP_INFLUENTIAL` rows, largest Cook's distance first, indexed by
        row label, with ``observed``, ``fitted``, ``leverage``, ``studentized_residual``,
        ``cooks_distance`` and ``dffits``.
    cooks_threshold : float
        The usual attention mark ``4 / n`` for Cook's distance.
    leverage_threshold : float
        ``2 k / n``, twice the mean leverage.
    n_cooks_over, n_leverage_over, n_outlying : int
        Rows above each mark (``|studentized residual| > 3`` for outlying).
    """

    table: pd.DataFrame
    cooks_threshold: float
    leverage_threshold: float
    n_cooks_over: int
    n_leverage_over: int
    n_outlying: int


@dataclass(frozen=True)
class RobustComparison:
    """OLS beside a robust fit (Huber's M-estimator, :func:`linmod.rlm`), made when rows
    are flagged as outlying (``|studentized residual| > 3``).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per coefficient: ``ols``, ``robust`` and ``shift`` (the difference in
        OLS standard errors: how far the outliers pull the least-squares estimate).
    downweighted : pandas.Series
        The rows the robust fit down-weighted most (shown labels -> final weight, lowest
        first, at most :data:`TOP_INFLUENTIAL`).
    n_downweighted : int
        Rows with weight below 1.
    scale : float
        The robust fit's residual scale (MAD).
    """

    table: pd.DataFrame
    downweighted: pd.Series
    n_downweighted: int
    scale: float


@dataclass(frozen=True)
class LassoPathSummary:
    """The Lasso path on the standardised model matrix, with the penalty chosen by CV.

    Attributes
    ----------
    path : RegularizationPath
        Coefficients of the standardised columns (change in the response per standard
        deviation of the column) on the cross-validation grid, largest penalty first,
        solved to a relative duality gap of
        :data:`linmod.model_selection.penalty_path.PATH_TOL`.
    cv : PenaltySearch
        The fitted cross-validation (its ``cv_curve_`` gives the CV error per penalty,
        its attributes are named as ``LassoCV``'s): the Lasso's choice of penalty on all
        the data in :attr:`Analysis.comparison`, so its ``alpha_`` is the penalty
        reported there.
    alpha_min, alpha_1se : float
        Penalty with the smallest mean CV error, and the largest within one standard
        error of it.
    coefficients : pandas.DataFrame
        Standardised coefficients at ``alpha_min`` and ``alpha_1se`` (columns
        ``alpha_min``, ``alpha_1se``), one row per column of the model matrix.
    """

    path: RegularizationPath
    cv: Any
    alpha_min: float
    alpha_1se: float
    coefficients: pd.DataFrame


@dataclass(frozen=True)
class Analysis:
    """A complete regression analysis of one formula on one data set.

    Create it with :func:`analyse`; render it with :func:`linmod.report.render_html` or
    :func:`linmod.report.write_report`.

    Attributes
    ----------
    formula : str
    results : OLSResults
        The OLS fit.
    overview : DataOverview
    coefficients : pandas.DataFrame
        ``coef``, ``std_err``, ``t_value``, ``p_value``, ``lower``, ``upper`` (confidence
        level ``1 - alpha``) and ``aliased``, one row per term; NaN where aliased.
    dependencies : tuple of str
        Each aliased column written in terms of the others, e.g. ``"wt2 = 2·wt"``.
    fit : FitStatistics
    assumptions : AssumptionReport
        From ``results.check(alpha=alpha)``.
    influence : InfluenceSummary
    comparison : ModelComparison
        Cross-validated OLS, Ridge and Lasso on the same folds.
    lasso : LassoPathSummary
    alpha : float
        Significance level of the tests; the intervals have level ``1 - alpha``.
    folds, seed : int
        Cross-validation folds and the seed of their assignment.
    added_variable : tuple of str
        The coefficients given an added-variable plot: the :data:`ADDED_VARIABLE_PLOTS`
        with the largest ``|t|`` (:func:`linmod.diagnostics.added_variable.added_variable_columns`).
    n_added_variable_candidates : int
        Estimable non-intercept coefficients they were chosen from.
    robust : RobustComparison or None
        OLS against a Huber fit, when some row is outlying; None otherwise (or when the
        design is rank deficient, which robust regression refuses).
    order_by : str, array-like or None
        The row order of the independence tests and the autocorrelation plot.
    """

    formula: str
    results: OLSResults
    overview: DataOverview
    coefficients: pd.DataFrame
    dependencies: tuple[str, ...]
    fit: FitStatistics
    assumptions: AssumptionReport
    influence: InfluenceSummary
    comparison: ModelComparison
    lasso: LassoPathSummary
    alpha: float
    folds: int
    seed: int
    added_variable: tuple[str, ...] = ()
    n_added_variable_candidates: int = 0
    robust: RobustComparison | None = None
    order_by: Any = None

    @property
    def confidence_level(self) -> float:
        """Level of the confidence intervals, ``1 - alpha``."""
        return 1.0 - self.alpha


def _fit_statistics(res: OLSResults) -> FitStatistics:
    from linmod.inference.weighted import describe_weights

    described = describe_weights(res)
    return FitStatistics(
        n_obs=res.n_obs,
        n_params=len(res.names),
        rank=res.rank,
        df_model=res.df_model,
        df_resid=res.df_resid,
        r_squared=res.r_squared,
        adj_r_squared=res.adj_r_squared,
        sigma=res.sigma,
        f_statistic=res.f_statistic,
        f_p_value=res.f_p_value,
        log_likelihood=res.log_likelihood,
        aic=res.aic,
        bic=res.bic,
        rmse=res.rmse,
        mae=res.mae,
        condition_number=float(res.condition_number),
        solver=str(res.solution.method),
        cov_type=res.cov_type,
        intercept=bool(res.design.intercept),
        weights=described[0].removeprefix("Weights: ") if described else None,
    )


def _influence(res: OLSResults) -> InfluenceSummary:
    measures = res.influence()
    n, k = res.n_obs, res.rank
    observed = res.design.y if res.weights is None else res.weights.y  # not sqrt(w) y
    table = pd.DataFrame(
        {
            "observed": observed,
            "fitted": res.fitted.to_numpy(),
            "leverage": measures["leverage"].to_numpy(),
            "studentized_residual": measures["studentized_residual"].to_numpy(),
            "cooks_distance": measures["cooks_distance"].to_numpy(),
            "dffits": measures["dffits"].to_numpy(),
        },
        index=res.design.shown_row_labels,
    )
    order = np.argsort(-np.nan_to_num(table["cooks_distance"].to_numpy(), nan=-np.inf))
    top = table.iloc[order[: min(TOP_INFLUENTIAL, n)]]
    cooks = 4.0 / n
    leverage = 2.0 * k / n
    with np.errstate(invalid="ignore"):
        return InfluenceSummary(
            table=top,
            cooks_threshold=cooks,
            leverage_threshold=leverage,
            n_cooks_over=int(np.sum(table["cooks_distance"].to_numpy() > cooks)),
            n_leverage_over=int(np.sum(table["leverage"].to_numpy() > leverage)),
            n_outlying=int(np.sum(np.abs(table["studentized_residual"].to_numpy()) > 3.0)),
        )


def _robust_comparison(
    formula: str, frame: pd.DataFrame, missing: str, res: OLSResults, weights: Any = None
) -> RobustComparison | None:
    from linmod.models.rlm import rlm

    try:
        robust = rlm(formula, data=frame, missing=missing, weights=weights)  # type: ignore[arg-type]
    except InputError:  # e.g. aliased terms: rlm needs a full-rank design
        return None
    ols_table = res.to_frame()
    table = pd.DataFrame(
        {
            "ols": ols_table["coef"],
            "robust": robust.coef,
            "shift": (robust.coef - ols_table["coef"]) / ols_table["std_err"],
        }
    )
    weights = robust.weights
    low = weights[weights < 1.0].sort_values(kind="stable")
    design = robust.design
    shown = design.shown_row_labels[design.row_labels.get_indexer(low.index)]
    top = pd.Series(low.to_numpy(), index=shown, name="weight").iloc[:TOP_INFLUENTIAL]
    return RobustComparison(
        table=table, downweighted=top, n_downweighted=len(low), scale=robust.scale
    )


def _lasso_path(formula: str, design: Any, w: Any, comparison: ModelComparison) -> LassoPathSummary:
    # The comparison's own Lasso cross-validation, so both report the same alpha_.
    result = path_from_search(
        formula, design, w, comparison.searches["lasso"], penalty="lasso", standardized=True
    )
    coefficients = pd.DataFrame(
        {
            "alpha_min": result.coef_at(result.alpha_min).to_numpy(),
            "alpha_1se": result.coef_at(result.alpha_1se).to_numpy(),
        },
        index=pd.Index(list(result.path.feature_names), name="term"),
    )
    return LassoPathSummary(
        path=result.path,
        cv=result.cv,
        alpha_min=result.alpha_min,
        alpha_1se=result.alpha_1se,
        coefficients=coefficients,
    )


def analyse(
    formula: str,
    data: pd.DataFrame,
    *,
    missing: str = "raise",
    folds: int = 5,
    seed: int = 0,
    alpha: float = 0.05,
    id: str | None = None,
    weights: Any = None,
    weights_type: str = "precision",
    order_by: Any = None,
) -> Analysis:
    """Run the complete analysis behind the regression report.

    Parameters
    ----------
    formula : str
        A formula such as ``"price ~ square_feet + C(garage)"``.
    data : pandas.DataFrame
        The data (a polars DataFrame or a dict of columns is converted).
    missing : {"raise", "drop"}
        Refuse incomplete rows (default, naming them) or drop them; dropped rows are
        counted in the data overview.
    folds : int, default=5
        Folds of the cross-validated model comparison and of the Lasso's choice of penalty.
    seed : int, default=0
        Seeds the (shuffled) fold assignment.
    alpha : float, default=0.05
        Significance level of the assumption tests; confidence intervals have level
        ``1 - alpha``.
    id : str, optional
        A column whose values label the rows in every table and plot (see
        :func:`linmod.ols`); it takes no part in the models (``"y ~ ."`` leaves it out).
    weights : str or array-like, optional
        Observation weights, as for :func:`linmod.ols`: a column of ``data`` (left out of
        ``"y ~ ."``) or one weight per row.  Every part of the analysis follows them: the
        weighted fit and its assumption checks and influence measures, the robust fit
        (row weights times Huber's), the cross-validated comparison (weighted fits and
        held-out errors) and the Lasso path (weighted objective and standardisation).
    weights_type : {"precision", "frequency", "sampling"}
        Their declared meaning (see :func:`linmod.ols`).
    order_by : str or array-like, optional
        The order of the rows for the independence tests and the residual
        autocorrelation plot, e.g. a date column (see :meth:`OLSResults.check`); default
        the row order.

    Returns
    -------
    Analysis

    Raises
    ------
    InputError
        For an invalid formula (or one without predictors), data, ``missing``, ``folds``,
        ``seed`` or ``alpha``, or data too small for ``folds``-fold cross-validation.

    Examples
    --------
    >>> import linmod
    >>> from linmod.analysis import analyse
    >>> a = analyse("price ~ square_feet + bedrooms + age", linmod.datasets.house_prices())
    >>> a.fit.n_obs, list(a.comparison.to_frame().index)
    (500, ['ols', 'ridge', 'lasso'])
    """
    if not isinstance(formula, str):
        raise InputError(f"formula must be a string such as 'y ~ x1 + x2', got {formula!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, float | int) or not 0 < alpha < 1:
        raise InputError(f"alpha={alpha!r} must lie strictly between 0 and 1, e.g. 0.05")
    if isinstance(folds, bool) or not isinstance(folds, int | np.integer) or folds < 2:
        raise InputError(f"folds={folds!r} is not valid: give an integer ≥ 2")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise InputError(f"seed={seed!r} is not valid: give an integer")
    refuse_several_responses(formula, "analyse()")  # before any fit
    frame = to_pandas(data)
    if id is not None:
        frame = set_id_column(frame, id, formula)
    weighting = {"weights": weights, "weights_type": weights_type}
    res = single_response(
        ols(formula, data=frame, missing=missing, **weighting),  # type: ignore[arg-type]
        "analyse()",
    )
    if len(res.names) == int(res.design.intercept):
        raise InputError(
            f"formula {formula!r} has no predictor, only "
            f"{'an intercept' if res.design.intercept else 'nothing'}: the analysis compares "
            "models of the response on predictors; add terms, e.g. 'y ~ x1 + x2'"
        )
    coefficients = res.to_frame(level=1.0 - float(alpha))
    coefficients["aliased"] = res.aliased
    # One design for the comparison and the Lasso path (the OLS fit built its own).
    design, w = formula_design_weights(formula, frame, missing, weights, weights_type)
    comparison = compare_on_design(formula, frame, design, w, folds=int(folds), seed=int(seed))
    ranked = added_variable_columns(res)
    influence = _influence(res)
    robust = (
        _robust_comparison(formula, frame, missing, res, weights)
        if influence.n_outlying > 0
        else None
    )
    return Analysis(
        formula=formula,
        results=res,
        overview=data_overview(frame, res, formula, missing),
        coefficients=coefficients,
        dependencies=tuple(res.dependencies),
        fit=_fit_statistics(res),
        assumptions=res.check(alpha=float(alpha), order_by=order_by),
        influence=influence,
        comparison=comparison,
        lasso=_lasso_path(formula, design, w, comparison),
        alpha=float(alpha),
        folds=int(folds),
        seed=int(seed),
        added_variable=tuple(ranked[:ADDED_VARIABLE_PLOTS]),
        n_added_variable_candidates=len(ranked),
        robust=robust,
        order_by=order_by,
    )
