"""Weighted OLS against unweighted OLS on the same data (issue 15: goal within 1.2x).

    python bench/weights.py                      # shapes 1e6 x 20, 4e5 x 60; 7 repeats
    python bench/weights.py --quick              # small smoke test
    python bench/weights.py --shapes 200000x10
    python bench/weights.py --streamed           # streamed Parquet (bench/_data/, 5e6 x 20)

Times ``linmod.ols(X, y)`` and ``linmod.ols(X, y, weights=w)`` (precision weights, drawn
from U(0.5, 2)) with ``res.coef`` and ``res.std_err``, interleaved, one warm-up each, and
prints medians and the ratio (weighted / unweighted: 1.2 or less is the goal).  Also
times statsmodels' WLS vs its OLS for reference.  ``--streamed`` times the streamed fit
of a Parquet file instead (``ols(formula, data=path, chunksize=100_000)`` with and
without ``weights="w"``, a column of the file), written once under bench/_data/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np

import linmod


def _shape(text: str) -> tuple[int, int]:
    n, p = text.lower().split("x")
    return int(float(n)), int(p)


def _timed(functions: dict, repeats: int) -> dict[str, float]:
    """Medians of interleaved runs, after one warm-up each."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def streamed(rows: int, p: int, repeats: int) -> None:
    """Streamed weighted vs unweighted OLS of one Parquet file (weights a column of it)."""
    import pandas as pd

    path = Path(__file__).resolve().parent / "_data" / f"weighted_{rows}x{p}.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(20240601)
        x = rng.normal(size=(rows, p))
        w = rng.uniform(0.5, 2.0, size=rows)
        frame = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
        frame["y"] = 1.5 + x @ rng.uniform(0.5, 2.0, size=p) + rng.normal(size=rows) / np.sqrt(w)
        frame["w"] = w
        frame.to_parquet(path, row_group_size=1_000_000)
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(p))

    def fit(**weights: str) -> None:
        res = linmod.ols(formula, data=str(path), chunksize=100_000, **weights)
        res.coef, res.std_err  # noqa: B018

    medians = _timed({"plain": fit, "weighted": lambda: fit(weights="w")}, repeats)
    a, b = medians["plain"], medians["weighted"]
    print(f"streamed {rows:>8} x {p:<3} {a:>8.3f}s {b:>9.3f}s {b / a:>6.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="1000000x20,400000x60")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--statsmodels", action="store_true", help="also time sm.WLS / sm.OLS")
    parser.add_argument("--streamed", action="store_true", help="a streamed Parquet file")
    parser.add_argument("--rows", type=int, default=5_000_000, help="rows of --streamed")
    args = parser.parse_args()
    if args.streamed:
        print(f"{os.cpu_count()} cores, medians of {args.repeats}")
        streamed(200_000 if args.quick else args.rows, 20, 3 if args.quick else args.repeats)
        return
    shapes = [_shape(s) for s in args.shapes.split(",")]
    if args.quick:
        shapes, args.repeats = [(20_000, 10)], 3
    print(f"{os.cpu_count()} cores, medians of {args.repeats}")
    print(f"{'shape':>12} {'unweighted':>11} {'weighted':>10} {'ratio':>7}")
    for n, p in shapes:
        rng = np.random.default_rng(20240601)
        x = rng.normal(size=(n, p))
        w = rng.uniform(0.5, 2.0, size=n)
        y = 1.5 + x @ rng.uniform(0.5, 2.0, size=p) + rng.normal(size=n) / np.sqrt(w)

        def plain(x: np.ndarray = x, y: np.ndarray = y) -> None:
            res = linmod.ols(x, y)
            res.coef, res.std_err  # noqa: B018

        def weighted(x: np.ndarray = x, y: np.ndarray = y, w: np.ndarray = w) -> None:
            res = linmod.ols(x, y, weights=w)
            res.coef, res.std_err  # noqa: B018

        plain(), weighted()  # warm-up
        times: dict[str, list[float]] = {"plain": [], "weighted": []}
        for _ in range(args.repeats):
            for name, function in (("plain", plain), ("weighted", weighted)):
                start = time.perf_counter()
                function()
                times[name].append(time.perf_counter() - start)
        a, b = statistics.median(times["plain"]), statistics.median(times["weighted"])
        print(f"{n:>8} x {p:<3} {a:>10.3f}s {b:>9.3f}s {b / a:>6.2f}x")
        if args.statsmodels:
            import statsmodels.api as sm

            xc = sm.add_constant(x)
            start = time.perf_counter()
            sm.OLS(y, xc).fit().bse  # noqa: B018
            middle = time.perf_counter()
            sm.WLS(y, xc, weights=w).fit().bse  # noqa: B018
            end = time.perf_counter()
            print(f"{'':>12} statsmodels OLS {middle - start:.3f}s, WLS {end - middle:.3f}s")


if __name__ == "__main__":
    main()
