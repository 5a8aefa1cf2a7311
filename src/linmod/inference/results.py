"""The results of an OLS fit: estimates, inference, fit statistics and prediction.

Conventions follow R's ``lm``/``summary.lm``: aliased coefficients are NaN, R² and the F
test are uncentred when there is no intercept, the log-likelihood counts σ² as a
parameter in AIC/BIC, and p-values come from survival functions (``sf``), never
``1 - cdf``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import stats

from linmod.data.design import Design
from linmod.exceptions import InputError, LinmodError
from linmod.inference.covariance import COVARIANCE_KINDS, default_hac_lags, robust_covariance
from linmod.linalg.dd import dd_centred, dd_sum_of_squares, two_sum_arrays
from linmod.linalg.scaling import power_of_two_scales
from linmod.solvers.base import SolverResult

if TYPE_CHECKING:
    from linmod.diagnostics.report import AssumptionReport

__all__ = ["FitTotals", "OLSResults"]

Float = NDArray[np.float64]
_INTERVALS = (None, "confidence", "prediction")


@lru_cache(maxsize=64)
def _term_index(names: tuple[str, ...]) -> pd.Index:
    """The (immutable) coefficient Index for these names: refits reuse it, since building a
    string Index costs more than the rest of a small fit's results."""
    return pd.Index(names, name="term")


