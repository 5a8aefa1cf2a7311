"""The report's pictures, drawn by :mod:`linmod.plots` and returned as inline SVG.

Nothing is fitted here: the diagnostic panels draw the fitted OLS results, the path and
CV-curve panels draw the :class:`~linmod.analysis.LassoPathSummary` that
:func:`linmod.analysis.analyse` computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linmod.plots._matplotlib import pyplot
from linmod.plots.layout import grid_layout
from linmod.plots.regularization import plot_coef_path, plot_cv_curve
from linmod.report.svg import figure_svg

if TYPE_CHECKING:
    from linmod.analysis import LassoPathSummary
    from linmod.inference.results import OLSResults

__all__ = ["diagnostics_svg", "lasso_svg"]


def diagnostics_svg(results: OLSResults, added_variable: int = 6, order_by: Any = None) -> str:
    """R's ``plot.lm`` panels, VIFs, the residual ACF and added-variable plots as SVG.

    The figure has no title (the page says what the model is), so every panel keeps its
    size whatever the length of the formula.

    Parameters
    ----------
    results : OLSResults
    added_variable : int
        Added-variable panels (those of the coefficients with the largest ``|t|``).
    order_by : str, array-like or None
        The row order of the residual autocorrelation panel.

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    display = results.plot_diagnostics(
        max_added_variable=added_variable, title=False, order_by=order_by
    )
    return figure_svg(
        display.figure,
        label="Diagnostic plots: " + ", ".join(name.replace("_", " ") for name in display.axes),
        id_prefix="diagnostics-",
    )


def lasso_svg(summary: LassoPathSummary) -> str:
    """The Lasso coefficient path (standardised) beside its cross-validation curve.

    Parameters
    ----------
    summary : LassoPathSummary

    Returns
    -------
    str
        An inline ``<svg>`` element.
    """
    plt = pyplot()
    figure, grid = plt.subplots(1, 2, figsize=(12.5, 4.6), squeeze=False)
    path_ax, cv_ax = grid[0]
    plot_coef_path(
        summary.path,
        ax=path_ax,
        mark={"alpha_min": summary.alpha_min, "alpha_1se": summary.alpha_1se},
    )
    path_ax.set_ylabel("standardised coefficient")
    plot_cv_curve(summary.cv, ax=cv_ax)
    grid_layout(figure, grid)  # drawn once, when saved (tight_layout would draw it twice)
    return figure_svg(
        figure,
        label="Lasso coefficient path against the penalty, and the cross-validation curve",
        id_prefix="lasso-",
    )
