"""A real 2-worker Dask LocalCluster for the Dask tests of this folder."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def client():
    """A Client of a 2-worker LocalCluster (processes), on ephemeral ports for everything:
    independent of what else runs on this machine."""
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        worker_dashboard_address=":0",
        scheduler_port=0,
    )
    with distributed.Client(cluster) as connected:
        yield connected
    cluster.close()
