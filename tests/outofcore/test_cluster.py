"""A Dask fit on a cluster whose workers are all gone fails clearly within its timeout."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError, LinmodError
from linmod.outofcore.cluster import DEFAULT_TIMEOUT, check_timeout

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


@pytest.fixture
def client_without_workers():
    """A Client of a LocalCluster that had one worker and lost it."""
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    )
    with distributed.Client(cluster) as client:
        frame = pd.DataFrame({"x": np.arange(40.0), "y": np.sqrt(np.arange(40.0))})
        ddf = dd.from_pandas(frame, npartitions=2)
        assert linmod.ols("y ~ x", data=ddf).n_obs == 40  # the worker ran the fit
        cluster.scale(0)
        deadline = time.monotonic() + 30
        while client.nthreads() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not client.nthreads()
        yield client, ddf
    cluster.close()


def test_a_fit_without_workers_fails_within_its_timeout(client_without_workers):
    # Before: the scheduler kept the tasks until a worker came, and the fit never returned.
    _, ddf = client_without_workers
    start = time.monotonic()
    with pytest.raises(LinmodError, match=r"has had no workers for 1\.5 s, so the fit cannot"):
        linmod.ols("y ~ x", data=ddf, timeout=1.5, second_pass=True)
    assert time.monotonic() - start < 15
    x = da.from_array(np.arange(40.0).reshape(20, 2), chunks=10)
    start = time.monotonic()
    with pytest.raises(LinmodError, match=r"no workers for 1 s"):
        linmod.ols(x, da.from_array(np.arange(20.0), chunks=10), timeout=1)
    assert time.monotonic() - start < 15


def test_timeout_values_are_checked():
    assert check_timeout(None) == DEFAULT_TIMEOUT == 60.0
    assert check_timeout(2) == 2.0
    for bad in (0, -1.0, float("inf"), float("nan"), True, "10"):
        with pytest.raises(InputError, match=r"timeout=.* must be a"):
            check_timeout(bad)
    with pytest.raises(InputError, match="timeout=5 is for Dask data"):
        linmod.ols("y ~ x", data=pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, 3, 2]}), timeout=5)


def _die(_):
    import os

    os._exit(1)  # the worker process dies, as when the kernel kills it for memory


def test_a_worker_that_dies_is_a_clear_error():
    import dask

    meta = pd.DataFrame({"x": [1.0], "y": [1.0]}).iloc[:0]
    ddf = dd.from_map(_die, [0, 1], meta=meta)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
        pytest.raises(LinmodError, match=r"a Dask worker died running .*out of memory"),
    ):
        linmod.ols("y ~ x", data=ddf)
