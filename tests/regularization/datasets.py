"""Data shared by the regularization tests (none of it produced by linmod's solvers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import load_diabetes

import linmod

Arrays = tuple[np.ndarray, np.ndarray]


def house() -> tuple[pd.DataFrame, pd.Series]:
    """The lessons' five-feature house prices: features (DataFrame) and price."""
    data = linmod.datasets.house_prices(n=500, seed=42)
    return data.drop(columns="price"), data["price"]


def diabetes() -> Arrays:
    """scikit-learn's diabetes data (442 × 10)."""
    X, y = load_diabetes(return_X_y=True)
    return X, y


def random_problem(seed: int, n: int, p: int, k: int | None = None, offset: bool = True) -> Arrays:
    """Gaussian design with column offsets/scales, sparse truth, noise and an intercept."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3.0, size=p)
    if offset:
        X += rng.normal(scale=5.0, size=p)
    k = max(1, p // 5) if k is None else k
    beta = np.zeros(p)
    beta[rng.choice(p, size=k, replace=False)] = rng.normal(scale=2.0, size=k)
    y = 3.0 + X @ beta + rng.normal(scale=1.0, size=n)
    return X, y


def standardized(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X − mean)/sd with the population sd (glmnet's), the means and the sds."""
    mean = X.mean(axis=0)
    sd = np.sqrt(np.mean((X - mean) ** 2, axis=0))
    return (X - mean) / sd, mean, sd


def assert_coef_close(actual: np.ndarray, expected: np.ndarray, rtol: float) -> None:
    """Coefficients equal to ``rtol`` relative to the largest expected magnitude.

    Coefficients that are zero on one side may be ~rtol·max on the other, so the absolute
    tolerance is ``rtol`` times the largest coefficient.
    """
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)
