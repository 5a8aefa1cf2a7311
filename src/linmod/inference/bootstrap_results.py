"""What a bootstrap found: the replicates and every interval computed from them.

:class:`BootstrapResults` is data: the estimate, the replicates (one row per replicate,
NaN rows for failed refits), the jackknife values behind the BCa acceleration and, for
the wild cluster bootstrap, the bootstrap-t p-values and intervals. Intervals at another
level are recomputed from the stored replicates (:meth:`BootstrapResults.conf_int`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._registry import implementation
from linmod.exceptions import InputError
from linmod.inference.bootstrap_intervals import bca_interval, percentile_interval
from linmod.inference.prediction import check_level

__all__ = ["INTERVAL_KINDS", "BootstrapResults", "statistic_values"]

Float = NDArray[np.float64]

INTERVAL_KINDS = ("percentile", "bca", "studentized")


def _output_names(func: Callable[..., Any], value: Any, size: int) -> list[str]:
    if isinstance(value, pd.Series):
        return [str(name) for name in value.index]
    name = getattr(func, "__name__", "func")
    name = "func" if name == "<lambda>" else name
    return [name] if np.ndim(value) == 0 else [f"{name}[{i}]" for i in range(size)]


def statistic_values(
    coef: pd.Series, replicates: Float, jackknife: Float, func: Callable[..., Any] | None
) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """The estimate, replicates and jackknife values of the coefficients or of ``func``.

    ``func`` gets each coefficient vector as a Series indexed by term; a NaN replicate
    (a failed refit) gives NaN without calling it.
    """
    names = coef.index
    if func is None:
        return (
            coef.rename("estimate"),
            pd.DataFrame(replicates, columns=names),
            pd.DataFrame(jackknife, columns=names),
        )
    if not callable(func):
        raise InputError(f"func={func!r} is not callable; pass a function of the coefficients")
    first = func(coef.copy())
    estimate = np.atleast_1d(np.asarray(first, dtype=np.float64))
    if estimate.ndim != 1 or estimate.shape[0] == 0:
        raise InputError(
            f"func returned an array of shape {np.shape(first)}; it must return a float or "
            "a one-dimensional array of fixed length"
        )
    size = estimate.shape[0]
    columns = _output_names(func, first, size)

    def apply(rows: Float, what: str) -> Float:
        out = np.full((rows.shape[0], size), np.nan)
        for b, row in enumerate(rows):
            if np.all(np.isnan(row)):
                continue
            value = np.atleast_1d(np.asarray(func(pd.Series(row, index=names)), dtype=float))
            if value.shape != (size,):
                raise InputError(
                    f"func returned shape {value.shape} for {what} {b + 1} but {(size,)} for "
                    "the estimate; it must return the same number of values every time"
                )
            out[b] = value
        return out

    return (
        pd.Series(estimate, index=columns, name="estimate"),
        pd.DataFrame(apply(replicates, "replicate"), columns=columns),
        pd.DataFrame(apply(jackknife, "jackknife refit"), columns=columns),
    )


@dataclass(frozen=True)
class BootstrapResults:
    """Replicates of a bootstrap and the intervals, standard errors and tests from them.

    Attributes
    ----------
    method : str
        ``"pairs"``, ``"residual"`` or ``"wild"``.
    n_boot : int
        Replicates drawn.
    seed : int or None
        The seed (drawn when none was given); None for a caller's Generator or draws.
    level : float
        Coverage of the default intervals.
    estimate : Series
        The statistic on the original data (the coefficients or ``func``'s values).
    replicates : DataFrame
        One row per replicate; NaN rows for rank-deficient refits.
    jackknife : DataFrame
        The statistic with each observation (or cluster) left out: the BCa acceleration.
    n_failed : int
        Rank-deficient refits.
    weights : str or None
        The wild bootstrap's weights.
    clusters : int or None
        Number of clusters when ``groups`` was given.
    enumerated : bool
        The wild cluster bootstrap enumerated all Rademacher sign patterns.
    p_values : Series or None
        Wild cluster bootstrap: the restricted (WCR) bootstrap-t p-value of
        ``beta_j = 0`` for each coefficient.
    studentized : DataFrame or None
        Wild cluster bootstrap: unrestricted (WCU) percentile-t intervals at ``level``.
    notes : tuple of str
        What the summary should say about the run.
    """

    method: str
    n_boot: int
    seed: int | None
    level: float
    estimate: pd.Series
    replicates: pd.DataFrame
    jackknife: pd.DataFrame
    n_failed: int = 0
    weights: str | None = None
    clusters: int | None = None
    enumerated: bool = False
    p_values: pd.Series | None = None
    studentized: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    @property
    def std_err(self) -> pd.Series:
        """Bootstrap standard errors: the standard deviation of the finite replicates."""
        values = [self._finite(name).std(ddof=1) for name in self.estimate.index]
        return pd.Series(values, index=self.estimate.index, name="std_err")

    @property
    def bias(self) -> pd.Series:
        """Mean of the finite replicates minus the estimate (``boot``'s bias)."""
        values = [self._finite(name).mean() for name in self.estimate.index]
        return (pd.Series(values, index=self.estimate.index) - self.estimate).rename("bias")

    def _finite(self, name: Any) -> Float:
        column = self.replicates[name].to_numpy()
        return np.asarray(column[np.isfinite(column)], dtype=np.float64)

    def conf_int(self, kind: str = "bca", level: float | None = None) -> pd.DataFrame:
        """Bootstrap confidence intervals, one row per statistic.

        Parameters
        ----------
        kind : {"bca", "percentile", "studentized"}
            BCa (bias-corrected and accelerated), percentile, or (wild cluster bootstrap
            only, at the bootstrap's level) the WCU percentile-t interval.
        level : float, optional
            Coverage (default: the bootstrap's ``level``).

        Returns
        -------
        DataFrame
            Columns ``lower`` and ``upper``; NaN where the interval is undefined (no
            finite replicate, or every replicate on one side of the estimate for BCa).
        """
        if kind not in INTERVAL_KINDS:
            raise InputError(
                f"kind={kind!r} is not known; use one of {', '.join(map(repr, INTERVAL_KINDS))}"
            )
        level = self.level if level is None else check_level(level)
        if kind == "studentized":
            if self.studentized is None or level != self.level:
                raise InputError(
                    "studentized (percentile-t) intervals come from the wild cluster "
                    "bootstrap at its own level: res.bootstrap(method='wild', groups=..., "
                    f"level={level})"
                )
            return self.studentized.copy()
        rows = []
        for name, value in self.estimate.items():
            column = self.replicates[name].to_numpy()
            if kind == "percentile":
                bounds, _ = percentile_interval(column, level)
            else:
                bounds, _ = bca_interval(column, value, self.jackknife[name].to_numpy(), level)
            rows.append(bounds)
        return pd.DataFrame(rows, index=self.estimate.index, columns=["lower", "upper"])

    @property
    def extreme(self) -> bool:
        """Whether an interval used the smallest or largest replicate (too few replicates)."""
        out = False
        for name, value in self.estimate.items():
            column = self.replicates[name].to_numpy()
            out |= percentile_interval(column, self.level)[1]
            jack = self.jackknife[name].to_numpy()
            out |= bca_interval(column, value, jack, self.level)[1]
        return bool(out)

    def to_frame(self) -> pd.DataFrame:
        """The summary table: estimate, bias, std_err, percentile and BCa bounds (and the
        wild cluster bootstrap's percentile-t bounds and WCR p-values)."""
        percentile = self.conf_int("percentile")
        bca = self.conf_int("bca")
        table = pd.DataFrame(
            {
                "estimate": self.estimate,
                "bias": self.bias,
                "std_err": self.std_err,
                "perc_lower": percentile["lower"],
                "perc_upper": percentile["upper"],
                "bca_lower": bca["lower"],
                "bca_upper": bca["upper"],
            }
        )
        if self.studentized is not None and self.p_values is not None:
            table["t_lower"] = self.studentized["lower"]
            table["t_upper"] = self.studentized["upper"]
            table["p_value"] = self.p_values
        return table

    def summary(self) -> str:
        """The table as text, with what was resampled and how."""
        text: str = implementation("render_bootstrap")(self)
        return text

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (
            f"<BootstrapResults {self.method}: {self.n_boot} replicates of "
            f"{len(self.estimate)} statistic(s), seed={self.seed}>"
        )
