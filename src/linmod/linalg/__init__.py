"""Numerics with no notion of a model: scaling, double-double kernels, rank, refinement."""

from linmod._lazy import submodule_getattr

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
