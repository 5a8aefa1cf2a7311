"""Lesson 2, "Gradient Descent": the code block ``gradient_descent`` with linmod.

The lesson draws ``X`` (100×3) and ``y = 3x₁ + 2x₂ − x₃ + 5 + 0.5·noise`` with
``np.random.seed(42)`` and runs 100 iterations of batch gradient descent at
``learning_rate=0.1`` from zero on the raw (unstandardised) data.  The lesson does not show
its output; running its code prints::

    Learned coefficients: [ 5.0564316   2.96116602  1.97501781 -1.05379722]

``linmod.GDRegressor(standardize=False, learning_rate=0.1, max_epochs=100)`` is the same
algorithm (cost ``mean((ŷ − y)²)``, gradient ``(2/n)Xᵀ(ŷ − y)``) and prints the same
line.  After 100 iterations it has not converged, and linmod says so (a
``ConvergenceWarning``, caught and shown here); with its defaults (standardised features,
the step ``1/L`` from the gradient's Lipschitz constant) it converges to the least-squares
solution.

Run::

    python examples/lesson2_03_gradient_descent.py
"""

from __future__ import annotations

import warnings

import numpy as np

import linmod


def lesson_data() -> tuple[np.ndarray, np.ndarray]:
    """The lesson's ``np.random.seed(42)`` draws."""
    rng = np.random.RandomState(42)
    X = rng.randn(100, 3)
    y = 3 * X[:, 0] + 2 * X[:, 1] - 1 * X[:, 2] + 5 + rng.randn(100) * 0.5
    return X, y


def main() -> None:
    """Run the lesson's 100 iterations, then run to convergence."""
    X, y = lesson_data()

    model = linmod.GDRegressor(standardize=False, learning_rate=0.1, max_epochs=100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", linmod.ConvergenceWarning)
        model.fit(X, y)
    beta_gd = np.r_[model.intercept_, model.coef_]
    costs = model.cost_history_
    print(f"Learned coefficients: {beta_gd}")

    print(
        f"\ncost history ({len(costs)} values, as the lesson's cost_history): "
        f"J = {costs[0]:.6f} at the first iteration, {costs[-1]:.6f} at the last"
    )
    print(f"converged after 100 iterations: {model.converged_}")
    for warning in caught:
        print(f"linmod warns: {warning.message}")

    auto = linmod.GDRegressor().fit(X, y)
    exact = linmod.ols(X, y)
    print(f"\nGDRegressor() defaults: {auto.n_iter_} iterations, converged: {auto.converged_}")
    print(f"  coefficients:   {np.r_[auto.intercept_, auto.coef_]}")
    print(f"  least squares:  {exact.coef.to_numpy()}")
    gradient = (2 / len(y)) * np.c_[np.ones(len(y)), X].T @ (auto.predict(X) - y)
    print(f"  gradient of J at the result: max |∂J/∂β| = {np.abs(gradient).max():.1e}")


if __name__ == "__main__":
    main()
