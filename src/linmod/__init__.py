"""linmod: linear regression at the float64 limit, with R-grade inference.

The public names are imported on first use (PEP 562), so ``import linmod`` and the
command line do not pay for scikit-learn, matplotlib or the diagnostics until they are
needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from linmod._lazy import find_submodule

if TYPE_CHECKING:
    from linmod import datasets, diagnostics, metrics, model_selection, plots, regularization
    from linmod.analysis import Analysis, analyse
    from linmod.data.encoding import ordinal
    from linmod.estimators import GDRegressor, LinearRegression
    from linmod.estimators.quantile import QuantileRegressor
    from linmod.estimators.robust import HuberRegressor
    from linmod.exceptions import (
        ConvergenceError,
        ConvergenceWarning,
        InputError,
        LinmodError,
        LinmodWarning,
        NearSingularWarning,
        SingularDesignError,
    )
    from linmod.inference.model_comparison import anova, lr_test
    from linmod.inference.model_table import table
    from linmod.inference.multi_results import MultiOLSResults
    from linmod.inference.results import OLSResults
    from linmod.model_file import load
    from linmod.model_selection.comparison import cross_validate_models
    from linmod.model_selection.penalty_path import penalty_path
    from linmod.models.compare import compare_solvers
    from linmod.models.ols import ols
    from linmod.models.penalized import ridge
    from linmod.models.quantreg import quantreg
    from linmod.models.rlm import rlm
    from linmod.plots.regularization import plot_coef_path, plot_cv_curve, plot_train_test_r2
    from linmod.regularization import (
        ElasticNet,
        ElasticNetCV,
        Lasso,
        LassoCV,
        RelaxedLassoCV,
        Ridge,
        RidgeCV,
        elastic_net,
        enet_path,
        lasso,
        lasso_path,
        ridge_path,
    )

from linmod._version import __version__

__all__ = [
    "Analysis",
    "ConvergenceError",
    "ConvergenceWarning",
    "ElasticNet",
    "ElasticNetCV",
    "GDRegressor",
    "HuberRegressor",
    "InputError",
    "Lasso",
    "LassoCV",
    "LinearRegression",
    "LinmodError",
    "LinmodWarning",
    "MultiOLSResults",
    "NearSingularWarning",
    "OLSResults",
    "QuantileRegressor",
    "RelaxedLassoCV",
    "Ridge",
    "RidgeCV",
    "SingularDesignError",
    "__version__",
    "analyse",
    "anova",
    "compare_solvers",
    "cross_validate_models",
    "datasets",
    "diagnostics",
    "elastic_net",
    "enet_path",
    "lasso",
    "lasso_path",
    "load",
    "lr_test",
    "metrics",
    "model_selection",
    "ols",
    "ordinal",
    "penalty_path",
    "plot_coef_path",
    "plot_cv_curve",
    "plot_train_test_r2",
    "plots",
    "quantreg",
    "regularization",
    "ridge",
    "ridge_path",
    "rlm",
    "table",
]

#: The module each public function or class is imported from; the public submodules
#: (``linmod.datasets``, ``linmod.diagnostics``, …) are found by name.
_ATTRIBUTES = {
    "Analysis": "linmod.analysis",
    "analyse": "linmod.analysis",
    "ordinal": "linmod.data.encoding",
    "GDRegressor": "linmod.estimators",
    "LinearRegression": "linmod.estimators",
    "QuantileRegressor": "linmod.estimators.quantile",
    "HuberRegressor": "linmod.estimators.robust",
    "ConvergenceError": "linmod.exceptions",
    "ConvergenceWarning": "linmod.exceptions",
    "InputError": "linmod.exceptions",
    "LinmodError": "linmod.exceptions",
    "LinmodWarning": "linmod.exceptions",
    "NearSingularWarning": "linmod.exceptions",
    "SingularDesignError": "linmod.exceptions",
    "OLSResults": "linmod.inference.results",
    "MultiOLSResults": "linmod.inference.multi_results",
    "anova": "linmod.inference.model_comparison",
    "lr_test": "linmod.inference.model_comparison",
    "load": "linmod.model_file",
    "cross_validate_models": "linmod.model_selection",
    "penalty_path": "linmod.model_selection",
    "compare_solvers": "linmod.models.compare",
    "ols": "linmod.models.ols",
    "plot_coef_path": "linmod.plots.regularization",
    "plot_cv_curve": "linmod.plots.regularization",
    "plot_train_test_r2": "linmod.plots.regularization",
    "ElasticNet": "linmod.estimators.penalized",
    "ElasticNetCV": "linmod.estimators.penalized_cv",
    "Lasso": "linmod.estimators.penalized",
    "LassoCV": "linmod.estimators.penalized_cv",
    "RelaxedLassoCV": "linmod.estimators.relaxed_cv",
    "Ridge": "linmod.estimators.ridge",
    "RidgeCV": "linmod.estimators.ridge_cv",
    "elastic_net": "linmod.models.penalized",
    "enet_path": "linmod.solvers.paths",
    "lasso": "linmod.models.penalized",
    "lasso_path": "linmod.solvers.paths",
    "ridge": "linmod.models.penalized",
    "quantreg": "linmod.models.quantreg",
    "rlm": "linmod.models.rlm",
    "ridge_path": "linmod.solvers.paths",
    "table": "linmod.inference.model_table",
}


def __getattr__(name: str) -> Any:
    if name in _ATTRIBUTES:
        value = getattr(importlib.import_module(_ATTRIBUTES[name]), name)
    else:
        value = find_submodule(__name__, name)  # linmod.datasets, linmod.exceptions, ...
        if value is None:
            raise AttributeError(f"module 'linmod' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {"__version__"})
