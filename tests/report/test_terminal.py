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


@pytest.fixture(scope="module")
def cars_report():
    cars = pd.read_csv(DATA_DIR / "mtcars.csv")
    return linmod.ols("mpg ~ wt + hp + qsec + C(cyl)", data=cars).check()


def _words(text):
    return {word.rstrip(",;:") for word in text.split()}


def _cells(report):
    """Every word of the check table's cells (the values the table must show whole)."""
    from linmod.report.summary import format_p_value

    words = set()
    for check in report:
        key = check.key_test
        if key is not None:
            words |= set(f"{key.name}: {key.statistic_text}".split())
            words.add(format_p_value(key.p_value))
        words |= set(check.effect_text.split())
    return _words(" ".join(words))


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_assumption_checks_fit_the_width_and_end_once(cars_report, width):
    """QA item 7: at 80 columns every row went over two lines (the plain report, wrapped)
    and the overall verdict and remedies came twice (the plain report's and the table's)."""
    from linmod.report.terminal import assumption_table

    text = _render(assumption_table(cars_report), width)
    lines = text.splitlines()
    assert "…" not in text
    assert all(len(line.rstrip()) <= width for line in lines)
    assert text.count("Overall:") == 1
    assert text.count("Remedies") == 1
    remedy = [line for line in lines if line.startswith("Linearity: add curvature")]
    assert len(remedy) == 1  # the remedy of the violated check, once
    if width >= 80:  # the table, its cells wrapped at spaces, never cut
        assert "━" in text
        header = next(line for line in lines if line.startswith("assumption"))
        assert header.split() == [
            "assumption",
            "verdict",
            "key",
            "test",
            "p-value",
            "effect",
            "size",
        ]
    else:  # one plain line per check, going on below at spaces
        assert "━" not in text
        for check in cars_report:
            assert sum(line.startswith(f"{check.title}: {check.verdict};") for line in lines) == 1
    assert _cells(cars_report) <= _words(text)


def test_assumption_table_rows_at_80_columns(cars_report):
    """At 80 columns only the long cells wrap: the table is at most four lines a check."""
    from linmod.report.terminal import assumption_table

    lines = _render(assumption_table(cars_report), 80).splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("━"))
    body = lines[top + 1 : lines.index("", top)]
    verdicts = {"ok", "warning", "violated"}
    starts = [i for i, line in enumerate(body) if verdicts & set(line.split())]  # a check
    assert len(starts) == 6
    for check in cars_report:  # the names whole, e.g. "Influential observations"
        assert sum(line.startswith(f"{check.title} ") for line in body) == 1
    assert all(b - a <= 4 for a, b in zip(starts, [*starts[1:], len(body)], strict=True))


@pytest.mark.parametrize("width", [30, 40, 50, 60, 80, 120])
def test_comparison_table_fits_the_width_and_names_the_best_once(width):
    """QA item 7: at 40-60 columns `cv` printed fragments and its last line twice."""
    from linmod.model_selection import cross_validate_models
    from linmod.report.terminal import comparison_table

    cars = pd.read_csv(DATA_DIR / "mtcars.csv")
    comparison = cross_validate_models("mpg ~ wt + hp + disp + qsec", cars, folds=3, seed=0)
    text = _render(comparison_table(comparison), width)
    assert "…" not in text
    assert all(len(line.rstrip()) <= width for line in text.splitlines())
    assert text.count("Lowest held-out RMSE") == 1
    frame = comparison.to_frame()
    words = _words(text)
    for name, row in frame.iterrows():
        assert str(name) in words
        assert {f"{row['r2_mean']:.4f}", f"{row['r2_se']:.4f}"} <= words
    if width >= 50:
        assert "━" in text
    if width <= 30:
        assert "━" not in text


def test_a_table_too_narrow_for_its_longest_words_is_plain_text():
    from rich.text import Text

    from linmod.report.fitted_table import FittedColumn, FittedTable, share_width

    assert share_width([3, 4], [10, 9], [False, True], 6) is None
    assert share_width([3, 4], [10, 9], [False, True], 20) == [10, 9]
    assert share_width([3, 4], [10, 9], [False, True], 12) == [3, 9]  # `first` grows first
    assert share_width([3, 4], [10, 9], [False, False], 11) == [5, 6]  # then evenly
    table = FittedTable(
        Text("title"),
        [FittedColumn("name"), FittedColumn("words", wrap=True)],
        [["a", "several short words and averyveryverylongword"]],
        lambda width: f"plain at {width}",
    )
    assert "plain at 20" in _render(table, 20)
    wide = _render(table, 40)
    assert "averyveryverylongword" in wide
    assert "several short words" in wide.replace("\n", " ")
