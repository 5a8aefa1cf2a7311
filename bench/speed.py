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
    (the list in ``bench/diagnostics.py``), fit excluded, at 1e3 x 10, 1e4 x 10, 1e5 x 10.
``cv``
    ``cross_validate_models("y ~ ...", models=("ols",))`` against scikit-learn's
    ``cross_validate(LinearRegression(), X, y, cv=KFold(5, shuffle=True))``, and
    ``linmod.RidgeCV().fit`` / ``linmod.LassoCV(cv=5).fit`` against scikit-learn's
    ``RidgeCV().fit`` / ``LassoCV(cv=5).fit`` on 500 x 10.

Usage::

    python bench/speed.py                          # everything, default repeats
    python bench/speed.py --sections ols --shapes 1000x5,10000x10
    python bench/speed.py --budget 0.5             # seconds per tool and shape (min 3 runs)
    python bench/speed.py --threads 1              # every BLAS/OpenMP pool on one thread
    python bench/speed.py --threads 1 --clock cpu  # process CPU time: least sensitive to load
"""

from __future__ import annotations

import argparse
import os
import platform
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


def parse_shapes(text: str) -> list[tuple[int, int]]:
    """``"1e3x5,20000x1000"`` -> ``[(1000, 5), (20000, 1000)]``."""
    shapes = []
    for item in filter(None, (s.strip().lower() for s in text.split(","))):
        n_text, p_text = item.split("x")
        shapes.append((int(float(n_text)), int(float(p_text))))
    return shapes


def make_data(n: int, p: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray]:
    """The data of ``bench/ols.py``: well-conditioned Gaussian design, noisy response."""
    rng = np.random.default_rng([seed, n, p])
    x = rng.standard_normal((n, p))
    beta = rng.uniform(0.5, 2.0, p) * rng.choice([-1.0, 1.0], p)
    y = x @ beta + 1.5 + 0.5 * rng.standard_normal(n)
    return x, y


#: What a run's time is: wall clock, or (``--clock cpu``) the CPU time of every thread of
#: this process, which other processes' load hardly changes (with ``--threads 1``).
CLOCK: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = CLOCK["wall"]


def interleaved(tools: dict[str, Callable[[], Any]], budget: float, max_runs: int) -> dict:
    """Median seconds per tool: one warm-up each, then rounds until ``budget`` is spent."""
    for fn in tools.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in tools}
    start = time.perf_counter()
    while True:
        for name, fn in tools.items():
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

    print("\n## ols(X, y) + std_err (medians; ratios peer / linmod)")
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


def section_check(budget: float) -> None:
    import statsmodels.api as sm

    import linmod
    from linmod.diagnostics import check

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from diagnostics import _statsmodels_check

    print("\n## check(res) vs the equivalent statsmodels calls (fit excluded)")
    for n, p in [(1000, 10), (10000, 10), (100000, 10)]:
        x, y = make_data(n, p)
        res = linmod.ols(x, y)
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        tools = {
            "linmod": lambda r=res: check(r),
            "statsmodels": lambda f=fit, k=p: _statsmodels_check(f, k),
        }
        t = interleaved(
            tools,
            budget,
            20 if n <= 10000 else 3,
        )
        print(
            f"{n:>7}x{p:<3} linmod {_fmt(t['linmod'])}  statsmodels {_fmt(t['statsmodels'])}  "
            f"statsmodels / linmod {t['statsmodels'] / t['linmod']:.2f} (goal >= 1)"
        )


def section_cv(budget: float) -> None:
    import pandas as pd
    from sklearn import linear_model as sk
    from sklearn.model_selection import KFold, cross_validate

    import linmod
    from linmod.model_selection import cross_validate_models

    n, p = 500, 10
    x, y = make_data(n, p)
    frame = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)]).assign(y=y)
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(p))
    folds = KFold(5, shuffle=True, random_state=0)
    rows = [
        (
            "cross_validate_models(ols) vs cross_validate(LinearRegression)",
            lambda: cross_validate_models(formula, frame, models=("ols",)),
            lambda: cross_validate(sk.LinearRegression(), x, y, cv=folds),
        ),
        ("RidgeCV().fit", lambda: linmod.RidgeCV().fit(x, y), lambda: sk.RidgeCV().fit(x, y)),
        (
            "LassoCV(cv=5).fit",
            lambda: linmod.LassoCV(cv=5).fit(x, y),
            lambda: sk.LassoCV(cv=5).fit(x, y),
        ),
    ]
    print(f"\n## cross-validation on {n} x {p} (goal: linmod / scikit-learn <= 2)")
    for label, ours, theirs in rows:
        t = interleaved({"linmod": ours, "sklearn": theirs}, budget, 50)
        print(
            f"{label:<64} linmod {_fmt(t['linmod'])}  sklearn {_fmt(t['sklearn'])}  "
            f"linmod / sklearn {t['linmod'] / t['sklearn']:.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--shapes", default=DEFAULT_SHAPES)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds per row (min 3 runs)")
    parser.add_argument("--threads", type=int, default=None, help="cap every thread pool")
    parser.add_argument(
        "--clock", choices=tuple(CLOCK), default="wall", help="wall clock or process CPU time"
    )
    args = parser.parse_args()
    global _clock
    _clock = CLOCK[args.clock]
    warnings.simplefilter("ignore")
    if args.threads is not None:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.threads)
    import scipy
    import sklearn
    import statsmodels

    import linmod

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
        section_ols(parse_shapes(args.shapes), args.budget)
    if "formula" in sections:
        section_formula(args.budget)
    if "check" in sections:
        section_check(args.budget)
    if "cv" in sections:
        section_cv(args.budget)


if __name__ == "__main__":
    main()
