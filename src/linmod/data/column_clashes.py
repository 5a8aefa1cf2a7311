"""Design columns of the same name from two terms: refused, never merged.

formulaic names the columns it generates (``Intercept``, ``g[T.b]``, ``a:b``) in the same
namespace as the data's columns.  A data column with one of those names (the column of
ones of an exported design, a dummy column exported with its factor) would share its name
with a generated column, and a fit that looks its columns up by name would merge the two:
a coefficient lost, or shown twice.
"""

from __future__ import annotations

from typing import Any

from linmod.exceptions import InputError

__all__ = ["refuse_column_name_clashes"]


def refuse_column_name_clashes(spec: Any) -> None:
    """Refuse a design in which two terms produce a column of the same name.

    A data column named like a column the formula generates (``Intercept`` beside the
    intercept, in a design matrix exported with it; ``g[T.b]`` beside the factor ``g``)
    would otherwise be merged with it by name: a coefficient silently lost or shown twice.

    Raises
    ------
    InputError
        Naming the column, the two terms and the fixes.
    """
    owners: dict[str, str] = {}
    names = [str(c) for c in spec.column_names]
    for term, indices in spec.term_indices.items():
        for i in indices:
            name = names[i]
            first = owners.setdefault(name, str(term))
            if first != str(term):
                raise InputError(_clash_message(name, first, str(term)))


def _clash_message(name: str, first: str, second: str) -> str:
    if name == "Intercept" and "1" in (first, second):
        return (
            f"the data column {name!r} has the name of the formula's intercept column, with "
            "which it would be merged; if it is the column of ones of an exported design, "
            "leave it out (write '. - Intercept' after '~ .'): the formula adds the intercept; "
            "otherwise rename it, or write it as I(`Intercept`) in the formula"
        )
    return (
        f"two columns of the design would be named {name!r} (from the terms {first!r} and "
        f"{second!r}): a data column has the name of a column the formula generates, with "
        f"which it would be merged; rename that data column, or write it as I(`{name}`) in "
        "the formula"
    )
