"""Paths show a progress bar over the penalties when asked, and are silent otherwise."""

from __future__ import annotations

import numpy as np

import linmod


def test_lasso_path_progress_bar(capsys):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 4))
    y = x[:, 0] - x[:, 1] + 0.1 * rng.normal(size=50)
    linmod.lasso_path(x, y, alphas=12, progress=True)
    err = capsys.readouterr().err
    assert "penalties [" in err
    assert "12/12" in err
    linmod.lasso_path(x, y, alphas=12)
    linmod.enet_path(x, y, alphas=12, l1_ratio=0.5)
    assert capsys.readouterr().err == ""
