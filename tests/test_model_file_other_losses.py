"""Model files of quantile and robust regressions: saved, loaded, predicting (issue 17)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod

from .conftest import load_dataset


@pytest.mark.parametrize(
    "fit",
    [
        lambda data: linmod.quantreg("mpg ~ wt + C(cyl)", data=data, q=0.75),
        lambda data: linmod.rlm("mpg ~ wt + hp", data=data, norm="bisquare"),
    ],
    ids=["quantreg", "rlm"],
)
def test_formula_fits_round_trip(fit, tmp_path):
    data = load_dataset("mtcars")
    res = fit(data)
    res.save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    assert_allclose(model.predict(data.iloc[:5])["fit"], res.predict(data.iloc[:5]), rtol=1e-15)
    assert_allclose(model.coefficients, res.coef, rtol=0, atol=0)
    assert model.params is not None
    assert model.estimator in ("quantreg", "rlm")
    with pytest.raises(linmod.InputError, match="no covariance matrix"):
        model.predict(data.iloc[:5], interval="confidence")


def test_estimators_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 2))
    y = X @ [1.0, -1.0] + rng.standard_t(3, 60)
    for estimator in (linmod.QuantileRegressor(quantile=0.3), linmod.HuberRegressor()):
        estimator.fit(X, y).save(tmp_path / "e.json")
        loaded = linmod.load(tmp_path / "e.json")
        assert_allclose(loaded.predict(X[:4])["fit"], estimator.predict(X[:4]), rtol=1e-14)
