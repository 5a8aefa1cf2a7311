"""LassoCV / ElasticNetCV against scikit-learn, and the one-standard-error rule."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import linear_model
from sklearn.model_selection import KFold, ShuffleSplit

from linmod.regularization import ElasticNetCV, LassoCV
from linmod.solvers.penalty_cv import CVCurve, one_se_rule

from .datasets import assert_coef_close, diabetes, house, random_problem

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


def _hand_1se(alphas, mse_path):
    """glmnet's rule written out: mean and sd/√K over folds, largest α within 1 SE."""
    mean = mse_path.mean(axis=1)
    se = mse_path.std(axis=1, ddof=1) / np.sqrt(mse_path.shape[1])
    i_min = int(np.argmin(mean))
    candidates = [k for k in range(len(alphas)) if mean[k] <= mean[i_min] + se[i_min]]
    return alphas[i_min], max(alphas[k] for k in candidates)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("diabetes", diabetes()),
        ("house", tuple(a.to_numpy() for a in house())),
        ("p>n", random_problem(11, 40, 120, k=6)),
    ],
)
def test_lasso_cv_matches_sklearn(name, data):
    X, y = data
    ours = LassoCV(alphas=40, **TIGHT).fit(X, y)
    theirs = linear_model.LassoCV(alphas=40, cv=5, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-10)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-10)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)
    alpha_min, alpha_1se = _hand_1se(ours.alphas_, ours.mse_path_)
    assert ours.alpha_ == alpha_min
    assert ours.alpha_1se_ == alpha_1se
    assert ours.alpha_1se_ >= ours.alpha_


def test_elastic_net_cv_matches_sklearn_over_an_l1_ratio_grid():
    X, y = diabetes()
    ratios = [0.1, 0.5, 0.9, 1.0]
    ours = ElasticNetCV(l1_ratio=ratios, alphas=30, **TIGHT).fit(X, y)
    theirs = linear_model.ElasticNetCV(l1_ratio=ratios, alphas=30, cv=5, **TIGHT).fit(X, y)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-10)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-10)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)
    best = ratios.index(ours.l1_ratio_)
    assert ours.alpha_1se_ == _hand_1se(ours.alphas_[best], ours.mse_path_[best])[1]
    table = ours.cv_curve_
    assert table.shape == (4 * 30, 6)
    assert sorted(set(table["l1_ratio"])) == ratios


@pytest.mark.parametrize(
    "cv", [ShuffleSplit(4, test_size=0.3, random_state=0), KFold(3, shuffle=True, random_state=1)]
)
def test_any_sklearn_splitter(cv):
    # ShuffleSplit's test sets overlap (no single-pass Gram folds): the fallback is used.
    X, y = diabetes()
    ours = LassoCV(alphas=25, cv=cv, positive=True, **TIGHT).fit(X, y)
    theirs = linear_model.LassoCV(alphas=25, cv=cv, positive=True, **TIGHT).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-10)


def test_without_intercept_and_user_alphas():
    X, y = random_problem(12, 100, 15)
    alphas = [5.0, 1.0, 0.2, 0.04]
    ours = ElasticNetCV(l1_ratio=0.5, alphas=alphas, fit_intercept=False, **TIGHT).fit(X, y)
    theirs = linear_model.ElasticNetCV(
        l1_ratio=0.5, alphas=alphas, fit_intercept=False, cv=5, **TIGHT
    ).fit(X, y)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    assert ours.alpha_ == theirs.alpha_
    assert ours.intercept_ == 0.0


def test_cv_curve_table_is_the_mean_and_se_of_mse_path():
    X, y = diabetes()
    model = LassoCV(alphas=20, cv=4).fit(X, y)
    table = model.cv_curve_
    assert table.columns.tolist() == ["alpha", "mean_mse", "se_mse", "is_min", "is_1se"]
    np.testing.assert_allclose(table["mean_mse"], model.mse_path_.mean(axis=1), rtol=1e-14)
    np.testing.assert_allclose(
        table["se_mse"], model.mse_path_.std(axis=1, ddof=1) / 2.0, rtol=1e-12
    )
    assert table.loc[table["is_min"], "alpha"].item() == model.alpha_
    assert table.loc[table["is_1se"], "alpha"].item() == model.alpha_1se_
    assert model.best_score_ == -table["mean_mse"].min()


