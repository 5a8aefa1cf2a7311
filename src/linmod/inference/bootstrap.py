"""The bootstrap of an OLS fit: pairs, residual and wild (cluster) resampling.

:func:`bootstrap` (``res.bootstrap(...)``) draws ``n`` replicate data sets, refits the
model on each (all at once, see :mod:`linmod.solvers.bootstrap_refits`), and returns a
:class:`~linmod.inference.bootstrap_results.BootstrapResults` with the replicates,
percentile and BCa intervals and bootstrap standard errors of the coefficients or of any
function of them.

Methods
-------
``"pairs"``
    Resample rows (cases) with replacement and refit (Efron 1979; ``boot`` with the
    statistic ``coef(lm(..., data = d[i, ]))``). Robust to heteroskedasticity. With
    ``groups``, whole clusters are resampled (the pairs cluster bootstrap).
``"residual"``
    Keep the design, add resampled residuals to the fitted values. The residuals are
    Davison & Hinkley's (1997, Algorithm 6.3) modified residuals ``e_i / sqrt(1 - h_i)``,
    centred, so that they have the errors' variance. Assumes homoskedastic errors.
``"wild"``
    Keep the design and each residual's row; multiply it by a random weight of mean 0
    and variance 1 (``weights=``: Rademacher, Mammen, Webb). Without ``groups`` the
    residuals are HC2-transformed, ``e_i / sqrt(1 - h_i)`` (Davidson & Flachaire 2008),
    and each row has its own weight. With ``groups`` one weight per cluster multiplies
    the raw residuals of all its rows (Cameron, Gelbach & Miller 2008; the "11" variant
    of ``fwildclusterboot`` and ``boottest``), and the results add the restricted (WCR)
    bootstrap-t p-value of ``H0: beta_j = 0`` for every coefficient (the share of
    ``|t*| >= |t|``; ties, such as the all-ones weights that give back the data, count)
    and the unrestricted (WCU) percentile-t intervals. With Rademacher weights and
    ``2**G <= n``, the ``2**G`` sign patterns are enumerated instead of drawn.

Reproducibility
---------------
Draws come from ``numpy.random.default_rng(seed)`` (PCG64), one call per replicate in
replicate order: ``rng.integers(0, n, size=n)`` for the rows (or clusters) of ``"pairs"``
and ``"residual"``, the weights of ``"wild"`` (see
:func:`~linmod.inference.wild_cluster.draw_weights`). The same seed gives the same
draws on every platform and block size, so identical replicates on every run of one
machine (another BLAS may round the refits' sums in another order: the last bits).
With ``seed=None`` a seed is drawn from the operating system and recorded in the results
(``boot.seed``), so any run can be repeated.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._stack import user_stacklevel
from linmod.exceptions import InputError, LinmodError, LinmodWarning
from linmod.inference.bootstrap_results import BootstrapResults, statistic_values
from linmod.inference.cluster import used_labels
from linmod.inference.prediction import check_level
from linmod.inference.wild_cluster import (
    WEIGHT_KINDS,
    ClusterDesign,
    cluster_scores,
    draw_weights,
    enumerate_signs,
    wild_t_statistics,
)
from linmod.linalg.threads import small_work_blas_thread
from linmod.progress import Progress
from linmod.solvers.bootstrap_refits import (
    coefficient_map,
    delete_one_changes,
    frequency_weighted_refits,
    outer_products,
)

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["BLOCK", "METHODS", "bootstrap"]

Float = NDArray[np.float64]
Statistic = Callable[[pd.Series], Any]

METHODS = ("pairs", "residual", "wild")
#: |t*| within this relative distance of |t| is a tie (counted as at least as extreme).
_TIE = 1e-9
#: Replicates refitted together (at most; the draws do not depend on it).
BLOCK = 128
_BLOCK_BYTES = 64 * 2**20


def _check_arguments(n: Any, method: Any, weights: Any) -> tuple[int, str]:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
        raise InputError(
            f"n={n!r} replicates: the bootstrap needs a whole number of at least 2 "
            "(1999 or more for 95% intervals)"
        )
    if method not in METHODS:
        raise InputError(
            f"method={method!r} is not known; use 'pairs' (rows), 'residual' or 'wild'"
        )
    if weights is not None and method != "wild":
        raise InputError(
            f"weights={weights!r} is for method='wild'; the {method} bootstrap draws no weights"
        )
    kind = "rademacher" if weights is None else weights
    if kind not in WEIGHT_KINDS:
        raise InputError(
            f"weights={weights!r} is not known; use one of {', '.join(map(repr, WEIGHT_KINDS))}"
        )
    return int(n), kind


def _generator(seed: Any) -> tuple[np.random.Generator, int | None]:
    if isinstance(seed, np.random.Generator):
        return seed, None
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise InputError(f"seed={seed!r} must be a non-negative whole number or a numpy Generator")
    return np.random.default_rng(int(seed)), int(seed)


def _cluster_codes(res: OLSResults, groups: Any) -> tuple[NDArray[np.intp], int]:
    """The cluster of each row used by the fit, numbered ``0 .. G-1``."""
    design, n = res.design, res.n_obs
    if isinstance(groups, str) and groups in design.column_names:
        values: Any = design.x[:, design.column_names.index(groups)]
    elif isinstance(groups, str):  # a column of the data the formula was fitted on
        values = used_labels(design, groups)[0].to_numpy()
    elif isinstance(groups, pd.Series) and len(groups) != n:
        missing = design.row_labels.difference(groups.index)
        if len(missing):
            raise InputError(
                f"groups has {len(groups)} values and lacks the fit's row "
                f"{missing[0]!r}; pass one cluster label for each of the {n} rows used"
            )
        values = groups.loc[design.row_labels].to_numpy()
    else:
        values = groups.to_numpy() if isinstance(groups, pd.Series) else np.asarray(groups)
        if values.ndim != 1 or values.shape[0] != n:
            raise InputError(
                f"groups has shape {values.shape}; it needs one cluster label for each of "
                f"the {n} rows the fit used"
            )
    if pd.isna(values).any():
        row = int(np.flatnonzero(pd.isna(values))[0]) + 1
        raise InputError(f"groups is missing at row {row}: every row needs a cluster label")
    codes, uniques = pd.factorize(values, sort=True)
    if len(uniques) < 2:
        label = uniques[0].item() if hasattr(uniques[0], "item") else uniques[0]
        raise InputError(
            f"groups has a single cluster ({label!r}): a cluster bootstrap needs at "
            "least 2 clusters (and few-cluster methods at least about 6)"
        )
    return codes.astype(np.intp), len(uniques)


def _check_draws(draws: Any, method: str, width: int) -> Any:
    """User-given draws: resample indices (pairs, residual) or weights (wild)."""
    array = np.asarray(draws)
    if array.ndim != 2 or array.shape[1] != width or array.shape[0] < 2:
        raise InputError(
            f"draws has shape {array.shape}; it needs one row per replicate (at least 2) "
            f"and {width} columns"
        )
    if method == "wild":
        if not np.all(np.isfinite(array)):
            raise InputError("draws (wild-bootstrap weights) must all be finite")
        return array.astype(np.float64)
    if not np.issubdtype(array.dtype, np.integer) or array.min() < 0 or array.max() >= width:
        raise InputError(
            f"draws must hold whole-number row positions 0 .. {width - 1} (0-based, as "
            "numpy indexes; R's boot.array(b, indices = TRUE) minus 1)"
        )
    return array.astype(np.intp)


def _block_draws(
    rng: np.random.Generator, count: int, method: str, width: int, kind: str, given: Any
) -> Any:
    """Draws for all replicates, in blocks of at most :data:`BLOCK` (fewer for wide data,
    so that a block stays near 64 MiB). Each replicate's draws are one call of the
    generator (``integers(0, width, size=width)``, or the weights), so the stream, and so
    every replicate, does not depend on the block size."""
    size = max(1, min(BLOCK, _BLOCK_BYTES // (8 * width)))
    for start in range(0, count, size):
        m = min(size, count - start)
        if given is not None:
            yield given[start : start + m]
        elif method == "wild":
            weights = np.empty((m, width))
            for b in range(m):
                weights[b] = draw_weights(rng, kind, width)
            yield weights
        else:
            rows = np.empty((m, width), dtype=np.intp)
            for b in range(m):
                rows[b] = rng.integers(0, width, size=width)
            yield rows


def _counts(indices: NDArray[np.intp], width: int) -> Float:
    """How often each of ``width`` positions appears in each row of ``indices``."""
    counts = np.empty(indices.shape, dtype=np.float64)
    for b, row in enumerate(indices):
        counts[b] = np.bincount(row, minlength=width)
    return counts


def bootstrap(
    res: OLSResults,
    n: int = 1999,
    method: str = "pairs",
    seed: Any = None,
    func: Statistic | None = None,
    groups: Any = None,
    level: float = 0.95,
    weights: str | None = None,
    progress: bool | None = None,
    draws: Any = None,
) -> BootstrapResults:
    """Bootstrap the coefficients of an OLS fit (or a function of them).

    Parameters
    ----------
    res : OLSResults
        A fit of data held in memory.
    n : int
        Replicates (at least 2; 1999 makes ``(n + 1) * 0.025`` whole).
    method : {"pairs", "residual", "wild"}
        What is resampled; see the module docstring.
    seed : int, numpy Generator or None
        Seed of ``numpy.random.default_rng``; None draws one and records it.
    func : callable, optional
        A function of the coefficients (a Series indexed by term) returning a float or
        an array of fixed length, e.g. ``lambda b: b["wt"] / b["hp"]``. Default: the
        coefficients themselves.
    groups : str, array or Series, optional
        Cluster of each row (a Series is aligned on the fit's row labels; a string names
        a column of the design). ``"pairs"`` then resamples clusters and ``"wild"`` draws
        one weight per cluster.
    level : float
        Coverage of the intervals, strictly between 0 and 1.
    weights : {"rademacher", "mammen", "webb"}, optional
        The wild bootstrap's weights (default Rademacher; Webb for fewer than ~12
        clusters).
    progress : bool or None
        Show a progress bar (None: only on a terminal).
    draws : array, optional
        Use these draws instead of random ones (to reproduce another program's resamples):
        ``(replicates, rows)`` 0-based row positions for ``"pairs"`` (cluster positions
        with ``groups``) and ``"residual"``, or ``(replicates, rows or clusters)``
        weights for ``"wild"``.

    Returns
    -------
    BootstrapResults
    """
    if not res.has_data:
        raise LinmodError(
            "bootstrap() refits the model on resampled rows, which a streamed or "
            "distributed fit does not keep; fit the data in memory (or a sample of it)"
        )
    # BLAS on one thread: the blocks' products are small or memory-bound, and a second
    # thread's hand-offs made 2000 replicates of a 1e4 x 10 fit 2-10 times slower on a
    # busy machine (and small fits ten times slower).
    with small_work_blas_thread():
        return _bootstrap(res, n, method, seed, func, groups, level, weights, progress, draws)


def _bootstrap(
    res: OLSResults,
    n: int,
    method: str,
    seed: Any,
    func: Statistic | None,
    groups: Any,
    level: float,
    weights: str | None,
    progress: bool | None,
    draws: Any,
) -> BootstrapResults:
    n, kind = _check_arguments(n, method, weights)
    level = check_level(level)
    if groups is not None and method == "residual":
        raise InputError(
            "method='residual' takes no groups (it assumes independent errors); use "
            "method='wild' (wild cluster bootstrap) or 'pairs' (resamples whole clusters)"
        )
    rng, seed_used = _generator(seed)

    kept = res._kept
    scales, q, r = res._factor
    y = res.design.y
    e = np.asarray(res.solution.residuals, dtype=np.float64)
    beta = np.asarray(res.solution.coef[kept], dtype=np.float64)
    n_obs = q.shape[0]
    leverage = np.minimum(np.einsum("ij,ij->i", q, q), 1.0)
    x_scaled = res.design.x[:, kept] * scales
    cluster = ClusterDesign(x_scaled, *_cluster_codes(res, groups)) if groups is not None else None
    width = n_obs if cluster is None else cluster.clusters
    given = _check_draws(draws, method, width) if draws is not None else None
    notes: list[str] = []
    enumerated = False
    if given is not None:
        n = given.shape[0]
        seed_used = None
    elif method == "wild" and cluster is not None and kind == "rademacher" and 2**width <= n:
        given, n, enumerated = enumerate_signs(width), 2**width, True
        notes.append(
            f"all {n} Rademacher sign patterns of the {width} clusters were enumerated "
            "(exact; fewer than the replicates asked for)"
        )

    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = np.where(leverage < 1.0, e / np.sqrt(1.0 - leverage), 0.0)
    if method == "residual":
        adjusted = adjusted - adjusted.mean()
    products = outer_products(q) if method == "pairs" else None
    mapping = coefficient_map(r, scales)
    scores = None if cluster is None else cluster_scores(x_scaled, e, cluster.codes, width)
    all_weights: list[Float] = []
    blocks: list[Float] = []
    failed = 0
    with Progress("bootstrap replicates", enabled=progress, total=n) as bar:
        for block in _block_draws(rng, n, method, width, kind, given):
            if method == "pairs":
                counts = _counts(block, width)
                if cluster is not None:
                    counts = counts[:, cluster.codes]
                gamma, ok = frequency_weighted_refits(q, y, counts, products)
                failed += int(np.count_nonzero(~ok))
                blocks.append(gamma @ mapping)
            elif method == "residual":
                change = (adjusted[block] @ q) @ mapping
                blocks.append(beta + change)
            elif cluster is not None and scores is not None:
                all_weights.append(block)
                blocks.append(beta + (block @ scores @ cluster.inverse) * scales)
            else:
                change = ((block * adjusted) @ q) @ mapping
                blocks.append(beta + change)
            bar.update(block.shape[0])
    coefficients = np.vstack(blocks)

    if cluster is not None and scores is not None:
        jackknife = beta - cluster.delete_one_changes(scores) * scales
    else:
        jackknife = beta - delete_one_changes(q, r, scales, e, leverage)
    if failed:
        warnings.warn(
            f"{failed} of {n} resamples had a rank-deficient design (e.g. a factor level "
            "left out); their replicates are NaN and the intervals use the other "
            f"{n - failed} (boot stores NA alike)",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
        notes.append(f"{failed} rank-deficient resamples (NaN replicates) left out")
    full = np.full((coefficients.shape[0], kept.shape[0]), np.nan)
    full[:, kept] = coefficients
    full_jack = np.full((jackknife.shape[0], kept.shape[0]), np.nan)
    full_jack[:, kept] = jackknife
    estimate, replicates, jack = statistic_values(res.coef, full, full_jack, func)

    p_values = studentized = None
    if cluster is not None and scores is not None and method == "wild" and func is None:
        p_values, studentized = _wild_cluster_tests(
            res, cluster, scores, np.vstack(all_weights), x_scaled, beta, scales, level
        )
    return BootstrapResults(
        method=method,
        n_boot=n,
        seed=seed_used,
        level=level,
        estimate=estimate,
        replicates=replicates,
        jackknife=jack,
        n_failed=failed,
        weights=kind if method == "wild" else None,
        clusters=None if cluster is None else cluster.clusters,
        enumerated=enumerated,
        p_values=p_values,
        studentized=studentized,
        notes=tuple(notes),
    )


def _wild_cluster_tests(
    res: OLSResults,
    cluster: ClusterDesign,
    scores: Float,
    weights: Float,
    x_scaled: Float,
    beta: Float,
    scales: Float,
    level: float,
) -> tuple[pd.Series, pd.DataFrame]:
    """WCR bootstrap-t p-values of ``beta_j = 0`` and WCU percentile-t intervals."""
    from linmod.inference.bootstrap_intervals import studentized_interval

    kept_positions = np.flatnonzero(res._kept)
    p_values = np.full(res._kept.shape[0], np.nan)
    intervals = np.full((res._kept.shape[0], 2), np.nan)
    se_scaled = cluster.std_errors(scores)
    y = res.design.y
    k = x_scaled.shape[1]
    for j, position in enumerate(kept_positions):
        se = se_scaled[j]
        t = (beta[j] / scales[j]) / se
        t_unrestricted = wild_t_statistics(cluster, scores, weights, j)[0]
        bounds, _ = studentized_interval(t_unrestricted, beta[j], se * scales[j], level)
        intervals[position] = bounds
        others = [i for i in range(k) if i != j]
        restricted_residuals = y.copy()
        if others:
            fit = np.linalg.lstsq(x_scaled[:, others], y, rcond=None)[0]
            restricted_residuals = y - x_scaled[:, others] @ fit
        restricted = cluster_scores(x_scaled, restricted_residuals, cluster.codes, cluster.clusters)
        t_star = wild_t_statistics(cluster, restricted, weights, j)[0]
        finite = t_star[np.isfinite(t_star)]
        if finite.shape[0] and np.isfinite(t):
            # ties count as extreme: v = 1 (and -1) reproduce |t| up to rounding
            p_values[position] = float(np.mean(np.abs(finite) >= abs(t) * (1 - _TIE)))
    names = res.names
    return (
        pd.Series(p_values, index=names, name="p_value"),
        pd.DataFrame(intervals, index=names, columns=["lower", "upper"]),
    )
