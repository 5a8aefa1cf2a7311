"""``Lasso(feature_groups=...)`` / ``ElasticNet(feature_groups=...)``: hostile group ids,
groups of one (= the Lasso), and the selection listing (issue 18)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

import linmod
from linmod.exceptions import InputError


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 5))
    return x, x[:, 0] - x[:, 1] + 0.5 * rng.normal(size=60)


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        ([0, 0, 1, 1], "4 ids but X has 5 features"),
        ([], "0 ids but X has 5 features"),
        ([0, 0, 1, 1, 2, 2], "6 ids but X has 5"),
        ([0, 0, None, 1, 1], r"feature_groups\[2\] \(feature 'x2'\) is None"),
        ([0.0, 0.0, np.nan, 1.0, 1.0], r"feature_groups\[2\].*nan"),
        (["a", "a", "", "b", "b"], r"feature_groups\[2\].*''"),
        ([[0], [0], [1], [1], [2]], "1-D sequence of length 5"),
        ([0, 0, {"g": 1}, 1, 1], "not a valid group id"),
    ],
)
def test_bad_group_ids_are_refused(groups, message: str) -> None:
    x, y = _data()
    with pytest.raises(InputError, match=message):
        linmod.Lasso(alpha=0.1, feature_groups=groups).fit(x, y)


def test_a_string_is_not_a_list_of_groups() -> None:
    x, y = _data()
    with pytest.raises(InputError, match="feature_groups"):
        linmod.Lasso(alpha=0.1, feature_groups="aabbc").fit(x, y)


def test_positive_with_groups_is_refused() -> None:
    x, y = _data()
    with pytest.raises(InputError, match="positive=True"):
        linmod.Lasso(alpha=0.1, positive=True, feature_groups=[0, 0, 1, 1, 2]).fit(x, y)


def test_single_member_groups_equal_the_lasso_with_any_labels() -> None:
    x, y = _data()
    tight = {"tol": 1e-14, "max_iter": 100_000}
    plain = linmod.Lasso(alpha=0.05, standardize=True, **tight).fit(x, y)
    for labels in (list("abcde"), [4, 3, 2, 1, 0], np.arange(5)):
        grouped = linmod.Lasso(alpha=0.05, standardize=True, feature_groups=labels, **tight)
        grouped.fit(x, y)
        np.testing.assert_allclose(grouped.coef_, plain.coef_, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grouped.intercept_, plain.intercept_, rtol=1e-12)


def test_ridge_penalty_ignores_groups() -> None:
    x, y = _data()
    grouped = linmod.ElasticNet(alpha=0.3, l1_ratio=0.0, feature_groups=[0, 0, 1, 1, 1]).fit(x, y)
    plain = linmod.ElasticNet(alpha=0.3, l1_ratio=0.0).fit(x, y)
    np.testing.assert_allclose(grouped.coef_, plain.coef_, rtol=1e-12)


def test_selection_names_groups_and_drops_them_whole() -> None:
    x, y = _data()
    frame = pd.DataFrame(x, columns=["a1", "a2", "b1", "b2", "c"])
    model = linmod.Lasso(alpha=0.2, feature_groups=["A", "A", "B", "B", "C"]).fit(frame, y)
    table = model.selection_table()
    assert list(table.columns) == ["feature", "group", "coef", "status"]
    assert table["group"].tolist() == ["A", "A", "B", "B", "C"]
    for _, rows in table.groupby("group"):
        assert rows["status"].nunique() == 1
    assert table.loc[table["group"] == "A", "status"].iloc[0] == "selected"
    assert model.groups_.tolist() == ["A", "A", "B", "B", "C"]
    assert model.kkt_violation_ <= 1e-4


def test_clone_keeps_groups_and_predict_works() -> None:
    x, y = _data()
    model = linmod.Lasso(alpha=0.1, feature_groups=[0, 0, 1, 1, 2])
    fitted = clone(model).fit(x, y)
    assert fitted.get_params()["feature_groups"] == [0, 0, 1, 1, 2]
    np.testing.assert_allclose(fitted.predict(x), x @ fitted.coef_ + fitted.intercept_)
