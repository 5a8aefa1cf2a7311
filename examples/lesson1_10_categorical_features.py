"""Lesson 1 (ML-06), Deep Dive Q4: "How to handle categorical features?".

The lesson's two encodings on its two examples, with data simulated here (the lesson has
none; ``np.random.default_rng(7)``, 300 items): a nominal ``color`` (Red, Blue, Green) and
an ordinal ``size`` (S < M < L), with ``price = 100 + {Red: 0, Blue: 30, Green: -10} +
10·rank(size) + N(0, 5²)``.

* **One-hot encoding** for nominal categories: ``C(color, contr.treatment("Red"))`` makes
  one indicator per colour except the reference (Red), whose effect is in the intercept.
  The lesson's table shows all three indicator columns; with an intercept they always sum
  to the intercept column (the "dummy-variable trap"), and linmod reports the third one as
  aliased.
* **Ordinal encoding** for ordered categories: ``ordinal(size, ["S", "M", "L"])`` gives 1, 2,
  3 and one coefficient per step.
* The lesson's warning: ordinal codes for a nominal feature (Red=1, Blue=2, Green=3)
  impose an order and equal steps that are not there; the fit is visibly worse.

Run::

    python examples/lesson1_10_categorical_features.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import linmod

COLOR_EFFECT = {"Red": 0.0, "Blue": 30.0, "Green": -10.0}


def shop(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """Prices of items with a nominal colour and an ordinal size."""
    rng = np.random.default_rng(seed)
    color = rng.choice(["Red", "Blue", "Green"], size=n)
    size = rng.choice(["S", "M", "L"], size=n)
    rank = pd.Series(size).map({"S": 1, "M": 2, "L": 3}).to_numpy()
    price = 100 + pd.Series(color).map(COLOR_EFFECT).to_numpy() + 10 * rank
    return pd.DataFrame({"color": color, "size": size, "price": price + rng.normal(0, 5, n)})


def main() -> None:
    """Fit the right encodings, the dummy-variable trap, and the wrong encoding."""
    data = shop()
    print("One-hot encoding of colour (the lesson's table):")
    onehot = pd.get_dummies(data["color"])[["Red", "Blue", "Green"]].astype(int)
    table = pd.concat([data["color"], onehot], axis=1).drop_duplicates("color")
    print(table.set_index("color").loc[["Red", "Blue", "Green"]].to_string())

    good = linmod.ols(
        'price ~ C(color, contr.treatment("Red")) + ordinal(size, ["S", "M", "L"])', data=data
    )
    print("\nOne-hot colour (reference Red) + ordinal size:")
    for term, value in good.coef.items():
        print(f"  {term:<42} {value:>8.3f}")
    print(f"  R² = {good.r_squared:.4f}")

    trap = data.join(onehot)
    trapped = linmod.ols("price ~ Red + Blue + Green", data=trap)
    print("\nAll three indicators and an intercept (dummy-variable trap):")
    print(
        f"  aliased: {', '.join(trapped.aliased.index[trapped.aliased])}; "
        f"dependency: {'; '.join(trapped.dependencies)}"
    )

    coded = data.assign(color_code=data["color"].map({"Red": 1, "Blue": 2, "Green": 3}))
    wrong = linmod.ols('price ~ color_code + ordinal(size, ["S", "M", "L"])', data=coded)
    print("\nOrdinal codes for the nominal colour (Red=1, Blue=2, Green=3), the lesson's warning:")
    print(f"  color_code coefficient {wrong.coef['color_code']:.3f} (one slope for all colours)")
    print(f"  R² = {wrong.r_squared:.4f} against {good.r_squared:.4f} with one-hot encoding")


if __name__ == "__main__":
    main()
