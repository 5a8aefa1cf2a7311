"""Benchmark the pairs bootstrap of OLS against a resample-and-refit loop with statsmodels.

Data: a seeded Gaussian design, ``n`` rows, ``p - 1`` predictors and an intercept
(default 1e4 x 10), fitted once before the clock. Each tool then draws ``--replicates``
(default 2000) pairs-bootstrap resamples (rows with replacement) and refits OLS on each:

* linmod       ``res.bootstrap(2000, method="pairs", seed=s)``: the frequency-weighted
  refits in blocks of 128 (counts matrix times the rows' outer products, a batched
  Cholesky), the delete-one jackknife for BCa, and the results object (percentile and
  BCa intervals are computed on request: ``boot.to_frame()`` is timed too).
* statsmodels  the plain loop: ``rng.integers(0, n, n)``, ``sm.OLS(y[i], X[i]).fit().params``
  for each replicate, then ``np.percentile`` for the percentile interval (statsmodels has
  no bootstrap of its own).
* numpy lstsq  the same loop with ``np.linalg.lstsq`` (the cheapest plain refit).

The MEDIAN of ``--repeats`` timed runs (after a warm-up of 20 replicates) is printed with the ratio
``peer / linmod`` (> 1: linmod faster), tools interleaved so background load hits all of
them alike. The machine this was written on has 2 cores shared with other jobs: read the
ratios, and rerun on a quiet machine for clean absolute times.

Usage::

    python bench/bootstrap.py                       # 1e4 x 10, 2000 replicates
    python bench/bootstrap.py --shape 100000x10 --replicates 999 --repeats 3
    python bench/bootstrap.py --threads 1           # the loops on one BLAS thread too

linmod runs its BLAS on one thread whatever ``--threads`` says (see
``linmod.inference.bootstrap``); the loops use the default (2 here) unless limited.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def _data(n: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(12345)
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    y = x @ np.linspace(0.5, 1.5, p) + rng.normal(size=n) * (1 + np.abs(x[:, 1]))
    return x, y


def _linmod(x: np.ndarray, y: np.ndarray, replicates: int) -> Callable[[], Any]:
    import linmod

    res = linmod.ols(x[:, 1:], y)

    def run() -> Any:
        boot = res.bootstrap(replicates, method="pairs", seed=1)
        return boot.to_frame()

    return run


def _statsmodels(x: np.ndarray, y: np.ndarray, replicates: int) -> Callable[[], Any]:
    import statsmodels.api as sm

    def run() -> Any:
        rng = np.random.default_rng(1)
        n = x.shape[0]
        params = np.empty((replicates, x.shape[1]))
        for b in range(replicates):
            rows = rng.integers(0, n, size=n)
            params[b] = sm.OLS(y[rows], x[rows]).fit().params
        return np.percentile(params, [2.5, 97.5], axis=0)

    return run


def _lstsq(x: np.ndarray, y: np.ndarray, replicates: int) -> Callable[[], Any]:
    def run() -> Any:
        rng = np.random.default_rng(1)
        n = x.shape[0]
        params = np.empty((replicates, x.shape[1]))
        for b in range(replicates):
            rows = rng.integers(0, n, size=n)
            params[b] = np.linalg.lstsq(x[rows], y[rows], rcond=None)[0]
        return np.percentile(params, [2.5, 97.5], axis=0)

    return run


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="10000x10", help="ROWSxCOLUMNS, intercept included")
    parser.add_argument("--replicates", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, help="limit every tool's BLAS to this many threads")
    args = parser.parse_args(argv)
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    n, p = (int(float(part)) for part in args.shape.lower().split("x"))
    x, y = _data(n, p)
    makers = {"linmod": _linmod, "statsmodels loop": _statsmodels, "numpy lstsq loop": _lstsq}
    for make in makers.values():  # warm-up (imports, caches) on 20 replicates
        make(x, y, 20)()
    tools = {name: make(x, y, args.replicates) for name, make in makers.items()}
    times: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(args.repeats):
        for name, run in tools.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["linmod"])
    print(f"pairs bootstrap, {args.replicates} replicates of a {n} x {p} OLS fit")
    print(f"{'tool':<18} {'median':>9} {'min':>9} {'ratio':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<18} {median:8.3f}s {min(values):8.3f}s {median / base:7.1f}x")


if __name__ == "__main__":
    main()
