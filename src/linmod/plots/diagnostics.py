"""Diagnostic plots of a linear model: R's ``plot.lm`` panels and more.

Each panel is a display object: ``from_results(res)`` computes everything (no matplotlib
involved), ``plot(ax=None)`` draws it.  :func:`plot_diagnostics` lays several out in one
figure and returns a :class:`DiagnosticsDisplay` that can ``save`` PNG or SVG.

Large ``n``: above :data:`HEXBIN_THRESHOLD` observations scatter panels draw a seeded
uniform sample of :data:`~linmod.plots.sampling.SAMPLE_SIZE` points plus the most
extreme and influential rows, and say so on the panel (``hexbin=True`` draws a hexbin
of all points instead); the smoother is LOWESS on quantile-bin means (see
:mod:`linmod.diagnostics.smoothing`), and the Q-Q panel draws every one of the 100 most
extreme residuals at each end plus 2000 evenly spaced order statistics in between.  All
statistics (labels, Cook's distances, contours) are computed from every observation.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from linmod.diagnostics.added_variable import added_variable_columns, added_variable_data
from linmod.diagnostics.collinearity import gvif
from linmod.diagnostics.independence import residual_acf
from linmod.diagnostics.influence import influence_measures
from linmod.diagnostics.smoothing import smooth
from linmod.exceptions import InputError
from linmod.inference import distributions as stats  # scipy.stats' values, not its import
from linmod.plots._matplotlib import pyplot
from linmod.plots.bars import ACFDisplay, BarDisplay
from linmod.plots.layout import grid_layout
from linmod.plots.sampling import ALWAYS_DRAWN, SAMPLE_SIZE, extreme_positions, sample_points

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = [
    "HEXBIN_THRESHOLD",
    "PANELS",
    "ACFDisplay",
    "BarDisplay",
    "DiagnosticsDisplay",
    "ScatterDisplay",
    "added_variable_displays",
    "plot_diagnostics",
    "qq_display",
    "residuals_fitted_display",
    "residuals_leverage_display",
    "scale_location_display",
    "vif_display",
]

Float = NDArray[np.float64]
#: Above this many observations scatter panels draw a sample (or, on request, a hexbin).
HEXBIN_THRESHOLD = SAMPLE_SIZE
_QQ_TAIL = 100
_QQ_BODY = 2000
#: Panel names accepted by :func:`plot_diagnostics`, in drawing order.
PANELS: tuple[str, ...] = (
    "residuals_fitted",
    "qq",
    "scale_location",
    "residuals_leverage",
    "vif",
    "acf",
    "added_variable",
)


def _label_text(label: Any) -> str:
    return str(label.item() if hasattr(label, "item") else label)


@dataclass
class ScatterDisplay:
    """A scatter panel: points, an optional smoother, reference lines and labelled points.

    Attributes
    ----------
    x, y : ndarray
        Points to draw (possibly a documented subset, see ``n_total``).
    title, xlabel, ylabel : str
    smooth_x, smooth_y : ndarray or None
        Smoother curve.
    labels : list of (x, y, text)
        Points to annotate.
    hlines : list of float
        Horizontal reference lines (dashed).
    line : tuple of (intercept, slope) or None
        Reference line (the Q-Q line, an added-variable slope).
    curves : list of (x, y, text)
        Extra curves (Cook's distance contours).
    n_total : int
        Number of observations behind the panel.
    hexbin : bool
        Draw a hexbin instead of points.
    sampled : bool
        ``x, y`` are a subset of the ``n_total`` points, which the panel says.
    sample_note : str
        How the subset was chosen, shown on the panel (default: a seeded sample plus the
        extreme points; the Q-Q panel: evenly spaced quantiles plus both tails).
    xlim : tuple of float or None
        Fixed x range (the leverage panel: from 0 to just past the largest leverage).
    """

    x: Float
    y: Float
    title: str
    xlabel: str
    ylabel: str
    smooth_x: Float | None = None
    smooth_y: Float | None = None
    labels: list[tuple[float, float, str]] = field(default_factory=list)
    hlines: list[float] = field(default_factory=list)
    line: tuple[float, float] | None = None
    curves: list[tuple[Float, Float, str]] = field(default_factory=list)
    n_total: int = 0
    hexbin: bool = False
    sampled: bool = False
    xlim: tuple[float, float] | None = None
    sample_note: str = "seeded sample + extremes"

    def plot(self, ax: Any = None) -> Any:
        """Draw on ``ax`` (a new figure when None) and return the axes."""
        if ax is None:
            _, ax = pyplot().subplots(figsize=(5, 4))
        if self.hexbin:
            ax.hexbin(self.x, self.y, gridsize=60, bins="log", cmap="Greys", mincnt=1)
        else:
            size = 14 if self.x.shape[0] <= 1000 else 4
            ax.scatter(self.x, self.y, s=size, facecolors="none", edgecolors="0.25", linewidths=0.7)
            if self.sampled:
                ax.text(
                    0.99, 0.01, f"{self.x.shape[0]:,} of {self.n_total:,} points drawn "
                    f"({self.sample_note})", transform=ax.transAxes, ha="right",
                    va="bottom", fontsize=6.5, color="0.35",
                )  # fmt: skip
        for level in self.hlines:
            ax.axhline(level, color="0.5", linestyle=":", linewidth=1)
        if self.line is not None:
            lo, hi = np.nanmin(self.x), np.nanmax(self.x)
            grid = np.array([lo, hi])
            ax.plot(
                grid, self.line[0] + self.line[1] * grid, color="0.4", linestyle="--", linewidth=1
            )
        if self.xlim is not None:
            ax.set_xlim(*self.xlim)
            ax.set_autoscalex_on(False)
        if self.curves:  # keep the axes on the data, as plot.lm does
            pad = 0.08 * (np.nanmax(self.y) - np.nanmin(self.y) or 1.0)
            ax.set_ylim(np.nanmin(self.y) - pad, np.nanmax(self.y) + pad)
            ax.set_autoscaley_on(False)
        for cx, cy, text in self.curves:
            ax.plot(cx, cy, color="tab:red", linestyle="--", linewidth=0.9)
            lo, hi = ax.get_ylim()
            inside = np.flatnonzero(np.isfinite(cy) & (cy >= lo) & (cy <= hi))
            if inside.size:
                last = inside[-1]
                ax.annotate(
                    text,
                    (cx[last], cy[last]),
                    color="tab:red",
                    fontsize=7,
                    xytext=(2, 0),
                    textcoords="offset points",
                )
        if self.smooth_x is not None and self.smooth_y is not None:
            ax.plot(self.smooth_x, self.smooth_y, color="tab:red", linewidth=1.4)
        for px, py, text in self.labels:
            ax.annotate(text, (px, py), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_title(self.title, fontsize=10)
        ax.set_xlabel(self.xlabel)
        ax.set_ylabel(self.ylabel)
        return ax


def _scatter_data(
    x: Float, y: Float, hexbin: bool | None, *extreme: Float
) -> tuple[bool, Float, Float]:
    """All points, a hexbin of all (``hexbin=True``) or a sample keeping the ``extreme``."""
    if hexbin or x.shape[0] <= HEXBIN_THRESHOLD:
        return bool(hexbin), x, y
    tails = [extreme_positions(v, ALWAYS_DRAWN) for v in (y, *extreme)]
    keep = sample_points(x.shape[0], np.concatenate(tails))
    return False, x[keep], y[keep]


def _sampled(x: Float, n: int) -> bool:
    return bool(x.shape[0] < n)


def residuals_fitted_display(
    res: OLSResults, id_n: int = 3, hexbin: bool | None = None
) -> ScatterDisplay:
    """Residuals against fitted values with a LOWESS smoother (``plot.lm`` panel 1)."""
    fitted = np.asarray(res.fitted, dtype=np.float64)
    resid = np.asarray(res.residuals, dtype=np.float64)
    labels = np.asarray(res.design.shown_row_labels)
    use_hex, x, y = _scatter_data(fitted, resid, hexbin)
    sx, sy = smooth(fitted, resid)
    return ScatterDisplay(
        x=x,
        y=y,
        title="Residuals vs Fitted",
        xlabel="Fitted values",
        ylabel="Residuals",
        smooth_x=sx,
        smooth_y=sy,
        hlines=[0.0],
        labels=[
            (fitted[i], resid[i], _label_text(labels[i])) for i in extreme_positions(resid, id_n)
        ],
        n_total=fitted.shape[0],
        hexbin=use_hex,
        sampled=_sampled(x, fitted.shape[0]),
    )


def qq_display(res: OLSResults, id_n: int = 3) -> ScatterDisplay:
    """Normal Q-Q plot of the standardized residuals (``plot.lm`` panel 2)."""
    m = influence_measures(res)
    r = m.standardized
    finite = np.isfinite(r)
    values = r[finite]
    labels = np.asarray(res.design.shown_row_labels)[finite]
    n = values.shape[0]
    order = np.argsort(values, kind="stable")
    a = 3.0 / 8.0 if n <= 10 else 0.5  # R's ppoints

    def theoretical(rank: NDArray[np.intp]) -> Float:  # at the 0-based ranks drawn
        return np.asarray(stats.norm.ppf((rank + 1.0 - a) / (n + 1 - 2 * a)))

    sorted_values = values[order]
    if n > 2 * _QQ_TAIL + _QQ_BODY:
        keep = np.unique(
            np.concatenate(
                [
                    np.arange(_QQ_TAIL),
                    np.arange(n - _QQ_TAIL, n),
                    np.linspace(0, n - 1, _QQ_BODY).astype(np.intp),
                ]
            )
        )
    else:
        keep = np.arange(n)
    q1, q3 = np.quantile(values, [0.25, 0.75])
    z1, z3 = stats.norm.ppf([0.25, 0.75])
    slope = (q3 - q1) / (z3 - z1)
    rank = np.empty(n, dtype=np.intp)
    rank[order] = np.arange(n)
    return ScatterDisplay(
        x=theoretical(keep),
        y=sorted_values[keep],
        title="Normal Q-Q",
        xlabel="Theoretical quantiles",
        ylabel="Standardized residuals",
        line=(q1 - slope * z1, slope),
        labels=[
            (float(theoretical(rank[i : i + 1])[0]), values[i], _label_text(labels[i]))
            for i in extreme_positions(values, id_n)
        ],
        n_total=n,
        sampled=keep.shape[0] < n,
        sample_note=f"the {_QQ_TAIL} at each end + {_QQ_BODY:,} evenly spaced",
    )


def scale_location_display(
    res: OLSResults, id_n: int = 3, hexbin: bool | None = None
) -> ScatterDisplay:
    """sqrt(|standardized residuals|) against fitted values (``plot.lm`` panel 3)."""
    m = influence_measures(res)
    fitted = np.asarray(res.fitted, dtype=np.float64)
    root = np.sqrt(np.abs(m.standardized))
    finite = np.isfinite(root)
    labels = np.asarray(res.design.shown_row_labels)
    use_hex, x, y = _scatter_data(fitted[finite], root[finite], hexbin)
    n_finite = int(finite.sum())
    sx, sy = smooth(fitted[finite], root[finite])
    return ScatterDisplay(
        x=x,
        y=y,
        title="Scale-Location",
        xlabel="Fitted values",
        ylabel="√|Standardized residuals|",
        smooth_x=sx,
        smooth_y=sy,
        labels=[
            (fitted[i], root[i], _label_text(labels[i]))
            for i in extreme_positions(np.where(finite, root, np.nan), id_n)
        ],
        n_total=n_finite,
        hexbin=use_hex,
        sampled=_sampled(x, n_finite),
    )


def residuals_leverage_display(
    res: OLSResults,
    id_n: int = 3,
    hexbin: bool | None = None,
    levels: tuple[float, ...] = (0.5, 1.0),
) -> ScatterDisplay:
    """Standardized residuals against leverage with Cook's distance contours (panel 5)."""
    m = influence_measures(res)
    h, r = m.leverage, m.standardized
    finite = np.isfinite(r) & (h < 1)
    labels = np.asarray(res.design.shown_row_labels)
    use_hex, x, y = _scatter_data(h[finite], r[finite], hexbin, h[finite], m.cooks_distance[finite])
    sx, sy = smooth(h[finite], r[finite])
    h_max = float(np.max(h[finite]))  # contours on the data's leverage range, not past it
    grid = np.linspace(max(float(np.min(h[finite])), 1e-3 * h_max), h_max, 101)
    curves = []
    for level in levels:
        bound = np.sqrt(level * m.k * (1 - grid) / grid)
        curves.append((grid, bound, f"{level:g}"))
        curves.append((grid, -bound, f"{level:g}"))
    cooks = np.where(finite, m.cooks_distance, np.nan)
    return ScatterDisplay(
        x=x,
        y=y,
        title="Residuals vs Leverage",
        xlabel="Leverage",
        ylabel="Standardized residuals",
        smooth_x=sx,
        smooth_y=sy,
        hlines=[0.0],
        labels=[(h[i], r[i], _label_text(labels[i])) for i in extreme_positions(cooks, id_n)],
        curves=curves,
        n_total=int(finite.sum()),
        hexbin=use_hex,
        sampled=_sampled(x, int(finite.sum())),
        xlim=(0.0, 1.05 * h_max),  # R's plot.lm: from 0 to the largest leverage
    )


def vif_display(res: OLSResults) -> BarDisplay:
    """Variance inflation factors per term (GVIF^(1/df) for multi-column terms)."""
    table = gvif(res).dropna(subset=["vif_equivalent"])
    return BarDisplay(
        names=[str(t) for t in table.index],
        values=table["vif_equivalent"].to_numpy(),
        title="Variance inflation factors",
        xlabel="VIF (GVIF^(1/df) for factors)",
    )


def added_variable_displays(
    res: OLSResults,
    columns: list[str] | None = None,
    id_n: int = 2,
    hexbin: bool | None = None,
) -> list[ScatterDisplay]:
    """One added-variable (partial regression) panel per coefficient."""
    labels = np.asarray(res.design.shown_row_labels)
    displays = []
    for name, (xr, yr, slope) in added_variable_data(res, columns).items():
        use_hex, x, y = _scatter_data(xr, yr, hexbin, xr)
        displays.append(
            ScatterDisplay(
                x=x,
                y=y,
                title=f"Added variable: {name}",
                xlabel=f"{name} | others",
                ylabel=f"{res.design.response_name} | others",
                line=(0.0, slope),
                labels=[
                    (xr[i], yr[i], _label_text(labels[i])) for i in extreme_positions(xr, id_n)
                ],
                n_total=xr.shape[0],
                hexbin=use_hex,
                sampled=_sampled(x, xr.shape[0]),
            )
        )
    return displays


@dataclass
class DiagnosticsDisplay:
    """A figure of diagnostic panels.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    axes : dict of str to Axes
        Panel name (``"residuals_fitted"``, ``"qq"``, ..., ``"added_variable:<name>"``)
        to its axes.
    panels : dict of str to display
        The display objects that were drawn.
    """

    figure: Any
    axes: dict[str, Any]
    panels: dict[str, Any]

    def save(self, path: str | Path, dpi: int = 120) -> Path:
        """Save the figure; the format follows the suffix (``.png``, ``.svg``, ``.pdf``)."""
        target = Path(path)
        self.figure.savefig(target, dpi=dpi, bbox_inches="tight")
        return target

    def _repr_png_(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
        return buffer.getvalue()


def plot_diagnostics(
    res: OLSResults,
    which: tuple[str, ...] | list[str] | str = PANELS,
    id_n: int = 3,
    hexbin: bool | None = None,
    max_added_variable: int = 6,
    ncols: int = 3,
    title: str | bool = True,
    order_by: Any = None,
) -> DiagnosticsDisplay:
    """Draw diagnostic panels of a fitted model in one figure.

    Parameters
    ----------
    res : OLSResults
    which : str or sequence of str
        Panels from :data:`PANELS` (default all): ``"residuals_fitted"``, ``"qq"``,
        ``"scale_location"``, ``"residuals_leverage"`` (R's ``plot.lm`` 1, 2, 3, 5),
        ``"vif"``, ``"acf"``, ``"added_variable"`` (one panel per coefficient, the
        ``max_added_variable`` with the largest ``|t|``); ``"lm"``: the ``plot.lm`` four.
    id_n : int
        Label this many most extreme points per panel (R's ``id.n``).
    hexbin : bool, optional
        Force (or forbid) hexbins for the scatter panels; default above
        :data:`HEXBIN_THRESHOLD` observations.
    max_added_variable : int
        Most added-variable panels to draw.
    ncols : int
        Panels per row.
    title : str or bool
        Figure title; True: "Diagnostics: <formula> (n = ...)" wrapped to the figure's
        width, False: none (each panel keeps its size whatever the formula's length).
    order_by : None, str or array-like
        Row order of the ``"acf"`` panel, e.g. a date column (as for :meth:`check`).

    Returns
    -------
    DiagnosticsDisplay
    """
    if isinstance(which, str):
        which = PANELS[:4] if which == "lm" else (PANELS if which == "all" else (which,))
    unknown = [w for w in which if w not in PANELS]
    if unknown:
        raise InputError(f"unknown panel(s) {unknown!r}; choose from {', '.join(PANELS)} or 'lm'")
    if id_n < 0:
        raise InputError(f"id_n={id_n!r} must be a non-negative integer")
    panels: dict[str, Any] = {}
    for name in PANELS:
        if name not in which:
            continue
        if name == "residuals_fitted":
            panels[name] = residuals_fitted_display(res, id_n, hexbin)
        elif name == "qq":
            panels[name] = qq_display(res, id_n)
        elif name == "scale_location":
            panels[name] = scale_location_display(res, id_n, hexbin)
        elif name == "residuals_leverage":
            panels[name] = residuals_leverage_display(res, id_n, hexbin)
        elif name == "vif":
            bars = vif_display(res)
            if bars.names:
                panels[name] = bars
        elif name == "acf":
            panels[name] = ACFDisplay(residual_acf(res, order_by=order_by), res.n_obs)
        else:
            columns = added_variable_columns(res, max_added_variable)
            for column, av in zip(
                columns, added_variable_displays(res, columns, min(id_n, 2), hexbin), strict=True
            ):
                panels[f"added_variable:{column}"] = av
    plt = pyplot()
    count = max(len(panels), 1)
    ncols = max(1, min(ncols, count))
    nrows = int(np.ceil(count / ncols))
    figure, grid = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 3.9 * nrows), squeeze=False)
    axes: dict[str, Any] = {}
    flat = list(grid.ravel())
    for (name, display), ax in zip(panels.items(), flat, strict=False):
        display.plot(ax=ax)
        axes[name] = ax
    for ax in flat[len(panels) :]:
        ax.set_visible(False)
    if title is True:
        formula = res.design.formula or f"{res.design.response_name} ~ X"
        title = f"Diagnostics: {formula} (n = {res.n_obs:,})"
    if title:  # wrapped to the figure's width (about 9 characters an inch at 11 pt)
        text = textwrap.fill(str(title), width=int(13 * 4.6 * ncols))
        figure.suptitle(text, fontsize=11)
        figure.tight_layout(rect=(0, 0, 1, 1 - 0.03 * (text.count("\n") + 1) / nrows))
    else:  # laid out from the texts' sizes: the figure is drawn only once, when saved
        grid_layout(figure, grid)
    return DiagnosticsDisplay(figure=figure, axes=axes, panels=panels)
