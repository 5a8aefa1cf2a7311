"""A grid of panels laid out from the sizes of its texts, without drawing the figure.

``Figure.tight_layout`` measures every panel by rendering its texts once, and ``savefig``
then renders them again: for the report's twelve diagnostic panels the layout cost as
much as a third of the drawing.  :func:`grid_layout` leaves the same room (tick labels,
axis labels and titles plus matplotlib's paddings, and ``tight_layout``'s default pad of
1.08 font sizes around and between panels) from the texts' extents computed from the
font alone (:data:`matplotlib.textpath.text_to_path`, the metrics SVG output uses), so the
figure is drawn once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["grid_layout"]

#: Room around and between panels, in font sizes (``tight_layout``'s default ``pad``).
PAD = 1.08
_POINTS = 72.0


def _string_extent(
    content: str, text: Any, cache: dict[Any, tuple[float, float]]
) -> tuple[float, float]:
    """Width and height (points) of ``content`` drawn horizontally in the font of the
    matplotlib ``Text`` ``text``; ``cache`` keeps each (string, font) measured once (tick
    labels such as ``0.0`` repeat from panel to panel)."""
    from matplotlib.textpath import text_to_path

    if not content:
        return 0.0, 0.0
    content, math = text._preprocess_math(content)
    font = text.get_fontproperties()
    key = (content, math, hash(font))
    if key not in cache:
        width, height, _ = text_to_path.get_text_width_height_descent(content, font, ismath=math)
        lines = content.count("\n") + 1 if not math else 1
        cache[key] = (float(width), max(float(height), 1.2 * text.get_fontsize() * lines))
    return cache[key]


def _extent(text: Any, cache: dict[Any, tuple[float, float]]) -> tuple[float, float]:
    """Width and height (points) of a matplotlib ``Text`` as drawn horizontally."""
    if not text.get_visible():
        return 0.0, 0.0
    return _string_extent(text.get_text(), text, cache)


def _major_labels(axis: Any) -> tuple[Any, list[tuple[str, Any]]]:
    """The first major tick and the (text, ``Text``) of every major tick label drawing
    will show, as :meth:`matplotlib.axis.Axis.get_majorticklabels` lists them.

    The texts are those drawing sets (the locator's positions through the formatter's
    ``format_ticks``), measured in the font of the first tick's labels, which every tick
    copies; the ticks themselves are not updated one by one here (drawing does that, and
    updating them twice was a fifth of the layout's time).  Ticks whose labels differ in
    font or visibility are read one by one.
    """
    locs = axis.get_majorticklocs()
    ticks = axis.get_major_ticks(len(locs))
    if not ticks:
        return None, []
    first = ticks[0]
    same = all(
        t.label1.get_visible() == first.label1.get_visible()
        and t.label2.get_visible() == first.label2.get_visible()
        and t.label1.get_fontproperties() == first.label1.get_fontproperties()
        and t.label2.get_fontproperties() == first.label2.get_fontproperties()
        for t in ticks[1:]
    )
    if not same:
        return first, [(t.get_text(), t) for t in axis.get_majorticklabels()]
    texts = axis.major.formatter.format_ticks(locs)
    shown = [label for label in (first.label1, first.label2) if label.get_visible()]
    return first, [(text, label) for label in shown for text in texts]


def _tick_room(axis: Any, along: int, cache: dict[Any, tuple[float, float]]) -> tuple[float, float]:
    """Room (points) the tick marks and labels of ``axis`` take beyond the axes: across
    (width of y labels / height of x labels) and the overhang of the widest label along
    the axis (half its width or height)."""
    tick, labels = _major_labels(axis)
    labels = [(text, label) for text, label in labels if text]
    if not labels:
        return 0.0, 0.0
    sizes = [_string_extent(text, label, cache) for text, label in labels]
    across = max(size[along] for size in sizes)
    overhang = max(size[1 - along] for size in sizes) / 2.0
    length = tick.get_tick_padding() + tick.get_pad() if tick is not None else 7.0
    return across + length, overhang


def _label_room(label: Any, pad: float, cache: dict[Any, tuple[float, float]]) -> float:
    """Room (points) an axis label (or title) takes across its side, with its pad."""
    width, height = _extent(label, cache)
    return height + pad if width else 0.0


def _margins(ax: Any, cache: dict[Any, tuple[float, float]]) -> tuple[float, float, float, float]:
    """Room (points) needed left, right, below and above the axes box of ``ax``."""
    import matplotlib as mpl

    y_ticks, y_over = _tick_room(ax.yaxis, 0, cache)
    x_ticks, x_over = _tick_room(ax.xaxis, 1, cache)
    left = y_ticks + _label_room(ax.yaxis.label, ax.yaxis.labelpad, cache)
    bottom = x_ticks + _label_room(ax.xaxis.label, ax.xaxis.labelpad, cache)
    top = max(y_over, _label_room(ax.title, float(mpl.rcParams["axes.titlepad"]), cache))
    right = x_over
    legend = ax.get_legend()
    if legend is not None and legend.get_bbox_to_anchor().x0 > ax.bbox.x1:
        # placed outside, right of the axes (bbox_to_anchor past 1.0): its widest text,
        # the handle and the paddings (about 4 font sizes), and the gap to the axes
        texts = [legend.get_title(), *legend.get_texts()]
        size = max(t.get_fontsize() for t in texts)
        widest = max(_extent(t, cache)[0] for t in texts)
        right = max(right, widest + 4.0 * size + legend.get_bbox_to_anchor().x0 - ax.bbox.x1)
    return left, right, bottom, top


def grid_layout(figure: Any, grid: Any, *, pad: float = PAD) -> None:
    """Set ``figure``'s subplot parameters so a grid of panels leaves room for its texts.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    grid : 2-D array of Axes
        The panels, as ``Figure.subplots(..., squeeze=False)`` returns them; hidden axes
        take no room.
    pad : float, default=1.08
        Room around the figure's edge and between panels, in font sizes
        (``tight_layout``'s ``pad``).
    """
    import matplotlib as mpl

    grid = np.asarray(grid, dtype=object)
    nrows, ncols = grid.shape
    margins = np.zeros((nrows, ncols, 4))
    cache: dict[Any, tuple[float, float]] = {}
    for i in range(nrows):
        for j in range(ncols):
            if grid[i, j].get_visible():
                margins[i, j] = _margins(grid[i, j], cache)
    left, right, bottom, top = (margins[..., k] for k in range(4))
    space = pad * float(mpl.font_manager.FontProperties(size=mpl.rcParams["font.size"]).get_size())
    width, height = (float(v) * _POINTS for v in figure.get_size_inches())
    gap_x = max([left[:, j].max() + right[:, j - 1].max() for j in range(1, ncols)], default=0.0)
    gap_y = max([top[i].max() + bottom[i - 1].max() for i in range(1, nrows)], default=0.0)
    gap_x, gap_y = gap_x + space, gap_y + space
    x0 = (left[:, 0].max() + space) / width
    x1 = 1.0 - (right[:, -1].max() + space) / width
    y0 = (bottom[-1].max() + space) / height
    y1 = 1.0 - (top[0].max() + space) / height
    panel_w = ((x1 - x0) * width - (ncols - 1) * gap_x) / ncols
    panel_h = ((y1 - y0) * height - (nrows - 1) * gap_y) / nrows
    figure.subplots_adjust(
        left=x0, right=x1, bottom=y0, top=y1, wspace=gap_x / panel_w, hspace=gap_y / panel_h
    )
