"""Model selection: cross-validated comparison of OLS and penalised fits, penalty paths."""

from linmod._lazy import submodule_getattr
from linmod.estimators.penalty_choice import default_folds
from linmod.model_selection.comparison import ModelComparison, cross_validate_models
from linmod.model_selection.penalty_path import PenaltyPath, penalty_path

__all__ = [
    "ModelComparison",
    "PenaltyPath",
    "cross_validate_models",
    "default_folds",
    "penalty_path",
]

__getattr__ = submodule_getattr(
    __name__
)  # submodules on first use: linmod.model_selection.<module>
