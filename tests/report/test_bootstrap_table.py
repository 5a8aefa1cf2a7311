"""The bootstrap summary: what was resampled, the table, and its notes."""

from __future__ import annotations

import numpy as np

import linmod
from linmod.datasets import mtcars
from linmod.report.bootstrap_table import render_bootstrap


def test_wild_cluster_summary_names_the_clusters_weights_and_tests():
    data = mtcars()
    res = linmod.ols("mpg ~ wt + hp", data=data)
    boot = res.bootstrap(99, method="wild", groups=data["carb"].to_numpy(), seed=1, weights="webb")
    text = render_bootstrap(boot)
    lines = text.splitlines()
    assert lines[0] == "Bootstrap: wild cluster (one weight per cluster; 6 clusters), Webb weights"
    assert lines[1] == "99 replicates, seed 1; intervals at 0.95"
    assert "WCR p" in text
    assert "Note: t.lower/t.upper: WCU percentile-t interval" in text


def test_pairs_cluster_summary_and_narrow_width_keep_every_cell():
    data = mtcars()
    res = linmod.ols("mpg ~ wt + hp", data=data)
    boot = res.bootstrap(50, groups=data["gear"].to_numpy(), seed=2)
    text = render_bootstrap(boot, width=40)
    assert text.startswith("Bootstrap: pairs cluster (whole clusters resampled; 3 clusters)")
    table = text.split("\n\n")[1].splitlines()
    assert len(table) > 4  # the columns wrapped into blocks
    assert max(len(line) for line in table) <= 40
    assert f"{boot.std_err['wt']:.5f}"[:6] in text
    assert "too few replicates for this level" in text  # 50 replicates at 95%: extremes
    assert np.isfinite(boot.to_frame().to_numpy()).all()
