"""Formula names as R users expect: poly() columns, quoting hints, clear predict errors.

Issue 13, "Smaller".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.data.polynomial import r_column_names
from linmod.exceptions import InputError


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    x = rng.uniform(0, 3, size=40)
    return pd.DataFrame(
        {"x": x, "y": 1 + x - 0.5 * x**2 + 0.2 * x**3 + rng.normal(size=40),
         "g": np.array(["a", "b"])[np.arange(40) % 2]}
    )  # fmt: skip


def test_raw_poly_columns_are_named_like_r(data):
    res = linmod.ols("y ~ poly(x, 3, raw=True)", data=data)
    names = [f"poly(x, 3, raw=True){k}" for k in (1, 2, 3)]
    assert list(res.names) == ["Intercept", *names]
    ref = smf.ols("y ~ x + I(x**2) + I(x**3)", data=data).fit()
    assert_allclose(res.coef[names].to_numpy(), ref.params.to_numpy()[1:], rtol=1e-9)


def test_orthogonal_poly_columns_are_named_like_r(data):
    res = linmod.ols("y ~ poly(x, 2)", data=data)
    assert list(res.names) == ["Intercept", "poly(x, 2)1", "poly(x, 2)2"]


def test_poly_names_survive_save_load_predict_and_summary(tmp_path, data):
    res = linmod.ols("y ~ poly(x, 2, raw=True) + g", data=data)
    res.save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    assert model.terms == tuple(res.names)
    assert "poly(x, 2, raw=True)2" in model.summary()
    assert "poly(x, 2, raw=True)2" in res.summary()
    assert_allclose(model.predict(data)["fit"], res.fitted, rtol=1e-12)


def test_poly_names_when_streamed(tmp_path, data):
    path = tmp_path / "d.csv"
    data.to_csv(path, index=False)
    streamed = linmod.ols("y ~ poly(x, 2, raw=True)", data=str(path), chunksize=15)
    assert list(streamed.names) == ["Intercept", "poly(x, 2, raw=True)1", "poly(x, 2, raw=True)2"]


def test_r_column_names_leaves_other_terms_alone():
    names = ("Intercept", "x", "poly(z, 2)[1]", "poly(z, 2)[2]", "C(g)[T.b]")
    terms = {"1": [0], "x": [1], "poly(z, 2)": [2, 3], "C(g)": [4]}
    assert r_column_names(names, terms) == (
        "Intercept", "x", "poly(z, 2)1", "poly(z, 2)2", "C(g)[T.b]"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "quoted"),
    [
        ("y ~ my var", "`my var`"),
        ("y ~ x + price-usd", "`price-usd`"),
        ("my var ~ x", "`my var`"),
    ],
)
def test_names_needing_backticks_get_a_hint(formula, quoted):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"y": rng.normal(size=20), "my var": rng.normal(size=20),
         "price-usd": rng.normal(size=20), "x": rng.normal(size=20)}
    )  # fmt: skip
    with pytest.raises(InputError, match="must be quoted in a formula") as caught:
        linmod.ols(formula, data=frame)
    message = str(caught.value)
    assert quoted in message
    assert "Q(" in message
    assert "\n" not in message
    fixed = formula.replace("my var", "`my var`").replace("price-usd", "`price-usd`")
    assert linmod.ols(fixed, data=frame).n_obs == 20


@pytest.fixture(scope="module")
def fitted(data):
    return linmod.ols("y ~ np.log(x + 1) + C(g)", data=data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # formulaic raised FactorEvaluationError here before
        (lambda d: d.assign(x=pd.Categorical(d["x"])), r"cannot be evaluated on the new data: "
         r"FactorEvaluationError: .*check that the columns"),
        (lambda d: d.assign(g=[["a"]] * len(d)), r"column 'g' holds values such as \['a'\]"),
        (lambda d: d.assign(x=d["x"] + 1j), r"column 'x' holds complex numbers"),
        (lambda d: d.drop(columns="x"), r"new data lacks column\(s\) 'x'"),
        (lambda d: d.assign(g="c"), r"column 'g' has level\(s\) 'c' not seen"),
    ],
)  # fmt: skip
def test_predict_errors_are_clear(fitted, data, change, message, tmp_path):
    new = change(data)
    with pytest.raises(InputError, match=message):
        fitted.predict(new)
    fitted.save(tmp_path / "m.json")
    with pytest.raises(InputError):
        linmod.load(tmp_path / "m.json").predict(new)


def test_complex_features_are_refused_not_truncated(tmp_path):
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})
    res = linmod.ols(x, [1.0, 2.0, 2.5, 4.5])
    res.save(tmp_path / "a.json")
    loaded = linmod.load(tmp_path / "a.json")
    for model in (res, loaded):
        with pytest.raises(InputError, match=r"column 'a' holds complex numbers"):
            model.predict(x.assign(a=x["a"] + 1j))
    with pytest.raises(InputError, match=r"column 'a' holds complex numbers"):
        linmod.ols(x.assign(a=x["a"] + 1j), [1.0, 2.0, 2.5, 4.5])
    with pytest.raises(InputError, match=r"column 'a' holds complex numbers"):
        linmod.ols("y ~ a", data=x.assign(a=x["a"] + 1j, y=[1.0, 2.0, 2.5, 4.5]))


def test_a_python_keyword_column_inside_a_call_is_an_input_error_naming_q():
    # 'y ~ 0 + C(class) + x' (no intercept) leaves the fast path for formulaic, whose
    # parse raised a raw SyntaxError; and the advice for 'y ~ class + x' was 'write
    # C(class)', which is that very formula. Both now name C(Q('class')), which fits.
    rng = np.random.default_rng(5)
    n = 600
    frame = pd.DataFrame(
        {"class": rng.choice([f"L{i}" for i in range(60)], n), "x": rng.normal(size=n)}
    )
    frame["y"] = frame["x"] + rng.normal(size=n)
    with pytest.raises(InputError, match=r"write C\(Q\('class'\)\) if you mean"):
        linmod.ols("y ~ class + x", data=frame)
    # C(class) itself now means C(Q('class')) on every path (tests/data/test_keyword_factors.py)
    for formula in ("y ~ 0 + C(class) + x", "y ~ C(`class`):x"):
        res = linmod.ols(formula, data=frame)
        ref = smf.ols(formula.replace("`class`", "class").replace("(class)", "(Q('class'))"), frame)
        params = ref.fit().params
        assert res.coef.index.tolist() == params.index.tolist()
        assert_allclose(res.coef.to_numpy(), params.to_numpy(), rtol=1e-9, atol=1e-12)
    # a keyword in any other call is Python's syntax error, with the hint
    for formula in ("y ~ I(class) + x", "y ~ np.log(lambda) + x"):
        with pytest.raises(InputError, match=r"is a Python keyword.*write Q\('(class|lambda)'\)"):
            linmod.ols(formula, data=frame.assign(**{"lambda": 1.0 + frame["x"] ** 2}))
    res = linmod.ols("y ~ C(Q('class')) + x", data=frame)
    ref = smf.ols("y ~ C(Q('class')) + x", frame).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("formula", "renamed"),
    [
        ("y ~ np.log(lambda) + x", "y ~ np.log(lam) + x"),
        ("y ~ np.log(`lambda`) + I(x * 2)", "y ~ np.log(lam) + I(x * 2)"),
    ],
)
def test_the_keyword_hint_rewrites_the_formula_so_that_it_runs(formula, renamed):
    """The hint wrote 'e.g. C(Q('lambda'))' whatever the call; it now gives the formula
    with the keyword quoted where it stands, which fits as statsmodels does with the
    column renamed."""
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": rng.normal(size=80)})
    frame["lambda"] = 1.0 + frame["x"] ** 2
    frame["y"] = frame["x"] + rng.normal(size=80)
    with pytest.raises(InputError, match=r"write Q\('lambda'\) inside a call: ") as caught:
        linmod.ols(formula, data=frame)
    rewritten = str(caught.value).rsplit("inside a call: ", 1)[1]
    assert "Q('lambda')" in rewritten
    res = linmod.ols(rewritten, data=frame)
    ref = smf.ols(renamed, frame.rename(columns={"lambda": "lam"})).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
