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
    def fit(cls, x: Float, y: Float, center: bool) -> Standardization:
        """Learn the standardisation of ``x`` (and ``y`` when ``center``)."""
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
