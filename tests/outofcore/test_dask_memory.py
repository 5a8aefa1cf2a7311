"""The per-partition second pass of a Dask fit needs a few partition sizes, not ~12."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from statsmodels.stats.stattools import durbin_watson

import linmod
from linmod.models.ols_folded import residual_state
from linmod.outofcore import dask_sources
from linmod.outofcore.sources import merge_skipping_none
from linmod.outofcore.statistics import block_sums

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")

#: Peak memory of the second pass of one partition, in bytes of the partition.
BOUND = 4.0


def _frame(n, p, seed):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, p)), columns=[f"x{j}" for j in range(p)])
    frame["y"] = frame.sum(axis=1) + rng.normal(size=n) * (1 + frame["x0"] ** 2)
    return frame, "y ~ " + " + ".join(frame.columns[:-1])


def test_second_pass_of_a_partition_stays_within_a_few_partition_sizes():
    # Before row blocks the partition's [X | y] was copied whole and 3 weighted n x p
    # products, scores and the Breusch-Pagan block were built at once: 5.5x the
    # partition here (8.2x with one predictor).  The partition itself is not counted:
    # it exists before the task runs.
    frame, formula = _frame(400_000, 3, seed=1)
    small = dd.from_pandas(frame.iloc[:2000], npartitions=1)
    with dask.config.set(scheduler="synchronous"):
        results = linmod.ols(formula, data=small)
        stream = dask_sources.open_dask_frame(formula, small).stream
    state = residual_state(results, 4)
    size = frame.memory_usage(deep=True).sum()
    rng = np.random.default_rng(0)

    def per_block(view):
        return block_sums(view, state, rng)

    def merge(left, right, _):
        return left.merge(right, state.lags, rng)

    tracemalloc.start()
    try:  # the second-pass task of one partition, as a worker runs it
        task = dask_sources.DaskFrameSource.task
        sums = task(frame, 0, stream, per_block, merge_skipping_none(merge))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sums is not None
    assert sums.n == len(frame)
    assert peak <= BOUND * size, f"peak {peak / size:.2f}x the partition's {size / 1e6:.1f} MB"


def test_row_blocks_give_the_in_memory_second_pass(monkeypatch):
    # Blocks of 24 rows: every HAC lag and the Durbin-Watson step cross block seams.
    monkeypatch.setattr(dask_sources, "ROW_BLOCK_VALUES", 96)
    frame, formula = _frame(1000, 2, seed=2)
    memory = linmod.ols(formula, data=frame)
    ref = smf.ols(formula, data=frame).fit()
    with dask.config.set(scheduler="synchronous"):
        fit = linmod.ols(
            formula, data=dd.from_pandas(frame, npartitions=3), second_pass=True, hac_lags=5
        )
        x = da.from_array(frame[["x0", "x1"]].to_numpy(), chunks=(400, 2))
        arrays = linmod.ols(x, da.from_array(frame["y"].to_numpy(), chunks=400), second_pass=True)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(fit.robust(kind).std_err, ref.get_robustcov_results(kind).bse, rtol=1e-10)
        assert_allclose(
            arrays.robust(kind).std_err.to_numpy(),
            ref.get_robustcov_results(kind).bse,
            rtol=1e-10,
        )
    hac = ref.get_robustcov_results("HAC", maxlags=5, use_correction=False).bse
    assert_allclose(fit.robust("HAC", lags=5).std_err, hac, rtol=1e-10)
    assert_allclose(fit.robust("HAC", lags=5).std_err, memory.robust("HAC", lags=5).std_err)
    assert_allclose(fit.diagnostics.durbin_watson, durbin_watson(ref.resid), rtol=1e-10)
    assert_allclose(arrays.diagnostics.durbin_watson, durbin_watson(ref.resid), rtol=1e-10)
