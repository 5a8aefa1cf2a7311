"""``Lasso(alpha="aic" | "bic")`` against scikit-learn's ``LassoLarsIC`` (issue 18).

The references are ``LassoLarsIC`` itself (its own LARS path and criterion code) and, for
the criterion's formula, a recomputation by hand from ``lars_path``'s knots.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LassoLarsIC, lars_path

import linmod
from linmod.exceptions import ConvergenceWarning, InputError

TIGHT = {"rtol": 1e-10}


def _seeded(seed: int, n: int = 80, p: int = 12) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * rng.uniform(0.1, 10.0, size=p)
    beta = np.zeros(p)
    beta[:4] = [3.0, -2.0, 1.0, 0.5]
    return x, x @ beta + 5.0 + rng.normal(size=n)


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    return [load_diabetes(return_X_y=True), _seeded(1), _seeded(2, n=200, p=30)]


def _assert_like(model: linmod.Lasso, ref: LassoLarsIC, coef_scale: np.ndarray | float = 1.0):
    np.testing.assert_allclose(model.alpha_, ref.alpha_, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(model.alphas_, ref.alphas_, rtol=1e-10, atol=1e-13 * ref.alphas_[0])
    np.testing.assert_allclose(model.criterion_, ref.criterion_, **TIGHT)
    np.testing.assert_allclose(model.noise_variance_, ref.noise_variance_, **TIGHT)
    expected = ref.coef_ / coef_scale
    np.testing.assert_allclose(
        model.coef_, expected, rtol=1e-9, atol=1e-12 * np.abs(expected).max()
    )
    np.testing.assert_allclose(model.intercept_, ref.intercept_, rtol=1e-10)


@pytest.mark.parametrize("criterion", ["aic", "bic"])
@pytest.mark.parametrize("case", range(3))
def test_matches_lasso_lars_ic(criterion: str, case: int) -> None:
    x, y = _cases()[case]
    model = linmod.Lasso(alpha=criterion).fit(x, y)
    _assert_like(model, LassoLarsIC(criterion=criterion).fit(x, y))
    assert model.dual_gap_ < 1e-12 * float(np.var(y))


@pytest.mark.parametrize("criterion", ["aic", "bic"])
def test_standardize_is_lasso_lars_ic_on_standardised_columns(criterion: str) -> None:
    x, y = _seeded(4)
    sd = x.std(axis=0)  # glmnet's 1/n standard deviation
    model = linmod.Lasso(alpha=criterion, standardize=True).fit(x, y)
    _assert_like(model, LassoLarsIC(criterion=criterion).fit(x / sd, y), coef_scale=sd)
    # Without standardising, columns of different scales choose differently.
    plain = linmod.Lasso(alpha=criterion).fit(x, y)
    assert plain.alphas_.shape != model.alphas_.shape or not np.allclose(
        plain.alphas_, model.alphas_
    )


def test_criterion_formula_by_hand() -> None:
    x, y = load_diabetes(return_X_y=True)
    n, p = x.shape
    xc, yc = x - x.mean(0), y - y.mean()
    alphas, _, coefs = lars_path(xc, yc, method="lasso")
    beta = np.linalg.lstsq(xc, yc, rcond=None)[0]
    sigma2 = float(np.sum((yc - xc @ beta) ** 2)) / (n - p - 1)
    rss = np.sum((yc[:, None] - xc @ coefs) ** 2, axis=0)
    df = (coefs != 0).sum(axis=0)
    bic = n * math.log(2 * math.pi * sigma2) + rss / sigma2 + math.log(n) * df
    model = linmod.Lasso(alpha="bic").fit(x, y)
    np.testing.assert_allclose(model.criterion_, bic, rtol=1e-10)
    assert model.alpha_ == pytest.approx(alphas[np.argmin(bic)], rel=1e-10)


def test_given_noise_variance_and_wide_data() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=(25, 40))
    y = x[:, :3] @ [2.0, -1.0, 1.5] + 0.3 * rng.normal(size=25)
    with pytest.raises(InputError, match=r"n = 25 ≤ p \+ intercept = 41.*noise_variance"):
        linmod.Lasso(alpha="bic").fit(x, y)
    model = linmod.Lasso(alpha="bic", noise_variance=0.09).fit(x, y)
    ref = LassoLarsIC(criterion="bic", noise_variance=0.09).fit(x, y)
    np.testing.assert_allclose(model.alpha_, ref.alpha_, rtol=1e-10)
    np.testing.assert_allclose(model.coef_, ref.coef_, rtol=1e-9, atol=1e-12)
    assert model.noise_variance_ == 0.09


def test_n_equal_p_plus_one_is_refused_without_intercept_allowed() -> None:
    x, y = _seeded(6, n=13, p=12)
    with pytest.raises(InputError, match="noise_variance"):
        linmod.Lasso(alpha="aic").fit(x, y)
    model = linmod.Lasso(alpha="aic", fit_intercept=False).fit(x, y)
    ref = LassoLarsIC(criterion="aic", fit_intercept=False).fit(x, y)
    np.testing.assert_allclose(model.alpha_, ref.alpha_, rtol=1e-9, atol=1e-14)


def test_positive_matches_lasso_lars_ic() -> None:
    x, y = load_diabetes(return_X_y=True)
    model = linmod.Lasso(alpha="bic", positive=True).fit(x, y)
    ref = LassoLarsIC(criterion="bic", positive=True).fit(x, y)
    np.testing.assert_allclose(model.alpha_, ref.alpha_, rtol=1e-10)
    np.testing.assert_allclose(model.noise_variance_, ref.noise_variance_, rtol=1e-10)
    assert (model.coef_ >= 0).all()


def test_rescaled_data_give_the_same_choice() -> None:
    x, y = _seeded(7)
    base = linmod.Lasso(alpha="bic").fit(x, y)
    big = linmod.Lasso(alpha="bic").fit(x * 2.0**500, y * 2.0**500)  # squares overflow
    np.testing.assert_allclose(big.alphas_, base.alphas_ * 2.0**1000, rtol=1e-12)
    np.testing.assert_allclose(big.coef_, base.coef_, rtol=1e-10)
    np.testing.assert_allclose(big.noise_variance_, base.noise_variance_ * 2.0**1000, rtol=1e-10)
    # Only the constant n·log(2πσ²) moves, by n·log(2^1000).
    n = x.shape[0]
    np.testing.assert_allclose(
        big.criterion_ - base.criterion_, n * 1000 * math.log(2.0), rtol=1e-10
    )


def test_hostile_options() -> None:
    x, y = _seeded(8)
    with pytest.raises(InputError, match="sample_weight"):
        linmod.Lasso(alpha="bic").fit(x, y, sample_weight=np.ones(x.shape[0]))
    with pytest.raises(InputError, match="noise_variance"):
        linmod.Lasso(alpha="bic", noise_variance=0.0).fit(x, y)
    with pytest.raises(InputError, match="alpha"):
        linmod.Lasso(alpha="cp").fit(x, y)
    with pytest.raises(InputError, match="alpha"):
        linmod.ElasticNet(alpha="bic").fit(x, y)
    with pytest.raises(InputError, match="feature_groups"):
        linmod.Lasso(alpha="bic", feature_groups=list(range(x.shape[1]))).fit(x, y)
    # An exact least-squares fit has noise variance 0: the criterion is undefined.
    exact = x[:, :3] @ [1.0, 2.0, 3.0]
    with pytest.raises(InputError, match="undefined"):
        linmod.Lasso(alpha="bic").fit(x, exact)


def test_max_iter_caps_the_knots_with_a_warning() -> None:
    x, y = load_diabetes(return_X_y=True)
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        model = linmod.Lasso(alpha="aic", max_iter=3).fit(x, y)
    ref = LassoLarsIC(criterion="aic", max_iter=3).fit(x, y)
    np.testing.assert_allclose(model.alphas_, ref.alphas_, rtol=1e-10)
    np.testing.assert_allclose(model.alpha_, ref.alpha_, rtol=1e-10)


def test_predict_and_selection_after_bic() -> None:
    x, y = _seeded(9)
    model = linmod.Lasso(alpha="bic").fit(x, y)
    np.testing.assert_allclose(model.predict(x), x @ model.coef_ + model.intercept_)
    table = model.selection_table()
    assert (table["status"] == "selected").sum() == np.count_nonzero(model.coef_)
