"""The report at width: 21 predictors, a long formula, messy columns in the overview."""

from __future__ import annotations

import pytest
import statsmodels.formula.api as smf

from linmod.analysis import Analysis, analyse
from linmod.report import render_html

from ._page import Node, parse, table_rows
from .wide import FORMULA, wide_frame

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def wide_analysis() -> Analysis:
    return analyse(FORMULA, wide_frame())


@pytest.fixture(scope="module")
def wide_dom(wide_analysis: Analysis) -> Node:
    return parse(render_html(wide_analysis))


def test_overview_flags_every_messy_column(wide_dom):
    table = wide_dom.find("table", id="column-flags")
    found = {(cells[0], attrs["data-problem"]) for attrs, cells in table_rows(table)}
    assert found == {
        ("customer", "identifier"),
        ("signup", "date"),
        ("income", "text_in_numbers"),
        ("source", "constant"),
        ("copy_of_00", "duplicate"),
        ("city", "case_variants"),
    }


def test_added_variable_plots_are_the_six_largest_t_and_the_page_says_so(wide_analysis, wide_dom):
    fit = smf.ols(FORMULA, data=wide_frame()).fit()  # independent t values
    expected = list(fit.tvalues.drop("Intercept").abs().sort_values(ascending=False).index[:6])
    assert list(wide_analysis.added_variable) == expected
    assert wide_analysis.n_added_variable_candidates == 21
    caption = wide_dom.find("section", id="assumptions").find("figcaption").text()
    assert "6 of 21 coefficients with the largest |t|" in caption
    for name in expected:
        assert name in caption


def test_diagnostic_figure_has_no_title_and_fixed_panels(wide_analysis):
    display = wide_analysis.results.plot_diagnostics(max_added_variable=6, title=False)
    assert display.figure._suptitle is None
    figure_width, figure_height = display.figure.get_size_inches()
    for name, ax in display.axes.items():
        box = ax.get_position()  # figure fractions
        assert box.width * figure_width > 3.0, name  # inches: panels stay readable
        assert box.height * figure_height > 2.5, name


def test_lasso_path_names_the_largest_curves(wide_analysis, monkeypatch):
    from linmod.report import figures

    drawn = []
    monkeypatch.setattr(figures, "figure_svg", lambda figure, **_: drawn.append(figure) or "")
    figures.lasso_svg(wide_analysis.lasso)
    path_ax = drawn[0].axes[0]
    legend = path_ax.get_legend()
    assert legend.get_title().get_text() == "largest 8 of 21 at alpha_min"
    at_min = wide_analysis.lasso.coefficients["alpha_min"].abs()
    expected = list(at_min[at_min > 0].sort_values(ascending=False, kind="stable").index[:8])
    assert [t.get_text() for t in legend.get_texts()] == expected
