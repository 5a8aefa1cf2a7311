"""Ridge, Lasso and Elastic Net: estimators, paths, cross-validation with the 1-SE rule.

Objectives, grids and tolerances follow scikit-learn; the intercept is never penalised;
``standardize=True`` is glmnet's option.  See :mod:`linmod.regularization.coordinate_descent`
for the solver and :mod:`linmod.regularization.cv` for the one-standard-error rule.
"""

from linmod._lazy import submodule_getattr
from linmod.regularization.curves import R2Curve, train_test_r2
from linmod.regularization.cv import CVCurve
from linmod.regularization.cv_estimators import ElasticNetCV, LassoCV, RidgeCV
from linmod.regularization.estimators import ElasticNet, Lasso, Ridge
from linmod.regularization.formula import RegularizedFit, elastic_net, lasso, ridge
from linmod.regularization.paths import RegularizationPath, enet_path, lasso_path, ridge_path

__all__ = [
    "CVCurve",
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "R2Curve",
    "RegularizationPath",
    "RegularizedFit",
    "Ridge",
    "RidgeCV",
    "elastic_net",
    "enet_path",
    "lasso",
    "lasso_path",
    "ridge",
    "ridge_path",
    "train_test_r2",
]

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
