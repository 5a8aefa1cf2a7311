"""Speed on everyday data (issue 19): linmod against scikit-learn and statsmodels, small to large.

One process, the same data for every tool, tools interleaved round-robin so background
load hits all of them alike; MEDIANS of the repeats are printed with the ratios
``peer / linmod`` (> 1: linmod is faster).  The 2 cores of the machine this was written
on were shared with other jobs, so absolute times are noisy: read the ratios, which come
from the same rounds, and rerun on a quiet machine for clean figures.

Sections (``--sections``, default all):

``ols``
    For every shape of ``--shapes`` (default 1e3 x 5 ... 1e6 x 100, with 2e4 x 1000):
    Gaussian X (C order), coefficients +-U(0.5, 2), intercept 1.5, noise sd 0.5.

    * linmod       ``res = linmod.ols(X, y); res.coef; res.std_err``
    * scikit-learn ``LinearRegression().fit(X, y)``
    * statsmodels  ``res = sm.OLS(y, sm.add_constant(X)).fit(); res.params; res.bse``
    * X'X floor    numpy ``Z.T @ Z`` for the design ``Z = [1, X]`` (built before the
      clock): no in-memory exact method can avoid one pass of this size.

    Also printed: the solver linmod's ``"auto"`` ran, and linmod / floor.
``formula``
    ``ols("mpg ~ wt + hp + qsec + C(cyl)", data=mtcars)`` + ``coef`` + ``std_err`` against
    ``statsmodels.formula.api.ols(...).fit()`` + ``params`` + ``bse``.
``check``
    ``linmod.diagnostics.check(res)`` against the equivalent statsmodels calls
    (the list in ``bench/diagnostics.py``), fit excluded, at 1e3 x 10, 1e4 x 10, 1e5 x 10;
    wall-clock and CPU-time medians.  statsmodels' per-row loops (Harvey-Collier, the
    leave-one-out refits behind ``outlier_test``) take minutes from 1e4 rows, so they are
    replaced by nothing / the exact closed form unless ``--statsmodels-loops``.
``cv``
    Like for like, on each of ``--cv-data`` (default 500 x 10, 2000 x 20 and scikit-learn's
    diabetes data, 442 x 10), reporting median wall-clock AND median process-CPU time
    (``--threads 1`` for the cleanest figures); ratios are ``linmod / scikit-learn``
    (goal <= 2):

    * ``cross_validate_models(formula, frame, models=(ols, ridge, lasso, elastic_net))``
      against scikit-learn doing the same work from the arrays: ``cross_validate`` with the
      same shuffled ``KFold(5)`` and the same three scores (R², RMSE, MAE) of
      ``LinearRegression`` and of ``StandardScaler`` pipelines of ``RidgeCV`` (efficient
      leave-one-out over 100 penalties), ``LassoCV`` and ``ElasticNetCV(l1_ratio=0.5)``
      (inner shuffled 5-fold CV), then the three penalised pipelines fitted on all the data
      (the ``alphas`` linmod reports).  linmod also builds the formula's design (once:
      a formula without stateful transforms is sliced per fold); scikit-learn is given
      the arrays.
    * the same with ``models=("ols",)`` against ``cross_validate(LinearRegression())``
      with the three scores;
    * ``RidgeCV().fit`` (100 penalties) against scikit-learn's ``RidgeCV`` on linmod's grid,
      and both on scikit-learn's default three penalties;
    * ``LassoCV(cv=5).fit`` and ``ElasticNetCV(cv=5).fit`` against scikit-learn's
      (duality-gap tolerance 1e-4 on both; linmod's is relative to ``‖y − ȳ‖²``);
    * ``penalty_path(formula, frame)`` (standardised shuffled 5-fold ``LassoCV`` plus the
      reported path at tol 1e-8) against a ``StandardScaler`` + ``LassoCV`` pipeline plus
      ``lasso_path`` on its grid (at scikit-learn's default tol 1e-4: less work);
    * ``linmod.lasso(formula, data=frame, alpha="cv")`` against formulaic's
      ``model_matrix`` + ``LassoCV(cv=5).fit``.

Usage::

    python bench/speed.py                          # everything, default repeats
    python bench/speed.py --sections ols --shapes 1000x5,10000x10
    python bench/speed.py --budget 0.5             # seconds per tool and shape (min 3 runs)
    python bench/speed.py --sections ols --small-only   # 1e3 x 5 ... 1e5 x 20 only
    python bench/speed.py --sections ols --small-only --column-mean 1.5   # uncentred columns
    python bench/speed.py --sections ols --small-only --correlation 0.9   # correlated columns
    python bench/speed.py --sections ols --small-only --aliased 1   # a rank-deficient design
    python bench/speed.py --threads 1              # every BLAS/OpenMP pool on one thread
    python bench/speed.py --threads 1 --clock cpu  # process CPU time: least sensitive to load
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

DEFAULT_SHAPES = (
    "1000x5,10000x10,50000x20,100000x20,200000x20,1000000x20,20000x1000,400000x60,1000000x100"
)
SECTIONS = ("ols", "formula", "check", "cv")
#: ``--small-only`` keeps the shapes with at most this many values (1e3 x 5 ... 1e5 x 20).
SMALL_VALUES = 2e6


def parse_shapes(text: str) -> list[tuple[int, int]]:
    """``"1e3x5,20000x1000"`` -> ``[(1000, 5), (20000, 1000)]``."""
    shapes = []
    for item in filter(None, (s.strip().lower() for s in text.split(","))):
        n_text, p_text = item.split("x")
        shapes.append((int(float(n_text)), int(float(p_text))))
    return shapes


#: ``--column-mean``: the mean of every column of the ols section's design (0: centred).
COLUMN_MEAN = [0.0]
#: ``--correlation``: the correlation of every pair of design columns (one common factor).
CORRELATION = [0.0]
#: ``--aliased``: this many of the ``p`` design columns are sums of two others (rank ``p - k``).
ALIASED = [0]


def make_data(n: int, p: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray]:
    """The data of ``bench/ols.py``: well-conditioned Gaussian design, noisy response
    (columns of mean ``COLUMN_MEAN[0]``, spread 1, pairwise correlation ``CORRELATION[0]``)."""
    rng = np.random.default_rng([seed, n, p])
    x = rng.standard_normal((n, p)) + COLUMN_MEAN[0]
    if CORRELATION[0]:
        common = rng.standard_normal((n, 1))
        x = math.sqrt(CORRELATION[0]) * common + math.sqrt(1.0 - CORRELATION[0]) * x
        x += (1.0 - math.sqrt(1.0 - CORRELATION[0])) * COLUMN_MEAN[0]  # the mean kept
    if ALIASED[0] and not 0 < ALIASED[0] <= p - 3:
        raise SystemExit(f"--aliased {ALIASED[0]} needs at least 3 other columns (p = {p})")
    for j in range(p - ALIASED[0], p):  # the last columns: sums of two earlier ones
        x[:, j] = x[:, j % 2] + x[:, 2 + j % (p - ALIASED[0] - 2)]
    beta = rng.uniform(0.5, 2.0, p) * rng.choice([-1.0, 1.0], p)
    y = x @ beta + 1.5 + 0.5 * rng.standard_normal(n)
    return x, y


#: What a run's time is: wall clock, or (``--clock cpu``) the CPU time of every thread of
#: this process, which other processes' load hardly changes (with ``--threads 1``).
CLOCK: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = CLOCK["wall"]


def interleaved(tools: dict[str, Callable[[], Any]], budget: float, max_runs: int) -> dict:
    """Median seconds per tool: one warm-up each, then rounds until ``budget`` is spent.

    Each round runs the tools in a new (seeded) random order: a tool that always ran right
    after the same other one would pay for what that one leaves behind (e.g. OpenBLAS
    threads still spinning after a multithreaded product, which slowed the next call by up
    to 2x on this 2-core machine).
    """
    for fn in tools.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in tools}
    order = list(tools)
    shuffle = random.Random(0).shuffle
    start = time.perf_counter()
    while True:
        shuffle(order)
        for name in order:
            fn = tools[name]
            t0 = _clock()
            fn()
            times[name].append(_clock() - t0)
        runs = len(times[next(iter(tools))])
        if runs >= max_runs or (runs >= 3 and time.perf_counter() - start > budget):
            break
    return {name: statistics.median(v) for name, v in times.items()}


def _fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms" if seconds < 1 else f"{seconds:.3f} s"


def section_ols(shapes: list[tuple[int, int]], budget: float) -> None:
    import statsmodels.api as sm
    from sklearn.linear_model import LinearRegression

    import linmod

    mean = COLUMN_MEAN[0]
    print(
        f"\n## ols(X, y) + std_err, column mean {mean:g}, correlation {CORRELATION[0]:g},"
        f" aliased columns {ALIASED[0]} (medians; ratios peer / linmod)"
    )
    print(
        f"{'n x p':>13} {'linmod':>11} {'sklearn':>11} {'statsmodels':>12} {'XtX floor':>11}"
        f" {'sk/lm':>6} {'sm/lm':>6} {'lm/floor':>8} {'runs':>5}  solver  load"
    )
    for n, p in shapes:
        x, y = make_data(n, p)
        z = np.column_stack([np.ones(n), x])

        def fit_linmod(x: np.ndarray = x, y: np.ndarray = y) -> Any:
            res = linmod.ols(x, y)
            res.coef, res.std_err  # noqa: B018 - part of the work
            return res

        def fit_statsmodels(x: np.ndarray = x, y: np.ndarray = y) -> Any:
            res = sm.OLS(y, sm.add_constant(x)).fit()
            res.params, res.bse  # noqa: B018
            return res

        tools = {
            "linmod": fit_linmod,
            "sklearn": lambda x=x, y=y: LinearRegression().fit(x, y),
            "statsmodels": fit_statsmodels,
            "floor": lambda z=z: z.T @ z,
        }
        max_runs = 200 if n * p <= 1e6 else 5
        t = interleaved(tools, budget, max_runs)
        method = fit_linmod().solution.method
        lm = t["linmod"]
        print(
            f"{n:>7}x{p:<5} {_fmt(lm):>11} {_fmt(t['sklearn']):>11} {_fmt(t['statsmodels']):>12}"
            f" {_fmt(t['floor']):>11} {t['sklearn'] / lm:>6.2f} {t['statsmodels'] / lm:>6.2f}"
            f" {lm / t['floor']:>8.2f} {max_runs if max_runs < 200 else '':>5}  {method:<7}"
            f" {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        del x, y, z, tools


def section_formula(budget: float) -> None:
    import pandas as pd
    import statsmodels.formula.api as smf

    import linmod

    mtcars = pd.read_csv(Path(__file__).resolve().parents[1] / "tests" / "data" / "mtcars.csv")
    formula = "mpg ~ wt + hp + qsec + C(cyl)"

    def ours() -> None:
        res = linmod.ols(formula, data=mtcars)
        res.coef, res.std_err  # noqa: B018

    def theirs() -> None:
        res = smf.ols(formula, data=mtcars).fit()
        res.params, res.bse  # noqa: B018

    t = interleaved({"linmod": ours, "statsmodels": theirs}, budget, 200)
    print(f"\n## formula: {formula} on mtcars")
    print(
        f"linmod {_fmt(t['linmod'])}  statsmodels {_fmt(t['statsmodels'])}  "
        f"linmod / statsmodels {t['linmod'] / t['statsmodels']:.2f} (goal <= 1.5)"
    )


def section_check(budget: float, loops: bool = False) -> None:
    import statsmodels.api as sm

    import linmod
    from linmod.diagnostics import check

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from diagnostics import _statsmodels_check

    print(
        "\n## check(res) vs the equivalent statsmodels calls (fit excluded; statsmodels "
        + ("with" if loops else "without")
        + " its per-row loops, see bench/diagnostics.py)"
    )
    for n, p in [(1000, 10), (10000, 10), (100000, 10)]:
        x, y = make_data(n, p)
        fit = sm.OLS(y, sm.add_constant(x)).fit()

        times: dict[str, list[tuple[float, float]]] = {"linmod": [], "statsmodels": []}

        def ours(x: np.ndarray = x, y: np.ndarray = y, times: dict = times) -> None:
            res = linmod.ols(x, y)  # a fresh fit (not timed): no cached measures
            wall, cpu = time.perf_counter(), time.process_time()
            check(res)
            times["linmod"].append((time.perf_counter() - wall, time.process_time() - cpu))

        def theirs(f: Any = fit, k: int = p, times: dict = times) -> None:
            wall, cpu = time.perf_counter(), time.process_time()
            _statsmodels_check(f, k, loops)
            times["statsmodels"].append((time.perf_counter() - wall, time.process_time() - cpu))

        # statsmodels takes seconds per call at 1e5 rows: fewer rounds there.
        interleaved({"linmod": ours, "statsmodels": theirs}, budget, 20 if n <= 10000 else 3)
        # Medians without the warm-up call: wall clock, and CPU time (process time, which is
        # one thread's when run with --threads 1).
        t = {name: statistics.median(w for w, _ in v[1:]) for name, v in times.items()}
        c = {name: statistics.median(u for _, u in v[1:]) for name, v in times.items()}
        print(
            f"{n:>7}x{p:<3} linmod {_fmt(t['linmod'])}  statsmodels {_fmt(t['statsmodels'])}  "
            f"statsmodels / linmod {t['statsmodels'] / t['linmod']:.2f} (goal >= 1); "
            f"CPU time {_fmt(c['linmod'])} / {_fmt(c['statsmodels'])}: "
            f"{c['statsmodels'] / c['linmod']:.2f}; runs {len(times['linmod']) - 1}; "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def interleaved_cpu(
    tools: dict[str, Callable[[], Any]], budget: float, max_runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall-clock and median process-CPU seconds per tool, interleaved as above.

    Process CPU time (``time.process_time``, every thread of the process) is much less
    sensitive than wall-clock time to other jobs on a shared machine; with ``--threads 1``
    it is the cleanest figure.
    """
    for fn in tools.values():
        fn()
    wall: dict[str, list[float]] = {name: [] for name in tools}
    cpu: dict[str, list[float]] = {name: [] for name in tools}
    start = time.perf_counter()
    while True:
        for name, fn in tools.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
        runs = len(wall[next(iter(tools))])
        if runs >= max_runs or (runs >= 3 and time.perf_counter() - start > budget):
            break
    return (
        {name: statistics.median(v) for name, v in wall.items()},
        {name: statistics.median(v) for name, v in cpu.items()},
    )


