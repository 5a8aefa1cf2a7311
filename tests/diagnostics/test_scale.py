"""check() never forms an n x n matrix: memory stays a small multiple of the design."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import linmod
from linmod import diagnostics as dg


def _fit(n: int, p: int) -> linmod.OLSResults:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, p))
    y = x @ np.linspace(1, 2, p) + rng.normal(size=n)
    return linmod.ols(x, y)


BLOCK_ALLOWANCE = 32 << 20  # White's test works in fixed-size blocks of ~8 MB


def _peak_multiple(res: linmod.OLSResults) -> float:
    dg.check(_fit(500, res.design.x.shape[1] - 1))  # warm up (numba compilation)
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    report = dg.check(res)
    peak = tracemalloc.get_traced_memory()[1] - before
    tracemalloc.stop()
    assert report.n_obs == res.n_obs
    return (peak - BLOCK_ALLOWANCE) / res.design.x.nbytes


def test_check_memory_is_linear_in_n():
    # 50,000 x 8: an n x n matrix would be 20 GB; check() stays within a few designs.
    assert _peak_multiple(_fit(50_000, 8)) < 12


@pytest.mark.slow
def test_check_memory_at_one_million_by_twenty():
    assert _peak_multiple(_fit(1_000_000, 20)) < 12
