"""``linmod.LinearRegression`` as a scikit-learn estimator."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from sklearn import linear_model
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

import linmod
from linmod import LinearRegression, OLSResults

SOLVERS = ["auto", "qr", "cholesky", "svd"]


def _data(
    seed: int, n: int = 60, p: int = 4, intercept: float = 3.0
) -> tuple[np.ndarray, np.ndarray]:
    """Well-conditioned random regression data with a non-zero intercept."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 5.0, size=p) + rng.normal(size=p)
    beta = rng.normal(size=p)
    y = intercept + X @ beta + rng.normal(scale=0.5, size=n)
    return X, y


# --------------------------------------------------------------------------------------
# scikit-learn's estimator contract
# --------------------------------------------------------------------------------------


@parametrize_with_checks(
    [
        LinearRegression(),
        LinearRegression(fit_intercept=False),
        LinearRegression(solver="qr"),
        LinearRegression(solver="cholesky"),
        LinearRegression(solver="svd"),
    ],
    # This check fits 30 features on 15 samples; linmod refuses fewer samples than
    # parameters (no least-squares inference), with or without weights. The same
    # equivalence on full-rank data: tests/estimators/test_linear_weights.py.
    expected_failed_checks=lambda estimator: {
        "check_sample_weight_equivalence_on_dense_data": "n_samples < n_parameters is refused",
        # ... and sample_weight is not available with a sparse X (sparse_linear.py).
        "check_sample_weight_equivalence_on_sparse_data": "n_samples < n_parameters is refused",
    },
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_too_few_samples_message_is_in_sklearn_terms():
    X = np.arange(10.0).reshape(1, 10)
    with pytest.raises(linmod.InputError, match=r"n_samples=1 is fewer than the 11 parameters"):
        LinearRegression().fit(X, [1.0])
    with pytest.raises(ValueError, match=r"n_samples=3 .* 4 parameters .*3 features \+ intercept"):
        LinearRegression().fit(np.eye(3), [1.0, 2.0, 3.0])
    # square and without an intercept is fine
    model = LinearRegression(fit_intercept=False).fit(np.eye(3), [1.0, 2.0, 3.0])
    assert_allclose(model.coef_, [1.0, 2.0, 3.0], rtol=1e-12)


# --------------------------------------------------------------------------------------
# Meta-estimators: Pipeline, GridSearchCV, clone/set_params
# --------------------------------------------------------------------------------------


def test_pipeline_with_standard_scaler_matches_sklearn():
    X, y = _data(1)
    ours = make_pipeline(StandardScaler(), LinearRegression()).fit(X, y)
    theirs = make_pipeline(StandardScaler(), linear_model.LinearRegression()).fit(X, y)
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)
    assert_allclose(ours[-1].coef_, theirs[-1].coef_, rtol=1e-10)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), rel=1e-12)


def test_pipeline_pandas_output_carries_column_names_into_results():
    X, y = _data(2, p=3)
    frame = pd.DataFrame(X, columns=["sqft", "age", "rooms"])
    pipe = make_pipeline(StandardScaler(), LinearRegression()).set_output(transform="pandas")
    pipe.fit(frame, y)
    assert list(pipe[-1].feature_names_in_) == ["sqft", "age", "rooms"]
    assert list(pipe[-1].results_.names) == ["Intercept", "sqft", "age", "rooms"]


