"""Lesson 1 (ML-06), code block "From Scratch Implementation": ``LinearRegressionScratch``.

The lesson's class (the normal equation ``w = (XᵀX)⁻¹Xᵀy`` with a bias column), fitted on
the lesson's house-price data (seeded: ``np.random.seed(42)``,
``linmod.datasets.house_prices_simple()``) and compared with linmod: ``linmod.ols(X, y,
solver="normal")`` is the same textbook algorithm, the default solver is the accurate one,
and ``linmod.LinearRegression`` is the scikit-learn estimator around it.

Run::

    python examples/lesson1_04_scratch_class.py
"""

from __future__ import annotations

import numpy as np

import linmod


class LinearRegressionScratch:
    """The lesson's from-scratch linear regression (normal equation)."""

    def __init__(self) -> None:
        self.w: np.ndarray | None = None

    def fit(self, X: np.ndarray, y: np.ndarray) -> LinearRegressionScratch:
        """Solve the normal equation for the weights, bias first."""
        # Add bias column
        X_b = np.c_[np.ones(len(X)), X]
        # Normal equation
        self.w = np.linalg.inv(X_b.T @ X_b) @ X_b.T @ y
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions ``X_b w``."""
        if self.w is None:
            raise RuntimeError("call fit(X, y) before predict(X)")
        X_b = np.c_[np.ones(len(X)), X]
        return X_b @ self.w


def main() -> None:
    """Fit the scratch class and linmod on the same data and compare."""
    data = linmod.datasets.house_prices_simple()
    X, y = data[["size"]].to_numpy(), data["price"].to_numpy()

    scratch = LinearRegressionScratch().fit(X, y)
    if scratch.w is None:
        raise RuntimeError("the scratch fit did not set its weights")
    textbook = linmod.ols(X, y, solver="normal")
    accurate = linmod.ols(X, y)
    estimator = linmod.LinearRegression().fit(X, y)

    print(f"{'method':<42}{'intercept':>12}{'slope':>12}")
    rows = {
        "LinearRegressionScratch (lesson)": scratch.w,
        "linmod.ols(X, y, solver='normal')": textbook.coef.to_numpy(),
        "linmod.ols(X, y)": accurate.coef.to_numpy(),
        "linmod.LinearRegression().fit(X, y)": np.r_[estimator.intercept_, estimator.coef_],
    }
    for name, w in rows.items():
        print(f"{name:<42}{w[0]:>12.8f}{w[1]:>12.8f}")
    gap = max(float(np.max(np.abs(w - scratch.w))) for w in rows.values())
    print(f"largest difference from the scratch class: {gap:.1e}")

    X_new = np.array([[0.0], [2.0]])
    print(f"scratch predictions at 0 and 2 (1000 sqft): {np.round(scratch.predict(X_new), 4)}")
    print(f"linmod predictions at 0 and 2 (1000 sqft):  {np.round(estimator.predict(X_new), 4)}")


if __name__ == "__main__":
    main()
