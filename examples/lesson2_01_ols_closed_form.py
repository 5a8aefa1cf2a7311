"""Lesson 2 ("Linear Regression: Math + Code + Assumptions"), "Ordinary Least Squares (OLS)
Derivation": the closed form ``β̂₁ = Cov(x, y) / Var(x)``, ``β̂₀ = ȳ − β̂₁x̄``, and the code
block ``ols_fit`` (the normal equation in matrix form).

On the lesson's five points ``x = 1..5``, ``y = 2, 4, 5, 4, 5`` (no randomness), the block
prints::

    Intercept: 2.20, Slope: 0.60

This example runs the lesson's ``ols_fit``, the closed form step by step (both partial
derivatives vanish at the solution), and linmod's two matching solvers:
``solver="simple"`` (the closed form) and ``solver="normal"`` (the matrix form), plus the
default accurate one.

Run::

    python examples/lesson2_01_ols_closed_form.py
"""

from __future__ import annotations

import numpy as np

import linmod


def ols_fit(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Ordinary Least Squares using normal equation."""
    X_b = np.c_[np.ones((X.shape[0], 1)), X]
    beta = np.linalg.inv(X_b.T @ X_b) @ X_b.T @ y
    return beta


def main() -> None:
    """The lesson's block, then the closed form and linmod."""
    X = np.array([[1], [2], [3], [4], [5]])
    y = np.array([2, 4, 5, 4, 5])
    beta = ols_fit(X, y)
    print(f"Intercept: {beta[0]:.2f}, Slope: {beta[1]:.2f}")

    x = X.ravel().astype(float)
    x_bar, y_bar = x.mean(), y.mean()
    s_xy = float(np.sum((x - x_bar) * (y - y_bar)))
    s_xx = float(np.sum((x - x_bar) ** 2))
    b1 = s_xy / s_xx
    b0 = y_bar - b1 * x_bar
    print("\nClosed form:")
    print(f"  x̄ = {x_bar:g}, ȳ = {y_bar:g}, Σ(x-x̄)(y-ȳ) = {s_xy:g}, Σ(x-x̄)² = {s_xx:g}")
    print(f"  β̂₁ = {s_xy:g}/{s_xx:g} = {b1:.4f}")
    cov_var = np.cov(x, y)[0, 1] / np.var(x, ddof=1)
    print(f"  Cov(x, y)/Var(x) = {cov_var:.4f} (the 1/(n-1) factors cancel)")
    print(f"  β̂₀ = ȳ - β̂₁x̄ = {y_bar:g} - {b1:.4f}·{x_bar:g} = {b0:.4f}")
    resid = y - b0 - b1 * x
    print(f"  ∂S/∂β₀ = -2Σ(y - β₀ - β₁x) = {-2 * resid.sum():.1e}")
    print(f"  ∂S/∂β₁ = -2Σx(y - β₀ - β₁x) = {-2 * (x * resid).sum():.1e}")

    print("\nlinmod:")
    for solver in ("simple", "normal", "auto"):
        res = linmod.ols(X, y, solver=solver)
        print(
            f"  solver={solver!r:<9} Intercept: {res.coef.iloc[0]:.4f}, "
            f"Slope: {res.coef.iloc[1]:.4f}"
        )


if __name__ == "__main__":
    main()
