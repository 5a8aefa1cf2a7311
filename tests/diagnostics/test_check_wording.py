"""check(): the Durbin-Watson alternative is R's default and labelled, VIF bands read
sensibly near 1, and remedies recommend only what linmod offers (issue 13, "Smaller")."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.diagnostics import collinearity

from ..conftest import load_dataset

REFERENCE = Path(__file__).resolve().parents[1] / "references" / "r" / "diagnostics_reference.json"
CASES = {k: v for k, v in json.loads(REFERENCE.read_text()).items() if not k.startswith("_")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_durbin_watson_in_check_is_r_dwtest_default_and_says_so(name):
    ref = CASES[name]
    entry = ref["dwtest_greater"]  # lmtest::dwtest(fit): alternative = "greater"
    if "error" in entry or entry["statistic"] is None:
        pytest.skip("R gave no value")
    res = linmod.ols(
        ref["linmod_formula"], data=load_dataset(ref["dataset"]), **ref.get("linmod_kwargs", {})
    )
    independence = res.check()["independence"]
    key = independence.key_test
    assert_allclose(key.p_value, entry["p_value"], rtol=1e-8)
    assert "rho > 0" in key.name  # the alternative, in the table and the test list
    assert "one-sided against rho > 0" in independence.reason
    assert "Durbin-Watson (H1: rho > 0)" in str(res.check())


def test_negative_autocorrelation_points_to_the_two_sided_test():
    n = 60
    rng = np.random.default_rng(3)
    x = rng.normal(size=n)
    e = np.where(np.arange(n) % 2 == 0, 1.0, -1.0) + 0.1 * rng.normal(size=n)  # rho ~ -1
    res = linmod.ols("y ~ x", data=pd.DataFrame({"x": x, "y": 1 + x + e}))
    independence = res.check()["independence"]
    assert independence.effect["rho"] < -0.5
    assert any("Breusch-Godfrey, two-sided" in note for note in independence.notes)
    assert independence.verdict != "ok"


def test_a_vif_near_one_is_negligible_not_moderate():
    # Two predictors with sample correlation about 0.08: VIF = 1 / (1 - r^2) ~ 1.006.
    rng = np.random.default_rng(0)
    n = 400
    a = rng.normal(size=n)
    b = rng.normal(size=n)
    data = pd.DataFrame({"a": a, "b": b, "y": a + b + rng.normal(size=n)})
    r = np.corrcoef(a, b)[0, 1]
    expected = 1.0 / (1.0 - r**2)  # the VIF of either predictor, by hand
    assert 1.0 < expected < 1.02
    res = linmod.ols("y ~ a + b", data=data)
    table = collinearity.gvif(res)
    assert_allclose(table["vif_equivalent"], [expected, expected], rtol=1e-10)
    assert list(table["band"]) == ["negligible", "negligible"]
    check = res.check()["multicollinearity"]
    assert "negligible" in check.reason
    assert "moderate" not in check.reason.split(";")[0]


@pytest.mark.parametrize(
    ("vif", "band"),
    [(1.0, "negligible"), (2.49, "negligible"), (2.5, "moderate"), (5.0, "high"), (10.0, "severe"),
     (10.1, "severe"), (np.inf, "severe")],
)  # fmt: skip
def test_vif_band_edges(vif, band):
    assert collinearity.vif_band(vif) == band


def test_remedies_recommend_only_what_linmod_offers():
    rng = np.random.default_rng(7)
    n = 300
    x = rng.uniform(1, 10, size=n)
    fits = {
        # spread grows with x: heteroskedastic
        "homoscedasticity": pd.DataFrame({"x": x, "y": 2 + x + x * rng.normal(size=n)}),
        # z nearly duplicates x
        "multicollinearity": pd.DataFrame(
            {"x": x, "z": x + rng.normal(scale=0.05, size=n), "y": x + rng.normal(size=n)}
        ),
        # one far, wrong point
        "influence": pd.DataFrame(
            {"x": np.append(x[:40], 60.0), "y": np.append(x[:40] + rng.normal(size=40), 0.0)}
        ),
    }
    text = ""
    for assumption, data in fits.items():
        formula = "y ~ x + z" if "z" in data else "y ~ x"
        check = linmod.ols(formula, data=data).check()[assumption]
        assert check.verdict != "ok", assumption
        text += " " + check.remedy.lower()
    for absent in ("weighted least squares", "m-estimation", "box-cox", "wls"):
        assert absent not in text
    assert "res.robust('hc3')" in text
    assert "res.bootstrap(method='wild')" in text
    assert "linmod.ridge" in text


def test_small_sample_normality_remedy_points_to_the_bootstrap():
    rng = np.random.default_rng(1)
    x = rng.normal(size=25)
    y = 1 + x + rng.exponential(size=25) ** 3  # strongly skewed errors, n < 100
    res = linmod.ols("y ~ x", data=pd.DataFrame({"x": x, "y": y}))
    normality = res.check()["normality"]
    assert normality.verdict != "ok"
    assert "use bootstrap intervals, which do not: res.bootstrap()" in normality.remedy
    assert "n = 25" in normality.remedy


def test_the_curvature_remedy_is_a_formula_fragment_that_fits():
    # A column whose name is not an identifier is backticked in the suggested I(...**2)
    # (QA: "I(price ($)**2)" could not be pasted), an expression is left as it is.
    import re

    import numpy as np
    import pandas as pd

    import linmod

    rng = np.random.default_rng(71)
    x = rng.uniform(0, 4, 80)
    frame = pd.DataFrame({"price ($)": x, "y": 1.0 + x**2 + 0.2 * rng.standard_normal(80)})
    report = linmod.ols("y ~ `price ($)`", data=frame).check()
    remedy = report.checks["linearity"].remedy
    square = re.search(r"a squared term (I\(.*?\*\*2\))", remedy).group(1)
    assert square == "I(`price ($)`**2)"
    refit = linmod.ols(f"y ~ `price ($)` + {square}", data=frame)
    assert refit.r_squared > 0.99


def test_reset_without_degrees_of_freedom_is_said_not_to_apply():
    """A model of one factor fits each group's mean: the fitted values take 3 values, whose
    squares and cubes are functions of the group and so in the design's span (RESET's
    F(0, n - 3)); the check says so instead of reporting 'explain 0.0%'."""
    import numpy as np
    import pandas as pd

    import linmod

    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"g": rng.choice(["a", "b", "c"], 90), "x": rng.standard_normal(90)})
    frame["y"] = frame["g"].map({"a": 1.0, "b": 2.0, "c": 4.0}) + rng.standard_normal(90)
    linearity = linmod.ols("y ~ C(g)", data=frame).check().linearity
    assert linearity.key_test.df[0] == 0
    assert linearity.reason.startswith("RESET does not apply")
    assert any("the fitted values take only 3 distinct values" in n for n in linearity.notes)
    numeric = linmod.ols("y ~ x", data=frame).check().linearity
    assert numeric.key_test.df[0] == 2
    assert not any("does not apply" in n for n in numeric.notes)
