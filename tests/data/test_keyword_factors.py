"""``C(class)`` on a column named like a Python keyword: the same fit, with the same
coefficient names, whether the design is built without formulaic (plain formulas) or
by formulaic (any other term), streamed from a file, predicted on and saved."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.data.keyword_names import quote_keyword_factors
from linmod.data.term_names import coded_column


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 60
    data = pd.DataFrame({"class": rng.choice(["a", "b", "c"], n), "x": rng.uniform(1, 3, n)})
    data["y"] = 1.0 + 0.5 * data["x"] + (data["class"] == "b") + rng.normal(0, 0.3, n)
    return data


def _statsmodels(formula: str, frame: pd.DataFrame) -> pd.Series:
    """statsmodels on the data with the column renamed to a name Python accepts."""
    renamed = frame.rename(columns={"class": "klass"})
    return smf.ols(formula.replace("class", "klass"), data=renamed).fit().params


_NAMES = ["Intercept", "C(Q('class'))[T.b]", "C(Q('class'))[T.c]"]


@pytest.mark.parametrize(
    ("formula", "last"),
    [
        ("y ~ C(class) + x", "x"),  # plain: encoded without formulaic
        ("y ~ C(`class`) + x", "x"),
        ("y ~ C(class) + I(x**2)", "I(x ** 2)"),  # formulaic encodes the design
        ("y ~ C(class) + np.log(x)", "np.log(x)"),
    ],
)
def test_a_keyword_factor_fits_alike_on_both_paths(frame, formula, last):
    res = linmod.ols(formula, data=frame)
    assert res.coef.index.tolist() == [*_NAMES, last]
    expected = _statsmodels(formula.replace("`", ""), frame)
    assert_allclose(res.coef.to_numpy(), expected.to_numpy(), rtol=1e-10)


def test_the_names_can_be_typed_back_and_the_model_predicts_and_saves(frame, tmp_path):
    res = linmod.ols("y ~ C(class) + x", data=frame)
    again = linmod.ols("y ~ C(Q('class')) + x", data=frame)  # the names typed back
    assert again.coef.index.tolist() == res.coef.index.tolist()
    new = pd.DataFrame({"class": ["c", "a"], "x": [2.0, 1.5]})
    renamed = frame.rename(columns={"class": "klass"})
    expected = (
        smf.ols("y ~ C(klass) + x", data=renamed)
        .fit()
        .predict(new.rename(columns={"class": "klass"}))
    )
    assert_allclose(res.predict(new)["fit"].to_numpy(), expected.to_numpy(), rtol=1e-10)
    res.save(tmp_path / "m.json")
    loaded = linmod.load(tmp_path / "m.json")
    assert_allclose(loaded.predict(new)["fit"].to_numpy(), expected.to_numpy(), rtol=1e-10)


def test_a_streamed_fit_reads_it_alike(frame, tmp_path):
    frame.to_csv(tmp_path / "d.csv", index=False)
    res = linmod.ols("y ~ C(class) + x", data=str(tmp_path / "d.csv"), chunksize=25)
    assert res.coef.index.tolist() == [*_NAMES, "x"]
    expected = _statsmodels("y ~ C(class) + x", frame)
    assert_allclose(res.coef.to_numpy(), expected.to_numpy(), rtol=1e-10)


def test_only_keyword_factors_are_rewritten():
    assert quote_keyword_factors("y ~ C(lambda, Treatment('b')) + if") == (
        "y ~ C(Q('lambda'), Treatment('b')) + if"
    )
    unchanged = "y ~ C(g) + C(True) + `C(class)` + I(x if x > 0 else 0) + myC(class)"
    assert quote_keyword_factors(unchanged) == unchanged
    assert coded_column("C(Q('class'))") == "class"
    assert coded_column("C(Q('1'), Treatment('b'))") == "1"
