"""The result of ``linmod.ridge``, ``linmod.lasso`` and ``linmod.elastic_net``.

A :class:`RegularizedFit` holds the coefficients by term, the design they were fitted
on, how the penalty was chosen and, with ``weights=``, the weights and their declared
meaning (:mod:`linmod.data.weights`): R² is then the weighted one (weighted residual and
total sums of squares about the weighted mean, as R's ``summary.lm``), the observations
are the rows of positive weight (frequency weights also report the rows they stand for)
and the summary says which meaning was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from linmod.data.design import Design
from linmod.estimators.penalized import selection_table
from linmod.exceptions import LinmodError
from linmod.models.penalized_terms import term_lines

if TYPE_CHECKING:  # imported when used: it imports this package's modules
    from linmod.models.penalized_folded import OutOfCoreFit

__all__ = ["RegularizedFit", "weights_line"]

_MEANINGS = {
    "precision": "precision weights (1/variance)",
    "frequency": "frequency weights (each row stands for w identical rows)",
    "sampling": "sampling weights (inverse-probability)",
}


def weights_line(
    weights: np.ndarray | None, weights_type: str, out_of_core: OutOfCoreFit | None = None
) -> str:
    """The summary's line saying what the weights mean and which rows they dropped (from
    the weights, or from the sums of an out-of-core fit's)."""
    line = f"Weights: {_MEANINGS[weights_type]}"
    if out_of_core is not None and out_of_core.weights is not None:
        line += f" from column {out_of_core.weights.column!r}"
        total, zero = float(out_of_core.weight_total or 0.0), out_of_core.n_zero
    else:
        assert weights is not None
        total, zero = float(weights.sum()), int(np.count_nonzero(weights == 0))
    if weights_type == "frequency":
        line += f", standing for {total:.15g} rows"
    if zero:
        line += f"; {zero} row{'s' * (zero != 1)} of weight 0 left out of the fit"
    return line


