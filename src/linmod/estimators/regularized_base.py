"""The base of linmod's penalised estimators: validation, prediction, the selection table.

:class:`RegularizedRegressor` is shared by ``Ridge``, ``Lasso``, ``ElasticNet`` and their
cross-validated versions; :func:`store_choice` records a cross-validated penalty.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.frames import check_feature_frame
from linmod.data.validation import check_finite, check_target, validate_params
from linmod.estimators._saving import SaveMixin
from linmod.estimators.cv_search import store_choice
from linmod.estimators.multi_target import (
    refuse_multi_target,
)
from linmod.estimators.sample_weights import kept_rows

__all__ = ["RegularizedRegressor", "selection_table", "store_choice"]

Float = NDArray[np.float64]


def selection_table(names: Any, coef: Float, groups: Any = None) -> pd.DataFrame:
    """Which features a sparse fit kept: ``feature``, ``coef``, ``status``.

    ``status`` is ``"selected"`` for a non-zero coefficient and ``"dropped"`` otherwise
    (the lessons' listing).  With ``groups`` (one id per feature, a group-penalised fit)
    a ``group`` column follows ``feature``, and a group is selected as a whole.
    """
    table = pd.DataFrame(
        {
            "feature": [str(n) for n in names],
            "coef": coef,
            "status": np.where(coef != 0, "selected", "dropped"),
        }
    )
    if groups is not None:
        table.insert(1, "group", [str(g) for g in groups])
    return table


class RegularizedRegressor(SaveMixin, RegressorMixin, BaseEstimator):
    """Shared validation and prediction of the linear estimators in this package."""

    def _fit_data(self, X: Any, y: Any) -> tuple[Float, Float]:
        """Validate parameters and data; return float64 arrays (C order)."""
        validate_params(self)
        refuse_multi_target(self, y)
        check_target(y)
        check_feature_frame(X)
        x, yv = validate_data(self, X, y, y_numeric=True, dtype=np.float64, ensure_all_finite=False)
        check_finite(x, None, getattr(self, "feature_names_in_", None))
        return np.ascontiguousarray(x), np.ascontiguousarray(yv, dtype=np.float64)

    def _weighted_data(self, X: Any, y: Any, sample_weight: Any) -> tuple[Float, Float, Any]:
        """:meth:`_fit_data`, then the checked weights with zero-weight rows dropped."""
        x, yv = self._fit_data(X, y)
        x, yv, weights, _ = kept_rows(x, yv, sample_weight)
        return x, yv, weights

    def _feature_names(self) -> list[str]:
        if hasattr(self, "feature_names_in_"):
            return [str(c) for c in self.feature_names_in_]
        return [f"x{j}" for j in range(self.n_features_in_)]

    def predict(self, X: Any) -> Float:
        """Predict with the fitted coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        x = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False)
        check_finite(x, None, getattr(self, "feature_names_in_", None))
        return np.asarray(x @ self.coef_.T + self.intercept_)
