"""Benchmark linmod's Lasso path and LassoCV against scikit-learn and skglm; ridge path vs SVD.

Every tool fits the same float64 data in one process.  Data: a Gaussian design with AR(1)
correlation 0.5 between neighbouring columns (seeded), a sparse truth (``min(p/10, 100)``
non-zero coefficients ``±U(0.5, 2)``) and Gaussian noise at signal-to-noise 3.

What is timed (``time.perf_counter`` around the whole user-level call; ``--repeats``
rounds after one untimed warm-up call per tool, tools interleaved round-robin so background
load hits all alike; the MEDIAN is reported, with the ratio ``peer / linmod``: > 1 means
linmod is faster).  For the paths the median process CPU time (``time.process_time``) is
shown too: on a loaded machine it leaves out the time spent waiting for a core, and with
``--threads 1`` it is what the call costs unloaded.  Where ``n ≥ p`` the same rounds also
time ``x.T @ x`` alone: scikit-learn's ``lasso_path`` forms that Gram matrix (its
``precompute='auto'``) and so does linmod, so ``sklearn / X'X`` bounds how much faster
than scikit-learn any exact path that forms it can be.

* path, scikit-learn's problem (no intercept, 100 penalties on scikit-learn's grid
  ``α_max·geomspace(1, 1e-3)``):

  - linmod   ``linmod.lasso_path(X, y, fit_intercept=False, tol=1e-4)``
  - sklearn  ``sklearn.linear_model.lasso_path(X, y, alphas=100, tol=1e-4)``
  - skglm    ``skglm.Lasso(fit_intercept=False, tol=t).path(X, y, alphas)`` (its Lasso
             estimator's solver, AndersonCD, with warm starts, as its documentation's path
             examples use it)

* cross-validation (5-fold ``KFold`` without shuffling, 100 penalties, intercept):

  - linmod   ``linmod.LassoCV(cv=5, tol=1e-4)``
  - sklearn  ``sklearn.linear_model.LassoCV(cv=5, alphas=100, tol=1e-4)``
  - skglm    ``skglm.cv.GeneralizedLinearEstimatorCV(Quadratic(), L1(1.0),
             AndersonCD(tol=t), cv=5, n_alphas=100)`` (its own CV estimator; it shuffles
             its folds).  It takes minutes per call, so it is timed once (its JIT already
             warm from the path step) instead of taking a median.

Same tolerance: linmod and scikit-learn stop when the duality gap is below
``1e-4·‖y − ȳ‖²`` (scikit-learn's convention, scaled by 1/n in the 1/(2n) objective).
skglm stops on the largest violation of the optimality conditions instead, so its ``t`` is
calibrated first (untimed): the largest of 1e-4, 3e-5, 1e-5, … at which *every* solution
on the path has a duality gap within that same bound.  The duality gaps of all tools'
solutions are recomputed here by an independent formula and reported ("gap/bound" ≤ 1
means converged to the common tolerance), with the largest coefficient difference to
linmod relative to the largest coefficient.

Ridge: ``linmod.ridge_path(X, y)`` (100 penalties) against one thin SVD of the centred
design, ``np.linalg.svd(X − mean, full_matrices=False)``.

Threads are left at the BLAS default unless ``--threads`` is given (numba kernels are
single-threaded); the output shows ``os.cpu_count()`` and what threadpoolctl reports.  On a
shared machine pass ``--threads 1`` for steadier numbers.

Usage::

    python bench/lasso.py                       # (1e4, 1e3), (1e5, 100), (1e3, 1e4); 5 repeats
    python bench/lasso.py --quick               # small shapes, 2 repeats: smoke test
    python bench/lasso.py --shapes 10000x1000 --repeats 3 --threads 1 --skip cv
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

DEFAULT_SHAPES = "10000x1000,100000x100,1000x10000"
QUICK_SHAPES = "2000x200,300x1000"
TOL = 1e-4
N_ALPHAS = 100
EPS = 1e-3
SKGLM_TOLS = (1e-4, 3e-5, 1e-5, 3e-6, 1e-6, 3e-7, 1e-7, 1e-8)


# --------------------------------------------------------------------------- data
def parse_shapes(text: str) -> list[tuple[int, int]]:
    """Parse ``"10000x1000,1e5x100"`` into ``[(10000, 1000), (100000, 100)]``."""
    shapes = []
    for item in text.split(","):
        item = item.strip().lower()
        if item:
            n_text, p_text = item.split("x")
            shapes.append((int(float(n_text)), int(float(p_text))))
    return shapes


def make_data(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """AR(1)-correlated Gaussian design, sparse truth, noise at signal-to-noise 3."""
    rng = np.random.default_rng([seed, n, p])
    x = rng.standard_normal((n, p))
    rho = 0.5
    for j in range(1, p):
        x[:, j] = rho * x[:, j - 1] + np.sqrt(1 - rho**2) * x[:, j]
    k = max(1, min(p // 10, 100))
    beta = np.zeros(p)
    support = rng.choice(p, k, replace=False)
    beta[support] = rng.choice([-1.0, 1.0], k) * rng.uniform(0.5, 2.0, k)
    y = x @ beta
    y += rng.standard_normal(n) * np.std(y) / 3.0
    return x, y


def sklearn_grid(x: np.ndarray, y: np.ndarray, fit_intercept: bool) -> np.ndarray:
    """scikit-learn's default grid, written out (centred when fitting an intercept)."""
    xty = x.T @ (y - y.mean()) if fit_intercept else x.T @ y
    top = np.max(np.abs(xty)) / x.shape[0]
    return np.geomspace(top, top * EPS, N_ALPHAS)


