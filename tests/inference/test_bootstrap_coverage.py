"""Coverage of 95% bootstrap intervals on simulated data (seeded, 400 experiments).

Each experiment draws ``y = 1 + 2 x + e`` with ``n = 200``, bootstraps with 999
replicates and checks whether the interval for the slope contains 2. Over 400
experiments a correct 95% interval covers 93-97% of the time (the binomial standard
error is 1.1 points). The residual bootstrap (homoskedastic errors) runs in the default
suite; the pairs and wild bootstraps (heteroskedastic errors, ``sd = sqrt(0.5 + x^2)``)
take longer and are marked slow; run them with
``python -m pytest -m slow tests/inference/test_bootstrap_coverage.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import linmod

EXPERIMENTS = 400


def _coverage(method: str, heteroskedastic: bool, kinds: tuple[str, ...]) -> dict[str, float]:
    rng = np.random.default_rng(20261203)
    hits = dict.fromkeys(kinds, 0)
    for _ in range(EXPERIMENTS):
        x = rng.normal(size=200)
        scale = np.sqrt(0.5 + x**2) if heteroskedastic else 1.0
        y = 1.0 + 2.0 * x + rng.normal(size=200) * scale
        boot = linmod.ols(x[:, None], y).bootstrap(
            999, method=method, seed=int(rng.integers(2**32))
        )
        for kind in kinds:
            lower, upper = boot.conf_int(kind).iloc[1]
            hits[kind] += int(lower <= 2.0 <= upper)
    return {kind: count / EXPERIMENTS for kind, count in hits.items()}


def test_residual_bootstrap_intervals_cover_95_percent():
    coverage = _coverage("residual", heteroskedastic=False, kinds=("percentile", "bca"))
    assert 0.93 <= coverage["percentile"] <= 0.97, coverage
    assert 0.93 <= coverage["bca"] <= 0.97, coverage


@pytest.mark.slow
@pytest.mark.parametrize("method", ["pairs", "wild"])
def test_pairs_and_wild_percentile_intervals_cover_95_percent_under_heteroskedasticity(method):
    coverage = _coverage(method, heteroskedastic=True, kinds=("percentile",))
    assert 0.93 <= coverage["percentile"] <= 0.97, coverage
