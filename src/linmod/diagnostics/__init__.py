"""Regression diagnostics: assumption tests, influence measures and the assumption report.

Every test takes a fitted :class:`~linmod.OLSResults` and returns a self-describing
:class:`TestResult`; :func:`check` runs them all and returns an :class:`AssumptionReport`
with a verdict and a remedy per assumption; :func:`plot_diagnostics` draws the residual
plots (matplotlib is imported only then).
"""

from linmod._lazy import submodule_getattr
from linmod.diagnostics.added_variable import added_variable_data
from linmod.diagnostics.check import check
from linmod.diagnostics.collinearity import condition_number, gvif, vif
from linmod.diagnostics.homoscedasticity import breusch_pagan, goldfeld_quandt, white
from linmod.diagnostics.independence import breusch_godfrey, durbin_watson, residual_acf
from linmod.diagnostics.influence import influence, influence_measures, outlier_test
from linmod.diagnostics.linearity import curvature_by_term, harvey_collier, rainbow, reset
from linmod.diagnostics.normality import (
    anderson_darling,
    jarque_bera,
    residual_moments,
    shapiro_wilk,
)
from linmod.diagnostics.plotting import plot_diagnostics
from linmod.diagnostics.report import AssumptionCheck, AssumptionReport
from linmod.diagnostics.results import TestResult
from linmod.diagnostics.smoothing import lowess

__all__ = [
    "AssumptionCheck",
    "AssumptionReport",
    "TestResult",
    "added_variable_data",
    "anderson_darling",
    "breusch_godfrey",
    "breusch_pagan",
    "check",
    "condition_number",
    "curvature_by_term",
    "durbin_watson",
    "goldfeld_quandt",
    "gvif",
    "harvey_collier",
    "influence",
    "influence_measures",
    "jarque_bera",
    "lowess",
    "outlier_test",
    "plot_diagnostics",
    "rainbow",
    "reset",
    "residual_acf",
    "residual_moments",
    "shapiro_wilk",
    "vif",
    "white",
]

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