def duality_gap(x: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: float) -> float:
    """Lasso duality gap of ``w`` (no intercept), scikit-learn's formulation A, over n."""
    n = x.shape[0]
    r = y - x @ w
    l1 = alpha * n
    dual_norm = np.max(np.abs(x.T @ r))
    scale = min(1.0, l1 / dual_norm) if dual_norm > 0 else 1.0
    primal = 0.5 * r @ r + l1 * np.abs(w).sum()
    dual = -0.5 * scale**2 * (r @ r) + scale * (r @ y)
    return float((primal - dual) / n)


def path_gaps(x: np.ndarray, y: np.ndarray, coefs: np.ndarray, alphas: np.ndarray) -> np.ndarray:
    return np.array([duality_gap(x, y, coefs[:, k], a) for k, a in enumerate(alphas)])


# --------------------------------------------------------------------------- tools
def path_linmod(x: np.ndarray, y: np.ndarray, alphas: np.ndarray, _: float) -> np.ndarray:
    import linmod.regularization as reg

    return reg.lasso_path(x, y, fit_intercept=False, tol=TOL).coefs


def path_sklearn(x: np.ndarray, y: np.ndarray, alphas: np.ndarray, _: float) -> np.ndarray:
    from sklearn.linear_model import lasso_path

    return lasso_path(x, y, alphas=N_ALPHAS, eps=EPS, tol=TOL)[1]


def path_skglm(x: np.ndarray, y: np.ndarray, alphas: np.ndarray, tol: float) -> np.ndarray:
    from skglm import Lasso

    return Lasso(fit_intercept=False, tol=tol).path(x, y, alphas)[1]


def cv_linmod(x: np.ndarray, y: np.ndarray, _: float) -> float:
    import linmod.regularization as reg

    return float(reg.LassoCV(cv=5, tol=TOL).fit(x, y).alpha_)


def cv_sklearn(x: np.ndarray, y: np.ndarray, _: float) -> float:
    from sklearn.linear_model import LassoCV

    return float(LassoCV(cv=5, alphas=N_ALPHAS, eps=EPS, tol=TOL).fit(x, y).alpha_)


def cv_skglm(x: np.ndarray, y: np.ndarray, tol: float) -> float:
    from skglm.cv import GeneralizedLinearEstimatorCV
    from skglm.datafits import Quadratic
    from skglm.penalties import L1
    from skglm.solvers import AndersonCD

    model = GeneralizedLinearEstimatorCV(
        Quadratic(), L1(alpha=1.0), AndersonCD(tol=tol, fit_intercept=True), cv=5,
        n_alphas=N_ALPHAS, eps=EPS,
    )  # fmt: skip
    return float(model.fit(x, y).alpha_)


