"""scikit-learn compatible estimators."""

from linmod.estimators.linear import LinearRegression

__all__ = ["LinearRegression"]
