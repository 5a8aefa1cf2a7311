"""Tests of the linearity assumption: RESET, Rainbow and Harvey-Collier.

Each agrees with the function of the same name in R's ``lmtest`` (``resettest``,
``raintest``, ``harvtest``) with its default arguments.  :func:`curvature_by_term` says
which predictor a squared term would help most, to turn a failed test into a remedy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from linmod.diagnostics._auxiliary import project
from linmod.diagnostics._model import fit_arrays, ordering
from linmod.diagnostics._recursive import recursive_residuals
from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError
from linmod.inference import distributions as stats  # scipy.stats' values, not its import

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["curvature_by_term", "harvey_collier", "rainbow", "reset"]


def reset(res: OLSResults, powers: tuple[int, ...] = (2, 3)) -> TestResult:
    """Ramsey's RESET test with powers of the fitted values (``lmtest::resettest``).

    The fitted values (of the response centred and scaled, as R does, which leaves the
    statistic unchanged but keeps the powers well conditioned) are raised to ``powers``
    and added to the model; an F test asks whether they explain anything more.

    Parameters
    ----------
    res : OLSResults
        A fitted model.
    powers : tuple of int
        Powers of the fitted values to add, each at least 2 (default ``(2, 3)``).

    Returns
    -------
    TestResult
        ``statistic`` is the F statistic with ``df = (q, n - k - q)``; ``details`` holds
        ``partial_r2``, the share of the residual sum of squares the powers explain.
    """
    powers = tuple(powers)
    if not powers or any(int(p) != p or p < 2 for p in powers) or len(set(powers)) != len(powers):
        raise InputError(f"powers={powers!r} must be distinct integers of at least 2, e.g. (2, 3)")
    fa = fit_arrays(res)
    n, k, q = fa.n, fa.k, len(powers)
    if n - k - q < 1:
        raise InputError(f"RESET needs more observations than parameters: n={n}, k={k}, {q} powers")
    if fa.intercept:
        scale = float(np.std(fa.y, ddof=1))
        base = (fa.fitted - float(np.mean(fa.y))) / scale
    else:
        scale = float(np.sqrt(np.sum(fa.y**2) / (n - 1)))
        base = fa.fitted / scale
    z = np.column_stack([fa.x] + [base ** int(p) for p in powers])
    aux = project(z, fa.residuals / scale)
    df1 = aux.rank - k
    df2 = n - aux.rank
    if df1 < 1:
        stat, p_value = 0.0, 1.0
    else:
        stat = (aux.ess / df1) / (aux.rss / df2)
        p_value = float(stats.f.sf(stat, df1, df2))
    return TestResult(
        name="RESET",
        method="Ramsey RESET test, powers "
        + ", ".join(str(int(p)) for p in powers)
        + " of the fitted values (lmtest::resettest)",
        null_hypothesis="the mean of the response is linear in the regressors "
        "(powers of the fitted values add nothing)",
        alternative="a nonlinear function of the fitted values is missing from the model",
        statistic=float(stat),
        p_value=p_value,
        distribution="F",
        df=(float(df1), float(df2)),
        statistic_name="F",
        details={"partial_r2": aux.ess / (aux.ess + aux.rss)},
    )


def _subset_bounds(n: int, fraction: float, center: float) -> tuple[int, int]:
    if center > 1:
        center = center / n
    position = 1.0 + (n - 1) * (center - fraction / 2.0)  # quantile(1:n, p), type 7
    start = int(np.ceil(position))
    stop = start + int(np.floor(fraction * n)) - 1
    return start - 1, stop  # 0-based half-open


def rainbow(
    res: OLSResults,
    fraction: float = 0.5,
    order_by: Any = None,
    center: float | None = None,
) -> TestResult:
    """Utts' Rainbow test (``lmtest::raintest``).

    Fits the model to a central subset of the observations (the middle ``fraction`` in
    data order, or in the order of ``order_by``) and asks with an F test whether the full
    sample fits worse than the subset, as it does when the relation bends away from a
    line at the extremes.

    Parameters
    ----------
    res : OLSResults
    fraction : float
        Share of observations in the central subset, in (0, 1).
    order_by : None, str or array-like
        ``None`` (data order), a design column name, ``"fitted"``, ``"mahalanobis"``
        (the subset is the ``fraction`` of rows closest to the mean of the regressors),
        or one sort key per observation.
    center : float, optional
        Centre of the subset as a fraction (or, above 1, an observation number);
        default 0.5.

    Returns
    -------
    TestResult
        F statistic with ``df = (n - n1, n1 - rank)``.
    """
    if not 0.0 < fraction < 1.0:
        raise InputError(f"fraction={fraction!r} must lie strictly between 0 and 1, e.g. 0.5")
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    x, y = fa.x, fa.y
    if isinstance(order_by, str) and order_by == "mahalanobis":
        centre = x.mean(axis=0) if center is None else np.asarray(center, dtype=float)
        if center is not None and fa.scales is not None:
            centre = centre * fa.scales  # given in the columns' units, as x was
        dev = x - centre
        distance = np.einsum("ij,jk,ik->i", dev, fa.cov_unscaled, dev)
        closest = np.argsort(distance, kind="stable")
        x, y = x[closest], y[closest]
        start, stop = 0, int(np.floor(fraction * n))
    else:
        order = ordering(res, order_by)
        if order is not None:
            x, y = x[order], y[order]
        start, stop = _subset_bounds(n, fraction, 0.5 if center is None else float(center))
    start, stop = max(start, 0), min(stop, n)
    n1 = stop - start
    if n1 <= k:
        raise InputError(
            f"the central subset has {n1} observations but the model has {k} parameters "
            "(R's raintest would return a statistic with 0 degrees of freedom); increase "
            "fraction"
        )
    sub = project(x[start:stop], y[start:stop])
    df1, df2 = n - n1, n1 - sub.rank
    stat = ((fa.ssr - sub.rss) / df1) / (sub.rss / df2)
    return TestResult(
        name="Rainbow",
        method=f"Rainbow test, central {fraction:g} of the observations (lmtest::raintest)",
        null_hypothesis="the model fits the full sample as well as its central part "
        "(the relation is linear)",
        alternative="the fit deteriorates away from the centre",
        statistic=float(stat),
        p_value=float(stats.f.sf(stat, df1, df2)),
        distribution="F",
        df=(float(df1), float(df2)),
        statistic_name="Rain",
        details={"n_subset": n1},
    )


def harvey_collier(res: OLSResults, order_by: Any = None) -> TestResult:
    """Harvey-Collier test on the recursive residuals (``lmtest::harvtest``).

    Under linearity the recursive residuals (one-step-ahead prediction errors, in data
    order or the order of ``order_by``) have mean zero; a t test checks it.

    Parameters
    ----------
    res : OLSResults
    order_by : None, str or array-like
        Sort key (see :func:`rainbow`); order by a predictor to test for curvature in it.

    Returns
    -------
    TestResult
        ``|t|`` statistic (as R) with ``df = m - 1`` for ``m = n - k`` recursive
        residuals; the two-sided p-value. ``details["mean_recursive_residual"]`` keeps the
        sign.
    """
    fa = fit_arrays(res)
    x, y = fa.x, fa.y
    order = ordering(res, order_by)
    if order is not None:
        x, y = x[order], y[order]
    w, start = recursive_residuals(x, y)
    m = w.shape[0]
    if m < 3:
        raise InputError(
            f"the Harvey-Collier test needs at least 3 recursive residuals; "
            f"n={fa.n} observations and k={fa.k} parameters give {max(m, 0)}"
        )
    mean = float(np.mean(w))
    sd = float(np.std(w, ddof=1))
    stat = abs(np.sqrt(m) * mean / sd)
    return TestResult(
        name="Harvey-Collier",
        method="Harvey-Collier t test on recursive residuals (lmtest::harvtest)",
        null_hypothesis="the recursive residuals have mean zero (the relation is linear)",
        alternative="the recursive residuals have a nonzero mean (the relation is convex "
        "or concave in the ordering)",
        statistic=float(stat),
        p_value=float(2.0 * stats.t.sf(stat, m - 1)),
        distribution="t",
        df=(float(m - 1),),
        statistic_name="HC",
        details={"mean_recursive_residual": mean, "first_recursive_row": start},
    )


def curvature_by_term(res: OLSResults) -> pd.DataFrame:
    """How much a squared term would add, for each single-column numeric term.

    For each term ``x`` that owns one non-binary design column, the F test (1 df) of
    adding ``x**2`` to the model, computed in O(nk) from the existing fit.

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    DataFrame
        Indexed by term: ``partial_r2`` (share of the residual sum of squares that
        ``x**2`` would explain), ``f_statistic``, ``p_value``; sorted by ``partial_r2``
        descending.  Empty when no term qualifies.
    """
    fa = fit_arrays(res)
    n, k = fa.n, fa.k
    design = res.design
    rss = fa.ssr
    rows: dict[str, tuple[float, float, float]] = {}
    column_of = {name: i for i, name in enumerate(fa.names)}
    for term in design.terms:
        if len(term.columns) != 1:
            continue
        name = design.column_names[term.columns[0]]
        if name not in column_of or (fa.intercept and column_of[name] == 0):
            continue
        col = fa.x[:, column_of[name]]
        if np.unique(col[: min(n, 1000)]).size <= 2 and np.unique(col).size <= 2:
            continue
        centred = col - col.mean()
        z = centred * centred
        mz = z - fa.x @ (fa.cov_unscaled @ (fa.x.T @ z))
        mz = mz - fa.x @ (fa.cov_unscaled @ (fa.x.T @ mz))
        denom = float(mz @ mz)
        if denom <= 1e-12 * float(z @ z) or n - k - 1 < 1:
            continue
        gain = float(mz @ fa.residuals) ** 2 / denom
        gain = min(gain, rss)
        f = gain / ((rss - gain) / (n - k - 1)) if rss > gain else np.inf
        rows[term.name] = (gain / rss, f, float(stats.f.sf(f, 1, n - k - 1)))
    table = pd.DataFrame.from_dict(
        rows, orient="index", columns=["partial_r2", "f_statistic", "p_value"]
    )
    table.index.name = "term"
    return table.sort_values("partial_r2", ascending=False)
