"""figure_svg: matplotlib's SVG made fit to paste into an HTML page."""

from __future__ import annotations

import re

import numpy as np
import pytest

import linmod
from linmod.plots._matplotlib import pyplot
from linmod.report.svg import RASTERIZE_ABOVE, figure_svg

from ._page import parse


def _figure(title: str = "t"):
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(3, 2))
    ax.plot([1, 2, 3], [3, 1, 2], "o-")
    ax.set_title(title)
    return figure


def test_markup_is_a_bare_scalable_svg():
    svg = figure_svg(_figure(), label="A <line>", id_prefix="one-")
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    assert "<metadata" not in svg
    assert "http" not in svg
    node = parse(svg).find("svg")
    assert node.attrs["role"] == "img"
    assert node.attrs["aria-label"] == "A <line>"
    assert "viewBox" in node.attrs or "viewbox" in node.attrs
    assert "width" not in node.attrs
    assert "height" not in node.attrs
    assert "<style" not in svg


def test_ids_are_prefixed_and_references_follow():
    svg = figure_svg(_figure(), label="x", id_prefix="fig7-")
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids
    assert all(i.startswith("fig7-") for i in ids)
    references = re.findall(r'(?:href="#|url\(#)([^")]+)', svg)
    assert references
    assert set(references) <= set(ids)


def test_two_figures_share_no_id():
    first = figure_svg(_figure(), label="x", id_prefix="a-")
    second = figure_svg(_figure(), label="x", id_prefix="b-")
    assert not set(re.findall(r'\bid="([^"]+)"', first)) & set(
        re.findall(r'\bid="([^"]+)"', second)
    )


def test_rendering_is_reproducible_and_closes_the_figure():
    plt = pyplot()
    figure = _figure()
    first = figure_svg(figure, label="x", id_prefix="r-", close=False)
    assert plt.fignum_exists(figure.number)
    second = figure_svg(figure, label="x", id_prefix="r-")
    assert first == second
    assert not plt.fignum_exists(figure.number)


def test_text_is_escaped():
    svg = figure_svg(_figure("<script>alert(1)</script>"), label="x", id_prefix="e-")
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg


def test_invalid_prefix():
    figure = _figure()
    with pytest.raises(linmod.InputError, match="id_prefix"):
        figure_svg(figure, label="x", id_prefix='1"><b')
    pyplot().close(figure)


def test_dense_scatters_become_an_embedded_bitmap():
    plt = pyplot()
    rng = np.random.default_rng(0)
    figure, ax = plt.subplots(figsize=(3, 2))
    ax.scatter(rng.normal(size=RASTERIZE_ABOVE + 1), rng.normal(size=RASTERIZE_ABOVE + 1))
    ax.set_title("dense")
    dense = figure_svg(figure, label="x", id_prefix="d-")
    assert dense.count("<image") == 1
    assert 'xlink:href="data:image/png;base64,' in dense
    figure, ax = plt.subplots(figsize=(3, 2))
    ax.scatter(rng.normal(size=RASTERIZE_ABOVE), rng.normal(size=RASTERIZE_ABOVE))
    sparse = figure_svg(figure, label="x", id_prefix="s-")
    assert "<image" not in sparse
    assert sparse.count("<use") >= RASTERIZE_ABOVE


def test_rasterizing_can_be_turned_off():
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(3, 2))
    ax.plot(np.arange(RASTERIZE_ABOVE * 2.0), "o")
    svg = figure_svg(figure, label="x", id_prefix="v-", rasterize_above=None)
    assert "<image" not in svg
