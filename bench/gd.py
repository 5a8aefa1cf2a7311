"""Gradient descent throughput: linmod.GDRegressor vs scikit-learn's SGDRegressor.

Same data, same loss (squared error, no penalty), same number of epochs, constant rate,
no early stopping; both shuffle each epoch.  Also times one batch-GD iteration against two
BLAS matrix-vector passes over X (the floor for a full-gradient step).

    python bench/gd.py                 # 1e6 x 20, 5 epochs, 5 repeats
    python bench/gd.py --quick         # small smoke test

Prints medians and ratios (>1 means linmod is faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

import numpy as np
from sklearn.linear_model import SGDRegressor

from linmod import GDRegressor


def _median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--p", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.n, args.epochs, args.repeats = 20_000, 3, 3
    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.n, args.p))
    y = x @ rng.normal(size=args.p) + 1.0 + rng.normal(size=args.n)
    rate = 1e-3
    print(
        f"data {args.n} x {args.p}, {args.epochs} epochs, {os.cpu_count()} cores, "
        f"median of {args.repeats}"
    )

    def sklearn_sgd():
        model = SGDRegressor(
            loss="squared_error",
            penalty=None,
            learning_rate="constant",
            eta0=rate,
            max_iter=args.epochs,
            tol=None,
            shuffle=True,
            random_state=0,
            average=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(x, y)
        return model

    def linmod_sgd():
        # scikit-learn's squared_error is (1/2)(y - f)^2; linmod's cost is (y - f)^2, whose
        # gradient is twice as large, so half the rate takes the same steps.
        model = GDRegressor(
            method="sgd",
            learning_rate=rate / 2,
            max_epochs=args.epochs,
            tol=1e-300,
            standardize=False,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(x, y)
        return model

    linmod_sgd(), sklearn_sgd()  # warm up (numba compilation is cached on disk)
    t_sk = _median_time(sklearn_sgd, args.repeats)
    t_lm = _median_time(linmod_sgd, args.repeats)
    ref = np.linalg.lstsq(np.column_stack([np.ones(args.n), x]), y, rcond=None)[0]
    a, b = linmod_sgd(), sklearn_sgd()
    err_lm = np.max(np.abs(np.r_[a.intercept_, a.coef_] - ref))
    err_sk = np.max(np.abs(np.r_[np.atleast_1d(b.intercept_)[0], b.coef_] - ref))
    rows = args.n * args.epochs
    print(
        f"SGD  sklearn {t_sk:.3f}s ({rows / t_sk / 1e6:.1f} M rows/s)   "
        f"linmod {t_lm:.3f}s ({rows / t_lm / 1e6:.1f} M rows/s)   ratio {t_sk / t_lm:.2f}x"
    )
    print(f"     max |coef - OLS|: linmod {err_lm:.2e}, sklearn {err_sk:.2e}")

    iterations = 20

    def linmod_batch():
        model = GDRegressor(method="batch", max_epochs=iterations, tol=1e-300, standardize=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(x, y)

    def two_gemv():
        beta = np.ones(args.p)
        for _ in range(iterations):
            r = x @ beta - y
            x.T @ r

    linmod_batch()
    t_batch = _median_time(linmod_batch, args.repeats) / iterations
    t_gemv = _median_time(two_gemv, args.repeats) / iterations
    print(
        f"batch GD  {t_batch * 1e3:.1f} ms/iteration (incl. setup amortised over "
        f"{iterations})   two BLAS passes {t_gemv * 1e3:.1f} ms   ratio {t_batch / t_gemv:.2f}"
    )


if __name__ == "__main__":
    main()
