"""scikit-learn compatible estimators.

The estimator classes (and scikit-learn with them) are imported on first use, so the
sklearn-free modules of this package (:mod:`~linmod.estimators.cv_search`, ...) can be
used without paying for scikit-learn's import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linmod._lazy import find_submodule

if TYPE_CHECKING:
    from linmod.estimators.gd import GDRegressor
    from linmod.estimators.linear import LinearRegression

__all__ = ["GDRegressor", "LinearRegression"]

_CLASSES = {"GDRegressor": "gd", "LinearRegression": "linear"}


def __getattr__(name: str) -> Any:
    if name in _CLASSES:
        module = find_submodule(__name__, _CLASSES[name])
        return getattr(module, name)
    module = find_submodule(__name__, name)  # submodules imported on first use
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return module


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
