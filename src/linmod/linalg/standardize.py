"""Standardising features (and centring the response) with a map back to original units."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Standardization"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class Standardization:
    """``x_std = (x - x_mean) / x_scale`` and ``y_c = y - y_mean``.

    Without an intercept nothing is centred (centring would change the model); only the
    columns are scaled.  Constant columns keep scale 1.
    """

    x_mean: Float
    x_scale: Float
    y_mean: float

    @classmethod
    def fit(cls, x: Float, y: Float, center: bool, weights: Float | None = None) -> Standardization:
        """Learn the standardisation of ``x`` (and ``y`` when ``center``).

        With ``weights`` (non-negative, not all zero) the means and the (1/W) standard
        deviations are weighted, as glmnet standardises a weighted fit.
        """
        if weights is not None:
            w = weights / weights.sum()
            mean = w @ x if center else np.zeros(x.shape[1])
            scale = np.sqrt(np.maximum(w @ ((x - mean) ** 2), 0.0))
            scale = np.where(scale > 0, scale, 1.0)
            return cls(mean, scale, float(w @ y) if center else 0.0)
        mean = x.mean(axis=0) if center else np.zeros(x.shape[1])
        scale = x.std(axis=0) if center else np.sqrt(np.mean(x**2, axis=0))
        scale = np.where(scale > 0, scale, 1.0)
        return cls(mean, scale, float(y.mean()) if center else 0.0)

    def transform(self, x: Float) -> Float:
        """Standardise ``x``."""
        return (x - self.x_mean) / self.x_scale

    def to_original(self, coef: Float, intercept: float) -> tuple[Float, float]:
        """Map coefficients fitted on standardised data back to original units."""
        original = coef / self.x_scale
        return original, float(self.y_mean + intercept - original @ self.x_mean)