PATHS: dict[str, Callable[..., np.ndarray]] = {
    "linmod": path_linmod,
    "sklearn": path_sklearn,
    "skglm": path_skglm,
}
CVS: dict[str, Callable[..., float]] = {
    "linmod": cv_linmod,
    "sklearn": cv_sklearn,
    "skglm": cv_skglm,
}


def has_skglm() -> bool:
    try:
        import skglm  # noqa: F401
    except ImportError:
        return False
    return True


def calibrate_skglm(x: np.ndarray, y: np.ndarray, alphas: np.ndarray) -> tuple[float, float]:
    """Largest skglm tol whose whole path meets the common duality-gap bound."""
    bound = TOL * float(y @ y) / x.shape[0]
    worst = np.inf
    for tol in SKGLM_TOLS:
        coefs = path_skglm(x, y, alphas, tol)
        worst = float(np.max(path_gaps(x, y, coefs, alphas)) / bound)
        if worst <= 1.0:
            return tol, worst
    return SKGLM_TOLS[-1], worst


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds of one call, and its result."""
    wall, _, out = timed_both(call)
    return wall, out


def timed_both(call: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and process CPU seconds of one call, and its result."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    out = call()
    return time.perf_counter() - start, time.process_time() - start_cpu, out


def median_times(
    calls: dict[str, Callable[[], Any]], repeats: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Medians of wall-clock and of CPU seconds over interleaved rounds."""
    walls: dict[str, list[float]] = {name: [] for name in calls}
    cpus: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            wall, cpu, _ = timed_both(call)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return (
        {name: statistics.median(values) for name, values in walls.items()},
        {name: statistics.median(values) for name, values in cpus.items()},
    )


