"""The lessons' data: seeded house prices (simple and five-feature) and the diabetes data.

The generators reproduce the lessons' ``np.random.seed(...)`` code draw for draw with a
``RandomState`` of the same seed (numpy's legacy global generator is a ``RandomState``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["diabetes", "house_prices", "house_prices_simple"]


def house_prices_simple(seed: int = 42, n: int = 100) -> pd.DataFrame:
    """House size (1000 sqft) and price ($10k): ``price = 4 + 3·size + N(0, 1)``.

    With the default seed this is the first lesson's example data, whose least-squares
    fit is "Intercept: 4.22, Slope: 2.77".

    Returns
    -------
    DataFrame
        Columns ``size`` and ``price``.
    """
    rng = np.random.RandomState(seed)
    size = 2 * rng.rand(n, 1)
    price = 4 + 3 * size.ravel() + rng.randn(n)
    return pd.DataFrame({"size": size.ravel(), "price": price})


def house_prices(n: int = 500, seed: int = 42) -> pd.DataFrame:
    """The second lesson's five-feature house-price data.

    ``price = 50000 + 150·square_feet + 10000·bedrooms + 15000·bathrooms - 1000·age
    + 20000·garage + N(0, 20000²)``.

    Returns
    -------
    DataFrame
        Columns ``square_feet, bedrooms, bathrooms, age, garage, price``.
    """
    rng = np.random.RandomState(seed)
    data = pd.DataFrame(
        {
            "square_feet": rng.uniform(800, 4000, n),
            "bedrooms": rng.randint(1, 6, n),
            "bathrooms": rng.randint(1, 4, n),
            "age": rng.uniform(0, 50, n),
            "garage": rng.randint(0, 3, n),
        }
    )
    data["price"] = (
        50000
        + 150 * data["square_feet"]
        + 10000 * data["bedrooms"]
        + 15000 * data["bathrooms"]
        - 1000 * data["age"]
        + 20000 * data["garage"]
        + rng.normal(0, 20000, n)
    )
    return data


def diabetes() -> pd.DataFrame:
    """The 442×10 diabetes data of the first lesson (Efron et al. 2004), with ``target``.

    Read from the copy bundled with scikit-learn (no download).
    """
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes(as_frame=True)
    return bunch.frame
