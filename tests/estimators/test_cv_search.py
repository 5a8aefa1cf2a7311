"""The sklearn-free penalty searches give the estimators' folds, choices and coefficients.

:class:`linmod.estimators.cv_search.PenaltySearch` fits the report's cross-validated
comparison without scikit-learn; the references are scikit-learn's own ``KFold`` (for the
folds) and linmod's ``RidgeCV``/``LassoCV``/``ElasticNetCV`` built by
``penalty_searcher`` (the estimators every other entry point uses), which must give the
same bits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold

from linmod.estimators.cv_search import PenaltySearch, kfold_indices
from linmod.estimators.penalty_choice import penalty_searcher
from linmod.exceptions import InputError


@pytest.mark.parametrize("n", [10, 11, 31, 32, 33, 442])
@pytest.mark.parametrize("k", [2, 3, 5, 10])
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_kfold_indices_are_sklearns_shuffled_kfold(n, k, seed):
    expected = list(KFold(k, shuffle=True, random_state=seed).split(np.zeros((n, 1))))
    got = kfold_indices(n, k, seed)
    assert len(got) == len(expected)
    for (train, test), (sk_train, sk_test) in zip(got, expected, strict=True):
        np.testing.assert_array_equal(train, sk_train)
        np.testing.assert_array_equal(test, sk_test)
        assert train.dtype == sk_train.dtype
        assert test.dtype == sk_test.dtype


def test_kfold_indices_refuse_more_folds_than_rows():
    with pytest.raises(InputError, match="5 folds need at least 5 rows; the data have 3"):
        kfold_indices(3, 5, 0)


@pytest.fixture(scope="module")
def mtcars_matrix():
    from pathlib import Path

    data = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "mtcars.csv")
    x = np.column_stack(
        [data["wt"], data["hp"], data["qsec"], data["cyl"] == 6, data["cyl"] == 8]
    ).astype(np.float64)
    return x, data["mpg"].to_numpy(dtype=np.float64)


@pytest.mark.parametrize("penalty", ["ridge", "lasso", "elastic_net"])
@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_search_equals_the_estimator_penalty_searcher_makes(
    mtcars_matrix, penalty, intercept, weighted
):
    x, y = mtcars_matrix
    weights = None
    if weighted:
        weights = np.random.default_rng(3).uniform(0.5, 2.0, y.size)
        weights[[4, 17]] = 0.0  # dropped before the folds, by both
    if penalty == "ridge":
        estimator = penalty_searcher(
            "ridge", fit_intercept=intercept, cv=None, store_cv_results=False
        )
        search = PenaltySearch("ridge", fit_intercept=intercept, folds=None)
    else:
        estimator = penalty_searcher(penalty, fit_intercept=intercept, cv=5, seed=7)
        search = PenaltySearch(penalty, fit_intercept=intercept, folds=5, seed=7)
    estimator.fit(x, y, sample_weight=weights)
    search.fit(x, y, sample_weight=weights)
    # the same computation on the same arrays: equal to the last bit
    assert search.alpha_ == estimator.alpha_
    assert search.alpha_1se_ == estimator.alpha_1se_
    assert search.best_score_ == estimator.best_score_
    np.testing.assert_array_equal(search.alphas_, estimator.alphas_)
    np.testing.assert_array_equal(search.coef_, estimator.coef_)
    assert search.intercept_ == estimator.intercept_
    assert type(search.intercept_) is type(estimator.intercept_)
    pd.testing.assert_frame_equal(search.cv_curve_, estimator.cv_curve_, check_exact=True)
    if penalty == "lasso":
        assert not hasattr(search, "l1_ratio_")
    if penalty == "elastic_net":
        assert search.l1_ratio_ == estimator.l1_ratio_ == 0.5


def test_search_refuses_an_unknown_penalty_and_a_lasso_without_folds(mtcars_matrix):
    x, y = mtcars_matrix
    with pytest.raises(InputError, match="penalty='lars' is not valid"):
        PenaltySearch("lars").fit(x, y)
    with pytest.raises(InputError, match="penalty='lasso' needs a number of folds"):
        PenaltySearch("lasso", folds=None).fit(x, y)
