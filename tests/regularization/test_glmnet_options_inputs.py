"""penalty_factor, lower/upper and relax: hostile inputs, and identities checked against
independent solvers (scikit-learn's Lasso, scipy's bounded least squares, numpy's lstsq)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import lsq_linear
from sklearn.base import clone
from sklearn.linear_model import Lasso as SkLasso
from sklearn.utils.estimator_checks import parametrize_with_checks

import linmod
from linmod.exceptions import InputError
from linmod.regularization import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    RelaxedLassoCV,
    lasso_path,
)

from .datasets import assert_coef_close, random_problem

X, Y = random_problem(3, 120, 6, k=3)
NAMES = [f"f{j}" for j in range(6)]
FRAME = pd.DataFrame(X, columns=NAMES)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"penalty_factor": [1.0, 2.0, 3.0]}, "penalty_factor has 3 values but X has 6 features"),
        ({"penalty_factor": [1, 1, -1, 1, 1, 1]}, "feature 'f2' is negative"),
        ({"penalty_factor": [1, 1, 1, np.nan, 1, 1]}, "feature 'f3' is NaN"),
        ({"penalty_factor": [0.0] * 6}, "penalty_factor is 0 for every feature"),
        ({"penalty_factor": "abc"}, "'penalty_factor' parameter .* must be an array-like"),
        ({"lower": [0, 0, 0.5, 0, 0, 0]}, "lower bound of feature 'f2' is 0.5 > 0"),
        ({"upper": -1.0}, "upper bound of feature 'f0' is -1.0 < 0"),
        ({"upper": [1, 1, 1, 1, np.nan, 1]}, "upper bound of feature 'f4' is NaN"),
        ({"lower": [-1.0, -1.0]}, "lower has 2 values but X has 6 features"),
    ],
)
@pytest.mark.parametrize("cls", [Lasso, ElasticNet, LassoCV, ElasticNetCV, RelaxedLassoCV])
def test_bad_options_are_refused_with_the_feature_named(cls, options, message):
    with pytest.raises(InputError, match=message):
        cls(**options).fit(FRAME, Y)


def test_bad_options_are_refused_by_the_paths_and_formulas():
    with pytest.raises(InputError, match="feature 'f1' is negative"):
        lasso_path(FRAME, Y, penalty_factor=[1, -2, 1, 1, 1, 1])
    with pytest.raises(InputError, match="lower bound of feature 'f0'"):
        lasso_path(FRAME, Y, lower=1.0)
    with pytest.raises(InputError, match=r"gamma=1\.5 is not valid"):
        lasso_path(FRAME, Y, relax=True, gamma=1.5)
    with pytest.raises(InputError, match="gamma"):
        Lasso(relax=True, gamma=-0.1).fit(FRAME, Y)
    data = FRAME.assign(y=Y, g=np.arange(120) % 3)
    with pytest.raises(InputError, match=r"names 'f9', 'x', which are not a term or column"):
        linmod.lasso("y ~ f0 + f1", data=data, alpha=0.1, penalty_factor={"f9": 0, "x": 1})
    with pytest.raises(InputError, match=r"upper\['f0'\] must be a number"):
        linmod.lasso("y ~ f0 + f1", data=data, alpha=0.1, upper={"f0": "big"})
    with pytest.raises(InputError, match="not supported for streamed or Dask data"):
        linmod.lasso("y ~ f0 + f1", data=[data.iloc[:60], data.iloc[60:]], alpha=0.1,
                     penalty_factor={"f0": 0})  # fmt: skip


def test_new_parameters_are_scikit_learn_parameters():
    model = Lasso(penalty_factor=[1, 0, 1, 1, 1, 1], lower=-1.0, relax=True, gamma=0.5)
    params = clone(model).get_params()
    assert params["penalty_factor"] == [1, 0, 1, 1, 1, 1]
    assert (params["lower"], params["upper"], params["relax"], params["gamma"]) == (
        -1.0, None, True, 0.5,
    )  # fmt: skip


def test_penalty_factor_is_glmnets_rescaled_column_scaling():
    # With factors v summing to p, v_j|b_j| on x_j is |b'_j| on x_j / v_j (b' = v_j b_j):
    # scikit-learn's Lasso on the rescaled columns is an independent solver of the same fit.
    v = np.array([0.5, 1.5, 1.0, 2.0, 0.25, 0.75])
    assert v.sum() == 6
    alpha = 0.05
    ours = Lasso(alpha=alpha, penalty_factor=v, tol=1e-14, max_iter=100_000).fit(X, Y)
    sk = SkLasso(alpha=alpha, tol=1e-14, max_iter=1_000_000).fit(X / v, Y)
    assert_coef_close(ours.coef_, sk.coef_ / v, rtol=1e-9)
    assert ours.intercept_ == pytest.approx(sk.intercept_, rel=1e-9)
    # glmnet's normalisation: doubling every factor changes nothing
    doubled = Lasso(alpha=alpha, penalty_factor=2 * v, tol=1e-14, max_iter=100_000).fit(X, Y)
    assert_coef_close(doubled.coef_, ours.coef_, rtol=1e-12)


def test_unpenalised_feature_is_profiled_out():
    # A factor of 0: the other coefficients are the Lasso of the data with that column
    # partialled out (Frisch-Waugh), and p·alpha/(p-1) after glmnet's rescaling.
    v = np.array([0.0, 1, 1, 1, 1, 1])
    alpha = 0.05
    ours = Lasso(alpha=alpha, penalty_factor=v, tol=1e-14, max_iter=100_000).fit(X, Y)
    xc, yc = X - X.mean(axis=0), Y - Y.mean()
    z = xc[:, :1]
    proj = lambda a: a - z @ np.linalg.lstsq(z, a, rcond=None)[0]  # noqa: E731
    sk = SkLasso(alpha=alpha * 6 / 5, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    sk.fit(proj(xc[:, 1:]), proj(yc[:, None])[:, 0])
    assert_coef_close(ours.coef_[1:], sk.coef_, rtol=1e-9)
    assert ours.coef_[0] != 0
    # excluded (infinite factor): always 0, and it counts as 1 in the rescaling
    w = np.array([np.inf, 1, 1, 1, 1, 1])
    excl = Lasso(alpha=alpha, penalty_factor=w, tol=1e-14, max_iter=100_000).fit(X, Y)
    sk2 = SkLasso(alpha=alpha, tol=1e-14, max_iter=1_000_000).fit(X[:, 1:], Y)
    assert excl.coef_[0] == 0
    assert_coef_close(excl.coef_[1:], sk2.coef_, rtol=1e-9)


@pytest.mark.parametrize("standardize", [False, True])
def test_bounded_ridge_matches_scipy_bounded_least_squares(standardize):
    # l1_ratio = 0 with bounds is bounded least squares on the augmented system
    # [Xc; sqrt(n·alpha)·D] (D the standardising scales): scipy's BVLS solves it directly.
    n, p = X.shape
    alpha = 0.3
    lower, upper = (
        np.array([-0.1, -np.inf, 0, -1, -np.inf, -0.2]),
        np.array([0.2, 1, 2, np.inf, 0.1, np.inf]),
    )
    model = ElasticNet(alpha=alpha, l1_ratio=0.0, lower=lower, upper=upper, tol=1e-15,
                       standardize=standardize, max_iter=1_000_000).fit(X, Y)  # fmt: skip
    xc, yc = X - X.mean(axis=0), Y - Y.mean()
    scale = np.sqrt((xc**2).mean(axis=0)) if standardize else np.ones(p)
    a = np.vstack([xc, np.sqrt(n * alpha) * np.diag(scale)])
    b = np.concatenate([yc, np.zeros(p)])
    ref = lsq_linear(a, b, bounds=(lower, upper), method="bvls", tol=1e-15).x
    assert_coef_close(model.coef_, ref, rtol=1e-9)
    assert ((model.coef_ >= lower) & (model.coef_ <= upper)).all()


def test_relaxed_lasso_is_least_squares_on_the_active_set():
    lasso = Lasso(alpha=0.2, tol=1e-14, max_iter=100_000).fit(X, Y)
    active = np.flatnonzero(lasso.coef_)
    assert 0 < active.size < X.shape[1]
    design = np.column_stack([np.ones(len(Y)), X[:, active]])
    ols = np.linalg.lstsq(design, Y, rcond=None)[0]
    relaxed = Lasso(alpha=0.2, tol=1e-14, max_iter=100_000, relax=True).fit(X, Y)
    assert_coef_close(relaxed.coef_[active], ols[1:], rtol=1e-10)
    assert relaxed.intercept_ == pytest.approx(ols[0], rel=1e-10)
    half = Lasso(alpha=0.2, tol=1e-14, max_iter=100_000, relax=True, gamma=0.5).fit(X, Y)
    assert_coef_close(half.coef_, 0.5 * (lasso.coef_ + relaxed.coef_), rtol=1e-12)
    same = Lasso(alpha=0.2, tol=1e-14, max_iter=100_000, relax=True, gamma=1.0).fit(X, Y)
    assert_coef_close(same.coef_, lasso.coef_, rtol=1e-12)


def test_automatic_grid_starts_where_the_penalised_features_enter():
    v = [0, 1, 1, 1, 2, 1]
    path = lasso_path(X, Y, penalty_factor=v, alphas=30, tol=1e-12, max_iter=100_000)
    first = path.coefs[:, 0]
    assert first[0] != 0
    assert (first[1:] == 0).all()
    below = Lasso(alpha=path.alphas[0] * 0.99, penalty_factor=v, tol=1e-12).fit(X, Y)
    assert (below.coef_[1:] != 0).sum() == 1


def test_cv_and_formula_accept_the_options():
    v = np.array([0, 1, 1, 1, 1, 1.0])
    cv = LassoCV(penalty_factor=v, upper=0.5, cv=3).fit(X, Y)
    assert cv.coef_[0] != 0
    assert (cv.coef_ <= 0.5).all()
    enet = ElasticNetCV(l1_ratio=[0.5, 1.0], lower=-0.3, cv=3).fit(X, Y)
    assert (enet.coef_ >= -0.3).all()
    data = FRAME.assign(y=Y, g=np.arange(120) % 3)
    by_term = linmod.lasso("y ~ f0 + f1 + C(g)", data=data, alpha=0.5, penalty_factor={"C(g)": 0})
    by_array = linmod.lasso("y ~ f0 + f1 + C(g)", data=data, alpha=0.5,
                            penalty_factor=[1.0, 1.0, 0.0, 0.0])  # fmt: skip
    np.testing.assert_array_equal(by_term.coef.to_numpy(), by_array.coef.to_numpy())
    assert (by_term.coef[["C(g)[T.1]", "C(g)[T.2]"]] != 0).all()
    by_column = linmod.lasso("y ~ f0 + f1 + C(g)", data=data, alpha=0.5, upper={"f0": 0.0})
    assert by_column.coef["f0"] <= 0.0
    chosen = linmod.lasso("y ~ f0 + f1 + f2", data=data, alpha="cv", relax=True,
                          penalty_factor={"f0": 0})  # fmt: skip
    assert chosen.coef["f0"] != 0


@parametrize_with_checks(
    [
        Lasso(lower=-10.0, relax=True, gamma=0.5),
        ElasticNet(upper=5.0, penalty_factor=None),
        RelaxedLassoCV(gamma=(0.0, 1.0), cv=3, alphas=10),
    ]
)
def test_scikit_learn_checks_with_the_options(estimator, check):
    check(estimator)


@pytest.mark.parametrize("gamma", [1.5, [0.0, 2.0], [], "abc", [0.5, np.nan]])
def test_relaxed_lasso_cv_refuses_gammas_outside_0_1(gamma):
    with pytest.raises(InputError, match="gamma"):
        RelaxedLassoCV(gamma=gamma, cv=3).fit(X, Y)


def test_relaxed_lasso_cv_with_gamma_1_is_lasso_cv():
    folds = [(np.arange(40, 120), np.arange(40)), (np.arange(80), np.arange(80, 120))]
    relaxed = RelaxedLassoCV(gamma=[1.0], cv=folds, tol=1e-12).fit(X, Y)
    plain = LassoCV(cv=folds, tol=1e-12).fit(X, Y)
    np.testing.assert_allclose(relaxed.mse_path_[0], plain.mse_path_, rtol=1e-9)
    assert relaxed.alpha_ == plain.alpha_
    assert_coef_close(relaxed.coef_, plain.coef_, rtol=1e-9)


def test_integer_weights_are_repeated_rows_with_the_options():
    counts = np.arange(120) % 3  # 0, 1 or 2 copies of each row
    options = {"penalty_factor": [0, 1, 2, 1, 1, 1], "lower": -0.5, "upper": [1, 1, 0.2, 1, 1, 1]}
    x_rep, y_rep = np.repeat(X, counts, axis=0), np.repeat(Y, counts)
    for standardize in (False, True):
        model = Lasso(alpha=0.05, standardize=standardize, tol=1e-14, max_iter=100_000, **options)
        weighted = clone(model).fit(X, Y, sample_weight=counts)
        repeated = clone(model).fit(x_rep, y_rep)
        assert_coef_close(weighted.coef_, repeated.coef_, rtol=1e-9)
        assert weighted.intercept_ == pytest.approx(repeated.intercept_, rel=1e-9)


def test_bounds_follow_data_rescaled_beyond_float64_squares():
    # X·2^600 has squares beyond float64: the solver rescales it by a power of two and the
    # bounds must follow the coefficients (β/2^600) through that rescaling.
    big = 2.0**600
    upper = np.array([0.3, 1.0, 1.0, 1.0, 1.0, 1.0])
    tight = {"alpha": 0.05, "standardize": True, "tol": 1e-14, "max_iter": 100_000}
    factor = [1, 0, 1, 1, 1, 1]
    small = Lasso(upper=upper, penalty_factor=factor, **tight).fit(X, Y)
    huge = Lasso(upper=upper / big, penalty_factor=factor, **tight).fit(X * big, Y)
    assert_coef_close(huge.coef_ * big, small.coef_, rtol=1e-9)
    free = Lasso(penalty_factor=factor, **tight).fit(X, Y)
    binding = free.coef_ > upper
    assert binding.any()  # the bounds bind, or this would not test them
    np.testing.assert_allclose(small.coef_[binding], upper[binding], rtol=1e-14)
    assert (huge.coef_ <= upper / big).all()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"alpha": "bic", "penalty_factor": [1, 1, 0, 1]},
            r"alpha='bic' does not take penalty_factor",
        ),
        ({"alpha": "aic", "relax": True}, r"alpha='aic' does not take relax"),
        (
            {"alpha": 0.1, "feature_groups": [0, 0, 1, 1], "lower": 0.0, "upper": 2.0},
            r"the group Lasso \(feature_groups=\) does not take lower, upper yet",
        ),
    ],
)
def test_options_not_combined_with_criteria_or_groups_are_refused(options, message):
    """Merged features that do not combine say so instead of ignoring an option."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 4))
    y = x @ [1.0, 2.0, 0.0, 0.0] + rng.normal(size=50)
    with pytest.raises(InputError, match=message):
        linmod.Lasso(**options).fit(x, y)
