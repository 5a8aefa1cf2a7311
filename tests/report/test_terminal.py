"""Terminal tables laid out for the console width: no cell is ever cut with "…"."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

import linmod
from linmod.report.terminal import frame_table, results_tables

from ..conftest import DATA_DIR


def _render(renderable, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.fixture(scope="module")
def long_names():
    rng = np.random.default_rng(5)
    n = 60
    frame = pd.DataFrame(
        {
            "household_income_after_taxes_in_dollars": rng.normal(5e4, 1e4, n),
            "distance_to_the_nearest_train_station_km": rng.uniform(0, 30, n),
        }
    )
    frame["y"] = 3e-5 * frame.iloc[:, 0] - 0.2 * frame.iloc[:, 1] + rng.normal(0, 1, n) + 1000.0
    return linmod.ols("y ~ .", data=frame)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160])
def test_coefficient_table_never_cuts_a_cell(long_names, width):
    text = _render(results_tables(long_names), width)
    assert "…" not in text
    for line in text.splitlines():
        assert len(line.rstrip()) <= width
    if width < 60:  # narrower than a name and one number: lines go on below, as in R
        return
    for name in long_names.coef.index:
        assert name in text
    frame = long_names.to_frame()
    # R's format(round(t, 3), digits = 4) of t = 1466.97, 1.34, -12.38: two decimals
    # (four significant digits of -12.38 need two), whatever the layout
    for t in frame["t_value"]:
        assert f"{t:.2f}" in text


def test_layouts_by_width(long_names):
    wide = _render(results_tables(long_names), 160)
    assert "97.5 %" in wide  # intervals fit
    narrow = _render(results_tables(long_names), 60)
    assert "97.5 %" not in narrow
    # R's layout in column blocks: the names are repeated for each block
    assert narrow.count("household_income_after_taxes_in_dollars") >= 2


def test_frame_table_turns_to_plain_text_when_too_narrow():
    frame = pd.DataFrame(
        {"a_long_column_name": [1.23456789e-5], "another_long_name": [12345.678]}, index=["x"]
    )
    text = _render(frame_table(frame), 24)
    assert "…" not in text
    assert "1.235e-05" in text
    assert "1.235e+04" in text


@pytest.mark.parametrize("width", [60, 80, 100])
def test_assumption_checks_in_plain_text_never_split_a_number(width):
    """Too narrow for the table, the plain layout goes on below at spaces (issue 13)."""
    from linmod.report.terminal import assumption_table

    cars = pd.read_csv(DATA_DIR / "mtcars.csv")
    report = linmod.ols("mpg ~ wt + hp + qsec + C(cyl)", data=cars).check()
    text = _render(assumption_table(report), width)
    assert "…" not in text
    lines = text.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    if "━" in text:  # the table fits
        assert width >= 100
        return
    plain = str(report)
    assert len(max(plain.splitlines(), key=len)) > width  # so the plain layout is wrapped
    numbers = {w for w in plain.split() if any(c.isdigit() for c in w)}
    assert numbers <= set(text.split())  # every number of the plain report whole on a line
    assert any(line.startswith("    ") and not line.startswith("     ") for line in lines)
