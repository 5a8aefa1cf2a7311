"""Data sets: the lessons' (generated exactly as the lessons do) and real ones shipped."""

from linmod._lazy import submodule_getattr
from linmod.datasets.lessons import diabetes, house_prices, house_prices_simple
from linmod.datasets.shipped import SHIPPED, longley, mtcars

__all__ = ["SHIPPED", "diabetes", "house_prices", "house_prices_simple", "longley", "mtcars"]

__getattr__ = submodule_getattr(__name__)  # submodules imported on first use
