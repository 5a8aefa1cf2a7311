"""Where a small ``ols(X, y)`` + ``coef`` + ``std_err`` spends its time, cache-cold and hot.

Issue 19 asks for >= 3x statsmodels at 1e3 x 5 in ``bench/speed.py``, whose tools run
interleaved: each linmod fit runs right after scikit-learn's and statsmodels' (and a
numpy ``Z'Z``), which evict its code and data from the caches.  This script repeats that
situation and times the steps of linmod's call with ``perf_counter`` ("cold": right after
the peers ran; "hot": the same call repeated at once), by wrapping the functions
``linmod.models.ols`` calls.  Medians over ``--rounds`` rounds.

    python bench/small_fit_breakdown.py [--n 1000] [--p 5] [--rounds 1500]
    python bench/small_fit_breakdown.py --interleaved [--budget 8]

``--interleaved`` times the same pieces as ``bench/speed.py`` times its tools instead: each
one a tool of its own, all in a new random order every round (so each pays for whichever
tool ran before it, as linmod does in the size sweep), and prints medians and the ratio of
statsmodels' time to each.
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
from linmod.linalg.gram_routine import gram_by_gemm
from linmod.linalg.threads import small_work_blas_thread
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
    parser.add_argument("--interleaved", action="store_true", help="time as bench/speed.py")
    parser.add_argument("--budget", type=float, default=8.0, help="seconds, with --interleaved")
    args = parser.parse_args()
    if args.interleaved:
        _interleaved(args.n, args.p, args.budget)
        return
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
        True, gram_by_gemm(args.n, args.p + 1), 0, certified_module._PIVOT_TOL,
        certified_module.MAX_CONTRACTION, certified_module.COVARIANCE_TOLERANCE,
        certified_module.MAX_PASSES,
    )  # fmt: skip

    def floor(series: bool) -> Callable[[], None]:
        """The least a labelled fit can do: the design copy, the compiled certified fit
        and (``series``) its ``coef`` and ``std_err`` as pandas Series, no other code."""

        def run() -> None:
            design = np.empty((args.n, args.p + 1))
            _copy_checked(x, design, 1, np.empty(args.p + 1), y)
            x_read, y_read = design.view(), y.view()
            x_read.flags.writeable = y_read.flags.writeable = False
            with small_work_blas_thread():  # as solve() calls it
                out = certified_fit_kernel(x_read, y_read, *kernel_arguments)
            if series:
                block = out[7]  # (X'X)^-1 in its first p rows, coef in row 3p
                pd.Series(block[3 * args.p + 3], index=names, name="coef")
                pd.Series(np.sqrt(block[: args.p + 1].diagonal()), index=names, name="std_err")

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


def _interleaved(n: int, p: int, budget: float) -> None:
    """The pieces of a small fit, each timed as a tool of ``bench/speed.py``'s sweep."""
    from speed import interleaved, make_data

    from linmod.data.arrays import fast_array_design
    from linmod.solvers import LeastSquaresProblem, solve

    x, y = make_data(n, p)
    z = np.column_stack([np.ones(n), x])
    design, magnitudes = fast_array_design(x, y, True)
    x_read, y_read = design.x.view(), design.y.view()
    x_read.flags.writeable = y_read.flags.writeable = False
    names = linmod.ols(x, y).names
    kernel_arguments = (
        True, gram_by_gemm(n, p + 1), 0, certified_module._PIVOT_TOL,
        certified_module.MAX_CONTRACTION, certified_module.COVARIANCE_TOLERANCE,
        certified_module.MAX_PASSES,
    )  # fmt: skip

    def full() -> None:
        res = linmod.ols(x, y)
        res.coef, res.std_err  # noqa: B018

    def statsmodels_fit() -> None:
        res = sm.OLS(y, sm.add_constant(x)).fit()
        res.params, res.bse  # noqa: B018

    def copy() -> None:
        _copy_checked(x, np.empty((n, p + 1)), 1, np.empty(p + 1), y)

    def kernel() -> Any:
        with small_work_blas_thread():  # as solve() calls it (else OpenBLAS threads spin)
            return certified_fit_kernel(x_read, y_read, *kernel_arguments)

    def solve_only() -> None:
        problem = LeastSquaresProblem(
            x=design.x, y=design.y, names=design.column_names, intercept=True,
            progress=False, magnitudes=magnitudes,
        )  # fmt: skip
        solve(problem, "auto")

    def floor_with_series() -> None:
        copy()
        block = kernel()[7]  # (X'X)^-1 in its first p + 1 rows, coef in row 3 (p + 1)
        pd.Series(block[3 * (p + 1)], index=names, name="coef")
        pd.Series(np.sqrt(block[: p + 1].diagonal()), index=names, name="std_err", copy=False)

    tools: dict[str, Callable[[], Any]] = {
        "statsmodels OLS().fit() + params + bse": statsmodels_fit,
        "scikit-learn LinearRegression().fit": lambda: LinearRegression().fit(x, y),
        "numpy Z'Z": lambda: z.T @ z,
        "linmod ols(X, y) + coef + std_err": full,
        "  ols(X, y)": lambda: linmod.ols(x, y),
        "    design (fast_array_design)": lambda: fast_array_design(x, y, True),
        "      its checked copy alone": copy,
        "    solve() on that design": solve_only,
        "      its compiled fit alone": kernel,
        "floor: copy + compiled fit + two Series": floor_with_series,
    }
    times = interleaved(tools, budget, 100_000)
    reference = times["statsmodels OLS().fit() + params + bse"]
    print(f"# n = {n}, p = {p}; interleaved as bench/speed.py; load {os.getloadavg()[0]:.1f}")
    for label, seconds in times.items():
        print(
            f"{label:<44} {seconds * 1e6:9.1f} µs   statsmodels / this {reference / seconds:5.2f}"
        )


if __name__ == "__main__":
    main()
