"""check() and the diagnostic plots name rows 1-based, or by the frame's labels or id=.

Issue 13: rows are numbered as in R and a spreadsheet.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.diagnostics import outlier_test, plot_diagnostics

from ..conftest import load_dataset

FORMULA = "mpg ~ wt + hp"


@pytest.fixture(scope="module")
def reference():
    """statsmodels' Cook's distances and studentized residuals, by 0-based position."""
    data = load_dataset("mtcars")
    influence = smf.ols(FORMULA, data=data).fit().get_influence()
    cooks = np.asarray(influence.cooks_distance[0])
    student = np.asarray(influence.resid_studentized_external)
    return data, int(np.argmax(cooks)), int(np.argmax(np.abs(student)))


def test_check_names_rows_from_one(reference):
    data, worst_cook, worst_t = reference
    check = linmod.ols(FORMULA, data=data).check()["influence"]
    assert f"largest Cook's distance 0.424 (row {worst_cook + 1})" in check.reason
    assert f"(row {worst_t + 1}, Bonferroni" in check.reason
    # R: car::outlierTest(lm(mpg ~ wt + hp, mtcars)) names "Toyota Corolla", row 20.
    assert worst_t + 1 == 20
    assert data["model"][worst_t] == "Toyota Corolla"
    assert outlier_test(linmod.ols(FORMULA, data=data))["observation"] == 20


def test_check_names_rows_by_id(reference):
    data, worst_cook, worst_t = reference
    check = linmod.ols(FORMULA, data=data, id="model").check()["influence"]
    assert f"(row {data['model'][worst_cook]!r})" in check.reason
    assert f"(row {data['model'][worst_t]!r}, Bonferroni" in check.reason
    assert data["model"][worst_cook] in check.flagged


def test_check_keeps_a_frames_own_labels(reference):
    data, worst_cook, _ = reference
    labelled = data.set_index("model")
    check = linmod.ols(FORMULA, data=labelled).check()["influence"]
    assert f"(row {labelled.index[worst_cook]!r})" in check.reason


def _labels(display) -> set[str]:
    return {t.get_text() for ax in display.axes.values() for t in ax.texts}


def test_plot_labels_are_1_based_or_the_id(reference):
    data, worst_cook, worst_t = reference
    which = ["residuals_fitted", "qq", "residuals_leverage"]
    numbered = plot_diagnostics(linmod.ols(FORMULA, data=data), which=which)
    named = plot_diagnostics(linmod.ols(FORMULA, data=data, id="model"), which=which)
    try:
        assert {str(worst_cook + 1), str(worst_t + 1)} <= _labels(numbered)
        assert "0" not in _labels(numbered)
        assert {data["model"][worst_cook], data["model"][worst_t]} <= _labels(named)
    finally:
        plt.close(numbered.figure)
        plt.close(named.figure)
