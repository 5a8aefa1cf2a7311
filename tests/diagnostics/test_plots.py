"""Diagnostic plots: panels drawn, labels, extreme points, files written, large n."""

from __future__ import annotations

import numpy as np
import pytest

import linmod
from linmod import diagnostics as dg
from linmod.plots import diagnostics as pd_plots

from ..conftest import load_dataset

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def duncan():
    data = load_dataset("Duncan").set_index("occupation")
    return linmod.ols("prestige ~ income + education + C(type)", data=data)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_all_panels(duncan, tmp_path):
    display = dg.plot_diagnostics(duncan)
    names = list(display.axes)
    assert names[:6] == [
        "residuals_fitted",
        "qq",
        "scale_location",
        "residuals_leverage",
        "vif",
        "acf",
    ]
    assert [n for n in names if n.startswith("added_variable:")] == [
        "added_variable:income",
        "added_variable:education",
        "added_variable:C(type)[T.prof]",
        "added_variable:C(type)[T.wc]",
    ]
    visible = [ax for ax in display.figure.axes if ax.get_visible()]
    assert len(visible) == len(names) == 10
    ax = display.axes["residuals_fitted"]
    assert ax.get_title() == "Residuals vs Fitted"
    assert ax.get_xlabel() == "Fitted values"
    assert display.axes["scale_location"].get_ylabel() == "√|Standardized residuals|"
    assert display.axes["qq"].get_xlabel() == "Theoretical quantiles"
    png = display.save(tmp_path / "diagnostics.png")
    svg = display.save(tmp_path / "diagnostics.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:2000]
    assert display._repr_png_()[:4] == b"\x89PNG"


def test_extreme_points_are_labelled(duncan):
    display = dg.plot_diagnostics(duncan, which="lm")
    assert list(display.axes) == ["residuals_fitted", "qq", "scale_location", "residuals_leverage"]
    table = dg.influence(duncan)
    largest_resid = duncan.residuals.abs().sort_values(ascending=False).index[:3]
    texts = {t.get_text() for t in display.axes["residuals_fitted"].texts}
    assert set(largest_resid) <= texts
    top_cook = table["cooks_distance"].sort_values(ascending=False).index[:3]
    lev_texts = {t.get_text() for t in display.axes["residuals_leverage"].texts}
    assert set(top_cook) <= lev_texts
    assert "minister" in lev_texts
    assert {"0.5", "1"} <= lev_texts  # Cook's distance contour labels


def test_display_objects_compute_without_drawing(duncan):
    panel = pd_plots.residuals_fitted_display(duncan)
    assert panel.x.shape == (45,)
    assert panel.smooth_x is not None
    assert np.all(np.diff(panel.smooth_x) >= 0)
    ax = panel.plot()  # ax=None makes its own figure
    assert ax.get_title() == "Residuals vs Fitted"
    qq = pd_plots.qq_display(duncan)
    assert qq.x.shape == qq.y.shape == (45,)
    assert np.all(np.diff(qq.y) >= 0)
    vif = pd_plots.vif_display(duncan)
    assert vif.names == ["income", "education", "C(type)"]
    vif.plot()
    acf = pd_plots.ACFDisplay(dg.residual_acf(duncan), duncan.n_obs)
    assert acf.acf[0] == pytest.approx(1.0)
    acf.plot()


def test_bad_panel_names(duncan):
    with pytest.raises(linmod.InputError, match="unknown panel"):
        dg.plot_diagnostics(duncan, which=["histogram"])
    with pytest.raises(linmod.InputError, match="id_n"):
        dg.plot_diagnostics(duncan, id_n=-1)


def test_large_n_uses_hexbin_and_keeps_exact_labels():
    rng = np.random.default_rng(0)
    n = 25_000
    x = rng.normal(size=(n, 2))
    y = x @ [1.0, 2.0] + rng.normal(size=n)
    y[123] += 25.0  # one gross outlier
    res = linmod.ols(x, y)
    display = dg.plot_diagnostics(res, which=["residuals_fitted", "qq", "residuals_leverage"])
    ax = display.axes["residuals_fitted"]
    from matplotlib.collections import PolyCollection

    assert any(isinstance(c, PolyCollection) for c in ax.collections)  # the hexbin
    assert "124" in {t.get_text() for t in ax.texts}  # row 124 (1-based) of y[123]
    qq = display.panels["qq"]
    assert qq.n_total == n
    assert qq.x.shape[0] <= 2000 + 200
    assert qq.y.max() == pytest.approx(dg.influence_measures(res).standardized.max())
