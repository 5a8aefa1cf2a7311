"""Plots drawn by linmod. matplotlib is imported lazily, only when a plot is drawn."""

from linmod._lazy import submodule_getattr
from linmod.plots.convergence import ConvergenceDisplay, convergence

__all__ = ["ConvergenceDisplay", "convergence"]

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
