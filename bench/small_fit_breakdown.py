"""Where a small ``ols(X, y)`` + ``coef`` + ``std_err`` spends its time, cache-cold and hot.

Issue 19 asks for >= 3x statsmodels at 1e3 x 5 in ``bench/speed.py``, whose tools run
interleaved: each linmod fit runs right after scikit-learn's and statsmodels' (and a
numpy ``Z'Z``), which evict its code and data from the caches.  This script repeats that
situation and times the steps of linmod's call with ``perf_counter`` ("cold": right after
the peers ran; "hot": the same call repeated at once), by wrapping the functions
``linmod.models.ols`` calls.  Medians over ``--rounds`` rounds.

    python bench/small_fit_breakdown.py [--n 1000] [--p 5] [--rounds 1500]
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression

import linmod
import linmod.models.ols as ols_module
import linmod.solvers.certified as certified_module
from linmod.data.arrays import _copy_checked
from linmod.solvers.certified_kernel import certified_fit_kernel

_clock = time.perf_counter
_spent: dict[str, list[float]] = collections.defaultdict(list)


def _timed(module: Any, name: str, label: str) -> None:
    function = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = _clock()
        result = function(*args, **kwargs)
        _spent[label].append(_clock() - start)
        return result

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--p", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1500)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    x = rng.standard_normal((args.n, args.p))
    y = x @ rng.uniform(-2, 2, args.p) + 1.5 + rng.standard_normal(args.n)
    z = np.column_stack([np.ones(args.n), x])
    for _ in range(300):  # past the interpreted twins: the compiled kernels are loaded
        linmod.ols(x, y)

    def statsmodels_fit() -> None:
        res = sm.OLS(y, sm.add_constant(x)).fit()
        res.params, res.bse  # noqa: B018 - part of the work

    def peers() -> None:
        statsmodels_fit()
        LinearRegression().fit(x, y)
        z.T @ z

    steps: dict[str, list[float]] = collections.defaultdict(list)

    def linmod_fit(kind: str) -> None:
        start = _clock()
        res = linmod.ols(x, y)
        fitted = _clock()
        res.coef  # noqa: B018
        coef = _clock()
        res.std_err  # noqa: B018
        done = _clock()
        steps[f"ols(X, y) {kind}"].append(fitted - start)
        steps[f"res.coef {kind}"].append(coef - fitted)
        steps[f"res.std_err {kind}"].append(done - coef)
        steps[f"linmod total {kind}"].append(done - start)

    names = linmod.ols(x, y).names
    kernel_arguments = (
        True, 0, certified_module._PIVOT_TOL, certified_module.MAX_CONTRACTION,
        certified_module.COVARIANCE_TOLERANCE, certified_module.MAX_PASSES,
    )  # fmt: skip

    def floor(series: bool) -> Callable[[], None]:
        """The least a labelled fit can do: the design copy, the compiled certified fit
        and (``series``) its ``coef`` and ``std_err`` as pandas Series, no other code."""

        def run() -> None:
            design = np.empty((args.n, args.p + 1))
            _copy_checked(x, design, 1, np.empty(args.p + 1), y)
            x_read, y_read = design.view(), y.view()
            x_read.flags.writeable = y_read.flags.writeable = False
            out = certified_fit_kernel(x_read, y_read, *kernel_arguments)
            if series:
                pd.Series(out[5], index=names, name="coef")
                pd.Series(np.sqrt(out[4].diagonal()), index=names, name="std_err")

        return run

    tools: dict[str, Callable[[], None]] = {
        "statsmodels": statsmodels_fit,
        "floor: design copy + compiled fit": floor(series=False),
        "floor: ... + coef and std_err Series": floor(series=True),
    }
    for _ in range(args.rounds):
        peers()
        linmod_fit("cold")
        linmod_fit("hot")
        for name, tool in tools.items():
            peers()
            start = _clock()
            tool()
            steps[f"{name} cold"].append(_clock() - start)
            start = _clock()
            tool()
            steps[f"{name} hot"].append(_clock() - start)
    # The steps inside ols(X, y), cold only (their wrappers cost ~0.2 µs each).
    _timed(ols_module, "_plain_arrays_design", "  design copy and checks")
    _timed(ols_module, "solve", "  solve() (the compiled fit and its glue)")
    _timed(certified_module, "certified_fit_kernel", "    the compiled certified fit")
    _timed(certified_module, "_compiled_result", "    its SolverResult")
    _timed(ols_module, "report_conditioning", "  report_conditioning")
    _timed(ols_module, "OLSResults", "  OLSResults")
    for _ in range(args.rounds):
        peers()
        res = linmod.ols(x, y)
        res.coef, res.std_err  # noqa: B018
    print(f"# n = {args.n}, p = {args.p}; 1-minute load {os.getloadavg()[0]:.1f}")
    for label, values in list(steps.items()) + list(_spent.items()):
        print(f"{label:<48} {statistics.median(values) * 1e6:9.1f} µs")


if __name__ == "__main__":
    main()
