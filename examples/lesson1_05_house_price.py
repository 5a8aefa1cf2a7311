"""Lesson 1 (ML-06), code block "Example: House Price": the fit and its plot.

The lesson draws 100 houses with ``np.random.seed(42)`` (size in 1000 sqft, price in $10k,
``price = 4 + 3·size + noise``); ``linmod.datasets.house_prices_simple()`` draws the same
numbers, so the output matches the lesson's::

    Intercept: 4.22
    Slope: 2.77

and the figure is the lesson's "Linear Regression: House Price" (``linear_regression.png``,
which the lesson saves under ``assets/``).  The fit is ``linmod.ols`` instead of the
lesson's ``LinearRegressionScratch`` (see ``lesson1_04_scratch_class.py``); its summary adds
what the lesson leaves out: standard errors, confidence intervals and R².

Run::

    python examples/lesson1_05_house_price.py

The figure is written to the folder named by ``LINMOD_EXAMPLES_OUT`` (default:
``./linmod_examples_output``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

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


def main() -> None:
    """Fit the lesson's house prices, print the lesson's two lines and draw the plot."""
    # Generate data (the lesson's np.random.seed(42) draws)
    data = linmod.datasets.house_prices_simple(seed=42)

    # Train
    res = linmod.ols("price ~ size", data=data)

    print(f"Intercept: {res.coef['Intercept']:.2f}")
    print(f"Slope: {res.coef['size']:.2f}")

    print()
    print(res.summary())
    ci = res.conf_int(0.95)
    print(
        f"\n95% CI of the slope: [{ci.loc['size'].iloc[0]:.2f}, {ci.loc['size'].iloc[1]:.2f}] "
        "(the true slope is 3)"
    )

    # Plot
    plt = pyplot()
    fig, ax = plt.subplots()
    ax.scatter(data["size"], data["price"], alpha=0.6)
    X_line = pd.DataFrame({"size": [0.0, 2.0]})
    ax.plot(X_line["size"], res.predict(X_line)["fit"], "r-", linewidth=2)
    ax.set_xlabel("Size (1000 sqft)")
    ax.set_ylabel("Price ($10k)")
    ax.set_title("Linear Regression: House Price")
    path = output_dir() / "linear_regression.png"
    fig.savefig(path)
    plt.close(fig)
    print(f"Figure written to {path}")


if __name__ == "__main__":
    main()
