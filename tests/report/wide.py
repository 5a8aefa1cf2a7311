"""A 21-predictor data set with a long formula and messy unused columns, for report tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

PREDICTORS = [f"predictor_number_{j:02d}" for j in range(18)]
FORMULA = "outcome ~ " + " + ".join(PREDICTORS) + " + C(region)"


def wide_frame(n: int = 300, seed: int = 13) -> pd.DataFrame:
    """18 numeric predictors and a 4-level factor (21 coefficients besides the intercept),
    plus unused columns an overview should flag: an identifier, dates as text, numbers
    with thousands separators, a constant, a duplicate and case-variant levels."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(PREDICTORS)))
    frame = pd.DataFrame(x, columns=PREDICTORS)
    frame["region"] = rng.choice(["north", "south", "east", "west"], size=n)
    effect = {"north": 0.0, "south": 0.4, "east": -0.3, "west": 0.1}
    beta = np.linspace(2.0, 0.05, len(PREDICTORS))
    frame["outcome"] = x @ beta + frame["region"].map(effect) + rng.normal(size=n)
    frame["customer"] = [f"C-{i:05d}" for i in range(n)]
    frame["signup"] = [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)]
    frame["income"] = [f"{rng.integers(1, 99)},{rng.integers(100, 999)}" for _ in range(n)]
    frame["source"] = "web"
    frame["copy_of_00"] = frame[PREDICTORS[0]]
    frame["city"] = rng.choice(["Leeds", "leeds ", "York"], size=n)
    return frame
