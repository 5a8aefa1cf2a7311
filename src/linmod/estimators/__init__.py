"""scikit-learn compatible estimators."""

from linmod.estimators.gd import GDRegressor
from linmod.estimators.linear import LinearRegression

__all__ = ["GDRegressor", "LinearRegression"]
