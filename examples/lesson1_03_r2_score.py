"""Lesson 1 (ML-06), "Understanding R² Score": the formula and the interpretation table.

Computes ``R² = 1 − SS_res / SS_tot`` by hand on the lesson's house-price data (seeded:
``np.random.seed(42)``, ``linmod.datasets.house_prices_simple()``) and checks it against
``res.r_squared`` and ``linmod.metrics.r2``; then reproduces the rows of the lesson's
interpretation table with real predictions: a perfect prediction (R² = 1), predicting the
mean (R² = 0) and a model worse than the mean (R² < 0).

Run::

    python examples/lesson1_03_r2_score.py
"""

from __future__ import annotations

import numpy as np

import linmod


def main() -> None:
    """Compute R² three ways, then for the table's reference predictions."""
    data = linmod.datasets.house_prices_simple()
    y = data["price"].to_numpy()
    res = linmod.ols("price ~ size", data=data)
    fitted = res.fitted.to_numpy()

    ss_res = float(np.sum((y - fitted) ** 2))
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    print(f"SS_res = {ss_res:.4f}, SS_tot = {ss_tot:.4f}")
    print(f"R² by the formula 1 - SS_res/SS_tot: {1 - ss_res / ss_tot:.4f}")
    print(f"R² from the fit (res.r_squared):     {res.r_squared:.4f}")
    print(f"R² from linmod.metrics.r2:           {linmod.metrics.r2(y, fitted):.4f}")
    print(f"The model explains {100 * res.r_squared:.1f}% of the variance of the price.\n")

    flipped = y.mean() - res.coef["size"] * (data["size"].to_numpy() - data["size"].mean())
    cases = {
        "perfect prediction (ŷ = y)": y,
        "least-squares line": fitted,
        "predict the mean price": np.full_like(y, y.mean()),
        "line with the slope's sign flipped": flipped,
    }
    print(f"{'prediction':<36}{'R²':>8}")
    for name, prediction in cases.items():
        print(f"{name:<36}{linmod.metrics.r2(y, prediction):>8.4f}")
    print("R² = 1: perfect; 0: no better than the mean; below 0: worse than the mean.")


if __name__ == "__main__":
    main()