def test_grid_search_over_fit_intercept_and_solver():
    X, y = _data(3, n=80, intercept=25.0)
    grid = GridSearchCV(
        LinearRegression(),
        {"fit_intercept": [True, False], "solver": SOLVERS},
        cv=KFold(5, shuffle=True, random_state=0),
    ).fit(X, y)
    results = pd.DataFrame(grid.cv_results_)
    results["fit_intercept"] = results["param_fit_intercept"].astype(bool)
    with_int = results.loc[results["fit_intercept"], "mean_test_score"].to_numpy()
    without = results.loc[~results["fit_intercept"], "mean_test_score"].to_numpy()
    # the parameter really changes the fit ...
    assert with_int.min() > without.max() + 0.01
    # ... and every solver agrees given the same fit_intercept
    assert_allclose(with_int, with_int[0], rtol=1e-10)
    assert_allclose(without, without[0], rtol=1e-10)
    assert grid.best_params_["fit_intercept"] is True
    assert grid.best_estimator_.intercept_ == pytest.approx(
        linear_model.LinearRegression().fit(X, y).intercept_, rel=1e-10
    )


def test_clone_and_set_params_change_the_fit():
    X, y = _data(4, intercept=10.0)
    base = LinearRegression().fit(X, y)
    other = clone(base).set_params(fit_intercept=False)
    assert not hasattr(other, "coef_")
    other.fit(X, y)
    assert other.intercept_ == 0.0
    assert base.intercept_ != 0.0
    assert not np.allclose(other.coef_, base.coef_)
    assert other.results_.names.tolist() == ["x0", "x1", "x2", "x3"]
    assert base.get_params() == {
        "fit_intercept": True,
        "solver": "auto",
        "weights_type": "precision",
        "positive": False,
        "copy_X": True,
        "tol": 1e-6,
        "n_jobs": None,
    }


# --------------------------------------------------------------------------------------
# Agreement with scikit-learn and statsmodels
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_sklearn_on_random_data(seed, fit_intercept, solver):
    X, y = _data(seed, n=50 + 10 * seed, p=3 + seed)
    X_new = np.random.default_rng(100 + seed).normal(size=(7, X.shape[1]))
    ours = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(X, y)
    ref = linear_model.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert isinstance(ours.intercept_, float)
    if fit_intercept:
        assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    else:
        assert ours.intercept_ == 0.0
    assert_allclose(ours.predict(X_new), ref.predict(X_new), rtol=1e-10)
    assert_allclose(ours.score(X, y), ref.score(X, y), rtol=1e-10)
    assert ours.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("solver", SOLVERS)
def test_matches_sklearn_on_diabetes(solver):
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    ours = LinearRegression(solver=solver).fit(X, y)
    ref = linear_model.LinearRegression().fit(X, y)
    assert_allclose(ours.coef_, ref.coef_, rtol=1e-10)
    assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10)
    assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10)
    assert_allclose(ours.score(X, y), ref.score(X, y), rtol=1e-10)
    assert list(ours.feature_names_in_) == list(X.columns)


def test_results_match_statsmodels_and_use_frame_column_names():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    model = LinearRegression().fit(X, y)
    res = model.results_
    assert isinstance(res, OLSResults)
    assert list(res.names) == ["Intercept", *model.feature_names_in_]
    assert list(res.std_err.index) == list(res.names)

    sm_res = sm.OLS(y.to_numpy(), sm.add_constant(X.to_numpy())).fit()
    assert_allclose(res.std_err.to_numpy(), sm_res.bse, rtol=1e-10)
    assert_allclose(res.coef.to_numpy(), sm_res.params, rtol=1e-10)
    assert_allclose(res.coef.to_numpy()[1:], model.coef_, rtol=0, atol=0)


def test_results_without_intercept_match_statsmodels():
    X, y = _data(5, p=3)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = LinearRegression(fit_intercept=False).fit(frame, y)
    assert list(model.results_.names) == ["a", "b", "c"]
    sm_res = sm.OLS(y, X).fit()
    assert_allclose(model.results_.std_err.to_numpy(), sm_res.bse, rtol=1e-10)


def test_array_input_gets_generated_names_and_no_feature_names_in():
    X, y = _data(6, p=2)
    model = LinearRegression().fit(X, y)
    assert not hasattr(model, "feature_names_in_")
    assert list(model.results_.names) == ["Intercept", "x0", "x1"]


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

