"""Lesson 2, "Multiple Linear Regression" and "Coefficient Interpretation" (ceteris paribus).

Fits ``price = β₀ + β₁·square_feet + … + β₅·garage + ε`` to the lesson's house prices
(seeded: ``np.random.seed(42)``, ``linmod.datasets.house_prices()``), whose true
coefficients are known (50000, 150, 10000, 15000, -1000, 20000), and shows the meaning of
``βⱼ``: the expected change in price for one more unit of ``xⱼ`` *holding all other
features constant* (two houses that differ only by one bedroom differ in predicted price by
exactly ``β_bedrooms``).  The summary adds standard errors; the 95% confidence intervals
cover five of the six true values here (the bedrooms interval just misses: a 95% interval
misses one time in twenty).

Run::

    python examples/lesson2_06_multiple_regression.py
"""

from __future__ import annotations

import linmod

TRUE = {
    "Intercept": 50000.0,
    "square_feet": 150.0,
    "bedrooms": 10000.0,
    "bathrooms": 15000.0,
    "age": -1000.0,
    "garage": 20000.0,
}


def main() -> None:
    """Fit, compare with the truth, and interpret one coefficient."""
    data = linmod.datasets.house_prices()
    res = linmod.ols("price ~ square_feet + bedrooms + bathrooms + age + garage", data=data)
    print(res.summary())

    ci = res.conf_int(0.95)
    print(f"\n{'term':<12}{'true':>10}{'estimate':>14}{'95% CI':>28}  covers the truth")
    covered = 0
    for term, truth in TRUE.items():
        low, high = map(float, ci.loc[term])
        covers = bool(low <= truth <= high)
        covered += covers
        print(
            f"{term:<12}{truth:>10g}{res.coef[term]:>14.2f}   [{low:>10.2f}, {high:>10.2f}]"
            f"  {'yes' if covers else 'no'}"
        )
    print(f"{covered} of {len(TRUE)} intervals cover the true value")

    house = data.iloc[[0]]
    bigger = house.assign(bedrooms=house["bedrooms"] + 1)
    difference = res.predict(bigger)["fit"].iloc[0] - res.predict(house)["fit"].iloc[0]
    print(f"\nOne more bedroom, everything else unchanged: predicted price +{difference:,.2f} $")
    print(f"which is the bedrooms coefficient, {res.coef['bedrooms']:,.2f} $")


if __name__ == "__main__":
    main()
