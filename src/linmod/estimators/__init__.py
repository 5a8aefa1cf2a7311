"""scikit-learn compatible estimators."""

from linmod._lazy import submodule_getattr
from linmod.estimators.gd import GDRegressor
from linmod.estimators.linear import LinearRegression

__all__ = ["GDRegressor", "LinearRegression"]

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
