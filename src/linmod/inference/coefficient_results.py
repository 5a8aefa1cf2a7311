"""What the results of the in-memory fits of other losses share (quantile, robust).

:class:`CoefficientResults` is the base of
:class:`~linmod.inference.quantile_results.QuantRegResults` and
:class:`~linmod.inference.robust_results.RobustResults`: the coefficient table, fitted
values, prediction for new rows, the covariance as a frame, saving. Subclasses provide
``design``, ``solution`` (with ``coef``), ``_cov``, ``p_values`` and ``conf_int``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._registry import implementation

if TYPE_CHECKING:
    from linmod.data.design import Design

__all__ = ["CoefficientResults"]


class CoefficientResults:
    """Coefficients, their table, fitted values and predictions of a fit held in memory."""

    if TYPE_CHECKING:
        design: Design
        solution: Any

        @property
        def _cov(self) -> NDArray[np.float64]: ...

        @property
        def p_values(self) -> pd.Series: ...

        def conf_int(self, level: float = 0.95) -> pd.DataFrame: ...

    @property
    def names(self) -> pd.Index:
        """Coefficient names, intercept first."""
        return pd.Index(self.design.column_names, name="term")

    @property
    def n_obs(self) -> int:
        """Number of rows fitted."""
        return int(self.design.x.shape[0])

    @property
    def df_resid(self) -> int:
        """Residual degrees of freedom ``n - p``."""
        return self.n_obs - int(self.design.x.shape[1])

    @property
    def coef(self) -> pd.Series:
        """The coefficients."""
        return pd.Series(self.solution.coef, index=self.names, name="coef")

    @property
    def residuals(self) -> pd.Series:
        """``y - X b``."""
        values = self.design.y - self.design.x @ self.solution.coef
        return pd.Series(values, index=self.design.row_labels, name="residual")

    @property
    def fitted(self) -> pd.Series:
        """The fitted values ``X b``."""
        values = self.design.x @ self.solution.coef
        return pd.Series(values, index=self.design.row_labels, name="fitted")

    def cov_params(self) -> pd.DataFrame:
        """Covariance matrix of the coefficients."""
        return pd.DataFrame(self._cov, index=self.names, columns=self.names)

    @property
    def std_err(self) -> pd.Series:
        """Standard errors of the coefficients."""
        return pd.Series(np.sqrt(np.diag(self._cov)), index=self.names, name="std_err")

    @property
    def t_values(self) -> pd.Series:
        """``coef / std_err``."""
        return (self.coef / self.std_err).rename("t_value")

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """``coef``, ``std_err``, ``t_value``, ``p_value``, ``lower``, ``upper``."""
        return pd.concat(
            [self.coef, self.std_err, self.t_values, self.p_values, self.conf_int(level)], axis=1
        )

    def predict(self, new: Any = None) -> pd.Series | pd.DataFrame:
        """Predictions ``X b`` for new rows (default: the fitted data); NaN where a
        predictor is missing."""
        if new is None:
            return self.fitted.rename("fit")
        x, incomplete, index = self.design.spec.new_rows(new)
        values = np.where(incomplete[:, None], 0.0, x) @ self.solution.coef
        return pd.Series(np.where(incomplete, np.nan, values), index=index, name="fit")

    def save(self, path: Any) -> None:
        """Write the model to a JSON file (:func:`linmod.load` reads it back): the
        coefficients, the design's recipe and how it was fitted, for prediction."""
        implementation("save")(self, path)

    def __str__(self) -> str:
        text: str = self.summary()  # type: ignore[attr-defined]
        return text
