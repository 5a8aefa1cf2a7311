"""Prediction shared by every linear estimator: ``X @ coef_ + intercept_``."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.estimators._saving import SaveMixin

__all__ = ["LinearPredictMixin"]


class LinearPredictMixin(SaveMixin):
    """Adds ``predict`` (and ``save``) to an estimator with fitted ``coef_`` and ``intercept_``."""

    coef_: np.ndarray
    intercept_: float

    def predict(self, X: Any) -> np.ndarray:
        """Predict with the fitted coefficients.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        x = validate_data(self, X, reset=False, dtype=np.float64)
        return np.asarray(x @ self.coef_ + self.intercept_)
