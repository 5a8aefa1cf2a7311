"""The quantile-process plot: each coefficient against the quantile level, with bands."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from linmod.plots._matplotlib import pyplot

if TYPE_CHECKING:
    from linmod.inference.quantile_process import QuantileProcess

__all__ = ["plot_quantile_process"]


def plot_quantile_process(
    process: QuantileProcess, level: float = 0.95, ols: bool = True, columns: int = 3
) -> Any:
    """Draw each coefficient against ``q`` with its ``level`` confidence band.

    As R's ``plot(summary(rq(..., tau = 1:9/10)))``: the band is shaded; with ``ols=True``
    the least-squares estimate (solid) and its confidence interval (dashed) are drawn
    across for comparison.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = pyplot()
    q = process.q
    tables = [fit.to_frame(level) for fit in process.fits]
    terms = list(tables[0].index)
    ncols = min(columns, len(terms))
    nrows = math.ceil(len(terms) / ncols)
    figure, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.8 * nrows), squeeze=False)
    reference = None
    if ols:
        from linmod.models.ols import fit_design

        reference = fit_design(process.fits[0].design).to_frame(level)
    order = np.argsort(q)
    for axis, term in zip(axes.ravel(), terms, strict=False):
        coef = np.array([t.loc[term, "coef"] for t in tables])[order]
        lower = np.array([t.loc[term, "lower"] for t in tables])[order]
        upper = np.array([t.loc[term, "upper"] for t in tables])[order]
        axis.fill_between(q[order], lower, upper, color="0.85", label=f"{level:.0%} band")
        axis.plot(q[order], coef, "o-", color="black", markersize=3, label="quantile fit")
        if reference is not None:
            axis.axhline(reference.loc[term, "coef"], color="tab:red", label="OLS")
            for bound in ("lower", "upper"):
                axis.axhline(reference.loc[term, bound], color="tab:red", linestyle="--")
        axis.set_title(str(term), fontsize=9)
        axis.set_xlabel("q")
    for axis in axes.ravel()[len(terms) :]:
        axis.set_visible(False)
    axes.ravel()[0].legend(fontsize=7)
    figure.tight_layout()
    return figure
