"""The results of an OLS fit: estimates, inference, fit statistics and prediction.

Conventions follow R's ``lm``/``summary.lm``: aliased coefficients are NaN, R² and the F
test are uncentred when there is no intercept, the log-likelihood counts σ² as a
parameter in AIC/BIC, and p-values come from survival functions (``sf``), never
``1 - cdf``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special  # t and F tails, without importing scipy.stats (0.5 s)

from linmod._cached import cached_property
from linmod._frozen import quick_init
from linmod._registry import implementation
from linmod._series import labelled_series
from linmod.data.design import Design
from linmod.data.weighted_design import RowWeights
from linmod.exceptions import LinmodError
from linmod.inference.cluster import Clusters, cluster_covariance, clustered
from linmod.inference.covariance import (
    LEVERAGE_KINDS,
    default_hac_lags,
    robust_covariance,
    second_pass_covariance,
)
from linmod.inference.fit_statistics import FitStatistics
from linmod.inference.hypothesis_methods import HypothesisTests
from linmod.inference.prediction import check_level, prediction_table
from linmod.inference.totals import FitTotals
from linmod.inference.weighted import expanded_rows, frequency_robust, raw_residuals
from linmod.linalg.scaling import column_scales, scaled_roots
from linmod.solvers.base import SolverResult

if TYPE_CHECKING:
    from linmod.diagnostics.report import AssumptionReport
    from linmod.inference.bootstrap_results import BootstrapResults

__all__ = ["FitTotals", "OLSResults"]

Float = NDArray[np.float64]


@lru_cache(maxsize=64)
def _term_index(names: tuple[str, ...]) -> pd.Index:
    """The (immutable) coefficient Index for these names: refits reuse it, since building a
    string Index costs more than the rest of a small fit's results."""
    return pd.Index(names, name="term")