@dataclass(frozen=True)
class RegularizedFit:
    """A ridge, lasso or elastic-net fit with named coefficients.

    Attributes
    ----------
    penalty : {"ridge", "lasso", "elastic_net"}
    alpha : float
        The penalty used.
    l1_ratio : float
        1 for the Lasso, 0 for ridge.
    coef : pandas.Series
        Coefficients by term, ``Intercept`` first when the model has one (never
        penalised), on the original scale.
    design : Design
        The design matrix and the recipe to rebuild it for new data.
    estimator : estimator
        The fitted scikit-learn style estimator.
    rule : str
        How ``alpha`` was chosen: ``"fixed"``, ``"cv"`` (minimum CV error) or ``"1se"``.
    cv : estimator or None
        The fitted cross-validation estimator when ``rule`` is not ``"fixed"`` (for
        streamed or Dask data a :class:`~linmod.solvers.penalized_factor.FactorCV`).
    standardize : bool
    out_of_core : OutOfCoreFit or None
        For streamed or Dask data: the sums the fit keeps instead of the rows.
    weights : ndarray or None
        The weight of each design row (rows of weight 0 were left out of the fit).
    weights_type : str or None
        Their declared meaning: ``"precision"``, ``"frequency"`` or ``"sampling"``.
    """

    penalty: str
    alpha: float
    l1_ratio: float
    coef: pd.Series
    design: Design
    estimator: Any
    rule: str
    cv: Any
    standardize: bool
    out_of_core: OutOfCoreFit | None = None
    weights: np.ndarray | None = None
    weights_type: str | None = None

    def _require_rows(self, what: str) -> None:
        if self.out_of_core is not None:
            raise LinmodError(
                f"{what} needs the individual rows, which a fit of streamed or Dask data "
                "does not keep; use predict(new_data) for predictions"
            )

    @property
    def intercept(self) -> float:
        """The intercept (0.0 without one)."""
        return float(self.coef["Intercept"]) if self.design.intercept else 0.0

    @property
    def slopes(self) -> pd.Series:
        """The penalised coefficients (every term but the intercept)."""
        return self.coef.iloc[1:] if self.design.intercept else self.coef

    @property
    def selected(self) -> list[str]:
        """Terms with a non-zero coefficient."""
        return [str(k) for k, v in self.slopes.items() if v != 0]

    @property
    def dropped(self) -> list[str]:
        """Terms whose coefficient is exactly zero (removed by the L1 penalty)."""
        return [str(k) for k, v in self.slopes.items() if v == 0]

    def selection(self) -> pd.DataFrame:
        """The lessons' listing: ``feature``, ``coef``, ``status`` (selected / dropped).

        With ``group_terms=True`` a ``group`` column names the term each column belongs
        to; a term is selected or dropped as a whole.
        """
        slopes = self.slopes
        return selection_table(slopes.index, slopes.to_numpy(), self._groups())

    @property
    def n_obs(self) -> int:
        """Number of observations used."""
        if self.out_of_core is not None:
            return self.out_of_core.n_obs
        if self.weights is not None:
            return int(np.count_nonzero(self.weights))
        return int(self.design.x.shape[0])

    @property
    def fitted(self) -> pd.Series:
        """Fitted values on the data used."""
        self._require_rows("fitted")
        return pd.Series(
            self.design.x @ self.coef.to_numpy(), index=self.design.row_labels, name="fitted"
        )

    @property
    def residuals(self) -> pd.Series:
        """Response minus fitted values."""
        self._require_rows("residuals")
        return pd.Series(
            self.design.y - self.fitted.to_numpy(), index=self.design.row_labels, name="resid"
        )

    @property
    def r_squared(self) -> float:
        """In-sample R² (centred when there is an intercept; weighted with weights)."""
        if self.out_of_core is not None:
            ssr, tss = self.out_of_core.ssr, self.out_of_core.tss
            if tss > 0:
                return 1.0 - ssr / tss
            # A constant response: a perfect fit up to the rounding of the factor.
            return float(ssr <= (64 * np.finfo(float).eps) ** 2 * self.out_of_core.y_ss)
        y = self.design.y
        w = np.ones_like(y) if self.weights is None else self.weights
        centre = float(w @ y) / float(w.sum()) if self.design.intercept else 0.0
        ss_tot = float(w @ (y - centre) ** 2)
        ss_res = float(w @ self.residuals.to_numpy() ** 2)
        return 1.0 - ss_res / ss_tot if ss_tot > 0 else float(ss_res == 0.0)

    def predict(self, new: Any = None) -> pd.DataFrame:
        """Predict the response; NaN where a predictor is missing.

        Parameters
        ----------
        new : DataFrame or array-like, optional
            New data with the columns the model uses (default: the fitted data).

        Returns
        -------
        DataFrame
            One column ``fit``, one row per input row.
        """
        if new is None:
            self._require_rows("predict() without new data")
            return pd.DataFrame({"fit": self.fitted.to_numpy()}, index=self.design.row_labels)
        x, incomplete, index = self.design.spec.new_rows(new)
        fit = np.where(incomplete[:, None], 0.0, x) @ self.coef.to_numpy()
        return pd.DataFrame({"fit": np.where(incomplete, np.nan, fit)}, index=index)

    def to_frame(self) -> pd.DataFrame:
        """Coefficients by term; with an L1 penalty also ``status`` (selected / dropped)."""
        frame = pd.DataFrame({"coef": self.coef.to_numpy()}, index=self.coef.index)
        if self.penalty != "ridge":
            status = ["not penalised"] * int(self.design.intercept)
            status += ["selected" if v != 0 else "dropped" for v in self.slopes.to_numpy()]
            frame["status"] = status
        return frame

    def summary(self) -> str:
        """A plain-text summary: the model, how α was chosen, R², the coefficients."""
        title = {"ridge": "Ridge", "lasso": "Lasso", "elastic_net": "Elastic net"}[self.penalty]
        lines = [
            f"{title} regression"
            + (f" (l1_ratio = {self.l1_ratio:g})" if self.penalty == "elastic_net" else "")
        ]
        if self.design.formula:
            lines.append(f"Formula: {self.design.formula}")
        how = {"fixed": "given", "cv": "minimum CV error", "1se": "one-standard-error rule"}
        how |= {"aic": "smallest AIC on the Lasso path", "bic": "smallest BIC on the Lasso path"}
        lines.append(
            f"alpha = {self.alpha:.6g} ({how[self.rule]})"
            + (", standardized features" if self.standardize else "")
        )
        if self.cv is not None:
            lines.append(
                f"  CV: alpha_min = {self.cv.alpha_:.6g}, alpha_1se = {self.cv.alpha_1se_:.6g}"
            )
        if self.weights is not None:
            lines.append(weights_line(self.weights, str(self.weights_type)))
        elif self.weights_type is not None:  # out of core: the weights' sums
            lines.append(weights_line(None, self.weights_type, self.out_of_core))
        k = len(self.slopes)
        lines.append(
            f"Observations: {self.n_obs}   R²: {self.r_squared:.4f}   "
            f"non-zero coefficients: {len(self.selected)} of {k}"
        )
        lines.append("")
        frame = self.to_frame()
        width = max([len(str(t)) for t in frame.index] + [4])
        header = f"{'term':<{width}}  {'coef':>14}"
        lines.append(header + ("  status" if "status" in frame else ""))
        for term, row in frame.iterrows():
            status = row.get("status", "")
            lines.append(f"{term!s:<{width}}  {row['coef']:>14.6g}  {status}".rstrip())
        if self.penalty != "ridge" and self.dropped:
            lines.append("")
            lines.append(f"Dropped: {', '.join(self.dropped)}")
        lines += term_lines(self.slopes, self._groups(), self.estimator)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _groups(self) -> Any:
        """The term of each penalised column when terms were selected as wholes."""
        return getattr(self.estimator, "groups_", None)
