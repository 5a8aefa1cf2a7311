"""Lesson 2, "Gauss-Markov Theorem": OLS is the best linear unbiased estimator (BLUE).

Under the classical assumptions every linear unbiased estimator ``β̃`` of the slope has
``Var(β̃) ≥ Var(β̂_OLS)``.  This example compares OLS with another linear unbiased slope
estimator, Wald's grouping estimator ``(ȳ_upper − ȳ_lower) / (x̄_upper − x̄_lower)`` (the
slope between the means of the lower and upper halves of x), on the first lesson's house
sizes (``linmod.datasets.house_prices_simple()``, seeded ``np.random.seed(42)``) with the
lesson's true line ``4 + 3·size`` and N(0, 1) errors:

* exactly: ``Var(β̂_OLS) = σ²/Σ(x−x̄)²`` and ``Var(β̃) = σ²(1/m + 1/m)/(x̄_U − x̄_L)²``;
* by simulation (2,000 data sets drawn with ``np.random.default_rng(0)``, fitted with
  ``linmod.ols(..., solver="simple")``): both are unbiased, OLS varies less.

Run::

    python examples/lesson2_02_gauss_markov.py
"""

from __future__ import annotations

import numpy as np

import linmod

REPLICATIONS = 2000


def main() -> None:
    """Exact and simulated variances of two linear unbiased slope estimators."""
    x = linmod.datasets.house_prices_simple()["size"].to_numpy()
    n, sigma = x.size, 1.0
    order = np.argsort(x)
    lower, upper = order[: n // 2], order[n // 2 :]
    gap = x[upper].mean() - x[lower].mean()

    var_ols = sigma**2 / np.sum((x - x.mean()) ** 2)
    var_group = sigma**2 * (1 / lower.size + 1 / upper.size) / gap**2
    print(f"exact Var(OLS slope)      = {var_ols:.6f}")
    print(f"exact Var(grouping slope) = {var_group:.6f}  (ratio {var_group / var_ols:.4f})")

    rng = np.random.default_rng(0)
    ols_slopes, group_slopes = np.empty(REPLICATIONS), np.empty(REPLICATIONS)
    for r in range(REPLICATIONS):
        y = 4 + 3 * x + rng.normal(0.0, sigma, n)
        ols_slopes[r] = linmod.ols(x[:, None], y, solver="simple").coef.iloc[1]
        group_slopes[r] = (y[upper].mean() - y[lower].mean()) / gap
    print(f"\nsimulation, {REPLICATIONS} data sets (true slope 3):")
    print(f"  OLS:      mean {ols_slopes.mean():.4f}, variance {ols_slopes.var(ddof=1):.6f}")
    print(f"  grouping: mean {group_slopes.mean():.4f}, variance {group_slopes.var(ddof=1):.6f}")
    print("Both are unbiased; OLS has the smaller variance, as Gauss-Markov promises.")


if __name__ == "__main__":
    main()
