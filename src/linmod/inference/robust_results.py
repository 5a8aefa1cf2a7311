"""The results of a robust (M-estimation) fit: coefficients, standard errors, row weights.

Standard errors are MASS's ``summary.rlm`` (its default ``method = "XtX"``), Huber's
(1981) estimate for M-estimators, which statsmodels calls ``H1``:

``SE_j = sqrt(S) * kappa / m * sqrt([(X'X)^-1]_jj)``, with ``S = sum(psi(u_i) s)^2 / (n - p)``,
``m = mean(psi'(u_i))`` and ``kappa = 1 + p var(psi'(u)) / (n m^2)``.

t values are ``coef / SE``; p-values and intervals use the normal distribution (the
estimator is asymptotically normal; MASS prints no p-values, statsmodels' ``RLM`` uses
the normal).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy import special

from linmod._cached import cached_property
from linmod._registry import implementation
from linmod.data.design import Design
from linmod.inference.coefficient_results import CoefficientResults
from linmod.inference.prediction import check_level
from linmod.solvers.robust import RobustSolution, psi_derivative, robust_weights

__all__ = ["RobustResults"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class RobustResults(CoefficientResults):
    """A fitted robust regression (create it with :func:`linmod.rlm`).

    Attributes
    ----------
    design : Design
        The design matrix and response the model was fitted on.
    solution : RobustSolution
        IRLS's coefficients, final weights, scale, iterations and convergence.
    norm : str
        ``"huber"``, ``"bisquare"`` or ``"hampel"``.
    tuning : tuple of float
        The norm's constants.
    scale_method : str
        ``"mad"`` or ``"huber"`` (Huber's proposal 2).
    start : str
        How IRLS started: ``"ls"``, ``"lad"`` or ``"given"`` (coefficients passed in).
    precision_weights : ndarray or None
        Row weights given by the user (1 / variance), applied as MASS's ``inv.var``.
    """

    design: Design
    solution: RobustSolution
    norm: str
    tuning: tuple[float, ...]
    scale_method: str
    start: str
    precision_weights: Float | None = None

    @property
    def scale(self) -> float:
        """The robust scale of the residuals (MASS's ``s``)."""
        return self.solution.scale

    @property
    def converged(self) -> bool:
        """Whether IRLS met its tolerance within ``max_iter`` steps."""
        return self.solution.converged

    @property
    def iterations(self) -> int:
        """IRLS steps taken."""
        return self.solution.iterations

    @property
    def weights(self) -> pd.Series:
        """Each row's final IRLS weight: 1 counts fully, less is down-weighted, 0 ignored."""
        return pd.Series(self.solution.weights, index=self.design.row_labels, name="weight")

    def downweighted(self, below: float = 1.0) -> pd.Series:
        """The rows whose weight is under ``below``, lowest first."""
        weights = self.weights
        return weights[weights < below].sort_values(kind="stable")

    # ----------------------------------------------------------------- inference
    @cached_property
    def _stddev(self) -> float:
        x = self.design.x
        n, p = x.shape
        if self.scale == 0.0:  # more than half the rows fitted exactly: no spread to scale by
            return float("nan")
        residuals = self.solution.residuals  # of the precision-weighted rows (MASS's wresid)
        u = residuals / self.scale
        psi_times_s = residuals * robust_weights(u, self.norm, self.tuning)
        spread = float(np.sum(psi_times_s**2)) / (n - p)
        derivative = psi_derivative(u, self.norm, self.tuning)
        mean = float(np.mean(derivative))
        kappa = 1.0 + p * float(np.var(derivative, ddof=1)) / (n * mean**2)
        return float(np.sqrt(spread) * kappa / mean)

    @cached_property
    def _cov(self) -> Float:
        x = self.design.x
        if self.precision_weights is not None:
            x = x * np.sqrt(self.precision_weights)[:, None]
        r = sla.qr(x, mode="r", check_finite=False)[0][: x.shape[1]]
        r_inv = sla.solve_triangular(r, np.eye(x.shape[1]), check_finite=False)
        return self._stddev**2 * (r_inv @ r_inv.T)

    @property
    def p_values(self) -> pd.Series:
        """Two-sided p-values from the normal distribution (as statsmodels' ``RLM``)."""
        z = np.abs(self.t_values.to_numpy())
        return pd.Series(2.0 * special.ndtr(-z), index=self.names, name="p_value")

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """Normal confidence intervals ``coef +- z * std_err``."""
        level = check_level(level)
        half = -special.ndtri((1.0 - level) / 2.0) * self.std_err
        return pd.DataFrame({"lower": self.coef - half, "upper": self.coef + half})

    # ----------------------------------------------------------------- presentation
    def summary(self) -> str:
        """The text summary, after MASS's ``summary(rlm(...))``."""
        text: str = implementation("render_robust_summary")(self)
        return text

    def __repr__(self) -> str:
        return (
            f"<RobustResults {self.norm}: {self.design.response_name} on "
            f"{self.design.x.shape[1]} columns, n={self.n_obs}, scale={self.scale:.4g}>"
        )
