"""Plots drawn by linmod. matplotlib is imported lazily, only when a plot is drawn."""
