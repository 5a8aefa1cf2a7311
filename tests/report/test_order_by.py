"""The report's independence checks and autocorrelation plot in a column's order (--order-by)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tsa.stattools import acf

import linmod
from linmod.analysis import analyse
from linmod.cli.main import main

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def weekly() -> pd.DataFrame:
    """AR(1) errors (rho 0.8) over 80 weeks, rows shuffled; the week is not a predictor."""
    rng = np.random.default_rng(11)
    n = 80
    errors = np.zeros(n)
    for t in range(1, n):
        errors[t] = 0.8 * errors[t - 1] + rng.standard_normal()
    x = rng.standard_normal(n)
    frame = pd.DataFrame({"week": np.arange(n), "x": x, "y": 1.0 + 2.0 * x + errors})
    return frame.sample(frac=1.0, random_state=5).reset_index(drop=True)


def _in_time_order(frame: pd.DataFrame) -> np.ndarray:
    res = linmod.ols("y ~ x", data=frame)  # residuals checked against statsmodels elsewhere
    return res.residuals.to_numpy()[np.argsort(frame["week"].to_numpy(), kind="stable")]


def test_analyse_orders_the_independence_tests_and_the_acf(weekly):
    analysis = analyse("y ~ x", weekly, order_by="week")
    independence = analysis.assumptions["independence"]
    ordered = _in_time_order(weekly)
    assert_allclose(independence.tests[0].statistic, durbin_watson(ordered), rtol=1e-10)
    assert independence.verdict != "ok"  # rho 0.8 in time order; shuffled rows hide it
    assert independence.notes[0] == "tests the residuals ordered by 'week'"
    panel = linmod.diagnostics.residual_acf(analysis.results, order_by="week")
    assert_allclose(panel, acf(ordered, nlags=panel.size - 1), rtol=1e-10, atol=1e-14)
    assert analyse("y ~ x", weekly).assumptions["independence"].verdict == "ok"


def test_report_command_takes_order_by(weekly, tmp_path, capsys):
    data = tmp_path / "weekly.csv"
    weekly.to_csv(data, index=False)
    page = tmp_path / "report.html"
    assert main(["report", str(data), "-f", "y ~ x", "--order-by", "week", "-o", str(page)]) == 0
    assert "Tests the residuals ordered by &#x27;week&#x27;" in page.read_text()
    assert main(["report", str(data), "-f", "y ~ x", "--order-by", "when", "-o", str(page)]) == 1
    assert "--order-by when: no such column" in capsys.readouterr().err
