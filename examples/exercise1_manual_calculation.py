"""Lesson 2, Exercise 1 "Manual Calculation": the points (1, 2), (2, 4), (3, 5), (4, 4), (5, 5).

a) ``β̂₀`` and ``β̂₁`` by hand, b) the prediction at ``x = 6``, c) ``R²``.  The working is
done in exact fractions (``fractions.Fraction``), as on paper, and the answer
(``β̂₀ = 2.2, β̂₁ = 0.6, ŷ(6) = 5.8, R² = 0.6``) is checked against ``linmod.ols``.

Run::

    python examples/exercise1_manual_calculation.py
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

import linmod

POINTS = [(1, 2), (2, 4), (3, 5), (4, 4), (5, 5)]


def show(values: list[Fraction]) -> str:
    """Fractions as ``[a, b/c, ...]``."""
    return "[" + ", ".join(str(v) for v in values) + "]"


def main() -> None:
    """Work the exercise by hand, then check with linmod."""
    xs = [Fraction(x) for x, _ in POINTS]
    ys = [Fraction(y) for _, y in POINTS]
    n = len(POINTS)

    print("a) Slope and intercept")
    x_bar, y_bar = sum(xs, Fraction(0)) / n, sum(ys, Fraction(0)) / n
    print(f"   x̄ = {x_bar}, ȳ = {y_bar}")
    dx = [x - x_bar for x in xs]
    dy = [y - y_bar for y in ys]
    print(f"   x - x̄ = {show(dx)},  y - ȳ = {show(dy)}")
    s_xy = sum((a * b for a, b in zip(dx, dy, strict=True)), Fraction(0))
    s_xx = sum((a * a for a in dx), Fraction(0))
    b1 = s_xy / s_xx
    b0 = y_bar - b1 * x_bar
    print(f"   β̂₁ = Σ(x-x̄)(y-ȳ) / Σ(x-x̄)² = {s_xy}/{s_xx} = {b1} = {float(b1):g}")
    print(f"   β̂₀ = ȳ - β̂₁x̄ = {y_bar} - {b1}·{x_bar} = {b0} = {float(b0):g}")

    print("b) Prediction at x = 6")
    y6 = b0 + b1 * 6
    print(f"   ŷ(6) = {b0} + {b1}·6 = {y6} = {float(y6):g}")

    print("c) R²")
    fitted = [b0 + b1 * x for x in xs]
    residuals = [y - f for y, f in zip(ys, fitted, strict=True)]
    ss_res = sum((r * r for r in residuals), Fraction(0))
    ss_tot = sum((d * d for d in dy), Fraction(0))
    r2 = 1 - ss_res / ss_tot
    print(f"   ŷ = {show(fitted)}")
    print(f"   residuals y - ŷ = {show(residuals)}")
    print(f"   SS_res = {ss_res}, SS_tot = {ss_tot}")
    print(f"   R² = 1 - SS_res/SS_tot = 1 - ({ss_res})/{ss_tot} = {r2} = {float(r2):g}")

    data = pd.DataFrame(POINTS, columns=["x", "y"])
    res = linmod.ols("y ~ x", data=data)
    at_six = res.predict(pd.DataFrame({"x": [6]}))["fit"].iloc[0]
    print("\nlinmod.ols('y ~ x') agrees:")
    print(
        f"   β̂₀ = {res.coef['Intercept']:.10f}, β̂₁ = {res.coef['x']:.10f}, "
        f"ŷ(6) = {at_six:.10f}, R² = {res.r_squared:.10f}"
    )


if __name__ == "__main__":
    main()