def _check_level(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise InputError(f"level={level!r} must lie strictly between 0 and 1, e.g. 0.95")
    return float(level)


@dataclass(frozen=True)
class FitTotals:
    """The sums that define a fit whose rows are not held (streamed or distributed data).

    Attributes
    ----------
    n_obs : int
    ssr : float
        Residual sum of squares.
    tss : float
        Total sum of squares (centred with an intercept, uncentred without).
    abs_residual_sum : float or None
        ``sum(|residual|)`` when a second pass computed it.
    meats : mapping of str to ndarray
        Sandwich meats from a second pass, keyed ``"HC0"``…``"HC3"`` and ``"HAC(L)"``.
    """

    n_obs: int
    ssr: float
    tss: float
    abs_residual_sum: float | None = None
    meats: Mapping[str, Float] = field(default_factory=dict)


def _meat_key(kind: str, lags: int | None, n: int) -> str:
    if kind not in COVARIANCE_KINDS:
        raise InputError(
            f"covariance kind {kind!r} is not known; use one of {', '.join(COVARIANCE_KINDS)}"
        )
    if kind != "HAC":
        return kind
    return f"HAC({default_hac_lags(n) if lags is None else lags})"


@dataclass(frozen=True)
class OLSResults:
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
        ``"nonrobust"`` or a robust kind (``"HC0"``…``"HC3"``, ``"HAC"``).
    hac_lags : int or None
        Truncation lag when ``cov_type == "HAC"``.
    totals : FitTotals or None
        Set for fits of streamed or distributed data, whose rows are not held: the
        quantities that need the rows (residuals, leverage, …) then raise a clear error.
    """

    design: Design
    solution: SolverResult
    solver: str = "auto"
    cov_type: str = "nonrobust"
    hac_lags: int | None = None
    totals: FitTotals | None = None

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
                    "in memory"
                )
            raise LinmodError(
                f"{what} needs the individual rows, which a streamed or distributed fit does "
                f"not keep; {hint}"
            )

    # ----------------------------------------------------------------- basic facts
    @property
    def names(self) -> pd.Index:
        """Coefficient names."""
        # A new Index object (renaming it leaves the cached one alone) on shared data.
        return _term_index(self.design.column_names).view()

    @property
    def n_obs(self) -> int:
        """Number of observations used."""
        if self.totals is not None:
            return self.totals.n_obs
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
        return pd.Series(self.solution.coef, index=self.names, name="coef")

    @property
    def residuals(self) -> pd.Series:
        """Residuals ``y - fitted``, indexed by the rows used."""
        self._require_data("residuals")
        return pd.Series(self.solution.residuals, index=self.design.row_labels, name="residual")

    @property
    def fitted(self) -> pd.Series:
        """Fitted values, indexed by the rows used."""
        self._require_data("fitted values")
        values = self.design.y - self.solution.residuals
        return pd.Series(values, index=self.design.row_labels, name="fitted")

    @cached_property
    def _kept(self) -> NDArray[np.bool_]:
        return ~np.isnan(np.diag(self.solution.cov_unscaled))

    @cached_property
    def _ssr_dd(self) -> tuple[float, float]:
        if self.totals is not None:
            return self.totals.ssr, 0.0
        return dd_sum_of_squares(self.solution.residuals, self.solution.residuals_lo)

    @cached_property
    def _tss_dd(self) -> tuple[float, float]:
        if self.totals is not None:
            return self.totals.tss, 0.0
        y = self.design.y
        if self.design.intercept:
            return dd_sum_of_squares(*dd_centred(y))
        return dd_sum_of_squares(y)

    @property
    def ssr(self) -> float:
        """Residual sum of squares (accumulated in double-double)."""
        return self._ssr_dd[0] + self._ssr_dd[1]

    @property
    def tss(self) -> float:
        """Total sum of squares: about the mean with an intercept, about zero without."""
        return self._tss_dd[0] + self._tss_dd[1]

    @property
    def ess(self) -> float:
        """Explained sum of squares ``TSS - SSR``, formed in double-double."""
        (t_hi, t_lo), (s_hi, s_lo) = self._tss_dd, self._ssr_dd
        difference, error = two_sum_arrays(np.array(t_hi), np.array(-s_hi))
        return float(difference + (error + (t_lo - s_lo)))

    @property
    def sigma(self) -> float:
        """Residual standard error ``sqrt(SSR / df_resid)`` (NaN when ``df_resid == 0``)."""
        if self.df_resid <= 0:
            return float("nan")
        return float(np.sqrt(self.ssr / self.df_resid))

    @property
    def r_squared(self) -> float:
        """R² (uncentred when the model has no intercept, as in R)."""
        return float(self.ess / self.tss)

    @property
    def adj_r_squared(self) -> float:
        """Adjusted R², ``1 - (1 - R²) (n - intercept) / df_resid``."""
        if self.df_resid <= 0:
            return float("nan")
        n_eff = self.n_obs - int(self.design.intercept)
        return float(1.0 - (1.0 - self.r_squared) * n_eff / self.df_resid)

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
            return float((self.ess / self.df_model) / (self.ssr / self.df_resid))
        tested = self._kept.copy()
        if self.design.intercept:
            tested[0] = False
        coef = self.solution.coef[tested]
        cov = self._cov[np.ix_(tested, tested)]
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
        return float(stats.f.sf(self.f_statistic, self.df_model, self.df_resid))

    @property
    def log_likelihood(self) -> float:
        """Gaussian log-likelihood at the ML estimate of σ²."""
        n = self.n_obs
        return float(-0.5 * n * (np.log(2.0 * np.pi) + np.log(self.ssr / n) + 1.0))

    @property
    def aic(self) -> float:
        """Akaike information criterion (σ² counted as a parameter, as R)."""
        return float(-2.0 * self.log_likelihood + 2.0 * (self.rank + 1))

    @property
    def bic(self) -> float:
        """Bayesian information criterion (σ² counted as a parameter, as R)."""
        return float(-2.0 * self.log_likelihood + np.log(self.n_obs) * (self.rank + 1))

    @property
    def mse(self) -> float:
        """Mean squared residual ``SSR / n`` (the metric; ``sigma**2`` is the unbiased one)."""
        return self.ssr / self.n_obs

    @property
    def rmse(self) -> float:
        """Root mean squared residual."""
        return float(np.sqrt(self.mse))

    @property
    def mae(self) -> float:
        """Mean absolute residual."""
        if self.totals is not None and self.totals.abs_residual_sum is not None:
            return self.totals.abs_residual_sum / self.n_obs
        self._require_data("the mean absolute residual")
        return float(np.mean(np.abs(self.solution.residuals)))

    # ----------------------------------------------------------------- inference
    @cached_property
    def leverage(self) -> pd.Series:
        """Hat values ``h_i = x_i' (X'X)^-1 x_i``, computed without forming the n×n hat matrix."""
        self._require_data("leverage")
        xk = self.design.x[:, self._kept]
        # Row norms of Q from a thin QR of the column-scaled design: accurate to rounding,
        # where x_i' (X'X)^-1 x_i would lose cond(X) digits; O(n k) memory.
        scales = power_of_two_scales(np.linalg.norm(xk, axis=0))
        q = sla.qr(xk * scales, mode="economic", check_finite=False)[0]
        values = np.minimum(np.einsum("ij,ij->i", q, q), 1.0)
        return pd.Series(values, index=self.design.row_labels, name="leverage")

    @cached_property
    def _cov(self) -> Float:
        kept = self._kept
        if self.cov_type == "nonrobust":
            return self.sigma**2 * self.solution.cov_unscaled
        bread = self.solution.cov_unscaled[np.ix_(kept, kept)]
        full = np.full_like(self.solution.cov_unscaled, np.nan)
        if self.totals is not None:
            key = _meat_key(self.cov_type, self.hac_lags, self.n_obs)
            if key not in self.totals.meats:
                available = ", ".join(self.totals.meats) or "none"
                raise LinmodError(
                    f"robust covariance {key} of a streamed or distributed fit needs a second "
                    f"pass over the data that computes it (computed: {available}); fit with "
                    "second_pass=True (and hac_lags= for HAC)"
                )
            inner = bread @ self.totals.meats[key] @ bread
            full[np.ix_(kept, kept)] = (inner + inner.T) / 2
            return full
        leverage = self.leverage.to_numpy() if self.cov_type in ("HC2", "HC3") else None
        inner = robust_covariance(
            self.design.x[:, kept],
            self.solution.residuals,
            bread,
            self.cov_type,
            leverage=leverage,
            lags=self.hac_lags,
        )
        full[np.ix_(kept, kept)] = inner
        return full

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the coefficients (of the chosen ``cov_type``)."""
        return pd.DataFrame(self._cov, index=self.names, columns=self.names)

    @property
    def std_err(self) -> pd.Series:
        """Standard errors of the coefficients."""
        with np.errstate(invalid="ignore"):
            return pd.Series(np.sqrt(np.diag(self._cov)), index=self.names, name="std_err")

    @property
    def t_values(self) -> pd.Series:
        """t statistics ``coef / std_err``."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.coef / self.std_err).rename("t_value")

    @property
    def p_values(self) -> pd.Series:
        """Two-sided p-values of the t statistics, ``2 * t.sf(|t|, df_resid)``."""
        t = self.t_values.to_numpy()
        values = 2.0 * stats.t.sf(np.abs(t), self.df_resid) if self.df_resid > 0 else t * np.nan
        return pd.Series(values, index=self.names, name="p_value")

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
        level = _check_level(level)
        quantile = stats.t.isf((1.0 - level) / 2.0, self.df_resid) if self.df_resid else np.nan
        half = quantile * self.std_err
        return pd.DataFrame({"lower": self.coef - half, "upper": self.coef + half})

    def robust(self, kind: str = "HC3", lags: int | None = None) -> OLSResults:
        """Return the same fit with a heteroskedasticity/autocorrelation-robust covariance.

        Parameters
        ----------
        kind : {"HC0", "HC1", "HC2", "HC3", "HAC"}
            HC3 is the usual choice for heteroskedasticity; HAC (Newey-West, Bartlett
            kernel, no prewhitening) for autocorrelated errors.
        lags : int, optional
            HAC truncation lag; default ``floor(4 (n/100)^(2/9))``.

        Returns
        -------
        OLSResults
        """
        if kind == "HAC" and lags is None:
            lags = default_hac_lags(self.n_obs)  # resolved here, so the summary shows it
        result = replace(self, cov_type=kind, hac_lags=lags)
        result.cov_params()  # validates kind and lags now rather than on first use
        return result

    # ----------------------------------------------------------------- diagnostics
    def check(self, alpha: float = 0.05, order_by: Any = None) -> AssumptionReport:
        """Check the five assumptions; see :func:`linmod.diagnostics.check`."""
        from linmod.diagnostics import check

        self._require_data("check() (the assumption report)")
        return check(self, alpha=alpha, order_by=order_by)

    def influence(self) -> pd.DataFrame:
        """Influence measures per observation; see :func:`linmod.diagnostics.influence`."""
        from linmod.diagnostics import influence

        self._require_data("influence()")
        return influence(self)

    def plot_diagnostics(self, **kwargs: Any) -> Any:
        """Draw R's plot.lm panels; see :func:`linmod.plots.diagnostics.plot_diagnostics`."""
        from linmod.plots.diagnostics import plot_diagnostics

        self._require_data("plot_diagnostics()")
        return plot_diagnostics(self, **kwargs)

    # ----------------------------------------------------------------- prediction
    def predict(
        self, new: Any = None, interval: str | None = None, level: float = 0.95
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

        Returns
        -------
        DataFrame
            One row per input row: ``fit`` (and ``lower``, ``upper``), NaN where a predictor
            is missing.
        """
        if interval not in _INTERVALS:
            raise InputError(
                f"interval={interval!r} is not known; use None, 'confidence' or 'prediction'"
            )
        level = _check_level(level)
        if new is None:
            self._require_data("predict() without new data")
            x, incomplete, index = (
                self.design.x,
                np.zeros(self.n_obs, dtype=bool),
                self.design.row_labels,
            )
        else:
            x, incomplete, index = self.design.spec.new_rows(new)
        kept = self._kept
        xk = np.where(incomplete[:, None], 0.0, x[:, kept])
        fit = xk @ self.solution.coef[kept]
        table = pd.DataFrame({"fit": fit}, index=index)
        if interval is not None:
            cov = self._cov[np.ix_(kept, kept)]
            variance = np.einsum("ij,jk,ik->i", xk, cov, xk)
            if interval == "prediction":
                variance = variance + self.sigma**2
            quantile = stats.t.isf((1.0 - level) / 2.0, self.df_resid)
            half = quantile * np.sqrt(variance)
            table["lower"] = fit - half
            table["upper"] = fit + half
        table.loc[incomplete] = np.nan
        return table

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
        from linmod.model_file import save

        save(self, path)

    def summary(self) -> str:
        """A text summary in the layout of R's ``summary.lm``."""
        from linmod.report.summary import render_summary

        return render_summary(self)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        formula = self.design.formula or f"{self.design.response_name} ~ X"
        return (
            f"<OLSResults {formula!r}: n={self.n_obs}, rank={self.rank}, "
            f"R²={self.r_squared:.4g}, solver={self.solution.method}>"
        )

    def _repr_html_(self) -> str:
        from linmod.report.summary import render_summary_html

        return render_summary_html(self)
