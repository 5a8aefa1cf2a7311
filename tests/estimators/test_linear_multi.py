"""``LinearRegression`` with a 2-D y, against scikit-learn's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression as SkLinearRegression

from linmod import LinearRegression
from linmod.exceptions import InputError
from linmod.inference.estimability import NonEstimableWarning
from linmod.inference.multi_results import MultiOLSResults


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(21)
    x = rng.normal(size=(60, 4))
    y = x @ rng.normal(size=(4, 3)) + rng.normal(size=(60, 3)) + [1.0, -2.0, 3.0]
    return x, y


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["auto", "qr", "cholesky", "svd"])
def test_matches_scikit_learn(data, fit_intercept, solver):
    x, y = data
    ours = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(x, y)
    theirs = SkLinearRegression(fit_intercept=fit_intercept).fit(x, y)
    assert ours.coef_.shape == theirs.coef_.shape == (3, 4)
    assert (
        np.shape(ours.intercept_) == np.shape(theirs.intercept_) == ((3,) if fit_intercept else ())
    )
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12)
    assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-12, atol=1e-14)
    assert_allclose(ours.predict(x), theirs.predict(x), rtol=1e-12)
    assert ours.predict(x).shape == (60, 3)
    assert isinstance(ours.results_, MultiOLSResults)


def test_a_column_vector_y_gives_one_row_of_coefficients_as_scikit_learn(data):
    x, y = data
    ours = LinearRegression().fit(x, y[:, :1])
    theirs = SkLinearRegression().fit(x, y[:, :1])
    assert ours.coef_.shape == theirs.coef_.shape == (1, 4)
    assert ours.intercept_.shape == theirs.intercept_.shape == (1,)
    assert ours.predict(x).shape == theirs.predict(x).shape == (60, 1)
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12)


def test_a_one_dimensional_y_is_unchanged(data):
    x, y = data
    ours = LinearRegression().fit(x, y[:, 0])
    assert ours.coef_.shape == (4,)
    assert isinstance(ours.intercept_, float)
    assert ours.predict(x).shape == (60,)


def test_sample_weight_with_a_two_dimensional_y(data):
    x, y = data
    w = np.random.default_rng(22).uniform(0.1, 3.0, size=60)
    w[[3, 7]] = 0.0
    ours = LinearRegression().fit(x, y, sample_weight=w)
    theirs = SkLinearRegression().fit(x, y, sample_weight=w)
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12)
    assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-12)
    single = LinearRegression().fit(x, y[:, 2], sample_weight=w)
    assert_allclose(ours.results_["y2"].std_err, single.results_.std_err, rtol=1e-13)


def test_frame_targets_name_the_responses(data):
    x, y = data
    features = pd.DataFrame(x, columns=["a", "b", "c", "d"])
    targets = pd.DataFrame(y, columns=["p", "q", "r"])
    model = LinearRegression().fit(features, targets)
    assert model.results_.response_names == ["p", "q", "r"]
    assert list(model.results_.coef.index) == ["Intercept", "a", "b", "c", "d"]
    assert_allclose(model.results_.coef.loc["a"].to_numpy(), model.coef_[:, 0], rtol=0)


def test_rank_deficient_design_predicts_nan_for_non_estimable_rows(data):
    x, y = data
    x = np.column_stack([x, x[:, 0] + x[:, 1]])
    model = LinearRegression().fit(x, y)
    assert (model.coef_[:, 4] == 0).all()
    new = x[:2].copy()
    new[1, 4] += 1.0
    with pytest.warns(NonEstimableWarning):
        predicted = model.predict(new)
    assert np.isnan(predicted[1]).all()
    assert np.isfinite(predicted[0]).all()


def test_saving_a_fit_of_several_responses_is_refused(data, tmp_path):
    x, y = data
    model = LinearRegression().fit(x, y)
    with pytest.raises(InputError, match=r"fitted to several responses .* cannot be saved yet"):
        model.save(tmp_path / "model.json")
    LinearRegression().fit(x, y[:, 0]).save(tmp_path / "one.json")  # still saved


def test_missing_targets_are_refused_by_scikit_learns_validation(data):
    x, y = data
    y = y.copy()
    y[5, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LinearRegression().fit(x, y)
