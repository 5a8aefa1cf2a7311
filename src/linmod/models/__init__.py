"""Model entry points that wire data, solvers and inference together."""

from linmod._lazy import submodule_getattr

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
