"""GDRegressor: the lessons' algorithm, convergence to OLS, divergence, streaming, checks."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from sklearn.utils.estimator_checks import parametrize_with_checks

import linmod
from linmod import ConvergenceError, ConvergenceWarning, GDRegressor, InputError


def lesson_gradient_descent(X, y, learning_rate=0.01, n_iterations=1000):
    """The second lesson's code, verbatim: the independent reference."""
    n_samples, n_features = X.shape
    beta = np.zeros(n_features + 1)
    X_b = np.c_[np.ones((n_samples, 1)), X]
    cost_history = []
    for _ in range(n_iterations):
        y_pred = X_b @ beta
        cost = np.mean((y_pred - y) ** 2)
        cost_history.append(cost)
        gradients = (2 / n_samples) * X_b.T @ (y_pred - y)
        beta -= learning_rate * gradients
    return beta, cost_history


def lesson_data():
    rng = np.random.RandomState(42)  # the lesson's np.random.seed(42)
    X = rng.randn(100, 3)
    y = 3 * X[:, 0] + 2 * X[:, 1] - 1 * X[:, 2] + 5 + rng.randn(100) * 0.5
    return X, y


def test_standardize_false_reproduces_the_lesson_exactly():
    X, y = lesson_data()
    beta, costs = lesson_gradient_descent(X, y, learning_rate=0.1, n_iterations=100)
    model = GDRegressor(standardize=False, learning_rate=0.1, max_epochs=100)
    with pytest.warns(ConvergenceWarning, match="max_epochs=100"):
        model.fit(X, y)
    assert_allclose(np.r_[model.intercept_, model.coef_], beta, rtol=1e-13)
    assert_allclose(model.cost_history_, costs, rtol=1e-13)
    assert model.n_iter_ == 100


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_auto_rate_reaches_the_qr_solution(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 6)) * [1, 10, 100, 0.1, 5, 1000] + [0, 50, -3, 1, 0, 1e4]
    y = X @ rng.normal(size=6) + 7 + rng.normal(size=300)
    model = GDRegressor().fit(X, y)
    ref = sm.OLS(y, sm.add_constant(X)).fit().params
    assert model.converged_
    assert_allclose(np.r_[model.intercept_, model.coef_], ref, rtol=1e-6)


def test_house_prices_through_ols_solver_gd():
    data = linmod.datasets.house_prices()
    formula = "price ~ square_feet + bedrooms + bathrooms + age + garage"
    gd = linmod.ols(formula, data=data, solver="gd")
    ref = sm.OLS.from_formula(formula, data=data).fit()
    assert_allclose(gd.coef, ref.params, rtol=1e-6)
    assert_allclose(gd.std_err, ref.bse, rtol=1e-6)
    assert "gradient descent" in gd.summary()
    assert gd.solution.method == "gd"


@pytest.mark.parametrize("method", ["minibatch", "sgd"])
def test_stochastic_methods_reach_ols_with_a_decaying_schedule(method):
    # Documented tolerance: with schedule="step", 1e-2 relative within 300 epochs.
    data = linmod.datasets.house_prices()
    X, y = data.drop(columns="price"), data["price"]
    model = GDRegressor(method=method, schedule="step", max_epochs=300, random_state=0).fit(X, y)
    ref = sm.OLS(y.to_numpy(), sm.add_constant(X.to_numpy())).fit().params
    assert model.converged_
    assert_allclose(np.r_[model.intercept_, model.coef_], ref, rtol=1e-2)


def test_too_large_a_rate_diverges_with_the_stable_bound_in_the_message():
    X, y = lesson_data()
    # Independent bound: L = largest eigenvalue of 2 X_b'X_b / n.
    xb = np.c_[np.ones(len(y)), X]
    lipschitz = 2 * np.linalg.eigvalsh(xb.T @ xb / len(y))[-1]
    with pytest.raises(ConvergenceError, match=rf"2/L = {2 / lipschitz:.4g}") as info:
        GDRegressor(standardize=False, learning_rate=2.5 / lipschitz).fit(X, y)
    assert "learning_rate=" in str(info.value)
    assert np.all(np.diff(info.value.cost_history[-4:]) > 0)


