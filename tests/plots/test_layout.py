"""``grid_layout`` leaves room for every text without drawing: once drawn, no panel's
texts (tick labels, axis labels, title, a legend outside it) reach into another panel or
past the figure's edge.

The figures are the report's (issue 13: they used to be laid out by ``tight_layout``,
which drew each one a second time); the overlaps are measured by matplotlib's own
renderer after drawing, with long VIF names (21 predictors) and a legend placed outside
the Lasso path.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linmod.analysis import analyse
from linmod.plots._matplotlib import pyplot
from linmod.plots.layout import grid_layout

pytest.importorskip("matplotlib")

MTCARS = Path(__file__).resolve().parents[1] / "data" / "mtcars.csv"


@pytest.fixture(scope="module")
def analyses():
    from tests.report.wide import FORMULA, wide_frame

    return {
        "mtcars": analyse("mpg ~ wt + hp + qsec + C(cyl)", pd.read_csv(MTCARS)),
        "wide": analyse(FORMULA, wide_frame()),
    }


def _assert_texts_apart(figure):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    edge = figure.bbox
    boxes = [ax.get_tightbbox(renderer) for ax in figure.axes if ax.get_visible()]
    for box in boxes:  # inside the figure (1 px of rounding)
        assert box.x0 >= edge.x0 - 1
        assert box.y0 >= edge.y0 - 1
        assert box.x1 <= edge.x1 + 1
        assert box.y1 <= edge.y1 + 1
    for a, b in itertools.combinations(boxes, 2):
        overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
        overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert overlap_x <= 1 or overlap_y <= 1, (a, b)


@pytest.mark.parametrize("name", ["mtcars", "wide"])
def test_diagnostic_panels_texts_do_not_overlap(analyses, name):
    display = analyses[name].results.plot_diagnostics(max_added_variable=6, title=False)
    try:
        _assert_texts_apart(display.figure)
        width, height = display.figure.get_size_inches()
        for ax in display.axes.values():  # and the panels keep a readable size
            box = ax.get_position()
            assert box.width * width > 3.0
            assert box.height * height > 2.5
    finally:
        pyplot().close(display.figure)


@pytest.mark.parametrize("name", ["mtcars", "wide"])
def test_lasso_figure_texts_and_outside_legend_do_not_overlap(analyses, name, monkeypatch):
    from linmod.report import figures

    drawn = []
    monkeypatch.setattr(figures, "figure_svg", lambda figure, **_: drawn.append(figure) or "")
    figures.lasso_svg(analyses[name].lasso)
    try:
        legend = drawn[0].axes[0].get_legend()
        outside = legend.get_bbox_to_anchor().x0 > drawn[0].axes[0].bbox.x1
        assert outside == (name == "wide")  # 21 curves: the legend sits right of the path
        _assert_texts_apart(drawn[0])
    finally:
        pyplot().close(drawn[0])


def test_long_tick_labels_widen_the_gap_between_columns():
    plt = pyplot()
    gaps = []
    for label in ("a", "a rather long tick label on the second column"):
        figure, grid = plt.subplots(1, 2, figsize=(8, 3), squeeze=False)
        grid[0, 1].barh([0, 1], [1.0, 2.0])
        grid[0, 1].set_yticks([0, 1], ["b", label])
        grid_layout(figure, grid)
        gaps.append(figure.subplotpars.wspace)
        _assert_texts_apart(figure)
        plt.close(figure)
    assert gaps[1] > 2 * gaps[0]
    assert np.all(np.isfinite(gaps))


def _scatter_grid(plt):
    figure, grid = plt.subplots(2, 2, figsize=(8, 6), squeeze=False)
    rng = np.random.default_rng(3)
    for k, ax in enumerate(grid.ravel()):
        ax.scatter(rng.standard_normal(50) * 10**k, rng.standard_normal(50))
        ax.set_xlabel(f"x{k}")
        ax.set_ylabel("y")
        ax.set_title(f"panel {k}")
    return figure, grid


def test_layout_reads_tick_labels_without_updating_every_tick(monkeypatch):
    # The tick labels are measured from the formatter's texts; updating every tick (as
    # Axis.get_majorticklabels does) was done again when the figure was drawn.
    from matplotlib.axis import Axis

    plt = pyplot()
    figure, grid = _scatter_grid(plt)
    updates = []
    original = Axis._update_ticks
    monkeypatch.setattr(Axis, "_update_ticks", lambda self: updates.append(self) or original(self))
    grid_layout(figure, grid)
    assert updates == []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            texts = axis.major.formatter.format_ticks(axis.get_majorticklocs())
            assert any(texts)
    _assert_texts_apart(figure)
    plt.close(figure)


def test_a_tick_label_in_a_larger_font_still_widens_the_margin():
    # Ticks whose labels differ in font are measured one by one (the fallback path).
    plt = pyplot()
    lefts = []
    for size in (None, 30):
        figure, grid = plt.subplots(1, 1, figsize=(6, 4), squeeze=False)
        grid[0, 0].barh([0, 1, 2], [1.0, 2.0, 3.0])
        grid[0, 0].set_yticks([0, 1, 2], ["a", "bb", "ccc"])
        if size is not None:
            grid[0, 0].yaxis.get_major_ticks()[2].label1.set_fontsize(size)
        grid_layout(figure, grid)
        lefts.append(figure.subplotpars.left)
        _assert_texts_apart(figure)
        plt.close(figure)
    assert lefts[1] > 1.5 * lefts[0]
