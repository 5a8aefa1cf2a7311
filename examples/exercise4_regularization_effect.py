"""Lesson 2, Exercise 4 "Regularization Effect": train and test R² against alpha.

For the exercise's ``alphas = [0.001, 0.01, 0.1, 1, 10, 100, 1000]``,
``linmod.regularization.train_test_r2`` fits Ridge (and the Lasso) at every penalty on the
training set (one SVD for the whole ridge grid, a warm-started path for the Lasso) and
scores each fit on both sets; ``linmod.plot_train_test_r2`` draws the curves and marks the
best test penalty.

Two data sets, both with the lesson's 80/20 split (``random_state=42``) and the features
standardised on the training set, as in the lesson's complete implementation:

* the lesson's house prices (seeded: ``np.random.seed(42)``,
  ``linmod.datasets.house_prices()``): 500 rows, 5 relevant features and little noise;
  regularisation barely matters: small penalties tie, large ridge penalties hurt;
* the first lesson's diabetes data (``linmod.datasets.diabetes()``, bundled with
  scikit-learn): noisier, with correlated features, where a moderate penalty raises the
  test R².

Choosing alpha by the test R² uses the test set to tune the model, so that R² is no longer
an honest estimate; the example also picks alpha by 5-fold cross-validation on the
training set alone (``linmod.RidgeCV(alphas=alphas, cv=5)``, ``linmod.LassoCV(...)``).

Run::

    python examples/exercise4_regularization_effect.py

The figures ``exercise4_house_prices.png`` and ``exercise4_diabetes.png`` are written to the
folder named by ``LINMOD_EXAMPLES_OUT`` (default: ``./linmod_examples_output``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import linmod

alphas = [0.001, 0.01, 0.1, 1, 10, 100, 1000]


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


def study(name: str, data: pd.DataFrame, target: str, figure_name: str) -> None:
    """Train/test R² against alpha for Ridge and the Lasso on one data set."""
    X, y = data.drop(columns=target), data[target]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    scaler = StandardScaler().set_output(transform="pandas").fit(X_train)
    X_train_s, X_test_s = scaler.transform(X_train), scaler.transform(X_test)

    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    print(f"=== {name} ===")
    for penalty, ax in zip(("ridge", "lasso"), axes, strict=True):
        curve = linmod.regularization.train_test_r2(
            X_train_s, y_train, X_test_s, y_test, alphas=alphas, penalty=penalty, tol=1e-10
        )
        print(f"{penalty.capitalize()}:")
        print(f"  {'alpha':>8}{'train R²':>12}{'test R²':>12}")
        for alpha, train, test in zip(curve.alphas, curve.train_r2, curve.test_r2, strict=True):
            # round(v, 6) + 0.0 prints an R² of -1e-16 (a model with every slope at zero)
            # as 0.000000 rather than -0.000000
            print(f"  {alpha:>8g}{round(train, 6) + 0.0:>12.6f}{round(test, 6) + 0.0:>12.6f}")
        print(
            f"  best alpha by test R²: {curve.best_alpha:g} "
            f"(test R² {curve.test_r2[curve.best_index]:.6f})"
        )
        linmod.plot_train_test_r2(curve, ax=ax)
        ax.set_title(f"{name}: {penalty.capitalize()}")

    searches = {
        "RidgeCV": linmod.RidgeCV(alphas=alphas, cv=5),
        "LassoCV": linmod.LassoCV(alphas=alphas, cv=5, tol=1e-10),
    }
    for label, search in searches.items():
        search.fit(X_train_s, y_train)
        test_r2 = linmod.metrics.r2(y_test, search.predict(X_test_s))
        print(
            f"{label}(cv=5) on the training set alone picks alpha = {search.alpha_:g} "
            f"(test R² {test_r2:.6f})"
        )
    print()

    fig.tight_layout()
    path = output_dir() / figure_name
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"Figure written to {path}\n")


def main() -> None:
    """The exercise on the lesson's house prices and on the diabetes data."""
    study("House prices", linmod.datasets.house_prices(), "price", "exercise4_house_prices.png")
    study("Diabetes", linmod.datasets.diabetes(), "target", "exercise4_diabetes.png")


if __name__ == "__main__":
    main()