def test_momentum_and_schedules_still_converge():
    X, y = lesson_data()
    ref = sm.OLS(y, sm.add_constant(X)).fit().params
    for kwargs in ({"momentum": 0.5}, {"schedule": "invscaling"}, {"fit_intercept": True}):
        model = GDRegressor(**kwargs, max_epochs=5000).fit(X, y)
        assert_allclose(np.r_[model.intercept_, model.coef_], ref, rtol=1e-6)


def test_partial_fit_streams_towards_the_solution():
    data = linmod.datasets.house_prices(n=2000)
    X, y = data.drop(columns="price").to_numpy(), data["price"].to_numpy()
    model = GDRegressor(method="minibatch", batch_size=64, schedule="invscaling", random_state=1)
    for _ in range(30):
        for chunk in np.array_split(np.arange(len(y)), 10):
            model.partial_fit(X[chunk], y[chunk])
    ols = sm.OLS(y, sm.add_constant(X)).fit()
    assert model.n_iter_ == 300
    # SGD noise (sigma = 20000 here) limits the coefficients; the fit itself is close to OLS.
    assert_allclose(np.r_[model.intercept_, model.coef_], ols.params, rtol=0.15)
    streamed_mse = np.mean((y - model.predict(X)) ** 2)
    assert streamed_mse <= 1.05 * ols.ssr / len(y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"learning_rate": 0.0}, r"learning_rate=0.0 must be finite and in \(0, inf\)"),
        ({"learning_rate": -1.0}, "learning_rate=-1.0"),
        ({"learning_rate": float("nan")}, "learning_rate=nan"),
        ({"learning_rate": "fast"}, "learning_rate='fast'"),
        ({"method": "minibatch", "batch_size": 0}, r"batch_size=0 must be an integer in \[1, ∞\]"),
        ({"method": "minibatch", "batch_size": 2.5}, r"batch_size=2.5 must be an integer"),
        ({"max_epochs": 0}, "max_epochs=0"),
        ({"momentum": 1.0}, r"momentum=1.0 must be a number in \[0, 1\)"),
        ({"method": "newton"}, "method='newton' must be one of batch, minibatch, sgd"),
        ({"schedule": "cosine"}, "schedule='cosine'"),
        ({"tol": -1e-3}, "tol=-0.001"),
    ],
)
def test_bad_parameters(params, message):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 2)), rng.normal(size=50)
    with pytest.raises(InputError, match=message):
        GDRegressor(**params).fit(X, y)


