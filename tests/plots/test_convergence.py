"""The convergence figure is drawn from real runs at three learning rates."""

from __future__ import annotations

import numpy as np

import linmod
from linmod.plots import ConvergenceDisplay


def test_display_computes_then_draws(tmp_path):
    data = linmod.datasets.house_prices()
    X, y = data.drop(columns="price"), data["price"]
    display = ConvergenceDisplay.from_data(X, y, n_iter=50)
    assert display.diverged == (False, False, True)
    small, right, large = display.histories
    assert right[-1] < small[-1]  # the right rate gets lower, faster
    assert large[-1] > large[0]  # the large one climbs
    assert np.isclose(display.learning_rates[1], 1 / display.lipschitz)
    fig = display.plot()
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert any("diverges" in s for s in labels)
    assert any("too small" in s for s in labels)
    fig.savefig(tmp_path / "convergence.png")
    fig.savefig(tmp_path / "convergence.svg")
    assert (tmp_path / "convergence.png").stat().st_size > 1000
    assert (tmp_path / "convergence.svg").read_text().startswith("<?xml")


def test_convergence_function_returns_a_figure():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    fig = linmod.plots.convergence(
        X, X @ [1.0, 2.0] + rng.normal(size=40), learning_rates=[0.01, 0.1]
    )
    assert len(fig.axes[0].get_lines()) == 2
