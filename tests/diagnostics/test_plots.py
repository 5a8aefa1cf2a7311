"""Diagnostic plots: panels drawn, labels, extreme points, files written, large n."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    # largest |t| first, t from statsmodels (an independent fit)
    smf = pytest.importorskip("statsmodels.formula.api")
    data = load_dataset("Duncan").set_index("occupation")
    t = smf.ols("prestige ~ income + education + C(type)", data=data).fit().tvalues
    expected = [
        f"added_variable:{c}" for c in t.drop("Intercept").abs().sort_values(ascending=False).index
    ]
    assert expected[0] == "added_variable:income"  # dummies no longer first by position
    assert [n for n in names if n.startswith("added_variable:")] == expected
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


def test_large_n_hexbin_on_request_keeps_exact_labels():
    rng = np.random.default_rng(0)
    n = 25_000
    x = rng.normal(size=(n, 2))
    y = x @ [1.0, 2.0] + rng.normal(size=n)
    y[123] += 25.0  # one gross outlier
    res = linmod.ols(x, y)
    display = dg.plot_diagnostics(
        res, which=["residuals_fitted", "qq", "residuals_leverage"], hexbin=True
    )
    ax = display.axes["residuals_fitted"]
    from matplotlib.collections import PolyCollection

    assert any(isinstance(c, PolyCollection) for c in ax.collections)  # the hexbin
    assert "124" in {t.get_text() for t in ax.texts}  # row 124 (1-based) of y[123]
    qq = display.panels["qq"]
    assert qq.n_total == n
    assert qq.x.shape[0] <= 2000 + 200
    assert qq.y.max() == pytest.approx(dg.influence_measures(res).standardized.max())


def test_large_n_draws_a_seeded_sample_with_every_extreme_row():
    from linmod.plots.sampling import SAMPLE_SIZE

    rng = np.random.default_rng(1)
    n = 60_000
    x = rng.normal(size=(n, 2))
    x[777] = [40.0, -40.0]  # the one high-leverage row
    y = x @ [1.0, 2.0] + rng.normal(size=n)
    y[4321] += 30.0  # the one gross outlier
    res = linmod.ols(x, y)
    which = ["residuals_fitted", "residuals_leverage"]
    first = dg.plot_diagnostics(res, which=which, title=False)
    again = dg.plot_diagnostics(res, which=which, title=False)
    for name in which:
        panel = first.panels[name]
        assert panel.sampled
        assert not panel.hexbin
        assert panel.n_total == n
        assert SAMPLE_SIZE <= panel.x.shape[0] <= SAMPLE_SIZE + 1000
        np.testing.assert_array_equal(panel.x, again.panels[name].x)  # seeded
        texts = [t.get_text() for t in first.axes[name].texts]
        assert any(f"of {n:,} points drawn" in t for t in texts)
    fitted = first.panels["residuals_fitted"]
    assert np.max(np.abs(fitted.y)) == pytest.approx(np.max(np.abs(res.residuals)), rel=1e-12)
    lev = first.panels["residuals_leverage"]
    h = dg.influence_measures(res).leverage
    assert np.max(lev.x) == pytest.approx(np.max(h), rel=1e-12)  # the high-leverage row


def test_leverage_axis_spans_the_data_not_a_fixed_floor():
    # with tiny leverages (about k/n) the Cook's contours used to start at 0.001 and
    # squash every point against the left edge
    rng = np.random.default_rng(2)
    n = 30_000
    x = rng.normal(size=(n, 3))
    y = x @ [1.0, -1.0, 0.5] + rng.normal(size=n)
    res = linmod.ols(x, y)
    display = dg.plot_diagnostics(res, which=["residuals_leverage"], title=False)
    h_max = float(np.max(dg.influence_measures(res).leverage))
    lo, hi = display.axes["residuals_leverage"].get_xlim()
    assert h_max < 1e-3
    assert lo == 0.0
    assert hi == pytest.approx(1.05 * h_max, rel=1e-12)


def test_long_formula_title_wraps_and_can_be_left_out():
    rng = np.random.default_rng(3)
    names = [f"a_rather_long_predictor_name_{i}" for i in range(21)]
    frame = pd.DataFrame(rng.normal(size=(80, 21)), columns=names)
    frame["y"] = frame.sum(axis=1) + rng.normal(size=80)
    res = linmod.ols("y ~ " + " + ".join(names), data=frame)
    display = dg.plot_diagnostics(res, which="lm")
    width = display.figure.get_figwidth()
    title = display.figure._suptitle.get_text()
    assert title.count("\n") >= 2
    assert max(len(line) for line in title.splitlines()) <= 13 * width
    bare = dg.plot_diagnostics(res, which="lm", title=False)
    assert bare.figure._suptitle is None