def _cv_data(name: str) -> tuple[np.ndarray, np.ndarray, Any, str]:
    """``"500x10"`` (bench/ols.py's generator) or ``"diabetes"`` (scikit-learn's 442 x 10)."""
    import pandas as pd

    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        frame = load_diabetes(as_frame=True).frame.rename(columns={"target": "y"})
        features = [c for c in frame.columns if c != "y"]
        x, y = frame[features].to_numpy(float), frame["y"].to_numpy(float)
    else:
        n, p = parse_shapes(name)[0]
        x, y = make_data(n, p)
        features = [f"x{j}" for j in range(p)]
        frame = pd.DataFrame(x, columns=features).assign(y=y)
    return x, y, frame, "y ~ " + " + ".join(features)


def _cv_rows(name: str, budget: float) -> None:
    """The rows of the cv section for one data set."""
    from formulaic import model_matrix
    from sklearn import linear_model as sk
    from sklearn.model_selection import KFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    import linmod
    from linmod.model_selection import cross_validate_models, penalty_path

    scoring = ("r2", "neg_root_mean_squared_error", "neg_mean_absolute_error")
    x, y, frame, formula = _cv_data(name)
    seed = 0
    folds = KFold(5, shuffle=True, random_state=seed)

    def inner() -> KFold:
        return KFold(5, shuffle=True, random_state=seed)

    def penalised_pipelines() -> list[Any]:
        # cross_validate_models' models: standardised columns (1/n sd, as StandardScaler),
        # penalty chosen inside the training data; ridge by leave-one-out over 100
        # penalties, the Lasso and the elastic net (l1_ratio 0.5) by shuffled 5-fold CV.
        return [
            make_pipeline(StandardScaler(), sk.RidgeCV(alphas=np.logspace(-3, 5, 100))),
            make_pipeline(StandardScaler(), sk.LassoCV(cv=inner())),
            make_pipeline(StandardScaler(), sk.ElasticNetCV(l1_ratio=0.5, cv=inner())),
        ]

    def sk_compare_all() -> None:
        # the same folds, the same three scores, then each penalty chosen on all data
        models = [sk.LinearRegression(), *penalised_pipelines()]
        for model in models:
            cross_validate(model, x, y, cv=folds, scoring=scoring)
        for model in penalised_pipelines():
            model.fit(x, y)

    def sk_penalty_path() -> None:
        cv = make_pipeline(StandardScaler(), sk.LassoCV(cv=inner())).fit(x, y)
        z = StandardScaler().fit_transform(x)
        sk.lasso_path(z, y - y.mean(), alphas=cv[-1].alphas_)

    def sk_lasso_formula() -> None:
        design = model_matrix(formula, frame)
        sk.LassoCV(cv=5).fit(np.asarray(design.rhs)[:, 1:], np.asarray(design.lhs)[:, 0])

    lm_ridge_grid = linmod.RidgeCV().fit(x, y).alphas_
    rows = [
        (
            "cross_validate_models(ols, ridge, lasso, enet)",
            lambda: cross_validate_models(
                formula, frame, models=("ols", "ridge", "lasso", "elastic_net"), seed=seed
            ),
            sk_compare_all,
        ),
        (
            "cross_validate_models(models=('ols',))",
            lambda: cross_validate_models(formula, frame, models=("ols",), seed=seed),
            lambda: cross_validate(sk.LinearRegression(), x, y, cv=folds, scoring=scoring),
        ),
        (
            "RidgeCV().fit (100 penalties, both)",
            lambda: linmod.RidgeCV().fit(x, y),
            lambda: sk.RidgeCV(alphas=lm_ridge_grid).fit(x, y),
        ),
        (
            "RidgeCV(alphas=[0.1, 1, 10]).fit",
            lambda: linmod.RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(x, y),
            lambda: sk.RidgeCV().fit(x, y),
        ),
        (
            "LassoCV(cv=5).fit",
            lambda: linmod.LassoCV(cv=5).fit(x, y),
            lambda: sk.LassoCV(cv=5).fit(x, y),
        ),
        (
            "ElasticNetCV(cv=5).fit",
            lambda: linmod.ElasticNetCV(cv=5).fit(x, y),
            lambda: sk.ElasticNetCV(cv=5).fit(x, y),
        ),
        ("penalty_path(formula, data)", lambda: penalty_path(formula, frame), sk_penalty_path),
        (
            'lasso(formula, data, alpha="cv")',
            lambda: linmod.lasso(formula, data=frame, alpha="cv"),
            sk_lasso_formula,
        ),
    ]
    for label, ours, theirs in rows:
        wall, cpu = interleaved_cpu({"linmod": ours, "sklearn": theirs}, budget, 50)
        print(
            f"{name:>9} {label:<46} {_fmt(wall['linmod']):>10} {_fmt(wall['sklearn']):>10}"
            f" {wall['linmod'] / wall['sklearn']:>6.2f} {_fmt(cpu['linmod']):>10}"
            f" {_fmt(cpu['sklearn']):>10} {cpu['linmod'] / cpu['sklearn']:>6.2f}"
            f"  {os.getloadavg()[0]:.1f}",
            flush=True,
        )


