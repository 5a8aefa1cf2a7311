"""linmod: linear regression at the float64 limit, with R-grade inference."""

from linmod import datasets, diagnostics, metrics, plots
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
from linmod.models.compare import compare_solvers
from linmod.models.ols import ols

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "ConvergenceWarning",
    "GDRegressor",
    "InputError",
    "LinearRegression",
    "LinmodError",
    "LinmodWarning",
    "NearSingularWarning",
    "OLSResults",
    "SingularDesignError",
    "__version__",
    "compare_solvers",
    "datasets",
    "diagnostics",
    "load",
    "metrics",
    "ols",
    "ordinal",
    "plots",
]
