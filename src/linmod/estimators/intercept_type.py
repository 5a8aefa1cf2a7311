"""``intercept_`` typed as scikit-learn types it."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["typed_intercept"]


def typed_intercept(value: Any, fit_intercept: bool) -> float:
    """A ``numpy.float64`` when an intercept is fitted, the Python float ``0.0`` without
    one (scikit-learn's types for a single response)."""
    return np.float64(value) if fit_intercept else 0.0