def section_cv(budget: float, datasets: list[str]) -> None:
    """Cross-validation against scikit-learn doing the same work (see the module text)."""
    print("\n## cross-validation (goal: linmod / scikit-learn <= 2; medians, wall and process CPU)")
    print(f"{'data':>9} {'linmod call':<46} {'wall lm':>10} {'wall sk':>10} {'lm/sk':>6}"
          f" {'cpu lm':>10} {'cpu sk':>10} {'lm/sk':>6}  load")  # fmt: skip
    for name in datasets:
        _cv_rows(name, budget)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--shapes", default=DEFAULT_SHAPES)
    parser.add_argument(
        "--small-only",
        action="store_true",
        help=f"ols section: only shapes of at most {SMALL_VALUES:.0e} values (seconds)",
    )
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per row (min 3 runs)")
    parser.add_argument("--threads", type=int, default=None, help="cap every thread pool")
    parser.add_argument(
        "--statsmodels-loops",
        action="store_true",
        help="check section: time statsmodels' per-row loops too (minutes from 1e4 rows)",
    )
    parser.add_argument(
        "--cv-data", default="500x10,2000x20,diabetes", help="data sets of the cv section"
    )
    parser.add_argument(
        "--clock", choices=tuple(CLOCK), default="wall", help="wall clock or process CPU time"
    )
    parser.add_argument(
        "--column-mean",
        type=float,
        default=0.0,
        help="ols section: the mean of every design column (spread 1); e.g. 1.5 or 3 for "
        "uncentred data, which linmod fits on shifted columns",
    )
    parser.add_argument(
        "--correlation",
        type=float,
        default=0.0,
        help="ols section: the correlation of every pair of design columns (e.g. 0.9, as "
        "mtcars' or Longley's), for which linmod refines (X'X)^-1",
    )
    parser.add_argument(
        "--aliased",
        type=int,
        default=0,
        help="ols section: this many design columns are sums of two others (e.g. 1: a "
        "rank-deficient design, which linmod fits on its estimable columns)",
    )
    args = parser.parse_args()
    COLUMN_MEAN[0] = args.column_mean
    CORRELATION[0] = args.correlation
    ALIASED[0] = args.aliased
    global _clock
    _clock = CLOCK[args.clock]
    warnings.simplefilter("ignore")
    import scipy
    import scipy.linalg  # loads scipy's own OpenBLAS before --threads caps it
    import sklearn
    import statsmodels

    import linmod

    if args.threads is not None:  # after the imports: a pool loaded later keeps its threads
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.threads)

    print(
        f"# {platform.processor() or platform.machine()}, os.cpu_count()={os.cpu_count()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}, "
        f"linmod {getattr(linmod, '__version__', '?')}; threads {args.threads or 'default'}; "
        f"clock {args.clock}; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    for name in sections:
        if name not in SECTIONS:
            raise SystemExit(f"--sections: {name!r} is not one of {', '.join(SECTIONS)}")
    if "ols" in sections:
        shapes = parse_shapes(args.shapes)
        if args.small_only:
            shapes = [(n, p) for n, p in shapes if n * p <= SMALL_VALUES]
        section_ols(shapes, args.budget)
    if "formula" in sections:
        section_formula(args.budget)
    if "check" in sections:
        section_check(args.budget, args.statsmodels_loops)
    if "cv" in sections:
        section_cv(args.budget, [s.strip() for s in args.cv_data.split(",") if s.strip()])


if __name__ == "__main__":
    main()
