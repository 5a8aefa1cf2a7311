"""Submodules found on attribute access (PEP 562), so ``linmod.models.ols`` works after
a bare ``import linmod`` without importing every module up front."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType

__all__ = ["find_submodule", "submodule_getattr"]


def find_submodule(package: str, name: str) -> ModuleType | None:
    """Import and return ``package.name`` if it is a submodule, else None."""
    if not name.isidentifier() or name.startswith("__"):
        return None
    try:
        spec = importlib.util.find_spec(f"{package}.{name}")
    except (ImportError, ValueError):
        return None
    return None if spec is None else importlib.import_module(f"{package}.{name}")


def submodule_getattr(package: str) -> Callable[[str], ModuleType]:
    """A module ``__getattr__`` for ``package`` that imports its submodules on first use."""

    def __getattr__(name: str) -> ModuleType:
        module = find_submodule(package, name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return module

    return __getattr__
