"""Lesson 1 (ML-06), Deep Dive Q2: "What does a negative coefficient mean?".

Part 1 fits the second lesson's house prices (seeded: ``np.random.seed(42)``,
``linmod.datasets.house_prices()``), where ``age`` enters with a true effect of -1000 $ per
year: its coefficient is negative and means "each extra year lowers the predicted price by
that much, *holding the other features constant*"; the confidence interval says how sure
that is.

Part 2 illustrates the lesson's warning that a coefficient shows association in the model,
not causation: in data simulated here (``np.random.default_rng(2024)``; the lesson has no
data for this), age has *no* effect on price, but older houses are smaller.  Regressing
price on age alone gives a clearly negative coefficient; adding size, the factor correlated
with age, makes it vanish.

Run::

    python examples/lesson1_08_negative_coefficients.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import linmod


def confounded_houses(n: int = 400, seed: int = 2024) -> pd.DataFrame:
    """Prices that depend on size only, where older houses are smaller."""
    rng = np.random.default_rng(seed)
    age = rng.uniform(0, 50, n)
    size = 3000 - 30 * age + rng.normal(0, 300, n)
    price = 50_000 + 150 * size + rng.normal(0, 20_000, n)
    return pd.DataFrame({"age": age, "size": size, "price": price})


def main() -> None:
    """Interpret the sign of a coefficient, then show how confounding fakes one."""
    data = linmod.datasets.house_prices()
    res = linmod.ols("price ~ square_feet + bedrooms + bathrooms + age + garage", data=data)
    low, high = res.conf_int(0.95).loc["age"]
    print(
        f"age coefficient: {res.coef['age']:.2f} $ per year "
        f"(95% CI {low:.2f} to {high:.2f}; true value -1000)"
    )
    older = data.iloc[[0]].copy()
    newer = older.assign(age=older["age"] - 10)
    change = res.predict(newer)["fit"].iloc[0] - res.predict(older)["fit"].iloc[0]
    print(
        f"the same house 10 years newer is predicted {change:,.2f} $ dearer "
        "(= -10 × the age coefficient)"
    )

    print("\nConfounding: age has no effect, but older houses are smaller")
    houses = confounded_houses()
    print(f"corr(age, size) = {houses['age'].corr(houses['size']):.3f}")
    alone = linmod.ols("price ~ age", data=houses)
    both = linmod.ols("price ~ age + size", data=houses)
    for name, fit in (("price ~ age", alone), ("price ~ age + size", both)):
        lo, hi = fit.conf_int(0.95).loc["age"]
        print(
            f"{name:<20} age coefficient {fit.coef['age']:>10.2f}  "
            f"95% CI [{lo:>9.2f}, {hi:>9.2f}]  p = {fit.p_values['age']:.3g}"
        )
    print("Alone, age takes the credit for size; with size in the model its effect is nil.")


if __name__ == "__main__":
    main()
