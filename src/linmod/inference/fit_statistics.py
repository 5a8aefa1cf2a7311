"""Sums of squares and the fit statistics built on them (R², σ, log-likelihood, AIC, BIC).

Sums of squares are accumulated in double-double on the response and residuals scaled by
an exact power of two, so that they neither overflow (data beyond ~1e154) nor underflow
(below ~1e-154); :class:`FitStatistics` is the part of
:class:`~linmod.inference.results.OLSResults` that computes them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from linmod._cached import cached_property
from linmod.linalg.dd import dd_centred, dd_sum_of_squares, two_sum_arrays
from linmod.linalg.scaling import power_of_two_exponent

if TYPE_CHECKING:
    import pandas as pd

    from linmod.data.design import Design
    from linmod.data.weighted_design import RowWeights
    from linmod.data.weights import DeclaredWeights
    from linmod.inference.totals import FitTotals
    from linmod.solvers.base import SolverResult

__all__ = ["FitStatistics"]


class FitStatistics:
    """Sums of squares and fit statistics of a least-squares fit (a base of ``OLSResults``).

    Subclasses provide ``design``, ``solution``, ``totals``, ``n_obs``, ``rank``,
    ``df_resid`` and ``_require_data``.
    """

    if TYPE_CHECKING:
        design: Design
        solution: SolverResult
        totals: FitTotals | None
        weights: RowWeights | None

        @property
        def n_obs(self) -> int: ...

        @property
        def rank(self) -> int: ...

        @property
        def df_resid(self) -> int: ...

        @property
        def fitted(self) -> pd.Series: ...

        def _require_data(self, what: str) -> None: ...

    @cached_property
    def _exponent(self) -> int:
        # Sums of squares are taken of the response and residuals divided by 2**e (exact),
        # so that they neither overflow (data beyond ~1e154) nor underflow (below ~1e-154).
        if self.totals is not None:
            return 0
        known = self.solution.residual_squares
        if known is not None and known.y is self.design.y:  # the solver's, of this y
            return known.exponent
        return power_of_two_exponent(self.design.y)

    @cached_property
    def _ssr_dd(self) -> tuple[float, float]:
        if self.totals is not None:
            return self.totals.ssr, 0.0
        solution = self.solution
        known = solution.residual_squares
        if known is not None and known.applies_to(
            solution.residuals, solution.residuals_lo, self.design.y
        ):  # formed by the solver with the residuals, by the operations below
            return known.hi, known.lo
        lo, e = self.solution.residuals_lo, -self._exponent
        return dd_sum_of_squares(
            np.ldexp(self.solution.residuals, e), None if lo is None else np.ldexp(lo, e)
        )

    @cached_property
    def _tss_dd(self) -> tuple[float, float]:
        if self.totals is not None:
            return self.totals.tss, 0.0
        if self.weights is not None:  # about the weighted mean, as R's summary.lm
            from linmod.inference.weighted import weighted_tss_dd

            return weighted_tss_dd(self)  # type: ignore[arg-type]
        y = np.ldexp(self.design.y, -self._exponent)
        if self.design.intercept:
            return dd_sum_of_squares(*dd_centred(y))
        return dd_sum_of_squares(y)

    @property
    def declared_weights(self) -> DeclaredWeights | None:
        """The weights' meaning and sums (None unweighted); see :mod:`linmod.data.weights`."""
        return self.weights

    def _unscale(self, value: float, power: int = 2) -> float:
        with np.errstate(over="ignore"):
            return float(np.ldexp(value, power * self._exponent))

    @property
    def ssr(self) -> float:
        """Residual sum of squares (accumulated in double-double)."""
        return self._unscale(self._ssr_dd[0] + self._ssr_dd[1])

    @property
    def tss(self) -> float:
        """Total sum of squares: about the mean with an intercept, about zero without."""
        return self._unscale(self._tss_dd[0] + self._tss_dd[1])

    @cached_property
    def _ess_scaled(self) -> float:
        (t_hi, t_lo), (s_hi, s_lo) = self._tss_dd, self._ssr_dd
        difference, error = two_sum_arrays(np.array(t_hi), np.array(-s_hi))
        return float(difference + (error + (t_lo - s_lo)))

    @property
    def ess(self) -> float:
        """Explained sum of squares ``TSS - SSR``, formed in double-double."""
        return self._unscale(self._ess_scaled)

    @property
    def _variance_exponents(self) -> NDArray[np.int_]:
        """``a`` with ``σ² (X'X)^-1 = 2**(a[i] + a[j]) σ_s² cov_scaled[i, j]`` (the column
        scales and the response's power of two)."""
        assert self.solution.column_scales is not None
        return np.frexp(self.solution.column_scales)[1] - 1 + self._exponent

    @property
    def _classical_variances(self) -> tuple[int | NDArray[np.int_], NDArray[np.float64]]:
        """``a`` and the diagonal ``σ_s² cov_scaled[j, j]`` of the classical covariance,
        without the rest of the matrix (``σ² (X'X)^-1[j, j] = 4**a[j]`` times it).

        ``a`` is the response's exponent alone (an int) when the solver's columns were not
        scaled (``cov_scaled is cov_unscaled``, so every column scale is 1): the same
        values as :attr:`_variance_exponents` without its ``frexp``.
        """
        solution = self.solution
        assert solution.cov_scaled is not None
        if solution.cov_scaled is solution.cov_unscaled:
            exponents: int | NDArray[np.int_] = self._exponent
        else:
            exponents = self._variance_exponents
        return exponents, self._sigma_scaled**2 * solution.cov_scaled.diagonal()

    @property
    def _sigma_scaled(self) -> float:
        df_resid = self.df_resid
        if df_resid <= 0:
            return float("nan")
        hi, lo = self._ssr_dd
        return math.sqrt((hi + lo) / df_resid)  # correctly rounded, as np.sqrt

    @cached_property
    def essentially_perfect(self) -> bool:
        """Whether the residuals are at rounding level: R's ``summary.lm`` test
        ``σ² < 1e-30 (mean(f)² + var(f))`` on the fitted values ``f``, which makes R warn
        "essentially perfect fit: summary may be unreliable".

        A response that is (a copy of) a predictor, or data made exactly from the model:
        standard errors, t values and assumption checks then measure rounding, not noise.
        False for a streamed fit (its fitted values are not kept) and when
        ``df_resid == 0``.
        """
        if self.totals is not None or self.df_resid <= 0:
            return False
        fitted = np.ldexp(np.asarray(self.fitted, dtype=np.float64), -self._exponent)
        mean, spread = float(np.mean(fitted)), float(np.var(fitted, ddof=1))
        return bool(self._sigma_scaled**2 < (mean * mean + spread) * 1e-30)

    @property
    def fit_notes(self) -> tuple[str, ...]:
        """Facts about the fit worth showing beside its summary: the solver's notes, and
        R's warning for an essentially perfect fit."""
        notes = tuple(self.solution.notes)
        if self.essentially_perfect:
            notes += (
                "essentially perfect fit (residuals at rounding level): standard errors, "
                "t values and p-values are unreliable; is the response, or a copy of it, "
                "among the predictors?",
            )
        return notes

    @property
    def sigma(self) -> float:
        """Residual standard error ``sqrt(SSR / df_resid)`` (NaN when ``df_resid == 0``)."""
        info = self.declared_weights
        if info is not None and info.kind == "sampling":
            # Weights rescaled to mean 1 (Stata's Root MSE): free of their arbitrary scale.
            mean = info.total / info.n_rows
            return self._unscale(self._sigma_scaled / float(np.sqrt(mean)), 1)
        return self._unscale(self._sigma_scaled, 1)

    @property
    def r_squared(self) -> float:
        """R² (uncentred when the model has no intercept, as in R)."""
        return float(self._ess_scaled / sum(self._tss_dd))

    @property
    def adj_r_squared(self) -> float:
        """Adjusted R², ``1 - (1 - R²) (n - intercept) / df_resid``."""
        if self.df_resid <= 0:
            return float("nan")
        n_eff = self.n_obs - int(self.design.intercept)
        return float(1.0 - (1.0 - self.r_squared) * n_eff / self.df_resid)

    @property
    def log_likelihood(self) -> float:
        """Gaussian log-likelihood at the ML estimate of σ²."""
        n = self.n_obs
        log_mse = np.log(sum(self._ssr_dd) / n) + 2 * self._exponent * np.log(2.0)
        value = float(-0.5 * n * (np.log(2.0 * np.pi) + log_mse + 1.0))
        info = self.declared_weights
        if info is not None:  # R's logLik.lm with weights (see inference.weighted)
            from linmod.inference.weighted import log_likelihood_offset

            value += log_likelihood_offset(info)
        return value

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
        """Mean squared residual ``SSR / n`` (the metric; ``sigma**2`` is the unbiased one).

        With weights, ``sum(w e²) / sum(w)`` (scikit-learn's ``sample_weight`` metric).
        """
        return self._unscale(sum(self._ssr_dd) / self._weight_total)

    @property
    def rmse(self) -> float:
        """Root mean squared residual."""
        return self._unscale(float(np.sqrt(sum(self._ssr_dd) / self._weight_total)), 1)

    @property
    def mae(self) -> float:
        """Mean absolute residual."""
        if self.totals is not None and self.totals.abs_residual_sum is not None:
            return self.totals.abs_residual_sum / self._weight_total  # sum(w |e|) / sum(w)
        self._require_data("the mean absolute residual")
        if self.weights is not None:  # sum(w |e|) / sum(w)
            return float(self.weights.sqrt @ np.abs(self.solution.residuals) / self.weights.total)
        return float(np.mean(np.abs(self.solution.residuals)))

    @property
    def _weight_total(self) -> float:
        info = self.declared_weights
        return self.n_obs if info is None else info.total
