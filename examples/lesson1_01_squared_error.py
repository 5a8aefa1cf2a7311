"""Lesson 1 (ML-06), "Why Squared Error?": three error metrics and the "House Price Fit" figure.

Reproduces the lesson's table comparing the sum of errors, the sum of absolute errors and
the sum of squared errors on the lesson's house-price data (seeded: ``np.random.seed(42)``,
100 houses, ``linmod.datasets.house_prices_simple()``), and draws the figure of the
least-squares line with the residuals as vertical dashed lines.

* The sum of errors cannot pick a line: every line through the point of means
  ``(x̄, ȳ)`` has errors summing to zero, the flat line at ``ȳ`` included.
* Absolute and squared errors do tell the lines apart; least squares has the smallest
  sum of squared errors (``res.ssr``).
* Squaring penalises one big error more than several small ones.

Run::

    python examples/lesson1_01_squared_error.py

The figure ``house_price_fit.png`` is written to the folder named by the environment
variable ``LINMOD_EXAMPLES_OUT`` (default: ``./linmod_examples_output``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

import linmod


def output_dir() -> Path:
    """The folder for figures: ``$LINMOD_EXAMPLES_OUT``, else ``./linmod_examples_output``."""
    folder = Path(os.environ.get("LINMOD_EXAMPLES_OUT") or "linmod_examples_output")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend when there is no display."""
    import matplotlib

    if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def error_sums(y: np.ndarray, fitted: np.ndarray) -> tuple[float, float, float]:
    """Sum of errors, sum of absolute errors and sum of squared errors of a prediction."""
    errors = y - fitted
    total = float(errors.sum())
    total = 0.0 if abs(total) < 5e-5 else total  # print rounding to zero as 0.0000, not -0.0000
    return total, float(np.abs(errors).sum()), float((errors**2).sum())


def main() -> None:
    """Compare the three metrics on three lines and draw the residuals of the best one."""
    data = linmod.datasets.house_prices_simple()
    x, y = data["size"].to_numpy(), data["price"].to_numpy()
    res = linmod.ols("price ~ size", data=data)
    b0, b1 = res.coef["Intercept"], res.coef["size"]

    # Three lines through the point of means (x̄, ȳ): their errors all sum to zero.
    lines = {
        f"least squares ({b0:.2f} + {b1:.2f}·size)": (b0, b1),
        f"flat line at the mean ({y.mean():.2f})": (y.mean(), 0.0),
        "steeper line through the means (slope 5)": (y.mean() - 5.0 * x.mean(), 5.0),
    }
    print(f"{'line':<44}{'sum of errors':>15}{'sum |errors|':>15}{'sum errors²':>15}")
    for name, (intercept, slope) in lines.items():
        total, absolute, squared = error_sums(y, intercept + slope * x)
        print(f"{name:<44}{total:>15.4f}{absolute:>15.4f}{squared:>15.4f}")
    print(f"\nresidual sum of squares of the fit (res.ssr): {res.ssr:.4f}")
    print("The sum of errors is zero for all three lines: positive and negative errors cancel.")

    one_big, two_small = np.array([2.0, 0.0]), np.array([1.0, 1.0])
    print(
        "One error of 2 against two errors of 1: "
        f"absolute {np.abs(one_big).sum():g} vs {np.abs(two_small).sum():g}, "
        f"squared {(one_big**2).sum():g} vs {(two_small**2).sum():g}"
    )

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    fitted = res.fitted.to_numpy()
    ax.vlines(x, fitted, y, colors="0.5", linestyles="dashed", linewidth=0.8, label="residuals")
    ax.scatter(x, y, alpha=0.6, label="houses")
    grid = np.array([0.0, 2.0])
    ax.plot(grid, b0 + b1 * grid, "r-", linewidth=2, label="least-squares line")
    ax.set_xlabel("Size (1000 sqft)")
    ax.set_ylabel("Price ($10k)")
    ax.set_title("House Price Fit: the line minimises the sum of squared residuals")
    ax.legend()
    path = output_dir() / "house_price_fit.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"Figure written to {path}")


if __name__ == "__main__":
    main()
