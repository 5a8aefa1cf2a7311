"""Benchmark sparse X: the Lasso path against scikit-learn, sparse OLS against scipy's LSQR.

Data (seeded): a random ``n × p`` CSC matrix with ``density`` (default 1e5 × 1e4, 0.1 %:
about 1e6 stored values, uniform on [0, 1), int32 indices so that scikit-learn takes it
as given), 50 non-zero coefficients and Gaussian noise (sd 0.1); the response has
no intercept for the path without one (scikit-learn's ``lasso_path`` assumes centred
data) and an intercept of 1 for the path with one.

1. Lasso path without intercept (scikit-learn's ``lasso_path`` does not centre):
   ``linmod.lasso_path(X, y, fit_intercept=False)`` (100 penalties, eps 1e-3, tol 1e-4)
   against ``sklearn.linear_model.lasso_path(X, y, alphas=<the same grid>)`` (same tol,
   same max_iter).
2. Lasso path with intercept: ``linmod.lasso_path(X, y)`` against scikit-learn's
   ``Lasso(warm_start=True)`` refitted along the same grid (its sparse solver centres by
   adding ``μ_j·δ`` to all ``n`` residuals at every coordinate update, so only the first
   ``--intercept-alphas`` penalties of the grid are timed, for both).
3. Sparse OLS (default 1e5 × 200 at 1 %, intercept 1): ``linmod.ols(X, y)`` (Gram matrix R factor,
   refined; coefficients and standard errors) against ``scipy.sparse.linalg.lsqr`` on
   ``[1 | X]`` at ``atol = btol = 1e-14`` (coefficients only) and at its defaults (1e-8).

Each timing is the MEDIAN of ``--repeats`` runs in one process after one warm-up (numba
compilation), tools interleaved; the ratio printed is ``peer / linmod`` (> 1: linmod
faster).  The agreement of the coefficients is printed too.

Usage::

    python bench/sparse.py                       # the sizes above, 3 repeats
    python bench/sparse.py --quick               # a seconds-long smoke test
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp


def _matrix(n: int, p: int, density: float, seed: int) -> tuple[Any, np.ndarray]:
    rng = np.random.default_rng(seed)
    nnz = round(n * p * density)
    x = sp.csc_array(
        (rng.uniform(size=nnz), (rng.integers(0, n, nnz), rng.integers(0, p, nnz))), shape=(n, p)
    )
    x.sum_duplicates()
    x.indices = x.indices.astype(np.int32)
    x.indptr = x.indptr.astype(np.int32)
    beta = np.zeros(p)
    beta[: min(50, p)] = rng.normal(size=min(50, p))
    y = np.asarray(x @ beta) + 0.1 * rng.normal(size=n)  # centred model: no intercept
    return x, y


def _median(runs: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    for run in runs.values():
        run()  # warm-up (numba compilation, caches)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def _report(title: str, medians: dict[str, float], reference: str) -> None:
    print(f"\n{title}")
    for name, t in medians.items():
        ratio = "" if name == reference else f"   ratio {t / medians[reference]:.2f}x"
        print(f"  {name:<34} {t:8.3f} s{ratio}")


def lasso_paths(x: Any, y: np.ndarray, repeats: int, intercept_alphas: int) -> None:
    from sklearn.linear_model import Lasso, lasso_path

    import linmod

    grid = linmod.lasso_path(x, y, fit_intercept=False, alphas=100).alphas
    medians = _median(
        {
            "linmod.lasso_path": lambda: linmod.lasso_path(x, y, fit_intercept=False),
            "sklearn lasso_path": lambda: lasso_path(x, y, alphas=grid),
        },
        repeats,
    )
    ours = linmod.lasso_path(x, y, fit_intercept=False)
    theirs = lasso_path(x, y, alphas=grid)[1]
    _report(f"Lasso path, no intercept, 100 penalties ({x.shape[0]} x {x.shape[1]}, "
            f"{x.nnz} stored)", medians, "linmod.lasso_path")  # fmt: skip
    nonzero = (int(ours.n_nonzero[-1]), int((theirs[:, -1] != 0).sum()))
    print(f"  largest |coef difference| {np.abs(ours.coefs - theirs).max():.2e} (tol 1e-4 both); "
          f"non-zeros at the end {nonzero[0]} vs {nonzero[1]}")  # fmt: skip

    y = y + 1.0  # now with an intercept to fit
    full = linmod.lasso_path(x, y, alphas=100).alphas
    head = full[:intercept_alphas]

    def sklearn_warm() -> np.ndarray:
        model = Lasso(alpha=float(head[0]), warm_start=True)
        coefs = []
        for alpha in head:
            model.alpha = float(alpha)
            model.fit(x, y)
            coefs.append(model.coef_.copy())
        return np.array(coefs).T

    medians = _median(
        {
            "linmod.lasso_path (intercept)": lambda: linmod.lasso_path(x, y, alphas=head),
            "sklearn Lasso(warm_start) loop": sklearn_warm,
        },
        repeats,
    )
    _report(f"Lasso path with intercept, the first {head.size} penalties of the grid",
            medians, "linmod.lasso_path (intercept)")  # fmt: skip
    diff = np.abs(linmod.lasso_path(x, y, alphas=head).coefs - sklearn_warm()).max()
    print(f"  largest |coef difference| {diff:.2e}")


def sparse_ols(x: Any, y: np.ndarray, repeats: int) -> None:
    from scipy.sparse.linalg import LinearOperator, lsqr

    import linmod

    n, p = x.shape
    csr = x.tocsr()

    def matvec(b: np.ndarray) -> np.ndarray:
        return np.asarray(csr @ b[1:]) + b[0]

    def rmatvec(r: np.ndarray) -> np.ndarray:
        return np.concatenate([[r.sum()], np.asarray(x.T @ r)])

    operator = LinearOperator((n, p + 1), matvec=matvec, rmatvec=rmatvec, dtype=float)
    medians = _median(
        {
            "linmod.ols (Gram R factor)": lambda: linmod.ols(x, y).std_err,
            "scipy lsqr atol=btol=1e-14": lambda: lsqr(
                operator, y, atol=1e-14, btol=1e-14, iter_lim=100_000
            )[0],
            "scipy lsqr defaults": lambda: lsqr(operator, y)[0],
        },
        repeats,
    )
    _report(f"Sparse OLS ({n} x {p}, {x.nnz} stored)", medians, "linmod.ols (Gram R factor)")
    fit = linmod.ols(x, y)
    print("  linmod notes:", *fit.solution.notes, sep="\n    ")
    ours = fit.coef.to_numpy()
    tight = lsqr(operator, y, atol=1e-14, btol=1e-14, iter_lim=100_000)[0]
    loose = lsqr(operator, y)[0]
    dense = np.linalg.lstsq(np.column_stack([np.ones(n), x.toarray()]), y, rcond=None)[0]
    for name, coef in (("linmod", ours), ("lsqr 1e-14", tight), ("lsqr defaults", loose)):
        print(f"  {name:<14} largest relative coef difference to dense lstsq "
              f"{np.max(np.abs(coef - dense) / np.abs(dense)):.1e}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="100000x10000")
    parser.add_argument("--density", type=float, default=1e-3)
    parser.add_argument("--ols-shape", default="100000x200")
    parser.add_argument("--ols-density", type=float, default=1e-2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--intercept-alphas", type=int, default=10)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.shape, args.ols_shape, args.repeats = "5000x1000", "5000x50", 1
    warnings.simplefilter("ignore")  # ConvergenceWarning at the smallest penalties
    n, p = (int(float(v)) for v in args.shape.split("x"))
    x, y = _matrix(n, p, args.density, seed=20240601)
    lasso_paths(x, y, args.repeats, args.intercept_alphas)
    n, p = (int(float(v)) for v in args.ols_shape.split("x"))
    x, y = _matrix(n, p, args.ols_density, seed=20240602)
    sparse_ols(x, y + 1.0, args.repeats)


if __name__ == "__main__":
    main()
