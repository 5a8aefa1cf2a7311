"""linmod: linear regression at the float64 limit, with R-grade inference."""

from linmod import datasets, diagnostics, metrics, model_selection, plots, regularization
from linmod.analysis import Analysis, analyse
from linmod.data.encoding import ordinal
from linmod.estimators import GDRegressor, LinearRegression
from linmod.exceptions import (
    ConvergenceError,
    ConvergenceWarning,
    InputError,
    LinmodError,
    LinmodWarning,
    NearSingularWarning,
    SingularDesignError,
)
from linmod.inference.results import OLSResults
from linmod.model_file import load
from linmod.model_selection import cross_validate_models, penalty_path
from linmod.models.compare import compare_solvers
from linmod.models.ols import ols
from linmod.plots.regularization import plot_coef_path, plot_cv_curve, plot_train_test_r2
from linmod.regularization import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    RidgeCV,
    elastic_net,
    enet_path,
    lasso,
    lasso_path,
    ridge,
    ridge_path,
)

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "ConvergenceError",
    "ConvergenceWarning",
    "ElasticNet",
    "ElasticNetCV",
    "GDRegressor",
    "InputError",
    "Lasso",
    "LassoCV",
    "LinearRegression",
    "LinmodError",
    "LinmodWarning",
    "NearSingularWarning",
    "OLSResults",
    "Ridge",
    "RidgeCV",
    "SingularDesignError",
    "__version__",
    "analyse",
    "compare_solvers",
    "cross_validate_models",
    "datasets",
    "diagnostics",
    "elastic_net",
    "enet_path",
    "lasso",
    "lasso_path",
    "load",
    "metrics",
    "model_selection",
    "ols",
    "ordinal",
    "penalty_path",
    "plot_coef_path",
    "plot_cv_curve",
    "plot_train_test_r2",
    "plots",
    "regularization",
    "ridge",
    "ridge_path",
]
