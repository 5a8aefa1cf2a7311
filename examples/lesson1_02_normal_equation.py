"""Lesson 1 (ML-06), "Deriving the Closed-Form Solution" and "Geometric Interpretation".

Checks each step of the lesson's derivation numerically on its house-price data (seeded:
``np.random.seed(42)``, ``linmod.datasets.house_prices_simple()``):

1. the expansion ``J(w) = yᵀy − 2wᵀXᵀy + wᵀXᵀXw`` equals ``‖y − Xw‖²``;
2. the gradient ``∇J = −2Xᵀy + 2XᵀXw`` agrees with finite differences;
3. at the solution of the normal equation ``XᵀXw* = Xᵀy`` the gradient vanishes;

then the geometry: the residual is orthogonal to every column of ``X``, the fitted values
are the projection ``Hy`` with ``H = X(XᵀX)⁻¹Xᵀ`` (``H² = H``), Pythagoras
``‖y‖² = ‖ŷ‖² + ‖y − ŷ‖²`` holds, and moving ``w`` away from ``w*`` only increases ``J``.
``linmod.ols(..., solver="normal")`` is the lesson's ``inv(XᵀX) Xᵀy``; the default solver
(QR with refinement) gives the same coefficients here (the design is well conditioned).

Run::

    python examples/lesson1_02_normal_equation.py
"""

from __future__ import annotations

import numpy as np

import linmod


def cost(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The lesson's objective ``J(w) = ‖y − Xw‖²``."""
    r = y - X @ w
    return float(r @ r)


def main() -> None:
    """Walk through the derivation and the projection picture."""
    data = linmod.datasets.house_prices_simple()
    X = np.c_[np.ones(len(data)), data["size"].to_numpy()]
    y = data["price"].to_numpy()
    w = np.array([1.0, 1.0])  # any point: the identities hold everywhere

    print("Step 1: expand J(w) = (y - Xw)ᵀ(y - Xw)")
    expanded = y @ y - 2 * w @ X.T @ y + w @ X.T @ X @ w
    print(f"  ‖y - Xw‖² at w = (1, 1):               {cost(X, y, w):.6f}")
    print(f"  yᵀy - 2wᵀXᵀy + wᵀXᵀXw at w = (1, 1):   {expanded:.6f}")

    print("Step 2: the gradient ∇J = -2Xᵀy + 2XᵀXw")
    gradient = -2 * X.T @ y + 2 * X.T @ X @ w
    h = 1e-6
    numeric = np.array(
        [(cost(X, y, w + h * e) - cost(X, y, w - h * e)) / (2 * h) for e in np.eye(2)]
    )
    print(f"  formula:            {np.array2string(gradient, precision=4)}")
    print(f"  finite differences: {np.array2string(numeric, precision=4)}")

    print("Step 3: set it to zero: XᵀX w* = Xᵀy, w* = (XᵀX)⁻¹Xᵀy")
    normal = linmod.ols("price ~ size", data=data, solver="normal")
    accurate = linmod.ols("price ~ size", data=data)
    w_star = normal.coef.to_numpy()
    print(
        f"  w* by the normal equation (solver='normal'): intercept {w_star[0]:.6f}, "
        f"slope {w_star[1]:.6f}"
    )
    print(
        f"  w* by linmod's default solver:               intercept "
        f"{accurate.coef.iloc[0]:.6f}, slope {accurate.coef.iloc[1]:.6f}"
    )
    grad_star = -2 * X.T @ y + 2 * X.T @ X @ w_star
    print(f"  gradient at w*: max |∇J| = {np.abs(grad_star).max():.1e} (zero up to rounding)")

    print("\nGeometry: ŷ = Xw* is the orthogonal projection of y onto the column space of X")
    fitted = accurate.fitted.to_numpy()
    residual = y - fitted
    print(f"  max |Xᵀ(y - ŷ)| = {np.abs(X.T @ residual).max():.1e}  (residual ⟂ every column)")
    H = X @ np.linalg.solve(X.T @ X, X.T)
    print(f"  max |H² - H|    = {np.abs(H @ H - H).max():.1e}  (H is a projection)")
    print(f"  max |Hy - ŷ|    = {np.abs(H @ y - fitted).max():.1e}")
    print(f"  ‖y‖² = {y @ y:.4f};  ‖ŷ‖² + ‖y - ŷ‖² = {fitted @ fitted + residual @ residual:.4f}")
    rng = np.random.default_rng(0)
    steps = rng.normal(scale=0.05, size=(1000, 2))
    increases = [cost(X, y, w_star + step) - cost(X, y, w_star) for step in steps]
    print(f"  J(w* + δ) - J(w*) over 1000 random small δ: smallest {min(increases):.6f} > 0")
    print(f"  minimum of J: {cost(X, y, w_star):.4f} = residual sum of squares {accurate.ssr:.4f}")


if __name__ == "__main__":
    main()