# --------------------------------------------------------------------------- report
def bench_shape(n: int, p: int, repeats: int, tools: list[str], skip: set[str]) -> None:
    x, y = make_data(n, p)
    print(f"\n=== n = {n}, p = {p} ===")
    if "path" not in skip:
        alphas = sklearn_grid(x, y, fit_intercept=False)
        tol_skglm, _ = calibrate_skglm(x, y, alphas) if "skglm" in tools else (TOL, 0.0)
        bound = TOL * float(y @ y) / n
        coefs, calls = {}, {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for tool in tools:
                coefs[tool] = PATHS[tool](x, y, alphas, tol_skglm)  # warm-up (JIT, caches)
                calls[tool] = lambda tool=tool: PATHS[tool](x, y, alphas, tol_skglm)
            gram = n >= p  # scikit-learn's lasso_path precomputes X'X exactly then
            if gram:
                calls["gram"] = lambda: x.T @ x
            times, cpu = median_times(calls, repeats)
        ref = coefs["linmod"]
        scale = np.max(np.abs(ref))
        note = f" (skglm tol calibrated to {tol_skglm:g})" if "skglm" in tools else ""
        print(f"lasso path, 100 alphas, no intercept{note}")
        print(f"  {'tool':<8} {'median s':>9} {'peer/linmod':>12} {'cpu s':>8} {'cpu ratio':>10} "
              f"{'max gap/bound':>14} {'max |Δcoef|/max|coef|':>22}")  # fmt: skip
        for tool in tools:
            gaps = path_gaps(x, y, coefs[tool], alphas) / bound
            diff = np.max(np.abs(coefs[tool] - ref)) / scale
            print(f"  {tool:<8} {times[tool]:9.3f} {times[tool] / times['linmod']:12.2f} "
                  f"{cpu[tool]:8.3f} {cpu[tool] / cpu['linmod']:10.2f} "
                  f"{np.max(gaps):14.3f} {diff:22.2e}")  # fmt: skip
        if gram:
            # Both libraries form X'X here: no exact path that does can beat scikit-learn
            # by more than sklearn's time over this one product.
            share = times["gram"] / times["linmod"]
            ceiling = times["sklearn"] / times["gram"]
            ceiling_cpu = cpu["sklearn"] / cpu["gram"]
            print(
                f"  X'X alone (x.T @ x; linmod and scikit-learn both form it): "
                f"{times['gram']:.3f} s = {share:.0%} of linmod's time; sklearn / X'X = "
                f"{ceiling:.2f}× (cpu {ceiling_cpu:.2f}×), the ceiling of sklearn / linmod"
            )
    if "cv" not in skip:
        tol_skglm = TOL
        if "skglm" in tools:
            alphas_c = sklearn_grid(x - x.mean(axis=0), y - y.mean(), fit_intercept=False)
            tol_skglm, _ = calibrate_skglm(x - x.mean(axis=0), y - y.mean(), alphas_c)
        calls, chosen, single = {}, {}, {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for tool in tools:
                seconds, chosen[tool] = timed(lambda tool=tool: CVS[tool](x, y, tol_skglm))
                if tool == "skglm":
                    single[tool] = seconds  # minutes per call: timed once (JIT warmed above)
                else:
                    calls[tool] = lambda tool=tool: CVS[tool](x, y, tol_skglm)
            times = {**median_times(calls, repeats)[0], **single}
        note = f" (skglm tol {tol_skglm:g})" if "skglm" in tools else ""
        print(f"LassoCV, 5 folds, 100 alphas, intercept{note}")
        print(f"  {'tool':<8} {'median s':>9} {'peer/linmod':>12} {'alpha_':>12}")
        for tool in tools:
            print(f"  {tool:<8} {times[tool]:9.3f} {times[tool] / times['linmod']:12.2f} "
                  f"{chosen[tool]:12.5g}")  # fmt: skip
    if "ridge" not in skip:
        import linmod.regularization as reg

        xc = x - x.mean(axis=0)
        reg.ridge_path(x, y, alphas=N_ALPHAS)
        times = median_times(
            {
                "ridge_path": lambda: reg.ridge_path(x, y, alphas=N_ALPHAS),
                "svd": lambda: np.linalg.svd(xc, full_matrices=False),
            },
            repeats,
        )[0]
        print(
            f"ridge_path, 100 alphas: {times['ridge_path']:.3f} s = "
            f"{times['ridge_path'] / times['svd']:.2f} × one SVD ({times['svd']:.3f} s)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=None, help=f"default {DEFAULT_SHAPES}")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="small shapes, 2 repeats")
    parser.add_argument("--threads", type=int, default=None, help="limit BLAS threads")
    parser.add_argument("--no-skglm", action="store_true")
    parser.add_argument("--skip", default="", help="comma list of path,cv,ridge")
    args = parser.parse_args(argv)
    shapes = parse_shapes(args.shapes or (QUICK_SHAPES if args.quick else DEFAULT_SHAPES))
    repeats = args.repeats or (2 if args.quick else 5)
    tools = ["linmod", "sklearn"] + ([] if args.no_skglm or not has_skglm() else ["skglm"])
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    import numba
    import sklearn
    from threadpoolctl import threadpool_info, threadpool_limits

    versions = [f"numpy {np.__version__}", f"scikit-learn {sklearn.__version__}",
                f"numba {numba.__version__}"]  # fmt: skip
    if "skglm" in tools:
        import skglm

        versions.append(f"skglm {skglm.__version__}")
    else:
        print("skglm not compared (--no-skglm, or not installed: pip install skglm)")
    print(f"python {platform.python_version()}, {', '.join(versions)}")
    print(f"cpus: {os.cpu_count()}, BLAS: " + "; ".join(
        f"{i.get('internal_api')} {i.get('num_threads')} threads" for i in threadpool_info()
    ))  # fmt: skip
    print(f"threads: {'BLAS default' if args.threads is None else args.threads}; "
          f"repeats: {repeats} (median)")  # fmt: skip
    limit = threadpool_limits(args.threads) if args.threads else None
    try:
        for n, p in shapes:
            bench_shape(n, p, repeats, tools, skip)
    finally:
        if limit is not None:
            limit.unregister()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
