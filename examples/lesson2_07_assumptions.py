"""Lesson 2, "Assumptions of Linear Regression": the five checks, each with the lesson's test.

Part 1 checks the lesson's house-price model (seeded: ``np.random.seed(42)``,
``linmod.datasets.house_prices()``), whose errors were drawn to satisfy every assumption:

1. linearity: residuals against fitted values show no pattern (RESET test);
2. independence: Durbin-Watson statistic ≈ 2;
3. homoscedasticity: constant error variance (Breusch-Pagan test);
4. normality: Q-Q plot and Shapiro-Wilk test;
5. no multicollinearity: VIF = 1/(1 − Rⱼ²), read with the lesson's bands
   (1 none, 1-5 moderate, 5-10 high, > 10 severe).

``res.check()`` runs them all (with further tests) and gives a verdict and a remedy per
assumption; ``res.plot_diagnostics()`` draws the residual plots (``assumptions_diagnostics.png``).

Part 2 breaks one assumption at a time in data simulated here (``np.random.default_rng(11)``,
200 rows each; the lesson has none) and shows that the matching check catches it.

Run::

    python examples/lesson2_07_assumptions.py

The figure is written to the folder named by ``LINMOD_EXAMPLES_OUT`` (default:
``./linmod_examples_output``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

import linmod
from linmod import diagnostics

FORMULA = "price ~ square_feet + bedrooms + bathrooms + age + garage"


def output_dir() -> Path:
    """The folder for figures: ``$LINMOD_EXAMPLES_OUT``, else ``./linmod_examples_output``."""
    folder = Path(os.environ.get("LINMOD_EXAMPLES_OUT") or "linmod_examples_output")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def broken_data(seed: int = 11, n: int = 200) -> dict[str, tuple[str, pd.DataFrame]]:
    """One data set per assumption, each violating it: name -> (formula, data)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 3, n)
    noise = rng.normal(0, 1, n)
    ar = np.empty(n)
    ar[0] = noise[0]
    for t in range(1, n):  # AR(1) errors, rho = 0.8, rows in time order
        ar[t] = 0.8 * ar[t - 1] + noise[t]
    x2 = x + rng.normal(0, 0.1, n)
    return {
        "linearity": ("y ~ x", pd.DataFrame({"x": x, "y": 1 + x**2 + 0.3 * noise})),
        "independence": ("y ~ x", pd.DataFrame({"x": x, "y": 1 + 2 * x + ar})),
        "homoscedasticity": ("y ~ x", pd.DataFrame({"x": x, "y": 1 + 2 * x + x * noise})),
        "normality": (
            "y ~ x",
            pd.DataFrame({"x": x, "y": 1 + 2 * x + rng.exponential(1.0, n) - 1.0}),
        ),
        "multicollinearity": (
            "y ~ x + x2",
            pd.DataFrame({"x": x, "x2": x2, "y": 1 + x + x2 + noise}),
        ),
    }


def main() -> None:
    """Check the house-price model, then catch each broken assumption."""
    data = linmod.datasets.house_prices()
    res = linmod.ols(FORMULA, data=data)

    print("Part 1: the lesson's house prices")
    reset = diagnostics.reset(res)
    print(f"1. Linearity: RESET F = {reset.statistic:.4f}, p = {reset.p_value:.4f}")
    dw = diagnostics.durbin_watson(res)
    print(f"2. Independence: Durbin-Watson DW = {dw.statistic:.4f} (≈ 2 means no autocorrelation)")
    bp = diagnostics.breusch_pagan(res)
    print(f"3. Homoscedasticity: Breusch-Pagan BP = {bp.statistic:.4f}, p = {bp.p_value:.4f}")
    sw = diagnostics.shapiro_wilk(res)
    print(f"4. Normality: Shapiro-Wilk W = {sw.statistic:.4f}, p = {sw.p_value:.4f}")
    print("5. No multicollinearity: VIF")
    table = diagnostics.gvif(res)
    for term, row in table.iterrows():
        print(f"     {term:<12} VIF = {row['vif_equivalent']:.4f} ({row['band']})")

    report = res.check()
    print("\nAll at once, res.check():\n")
    print(report)
    figure = res.plot_diagnostics(
        which=("residuals_fitted", "qq", "scale_location", "residuals_leverage", "vif", "acf")
    )
    path = figure.save(output_dir() / "assumptions_diagnostics.png")
    import matplotlib.pyplot as plt

    plt.close(figure.figure)
    print(f"\nResidual plots written to {path}")

    print("\nPart 2: one assumption broken at a time")
    for assumption, (formula, frame) in broken_data().items():
        chk = linmod.ols(formula, data=frame).check()[assumption]
        key = chk.key_test
        evidence = f"{key.name} p = {key.p_value:.2g}" if key is not None else chk.effect_text
        print(f"  {assumption:<18} verdict: {chk.verdict:<9} ({evidence})")
        print(f"  {'':<18} remedy: {chk.remedy}")


if __name__ == "__main__":
    main()
