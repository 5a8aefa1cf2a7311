"""check(): verdicts that weigh effect size with the p-value, remedies, conversions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod import diagnostics as dg

from ..conftest import load_dataset

ASSUMPTIONS = [
    "linearity",
    "independence",
    "homoscedasticity",
    "normality",
    "multicollinearity",
    "influence",
]


@pytest.fixture(scope="module")
def trees_report():
    return dg.check(linmod.ols("Volume ~ Girth + Height", data=load_dataset("trees")))


def test_report_structure(trees_report):
    assert list(trees_report.checks) == ASSUMPTIONS
    assert len(trees_report) == 6
    assert trees_report.linearity is trees_report["linearity"]
    assert [c.assumption for c in trees_report] == ASSUMPTIONS
    with pytest.raises(KeyError, match="no assumption"):
        trees_report["nope"]
    with pytest.raises(AttributeError):
        _ = trees_report.nope


def test_trees_is_curved(trees_report):
    # Volume grows like Girth^2 * Height: RESET rejects with a large effect, and the
    # remedy names the curved predictor.
    lin = trees_report.linearity
    assert lin.verdict == "violated"
    assert lin.effect_band == "large"
    assert lin.key_test.name == "RESET"
    assert "I(Girth**2)" in lin.remedy
    assert trees_report.verdict == "violated"
    assert "linearity" in trees_report.violated


def test_conversions(trees_report):
    frame = trees_report.to_frame()
    assert {"assumption", "verdict", "test", "statistic", "p_value", "effect"} <= set(frame)
    assert set(frame["assumption"]) == set(ASSUMPTIONS)
    assert frame["key_test"].sum() == 5  # multicollinearity has no test
    as_dict = trees_report.to_dict()
    assert json.loads(trees_report.to_json()) == as_dict
    assert as_dict["checks"]["linearity"]["tests"][0]["name"] == "RESET"
    text = str(trees_report)
    for title in ("Linearity", "Independence", "Homoscedasticity", "Normality"):
        assert title in text
    assert "Remedy:" in text
    assert "<table>" in trees_report._repr_html_()
    assert "linearity=violated" in repr(trees_report)


def test_refit_offers_robust_errors():
    data = load_dataset("longley")
    res = linmod.ols("Employed ~ GNP + Unemployed + `Armed.Forces` + Population + Year", data=data)
    report = dg.check(res)
    assert report.multicollinearity.verdict == "violated"
    assert "Ridge" in report.multicollinearity.remedy
    hc3 = report.refit("homoscedasticity")
    assert hc3.cov_type == "HC3"
    assert report.refit("independence").cov_type == "HAC"
    with pytest.raises(linmod.InputError, match="not a refit"):
        report.refit("multicollinearity")


def test_refit_default_needs_a_problem():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    report = dg.check(linmod.ols(x, x @ [1.0, -1.0] + rng.normal(size=200)))
    assert report.homoscedasticity.verdict == "ok"
    assert report.independence.verdict == "ok"
    with pytest.raises(linmod.InputError, match="no remedy here is a refit"):
        report.refit()


def _heteroskedastic(n: int, strength: float, seed: int = 0) -> linmod.OLSResults:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, size=n)
    noise = rng.normal(size=n) * (1 + strength * x)
    return linmod.ols(x[:, None], 1 + 2 * x + noise)


def test_large_n_negligible_departure_is_not_a_failure():
    # n = 100,000 and a variance that grows by 10% across the range: Breusch-Pagan is
    # hugely significant, but the effect (auxiliary R^2) is negligible, so the verdict is ok.
    report = dg.check(_heteroskedastic(100_000, 0.1))
    chk = report.homoscedasticity
    assert chk.key_test.p_value < 1e-6
    assert chk.effect["adj_auxiliary_r2"] < 0.02
    assert chk.verdict == "ok"
    assert "negligible" in chk.reason


def test_strong_heteroskedasticity_is_violated_and_refit_is_hc3():
    res = _heteroskedastic(2000, 8.0)
    report = dg.check(res)
    assert report.homoscedasticity.verdict == "violated"
    assert report.homoscedasticity.refit == {"kind": "HC3"}
    assert report.refit().cov_type == "HC3"


def test_small_sample_large_effect_is_a_warning():
    # Strong autocorrelation in 12 rows: large rho, not significant -> warning.
    rng = np.random.default_rng(2)
    e = np.zeros(12)
    for t in range(1, 12):
        e[t] = 0.9 * e[t - 1] + rng.normal()
    x = np.arange(12.0)
    res = linmod.ols(pd.DataFrame({"x": x}), 1 + 0.1 * x + e)
    chk = dg.check(res).independence
    assert abs(chk.effect["rho"]) >= 0.3
    if chk.key_test.p_value >= 0.05:
        assert chk.verdict == "warning"
    else:
        assert chk.verdict == "violated"


def test_influence_flags_rows_by_label():
    data = load_dataset("Duncan").set_index("occupation")
    report = dg.check(linmod.ols("prestige ~ income + education", data=data))
    chk = report.influence
    assert chk.verdict in ("warning", "violated")
    assert "minister" in chk.flagged
    assert "minister" in chk.remedy


def test_an_aliased_term_is_perfect_multicollinearity():
    # Found in QA: I(2*wt) was dropped as aliased, and the VIFs of the remaining columns
    # reported "no multicollinearity".  R's car::vif refuses such a model ("there are
    # aliased coefficients in the model").
    mtcars = load_dataset("mtcars")
    report = linmod.ols("mpg ~ wt + I(2*wt) + hp", data=mtcars).check()
    check = report["multicollinearity"]
    assert check.verdict == "violated"
    assert "perfect multicollinearity: I(2 * wt) = 2·wt" in check.reason
    assert "not estimable" in check.remedy
    assert linmod.ols("mpg ~ wt + hp", data=mtcars).check()["multicollinearity"].verdict == "ok"


def test_homoscedasticity_effect_is_adjusted_for_the_auxiliary_regressors():
    # A 100-level factor on 300 homoscedastic rows: the auxiliary R² of its 100 columns is
    # about 100/299 by chance alone, which the bands called a large departure.
    import pandas as pd
    import statsmodels.formula.api as smf
    from statsmodels.stats.diagnostic import het_breuschpagan

    rng = np.random.default_rng(8)
    n = 300
    frame = pd.DataFrame({"g": rng.integers(0, 100, n).astype(str), "x": rng.normal(size=n)})
    frame["y"] = 2.0 * frame["x"] + rng.normal(size=n)
    check = linmod.ols("y ~ x + C(g)", data=frame).check()
    fit = smf.ols("y ~ x + C(g)", data=frame).fit()
    lm, _, _, _ = het_breuschpagan(fit.resid, fit.model.exog)  # Koenker's, as R's bptest
    q = fit.model.exog.shape[1] - 1
    raw = lm / n
    assert raw > 0.13  # what the bands judged: "large"
    adjusted = 1.0 - (1.0 - raw) * (n - 1) / (n - q - 1)
    chk = check.homoscedasticity
    np.testing.assert_allclose(chk.effect["adj_auxiliary_r2"], max(adjusted, 0.0), rtol=1e-9)
    assert chk.effect_band != "large"
    assert f"before adjusting for their {q} degrees of freedom" in chk.reason


def test_rows_the_fit_reproduces_exactly_are_named():
    # A level seen once has leverage 1: residual 0 whatever its response, invisible to
    # every residual-based check; the influence entry said "max_leverage = 1 (negligible)".
    import pandas as pd
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(9)
    levels = np.r_[np.repeat(["a", "b", "c"], 20), ["d", "e"]]
    frame = pd.DataFrame({"g": levels, "x": rng.normal(size=levels.size)})
    frame["y"] = frame["x"] + rng.normal(size=levels.size)
    res = linmod.ols("y ~ x + C(g)", data=frame)
    hat = smf.ols("y ~ x + C(g)", data=frame).fit().get_influence().hat_matrix_diag
    exact = np.flatnonzero(hat > 1 - 1e-10) + 1  # 1-based, as linmod shows them
    assert exact.tolist() == [61, 62]
    (note,) = [n for n in res.check().influence.notes if "leverage 1" in n]
    assert note.startswith("2 row(s) have leverage 1 (61, 62): the fit reproduces them")
    assert not any(
        "leverage 1" in n for n in linmod.ols("y ~ x", data=frame).check().influence.notes
    )
