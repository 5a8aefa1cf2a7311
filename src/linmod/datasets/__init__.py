"""Data sets of the lessons, generated exactly as the lessons generate them."""

from linmod.datasets.lessons import diabetes, house_prices, house_prices_simple

__all__ = ["diabetes", "house_prices", "house_prices_simple"]
