"""Command-line interface."""

from linmod._lazy import submodule_getattr

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
