"""Model selection: cross-validated comparison of OLS and penalised fits, penalty paths."""

from linmod.model_selection.comparison import ModelComparison, cross_validate_models
from linmod.model_selection.penalty_path import PenaltyPath, penalty_path

__all__ = ["ModelComparison", "PenaltyPath", "cross_validate_models", "penalty_path"]
