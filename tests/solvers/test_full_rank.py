"""``check_full_rank``: the refusal of a design robust and quantile regression cannot fit,
made once per fit and naming a frame's columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod.solvers.full_rank as full_rank
import linmod.solvers.quantile as quantile_solver
from linmod.estimators.quantile import QuantileRegressor
from linmod.estimators.robust import HuberRegressor
from linmod.exceptions import InputError


def test_fewer_rows_than_columns_is_refused_plainly() -> None:
    x = np.random.default_rng(0).standard_normal((3, 5))
    with pytest.raises(InputError, match=r"^3 rows but 5 parameters: quantile regression needs"):
        full_rank.check_full_rank(x, None, "quantile regression")


def test_dependency_is_named_by_the_frames_columns_in_one_check(monkeypatch) -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.standard_normal((40, 3)), columns=["price", "size", "age"])
    X["double_price"] = 2 * X["price"]
    y = rng.standard_normal(40)
    calls = []
    original = full_rank.check_full_rank

    def counted(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(quantile_solver, "check_full_rank", counted)
    with pytest.raises(InputError, match=r"double_price = 2·price; quantile regression"):
        QuantileRegressor().fit(X, y)
    assert len(calls) == 1  # the estimator does not check the same design first
    assert list(calls[0]) == ["Intercept", "price", "size", "age", "double_price"]
    with pytest.raises(InputError, match=r"double_price = 2·price; robust regression"):
        HuberRegressor().fit(X, y)


def test_frame_estimators_name_their_coefficients_by_column() -> None:
    rng = np.random.default_rng(2)
    X = pd.DataFrame(rng.standard_normal((40, 2)), columns=["price", "size"])
    y = X["price"] - X["size"] + rng.standard_normal(40)
    for estimator in (QuantileRegressor(), HuberRegressor()):
        names = estimator.fit(X, y).results_.coef.index.tolist()
        assert names == ["Intercept", "price", "size"]
