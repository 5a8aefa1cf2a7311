"""Turn a matplotlib figure into SVG markup that can be pasted inside an HTML page.

Matplotlib's SVG is a standalone document: an XML declaration, a DOCTYPE naming a DTD
by URL, namespace declarations, an RDF metadata block with the creation date, a
``<style>`` rule for ``*`` that would leak into the page around it, and ids such as
``figure_1`` that every figure repeats.  :func:`figure_svg` keeps only the drawing: no
URL of any kind, no date (the output is reproducible), every id prefixed per figure (so
ids stay unique in a page with several figures, and references follow them), and an
accessible label.  Scatters of many points are embedded as a bitmap inside the SVG (axes,
labels and text stay vector), so a plot of 10⁵ residuals stays a few hundred kilobytes.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

from linmod.exceptions import InputError
from linmod.plots._matplotlib import pyplot

__all__ = ["RASTERIZE_ABOVE", "figure_svg"]

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_SIZE = re.compile(r'\s+(?:width|height)="[^"]*pt"')
_STAR_STYLE = re.compile(r'<style type="text/css">\*\{[^<]*\}</style>')
_NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')
_PREFIX = re.compile(r"[A-Za-z][\w-]*\Z")


def _prefix_ids(markup: str, prefix: str) -> str:
    ids = set(_ID.findall(markup))
    markup = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', markup)
    return _REFERENCE.sub(
        lambda m: m.group(1) + (prefix if m.group(2) in ids else "") + m.group(2), markup
    )


#: Lines and scatters with more points than this are drawn as an embedded bitmap.
RASTERIZE_ABOVE = 1000
_RASTER_DPI = 150


def _point_count(artist: Any) -> int:
    if hasattr(artist, "get_xydata"):
        return len(artist.get_xydata())
    if hasattr(artist, "get_offsets"):
        return len(artist.get_offsets())
    return 0  # pragma: no cover - every line and collection has one of the two


def _rasterize_dense(figure: Any, limit: int) -> None:
    for ax in figure.axes:
        for artist in [*ax.lines, *ax.collections]:
            if _point_count(artist) > limit:
                artist.set_rasterized(True)


def _drop_done_layout(figure: Any) -> None:
    """Forget the placeholder layout engine that ``tight_layout`` leaves on a figure.

    ``savefig`` draws a figure with any layout engine twice (a first draw to lay it
    out); the placeholder has nothing to lay out, and the figure has been laid out.
    """
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
        figure._layout_engine = None  # set_layout_engine(None) would read rcParams


def figure_svg(
    figure: Any,
    *,
    label: str,
    id_prefix: str,
    close: bool = True,
    rasterize_above: int | None = RASTERIZE_ABOVE,
) -> str:
    """Render ``figure`` as inline SVG markup.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    label : str
        What the figure shows, for screen readers (``aria-label``); escaped here.
    id_prefix : str
        Put before every id of the figure (and every reference to one), e.g. ``"diag-"``,
        to keep ids unique among the figures of a page: a letter, then letters, digits,
        ``_`` or ``-``.
    close : bool, default=True
        Close the figure afterwards (frees its memory in pyplot's registry).
    rasterize_above : int or None, default=RASTERIZE_ABOVE
        Draw lines and scatters with more points than this as a bitmap (at 150 dpi)
        inside the SVG; None keeps everything vector.

    Returns
    -------
    str
        An ``<svg>`` element that scales with its container (``viewBox`` kept, fixed
        width and height removed).
    """
    if not _PREFIX.match(id_prefix):
        raise InputError(
            f"id_prefix={id_prefix!r} is not valid: start with a letter, then use letters, "
            "digits, '_' or '-'"
        )
    plt = pyplot()
    buffer = io.StringIO()
    try:
        if rasterize_above is not None:
            _rasterize_dense(figure, rasterize_above)
        with plt.rc_context({"svg.hashsalt": id_prefix, "svg.fonttype": "path"}):
            # The figures are laid out (tight_layout) already; bbox_inches="tight" would
            # draw each one a second time to measure it (a third of a report's rendering),
            # and so would the placeholder engine tight_layout leaves behind.
            _drop_done_layout(figure)
            figure.savefig(buffer, format="svg", dpi=_RASTER_DPI, metadata=_NO_METADATA)
    finally:
        if close:
            plt.close(figure)
    markup = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    head_end = markup.index(">") + 1
    head = _SIZE.sub("", _NAMESPACES.sub("", markup[:head_end]))
    head = head.replace("<svg", f'<svg role="img" aria-label="{html.escape(label, quote=True)}"', 1)
    body = _STAR_STYLE.sub("", markup[head_end:], count=1)
    return _prefix_ids(head + body.strip(), id_prefix)