def test_non_finite_data_is_refused():
    X = np.array([[1.0], [np.nan], [3.0]])
    with pytest.raises(InputError, match=r"contains NaN.*needs finite X and y"):
        GDRegressor().fit(X, [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="infinity"):
        GDRegressor().fit(np.ones((3, 1)), [1.0, np.inf, 3.0])


def test_compare_solvers_tells_the_lesson_story():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 50)
    X = np.column_stack([x, x + 1e-7 * rng.normal(size=50)])  # nearly collinear
    y = 1 + x + rng.normal(size=50) * 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = linmod.compare_solvers(X, y)
    assert list(table.index) == ["normal", "cholesky", "qr", "svd", "gd"]
    assert table.loc["qr", "max_rel_diff"] == 0.0
    assert table.loc["normal", "max_rel_diff"] > 1e-6  # the explicit inverse loses digits
    assert table.loc["gd", "max_rel_diff"] > 1e-3  # GD stalls on an ill-conditioned design
    assert "gradient descent" in table.loc["gd", "warning"]
    assert table["condition_number"].min() > 1e6


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [
        GDRegressor(),
        # The stochastic methods run to a tight tol: their default stopping rule (steps
        # below 1e-5 relative) leaves the weighted and the repeated-rows fits of
        # check_sample_weight_equivalence ~1e-5 apart, short of its rtol=1e-7.
        GDRegressor(method="minibatch", random_state=0, tol=1e-10, max_epochs=20000),
        GDRegressor(method="sgd", random_state=0, tol=1e-10, max_epochs=20000),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_batch_auto_rate_is_exactly_one_over_l():
    """The documented 1/L, with L = 2·λmax(Z'Z/n) of the standardised design and 1s column."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=(80, 3)) * [1.0, 10.0, 0.1] + [5.0, -2.0, 0.0]
    y = x @ np.array([1.0, 0.2, -3.0]) + rng.normal(size=80)
    model = GDRegressor(method="batch").fit(x, y)
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    zb = np.column_stack([z, np.ones(80)])
    lipschitz = 2 * np.linalg.eigvalsh(zb.T @ zb / 80)[-1]
    np.testing.assert_allclose(model.learning_rate_, 1 / lipschitz, rtol=1e-10)


@pytest.mark.parametrize("momentum", [0.5, 0.9, 0.95])
def test_momentum_converges_without_a_false_stall(momentum):
    """Heavy-ball oscillation of the gradient norm is not mistaken for a stall."""
    rng = np.random.default_rng(42)
    x = rng.normal(size=(80, 3))
    y = 5 + x @ np.array([3.0, 2.0, -1.0]) + 0.5 * rng.normal(size=80)
    model = GDRegressor(momentum=momentum, max_epochs=5000).fit(x, y)
    assert model.converged_
    exact = np.linalg.lstsq(np.column_stack([np.ones(80), x]), y, rcond=None)[0]
    np.testing.assert_allclose(np.r_[model.intercept_, model.coef_], exact, rtol=1e-6)


def _mtcars():
    from ..conftest import load_dataset

    frame = load_dataset("mtcars")
    return frame[["wt", "hp", "disp"]].to_numpy(), frame["mpg"].to_numpy()


def test_partial_fit_on_small_batches_follows_their_largest_curvature():
    # Found in review: the auto rate of the first 8-row batch made later batches diverge
    # to coefficients ~1e13 without a word.
    x, y = _mtcars()
    model = GDRegressor(method="minibatch", batch_size=8, random_state=0)
    for _ in range(50):
        for start in range(0, 32, 8):
            model.partial_fit(x[start : start + 8], y[start : start + 8])
    reference = sm.OLS(y, sm.add_constant(x)).fit().params
    assert np.all(np.isfinite(model.cost_history_))
    assert_allclose(model.intercept_, reference[0], rtol=0.02)
    assert_allclose(model.coef_[0], reference[1], rtol=0.05)
    batch_l = [
        linmod.solvers.gd.lipschitz_constant(model._scaling_.transform(x[s : s + 8]), True)[0]
        for s in range(0, 32, 8)
    ]
    assert model.lipschitz_ == pytest.approx(max(batch_l), rel=1e-12)


def test_partial_fit_raises_when_a_fixed_rate_diverges():
    x, y = _mtcars()
    model = GDRegressor(method="minibatch", batch_size=8, learning_rate=5.0, random_state=0)

    def stream() -> None:
        for _ in range(50):
            for start in range(0, 32, 8):
                model.partial_fit(x[start : start + 8], y[start : start + 8])

    with pytest.raises(ConvergenceError, match="diverged with learning_rate=5"):
        stream()


def test_a_schedule_that_stops_the_steps_far_from_the_solution_is_not_convergence():
    # Found in review: schedule="step" on mtcars stopped moving 33% from OLS and reported
    # converged_=True.
    x, y = _mtcars()
    model = GDRegressor(method="minibatch", schedule="step", random_state=0, max_epochs=300)
    with pytest.warns(ConvergenceWarning, match=r"while still \d+\.\d% from the least-squares"):
        model.fit(x, y)
    assert not model.converged_


@pytest.mark.parametrize(("n", "p"), [(8, 50), (50, 8)])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lipschitz_constant_is_twice_the_top_eigenvalue_over_n(n, p, fit_intercept):
    # L = 2 λ_max(A'A) / n for A = [X, 1]; a batch with fewer rows than columns takes the
    # n x n side (same largest eigenvalue), which keeps partial_fit's cost O(n² p).
    from linmod.solvers.gd import lipschitz_constant

    x = np.random.default_rng(n).normal(size=(n, p))
    a = np.column_stack([x, np.ones(n)]) if fit_intercept else x
    expected = 2.0 * np.linalg.eigvalsh(a.T @ a)[-1] / n
    assert_allclose(lipschitz_constant(x, fit_intercept)[0], expected, rtol=1e-12)