seeds = st.integers(min_value=0, max_value=2**32 - 1)
solvers = st.sampled_from(SOLVERS)


@settings(max_examples=40, deadline=None)
@given(seed=seeds, solver=solvers, fit_intercept=st.booleans())
def test_row_permutation_invariance(seed, solver, fit_intercept):
    X, y = _data(seed)
    perm = np.random.default_rng(seed).permutation(X.shape[0])
    model = LinearRegression(fit_intercept=fit_intercept, solver=solver)
    a = clone(model).fit(X, y)
    b = clone(model).fit(X[perm], y[perm])
    assert_allclose(b.coef_, a.coef_, rtol=1e-9, atol=1e-12)
    assert_allclose(b.intercept_, a.intercept_, rtol=1e-9, atol=1e-12)
    assert_allclose(b.predict(X), a.predict(X), rtol=1e-9, atol=1e-10)
    assert_allclose(b.predict(X[perm]), a.predict(X)[perm], rtol=1e-9, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(
    seed=seeds,
    solver=solvers,
    fit_intercept=st.booleans(),
    column=st.integers(min_value=0, max_value=3),
    factor=st.floats(min_value=1e-3, max_value=1e3),
)
def test_column_rescaling(seed, solver, fit_intercept, column, factor):
    X, y = _data(seed, p=4)
    scaled = X.copy()
    scaled[:, column] *= factor
    model = LinearRegression(fit_intercept=fit_intercept, solver=solver)
    a = clone(model).fit(X, y)
    b = clone(model).fit(scaled, y)
    expected = a.coef_.copy()
    expected[column] /= factor
    assert_allclose(b.coef_, expected, rtol=1e-9, atol=1e-12)
    assert_allclose(b.intercept_, a.intercept_, rtol=1e-9, atol=1e-10)
    assert_allclose(b.predict(scaled), a.predict(X), rtol=1e-9, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(seed=seeds, solver=solvers, shift=st.floats(min_value=-1e4, max_value=1e4))
def test_shifting_y_changes_only_the_intercept(seed, solver, shift):
    X, y = _data(seed)
    a = LinearRegression(solver=solver).fit(X, y)
    b = LinearRegression(solver=solver).fit(X, y + shift)
    scale = 1.0 + abs(shift) + np.abs(y).max()
    assert_allclose(b.coef_, a.coef_, rtol=1e-9, atol=1e-12 * scale)
    assert_allclose(b.intercept_, a.intercept_ + shift, rtol=1e-9, atol=1e-12 * scale)
    assert_allclose(b.predict(X), a.predict(X) + shift, rtol=1e-9, atol=1e-12 * scale)


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "message"), [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_x_is_rejected(bad, message):
    X, y = _data(7)
    X[3, 1] = bad
    with pytest.raises(ValueError, match=message):
        LinearRegression().fit(X, y)
    model = LinearRegression().fit(_data(7)[0], y)
    with pytest.raises(ValueError, match=message):
        model.predict(X)


def test_non_finite_y_is_rejected():
    X, y = _data(8)
    y[0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LinearRegression().fit(X, y)


def test_invalid_solver_is_named():
    X, y = _data(9)
    with pytest.raises(ValueError, match=r"'solver' parameter .*'lsqr'"):
        LinearRegression(solver="lsqr").fit(X, y)


def test_predict_before_fit_and_wrong_width():
    from sklearn.exceptions import NotFittedError

    X, y = _data(10)
    with pytest.raises(NotFittedError):
        LinearRegression().predict(X)
    model = LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match="4 features"):
        model.predict(X[:, :3])


def test_a_named_response_keeps_its_name_in_the_summary():
    import linmod

    data = linmod.datasets.house_prices(n=40)
    model = LinearRegression().fit(data[["square_feet", "age"]], data["price"])
    assert model.results_.summary().startswith("OLS fit: price ~")
    assert model.results_.design.response_name == "price"
