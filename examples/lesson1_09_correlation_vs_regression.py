"""Lesson 1 (ML-06), Deep Dive Q3: "Linear regression vs. correlation?".

Checks each row of the lesson's comparison table on its house-price data (seeded:
``np.random.seed(42)``, ``linmod.datasets.house_prices_simple()``):

* ``R² = r²`` for simple linear regression;
* correlation is symmetric, ``r(x, y) = r(y, x)``; regression is not: the slope of price
  on size is not the inverse of the slope of size on price (their product is ``r²``);
* ``r`` is unitless, the slope has the units of y per unit of x: measuring the price in
  dollars instead of $10k multiplies the slope by 10,000 and leaves ``r`` unchanged.

Run::

    python examples/lesson1_09_correlation_vs_regression.py
"""

from __future__ import annotations

import numpy as np

import linmod


def main() -> None:
    """Compare r and the regression on the same data."""
    data = linmod.datasets.house_prices_simple()
    x, y = data["size"].to_numpy(), data["price"].to_numpy()

    r = float(np.corrcoef(x, y)[0, 1])
    price_on_size = linmod.ols("price ~ size", data=data)
    size_on_price = linmod.ols("size ~ price", data=data)
    print(f"r(size, price) = {r:.6f}")
    print(f"r(price, size) = {float(np.corrcoef(y, x)[0, 1]):.6f}  (symmetric)")
    print(
        f"r² = {r**2:.6f};  R² of price ~ size = {price_on_size.r_squared:.6f};  "
        f"R² of size ~ price = {size_on_price.r_squared:.6f}"
    )

    b_yx = price_on_size.coef["size"]
    b_xy = size_on_price.coef["price"]
    print(f"slope of price on size: {b_yx:.6f} ($10k per 1000 sqft)")
    print(f"slope of size on price: {b_xy:.6f} (1000 sqft per $10k); 1/slope = {1 / b_xy:.6f}")
    print(f"product of the two slopes: {b_yx * b_xy:.6f} = r²  (asymmetric)")

    dollars = data.assign(price=data["price"] * 10_000)
    in_dollars = linmod.ols("price ~ size", data=dollars)
    r_dollars = float(np.corrcoef(dollars["size"], dollars["price"])[0, 1])
    print(
        f"price in dollars: slope {in_dollars.coef['size']:.2f} $ per 1000 sqft, "
        f"r = {r_dollars:.6f} (unitless, unchanged)"
    )


if __name__ == "__main__":
    main()
