"""Benchmark ``linmod.diagnostics`` against the statsmodels equivalents.

Data: a seeded Gaussian design with an intercept, ``n`` rows and ``p`` predictors.  Each
tool gets the fitted model (fit time excluded) and computes the same diagnostics; the
MEDIAN of ``--repeats`` timed calls (after one warm-up, which also compiles linmod's numba
kernels) is reported with the ratio ``statsmodels / linmod`` (> 1: linmod faster).

What is timed, per tool:

* linmod      ``check(res)`` (all assumption tests, VIF, influence summary, outlier test)
* statsmodels the same list by hand: ``linear_reset``, ``linear_rainbow``,
  ``durbin_watson``, ``acorr_breusch_godfrey``, ``het_breuschpagan``, ``het_white``
  (when ``p(p+1)/2 <= 120``, as check() does), ``het_goldfeldquandt``, scipy's
  ``shapiro`` (when ``n <= 5000``, as check() does), ``jarque_bera``, ``normal_ad``,
  ``variance_inflation_factor`` for every column, the condition number, ``OLSInfluence``
  (hat values, Cook's distance, internally studentized residuals) and the Bonferroni
  outlier test; statsmodels has no exact Durbin-Watson p-value and no report.

statsmodels computes two of these with a loop over the observations, which takes minutes
from about 1e4 rows: ``linear_harvey_collier`` (recursive residuals, a pseudo-inverse per
row) and the externally studentized residuals behind ``outlier_test()`` (``OLSInfluence``
refits the model n times, leaving out one row each: O(n^2 k^2)).  By default
(``loops=False``) the statsmodels side therefore leaves Harvey-Collier out and turns the
internally studentized residuals into the externally studentized ones with the exact
closed form ``r sqrt((n - k - 1) / (n - k - r^2))`` (the same numbers, without the
loop) before the Bonferroni step: both only flatter statsmodels.  ``--statsmodels-loops``
times statsmodels' own calls instead (Harvey-Collier up to ``HARVEY_COLLIER_MAX_N`` rows).

Also timed singly: ``influence`` (all measures incl. DFBETAS) vs
``OLSInfluence(...).summary_frame()``.

Usage::

    python bench/diagnostics.py                       # 1e5 x 20 and 1e6 x 20
    python bench/diagnostics.py --shapes 200000x10 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

#: statsmodels' recursive residuals loop in Python with a pseudo-inverse per row: beyond
#: this n its Harvey-Collier test takes minutes, so it is left out of its side (which
#: only flatters statsmodels).
HARVEY_COLLIER_MAX_N = 20_000


def _data(n: int, p: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(12345)
    x = rng.normal(size=(n, p))
    y = 1.0 + x @ np.linspace(0.5, 1.5, p) + rng.normal(size=n)
    return x, y


def _median_time(fn: Callable[[], Any], repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _statsmodels_check(fit: Any, p: int, loops: bool = False) -> None:
    from scipy import stats
    from statsmodels.stats import diagnostic as d
    from statsmodels.stats.outliers_influence import OLSInfluence, variance_inflation_factor
    from statsmodels.stats.stattools import durbin_watson, jarque_bera

    resid, exog = fit.resid, fit.model.exog
    n = exog.shape[0]
    d.linear_reset(fit, power=3, use_f=True)
    d.linear_rainbow(fit)
    if loops and n <= HARVEY_COLLIER_MAX_N:
        d.linear_harvey_collier(fit)
    durbin_watson(resid)
    d.acorr_breusch_godfrey(fit, nlags=1)
    d.het_breuschpagan(resid, exog)
    if (p + 1) * (p + 2) // 2 <= 120:
        d.het_white(resid, exog)
    d.het_goldfeldquandt(fit.model.endog, exog)
    if n <= 5000:
        stats.shapiro(resid)
    jarque_bera(resid)
    d.normal_ad(resid)
    for j in range(1, exog.shape[1]):
        variance_inflation_factor(exog, j)
    _ = fit.condition_number
    infl = OLSInfluence(fit)
    _ = (infl.hat_matrix_diag, infl.cooks_distance)
    if loops:
        fit.outlier_test(method="bonferroni")
    else:
        internal = infl.resid_studentized_internal
        df = fit.df_resid
        external = internal * np.sqrt((df - 1) / (df - internal**2))
        np.minimum(2.0 * stats.t.sf(np.abs(external), df - 1) * n, 1.0)


def run(shapes: list[tuple[int, int]], repeats: int, loops: bool = False) -> None:
    import statsmodels.api as sm
    from statsmodels.stats.outliers_influence import OLSInfluence

    import linmod
    from linmod import diagnostics as dg

    warnings.simplefilter("ignore")
    print(f"{'shape':>14} {'task':<22} {'linmod s':>9} {'statsmodels s':>14} {'ratio':>7}")
    for n, p in shapes:
        x, y = _data(n, p)
        res = linmod.ols(x, y)
        fit = sm.OLS(y, sm.add_constant(x)).fit()
        tasks: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
            (
                "check() vs equivalents",
                lambda r=res: dg.check(r),
                lambda f=fit, k=p: _statsmodels_check(f, k, loops),
            ),
            (
                "influence table",
                lambda r=res: dg.influence(r),
                lambda f=fit: OLSInfluence(f).summary_frame(),
            ),
        ]
        for task, ours, theirs in tasks:
            t_ours = _median_time(ours, repeats)
            t_theirs = _median_time(theirs, repeats)
            print(
                f"{n:>8}x{p:<5} {task:<22} {t_ours:>9.3f} {t_theirs:>14.3f} "
                f"{t_theirs / t_ours:>7.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default="100000x20,1000000x20")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--statsmodels-loops",
        action="store_true",
        help="time statsmodels' per-observation loops (Harvey-Collier, outlier_test)",
    )
    args = parser.parse_args()
    shapes = [tuple(int(v) for v in s.split("x")) for s in args.shapes.split(",")]
    run([(n, p) for n, p in shapes], args.repeats, args.statsmodels_loops)


if __name__ == "__main__":
    main()
