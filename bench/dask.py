"""OLS on Dask: linmod vs dask-ml LinearRegression and dask.array.linalg.lstsq.

    python bench/dask.py                  # 2e7 x 20 on a 2-worker LocalCluster
    python bench/dask.py --rows 2000000   # quicker
    python bench/dask.py --quick          # smoke test

All three fit y ~ 1 + X on the same persisted Dask array (row chunks of 1e6).  Prints the
median time of each, the ratio peer/linmod (>1: linmod faster) and the largest relative
coefficient difference from numpy's in-memory float64 lstsq.  linmod also returns standard
errors, R², F and AIC/BIC; the peers return coefficients only.

On a real cluster the same code runs unchanged: create ``Client("tcp://scheduler:8786")``
instead of the LocalCluster; only p×p R factors travel between workers.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

# Run as a script, this file's folder comes first on sys.path, where "dask" is this file.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]


def _median(function, repeats: int) -> tuple[float, object]:
    function()  # warm up: worker imports, JIT caches
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.chunk, args.repeats = 200_000, 50_000, 1

    import dask
    import dask.array as da
    from dask.distributed import Client, LocalCluster

    import linmod

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            dashboard_address=":0",
            worker_dashboard_address=":0",
            scheduler_port=0,
        ) as cluster,
        Client(cluster),
    ):
        rng = da.random.default_rng(0)
        x = rng.normal(size=(args.rows, args.p), chunks=(args.chunk, args.p)).persist()
        beta = np.linspace(-1.0, 1.0, args.p)
        y = (x @ beta + 2.0 + rng.normal(size=args.rows, chunks=args.chunk)).persist()
        print(
            f"{args.rows:,} x {args.p} on a 2-worker LocalCluster, chunks of {args.chunk:,}, "
            f"median of {args.repeats}"
        )

        t_linmod, fit = _median(lambda: linmod.ols(x, y), args.repeats)
        ones = da.ones((args.rows, 1), chunks=(args.chunk, 1))
        design = da.concatenate([ones, x], axis=1).rechunk({1: -1})
        t_lstsq, lstsq = _median(
            lambda: dask.compute(da.linalg.lstsq(design, y)[0])[0], args.repeats
        )
        try:
            from dask_ml.linear_model import LinearRegression as DaskMLLinearRegression
        except ImportError:
            DaskMLLinearRegression = None
        if DaskMLLinearRegression is not None:

            def dask_ml_fit():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = DaskMLLinearRegression(fit_intercept=True).fit(x, y)
                return np.r_[model.intercept_, model.coef_]

            t_daskml, daskml = _median(dask_ml_fit, args.repeats)

        xs, ys = dask.compute(x, y)
    reference = np.linalg.lstsq(np.column_stack([np.ones(args.rows), xs]), ys, rcond=None)[0]

    def diff(coef) -> float:
        return float(np.max(np.abs(np.asarray(coef) - reference) / np.abs(reference)))

    print(
        f"linmod.ols                 {t_linmod:8.2f} s   max rel diff {diff(fit.coef):.1e}"
        f"   (+ std errors, R², F, AIC/BIC)"
    )
    print(
        f"dask.array.linalg.lstsq    {t_lstsq:8.2f} s   max rel diff {diff(lstsq):.1e}"
        f"   ratio {t_lstsq / t_linmod:.2f}x"
    )
    if DaskMLLinearRegression is not None:
        print(
            f"dask_ml LinearRegression   {t_daskml:8.2f} s   max rel diff {diff(daskml):.1e}"
            f"   ratio {t_daskml / t_linmod:.2f}x"
        )
    else:
        print("dask_ml not installed: pip install dask-ml")


if __name__ == "__main__":
    main()