def test_one_se_rule_by_hand():
    alphas = np.array([8.0, 4.0, 2.0, 1.0, 0.5])
    mean = np.array([10.0, 6.0, 5.0, 4.0, 4.5])
    se = np.array([1.0, 1.0, 1.0, 1.5, 1.0])
    # minimum 4.0 at α = 1; threshold 4.0 + 1.5 = 5.5; largest α with mean ≤ 5.5 is 2
    assert one_se_rule(alphas, mean, se) == (3, 2)
    # ties at the minimum: the largest α wins (glmnet: max(lambda[cvm <= cvmin]))
    assert one_se_rule(alphas, np.array([3.0, 2.0, 2.0, 2.5, 2.0]), np.zeros(5)) == (1, 1)
    # order of the grid does not matter
    assert one_se_rule(alphas[::-1], mean[::-1], se[::-1]) == (1, 2)


def test_cv_curve_object():
    errors = np.array([[4.0, 6.0], [1.0, 3.0], [2.0, 2.0]])
    curve = CVCurve(alphas=np.array([3.0, 2.0, 1.0]), errors=errors, l1_ratio=1.0,
                    method="k-fold")  # fmt: skip
    np.testing.assert_allclose(curve.mean, [5.0, 2.0, 2.0])
    np.testing.assert_allclose(curve.se, [1.0, 1.0, 0.0])
    # minimum 2.0 at α = 2 (larger than α = 1 among ties); within 1 SE: 5 > 3, so α = 2
    assert curve.alpha_min == 2.0
    assert curve.alpha_1se == 2.0
    assert curve.to_frame()["l1_ratio"].tolist() == [1.0, 1.0, 1.0]


def test_lasso_cv_shows_a_progress_bar_over_the_folds_when_asked(capsys):
    import numpy as np

    import linmod

    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 4))
    y = x[:, 0] + 0.5 * rng.normal(size=120)
    linmod.LassoCV(cv=4, progress=True).fit(x, y)
    err = capsys.readouterr().err
    assert "CV folds [" in err
    assert "4/4" in err
    linmod.LassoCV(cv=4).fit(x, y)
    assert capsys.readouterr().err == ""


def _sparse_levels(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A count and the dummies of a 150-level factor on 260 rows (some levels absent, so
    their columns are zero, and many seen in one fold only), as `y ~ visits + C(store)`."""
    rng = np.random.default_rng(seed)
    n, levels = 260, 150
    store = rng.integers(0, levels, n)
    dummies = (store[:, None] == np.arange(1, levels)[None, :]).astype(float)
    visits = rng.poisson(5, n).astype(float)
    y = 100 + 12 * visits + rng.normal(0, 15, n)
    return np.column_stack([visits, dummies]), y


@pytest.mark.parametrize("standardize", [True, False])
def test_columns_constant_on_a_training_fold_do_not_stall_the_search(standardize):
    # Zero columns sent the fold products about the means; columns constant on a training
    # fold then kept rounding residue as their variance, standardising blew it up and
    # coordinate descent never reached tol (27-72 (fold, alpha) pairs warned, 50x slower).
    # The filterwarnings=error setting turns such a warning into a failure here.
    from sklearn.preprocessing import StandardScaler

    x, y = _sparse_levels()
    cv = KFold(3, shuffle=True, random_state=0)
    ours = LassoCV(cv=cv, standardize=standardize, tol=1e-10, max_iter=100_000).fit(x, y)
    # Reference: scikit-learn's path on each training fold, standardised on that fold
    # (StandardScaler keeps scale 1 for a column constant there), scored on its test fold.
    expected = np.empty((ours.alphas_.size, 3))
    for k, (train, test) in enumerate(cv.split(x)):
        scaler = StandardScaler(with_std=standardize).fit(x[train])
        xs, mean_y = scaler.transform(x[train]), y[train].mean()
        _, coefs, _ = linear_model.lasso_path(
            xs, y[train] - mean_y, alphas=ours.alphas_, tol=1e-10, max_iter=100_000
        )
        predicted = scaler.transform(x[test]) @ coefs + mean_y
        expected[:, k] = np.mean((y[test, None] - predicted) ** 2, axis=0)
    np.testing.assert_allclose(ours.mse_path_, expected, rtol=1e-6)
