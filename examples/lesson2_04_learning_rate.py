"""Lesson 2, "Convergence Visualization": the learning rate, too small, right and too high.

On the gradient-descent data of the lesson (``np.random.seed(42)``, ``X`` 100×3, raw
features as in the lesson's code), batch gradient descent at four learning rates for 100
iterations each.  Any constant rate below ``2/L`` converges, where ``L`` is the Lipschitz
constant of the gradient (the largest eigenvalue of ``2X₁ᵀX₁/n``, ``X₁`` with the column
of ones); above it the cost explodes.  ``linmod.plots.ConvergenceDisplay`` records the
costs and draws the lesson's sketch for real (``convergence.png``; the figure
``linmod.plots.convergence(X, y, learning_rates=...)`` returns); ``GDRegressor`` with a
rate above ``2/L`` stops with a ``ConvergenceError`` that names the largest stable rate.

Run::

    python examples/lesson2_04_learning_rate.py

The figure is written to the folder named by ``LINMOD_EXAMPLES_OUT`` (default:
``./linmod_examples_output``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

import linmod

RATES = (0.01, 0.1, 0.5, 0.8)


def output_dir() -> Path:
    """The folder for figures: ``$LINMOD_EXAMPLES_OUT``, else ``./linmod_examples_output``."""
    folder = Path(os.environ.get("LINMOD_EXAMPLES_OUT") or "linmod_examples_output")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def lesson_data() -> tuple[np.ndarray, np.ndarray]:
    """The lesson's ``np.random.seed(42)`` draws."""
    rng = np.random.RandomState(42)
    X = rng.randn(100, 3)
    y = 3 * X[:, 0] + 2 * X[:, 1] - 1 * X[:, 2] + 5 + rng.randn(100) * 0.5
    return X, y


def main() -> None:
    """Run the four rates, print the final costs, draw the curves."""
    X, y = lesson_data()
    display = linmod.plots.ConvergenceDisplay.from_data(
        X, y, learning_rates=RATES, n_iter=100, standardize=False
    )
    stable = 2 / display.lipschitz
    print(
        f"L = {display.lipschitz:.4f}; largest stable rate 2/L = {stable:.4f}; "
        f"auto rate 1/L = {1 / display.lipschitz:.4f}"
    )
    print(f"least-squares cost (the floor): {linmod.ols(X, y).mse:.6f}")
    for rate, history, diverged in zip(
        display.learning_rates, display.histories, display.diverged, strict=True
    ):
        if diverged or rate >= stable:
            verdict = "diverges"
        elif rate < 0.2 / display.lipschitz:
            verdict = "too small: slow"
        else:
            verdict = "about right"
        print(f"rate {rate:<5g} cost at iteration {history.size}: {history[-1]:.6g} ({verdict})")

    try:
        linmod.GDRegressor(standardize=False, learning_rate=0.8, max_epochs=100).fit(X, y)
    except linmod.ConvergenceError as error:
        print(f"\nGDRegressor(learning_rate=0.8): ConvergenceError: {error}")

    fig = display.plot()
    path = output_dir() / "convergence.png"
    fig.savefig(path, dpi=100)
    import matplotlib.pyplot as plt

    plt.close(fig)
    print(f"Figure written to {path}")


if __name__ == "__main__":
    main()
