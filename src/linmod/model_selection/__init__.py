"""Model selection: cross-validated comparison of OLS and penalised fits."""

from linmod.model_selection.comparison import ModelComparison, cross_validate_models

__all__ = ["ModelComparison", "cross_validate_models"]
