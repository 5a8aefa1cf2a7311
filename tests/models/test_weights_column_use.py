"""A weights column is left out of ``y ~ .`` but may be named as a predictor (issue 15)."""

from __future__ import annotations

import numpy as np
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod

from ..conftest import load_dataset


def _cars():
    return load_dataset("mtcars").drop(columns=["model"], errors="ignore")


def test_named_weights_column_is_also_a_predictor_as_in_r():
    data = _cars()
    res = linmod.ols("mpg ~ hp + qsec", data=data, weights="qsec")
    ref = smf.wls("mpg ~ hp + qsec", data=data, weights=data["qsec"]).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-12)
    q = linmod.quantreg("mpg ~ hp + qsec", data=data, weights="qsec", se="nid")
    assert list(q.coef.index) == ["Intercept", "hp", "qsec"]
    r = linmod.rlm("mpg ~ hp + qsec", data=data, weights="qsec")
    assert list(r.coef.index) == ["Intercept", "hp", "qsec"]


def test_dot_leaves_the_weights_column_out_everywhere():
    data = _cars()
    expected = [c for c in data.columns if c not in ("mpg", "qsec")]
    assert list(linmod.ols("mpg ~ .", data=data, weights="qsec").coef.index[1:]) == expected
    ridge = linmod.ridge("mpg ~ .", data=data, weights="qsec", alpha=1.0)
    assert list(ridge.coef.index[1:]) == expected
    assert list(linmod.quantreg("mpg ~ .", data=data, weights="qsec").coef.index[1:]) == expected
    assert list(linmod.rlm("mpg ~ .", data=data, weights="qsec").coef.index[1:]) == expected
    assert np.isfinite(ridge.coef).all()
