"""The variance of a new observation in prediction intervals: pred_var=, as R's pred.var.

R's numbers come from tests/references/r/generate_presentation.R
(``predict(fit, new, interval = "prediction", pred.var = ...)``).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.inference.prediction_variance import ConstantVarianceWarning

from ..conftest import load_dataset

REFERENCE = Path(__file__).resolve().parents[1] / "references" / "r" / "presentation_reference.json"


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text())["pred_var"]


@pytest.fixture(scope="module")
def mtcars():
    return load_dataset("mtcars")


@pytest.mark.parametrize("which", ["constant", "per_row"])
def test_pred_var_matches_r(reference, mtcars, which, tmp_path):
    res = linmod.ols(reference["formula"], data=mtcars)
    new = mtcars.iloc[reference["rows"]]
    table = res.predict(new, interval="prediction", pred_var=reference[which])
    assert_allclose(table["lower"], reference[f"{which}_lower"], rtol=1e-12)
    assert_allclose(table["upper"], reference[f"{which}_upper"], rtol=1e-12)
    assert "given" in table.attrs["pred_var"]
    res.save(tmp_path / "m.json")
    saved = linmod.load(tmp_path / "m.json").predict(
        new, interval="prediction", pred_var=reference[which]
    )
    assert_allclose(saved["lower"], reference[f"{which}_lower"], rtol=1e-12)


def test_default_is_sigma_squared_and_the_table_says_so(mtcars):
    res = linmod.ols("mpg ~ wt + hp", data=mtcars)
    new = mtcars.head(3)
    table = res.predict(new, interval="prediction")
    explicit = res.predict(new, interval="prediction", pred_var=res.sigma**2)
    assert_allclose(table[["lower", "upper"]], explicit[["lower", "upper"]], rtol=1e-14)
    assert table.attrs["pred_var"].startswith(f"sigma^2 = {res.sigma**2:.6g}")


def test_a_robust_fit_warns_that_the_new_observation_variance_is_constant(mtcars):
    res = linmod.ols("mpg ~ wt + hp", data=mtcars).robust("HC3")
    new = mtcars.head(3)
    with pytest.warns(ConstantVarianceWarning, match=r"HC3 standard errors.*pass pred_var="):
        table = res.predict(new, interval="prediction")
    assert "HC3" in table.attrs["pred_var"]
    # The interval is x0' V_HC3 x0 + sigma^2, V_HC3 from statsmodels (test-only reference).
    sm = smf.ols("mpg ~ wt + hp", data=mtcars).fit(cov_type="HC3")
    x0 = np.column_stack([np.ones(3), new["wt"], new["hp"]])
    variance = np.einsum("ij,jk,ik->i", x0, sm.cov_params().to_numpy(), x0) + sm.scale
    from scipy import stats

    half = stats.t.ppf(0.975, sm.df_resid) * np.sqrt(variance)
    assert_allclose(table["upper"] - table["fit"], half, rtol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # given explicitly: no warning
        res.predict(new, interval="prediction", pred_var=[1.0, 2.0, 3.0])
        res.predict(new, interval="confidence")


@pytest.mark.parametrize(
    ("pred_var", "message"),
    [
        (-1.0, "pred_var holds -1.0: a variance must be a finite number >= 0"),
        ([1.0, np.nan, 1.0], "at row 2"),
        ([1.0, 2.0], r"shape \(2,\): give one variance, or one per new row \(3\)"),
        ("big", "not a number"),
    ],
)
def test_bad_pred_var_is_refused(mtcars, pred_var, message):
    res = linmod.ols("mpg ~ wt + hp", data=mtcars)
    with pytest.raises(linmod.InputError, match=message):
        res.predict(mtcars.head(3), interval="prediction", pred_var=pred_var)


def test_pred_var_without_a_prediction_interval_is_refused(mtcars, tmp_path):
    res = linmod.ols("mpg ~ wt + hp", data=mtcars)
    with pytest.raises(linmod.InputError, match="only with interval='prediction'"):
        res.predict(mtcars.head(3), interval="confidence", pred_var=1.0)
    res.save(tmp_path / "m.json")
    with pytest.raises(linmod.InputError, match="only with interval='prediction'"):
        linmod.load(tmp_path / "m.json").predict(mtcars.head(3), pred_var=1.0)


def test_huge_responses_keep_finite_intervals_and_words(mtcars):
    # sigma^2 of a response near 1e200 is beyond float64: the interval is formed in scaled
    # units and the table's words show sigma instead of overflowing.
    big = mtcars.assign(mpg=mtcars["mpg"] * 1e200)
    res = linmod.ols("mpg ~ wt + hp", data=big)
    small = linmod.ols("mpg ~ wt + hp", data=mtcars)
    table = res.predict(big.head(2), interval="prediction")
    expected = small.predict(mtcars.head(2), interval="prediction") * 1e200
    assert_allclose(table[["lower", "upper"]], expected[["lower", "upper"]], rtol=1e-12)
    assert table.attrs["pred_var"].startswith(f"sigma^2 = ({small.sigma * 1e200:.6g})^2")
    given = res.predict(big.head(2), interval="prediction", pred_var=small.sigma**2 * 1e300)
    assert np.isfinite(given[["lower", "upper"]].to_numpy()).all()
