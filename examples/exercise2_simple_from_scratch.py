"""Lesson 2, Exercise 2 "Implement from Scratch": ``SimpleLinearRegression``.

A student's solution of the exercise: ``fit`` computes ``β̂₁ = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²`` and
``β̂₀ = ȳ − β̂₁x̄`` (the closed form derived in the lesson), ``predict`` returns
``β̂₀ + β̂₁x``.  It is checked against ``linmod.ols(..., solver="simple")``, linmod's
implementation of the same closed form, on exercise 1's five points (2.2 and 0.6) and on
the first lesson's house prices (seeded: ``np.random.seed(42)``,
``linmod.datasets.house_prices_simple()``; 4.22 and 2.77).

Run::

    python examples/exercise2_simple_from_scratch.py
"""

from __future__ import annotations

import numpy as np

import linmod


class SimpleLinearRegression:
    """Least squares with one predictor, from the closed-form formulas."""

    def __init__(self) -> None:
        self.beta_0: float | None = None
        self.beta_1: float | None = None

    def fit(self, X: np.ndarray, y: np.ndarray) -> SimpleLinearRegression:
        """Calculate β₀ and β₁ using the formulas."""
        x = np.asarray(X, dtype=float).ravel()
        yv = np.asarray(y, dtype=float)
        if x.size != yv.size:
            raise ValueError(f"X has {x.size} values but y has {yv.size}; they must match")
        x_bar, y_bar = x.mean(), yv.mean()
        s_xx = float(np.sum((x - x_bar) ** 2))
        if s_xx == 0.0:
            raise ValueError("all x values are equal: the slope is undefined")
        self.beta_1 = float(np.sum((x - x_bar) * (yv - y_bar))) / s_xx
        self.beta_0 = float(y_bar - self.beta_1 * x_bar)
        return self

    def coefficients(self) -> tuple[float, float]:
        """``(β̂₀, β̂₁)`` of the fitted model."""
        if self.beta_0 is None or self.beta_1 is None:
            raise RuntimeError("call fit(X, y) first")
        return self.beta_0, self.beta_1

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Return predictions β₀ + β₁x."""
        beta_0, beta_1 = self.coefficients()
        return beta_0 + beta_1 * np.asarray(X, dtype=float).ravel()


def compare(name: str, X: np.ndarray, y: np.ndarray) -> None:
    """Fit both implementations and print them side by side."""
    mine = SimpleLinearRegression().fit(X, y)
    mine_b0, mine_b1 = mine.coefficients()
    res = linmod.ols(X, y, solver="simple")
    b0, b1 = res.coef.iloc[0], res.coef.iloc[1]
    print(f"{name}")
    print(f"  {'SimpleLinearRegression:':<35} β̂₀ = {mine_b0:.12f}, β̂₁ = {mine_b1:.12f}")
    print(f"  {'linmod.ols(X, y, solver=simple):':<35} β̂₀ = {b0:.12f}, β̂₁ = {b1:.12f}")
    gap = max(abs(mine_b0 - b0), abs(mine_b1 - b1))
    print(f"  largest difference: {gap:.1e}")
    fitted_gap = np.max(np.abs(mine.predict(X) - res.fitted.to_numpy()))
    print(f"  largest difference of the predictions: {fitted_gap:.1e}")


def main() -> None:
    """Check the student's class on two data sets."""
    X = np.array([[1], [2], [3], [4], [5]])
    y = np.array([2, 4, 5, 4, 5])
    compare("Exercise 1's points:", X, y)
    print(
        f"  prediction at x = 6: {SimpleLinearRegression().fit(X, y).predict(np.array([6]))[0]:.4f}"
    )

    data = linmod.datasets.house_prices_simple()
    compare("The lesson's house prices:", data[["size"]].to_numpy(), data["price"].to_numpy())
    house = SimpleLinearRegression().fit(data["size"].to_numpy(), data["price"].to_numpy())
    intercept, slope = house.coefficients()
    print(f"Intercept: {intercept:.2f}")
    print(f"Slope: {slope:.2f}")


if __name__ == "__main__":
    main()
