"""check()'s independence remedy points to cluster-robust errors, in CLI words too."""

from __future__ import annotations

import numpy as np
import pandas as pd

import linmod
from linmod.cli.advice import to_cli


def test_independence_remedy_names_clustered_errors():
    rng = np.random.default_rng(3)
    n = 200
    noise = np.zeros(n)
    for i in range(1, n):  # AR(1) errors, rho = 0.8
        noise[i] = 0.8 * noise[i - 1] + rng.normal()
    x = rng.normal(size=n)
    frame = pd.DataFrame({"x": x, "y": 1.0 + 2.0 * x + noise})
    check = linmod.ols("y ~ x", data=frame).check()["independence"]
    assert check.verdict != "ok"
    assert "cluster-robust standard errors: res.robust('cluster', groups='firm')" in check.remedy
    assert "linmod fit ... --cluster firm" in to_cli(check.remedy)
