"""``linmod.lasso(formula, alpha="aic" | "bic")`` and ``group_terms=True`` (issue 18).

References: scikit-learn's ``LassoLarsIC`` on the design pandas/formulaic builds (with and
without dividing by the columns' 1/n standard deviations), and the definition of a group
(a term's columns all zero or all non-zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LassoLarsIC
from sklearn.model_selection import KFold

import linmod
from linmod.exceptions import InputError

FORMULA = "y ~ x1 + x2 + x3 + C(g)"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(18)
    n = 150
    g = rng.choice(["a", "b", "c", "d"], size=n)
    frame = pd.DataFrame(
        {"x1": rng.normal(size=n), "x2": 10 * rng.normal(size=n), "x3": rng.normal(size=n), "g": g}
    )
    effect = pd.Series(g).map({"a": 0.0, "b": 0.0, "c": 0.8, "d": 0.0}).to_numpy()
    frame["y"] = 2 * frame["x1"] + 0.05 * frame["x2"] + effect + rng.normal(size=n)
    return frame


def _design(data: pd.DataFrame) -> np.ndarray:
    dummies = [(data["g"] == level).astype(float).to_numpy() for level in ("b", "c", "d")]
    return np.column_stack([data["x1"], data["x2"], data["x3"], *dummies])


@pytest.mark.parametrize("criterion", ["aic", "bic"])
def test_criterion_from_a_formula_standardises_by_default(data, criterion: str) -> None:
    x = _design(data)
    sd = x.std(axis=0)
    fit = linmod.lasso(FORMULA, data=data, alpha=criterion)
    ref = LassoLarsIC(criterion=criterion).fit(x / sd, data["y"])
    assert fit.standardize
    assert fit.rule == criterion
    assert fit.alpha == pytest.approx(ref.alpha_, rel=1e-10)
    np.testing.assert_allclose(fit.slopes.to_numpy(), ref.coef_ / sd, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fit.intercept, ref.intercept_, rtol=1e-10)
    text = fit.summary()
    assert f"smallest {criterion.upper()} on the Lasso path" in text
    assert f"{criterion.upper()} = " in text
    assert "noise variance" in text


def test_criterion_without_standardising_is_lasso_lars_ic(data) -> None:
    fit = linmod.lasso(FORMULA, data=data, alpha="bic", standardize=False)
    ref = LassoLarsIC(criterion="bic").fit(_design(data), data["y"])
    assert fit.alpha == pytest.approx(ref.alpha_, rel=1e-10)
    np.testing.assert_allclose(fit.slopes.to_numpy(), ref.coef_, rtol=1e-9, atol=1e-12)


def test_criterion_with_given_noise_variance(data) -> None:
    fit = linmod.lasso(FORMULA, data=data, alpha="aic", standardize=False, noise_variance=2.0)
    ref = LassoLarsIC(criterion="aic", noise_variance=2.0).fit(_design(data), data["y"])
    assert fit.alpha == pytest.approx(ref.alpha_, rel=1e-10)
    assert "noise variance 2 (given)" in fit.summary()


def test_a_factor_is_never_half_selected(data) -> None:
    columns = ["C(g)[T.b]", "C(g)[T.c]", "C(g)[T.d]"]
    half = 0
    for alpha in np.geomspace(0.5, 0.005, 12):
        plain = linmod.lasso(FORMULA, data=data, alpha=alpha, standardize=True)
        grouped = linmod.lasso(FORMULA, data=data, alpha=alpha, standardize=True, group_terms=True)
        kept = (grouped.coef[columns] != 0).sum()
        assert kept in (0, 3)
        half += int(0 < (plain.coef[columns] != 0).sum() < 3)
    assert half > 0  # the plain Lasso does half-select this factor


def test_selection_and_summary_name_whole_terms(data) -> None:
    fit = linmod.lasso(FORMULA, data=data, alpha=0.3, standardize=True, group_terms=True)
    table = fit.selection()
    assert table["group"].tolist() == ["x1", "x2", "x3", "C(g)", "C(g)", "C(g)"]
    text = fit.summary()
    assert "Terms selected as wholes (group Lasso): x1" in text
    assert "Terms dropped as wholes:" in text
    assert "C(g) (3 columns)" in text
    assert "x3" in text.split("Terms dropped as wholes:")[1]


def test_poly_and_interaction_terms_are_groups(data) -> None:
    fit = linmod.elastic_net(
        "y ~ poly(x2, 3) + C(g):x1 + x3", data=data, alpha=0.05, l1_ratio=0.8,
        standardize=True, group_terms=True,
    )  # fmt: skip
    groups = fit.selection()["group"].tolist()
    assert groups.count("poly(x2, 3)") == 3
    assert groups.count("C(g):x1") == 4
    for name in set(groups):
        values = fit.slopes.to_numpy()[[g == name for g in groups]]
        assert (values == 0).all() or (values != 0).all()


def test_group_terms_off_by_default_changes_nothing(data) -> None:
    a = linmod.lasso(FORMULA, data=data, alpha=0.1)
    b = linmod.lasso(FORMULA, data=data, alpha=0.1, group_terms=False)
    np.testing.assert_array_equal(a.coef.to_numpy(), b.coef.to_numpy())
    assert "group" not in a.selection().columns
    assert "Terms selected as wholes" not in a.summary()


def test_hostile_combinations(data, tmp_path) -> None:
    with pytest.raises(InputError, match="'bic' is not available with group_terms"):
        linmod.lasso(FORMULA, data=data, alpha="bic", group_terms=True)
    with pytest.raises(InputError, match="noise_variance= is used only by"):
        linmod.lasso(FORMULA, data=data, alpha=0.1, noise_variance=1.0)
    with pytest.raises(InputError, match="'aic' or 'bic'"):
        linmod.lasso(FORMULA, data=data, alpha="cp")
    with pytest.raises(InputError, match="alpha='bic' is not valid"):
        linmod.elastic_net(FORMULA, data=data, alpha="bic")
    with pytest.raises(InputError, match="group_terms='yes' is not valid"):
        linmod.lasso(FORMULA, data=data, alpha=0.1, group_terms="yes")
    path = tmp_path / "data.csv"
    data.to_csv(path, index=False)
    with pytest.raises(InputError, match="alpha='bic' needs the rows in memory"):
        linmod.lasso(FORMULA, data=str(path), alpha="bic")
    with pytest.raises(InputError, match="group_terms=True needs the rows in memory"):
        linmod.lasso(FORMULA, data=str(path), alpha=0.1, group_terms=True)


def test_wide_formula_needs_noise_variance() -> None:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(8, 9)), columns=[f"v{i}" for i in range(9)])
    with pytest.raises(InputError, match="n = 8 ≤ p \\+ intercept = 9"):
        linmod.lasso("v0 ~ .", data=frame, alpha="bic")
    fit = linmod.lasso("v0 ~ .", data=frame, alpha="bic", noise_variance=1.0)
    assert fit.rule == "bic"


@pytest.mark.parametrize("rule", ["cv", "1se"])
def test_group_terms_cross_validated(data, rule: str) -> None:
    fit = linmod.lasso(FORMULA, data=data, alpha=rule, group_terms=True, cv=4, seed=3)
    assert fit.standardize
    # By hand: the same grid, KFold(4, shuffle=True, random_state=3), held-out MSE.
    x = _design(data)
    ids = ["x1", "x2", "x3", "C(g)", "C(g)", "C(g)"]
    y = data["y"].to_numpy()
    grid = linmod.lasso_path(x, y, feature_groups=ids, standardize=True).alphas
    np.testing.assert_allclose(fit.cv.alphas_, grid, rtol=1e-12)
    errors = np.empty((grid.size, 4))
    for k, (train, test) in enumerate(KFold(4, shuffle=True, random_state=3).split(x)):
        for i, alpha in enumerate(grid):
            model = linmod.Lasso(alpha=alpha, standardize=True, feature_groups=ids)
            model.fit(x[train], y[train])
            errors[i, k] = np.mean((y[test] - model.predict(x[test])) ** 2)
    np.testing.assert_allclose(fit.cv.mse_path_, errors, rtol=1e-4)
    mean, se = errors.mean(axis=1), errors.std(axis=1, ddof=1) / 2.0
    best = int(np.argmin(mean))
    expected = grid[best] if rule == "cv" else grid[mean <= mean[best] + se[best]].max()
    assert fit.alpha == pytest.approx(expected, rel=1e-12)
    assert "CV: alpha_min" in fit.summary()
    groups = fit.selection()["group"].tolist()
    for name in set(groups):
        values = fit.slopes.to_numpy()[[g == name for g in groups]]
        assert (values == 0).all() or (values != 0).all()
