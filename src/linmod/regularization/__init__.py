"""Ridge, Lasso and Elastic Net gathered under one name: estimators, paths, CV, formulas.

This package holds no code of its own: it re-exports the penalised family from the
layers where each part lives (see ``docs/architecture.md``): the solvers
(:mod:`linmod.solvers.coordinate_descent`, :mod:`linmod.solvers.elastic_net`,
:mod:`linmod.solvers.ridge`, :mod:`linmod.solvers.paths`, and the one-standard-error rule
in :mod:`linmod.solvers.penalty_cv`), the scikit-learn estimators
(:mod:`linmod.estimators.penalized`, :mod:`linmod.estimators.penalized_cv`), the formula
entry points (:mod:`linmod.models.penalized`) and the train/test curves
(:mod:`linmod.model_selection.curves`).  Objectives, grids and tolerances follow
scikit-learn; the intercept is never penalised; ``standardize=True`` is glmnet's option.
"""

from linmod.estimators.penalized import ElasticNet, Lasso, Ridge
from linmod.estimators.penalized_cv import ElasticNetCV, LassoCV, RidgeCV
from linmod.estimators.relaxed_cv import RelaxedLassoCV
from linmod.model_selection.curves import R2Curve, train_test_r2
from linmod.models.penalized import RegularizedFit, elastic_net, lasso, ridge
from linmod.solvers.glmnet_penalty import glmnet_to_sklearn, sklearn_to_glmnet
from linmod.solvers.paths import RegularizationPath, enet_path, lasso_path, ridge_path
from linmod.solvers.penalty_cv import CVCurve

__all__ = [
    "CVCurve",
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "R2Curve",
    "RegularizationPath",
    "RegularizedFit",
    "RelaxedLassoCV",
    "Ridge",
    "RidgeCV",
    "elastic_net",
    "enet_path",
    "glmnet_to_sklearn",
    "lasso",
    "lasso_path",
    "ridge",
    "ridge_path",
    "sklearn_to_glmnet",
    "train_test_r2",
]
