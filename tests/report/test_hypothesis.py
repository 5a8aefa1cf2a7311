"""Text renderings of tests, ANOVA tables and model comparisons (report/hypothesis.py)."""

from __future__ import annotations

import pandas as pd

from linmod.inference.anova import AnovaTable
from linmod.inference.model_comparison import ModelComparison
from linmod.report.hypothesis import render_anova, render_model_comparison


def test_anova_cells_follow_r():
    table = pd.DataFrame(
        {
            "Sum Sq": [1.0e3, 2.5, 10.0],
            "Df": [1, 2, 40],
            "F value": [400.0, 0.5, float("nan")],
            "Pr(>F)": [1e-20, 0.61, float("nan")],
        },
        index=["a", "b", "Residuals"],
    )
    text = render_anova(AnovaTable(table, 2, "y", "nonrobust"))
    lines = text.splitlines()
    assert lines[0] == "Anova Table (Type II tests)"
    assert "<2e-16 ***" in lines[4]
    assert lines[6].split() == ["Residuals", "10.0", "40"]  # NaN cells are blank, as R
    assert "Signif. codes" in lines[-1]


def test_no_stars_without_small_p_values():
    table = pd.DataFrame(
        {"Res.Df": [30.0, 29.0], "RSS": [5.0, 4.9], "Df": [float("nan"), 1.0]}
        | {"Sum of Sq": [float("nan"), 0.1], "F": [float("nan"), 0.6]}
        | {"Pr(>F)": [float("nan"), 0.44]},
        index=pd.RangeIndex(1, 3),
    )
    text = render_model_comparison(ModelComparison(table, "F", ("y ~ 1", "y ~ x")))
    assert "Signif. codes" not in text
    assert text.splitlines()[2:4] == ["Model 1: y ~ 1", "Model 2: y ~ x"]
    assert text.splitlines()[-1].split() == ["2", "29", "4.9", "1", "0.1", "0.6", "0.44"]
