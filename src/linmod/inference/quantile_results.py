"""The results of a quantile regression: coefficients, inference and goodness of fit.

Conventions follow R's ``quantreg``: the coefficient table of ``summary.rq`` (value,
standard error, t value and two-sided p from Student's t on ``n - p`` degrees of
freedom), and Koenker and Machado's (1999) pseudo-R², ``1 - V(q) / V~(q)``, with
``V`` the minimised check-loss and ``V~`` that of the model with the intercept alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import special

from linmod._cached import cached_property
from linmod._registry import implementation
from linmod.data.design import Design
from linmod.exceptions import InputError
from linmod.inference.coefficient_results import CoefficientResults
from linmod.inference.prediction import check_level
from linmod.inference.quantile_covariance import quantile_covariance
from linmod.inference.quantile_rank import rank_intervals
from linmod.solvers.quantile import QuantileSolution, fit_quantile

__all__ = ["QuantRegResults"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class QuantRegResults(CoefficientResults):
    """A fitted regression quantile (create it with :func:`linmod.quantreg`).

    Attributes
    ----------
    design : Design
        The design matrix and response the model was fitted on.
    solution : QuantileSolution
        The solver's exact solution (coefficients, residuals, basis, uniqueness).
    q : float
        The quantile level (0.5: least absolute deviations).
    se : str
        How standard errors are estimated: ``"nid"``, ``"iid"``, ``"ker"`` or ``"boot"``
        (see :mod:`linmod.inference.quantile_covariance`), or ``"rank"``: rank-inversion
        intervals (:mod:`linmod.inference.quantile_rank`) and no standard errors.
    replications, seed : int, int or None
        For ``se="boot"``.
    weights : ndarray or None
        Positive row weights multiplying the check loss (rows of weight 0 are not kept).
    """

    design: Design
    solution: QuantileSolution
    q: float
    se: str = "nid"
    replications: int = 200
    seed: int | None = None
    weights: Float | None = None

    # ----------------------------------------------------------------- estimates
    @property
    def nonunique(self) -> bool:
        """Whether other coefficient vectors attain the same minimum (quantreg warns
        "Solution may be nonunique"); the check-loss value is the same for all."""
        return self.solution.nonunique

    @property
    def objective(self) -> float:
        """The minimised check loss ``sum rho_q(residuals)`` (quantreg's ``rho``)."""
        return self.solution.objective

    @cached_property
    def _restricted_objective(self) -> float:
        y = self.design.y
        w = np.ones_like(y) if self.weights is None else self.weights
        if not self.design.intercept:
            return float(np.sum(w * y * (self.q - (y < 0))))
        return fit_quantile(w[:, None], w * y, self.q).objective

    @property
    def pseudo_r_squared(self) -> float:
        """Koenker and Machado's R¹: ``1 - V(q) / V~(q)`` (V~: intercept alone, or zero
        without an intercept)."""
        restricted = self._restricted_objective
        if restricted == 0.0:
            return float("nan")
        return float(1.0 - self.objective / restricted)

    @property
    def mae(self) -> float:
        """Mean absolute residual."""
        return float(np.mean(np.abs(self.solution.residuals)))

    # ----------------------------------------------------------------- inference
    def _rows(self) -> tuple[Float, Float, Float]:
        x, y, residuals = self.design.x, self.design.y, self.solution.residuals
        if self.weights is not None:  # as summary.rq: rows, response and residuals times w
            x, y, residuals = x * self.weights[:, None], y * self.weights, residuals * self.weights
        return x, y, residuals

    @cached_property
    def _cov(self) -> Float:
        if self.se == "rank":  # intervals only: no standard errors
            p = self.design.x.shape[1]
            return np.full((p, p), np.nan)
        x, y, residuals = self._rows()
        return quantile_covariance(
            x,
            y,
            residuals,
            self.q,
            self.se,
            replications=self.replications,
            seed=self.seed,
        )

    @property
    def p_values(self) -> pd.Series:
        """Two-sided p-values from Student's t on :attr:`df_resid` degrees of freedom."""
        t = np.abs(self.t_values.to_numpy())
        return pd.Series(2.0 * special.stdtr(self.df_resid, -t), index=self.names, name="p_value")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Confidence intervals: ``coef +- t(df_resid) * std_err``, or with ``se="rank"``
        the rank-inversion intervals (quantreg's ``summary.rq(se = "rank", alpha =
        1 - level)``)."""
        level = check_level(level)
        if self.se == "rank":
            x, y, _ = self._rows()
            bounds = rank_intervals(x, y, self.q, self.solution.coef, alpha=1.0 - level)
            return pd.DataFrame(bounds, index=self.names, columns=["lower", "upper"])
        quantile = -special.stdtrit(self.df_resid, (1.0 - level) / 2.0)
        half = quantile * self.std_err
        return pd.DataFrame({"lower": self.coef - half, "upper": self.coef + half})

    # ----------------------------------------------------------------- prediction
    # ----------------------------------------------------------------- presentation
    def predict(
        self, new: Any = None, interval: str | None = None, level: float = 0.95
    ) -> pd.Series | pd.DataFrame:
        """The fitted conditional ``q``-quantile for new rows (default: the fitted data).

        Parameters
        ----------
        new : DataFrame or array-like, optional
            New data with the columns the model uses; NaN where a predictor is missing.
        interval : {None, "confidence"}
            ``"confidence"`` adds ``lower`` and ``upper``: ``fit -+ t(df_resid) sqrt(x' V x)``,
            as quantreg's ``predict.rq(interval = "confidence")``, with ``V`` this fit's
            covariance (the ``"nid"`` sandwich when ``se="rank"``, which has none, as
            quantreg does).
        level : float
            Coverage of the interval.

        Returns
        -------
        Series, or DataFrame with ``fit``, ``lower``, ``upper`` when ``interval`` is given.
        """
        fit = cast(pd.Series, super().predict(new))
        if interval is None:
            return fit
        if interval != "confidence":
            raise InputError(
                f"interval={interval!r} is not available for a regression quantile; use "
                "None or 'confidence' (a quantile is itself a prediction bound)"
            )
        level = check_level(level)
        x = self.design.x if new is None else self.design.spec.new_rows(new)[0]
        cov = self._cov
        if self.se == "rank":
            rows, y, residuals = self._rows()
            cov = quantile_covariance(rows, y, residuals, self.q, "nid")
        spread = np.sqrt(np.einsum("ij,jk,ik->i", x, cov, x))
        half = -special.stdtrit(self.df_resid, (1.0 - level) / 2.0) * spread
        return pd.DataFrame({"fit": fit, "lower": fit - half, "upper": fit + half})

    def summary(self) -> str:
        """The text summary, as R's ``summary(rq(...))``."""
        text: str = implementation("render_quantile_summary")(self)
        return text

    def __repr__(self) -> str:
        return (
            f"<QuantRegResults q={self.q:g}: {self.design.response_name} on "
            f"{self.design.x.shape[1]} columns, n={self.n_obs}>"
        )
