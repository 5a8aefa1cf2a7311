"""Gradient descent shows a progress bar over its epochs only when asked."""

from __future__ import annotations

import numpy as np
import pytest

from linmod import GDRegressor


@pytest.mark.filterwarnings("ignore::linmod.ConvergenceWarning")
@pytest.mark.parametrize(("method", "unit"), [("batch", "iterations"), ("sgd", "epochs")])
def test_progress_bar_over_epochs(capsys, method, unit):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=200)
    GDRegressor(method=method, max_epochs=50, schedule="step", random_state=0, progress=True).fit(
        x, y
    )
    err = capsys.readouterr().err
    assert f"{unit} [" in err
    assert "/50" in err
    assert err.endswith("\n")


def test_silent_by_default(capsys):
    x = np.arange(20.0)[:, None]
    GDRegressor().fit(x, 2 * x.ravel())
    assert capsys.readouterr().err == ""
