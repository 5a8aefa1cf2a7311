"""Least-squares solvers: pure functions from a problem to a frozen result."""

from linmod._lazy import submodule_getattr
from linmod.solvers.auto import SOLVERS, solve
from linmod.solvers.base import LeastSquaresProblem, SolverResult

__all__ = ["SOLVERS", "LeastSquaresProblem", "SolverResult", "solve"]

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
