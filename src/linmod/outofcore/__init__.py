"""Folding blocks (file chunks, Dask partitions) into the same sufficient statistics."""

from linmod._lazy import submodule_getattr

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