@quick_init
@dataclass(frozen=True)
class OLSResults(FitStatistics, HypothesisTests):
    """A fitted ordinary-least-squares model.

    Create it with :func:`linmod.ols`.  Tables are pandas objects indexed by term name,
    intercept first, terms in formula order.

    Attributes
    ----------
    design : Design
        The design matrix and response the model was fitted on.
    solution : SolverResult
        The raw solver output.
    solver : str
        The solver that was requested (``solution.method`` says which one ran).
    cov_type : str
        ``"nonrobust"`` or a robust kind (``"HC0"``…``"HC5"``, ``"HAC"``, ``"cluster"``).
    hac_lags : int or None
        Truncation lag when ``cov_type == "HAC"``.
    totals : FitTotals or None
        Set for fits of streamed or distributed data, whose rows are not held: the
        quantities that need the rows (residuals, leverage, …) then raise a clear error.
    clusters : Clusters or None
        The clustering when ``cov_type == "cluster"`` (see :meth:`robust`).
    weights : RowWeights or None
        Set for a weighted fit (``ols(..., weights=)``): the weights, their declared
        meaning and the unscaled rows; ``design`` then holds the rows scaled by
        ``sqrt(w)`` (see :mod:`linmod.inference.weighted`).
    """

    design: Design
    solution: SolverResult
    solver: str = "auto"
    cov_type: str = "nonrobust"
    hac_lags: int | None = None
    totals: FitTotals | None = None
    clusters: Clusters | None = None
    weights: RowWeights | None = None

    @property
    def has_data(self) -> bool:
        """Whether the rows are held (False for streamed and distributed fits)."""
        return self.totals is None

    def _require_data(self, what: str) -> None:
        if self.totals is not None:
            if getattr(self, "diagnostics", None) is not None:
                hint = (
                    "this fit's second pass has the residual statistics: .diagnostics "
                    "(Durbin-Watson, Breusch-Pagan, Jarque-Bera, a sampled Shapiro-Wilk, the "
                    "largest Cook's distances), .mae and .robust(); for the rest fit the data "
                    "in memory"
                )
            else:
                hint = (
                    "fit with second_pass=True for residual-based statistics, or fit the data "
                    "in memory: pass a data frame (e.g. data=pd.read_csv(path)); a file path "
                    "or an iterator of chunks is streamed"
                )
            raise LinmodError(
                f"{what} needs the individual rows, which a streamed or distributed fit does "
                f"not keep; {hint}"
            )

    # ----------------------------------------------------------------- basic facts
    @cached_property
    def names(self) -> pd.Index:
        """Coefficient names: one Index per fit, which its tables share (as a data frame's
        columns share its index); a view of the cached one, so other fits keep theirs."""
        return _term_index(self.design.column_names).view()

    @property
    def n_obs(self) -> int:
        """Number of observations used."""
        if self.totals is not None:
            return self.totals.n_obs
        if self.weights is not None and self.weights.kind == "frequency":
            return round(self.weights.total)  # the rows the weights stand for
        return int(self.design.x.shape[0])

    @property
    def rank(self) -> int:
        """Numerical rank of the design (number of estimable coefficients)."""
        return self.solution.rank

    @property
    def df_resid(self) -> int:
        """Residual degrees of freedom, ``n - rank``."""
        return self.n_obs - self.rank

    @property
    def df_model(self) -> int:
        """Model degrees of freedom (estimable coefficients, intercept excluded)."""
        return self.rank - int(self.design.intercept)

    @property
    def condition_number(self) -> float:
        """2-norm condition number of the design with columns scaled to unit length."""
        return self.solution.condition_number

    @property
    def aliased(self) -> pd.Series:
        """Whether each coefficient is aliased (not estimable), as R's ``alias``."""
        return pd.Series(self.solution.aliased, index=self.names, name="aliased")

    @property
    def dependencies(self) -> list[str]:
        """Each aliased column written in terms of the others, e.g. ``"wt2 = 2·wt"``."""
        names = self.design.column_names
        return [d.describe(names) for d in self.solution.dependencies]

    # ----------------------------------------------------------------- estimates
    @property
    def coef(self) -> pd.Series:
        """Estimated coefficients (NaN where aliased)."""
        return labelled_series(self.solution.coef.copy(), self.names, "coef")

    @property
    def residuals(self) -> pd.Series:
        """Residuals ``y - fitted``, indexed by the rows used."""
        self._require_data("residuals")
        values = self.solution.residuals if self.weights is None else raw_residuals(self)
        return pd.Series(values, index=self.design.row_labels, name="residual")

    @property
    def fitted(self) -> pd.Series:
        """Fitted values, indexed by the rows used."""
        self._require_data("fitted values")
        if self.weights is not None:
            values = self.weights.y - raw_residuals(self)
        else:
            values = self.design.y - self.solution.residuals
        return pd.Series(values, index=self.design.row_labels, name="fitted")

    @cached_property
    def _kept(self) -> NDArray[np.bool_]:
        return ~np.isnan(np.diag(self.solution.cov_unscaled))

    @property
    def f_statistic(self) -> float:
        """F statistic for all non-intercept coefficients being zero.

        With a robust ``cov_type`` it is the Wald statistic ``b' V⁻¹ b / q`` of those
        coefficients under that covariance (statsmodels' ``fvalue`` for a robust fit,
        ``lmtest::waldtest(fit, vcov = sandwich::vcovHC)`` in R), referred to the same
        ``F(q, df_resid)``.
        """
        if self.df_model <= 0 or self.df_resid <= 0:
            return float("nan")
        if self.cov_type == "nonrobust":
            return float((self._ess_scaled / self.df_model) / (sum(self._ssr_dd) / self.df_resid))
        tested = self._kept.copy()
        if self.design.intercept:
            tested[0] = False
        exponents, middle = self._cov_parts
        coef = np.ldexp(self.solution.coef[tested], -exponents[tested])
        cov = middle[np.ix_(tested, tested)]
        try:
            solved = sla.solve(cov, coef, assume_a="pos", check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            solved = sla.lstsq(cov, coef, check_finite=False)[0]
        return float(coef @ solved / coef.shape[0])

    @property
    def f_p_value(self) -> float:
        """p-value of :attr:`f_statistic` (``F.sf``)."""
        if not np.isfinite(self.f_statistic):
            return float("nan")
        return float(special.fdtrc(self.df_model, self.df_resid, self.f_statistic))

    # ----------------------------------------------------------------- inference
    @cached_property
    def _factor(self) -> tuple[Float, Float, Float]:
        """Power-of-two scales and thin QR factors ``xk * scales = q @ r`` of the kept columns."""
        xk = self.design.x[:, self._kept]
        scales = column_scales(xk)
        q, r = sla.qr(xk * scales, mode="economic", check_finite=False)
        return scales, q, r

    @cached_property
    def leverage(self) -> pd.Series:
        """Hat values ``h_i = x_i' (X'X)^-1 x_i``, computed without forming the n×n hat matrix."""
        self._require_data("leverage")
        # Row norms of Q from a thin QR of the column-scaled design: accurate to rounding,
        # where x_i' (X'X)^-1 x_i would lose cond(X) digits; O(n k) memory.
        q = self._factor[1]
        values = np.minimum(np.einsum("ij,ij->i", q, q), 1.0)
        if self.weights is not None and self.weights.kind == "frequency":
            values = values / self.weights.values  # each copy's hat value
        return pd.Series(values, index=self.design.row_labels, name="leverage")

    @cached_property
    def _cov_parts(self) -> tuple[NDArray[np.int_], Float]:
        """``a, m`` with ``cov[i, j] == 2**(a[i] + a[j]) * m[i, j]``.

        ``m`` stays finite when the covariance itself over- or underflows (data beyond
        ~1e154 or below ~1e-154), so standard errors and t values are exact scalings.
        """
        solution, e = self.solution, self._exponent
        p = solution.coef.shape[0]
        if self.cov_type == "nonrobust" and solution.cov_scaled is not None:
            return self._variance_exponents, self._sigma_scaled**2 * solution.cov_scaled
        if self.cov_type == "nonrobust":
            return np.zeros(p, dtype=int), self.sigma**2 * solution.cov_unscaled
        kept = self._kept
        full = np.full((p, p), np.nan)
        if self.totals is not None:
            bread = solution.cov_unscaled[np.ix_(kept, kept)]
            full[np.ix_(kept, kept)] = second_pass_covariance(
                bread, self.totals.meats, self.cov_type, self.hac_lags, self.n_obs
            )
            return np.zeros(p, dtype=int), full
        scales, q, r = self._factor
        leverage = self.leverage.to_numpy() if self.cov_type in LEVERAGE_KINDS else None
        residuals = np.ldexp(self.solution.residuals, -e)
        if self.clusters is not None:
            full[np.ix_(kept, kept)] = cluster_covariance(q, r, residuals, self.clusters)
        elif self.weights is not None and self.weights.kind == "frequency":
            full[np.ix_(kept, kept)] = frequency_robust(
                q, r, residuals / self.weights.sqrt, self.cov_type, leverage, self.hac_lags,
                self.n_obs,
            )  # fmt: skip
        else:
            full[np.ix_(kept, kept)] = robust_covariance(
                q, r, residuals, self.cov_type, leverage=leverage, lags=self.hac_lags
            )
        exponents = np.zeros(p, dtype=int)
        exponents[kept] = np.frexp(scales)[1] - 1 + e
        return exponents, full

    @cached_property
    def _cov(self) -> Float:
        exponents, middle = self._cov_parts
        with np.errstate(over="ignore", under="ignore"):
            return np.ldexp(middle, exponents[:, None] + exponents[None, :])

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the coefficients (of the chosen ``cov_type``)."""
        return pd.DataFrame(self._cov, index=self.names, columns=self.names)

    @property
    def std_err(self) -> pd.Series:
        """Standard errors of the coefficients."""
        if self.cov_type == "nonrobust" and self.solution.cov_scaled is not None:
            exponents, variances = self._classical_variances  # _cov_parts' diagonal alone
        else:
            exponents, middle = self._cov_parts
            variances = np.diagonal(middle)
        values = scaled_roots(variances, exponents)
        return labelled_series(values, self.names, "std_err")

    @property
    def t_values(self) -> pd.Series:
        """t statistics ``coef / std_err``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.coef / self.std_err).rename("t_value")

    @property
    def p_values(self) -> pd.Series:
        """Two-sided p-values of the t statistics, ``2 * t.sf(|t|, df_resid)``."""
        t = self.t_values.to_numpy()
        values = 2.0 * special.stdtr(self.df_resid, -np.abs(t)) if self.df_resid > 0 else t * np.nan
        return labelled_series(values, self.names, "p_value")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals for the coefficients.

        Parameters
        ----------
        level : float
            Coverage, strictly between 0 and 1.

        Returns
        -------
        DataFrame
            Columns ``lower`` and ``upper``, indexed by term.
        """
        level = check_level(level)
        quantile = -special.stdtrit(self.df_resid, (1.0 - level) / 2.0) if self.df_resid else np.nan
        half = quantile * self.std_err
        return pd.DataFrame({"lower": self.coef - half, "upper": self.coef + half})

    def robust(
        self,
        kind: str | None = None,
        lags: int | None = None,
        groups: Any = None,
        type: str | None = None,
    ) -> OLSResults:
        """Return the same fit with a heteroskedasticity-, autocorrelation- or
        cluster-robust covariance.

        Parameters
        ----------
        kind : {"HC0", "HC1", "HC2", "HC3", "HC4", "HC5", "HAC", "cluster"}, optional
            HC3 (the default) is the usual choice for heteroskedasticity, HC4/HC5 (as R's
            ``sandwich::vcovHC``) for high-leverage rows; HAC (Newey-West, Bartlett
            kernel, no prewhitening) for autocorrelated errors; ``"cluster"`` (the
            default when ``groups`` is given) for errors correlated within groups, as
            ``sandwich::vcovCL``.
        lags : int, optional
            HAC truncation lag; default ``floor(4 (n/100)^(2/9))``.
        groups : str, array-like or list of them, optional
            The clusters: a column of the data the formula was fitted on
            (``groups="firm"``), or one label per row; ``["firm", "year"]`` for two-way
            clustering (Cameron-Gelbach-Miller).  See :mod:`linmod.inference.cluster`.
        type : {"CR0", "CR1", "CR2", "CR3"}, optional
            Small-sample adjustment of a cluster-robust covariance (default CR1, vcovCL's).

        Returns
        -------
        OLSResults
        """
        if groups is not None or kind == "cluster" or type is not None:
            return clustered(self, kind, groups, type, lags)
        kind = "HC3" if kind is None else kind
        if kind == "HAC" and lags is None:
            lags = default_hac_lags(self.n_obs)  # resolved here, so the summary shows it
        result = replace(self, cov_type=kind, hac_lags=lags, clusters=None)
        result.cov_params()  # validates kind and lags now rather than on first use
        return result

    # ----------------------------------------------------------------- diagnostics
    def check(self, alpha: float = 0.05, order_by: Any = None) -> AssumptionReport:
        """Check the five assumptions; see :func:`linmod.diagnostics.check`."""
        self._require_data("check() (the assumption report)")
        target = self  # frequency weights: the repeated rows they stand for
        if self.weights is not None and self.weights.kind == "frequency":
            target = expanded_rows(self)[0]
        report: AssumptionReport = implementation("check")(target, alpha=alpha, order_by=order_by)
        return report

    def influence(self) -> pd.DataFrame:
        """Influence measures per observation; see :func:`linmod.diagnostics.influence`."""
        self._require_data("influence()")
        if self.weights is not None and self.weights.kind == "frequency":
            expanded, first = expanded_rows(self)  # each row's first copy
            table: pd.DataFrame = implementation("influence")(expanded).iloc[first]
            return table
        table = implementation("influence")(self)
        return table

    def plot_diagnostics(self, **kwargs: Any) -> Any:
        """Draw R's plot.lm panels; see :func:`linmod.plots.diagnostics.plot_diagnostics`."""
        self._require_data("plot_diagnostics()")
        return implementation("plot_diagnostics")(self, **kwargs)

    # ----------------------------------------------------------------- prediction
    def predict(
        self,
        new: Any = None,
        interval: str | None = None,
        level: float = 0.95,
        pred_var: Any = None,
        weights: Any = None,
    ) -> pd.DataFrame:
        """Predict the response, optionally with confidence or prediction intervals.

        Parameters
        ----------
        new : DataFrame or array-like, optional
            New data with the columns the model uses (default: the fitted data).
        interval : {None, "confidence", "prediction"}
            ``"confidence"`` for the mean response, ``"prediction"`` for a new observation.
        level : float
            Coverage of the interval.
        pred_var : float or array-like, optional
            Variance of a new observation's error (one, or one per row) for
            ``interval="prediction"``; default σ̂² (a robust fit then warns that this
            assumes a constant variance), as R's ``pred.var``.
        weights : array-like, optional
            For a fit with precision weights: the weight of each new row, whose prediction
            variance is ``σ²/w`` (R's ``predict.lm(weights=)``); default the fitting
            weights without ``new``, else 1 (with a warning, as R).

        Returns
        -------
        DataFrame
            One row per input row: ``fit`` (and ``lower``, ``upper``), NaN where a predictor
            is missing or, for a rank-deficient fit, where the row is not estimable (with a
            warning naming it). ``attrs["pred_var"]`` says what a prediction interval added.
        """
        return prediction_table(self, new, interval, level, pred_var, weights)

    # ----------------------------------------------------------------- presentation
    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The coefficient table: estimate, std_err, t_value, p_value, lower, upper."""
        table = pd.DataFrame(
            {
                "coef": self.coef,
                "std_err": self.std_err,
                "t_value": self.t_values,
                "p_value": self.p_values,
            }
        )
        return table.join(self.conf_int(level))

    def save(self, path: Any) -> None:
        """Write the model to a JSON file; see :mod:`linmod.model_file` for the format."""
        implementation("save")(self, path)

    def summary(self, format: str = "text") -> str:
        """A summary in the layout of R's ``summary.lm``: ``format`` is ``"text"`` (default),
        ``"markdown"``, ``"latex"`` or ``"html"`` (see docs/tables.md)."""
        if format == "text":
            text: str = implementation("render_summary")(self)
            return text
        exported: str = implementation("render_summary_as")(self, format)
        return exported

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        formula = self.design.formula or f"{self.design.response_name} ~ X"
        return (
            f"<OLSResults {formula!r}: n={self.n_obs}, rank={self.rank}, "
            f"R²={self.r_squared:.4g}, solver={self.solution.method}>"
        )

    def _repr_html_(self) -> str:
        html: str = implementation("render_summary_html")(self)
        return html

    def standardized(self) -> pd.DataFrame:
        """Standardized (beta) coefficients ``coef · sd(x) / sd(y)``, as R's ``lm.beta``;
        see :mod:`linmod.inference.standardized` for dummies and interactions."""
        from linmod.inference.standardized import standardized_table

        return standardized_table(self)

    def bootstrap(
        self,
        n: int = 1999,
        method: str = "pairs",
        seed: Any = None,
        func: Any = None,
        groups: Any = None,
        level: float = 0.95,
        **options: Any,
    ) -> BootstrapResults:
        """Bootstrap the coefficients (or ``func`` of them): percentile and BCa intervals.

        ``method`` is ``"pairs"`` (rows), ``"residual"`` or ``"wild"``; ``groups`` gives
        the clusters (wild cluster or pairs cluster bootstrap). See
        :func:`linmod.inference.bootstrap.bootstrap`, also for ``weights``, ``progress``
        and ``draws``.
        """
        from linmod.inference.bootstrap import bootstrap

        return bootstrap(self, n, method, seed, func, groups, level, **options)
