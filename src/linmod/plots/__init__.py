"""Plots drawn by linmod. matplotlib is imported lazily, only when a plot is drawn."""

from linmod.plots.convergence import ConvergenceDisplay, convergence

__all__ = ["ConvergenceDisplay", "convergence"]
