"""Lesson 2, "No Multicollinearity" / VIF, Discussion Q2 and Key Takeaway 5: what correlated
predictors do to the coefficients, and how Ridge regression handles them.

Data simulated here (``np.random.default_rng(3)``; the lesson has none): two nearly equal
predictors, ``x2 = x1 + N(0, 0.05²)``, and ``y = 3 + 2·x1 + 2·x2 + N(0, 1)``, 100 rows.

* The VIFs are far above 10 ("severe" in the lesson's table).
* OLS coefficients stay unbiased but their standard errors explode, and fitting the two
  halves of the data separately gives wildly different coefficients: the data cannot say
  which of the twins matters.  This is Discussion Q2: individual coefficients lose their
  "holding the other constant" meaning, because one cannot move without the other.
* Predictions do not suffer: both halves predict alike.
* Ridge (``linmod.ridge(..., alpha=1.0, standardize=True)``) shares the effect between
  the twins and gives nearly the same coefficients on both halves.

Run::

    python examples/lesson2_08_multicollinearity_ridge.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import linmod
from linmod import diagnostics


def twins(n: int = 100, seed: int = 3) -> pd.DataFrame:
    """Two nearly identical predictors with equal true effects."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(0, 1, n)
    x2 = x1 + rng.normal(0, 0.05, n)
    y = 3 + 2 * x1 + 2 * x2 + rng.normal(0, 1, n)
    return pd.DataFrame({"x1": x1, "x2": x2, "y": y})


def main() -> None:
    """VIF, unstable OLS, stable ridge."""
    data = twins()
    print(f"corr(x1, x2) = {data['x1'].corr(data['x2']):.4f}")
    res = linmod.ols("y ~ x1 + x2", data=data)
    vif = diagnostics.gvif(res)
    for term, row in vif.iterrows():
        print(f"VIF {term}: {row['vif_equivalent']:.2f} ({row['band']})")
    print(
        f"\nOLS on all data: x1 {res.coef['x1']:.3f} (se {res.std_err['x1']:.3f}), "
        f"x2 {res.coef['x2']:.3f} (se {res.std_err['x2']:.3f}); true 2 and 2"
    )

    halves = {"first half": data.iloc[:50], "second half": data.iloc[50:]}
    probe = pd.DataFrame({"x1": [1.0], "x2": [1.0]})
    print(f"\n{'fit':<26}{'x1':>9}{'x2':>9}{'x1 + x2':>9}{'ŷ(1, 1)':>10}")
    for name, part in halves.items():
        ols = linmod.ols("y ~ x1 + x2", data=part)
        print(
            f"{'OLS,   ' + name:<26}{ols.coef['x1']:>9.3f}{ols.coef['x2']:>9.3f}"
            f"{ols.coef['x1'] + ols.coef['x2']:>9.3f}{ols.predict(probe)['fit'].iloc[0]:>10.3f}"
        )
    for name, part in halves.items():
        fit = linmod.ridge("y ~ x1 + x2", data=part, alpha=1.0, standardize=True)
        print(
            f"{'Ridge, ' + name:<26}{fit.coef['x1']:>9.3f}{fit.coef['x2']:>9.3f}"
            f"{fit.coef['x1'] + fit.coef['x2']:>9.3f}{fit.predict(probe)['fit'].iloc[0]:>10.3f}"
        )
    print("OLS coefficients swing between the halves, their sum and the predictions do not;")
    print("ridge keeps each coefficient stable by sharing the effect between the twins.")


if __name__ == "__main__":
    main()
