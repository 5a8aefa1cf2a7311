"""R's coefficient matrix: printCoefmat and format.pval, string for string against R."""

from __future__ import annotations

import json
import math
import warnings

import pytest

from linmod.report.coefmat import (
    coefficient_cells,
    format_numbers,
    format_pval,
    layout_columns,
)

from ..conftest import ROOT

# Printed by R 4.2 (tests/references/r/generate_coefmat.R).
CASES = json.loads((ROOT / "references" / "r" / "coefmat_reference.json").read_text())
CASES.pop("_meta")
HEADER = ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", ""]


def _column(values: list[float | None]) -> list[float]:
    return [math.nan if v is None else v for v in values]


@pytest.mark.parametrize("case", sorted(CASES))
def test_coefficient_matrix_is_printed_as_r_prints_it(case):
    ref = CASES[case]
    cells = coefficient_cells(
        _column(ref["estimate"]),
        _column(ref["std_error"]),
        _column(ref["t_value"]),
        _column(ref["p_value"]),
    )
    rows = cells.rows(ref["names"])
    lines = layout_columns(HEADER[: len(rows[0])], rows)
    printed = ref["printed"]
    expected = printed[: printed.index("---")] if "---" in printed else printed
    assert lines == expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_p_values_follow_format_pval(case):
    ref = CASES[case]
    assert format_pval(_column(ref["p_value"]), 3) == ref["format_pval"]


def test_format_pval_by_hand():
    # every value under machine epsilon: "<2e-16" without a space (R's sep rule)
    assert format_pval([1e-20, 0.0], 3) == ["<2e-16", "<2e-16"]
    # next to a six-character p-value it stays without; next to a seven-character one
    # the floor gets its space
    assert format_pval([1e-20, 0.0123], 3) == ["<2e-16", "0.0123"]
    assert format_pval([1e-20, 0.001234], 3) == ["< 2e-16", "0.00123"]
    assert format_pval([math.nan, 0.5], 3) == ["NA", "0.5"]


def test_format_numbers_common_layout_by_hand():
    # the value needing most decimals sets them for all
    assert format_numbers([35.846, -0.02312], 4) == ["35.84600", "-0.02312"]
    # a range too wide for fixed notation turns scientific for the whole column
    assert format_numbers([1.5e9, 2.5e-7], 3) == ["1.5e+09", "2.5e-07"]
    assert format_numbers([math.nan, math.inf, 1.0], 3) == [" NA", "Inf", "  1"]


def test_layout_splits_columns_into_blocks_instead_of_cutting():
    rows = [["a_long_term_name", "1.00000", "2.00000", "3.000"]]
    lines = layout_columns(["", "Estimate", "Std. Error", "t value"], rows, width=36)
    assert lines == [
        "                 Estimate Std. Error",
        "a_long_term_name  1.00000    2.00000",
        "                 t value",
        "a_long_term_name   3.000",
    ]
    assert all(len(line) <= 36 for line in lines)


def test_estimates_of_extreme_magnitudes_keep_their_values():
    # A column of 1e300 and one of 1e-300 in one table: the common number of decimals
    # is 305 and numpy's round overflowed 1e298 * 10**305 to -Inf (printed as the
    # estimate, with a RuntimeWarning). R's round leaves such a value unchanged.
    estimate = [0.1082604, 1.213213e-302, -3.812540e298, 0.9953521]
    std_error = [0.3677758, 7.599580e-302, 7.840399e298, 0.007161531]
    t_value = [e / s for e, s in zip(estimate, std_error, strict=True)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cells = coefficient_cells(estimate, std_error, t_value, [0.77, 0.87, 0.63, 1e-20])
    for column, values in ((cells.estimate, estimate), (cells.std_error, std_error)):
        assert [float(c) for c in column] == pytest.approx(values, rel=1e-3)


def test_summary_of_extreme_magnitudes_matches_statsmodels_on_rescaled_columns():
    sm = pytest.importorskip("statsmodels.formula.api")
    import numpy as np
    import pandas as pd

    import linmod

    rng = np.random.default_rng(9)
    x = rng.normal(50, 10, 200)
    data = pd.DataFrame(
        {"big": rng.normal(size=200) * 1e300, "small": rng.normal(size=200) * 1e-300, "x": x}
    )
    data["y"] = x + rng.normal(size=200)
    # statsmodels' pinv fails at these magnitudes; rescale the columns, then undo it
    scaled = data.assign(big=data["big"] / 1e300, small=data["small"] * 1e300)
    ref = sm.ols("y ~ big + small + x", scaled).fit()
    expected = ref.params.to_numpy() * [1, 1e-300, 1e300, 1]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        text = linmod.ols("y ~ big + small + x", data=data).summary()
    row = next(line for line in text.splitlines() if line.startswith("small"))
    assert float(row.split()[1]) == pytest.approx(expected[2], rel=1e-3)
