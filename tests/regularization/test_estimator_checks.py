"""Every regularised estimator passes scikit-learn's estimator checks."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from linmod.regularization import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge, RidgeCV


@parametrize_with_checks(
    [
        Ridge(),
        Ridge(solver="svd", standardize=True, fit_intercept=False),
        Lasso(),
        Lasso(standardize=True, positive=True),
        ElasticNet(fit_intercept=False, l1_ratio=0.2),
        RidgeCV(),
        LassoCV(alphas=20, cv=3),
        ElasticNetCV(l1_ratio=[0.5, 1.0], alphas=10, cv=3, standardize=True),
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
