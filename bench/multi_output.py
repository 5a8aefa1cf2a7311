"""Multi-output OLS: one fit of k responses against k single fits and scikit-learn (issue 18).

    python bench/multi_output.py                 # 1e5 x 20 and 2e4 x 100, 50 responses
    python bench/multi_output.py --quick         # small smoke test
    python bench/multi_output.py --shapes 200000x10 --responses 20 --repeats 5

Times, on the same data (Gaussian X, responses with coefficients U(0.5, 2), intercept
1.5, unit noise), interleaved round-robin after one warm-up each, medians of
``--repeats``:

- linmod multi: ``res = linmod.ols(X, Y); res.coef; res.std_err`` (one factorisation,
  every response refined to the float64 limit, standard errors of all)
- linmod singles: the same for each column, ``linmod.ols(X, Y[:, j])``
- linmod estimator: ``linmod.LinearRegression().fit(X, Y)``
- scikit-learn: ``sklearn.linear_model.LinearRegression().fit(X, Y)`` (scipy's lstsq,
  coefficients only)

and prints the ratios (other time / linmod multi time: above 1 means the multi-output
fit is faster) and the largest relative coefficient difference from scikit-learn.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
from sklearn.linear_model import LinearRegression as SkLinearRegression

import linmod


def _shape(text: str) -> tuple[int, int]:
    n, p = text.lower().split("x")
    return int(float(n)), int(p)


def _time_shape(n: int, p: int, k: int, repeats: int) -> None:
    rng = np.random.default_rng(20240601)
    x = rng.normal(size=(n, p))
    y = 1.5 + x @ rng.uniform(0.5, 2.0, size=(p, k)) + rng.normal(size=(n, k))

    def multi() -> None:
        res = linmod.ols(x, y)
        res.coef, res.std_err  # noqa: B018

    def singles() -> None:
        for j in range(k):
            res = linmod.ols(x, y[:, j])
            res.coef, res.std_err  # noqa: B018

    def estimator() -> None:
        linmod.LinearRegression().fit(x, y)

    def sklearn() -> None:
        SkLinearRegression().fit(x, y)

    tools: dict[str, Callable[[], None]] = {
        "multi": multi,
        "singles": singles,
        "estimator": estimator,
        "sklearn": sklearn,
    }
    for function in tools.values():
        function()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in tools}
    for _ in range(repeats):
        for name, function in tools.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    med = {name: statistics.median(values) for name, values in times.items()}
    ours = linmod.LinearRegression().fit(x, y)
    theirs = SkLinearRegression().fit(x, y)
    diff = float(np.max(np.abs(ours.coef_ - theirs.coef_) / np.abs(theirs.coef_)))
    print(
        f"{n:>8} x {p:<3} {med['multi']:>7.3f}s {med['singles']:>7.3f}s "
        f"{med['estimator']:>8.3f}s {med['sklearn']:>7.3f}s "
        f"{med['singles'] / med['multi']:>12.2f}x {med['sklearn'] / med['multi']:>12.2f}x "
        f"{diff:>12.1e}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="100000x20,20000x100")
    parser.add_argument("--responses", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    shapes = [_shape(s) for s in args.shapes.split(",")]
    if args.quick:
        shapes, args.repeats, args.responses = [(5_000, 10)], 3, 10
    k = args.responses
    print(f"{os.cpu_count()} cores, {k} responses, medians of {args.repeats}")
    print(
        f"{'shape':>12} {'multi':>8} {'singles':>8} {'estimator':>9} {'sklearn':>8} "
        f"{'singles/multi':>13} {'sklearn/multi':>13} {'max rel diff':>12}"
    )
    for n, p in shapes:
        _time_shape(n, p, k, args.repeats)


if __name__ == "__main__":
    main()
