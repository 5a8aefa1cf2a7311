"""The report sets a robust fit beside OLS when rows are outlying (issue 17)."""

from __future__ import annotations

import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.analysis import analyse
from linmod.report import render_html

from ..conftest import load_dataset


def test_an_outlier_brings_the_robust_comparison():
    data = load_dataset("mtcars")
    data.loc[3, "mpg"] = 80.0  # row 4: studentized residual far beyond 3
    analysis = analyse("mpg ~ wt + hp", data)
    assert analysis.influence.n_outlying >= 1
    robust = analysis.robust
    assert robust is not None
    ols = smf.ols("mpg ~ wt + hp", data=data).fit()
    assert_allclose(robust.table["ols"], ols.params, rtol=1e-10)
    huber = linmod.rlm("mpg ~ wt + hp", data=data)
    assert_allclose(robust.table["robust"], huber.coef, rtol=1e-13)
    assert_allclose(robust.table["shift"], (huber.coef - ols.params) / ols.bse, rtol=1e-9)
    assert robust.downweighted.index[0] == 4  # shown 1-based, lowest weight first
    html = render_html(analysis)
    assert "Robust fit beside OLS" in html
    assert "4 (0.05)" in html


def test_no_outlier_no_comparison():
    analysis = analyse("mpg ~ wt + hp", load_dataset("mtcars"))
    assert analysis.influence.n_outlying == 0
    assert analysis.robust is None
    assert "Robust fit beside OLS" not in render_html(analysis)
