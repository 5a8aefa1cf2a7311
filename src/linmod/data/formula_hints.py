"""Hints for formulas that name columns a formula cannot write bare (``my var``, ``a-b``)."""

from __future__ import annotations

from typing import Any

__all__ = ["backtick_hint"]


def backtick_hint(formula: str, columns: Any) -> str:
    """A hint for column names a formula must quote (``my var``, ``price-usd``, ``1st``).

    Returns ``"; ..."`` naming each such column written bare in ``formula``, or ``""``.
    """
    awkward = [
        name
        for name in map(str, columns)
        if not name.isidentifier()
        and name in formula
        and f"`{name}`" not in formula
        and f"Q({name!r})" not in formula
        and f'Q("{name}")' not in formula
    ]
    if not awkward:
        return ""
    quoted = ", ".join(f"`{name}`" for name in awkward[:5])
    return (
        f"; a column name that is not a plain identifier must be quoted in a formula: "
        f"write {quoted} (backticks), or Q({awkward[0]!r})"
    )
