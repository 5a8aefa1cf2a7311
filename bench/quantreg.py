"""Benchmark ``linmod.quantreg`` against scikit-learn's and statsmodels' quantile regression.

Every tool fits the same seeded data in one process: a Gaussian design with an intercept
and heavy-tailed (Student t, 3 df) heteroscedastic noise, at the median (``--q``).

What is timed (``time.perf_counter``, tools interleaved round-robin, the MEDIAN of
``--repeats`` calls after one untimed warm-up; ratio = peer / linmod, > 1: linmod faster):

* linmod       ``linmod.quantreg(X, y, q=q)`` (the exact solution; no standard errors)
* sklearn      ``QuantileRegressor(quantile=q, alpha=0, solver="highs").fit(X, y)``
* statsmodels  ``QuantReg(y, add_constant(X)).fit(q=q)`` (iteratively reweighted least
  squares, an approximate solution, with its default max_iter=1000)

Each peer is skipped above ``--peer-max-rows`` rows (default 1e5) where it takes minutes.
The objective (sum of check losses) of every solution is printed beside the times:
linmod's is the exact minimum, so the peers' can only be equal or larger.

Usage::

    python bench/quantreg.py                           # 1e3x5, 1e4x10, 1e5x20, 1e6x20
    python bench/quantreg.py --shapes 10000x10 --repeats 5 --threads 1
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable

import numpy as np

import linmod


def _data(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p))
    noise = rng.standard_t(3, n) * (1.0 + 0.5 * np.abs(x[:, 0]))
    return x, 1.0 + x @ np.linspace(1.0, 2.0, p) + noise


def _loss(x: np.ndarray, y: np.ndarray, intercept: float, coef: np.ndarray, q: float) -> float:
    r = y - intercept - x @ coef
    return float(np.sum(r * (q - (r < 0))))


def _tools(q: float) -> dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]]:
    def run_linmod(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        coef = linmod.quantreg(x, y, q=q).solution.coef
        return float(coef[0]), coef[1:]

    def run_sklearn(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        from sklearn.linear_model import QuantileRegressor

        model = QuantileRegressor(quantile=q, alpha=0.0, solver="highs").fit(x, y)
        return float(model.intercept_), model.coef_

    def run_statsmodels(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        import statsmodels.api as sm

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            params = sm.QuantReg(y, sm.add_constant(x)).fit(q=q).params
        return float(params[0]), params[1:]

    return {"linmod": run_linmod, "sklearn": run_sklearn, "statsmodels": run_statsmodels}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="1000x5,10000x10,100000x20,1000000x20")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--q", type=float, default=0.5)
    parser.add_argument("--peer-max-rows", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.threads)
    tools = _tools(args.q)
    print(f"q = {args.q}; median of {args.repeats} (seconds); ratio = peer / linmod")
    for shape in args.shapes.split(","):
        n, p = (int(float(v)) for v in shape.lower().split("x"))
        x, y = _data(n, p)
        active = {k: f for k, f in tools.items() if k == "linmod" or n <= args.peer_max_rows}
        times: dict[str, list[float]] = {k: [] for k in active}
        losses: dict[str, float] = {}
        for name, tool in active.items():  # warm-up, and the objective reached
            intercept, coef = tool(x, y)
            losses[name] = _loss(x, y, intercept, coef, args.q)
        for _ in range(args.repeats):
            for name, tool in active.items():
                start = time.perf_counter()
                tool(x, y)
                times[name].append(time.perf_counter() - start)
        base = statistics.median(times["linmod"])
        parts = []
        for name in tools:
            if name not in active:
                parts.append(f"{name} skipped")
                continue
            median = statistics.median(times[name])
            excess = losses[name] / losses["linmod"] - 1.0
            ratio = "" if name == "linmod" else f" ({median / base:.1f}x)"
            parts.append(f"{name} {median:.3f}s{ratio} loss+{excess:.1e}")
        print(f"{n:>8} x {p:<4} " + " | ".join(parts), flush=True)


if __name__ == "__main__":
    main()
